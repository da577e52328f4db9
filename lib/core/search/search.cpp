// Exact search: depth-first enumeration in rounds of increasing leg count,
// pruned by (1) per-query reverse reachability from the destination ("legs
// still needed"), (2) binary-searched departure windows per route for the
// MCT / max-layover rule, (3) time-aware feasibility of a leg (can the
// destination still be reached in time with the legs left? memoized per leg
// and query), and (4) once `total` is known to be capped, lower bounds on
// price and duration against the K-th best itinerary found so far.
// Every pruning rule only drops branches that provably cannot change the
// page, so the answer equals brute-force enumeration (tests check this).
// With a `CompletionIndex` (issue 13), `total` is counted first from the
// index (first legs enumerated, last two legs counted by window), and the
// page search then prunes by bound from the first full heap.
#include "flightbook/search/search.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include "core/search/itinerary_key.hpp"
#include "flightbook/search/completion_index.hpp"

namespace flightbook::search {
namespace {

constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;
constexpr std::int64_t kDaySeconds = 86'400;
// Above this many two-leg windows counted without reaching the cap, the
// rounds count instead (their enumeration is then cheaper; docs/benchmarks.md).
constexpr std::int64_t kMaxIndexWindows = 4'000;

// Per-airport lower bounds towards the destination of the current query.
// `stamp` says which query wrote the entry, so the arrays are never cleared.
struct AirportBounds {
    std::int64_t price1 = 0;   // cheapest one-leg price to the destination
    std::int64_t price2 = 0;   // cheapest two-leg price
    std::int64_t time1 = 0;    // shortest one-leg block time (seconds)
    std::int64_t time2 = 0;    // shortest two-leg time incl. one MCT
    std::uint32_t stamp3 = 0;  // price3/time3/reach3 computed in this query
    bool reach3 = false;       // a three-leg path to the destination may exist
    std::int64_t price3 = 0;
    std::int64_t time3 = 0;
    RouteIndex to_destination = 0;  // the route to the destination (valid with stamp1)
    std::uint32_t via_stamp = 0;    // via_begin/via_end built in this query
    std::uint32_t via_begin = 0;    // the "via" list: scratch.via[via_begin, via_end)
    std::uint32_t via_end = 0;
    // What the last two-leg feasibility check at this airport learned: no
    // "good" departure (one that still reaches the destination with one more
    // leg) in [free_from, free_until), and free_until is good when `good`.
    std::uint32_t stamp_free = 0;
    bool good = false;
    std::int64_t free_from = 0;
    std::int64_t free_until = 0;
};

// Per-airport reachability of the destination, stamped with the query epoch
// (one- and two-leg): kept apart from AirportBounds so that the many checks
// read a small, cache-resident array.
struct Reach {
    std::uint32_t stamp1 = 0;  // a route to the destination exists
    std::uint32_t stamp2 = 0;  // a two-leg path to the destination exists
};

struct Scratch {
    const Timetable* timetable = nullptr;
    std::uint32_t epoch = 0;
    std::vector<AirportBounds> bounds;
    std::vector<Reach> reach;
    // Per leg: 2 * epoch + answer once "this leg can still reach the
    // destination with exactly two more legs" was computed in this query.
    // f1: the same for "one more leg" (a departure to the destination in the
    // window). Both memos of a leg share a cache line.
    struct Memo {
        std::uint32_t f1 = 0;
        std::uint32_t f2 = 0;
    };
    std::vector<Memo> feasible;
    // Per query, for each airport c asked for (lazily): the routes c -> d
    // where d has a route to the destination and is not the source.
    std::vector<const Route*> via;
    std::vector<Candidate> heap;
    // Per airport b, the completion-index node (destination, b) of this query.
    struct NodeMemo {
        std::uint32_t stamp = 0;
        CompletionIndex::Node node;
    };
    std::vector<NodeMemo> nodes;
    // Per leg L2 (a -> b): the itineraries that continue it with two more
    // legs, counted in this query (stamp = epoch). The count depends on L2
    // alone (its window, b, and the stops to avoid: the source and a), and
    // many first legs share the same second legs.
    struct CountMemo {
        std::uint32_t stamp = 0;
        std::uint32_t count = 0;
    };
    std::vector<CountMemo> counts;  // indexed by position in the by-time departures
    // Per airport a: the sum of the terms of a's departures [begin, end),
    // the last window of second legs summed at a in this query.
    struct SlidingSum {
        std::uint32_t stamp = 0;
        std::uint32_t begin = 0;
        std::uint32_t end = 0;
        std::uint64_t sum = 0;
    };
    std::vector<SlidingSum> sliding;
    // The first legs' routes of one round, with their bounds (page search).
    std::vector<std::pair<std::int64_t, const Route*>> first_routes;
    // The last seat floors checked against this timetable, and the answer.
    const SeatFloors* floors = nullptr;
    bool floors_match = false;
};

Scratch& scratch_for(const Timetable& t) {
    thread_local Scratch s;
    if (s.timetable != &t || s.bounds.size() != t.airport_count() ||
        s.feasible.size() != t.leg_count() || s.epoch >= 0x7FFFFFFEu) {
        s.timetable = &t;
        s.bounds.assign(t.airport_count(), AirportBounds{});
        s.reach.assign(t.airport_count(), Reach{});
        s.feasible.assign(t.leg_count(), Scratch::Memo{});
        s.nodes.assign(t.airport_count(), Scratch::NodeMemo{});
        s.counts.assign(t.leg_count(), Scratch::CountMemo{});
        s.sliding.assign(t.airport_count(), Scratch::SlidingSum{});
        s.floors = nullptr;
        s.epoch = 0;
    }
    ++s.epoch;
    s.heap.clear();
    s.via.clear();
    return s;
}

class Searcher {
public:
    Searcher(const Timetable& t, const SeatAvailability& seats, const SearchQuery& q,
             const SearchRules& rules, Scratch& scratch, AirportIndex src, AirportIndex dst)
        : t_(t),
          seats_(seats),
          q_(q),
          scratch_(scratch),
          bounds_(scratch.bounds.data()),
          reach_(scratch.reach.data()),
          epoch_(scratch.epoch),
          src_(src),
          dst_(dst),
          mct_(std::int64_t{rules.mct_minutes} * 60),
          max_layover_(std::int64_t{rules.max_layover_minutes} * 60),
          k_(static_cast<std::size_t>(q.offset + q.limit)),
          time_base_(t.time_base()),
          day_start_(to_unix_seconds(UtcTime{q.date}) - time_base_),
          dep_(t.departures()),
          leg_(t.legs()),
          by_time_base_(t.airport_count() > 0 ? t.departures_from(0).data() : nullptr) {}

    // Counts with `index` (when the result is exact, see count_with_index)
    // before the page search.
    void use_index(const CompletionIndex* index, const SeatFloors* floors) {
        index_ = index;
        floors_ = floors;
    }

    SearchResult run() {
        compute_bounds();
        visited_[0] = src_;
        if (index_ != nullptr) count_known_ = count_with_index();
        const int max_legs = q_.max_stops + 1;
        for (int legs = 1; legs <= max_legs; ++legs) {
            legs_ = legs;
            switch (legs) {
                case 1: expand<1, 0>(src_, 0, 0); break;
                case 2: expand<2, 0>(src_, 0, 0); break;
                case 3: expand<3, 0>(src_, 0, 0); break;
                default: expand<4, 0>(src_, 0, 0); break;
            }
        }
        return finish();
    }

private:
    // ---- Counting with the completion index (docs/search.md) ----------------

    bool seat_ok(LegIndex l) const {
        return seats_.available_seats(FlightId{leg_[l].id}) >= q_.seats;
    }

    // Legs of route `r` departing in [lo, hi] (seats not checked).
    std::pair<LegIndex, LegIndex> route_window(const Route& r, std::int64_t lo,
                                               std::int64_t hi) const {
        const std::int32_t* a = std::lower_bound(dep_ + r.first_leg, dep_ + r.end_leg, lo);
        const std::int32_t* b = std::upper_bound(a, dep_ + r.end_leg, hi);
        return {static_cast<LegIndex>(a - dep_), static_cast<LegIndex>(b - dep_)};
    }

    // Itineraries ... -> a -> destination whose last leg departs in [lo, hi].
    std::uint64_t one_leg(AirportIndex a, std::int64_t lo, std::int64_t hi) {
        const auto [first, last] = route_window(t_.route(bounds_[a].to_destination), lo, hi);
        if (arrivals_ok_) return last - first;
        std::uint64_t n = 0;
        for (LegIndex l = first; l < last; ++l) n += seat_ok(l) ? 1U : 0U;
        return n;
    }

    // Two-leg completions b -> x -> destination through x = `via_airport`,
    // first leg departing in [lo, hi], seats not checked: what the index
    // counted for that middle stop.
    std::uint64_t through(AirportIndex b, AirportIndex via_airport, std::int64_t lo,
                          std::int64_t hi) {
        if (reach_[via_airport].stamp1 != epoch_) return 0;
        const auto to = t_.route_destinations_from(b);
        const auto it = std::lower_bound(to.begin(), to.end(), via_airport);
        if (it == to.end() || *it != via_airport) return 0;
        const Route& bx = t_.routes_from(b)[static_cast<std::size_t>(it - to.begin())];
        const Route& xd = t_.route(bounds_[via_airport].to_destination);
        const auto [first, last] = route_window(bx, lo, hi);
        std::uint64_t n = 0;
        for (LegIndex l = first; l < last; ++l) {
            const auto [f2, l2] =
                route_window(xd, leg_[l].arrival + mct_, leg_[l].arrival + max_layover_);
            n += l2 - f2;
        }
        return n;
    }

    // Itineraries ... -> b -> x -> destination whose leg from b departs in
    // [lo, hi], with x neither the source nor `other` (the stop before b,
    // or the source again for three-leg itineraries).
    std::uint64_t two_legs(AirportIndex b, std::int64_t lo, std::int64_t hi, AirportIndex other) {
        if (arrivals_ok_ && floors_->departures_have(b, q_.seats)) {
            // Every leg out of b and into the destination has the seats: the
            // index count is exact up to the revisits it cannot see, which
            // are exactly the completions through the source or `other`.
            Scratch::NodeMemo& memo = scratch_.nodes[b];
            if (memo.stamp != epoch_) {
                memo.stamp = epoch_;
                memo.node = index_->node(dst_, b);
            }
            std::uint64_t n = index_->count(memo.node, lo, hi);
            if (n == 0) return 0;
            n -= through(b, src_, lo, hi);
            if (other != src_) n -= through(b, other, lo, hi);
            return n;
        }
        // Otherwise leg by leg, seats checked.
        std::uint64_t n = 0;
        const auto times = t_.departure_times_from(b);
        const auto legs = t_.departures_from(b);
        const auto to = t_.departure_destinations_from(b);
        std::size_t i = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), lo) -
                                                 times.begin());
        for (; i < times.size() && times[i] <= hi; ++i) {
            const AirportIndex x = to[i];
            if (x == dst_ || x == src_ || x == other || reach_[x].stamp1 != epoch_) continue;
            if (!seat_ok(legs[i])) continue;
            const LegInfo& l = leg_[legs[i]];
            const auto [f2, l2] = route_window(t_.route(bounds_[x].to_destination),
                                               l.arrival + mct_, l.arrival + max_layover_);
            for (LegIndex m = f2; m < l2; ++m) n += seat_ok(m) ? 1U : 0U;
        }
        return n;
    }

    // The four-leg itineraries continuing with a second leg L2 from `a`
    // (position `j` in a's departures by time): the memoized term of L2.
    std::uint64_t second_leg_term(AirportIndex a, std::size_t j, bool a_floor_ok,
                                  std::int64_t& windows) {
        const std::size_t pos = by_time_pos(a) + j;
        Scratch::CountMemo& memo = scratch_.counts[pos];
        if (memo.stamp == epoch_) return memo.count;
        memo.stamp = epoch_;
        memo.count = 0;
        const LegIndex l = t_.departures_from(a)[j];
        const AirportIndex b = leg_[l].to;
        if (b == dst_ || b == src_ || reach_[b].stamp2 != epoch_) return 0;
        if (!(a_floor_ok || seat_ok(l))) return 0;
        ++windows;
        // At most kTotalCap + 1 matter; more would not fit 32 bits.
        memo.count = static_cast<std::uint32_t>(std::min<std::uint64_t>(
            two_legs(b, leg_[l].arrival + mct_, leg_[l].arrival + max_layover_, a), kTotalCap + 1));
        return memo.count;
    }

    std::size_t by_time_pos(AirportIndex a) const {
        return static_cast<std::size_t>(t_.departures_from(a).data() - by_time_base_);
    }

    // Σ of second_leg_term over the departures from `a` in [lo, hi]. First
    // legs come in departure order, so the windows at one airport mostly
    // slide forward: the sum of the previous window at `a` is adjusted at
    // both ends instead of being summed again (each term once per query).
    // Stops adding once `total_before` plus the sum passes kTotalCap (the
    // window state stays consistent: its sum covers [begin, end)).
    std::uint64_t second_legs(AirportIndex a, std::int64_t lo, std::int64_t hi,
                              std::uint64_t total_before, std::int64_t& windows) {
        const auto times = t_.departure_times_from(a);
        const bool a_floor_ok = floors_->departures_have(a, q_.seats);
        const auto jl = static_cast<std::uint32_t>(
            std::lower_bound(times.begin(), times.end(), lo) - times.begin());
        const auto jh = static_cast<std::uint32_t>(
            std::upper_bound(times.begin() + jl, times.end(), hi) - times.begin());
        Scratch::SlidingSum& w = scratch_.sliding[a];
        if (w.stamp != epoch_ || jl < w.begin || jl > w.end || jh < w.end) {
            w.stamp = epoch_;
            w.begin = jl;
            w.end = jl;
            w.sum = 0;
        }
        for (; w.begin < jl; ++w.begin) w.sum -= second_leg_term(a, w.begin, a_floor_ok, windows);
        for (; w.end < jh && total_before + w.sum <= kTotalCap; ++w.end) {
            w.sum += second_leg_term(a, w.end, a_floor_ok, windows);
        }
        return w.sum;
    }

    // Sets known_total_ to min(total, kTotalCap + 1) by enumerating first
    // legs (and first two legs for four-leg itineraries) and counting the
    // rest from the index. False when it gave up (too many first-two-leg
    // combinations without reaching the cap): the rounds then count.
    bool count_with_index() {
        const int max_legs = q_.max_stops + 1;
        arrivals_ok_ = floors_->arrivals_have(dst_, q_.seats);
        const bool src_floor_ok = floors_->departures_have(src_, q_.seats);
        std::uint64_t total = 0;
        std::int64_t windows = 0;
        const auto times = t_.departure_times_from(src_);
        const auto legs = t_.departures_from(src_);
        const auto to = t_.departure_destinations_from(src_);
        std::size_t i = static_cast<std::size_t>(
            std::lower_bound(times.begin(), times.end(), day_start_) - times.begin());
        for (; i < times.size() && times[i] < day_start_ + kDaySeconds; ++i) {
            const AirportIndex a = to[i];
            const LegIndex l1 = legs[i];
            if (a == dst_) {
                total += src_floor_ok || seat_ok(l1) ? 1U : 0U;
                continue;
            }
            const bool two = max_legs >= 2 && reach_[a].stamp1 == epoch_;
            const bool three = max_legs >= 3 && reach_[a].stamp2 == epoch_;
            const bool four = max_legs >= 4 && three_leg_bounds(a).reach3;
            if (!(two || three || four) || !(src_floor_ok || seat_ok(l1))) continue;
            const std::int64_t lo = leg_[l1].arrival + mct_;
            const std::int64_t hi = leg_[l1].arrival + max_layover_;
            if (two) total += one_leg(a, lo, hi);
            if (three) total += two_legs(a, lo, hi, src_);
            if (four) total += second_legs(a, lo, hi, total, windows);
            if (total > kTotalCap) break;
            if (windows > kMaxIndexWindows) return false;
        }
        known_total_ = static_cast<std::int64_t>(std::min<std::uint64_t>(total, kTotalCap + 1));
        return true;
    }

    void compute_bounds() {
        const auto into_dst = t_.incoming(dst_);
        for (const InRoute& in : into_dst) {
            AirportBounds& b = bounds_[in.from];
            reach_[in.from].stamp1 = epoch_;
            b.price1 = in.min_price_cents;
            b.time1 = in.min_block_seconds;
            b.to_destination = in.route;
        }
        if (q_.max_stops < 1) return;
        for (const InRoute& last : into_dst) {
            if (last.from == src_) continue;  // the source is never an intermediate stop
            for (const InRoute& in : t_.incoming(last.from)) {
                if (in.from == dst_) continue;
                AirportBounds& b = bounds_[in.from];
                const std::int64_t p = in.min_price_cents + last.min_price_cents;
                const std::int64_t tm = in.min_block_seconds + mct_ + last.min_block_seconds;
                if (reach_[in.from].stamp2 != epoch_) {
                    reach_[in.from].stamp2 = epoch_;
                    b.price2 = p;
                    b.time2 = tm;
                } else {
                    b.price2 = std::min(b.price2, p);
                    b.time2 = std::min(b.time2, tm);
                }
            }
        }
    }

    // The routes c -> d where d has a route to the destination and is not the
    // source (built once per airport and query, when first needed).
    std::span<const Route* const> via(AirportIndex c) {
        AirportBounds& b = bounds_[c];
        if (b.via_stamp != epoch_) {
            b.via_stamp = epoch_;
            b.via_begin = static_cast<std::uint32_t>(scratch_.via.size());
            const auto routes = t_.routes_from(c);
            const auto to = t_.route_destinations_from(c);
            for (std::size_t i = 0; i < to.size(); ++i) {
                if (reach_[to[i]].stamp1 == epoch_ && to[i] != src_) {
                    scratch_.via.push_back(&routes[i]);
                }
            }
            b.via_end = static_cast<std::uint32_t>(scratch_.via.size());
        }
        return {scratch_.via.data() + b.via_begin, scratch_.via.data() + b.via_end};
    }

    // Lower bounds on price / time still to add after arriving at `a` with
    // `r` legs to go (0 when r == 0, unknown -> 0 for r == 3).
    std::int64_t rest_price(AirportIndex a, int r) {
        if (r == 1) return bounds_[a].price1;
        if (r == 2) return bounds_[a].price2;
        if (r == 3) return three_leg_bounds(a).price3;
        return 0;
    }
    std::int64_t rest_time(AirportIndex a, int r) {
        if (r == 1) return mct_ + bounds_[a].time1;
        if (r == 2) return mct_ + bounds_[a].time2;
        if (r == 3) return mct_ + three_leg_bounds(a).time3;
        return 0;
    }
    bool reachable(AirportIndex a, int r) {
        if (r == 1) return reach_[a].stamp1 == epoch_;
        if (r == 2) return reach_[a].stamp2 == epoch_;
        if (r == 3) return three_leg_bounds(a).reach3;
        return true;
    }

    // Bounds for three more legs from `a`, from the two-leg bounds of its
    // neighbours; computed once per airport and query, when first needed.
    const AirportBounds& three_leg_bounds(AirportIndex a) {
        AirportBounds& b = bounds_[a];
        if (b.stamp3 == epoch_) return b;
        b.stamp3 = epoch_;
        b.reach3 = false;
        b.price3 = kInf;
        b.time3 = kInf;
        const auto routes = t_.routes_from(a);
        const auto to = t_.route_destinations_from(a);
        for (std::size_t i = 0; i < to.size(); ++i) {
            if (to[i] == dst_ || to[i] == src_ || reach_[to[i]].stamp2 != epoch_) continue;
            const Route& r = routes[i];
            const AirportBounds& c = bounds_[r.to];
            b.reach3 = true;
            b.price3 = std::min(b.price3, r.min_price_cents + c.price2);
            b.time3 = std::min(b.time3, r.min_block_seconds + mct_ + c.time2);
        }
        return b;
    }

    // Leg `l` lands at `b`, which has a route to the destination: does some
    // leg b -> destination depart in [landed + mct, landed + max layover]?
    // (Seats and revisits aside, so this never drops a legal itinerary.)
    // Memoized per leg and query: the same leg is reached from many prefixes.
    bool can_finish(LegIndex l, AirportIndex b) {
        std::uint32_t& memo = scratch_.feasible[l].f1;
        if ((memo >> 1) == epoch_) return (memo & 1u) != 0;
        const Route& r = t_.route(bounds_[b].to_destination);
        const std::int64_t landed = leg_[l].arrival;
        const std::int32_t* it =
            std::lower_bound(dep_ + r.first_leg, dep_ + r.end_leg, landed + mct_);
        const bool found = it != dep_ + r.end_leg && *it <= landed + max_layover_;
        memo = (epoch_ << 1) | (found ? 1u : 0u);
        return found;
    }

    // Leg `l` lands at `c`; can the destination be reached with exactly two
    // more legs (through an airport other than the destination)? Memoized.
    bool can_finish_in_two(LegIndex l, AirportIndex c) {
        std::uint32_t& memo = scratch_.feasible[l].f2;
        if ((memo >> 1) == epoch_) return (memo & 1u) != 0;
        bool found = false;
        const std::int64_t landed = leg_[l].arrival;
        if (reach_[c].stamp2 != epoch_) {
            memo = epoch_ << 1;
            return false;
        }
        AirportBounds& cb = bounds_[c];
        const std::int64_t lo = landed + mct_;
        const std::int64_t hi = landed + max_layover_;
        if (cb.stamp_free == epoch_) {
            if (cb.good && cb.free_until >= lo && cb.free_until <= hi) {
                memo = (epoch_ << 1) | 1u;
                return true;
            }
            if (lo >= cb.free_from && hi < cb.free_until) {
                memo = epoch_ << 1;
                return false;
            }
        }
        // Earliest good departure in [lo, limit], looking one window further
        // than needed so that the cached free interval covers later landings.
        const std::int64_t limit = hi + (max_layover_ - mct_);
        std::int64_t best = limit + 1;
        for (const Route* rp : via(c)) {
            const Route& r = *rp;
            const std::int32_t* it = std::lower_bound(dep_ + r.first_leg, dep_ + r.end_leg, lo);
            for (; it != dep_ + r.end_leg && *it < best; ++it) {
                if (can_finish(static_cast<LegIndex>(it - dep_), r.to)) {
                    best = *it;
                    break;
                }
            }
            if (best <= hi) break;  // found: the minimum is not needed
        }
        found = best <= hi;
        cb.stamp_free = epoch_;
        cb.good = best <= limit;
        cb.free_from = found ? best : lo;
        cb.free_until = best;
        memo = (epoch_ << 1) | (found ? 1u : 0u);
        return found;
    }

    // Bound pruning is allowed once `total` is settled as capped and the heap
    // holds the best k so far (updated by `record`).
    bool pruning() const { return pruning_; }

    // Legs [0, D) are chosen; we stand at `a`, arrived at time `at`; R legs
    // are still to add, including the next one. R and D are template
    // parameters so that each level compiles to its own branch-free loop.
    template <int R, int D>
    void expand(AirportIndex a, std::int64_t at, std::int64_t price_so_far) {
        std::int64_t lo = 0;
        std::int64_t hi = 0;  // inclusive
        if constexpr (D == 0) {
            lo = day_start_;
            hi = day_start_ + kDaySeconds - 1;
        } else {
            lo = at + mct_;
            hi = at + max_layover_;
        }
        if constexpr (R == 1) {
            // Only the route to the destination can finish the itinerary.
            if (reach_[a].stamp1 != epoch_) return;
            visit_route<R, D>(t_.route(bounds_[a].to_destination), lo, hi, price_so_far);
        } else if constexpr (R == 2) {
            // Only routes to airports with a route to the destination.
            if (reach_[a].stamp2 != epoch_) return;
            for (const Route* rp : via(a)) {
                const Route& rt = *rp;
                if (!is_visited(rt.to, D)) visit_route<R, D>(rt, lo, hi, price_so_far);
            }
        } else if constexpr (D == 0) {
            if (count_known_) {
                visit_first_routes_best_first<R>(a, lo, hi);
                return;
            }
            // First legs: route by route, so whole routes can be cut by price.
            for (const Route& rt : t_.routes_from(a)) {
                if (rt.to == dst_ || is_visited(rt.to, D) || !reachable(rt.to, R - 1)) {
                    continue;
                }
                visit_route<R, D>(rt, lo, hi, price_so_far);
            }
        } else {
            // A connection window: one binary search in the airport's
            // departures sorted by time, then a contiguous scan.
            auto times = t_.departure_times_from(a);
            auto legs = t_.departures_from(a);
            auto to = t_.departure_destinations_from(a);
            std::size_t i = static_cast<std::size_t>(
                std::lower_bound(times.begin(), times.end(), lo) - times.begin());
            for (; i < times.size() && times[i] <= hi; ++i) {
                const AirportIndex b = to[i];
                if (b == dst_ || is_visited(b, D) || !reachable(b, R - 1)) continue;
                try_leg<R, D>(legs[i], b, price_so_far, rest_time(b, R - 1), rest_price(b, R - 1));
            }
        }
    }

    // With the total already counted, only the page is searched: the first
    // legs' routes are visited in order of their lower bound on the sort key,
    // so the heap fills with good itineraries early and the bound cuts the
    // rest sooner; once a route's bound exceeds the k-th best, so do those of
    // all later routes. The order does not change the answer (the heap keeps
    // the best k under a total order; each cut is the one of visit_route).
    template <int R>
    void visit_first_routes_best_first(AirportIndex a, std::int64_t lo, std::int64_t hi) {
        const bool cheapest = q_.sort_by == SortBy::kCheapest;
        auto& order = scratch_.first_routes;
        order.clear();
        for (const Route& rt : t_.routes_from(a)) {
            if (rt.to == dst_ || is_visited(rt.to, 0) || !reachable(rt.to, R - 1)) continue;
            const std::int64_t bound = cheapest
                                           ? rt.min_price_cents + rest_price(rt.to, R - 1)
                                           : (rt.min_block_seconds + rest_time(rt.to, R - 1)) / 60;
            order.emplace_back(bound, &rt);
        }
        std::sort(order.begin(), order.end(),
                  [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& [bound, rt] : order) {
            if (pruning() && bound > kth().primary) break;
            visit_route<R, 0>(*rt, lo, hi, 0);
        }
    }

    // Tries every leg of `rt` departing in [lo, hi] as leg number D.
    template <int R, int D>
    void visit_route(const Route& rt, std::int64_t lo, std::int64_t hi, std::int64_t price_so_far) {
        const AirportIndex b = rt.to;
        const std::int64_t rest_t = rest_time(b, R - 1);
        const std::int64_t rest_p = rest_price(b, R - 1);
        if (pruning() && q_.sort_by == SortBy::kCheapest &&
            price_so_far + rt.min_price_cents + rest_p > kth().primary) {
            return;
        }
        auto l = static_cast<LegIndex>(
            std::lower_bound(dep_ + rt.first_leg, dep_ + rt.end_leg, lo) - dep_);
        for (; l < rt.end_leg && dep_[l] <= hi; ++l) {
            if (pruning() && q_.sort_by == SortBy::kFastest) {
                // Departures only get later along the route: stop the scan.
                const std::int64_t start = D == 0 ? dep_[l] : first_dep_;
                if ((dep_[l] + rt.min_block_seconds + rest_t - start) / 60 > kth().primary) break;
            }
            try_leg<R, D>(l, b, price_so_far, rest_t, rest_p);
        }
    }

    // Takes leg `l` (to `b`) as leg number D if it can still be part of an
    // answer: bounds, time-aware feasibility, seats; then records or recurses.
    template <int R, int D>
    void try_leg(LegIndex l, AirportIndex b, std::int64_t price_so_far, std::int64_t rest_t,
                 std::int64_t rest_p) {
        if (pruning()) {
            const Candidate& worst = kth();
            if (q_.sort_by == SortBy::kFastest) {
                const std::int64_t start = D == 0 ? leg_[l].departure : first_dep_;
                if ((leg_[l].arrival + rest_t - start) / 60 > worst.primary) return;
            } else if (price_so_far + leg_[l].price_cents + rest_p > worst.primary) {
                return;
            }
        }
        if constexpr (R == 2) {
            if (!can_finish(l, b)) return;
        } else if constexpr (R == 3) {
            if (!can_finish_in_two(l, b)) return;
        }
        // (The floors, when the index is used, spare the seat lookup of a leg
        // out of an airport none of whose flights is short.)
        if (!(floors_ != nullptr &&
              floors_->departures_have(visited_[static_cast<std::size_t>(D)], q_.seats)) &&
            seats_.available_seats(FlightId{leg_[l].id}) < q_.seats) {
            return;
        }
        legs_path_[D] = l;
        if constexpr (D == 0) first_dep_ = leg_[l].departure;
        if constexpr (R == 1) {
            record(price_so_far + leg_[l].price_cents, leg_[l].arrival);
        } else {
            visited_[D + 1] = b;
            expand<R - 1, D + 1>(b, leg_[l].arrival, price_so_far + leg_[l].price_cents);
        }
    }

    bool is_visited(AirportIndex b, int depth) const {
        for (int i = 0; i <= depth; ++i) {
            if (visited_[static_cast<std::size_t>(i)] == b) return true;
        }
        return false;
    }

    const Candidate& kth() const { return scratch_.heap.front(); }

    void record(std::int64_t price, std::int64_t last_arrival) {
        ++count_;
        auto& heap = scratch_.heap;
        const std::int64_t minutes = (last_arrival - first_dep_) / 60;
        const bool cheapest = q_.sort_by == SortBy::kCheapest;
        const std::int64_t primary = cheapest ? price : minutes;
        if (heap.size() >= k_) {
            // With the total counted already, the page alone is left.
            pruning_ = count_known_ || count_ > kTotalCap;
            // Strictly worse than the k-th best on the first key: cannot enter.
            if (primary > heap.front().primary) return;
        }
        Candidate c;
        c.primary = primary;
        c.secondary = cheapest ? minutes : price;
        c.first_departure = time_base_ + first_dep_;
        c.leg_count = static_cast<std::uint8_t>(legs_);
        for (int i = 0; i < legs_; ++i) {
            const auto idx = static_cast<std::size_t>(i);
            c.legs[idx] = legs_path_[idx];
            c.ids[idx] = leg_[legs_path_[idx]].id;
        }
        if (heap.size() < k_) {
            heap.push_back(c);
            std::push_heap(heap.begin(), heap.end(), candidate_less);
        } else if (candidate_less(c, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), candidate_less);
            heap.back() = c;
            std::push_heap(heap.begin(), heap.end(), candidate_less);
        }
    }

    SearchResult finish() {
        auto& heap = scratch_.heap;
        std::sort_heap(heap.begin(), heap.end(), candidate_less);
        SearchResult out;
        const std::int64_t count = count_known_ ? known_total_ : count_;
        out.total = static_cast<int>(std::min<std::int64_t>(count, kTotalCap));
        out.total_capped = count > kTotalCap;
        for (std::size_t i = static_cast<std::size_t>(q_.offset); i < heap.size(); ++i) {
            out.paths.push_back(to_itinerary(t_, heap[i], q_.sort_by));
        }
        return out;
    }

    const Timetable& t_;
    const SeatAvailability& seats_;
    const SearchQuery& q_;
    Scratch& scratch_;
    AirportBounds* bounds_;
    Reach* reach_;
    std::uint32_t epoch_;
    AirportIndex src_;
    AirportIndex dst_;
    std::int64_t mct_;
    std::int64_t max_layover_;
    std::size_t k_;
    std::int64_t time_base_;  // times below are seconds after this
    std::int64_t day_start_;
    const std::int32_t* dep_;
    const LegInfo* leg_;
    const LegIndex* by_time_base_;  // departures_from(0).data(): positions are offsets
    int legs_ = 1;
    std::int64_t first_dep_ = 0;
    std::int64_t count_ = 0;
    bool pruning_ = false;
    const CompletionIndex* index_ = nullptr;
    const SeatFloors* floors_ = nullptr;
    bool arrivals_ok_ = false;  // every leg into the destination has the seats
    bool count_known_ = false;  // known_total_ holds the count
    std::int64_t known_total_ = 0;
    std::array<LegIndex, 4> legs_path_{};
    std::array<AirportIndex, 5> visited_{};
};

}  // namespace

Status validate(const SearchQuery& q) {
    auto bad = [](const char* m) { return fail(ErrorCode::kInvalidArgument, m); };
    if (auto seats = rules::check_seats(q.seats); !seats) return fail(seats.error());
    if (q.max_stops < 0 || q.max_stops > kMaxStops) return bad("max_stops must be from 0 to 3");
    if (q.limit < 1 || q.limit > kMaxLimit) return bad("limit must be from 1 to 100");
    if (q.offset < 0 || q.offset + q.limit > kMaxPageEnd) {
        return bad("offset must be >= 0 and offset + limit at most 1000");
    }
    if (q.source == q.destination) return bad("source and destination must differ");
    return ok();
}

Result<SearchResult> find_itineraries(const Timetable& timetable, const SeatAvailability& seats,
                                      const SearchQuery& query, const SearchRules& rules) {
    return find_itineraries(timetable, seats, query, rules, nullptr);
}

Result<SearchResult> find_itineraries(const Timetable& timetable, const SeatAvailability& seats,
                                      const SearchQuery& query, const SearchRules& rules,
                                      const CompletionIndex* index) {
    FLIGHTBOOK_TRY_STATUS(validate(query));
    FLIGHTBOOK_TRY_STATUS(validate(rules));
    const auto src = timetable.airport_index(query.source);
    const auto dst = timetable.airport_index(query.destination);
    if (!src || !dst) return SearchResult{};
    Scratch& scratch = scratch_for(timetable);
    Searcher s(timetable, seats, query, rules, scratch, *src, *dst);
    const SeatFloors* floors = seats.floors();
    if (index != nullptr && floors != nullptr && index->serves(timetable, rules) &&
        query.seats <= SeatFloors::kLevels && query.max_stops >= 2) {
        // The floors are read by this timetable's airport indices: check
        // once per (timetable, floors) pair that they number airports alike.
        if (scratch.floors != floors) {
            scratch.floors = floors;
            scratch.floors_match = floors->matches(timetable);
        }
        if (scratch.floors_match) s.use_index(index, floors);
    }
    return s.run();
}

}  // namespace flightbook::search
