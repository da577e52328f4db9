#include <charconv>
#include <stdexcept>
#include <string>

#include "connection_impl.hpp"

namespace flightbook::postgres {

QueryResult::QueryResult() = default;
QueryResult::QueryResult(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QueryResult::~QueryResult() = default;
QueryResult::QueryResult(QueryResult&&) noexcept = default;
QueryResult& QueryResult::operator=(QueryResult&&) noexcept = default;

std::size_t QueryResult::rows() const noexcept {
    if (!impl_) return 0;
    return static_cast<std::size_t>(PQntuples(impl_->result.get()));
}

std::size_t QueryResult::columns() const noexcept {
    if (!impl_) return 0;
    return static_cast<std::size_t>(PQnfields(impl_->result.get()));
}

std::int64_t QueryResult::affected_rows() const noexcept {
    if (!impl_) return 0;
    const char* text = PQcmdTuples(impl_->result.get());
    std::int64_t n = 0;
    if (text == nullptr || *text == '\0') return 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), n);
    return n;
}

bool QueryResult::is_null(std::size_t row, std::size_t col) const noexcept {
    if (!impl_ || row >= rows() || col >= columns()) return true;
    return PQgetisnull(impl_->result.get(), static_cast<int>(row), static_cast<int>(col)) != 0;
}

std::string_view QueryResult::text(std::size_t row, std::size_t col) const noexcept {
    if (is_null(row, col)) return {};
    const int r = static_cast<int>(row);
    const int c = static_cast<int>(col);
    return {PQgetvalue(impl_->result.get(), r, c),
            static_cast<std::size_t>(PQgetlength(impl_->result.get(), r, c))};
}

std::int64_t QueryResult::int64(std::size_t row, std::size_t col) const {
    const std::string_view t = text(row, col);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) {
        throw std::logic_error("postgres: column " + std::to_string(col) + " is not an integer: '" +
                               std::string(t) + "'");
    }
    return value;
}

}  // namespace flightbook::postgres
