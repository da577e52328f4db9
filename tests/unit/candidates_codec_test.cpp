// The cached form of a SearchResult: exact round trips on real answers and on
// extreme values, and a clean kInvalidArgument (never a crash) for every
// truncated, extended or corrupted encoding.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "flightbook/search/candidates_codec.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using search::decode_candidates;
using search::encode_candidates;
using search::Itinerary;
using search::SearchResult;

namespace {

struct World {
    std::shared_ptr<const search::Timetable> timetable =
        search::Timetable::build(reference_flights()).value();
    search::TimetableSeatAvailability seats{timetable};

    SearchResult run(const search::SearchQuery& q) const {
        return search::find_itineraries(*timetable, seats, q).value();
    }
};

void check_round_trip(const SearchResult& r) {
    const std::string bytes = encode_candidates(r);
    REQUIRE(!bytes.empty());
    CHECK(static_cast<std::uint8_t>(bytes[0]) == search::kCandidatesFormatVersion);
    auto back = decode_candidates(bytes);
    REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
    CHECK(back->total == r.total);
    CHECK(back->total_capped == r.total_capped);
    REQUIRE(back->paths.size() == r.paths.size());
    for (std::size_t i = 0; i < r.paths.size(); ++i) {
        const Itinerary& a = back->paths[i];
        const Itinerary& b = r.paths[i];
        CHECK(a.flights == b.flights);
        CHECK(a.total_price == b.total_price);
        CHECK(a.total_time_minutes == b.total_time_minutes);
        CHECK(a.stops == b.stops);
        CHECK(a.first_departure == b.first_departure);
    }
    CHECK(*back == r);
}

void check_every_prefix_fails(const std::string& bytes) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto r = decode_candidates(std::string_view(bytes).substr(0, n));
        REQUIRE_FALSE_MESSAGE(r, "a prefix of " << n << " bytes decoded");
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
}

Itinerary itinerary(std::vector<std::int64_t> legs, std::int64_t cents, std::int64_t minutes,
                    std::int64_t departure) {
    Itinerary it;
    for (std::int64_t id : legs) it.flights.emplace_back(id);
    it.total_price = Money::from_cents(cents);
    it.total_time_minutes = minutes;
    it.stops = static_cast<int>(legs.size()) - 1;
    it.first_departure = from_unix_seconds(departure);
    return it;
}

}  // namespace

TEST_CASE("candidates codec: every answer of the reference schedule round-trips") {
    World w;
    const std::vector<std::string> airports{"DEL", "BOM", "BLR", "HYD", "CCU"};
    int non_empty = 0;
    for (const auto& from : airports) {
        for (const auto& to : airports) {
            if (from == to) continue;
            for (auto sort : {search::SortBy::kCheapest, search::SortBy::kFastest}) {
                auto q = query(from, to, 2);
                q.sort_by = sort;
                const SearchResult r = w.run(q);
                if (!r.paths.empty()) ++non_empty;
                INFO(from << "->" << to);
                check_round_trip(r);
            }
        }
    }
    CHECK(non_empty > 10);

    // The multi-leg answers: DEL->BLR has one-stop paths, HYD->BOM two-stop ones.
    const SearchResult del_blr = w.run(query("DEL", "BLR", 2));
    REQUIRE(del_blr.paths.size() == 5);
    check_round_trip(del_blr);
    check_every_prefix_fails(encode_candidates(del_blr));
    const SearchResult hyd_bom = w.run(query("HYD", "BOM", 2));
    REQUIRE(hyd_bom.paths.at(0).flights.size() == 3);
    check_round_trip(hyd_bom);
    check_every_prefix_fails(encode_candidates(hyd_bom));
    // Compact: a few bytes per leg and field.
    CHECK(encode_candidates(del_blr).size() < 100);
}

TEST_CASE("candidates codec: the empty answer round-trips and is a few bytes") {
    const SearchResult empty;
    check_round_trip(empty);
    CHECK(encode_candidates(empty).size() == 4);
    check_every_prefix_fails(encode_candidates(empty));
}

TEST_CASE("candidates codec: a capped total and extreme values round-trip") {
    SearchResult capped;
    capped.total = search::kTotalCap;
    capped.total_capped = true;
    capped.paths.push_back(itinerary({1, 2, 3, 4}, 2'530'000, 690, 1'707'984'000));
    check_round_trip(capped);
    check_every_prefix_fails(encode_candidates(capped));

    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    SearchResult extreme;
    extreme.total = std::numeric_limits<int>::min();
    extreme.paths.push_back(itinerary({kMin, kMax, 0, -1}, kMin, kMax, kMin));
    extreme.paths.push_back(itinerary({}, kMax, kMin, kMax));  // no legs: stops = -1
    extreme.paths.back().stops = std::numeric_limits<int>::max();
    extreme.paths.push_back(itinerary({63, 64, -64, -65, 8191, 8192}, -1, 0, -86'400));
    check_round_trip(extreme);
    check_every_prefix_fails(encode_candidates(extreme));

    extreme.total = std::numeric_limits<int>::max();
    extreme.total_capped = true;
    check_round_trip(extreme);

    // A full page of 100 itineraries (the largest `limit`).
    SearchResult page;
    page.total = 999;
    for (int i = 0; i < 100; ++i) {
        page.paths.push_back(
            itinerary({i + 1, i + 1000}, 1'000'000 + i, 120 + i, 1'707'984'000 + 60LL * i));
    }
    check_round_trip(page);
}

TEST_CASE("candidates codec: wrong versions, trailing bytes and malformed fields are refused") {
    SearchResult r;
    r.total = 2;
    r.paths.push_back(itinerary({7, 9}, 1'500'000, 270, 1'707'980'400));
    const std::string good = encode_candidates(r);

    auto expect_invalid = [](std::string_view bytes) {
        auto d = decode_candidates(bytes);
        REQUIRE_FALSE(d);
        CHECK(d.error().code == ErrorCode::kInvalidArgument);
    };
    expect_invalid(good + '\0');  // trailing bytes

    std::string other_version = good;
    other_version[0] = static_cast<char>(search::kCandidatesFormatVersion + 1);
    expect_invalid(other_version);
    expect_invalid(std::string(1, '\0'));

    std::string bad_flag = good;
    bad_flag[2] = '\2';  // total_capped: one byte after the one-byte total
    expect_invalid(bad_flag);

    // A varint longer than 64 bits.
    expect_invalid(std::string("\1") + std::string(11, '\xff'));
    expect_invalid(std::string("\1") + std::string(9, '\xff') + '\2');
    // A total beyond int.
    {
        std::string big("\1");
        big += std::string(4, '\xff') + '\x7f';  // zigzag 2^35 - 1
        big += std::string("\0\0", 2);
        expect_invalid(big);
    }
    // Counts far beyond the input: refused before anything is allocated.
    {
        std::string huge_paths("\1\0\0", 3);
        huge_paths += std::string(9, '\xff') + '\1';
        expect_invalid(huge_paths);
        std::string huge_legs("\1\2\0\1", 4);
        huge_legs += std::string(8, '\xff') + '\x7f';
        expect_invalid(huge_legs);
    }
}

TEST_CASE("candidates codec: any single corrupted byte decodes or fails, never crashes") {
    World w;
    const std::string good = encode_candidates(w.run(query("DEL", "BLR", 2)));
    int failures = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (int b = 0; b < 256; ++b) {
            std::string bytes = good;
            bytes[i] = static_cast<char>(b);
            auto d = decode_candidates(bytes);
            if (!d) {
                ++failures;
                CHECK(d.error().code == ErrorCode::kInvalidArgument);
            } else {
                // Whatever decodes encodes back to the same bytes or to a
                // shorter canonical form of the same value.
                CHECK(decode_candidates(encode_candidates(*d)).value() == *d);
            }
        }
    }
    CHECK(failures > 0);
}
