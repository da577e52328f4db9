#pragma once
/// \file
/// The JSON request codec: parsing (simdjson, kept private) into a small owned
/// value type, and typed accessors that produce clear 400 messages such as
/// "field 'seats' must be a positive integer". Writing uses
/// flightbook::json::Writer.

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "flightbook/json/writer.hpp"
#include "flightbook/money.hpp"
#include "flightbook/result.hpp"

namespace flightbook::http {

class JsonValue;

/// A JSON object: members in document order. Keys are unique (the parser
/// rejects duplicates). A plain value; not thread-safe to mutate.
class JsonObject {
public:
    using Member = std::pair<std::string, JsonValue>;

    JsonObject();
    JsonObject(const JsonObject&);
    JsonObject(JsonObject&&) noexcept;
    JsonObject& operator=(const JsonObject&);
    JsonObject& operator=(JsonObject&&) noexcept;
    ~JsonObject();

    /// The member named `key`, or nullptr.
    [[nodiscard]] const JsonValue* find(std::string_view key) const noexcept;
    [[nodiscard]] bool contains(std::string_view key) const noexcept {
        return find(key) != nullptr;
    }
    [[nodiscard]] const std::vector<Member>& members() const noexcept { return members_; }
    [[nodiscard]] std::size_t size() const noexcept;
    /// Appends a member (no duplicate check; used by the parser and tests).
    void add(std::string key, JsonValue value);

    // Typed accessors. Each fails with kInvalidArgument and a message naming
    // the field: missing ("field 'x' is required"), wrong type ("field 'x'
    // must be a string"), out of range ("field 'seats' must be an integer
    // between 1 and 9"). The optional variants treat a missing or null field
    // as std::nullopt and fail only on a present, invalid value.

    /// An integer in [min, max]. Fractional numbers and exponents that do
    /// not denote an integer are rejected, as are values beyond int64.
    [[nodiscard]] Result<std::int64_t> get_int64(
        std::string_view key, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
        std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    [[nodiscard]] Result<std::optional<std::int64_t>> get_optional_int64(
        std::string_view key, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
        std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    /// An integer >= 1 ("field 'x' must be a positive integer").
    [[nodiscard]] Result<std::int64_t> get_positive_int64(std::string_view key) const;
    /// A string; `max_length` bounds its size in bytes.
    [[nodiscard]] Result<std::string> get_string(std::string_view key,
                                                 std::size_t max_length = 4096) const;
    [[nodiscard]] Result<std::optional<std::string>> get_optional_string(
        std::string_view key, std::size_t max_length = 4096) const;
    [[nodiscard]] Result<bool> get_bool(std::string_view key) const;
    [[nodiscard]] Result<std::optional<bool>> get_optional_bool(std::string_view key) const;
    /// A number of any kind (e.g. a rate).
    [[nodiscard]] Result<double> get_double(std::string_view key) const;
    /// A non-empty array of integers in [min, max], at most `max_items` long.
    [[nodiscard]] Result<std::vector<std::int64_t>> get_array_int64(
        std::string_view key, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
        std::int64_t max = std::numeric_limits<std::int64_t>::max(),
        std::size_t max_items = 100) const;
    /// A money amount: a number with at most two decimals (8500, 8500.5,
    /// 8500.00) or such a number in a string ("8500.00"); never negative.
    [[nodiscard]] Result<Money> get_money(std::string_view key) const;
    /// A nested object.
    [[nodiscard]] Result<JsonObject> get_object(std::string_view key) const;

private:
    std::vector<Member> members_;
};

/// An owned JSON value. Integers that fit int64 are kept exactly as
/// integers; other numbers are doubles.
class JsonValue {
public:
    using Array = std::vector<JsonValue>;
    enum class Type { kNull, kBool, kInteger, kDouble, kString, kArray, kObject };

    JsonValue() = default;
    explicit JsonValue(bool b) : data_(b) {}
    explicit JsonValue(std::int64_t n) : data_(n) {}
    explicit JsonValue(double d) : data_(d) {}
    explicit JsonValue(std::string s) : data_(std::move(s)) {}
    explicit JsonValue(Array a) : data_(std::move(a)) {}
    explicit JsonValue(JsonObject o) : data_(std::move(o)) {}

    [[nodiscard]] Type type() const noexcept { return static_cast<Type>(data_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return type() == Type::kNull; }

    /// Accessors; nullptr when the value has another type.
    [[nodiscard]] const bool* as_bool() const noexcept { return std::get_if<bool>(&data_); }
    [[nodiscard]] const std::int64_t* as_int64() const noexcept {
        return std::get_if<std::int64_t>(&data_);
    }
    [[nodiscard]] const double* as_double() const noexcept { return std::get_if<double>(&data_); }
    [[nodiscard]] const std::string* as_string() const noexcept {
        return std::get_if<std::string>(&data_);
    }
    [[nodiscard]] const Array* as_array() const noexcept { return std::get_if<Array>(&data_); }
    [[nodiscard]] const JsonObject* as_object() const noexcept {
        return std::get_if<JsonObject>(&data_);
    }

private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, JsonObject> data_;
};

/// Limits applied while parsing.
struct JsonParseOptions {
    std::size_t max_depth = 64;  ///< deeper nesting is rejected
};

/// Parses one JSON document. Errors (kInvalidArgument): empty input, invalid
/// JSON or UTF-8, nesting deeper than `max_depth`, an object with a
/// duplicate key. Thread-safe (one parser per thread).
[[nodiscard]] Result<JsonValue> parse_json(std::string_view text, JsonParseOptions options = {});

/// Parses a request body that must be a JSON object ("request body must be a
/// JSON object" otherwise).
[[nodiscard]] Result<JsonObject> parse_object(std::string_view text, JsonParseOptions options = {});

/// Writes `value` with `writer` (doubles as fmt's shortest round-trip form).
void write_json(json::Writer& writer, const JsonValue& value);

}  // namespace flightbook::http
