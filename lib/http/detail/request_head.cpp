#include "detail/request_head.hpp"

#include <cstdint>

namespace flightbook::http::detail {
namespace {

constexpr unsigned char kCr = '\r';
constexpr unsigned char kLf = '\n';
constexpr unsigned char kSp = ' ';
constexpr unsigned char kHtab = '\t';

constexpr std::string_view kVersionPattern = "HTTP/#.#";  // '#' is any digit
constexpr std::string_view kContentLength = "content-length";
constexpr std::string_view kTransferEncoding = "transfer-encoding";

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
// "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
constexpr bool is_tchar(unsigned char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~': return true;
        default: return false;
    }
}

// VCHAR and obs-text: every byte but the controls, SP and DEL.
constexpr bool is_visible(unsigned char c) noexcept { return c > 0x20 && c != 0x7f; }

// Byte classes for scanning runs of ordinary bytes without the per-byte
// state machine.
constexpr std::uint8_t kTcharClass = 1;
constexpr std::uint8_t kVisibleClass = 2;
constexpr std::uint8_t kValueClass = 4;  // visible, SP or HTAB

struct ByteClasses {
    std::uint8_t of[256] = {};
    constexpr ByteClasses() {
        for (unsigned c = 0; c < 256; ++c) {
            const auto b = static_cast<unsigned char>(c);
            std::uint8_t bits = 0;
            if (is_tchar(b)) bits |= kTcharClass;
            if (is_visible(b)) bits |= kVisibleClass | kValueClass;
            if (b == kSp || b == kHtab) bits |= kValueClass;
            of[c] = bits;
        }
    }
};
constexpr ByteClasses kClasses;

constexpr unsigned char lower(unsigned char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

bool matches_at(std::string_view literal, std::size_t at, unsigned char c) noexcept {
    return at < literal.size() && static_cast<unsigned char>(literal[at]) == lower(c);
}

}  // namespace

bool HeadScanner::reject(int status, std::string_view reason) noexcept {
    verdict_ = HeadVerdict{HeadVerdict::Kind::kRejected, status, reason};
    return false;
}

void HeadScanner::start_field() noexcept {
    state_ = State::kName;
    part_bytes_ = 0;
    may_be_length_ = true;
    may_be_encoding_ = true;
    value_seen_ = false;
}

bool HeadScanner::step(unsigned char c) noexcept {
    ++consumed_;
    ++line_bytes_;
    if (consumed_ > limits_.max_bytes) {
        return reject(431, "the request line and header fields exceed the size limit");
    }
    const bool in_request_line = state_ == State::kMethod || state_ == State::kTarget ||
                                 state_ == State::kVersion || state_ == State::kRequestLineLf;
    if (line_bytes_ > kMaxHeadLineBytes) {
        if (in_request_line) return reject(414, "the request line is longer than 8192 bytes");
        return reject(431, "a header field line is longer than 8192 bytes");
    }

    switch (state_) {
        case State::kMethod:
            if (is_tchar(c)) {
                ++part_bytes_;
                return true;
            }
            if (c == kSp && part_bytes_ > 0) {
                state_ = State::kTarget;
                part_bytes_ = 0;
                return true;
            }
            return reject(400, "malformed request line: invalid method");

        case State::kTarget:
            if (is_visible(c)) {
                ++part_bytes_;
                return true;
            }
            if (c == kSp && part_bytes_ > 0) {
                state_ = State::kVersion;
                part_bytes_ = 0;
                return true;
            }
            return reject(400, "malformed request line: invalid request target");

        case State::kVersion:
            if (part_bytes_ == kVersionPattern.size() && c == kCr) {
                state_ = State::kRequestLineLf;
                return true;
            }
            if (part_bytes_ < kVersionPattern.size()) {
                const char want = kVersionPattern[part_bytes_];
                if (want == '#' ? (c >= '0' && c <= '9') : c == static_cast<unsigned char>(want)) {
                    ++part_bytes_;
                    return true;
                }
            }
            return reject(400, "malformed request line: invalid HTTP version");

        case State::kRequestLineLf:
            if (c != kLf) return reject(400, "malformed request line: bare CR");
            state_ = State::kLineStart;
            line_bytes_ = 0;
            return true;

        case State::kLineStart:
            if (c == kCr) {
                state_ = State::kEndLf;
                return true;
            }
            if (c == kSp || c == kHtab) {
                return reject(400,
                              "a header field line starts with whitespace (obsolete line folding)");
            }
            if (c == ':') return reject(400, "empty header field name");
            if (!is_tchar(c)) return reject(400, "invalid character in a header field name");
            if (++fields_ > limits_.max_fields) {
                return reject(431, "too many header fields");
            }
            start_field();
            [[fallthrough]];

        case State::kName:
            if (is_tchar(c)) {
                may_be_length_ = may_be_length_ && matches_at(kContentLength, part_bytes_, c);
                may_be_encoding_ =
                    may_be_encoding_ && matches_at(kTransferEncoding, part_bytes_, c);
                ++part_bytes_;
                return true;
            }
            if (c == ':') {
                may_be_length_ = may_be_length_ && part_bytes_ == kContentLength.size();
                may_be_encoding_ = may_be_encoding_ && part_bytes_ == kTransferEncoding.size();
                state_ = State::kValue;
                return true;
            }
            if (c == kSp || c == kHtab) {
                return reject(400, "whitespace between a header field name and the colon");
            }
            if (c == kCr || c == kLf) return reject(400, "header field line without a colon");
            return reject(400, "invalid character in a header field name");

        case State::kValue:
            if (c == kSp || c == kHtab) return true;
            if (is_visible(c)) {
                value_seen_ = true;
                return true;
            }
            if (c == kCr) {
                if ((may_be_length_ || may_be_encoding_) && !value_seen_) {
                    return reject(400, "empty Content-Length or Transfer-Encoding field");
                }
                state_ = State::kFieldLf;
                return true;
            }
            if (c == kLf) return reject(400, "bare LF in a header field value");
            if (c == 0) return reject(400, "NUL in a header field value");
            return reject(400, "control character in a header field value");

        case State::kFieldLf:
            if (c != kLf) return reject(400, "bare CR in a header field value");
            state_ = State::kLineStart;
            line_bytes_ = 0;
            return true;

        case State::kEndLf:
            if (c != kLf) return reject(400, "bare CR at the end of the header fields");
            state_ = State::kDone;
            verdict_ = HeadVerdict{HeadVerdict::Kind::kComplete, 0, {}};
            return false;

        case State::kDone: return false;
    }
    return reject(400, "malformed request head");
}

std::uint8_t HeadScanner::run_class() const noexcept {
    switch (state_) {
        case State::kMethod:
        case State::kName: return kTcharClass;
        case State::kTarget: return kVisibleClass;
        case State::kValue: return kValueClass;
        default: return 0;
    }
}

bool HeadScanner::take_run(const unsigned char* begin, const unsigned char* end) noexcept {
    const auto run = static_cast<std::size_t>(end - begin);
    if (consumed_ + run > limits_.max_bytes || line_bytes_ + run > kMaxHeadLineBytes) {
        return false;  // a limit is passed inside the run: step() says where
    }
    consumed_ += run;
    line_bytes_ += run;
    if (state_ == State::kName) {
        for (const auto* p = begin; p < end && (may_be_length_ || may_be_encoding_); ++p) {
            const auto at = part_bytes_ + static_cast<std::size_t>(p - begin);
            may_be_length_ = may_be_length_ && matches_at(kContentLength, at, *p);
            may_be_encoding_ = may_be_encoding_ && matches_at(kTransferEncoding, at, *p);
        }
    }
    if (state_ == State::kValue) {
        for (const auto* p = begin; p < end && !value_seen_; ++p) {
            value_seen_ = (kClasses.of[*p] & kVisibleClass) != 0;
        }
    }
    part_bytes_ += run;
    return true;
}

HeadVerdict HeadScanner::feed(std::string_view bytes) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* const end = p + bytes.size();
    while (p < end && verdict_.incomplete()) {
        // Runs of ordinary bytes (a name, a value, the target) are taken at
        // once; step() sees the bytes that change the state.
        if (const std::uint8_t wanted = run_class(); wanted != 0) {
            const auto* q = p;
            while (q < end && (kClasses.of[*q] & wanted) != 0) ++q;
            if (q > p && take_run(p, q)) {
                p = q;
                continue;
            }
        }
        if (!step(*p++)) break;
    }
    return verdict_;
}

HeadVerdict check_request_head(std::string_view bytes, HeadLimits limits) noexcept {
    HeadScanner scanner(limits);
    return scanner.feed(bytes);
}

}  // namespace flightbook::http::detail
