#include "flightbook/search/candidates_codec.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <limits>

namespace flightbook::search {

namespace {

// The fewest bytes an encoded itinerary can take: five one-byte varints
// (leg count 0, price, duration, stops, departure). Bounds the reservations
// made for a count read from untrusted input.
constexpr std::size_t kMinPathBytes = 5;

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void put_signed(std::string& out, std::int64_t v) {
    // Zigzag: small magnitudes of either sign take few bytes.
    const auto u = static_cast<std::uint64_t>(v);
    put_varint(out, (u << 1) ^ (v < 0 ? ~std::uint64_t{0} : 0));
}

Unexpected malformed(std::string_view what) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("cached search result: {}", what));
}

// Reads from a byte range; every read checks the bounds.
class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}

    [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - pos_; }

    Result<std::uint8_t> byte(std::string_view field) {
        if (pos_ >= bytes_.size()) return malformed(fmt::format("truncated at {}", field));
        return static_cast<std::uint8_t>(bytes_[pos_++]);
    }

    Result<std::uint64_t> varint(std::string_view field) {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= bytes_.size()) return malformed(fmt::format("truncated at {}", field));
            const auto b = static_cast<std::uint8_t>(bytes_[pos_++]);
            // The tenth byte holds bit 63 only.
            if (shift == 63 && b > 1) return malformed(fmt::format("{} overflows", field));
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
        return malformed(fmt::format("{} overflows", field));
    }

    Result<std::int64_t> signed_varint(std::string_view field) {
        FLIGHTBOOK_TRY(u, varint(field));
        return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
    }

    Result<int> int32(std::string_view field) {
        FLIGHTBOOK_TRY(v, signed_varint(field));
        if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
            return malformed(fmt::format("{} out of range", field));
        }
        return static_cast<int>(v);
    }

    // A list length that the remaining bytes can hold at `min_bytes` per item.
    Result<std::size_t> count(std::string_view field, std::size_t min_bytes) {
        FLIGHTBOOK_TRY(n, varint(field));
        if (n > remaining() / min_bytes) return malformed(fmt::format("truncated in {}", field));
        return static_cast<std::size_t>(n);
    }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

Result<Itinerary> read_itinerary(Reader& in) {
    Itinerary it;
    FLIGHTBOOK_TRY(legs, in.count("leg count", 1));
    it.flights.reserve(legs);
    for (std::size_t i = 0; i < legs; ++i) {
        FLIGHTBOOK_TRY(id, in.signed_varint("flight id"));
        it.flights.emplace_back(id);
    }
    FLIGHTBOOK_TRY(cents, in.signed_varint("total_price"));
    it.total_price = Money::from_cents(cents);
    FLIGHTBOOK_TRY(minutes, in.signed_varint("total_time_minutes"));
    it.total_time_minutes = minutes;
    FLIGHTBOOK_TRY(stops, in.int32("stops"));
    it.stops = stops;
    FLIGHTBOOK_TRY(departure, in.signed_varint("first_departure"));
    it.first_departure = from_unix_seconds(departure);
    return it;
}

}  // namespace

std::string encode_candidates(const SearchResult& result) {
    std::string out;
    out.reserve(8 + result.paths.size() * 16);
    out.push_back(static_cast<char>(kCandidatesFormatVersion));
    put_signed(out, result.total);
    out.push_back(result.total_capped ? '\1' : '\0');
    put_varint(out, result.paths.size());
    for (const Itinerary& it : result.paths) {
        put_varint(out, it.flights.size());
        for (FlightId id : it.flights) put_signed(out, id.value());
        put_signed(out, it.total_price.cents());
        put_signed(out, it.total_time_minutes);
        put_signed(out, it.stops);
        put_signed(out, to_unix_seconds(it.first_departure));
    }
    return out;
}

Result<SearchResult> decode_candidates(std::string_view bytes) {
    Reader in(bytes);
    FLIGHTBOOK_TRY(version, in.byte("format version"));
    if (version != kCandidatesFormatVersion) {
        return malformed(fmt::format("unsupported format version {}", version));
    }
    SearchResult result;
    FLIGHTBOOK_TRY(total, in.int32("total"));
    result.total = total;
    FLIGHTBOOK_TRY(capped, in.byte("total_capped"));
    if (capped > 1) return malformed("total_capped is not 0 or 1");
    result.total_capped = capped == 1;
    FLIGHTBOOK_TRY(paths, in.count("path count", kMinPathBytes));
    result.paths.reserve(paths);
    for (std::size_t i = 0; i < paths; ++i) {
        FLIGHTBOOK_TRY(it, read_itinerary(in));
        result.paths.push_back(std::move(it));
    }
    if (in.remaining() != 0) return malformed("trailing bytes");
    return result;
}

}  // namespace flightbook::search
