// FlightService::search: the page of an exact search, checked against live
// seat counts, cut from a cached route list when there is one (ADR 0009).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "flightbook/flights/flight_service.hpp"

namespace flightbook::flights {
namespace {

// Search again (or look further down a cached list) at most this many times
// when live counts show that a leg on the page has meanwhile sold out. Each
// round reads only legs it has not read yet (the others are fresh), so a page
// runs out of stale legs quickly; after the last round, itineraries that are
// sold out or not checked are dropped and `total` is lowered by as many.
constexpr int kVerifyRounds = 8;

// How far beyond the page a cached list reaches, so that itineraries that
// sell out are replaced from the list without searching again. A deeper list
// costs more on every miss (docs/benchmarks.md, "Search cache"), and a list
// that runs out is simply computed again, so the margin is a quarter.
int list_depth(int page_end) {
    return std::min(search::kMaxLimit, page_end + std::max(5, page_end / 4));
}

}  // namespace

void FlightService::refresh_counts(const Snapshot& snap, std::vector<FlightId> legs) {
    std::sort(legs.begin(), legs.end());
    legs.erase(std::unique(legs.begin(), legs.end()), legs.end());
    if (legs.empty()) return;
    // The seat store being down degrades to the mirror's counts: a search
    // answer is advisory, the hold is what sells the seat.
    const auto now = clock_.steady_now();
    if (auto counts = seats_.availability_many(legs)) {
        for (const SeatCounts& c : *counts) snap.seats->set(c.flight_id, c.available, now);
    }
}

Result<SearchAnswer> FlightService::search(const search::SearchQuery& query) {
    Snapshot snap = snapshot();
    if (!snap.timetable) {
        return fail(ErrorCode::kUnavailable, "the flight schedule is not loaded yet");
    }
    if (auto valid = search::validate(query); !valid) {
        if (searches_) searches_->with({"invalid"}).inc();
        return fail(std::move(valid).error());
    }
    // Deep pages (beyond what one list holds) and the bare engine's
    // benchmark mode are searched directly.
    const bool cached = cache_.enabled() && options_.verify_page_seats &&
                        query.offset + query.limit <= search::kMaxLimit;
    auto answer = cached ? search_cached(snap, query) : search_uncached(snap, query);
    if (searches_) searches_->with({answer ? "ok" : "invalid"}).inc();
    return answer;
}

Result<SearchAnswer> FlightService::search_uncached(const Snapshot& snap,
                                                    const search::SearchQuery& query) {
    for (int round = 1;; ++round) {
        FLIGHTBOOK_TRY(found, search::find_itineraries(*snap.timetable, *snap.seats, query,
                                                       options_.rules, snap.index.get()));
        SearchAnswer answer{std::move(found), snap.timetable, snap.seats};
        if (!options_.verify_page_seats) return answer;

        // The legs whose counts are older than the freshness bound, and that
        // the seat-change feed does not vouch for, are read again; the others
        // are as live as SPEC §5 asks.
        const auto fresh_since = clock_.steady_now() - options_.seat_freshness;
        const bool always = options_.seat_freshness.count() == 0;
        const auto feed_session = always ? std::nullopt : feed_.vouch_window(fresh_since);
        std::vector<FlightId> legs;
        for (const auto& path : answer.result.paths) {
            for (FlightId id : path.flights) {
                if (always || !recent_enough(*snap.seats, id, fresh_since, feed_session)) {
                    legs.push_back(id);
                }
            }
        }
        count_store_reads(legs.size());
        refresh_counts(snap, std::move(legs));
        const auto sold_out = [&](const search::Itinerary& it) {
            return std::any_of(it.flights.begin(), it.flights.end(), [&](FlightId id) {
                return snap.seats->available_seats(id) < query.seats;
            });
        };
        auto& paths = answer.result.paths;
        if (std::none_of(paths.begin(), paths.end(), sold_out)) return answer;
        if (round == kVerifyRounds) {
            const auto dropped = std::erase_if(paths, sold_out);
            if (!answer.result.total_capped) answer.result.total -= static_cast<int>(dropped);
            return answer;
        }
    }
}

std::optional<search::SearchResult> FlightService::cut_page(const Snapshot& snap,
                                                            const RouteList& list,
                                                            const search::SearchQuery& query) {
    const auto page_end = static_cast<std::size_t>(query.offset + query.limit);
    const bool always = options_.seat_freshness.count() == 0;
    const auto enough = [&](FlightId id) { return snap.seats->available_seats(id) >= query.seats; };
    // Legs read from the store during this call: fresh whatever the bound.
    std::vector<FlightId> read;
    const auto fresh_since = clock_.steady_now() - options_.seat_freshness;
    const auto feed_session = always ? std::nullopt : feed_.vouch_window(fresh_since);
    const auto fresh = [&](FlightId id) {
        return std::binary_search(read.begin(), read.end(), id) ||
               (!always && recent_enough(*snap.seats, id, fresh_since, feed_session));
    };
    std::vector<const search::Itinerary*> kept;
    int dropped = 0;
    for (int round = 1;; ++round) {
        // Walk the list best first until the page is full, skipping
        // itineraries on a leg known to be short of seats; the legs of the
        // kept ones that are older than the bound are read again (one round
        // trip), and the walk starts over with the new counts. After the last
        // round, an itinerary not checked is not shown (it counts as dropped,
        // like a sold-out one).
        const bool last = round > kVerifyRounds;
        kept.clear();
        dropped = 0;
        std::vector<FlightId> stale;
        for (const auto& it : list.routes.paths) {
            if (kept.size() == page_end) break;
            const bool has_seats = std::all_of(it.flights.begin(), it.flights.end(), enough);
            const bool checked = !last || std::all_of(it.flights.begin(), it.flights.end(), fresh);
            if (!has_seats || !checked) {
                ++dropped;
                continue;
            }
            kept.push_back(&it);
            for (FlightId id : it.flights) {
                if (!fresh(id)) stale.push_back(id);
            }
        }
        if (stale.empty() || last) break;
        count_store_reads(stale.size());
        read.insert(read.end(), stale.begin(), stale.end());
        std::sort(read.begin(), read.end());
        read.erase(std::unique(read.begin(), read.end()), read.end());
        refresh_counts(snap, std::move(stale));
    }
    if (kept.size() < page_end && !list.complete()) return std::nullopt;  // list ran short

    search::SearchResult page;
    page.total_capped = list.routes.total_capped;
    page.total = list.routes.total_capped ? list.routes.total : list.routes.total - dropped;
    for (std::size_t i = static_cast<std::size_t>(query.offset); i < kept.size(); ++i) {
        page.paths.push_back(*kept[i]);
    }
    return page;
}

Result<SearchAnswer> FlightService::search_cached(const Snapshot& snap,
                                                  const search::SearchQuery& query) {
    const int page_end = query.offset + query.limit;
    const int depth = list_depth(page_end);
    const RouteCache::Key key{
        snap.generation,
        fmt::format("v{}:{}:{}:{}:{}:{}:{}:{}:{}", snap.version, query.source.view(),
                    query.destination.view(), format_date(query.date), query.seats,
                    search::to_string(query.sort_by), query.max_stops, options_.rules.mct_minutes,
                    options_.rules.max_layover_minutes)};
    const RouteCache::Compute compute = [&](int d) {
        search::SearchQuery top = query;
        top.offset = 0;
        top.limit = d;
        return search::find_itineraries(*snap.timetable, *snap.seats, top, options_.rules,
                                        snap.index.get());
    };
    FLIGHTBOOK_TRY(found, cache_.find(key, page_end, depth, *snap.seats, query.seats, compute));
    if (auto page = cut_page(snap, *found.list, query)) {
        return SearchAnswer{std::move(*page), snap.timetable, snap.seats};
    }
    // Too many itineraries of the list sold out to fill the page: compute
    // the list again over the counts just read, and keep it.
    FLIGHTBOOK_TRY(fresh, cache_.compute_list(depth, *snap.seats, query.seats, compute));
    cache_.store(key, fresh);
    if (auto page = cut_page(snap, *fresh, query)) {
        return SearchAnswer{std::move(*page), snap.timetable, snap.seats};
    }
    // Seats are selling out faster than pages can be checked: the exact
    // search with its own rounds answers.
    return search_uncached(snap, query);
}

}  // namespace flightbook::flights
