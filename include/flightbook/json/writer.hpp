#pragma once
/// \file
/// A small streaming JSON writer on fmt. Parsing lives in flightbook::http
/// (simdjson); writing is here so that the core, the CLI and the servers all
/// produce byte-identical JSON for the same value.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/money.hpp"

namespace flightbook::json {

/// Appends `s` to `out` as a JSON string literal (quotes included), escaping
/// quotes, backslashes and control characters. Invalid UTF-8 bytes are
/// replaced by U+FFFD so that the output is always valid JSON.
void append_escaped(std::string& out, std::string_view s);

/// Builds one JSON document. Commas and colons are inserted automatically.
/// Not thread-safe; one writer per document.
///
///     Writer w;
///     w.begin_object().key("count").value(3).end_object();
///     w.str() == R"({"count":3})"
class Writer {
public:
    Writer& begin_object();
    Writer& end_object();
    Writer& begin_array();
    Writer& end_array();
    Writer& key(std::string_view name);

    Writer& value(std::string_view s);
    Writer& value(const char* s) { return value(std::string_view(s)); }
    Writer& value(const std::string& s) { return value(std::string_view(s)); }
    Writer& value(bool b);
    Writer& value(std::int64_t n);
    Writer& value(std::int32_t n) { return value(static_cast<std::int64_t>(n)); }
    Writer& value(std::uint64_t n);
    Writer& value(std::uint32_t n) { return value(static_cast<std::uint64_t>(n)); }
    Writer& value(double d);
    /// Money as a JSON number with exactly two decimals: 8500.00
    Writer& value(Money m);
    Writer& null();
    /// Inserts already-encoded JSON (e.g. a cached fragment) as one value.
    Writer& raw(std::string_view encoded);

    [[nodiscard]] const std::string& str() const noexcept { return out_; }
    [[nodiscard]] std::string take() { return std::move(out_); }

private:
    void before_value();

    std::string out_;
    std::vector<bool> has_items_;  // one per open container
    bool after_key_ = false;
};

}  // namespace flightbook::json
