// The search query parser (include/flightbook/search/query.hpp) behind
// GET /api/flights/search and the CLI. The input is a query string
// "name=value&name=value"; as on the server, the first value of a repeated
// name wins. Properties: an accepted query is within every documented
// range, and its canonical query string parses to the same query.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flightbook/search/query.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

using Params = std::vector<std::pair<std::string_view, std::string_view>>;

Params split_query(std::string_view text) {
    Params params;
    // Bounded like the server's own limits: a few hundred parameters at most.
    while (!text.empty() && params.size() < 512) {
        const std::size_t amp = text.find('&');
        const std::string_view part = text.substr(0, amp);
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos) {
            params.emplace_back(part, std::string_view{});
        } else {
            params.emplace_back(part.substr(0, eq), part.substr(eq + 1));
        }
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return params;
}

Result<SearchQuery> parse(const Params& params) {
    return parse_search_query([&](std::string_view name) -> std::optional<std::string_view> {
        for (const auto& [k, v] : params) {
            if (k == name) return v;
        }
        return std::nullopt;
    });
}

std::string canonical(const SearchQuery& q) {
    return "source=" + q.source.str() + "&destination=" + q.destination.str() +
           "&date=" + format_date(q.date) + "&seats=" + std::to_string(q.seats) +
           "&sort_by=" + std::string(to_string(q.sort_by)) +
           "&max_stops=" + std::to_string(q.max_stops) + "&limit=" + std::to_string(q.limit) +
           "&offset=" + std::to_string(q.offset);
}

bool is_upper_code(const AirportCode& code) {
    for (char c : code.view()) {
        if (c < 'A' || c > 'Z') return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Params params = split_query(fuzz::as_text(data, size));
    auto q = parse(params);
    if (!q) {
        FUZZ_CHECK(q.error().code == ErrorCode::kInvalidArgument);
        FUZZ_CHECK(!q.error().message.empty());
        return 0;
    }
    FUZZ_CHECK(is_upper_code(q->source) && is_upper_code(q->destination));
    FUZZ_CHECK(q->source != q->destination);
    FUZZ_CHECK(q->seats >= 1 && q->seats <= kMaxSeats);
    FUZZ_CHECK(q->max_stops >= 0 && q->max_stops <= kMaxStops);
    FUZZ_CHECK(q->limit >= 1 && q->limit <= kMaxLimit);
    FUZZ_CHECK(q->offset >= 0 && q->offset + q->limit <= kMaxPageEnd);

    const std::string text = canonical(*q);
    auto again = parse(split_query(text));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->source == q->source && again->destination == q->destination);
    FUZZ_CHECK(again->date == q->date && again->seats == q->seats);
    FUZZ_CHECK(again->sort_by == q->sort_by && again->max_stops == q->max_stops);
    FUZZ_CHECK(again->limit == q->limit && again->offset == q->offset);
    return 0;
}
