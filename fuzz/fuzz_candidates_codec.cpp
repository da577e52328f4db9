// The search-cache codec (include/flightbook/search/candidates_codec.hpp):
// bytes read back from Redis, which another process (or an attacker with
// Redis access, or a half-written value) may have put there. Two halves:
//   * the bytes as an encoding: decoding anything is safe, and what decodes
//     re-encodes to bytes that decode to the same result;
//   * the bytes as a recipe for a SearchResult (FuzzedDataProvider):
//     decode(encode(x)) == x for values at every field's extremes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>

#include "flightbook/search/candidates_codec.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

SearchResult build(FuzzedDataProvider& in) {
    SearchResult r;
    r.total = in.ConsumeIntegral<int>();
    r.total_capped = in.ConsumeBool();
    const std::size_t paths = in.ConsumeIntegralInRange<std::size_t>(0, 8);
    for (std::size_t p = 0; p < paths && in.remaining_bytes() > 0; ++p) {
        Itinerary it;
        const std::size_t legs = in.ConsumeIntegralInRange<std::size_t>(0, 6);
        for (std::size_t l = 0; l < legs; ++l) {
            it.flights.push_back(FlightId{in.ConsumeIntegral<std::int64_t>()});
        }
        it.total_price = Money::from_cents(in.ConsumeIntegral<std::int64_t>());
        it.total_time_minutes = in.ConsumeIntegral<std::int64_t>();
        it.stops = in.ConsumeIntegral<int>();
        it.first_departure = from_unix_seconds(in.ConsumeIntegral<std::int64_t>());
        r.paths.push_back(std::move(it));
    }
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = fuzz::as_text(data, size);
    if (auto decoded = decode_candidates(bytes)) {
        FUZZ_CHECK(!bytes.empty() &&
                   static_cast<std::uint8_t>(bytes[0]) == kCandidatesFormatVersion);
        const std::string canonical = encode_candidates(*decoded);
        // Varints may be spelled with redundant continuation bytes, so the
        // canonical encoding is never longer than the input.
        FUZZ_CHECK(canonical.size() <= bytes.size());
        auto again = decode_candidates(canonical);
        FUZZ_CHECK(again.has_value() && *again == *decoded);
        FUZZ_CHECK(encode_candidates(*again) == canonical);
    } else {
        FUZZ_CHECK(decoded.error().code == ErrorCode::kInvalidArgument);
    }

    FuzzedDataProvider in(data, size);
    const SearchResult built = build(in);
    const std::string encoded = encode_candidates(built);
    auto round = decode_candidates(encoded);
    FUZZ_CHECK(round.has_value());
    FUZZ_CHECK(*round == built);
    // Every proper prefix is truncated, and so must be refused.
    const std::size_t cut = size == 0 ? 0 : data[0] % (encoded.size() + 1);
    if (cut < encoded.size()) FUZZ_CHECK(!decode_candidates(encoded.substr(0, cut)).has_value());
    return 0;
}
