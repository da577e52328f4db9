#include "core/search/brute_force.hpp"

#include <algorithm>
#include <functional>

namespace flightbook::search {

BruteForceSearch::BruteForceSearch(std::vector<Flight> flights) : flights_(std::move(flights)) {
    for (const Flight& f : flights_) {
        departures_[f.source].push_back(&f);
        predecessors_[f.destination].push_back(f.source);
    }
    for (auto& [code, list] : departures_) {
        std::stable_sort(list.begin(), list.end(), [](const Flight* a, const Flight* b) {
            return a->departure_time < b->departure_time;
        });
    }
    for (auto& [code, list] : predecessors_) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
}

Result<SearchResult> BruteForceSearch::search(const SeatAvailability& seats, const SearchQuery& q,
                                              const SearchRules& rules,
                                              std::int64_t max_steps) const {
    FLIGHTBOOK_TRY_STATUS(validate(q));
    FLIGHTBOOK_TRY_STATUS(validate(rules));
    const std::chrono::seconds mct{std::int64_t{rules.mct_minutes} * 60};
    const std::chrono::seconds max_layover{std::int64_t{rules.max_layover_minutes} * 60};
    const UtcTime day_start{q.date};
    const UtcTime day_end = day_start + std::chrono::days{1};
    const int max_legs = q.max_stops + 1;

    // Fewest legs from each airport to the destination (breadth-first, backwards).
    std::map<AirportCode, int> hops{{q.destination, 0}};
    std::vector<AirportCode> frontier{q.destination};
    for (int h = 1; h <= max_legs && !frontier.empty(); ++h) {
        std::vector<AirportCode> next;
        for (const AirportCode& a : frontier) {
            auto preds = predecessors_.find(a);
            if (preds == predecessors_.end()) continue;
            for (const AirportCode& p : preds->second) {
                if (hops.emplace(p, h).second) next.push_back(p);
            }
        }
        frontier = std::move(next);
    }

    const auto keep = static_cast<std::size_t>(q.offset) + static_cast<std::size_t>(q.limit);
    auto worse = [&](const Itinerary& a, const Itinerary& b) {
        return itinerary_before(a, b, q.sort_by);
    };
    std::vector<Itinerary> best;  // max-heap on `worse`: the worst kept is in front
    std::int64_t count = 0;
    std::int64_t steps = 0;
    bool exhausted = false;
    std::vector<const Flight*> path;

    std::function<void(const AirportCode&)> walk = [&](const AirportCode& at) {
        if (at == q.destination) {
            ++count;
            Itinerary it;
            Money price;
            for (const Flight* f : path) {
                it.flights.push_back(f->id);
                price += f->price;
            }
            it.total_price = price;
            it.first_departure = path.front()->departure_time;
            it.total_time_minutes =
                (path.back()->arrival_time - path.front()->departure_time).count() / 60;
            it.stops = static_cast<int>(path.size()) - 1;
            if (best.size() < keep) {
                best.push_back(std::move(it));
                std::push_heap(best.begin(), best.end(), worse);
            } else if (worse(it, best.front())) {
                std::pop_heap(best.begin(), best.end(), worse);
                best.back() = std::move(it);
                std::push_heap(best.begin(), best.end(), worse);
            }
            return;
        }
        auto h = hops.find(at);
        if (h == hops.end() || static_cast<int>(path.size()) + h->second > max_legs) return;
        auto found = departures_.find(at);
        if (found == departures_.end()) return;
        const auto& deps = found->second;
        const UtcTime lo = path.empty() ? day_start : path.back()->arrival_time + mct;
        const UtcTime hi = path.empty() ? day_end - std::chrono::seconds{1}
                                        : path.back()->arrival_time + max_layover;
        auto it = std::lower_bound(deps.begin(), deps.end(), lo, [](const Flight* f, UtcTime t) {
            return f->departure_time < t;
        });
        for (; it != deps.end() && (*it)->departure_time <= hi && !exhausted; ++it) {
            const Flight* f = *it;
            if (max_steps > 0 && ++steps > max_steps) {
                exhausted = true;
                return;
            }
            // No airport twice: not the source, not any stop so far.
            bool seen = f->destination == q.source;
            for (const Flight* p : path) seen = seen || p->destination == f->destination;
            if (seen) continue;
            if (seats.available_seats(f->id) < q.seats) continue;
            path.push_back(f);
            walk(f->destination);
            path.pop_back();
        }
    };
    walk(q.source);
    if (exhausted) {
        return fail(ErrorCode::kResourceExhausted, "brute-force search gave up (step budget)");
    }

    std::sort_heap(best.begin(), best.end(), worse);
    SearchResult out;
    out.total = static_cast<int>(std::min<std::int64_t>(count, kTotalCap));
    out.total_capped = count > kTotalCap;
    for (std::size_t i = static_cast<std::size_t>(q.offset); i < best.size(); ++i) {
        out.paths.push_back(std::move(best[i]));
    }
    return out;
}

}  // namespace flightbook::search
