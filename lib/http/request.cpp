#include "flightbook/http/request.hpp"

namespace flightbook::http {
namespace {

const FieldList kEmpty;

std::optional<std::string_view> find(const FieldList* fields, std::string_view name,
                                     bool case_insensitive) noexcept {
    if (fields == nullptr) return std::nullopt;
    for (const auto& [key, value] : *fields) {
        if (case_insensitive ? iequals(key, name) : key == name) return value;
    }
    return std::nullopt;
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::optional<std::string_view> Request::path_param(std::string_view name) const noexcept {
    return find(parts_.path_params, name, false);
}

std::optional<std::string_view> Request::query(std::string_view name) const noexcept {
    return find(parts_.query_params, name, false);
}

std::optional<std::string_view> Request::header(std::string_view name) const noexcept {
    return find(parts_.headers, name, true);
}

const FieldList& Request::query_params() const noexcept {
    return parts_.query_params != nullptr ? *parts_.query_params : kEmpty;
}

}  // namespace flightbook::http
