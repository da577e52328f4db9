// The strict HTTP/1.1 request-head scanner (lib/http/detail/request_head.hpp)
// that every server checks raw bytes with before cpp-httplib parses them.
// Properties, for default and for tiny limits:
//   * fed in arbitrary chunks (down to one byte) the verdict is the same as
//     fed at once: the run fast path and the byte-by-byte path agree;
//   * a line-based reading of the grammar, written independently below,
//     accepts exactly the heads the scanner calls complete, which end at the
//     first blank line;
//   * a rejection is 400, 414 or 431 with a reason; an incomplete verdict
//     has looked at every byte.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/request_head.hpp"
#include "fuzz_check.hpp"

using namespace flightbook::http::detail;

namespace {

bool is_token_char(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_token_char(static_cast<unsigned char>(c))) return false;
    }
    return true;
}
bool is_vchar(unsigned char c) { return c > 0x20 && c != 0x7f; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool valid_request_line(std::string_view line) {
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || !is_token(line.substr(0, sp1))) return false;
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return false;
    for (char c : line.substr(sp1 + 1, sp2 - sp1 - 1)) {
        if (!is_vchar(static_cast<unsigned char>(c))) return false;
    }
    const std::string_view version = line.substr(sp2 + 1);
    return version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' &&
           version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9';
}

bool valid_field_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return false;
    bool visible = false;
    for (char c : line.substr(colon + 1)) {
        if (is_vchar(static_cast<unsigned char>(c))) {
            visible = true;
        } else if (c != ' ' && c != '\t') {
            return false;
        }
    }
    // cpp-httplib drops these when empty; the scanner refuses them.
    if (!visible && (iequals(name, "content-length") || iequals(name, "transfer-encoding"))) {
        return false;
    }
    return true;
}

// Whether `head` (up to and including the first CRLF CRLF) is a valid head
// within `limits`.
bool reference_accepts(std::string_view head, const HeadLimits& limits) {
    if (head.size() > limits.max_bytes) return false;
    std::string_view rest = head.substr(0, head.size() - 2);  // each line keeps its CRLF
    std::size_t fields = 0;
    bool first = true;
    while (!rest.empty()) {
        const std::size_t crlf = rest.find("\r\n");
        if (crlf == std::string_view::npos) return false;
        const std::string_view line = rest.substr(0, crlf);
        rest.remove_prefix(crlf + 2);
        if (line.size() + 2 > kMaxHeadLineBytes) return false;
        if (line.find_first_of("\r\n") != std::string_view::npos) return false;
        if (first) {
            if (!valid_request_line(line)) return false;
            first = false;
        } else {
            if (!valid_field_line(line)) return false;
            ++fields;
        }
    }
    return !first && fields <= limits.max_fields;
}

bool same(const HeadVerdict& a, const HeadVerdict& b) {
    return a.kind == b.kind && a.status == b.status && a.reason == b.reason;
}

void check(std::string_view bytes, std::string_view chunking, HeadLimits limits) {
    HeadScanner whole(limits);
    const HeadVerdict v = whole.feed(bytes);

    // The same bytes in chunks whose sizes the fuzzer picks.
    HeadScanner chunked(limits);
    std::size_t pos = 0;
    std::size_t k = 0;
    while (pos < bytes.size() && chunked.verdict().incomplete()) {
        const std::size_t n =
            chunking.empty() ? 1
                             : 1 + static_cast<unsigned char>(chunking[k++ % chunking.size()]) % 16;
        chunked.feed(bytes.substr(pos, n));
        pos += n;
    }
    FUZZ_CHECK(same(chunked.verdict(), v));
    FUZZ_CHECK(chunked.consumed() == whole.consumed());
    FUZZ_CHECK(chunked.fields() == whole.fields());

    const std::size_t blank = bytes.find("\r\n\r\n");
    if (v.complete()) {
        FUZZ_CHECK(blank != std::string_view::npos && whole.consumed() == blank + 4);
        FUZZ_CHECK(whole.fields() <= limits.max_fields);
    } else if (v.rejected()) {
        FUZZ_CHECK(v.status == 400 || v.status == 414 || v.status == 431);
        FUZZ_CHECK(!v.reason.empty());
    } else {
        FUZZ_CHECK(whole.consumed() == bytes.size());
    }
    if (blank != std::string_view::npos) {
        FUZZ_CHECK(v.complete() == reference_accepts(bytes.substr(0, blank + 4), limits));
    } else {
        FUZZ_CHECK(!v.complete());
    }
    // A rejected head stays rejected however it continues.
    if (v.rejected()) {
        FUZZ_CHECK(same(whole.feed("\r\n\r\n"), v));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first bytes choose the chunk sizes; the rest is the head.
    const std::string_view input = flightbook::fuzz::as_text(data, size);
    const std::size_t split =
        input.empty() ? 0 : std::min<std::size_t>(input.size(), 1 + data[0] % 4);
    const std::string_view chunking = input.substr(0, split);
    const std::string_view bytes = input.substr(split);
    check(bytes, chunking, HeadLimits{});
    check(bytes, chunking, HeadLimits{256, 4});
    return 0;
}
