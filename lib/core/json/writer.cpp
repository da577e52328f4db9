#include "flightbook/json/writer.hpp"

#include <fmt/format.h>

#include <cmath>

namespace flightbook::json {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return n;
}

}  // namespace

// Printable ASCII other than '"' and '\\' is copied as it is.
bool plain(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

void append_escaped(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        // Runs of plain characters (nearly every string we write) in one copy.
        std::size_t run = i;
        while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
        if (run > i) {
            out.append(s.data() + i, run - i);
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                ++i;
                continue;
            case '\\':
                out += "\\\\";
                ++i;
                continue;
            case '\n':
                out += "\\n";
                ++i;
                continue;
            case '\r':
                out += "\\r";
                ++i;
                continue;
            case '\t':
                out += "\\t";
                ++i;
                continue;
            case '\b':
                out += "\\b";
                ++i;
                continue;
            case '\f':
                out += "\\f";
                ++i;
                continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
            ++i;
            continue;
        }
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    out.push_back('"');
}

void Writer::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_items_.empty()) {
        if (has_items_.back()) out_.push_back(',');
        has_items_.back() = true;
    }
}

Writer& Writer::begin_object() {
    before_value();
    out_.push_back('{');
    has_items_.push_back(false);
    return *this;
}

Writer& Writer::end_object() {
    out_.push_back('}');
    has_items_.pop_back();
    return *this;
}

Writer& Writer::begin_array() {
    before_value();
    out_.push_back('[');
    has_items_.push_back(false);
    return *this;
}

Writer& Writer::end_array() {
    out_.push_back(']');
    has_items_.pop_back();
    return *this;
}

Writer& Writer::key(std::string_view name) {
    before_value();
    append_escaped(out_, name);
    out_.push_back(':');
    after_key_ = true;
    return *this;
}

Writer& Writer::value(std::string_view s) {
    before_value();
    append_escaped(out_, s);
    return *this;
}

Writer& Writer::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

Writer& Writer::value(std::int64_t n) {
    before_value();
    const fmt::format_int digits(n);
    out_.append(digits.data(), digits.size());
    return *this;
}

Writer& Writer::value(std::uint64_t n) {
    before_value();
    const fmt::format_int digits(n);
    out_.append(digits.data(), digits.size());
    return *this;
}

Writer& Writer::value(double d) {
    before_value();
    if (!std::isfinite(d)) {
        out_ += "null";  // JSON has no NaN or infinity
    } else {
        fmt::format_to(std::back_inserter(out_), "{}", d);
    }
    return *this;
}

Writer& Writer::value(Money m) {
    before_value();
    out_ += m.to_string();
    return *this;
}

Writer& Writer::null() {
    before_value();
    out_ += "null";
    return *this;
}

Writer& Writer::raw(std::string_view encoded) {
    before_value();
    out_.append(encoded);
    return *this;
}

}  // namespace flightbook::json
