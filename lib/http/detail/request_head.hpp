#pragma once
// Private: a strict check of an HTTP/1.1 request head (request line, field
// lines and the blank line) on the raw bytes, before cpp-httplib parses them.
// cpp-httplib 0.11 silently drops or keeps malformed field lines (no colon,
// whitespace before the colon, obs-fold, NUL or bare CR in a value, …) and
// has no limit on the number of fields; a front proxy that reads the same
// bytes differently is the raw material of request smuggling. See
// docs/http.md "Strict request heads".
//
// Self-contained (standard library only) so that it can be unit tested.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flightbook::http::detail {

/// cpp-httplib's fixed limit on one request line or one field line,
/// CRLF included (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH and
/// CPPHTTPLIB_HEADER_MAX_LENGTH, compiled into the library).
inline constexpr std::size_t kMaxHeadLineBytes = 8192;

struct HeadLimits {
    /// Request line, field lines and the blank line together.
    std::size_t max_bytes = std::size_t{64} << 10;
    /// Field lines.
    std::size_t max_fields = 100;
};

/// The outcome of scanning a request head.
struct HeadVerdict {
    enum class Kind : std::uint8_t {
        kIncomplete,  // valid so far; the blank line has not arrived yet
        kComplete,    // a whole valid head of `HeadScanner::consumed()` bytes
        kRejected,    // `status` and `reason` say why
    };
    Kind kind = Kind::kIncomplete;
    /// 400 (malformed), 414 (request line too long) or 431 (too many or too
    /// large fields) when rejected.
    int status = 0;
    /// Fixed text (never request bytes), safe to send and to log.
    std::string_view reason;

    [[nodiscard]] bool incomplete() const noexcept { return kind == Kind::kIncomplete; }
    [[nodiscard]] bool complete() const noexcept { return kind == Kind::kComplete; }
    [[nodiscard]] bool rejected() const noexcept { return kind == Kind::kRejected; }
};

/// Scans a request head incrementally: feed the bytes as they arrive, in
/// order, until the verdict is no longer incomplete. Each byte is looked at
/// once (runs of ordinary bytes through a table), so a client trickling its
/// head costs linear time.
///
/// The grammar (RFC 9112 §2.2, §3, §5; RFC 9110 §5.1, §5.5):
///   request-line = token SP target SP "HTTP/" DIGIT "." DIGIT CRLF
///   field-line   = token ":" *( SP / HTAB / VCHAR / obs-text ) CRLF
///   head         = request-line *field-line CRLF
/// where `target` is one or more bytes other than controls, SP and DEL.
/// Every line ends in CRLF: a bare CR or a bare LF anywhere is rejected, so
/// the head ends at exactly the byte where cpp-httplib's head ends.
class HeadScanner {
public:
    explicit HeadScanner(HeadLimits limits) noexcept : limits_(limits) {}

    /// Scans `bytes`, which continue the bytes fed before. Stops at the end
    /// of the head or at the first error; bytes after that are not looked at.
    HeadVerdict feed(std::string_view bytes) noexcept;

    /// The verdict so far.
    [[nodiscard]] const HeadVerdict& verdict() const noexcept { return verdict_; }
    /// Bytes of the head scanned so far (the whole head once complete).
    [[nodiscard]] std::size_t consumed() const noexcept { return consumed_; }
    /// Field lines seen so far.
    [[nodiscard]] std::size_t fields() const noexcept { return fields_; }

private:
    enum class State : std::uint8_t {
        kMethod,
        kTarget,
        kVersion,
        kRequestLineLf,
        kLineStart,
        kName,
        kValue,
        kFieldLf,
        kEndLf,
        kDone,
    };

    bool step(unsigned char c) noexcept;  // false once a verdict is reached
    /// The class of the bytes that leave the current state unchanged, or 0.
    [[nodiscard]] std::uint8_t run_class() const noexcept;
    /// Takes [begin, end), bytes of run_class(), as step() would one by one;
    /// false (nothing taken) when a limit is passed inside the run.
    bool take_run(const unsigned char* begin, const unsigned char* end) noexcept;
    bool reject(int status, std::string_view reason) noexcept;
    void start_field() noexcept;

    HeadLimits limits_;
    HeadVerdict verdict_;
    State state_ = State::kMethod;
    std::size_t consumed_ = 0;
    std::size_t line_bytes_ = 0;  // of the current line, including this byte
    std::size_t part_bytes_ = 0;  // of the current method, target, version or name
    std::size_t fields_ = 0;
    // The framing fields (Content-Length, Transfer-Encoding) with an empty
    // value are dropped by cpp-httplib: tracked to refuse them instead.
    bool may_be_length_ = false;    // the name so far matches Content-Length
    bool may_be_encoding_ = false;  // the name so far matches Transfer-Encoding
    bool value_seen_ = false;       // a non-whitespace byte in the current value
};

/// Scans a whole head at once (tests and tools): rejected, complete, or
/// incomplete when `bytes` end before the blank line.
[[nodiscard]] HeadVerdict check_request_head(std::string_view bytes, HeadLimits limits) noexcept;

}  // namespace flightbook::http::detail
