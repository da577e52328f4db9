// Typed accessors of JsonObject with field-naming 400 messages.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "flightbook/http/json.hpp"

namespace flightbook::http {
namespace {

Error invalid(std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

Error required(std::string_view key) { return invalid(fmt::format("field '{}' is required", key)); }

std::string integer_rule(std::string_view key, std::int64_t min, std::int64_t max) {
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    if (min == 1 && max == kMax) return fmt::format("field '{}' must be a positive integer", key);
    if (min == 0 && max == kMax) {
        return fmt::format("field '{}' must be a non-negative integer", key);
    }
    if (min == kMin && max == kMax) return fmt::format("field '{}' must be an integer", key);
    if (max == kMax) return fmt::format("field '{}' must be an integer >= {}", key, min);
    if (min == kMin) return fmt::format("field '{}' must be an integer <= {}", key, max);
    return fmt::format("field '{}' must be an integer between {} and {}", key, min, max);
}

Result<std::int64_t> to_int64(const JsonValue& v, std::string_view key, std::int64_t min,
                              std::int64_t max) {
    if (const auto* n = v.as_int64()) {
        if (*n < min || *n > max) return invalid(integer_rule(key, min, max));
        return *n;
    }
    if (const auto* d = v.as_double()) {
        // 1e2 or 7.0 are not integers on the wire; a value beyond int64 is
        // out of range rather than "not an integer".
        if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) >= 9.2e18) {
            return invalid(
                fmt::format("field '{}' is out of range ({})", key, integer_rule(key, min, max)));
        }
    }
    return invalid(integer_rule(key, min, max));
}

Result<std::string> to_string_value(const JsonValue& v, std::string_view key,
                                    std::size_t max_length) {
    const auto* s = v.as_string();
    if (s == nullptr) return invalid(fmt::format("field '{}' must be a string", key));
    if (s->size() > max_length) {
        return invalid(fmt::format("field '{}' must be at most {} bytes long", key, max_length));
    }
    return *s;
}

}  // namespace

JsonObject::JsonObject() = default;
JsonObject::JsonObject(const JsonObject&) = default;
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(const JsonObject&) = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;
JsonObject::~JsonObject() = default;

std::size_t JsonObject::size() const noexcept { return members_.size(); }

const JsonValue* JsonObject::find(std::string_view key) const noexcept {
    for (const auto& [name, value] : members_) {
        if (name == key) return &value;
    }
    return nullptr;
}

void JsonObject::add(std::string key, JsonValue value) {
    members_.emplace_back(std::move(key), std::move(value));
}

Result<std::int64_t> JsonObject::get_int64(std::string_view key, std::int64_t min,
                                           std::int64_t max) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    return to_int64(*v, key, min, max);
}

Result<std::optional<std::int64_t>> JsonObject::get_optional_int64(std::string_view key,
                                                                   std::int64_t min,
                                                                   std::int64_t max) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return std::optional<std::int64_t>();
    auto n = to_int64(*v, key, min, max);
    if (!n) return std::move(n).error();
    return std::optional<std::int64_t>(*n);
}

Result<std::int64_t> JsonObject::get_positive_int64(std::string_view key) const {
    return get_int64(key, 1, std::numeric_limits<std::int64_t>::max());
}

Result<std::string> JsonObject::get_string(std::string_view key, std::size_t max_length) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    return to_string_value(*v, key, max_length);
}

Result<std::optional<std::string>> JsonObject::get_optional_string(std::string_view key,
                                                                   std::size_t max_length) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return std::optional<std::string>();
    auto s = to_string_value(*v, key, max_length);
    if (!s) return std::move(s).error();
    return std::optional<std::string>(std::move(s).value());
}

Result<bool> JsonObject::get_bool(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    if (const auto* b = v->as_bool()) return *b;
    return invalid(fmt::format("field '{}' must be true or false", key));
}

Result<std::optional<bool>> JsonObject::get_optional_bool(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return std::optional<bool>();
    if (const auto* b = v->as_bool()) return std::optional<bool>(*b);
    return invalid(fmt::format("field '{}' must be true or false", key));
}

Result<double> JsonObject::get_double(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    if (const auto* n = v->as_int64()) return static_cast<double>(*n);
    if (const auto* d = v->as_double()) return *d;
    return invalid(fmt::format("field '{}' must be a number", key));
}

Result<std::vector<std::int64_t>> JsonObject::get_array_int64(std::string_view key,
                                                              std::int64_t min, std::int64_t max,
                                                              std::size_t max_items) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    const auto* items = v->as_array();
    if (items == nullptr || items->empty() || items->size() > max_items) {
        return invalid(
            fmt::format("field '{}' must be an array of 1 to {} integers", key, max_items));
    }
    std::vector<std::int64_t> out;
    out.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto element_name = fmt::format("{}[{}]", key, i);
        auto n = to_int64((*items)[i], element_name, min, max);
        if (!n) return std::move(n).error();
        out.push_back(*n);
    }
    return out;
}

Result<Money> JsonObject::get_money(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    const auto rule =
        fmt::format("field '{}' must be a non-negative amount with at most two decimals", key);
    if (const auto* s = v->as_string()) {
        auto m = Money::parse(*s);
        if (!m || m->cents() < 0) return invalid(rule);
        return *m;
    }
    if (const auto* n = v->as_int64()) {
        if (*n < 0 || *n > std::numeric_limits<std::int64_t>::max() / 100) return invalid(rule);
        return Money::from_cents(*n * 100);
    }
    if (const auto* d = v->as_double()) {
        // Doubles are exact to the cent far beyond any fare (< 2^53 cents).
        const double cents = *d * 100.0;
        if (!std::isfinite(cents) || cents < 0 || cents > 9.0e15) return invalid(rule);
        const double rounded = std::round(cents);
        // Tolerate only binary rounding noise (85.07 * 100 = 8507.000000000001).
        const double noise = std::max(1e-6, cents * 4 * std::numeric_limits<double>::epsilon());
        if (std::fabs(cents - rounded) > noise) return invalid(rule);
        return Money::from_cents(static_cast<std::int64_t>(rounded));
    }
    return invalid(rule);
}

Result<JsonObject> JsonObject::get_object(std::string_view key) const {
    const auto* v = find(key);
    if (v == nullptr || v->is_null()) return required(key);
    if (const auto* o = v->as_object()) return *o;
    return invalid(fmt::format("field '{}' must be an object", key));
}

}  // namespace flightbook::http
