// Building and reading the last-two-legs index. One pass per destination d:
// every route x -> d, every route b -> x into its origin (b != d), every leg
// L of b -> x: the legs of x -> d in L's connection window are counted with
// two binary searches; L is kept when the count is positive. The entries of
// d are then sorted by (b, departure) and cut into one node per b.
#include "flightbook/search/completion_index.hpp"

#include <algorithm>
#include <tuple>

namespace flightbook::search {

namespace {

struct Pending {
    AirportIndex from;
    std::int32_t departure;
    std::uint32_t count;
};

// lower_bound for departures spread fairly evenly over the schedule: guess
// the position by interpolation, then gallop to the answer. A node can hold
// thousands of entries; this touches two or three cache lines instead of the
// ten or so of a plain binary search.
template <typename It>
It lower_bound_guessed(It first, It last, std::int64_t value) {
    const auto before = [](const auto& e, std::int64_t v) { return e.departure < v; };
    const std::ptrdiff_t n = last - first;
    if (n <= 16 || value <= first->departure) return std::lower_bound(first, last, value, before);
    if (value > (last - 1)->departure) return last;
    const std::int64_t span = std::int64_t{(last - 1)->departure} - first->departure;
    // In double: (value - first) * (n - 1) could overflow 64 bits on a huge node.
    const auto guess = std::clamp<std::ptrdiff_t>(
        span <= 0
            ? 0
            : static_cast<std::ptrdiff_t>(static_cast<double>(value - first->departure) /
                                          static_cast<double>(span) * static_cast<double>(n - 1)),
        0, n - 1);
    It g = first + guess;
    // Now gallop: the answer is in (lo_it, hi_it].
    std::ptrdiff_t step = 4;
    if (g->departure < value) {
        It lo_it = g;
        while (true) {
            It next = (last - lo_it > step) ? lo_it + step : last;
            if (next == last || next->departure >= value) {
                return std::lower_bound(lo_it + 1, next, value, before);
            }
            lo_it = next;
            step *= 2;
        }
    }
    It hi_it = g;  // hi_it->departure >= value
    while (true) {
        It prev = (hi_it - first > step) ? hi_it - step : first;
        if (prev == first || prev->departure < value) {
            return std::lower_bound(prev, hi_it, value, before);
        }
        hi_it = prev;
        step *= 2;
    }
}

constexpr std::size_t kBytesPerEntry = 8;

}  // namespace

Result<std::shared_ptr<const CompletionIndex>> CompletionIndex::build(
    std::shared_ptr<const Timetable> timetable, const SearchRules& rules, const Options& options) {
    FLIGHTBOOK_TRY_STATUS(validate(rules));
    if (!timetable) return fail(ErrorCode::kInvalidArgument, "no timetable");
    std::shared_ptr<CompletionIndex> index(new CompletionIndex());
    index->timetable_ = timetable;
    index->rules_ = rules;
    const Timetable& t = *timetable;
    const std::int32_t* dep = t.departures();
    const LegInfo* legs = t.legs();
    const std::int64_t mct = std::int64_t{rules.mct_minutes} * 60;
    const std::int64_t layover = std::int64_t{rules.max_layover_minutes} * 60;
    const std::size_t airports = t.airport_count();
    index->dest_off_.assign(airports + 1, 0);
    std::vector<Pending> pending;
    std::uint64_t upto = 0;
    for (AirportIndex d = 0; d < airports; ++d) {
        pending.clear();
        for (const InRoute& last : t.incoming(d)) {
            const Route& xd = t.route(last.route);
            for (const InRoute& first : t.incoming(last.from)) {
                if (first.from == d) continue;  // a path never passes through d
                const Route& bx = t.route(first.route);
                for (LegIndex l = bx.first_leg; l < bx.end_leg; ++l) {
                    const std::int64_t landed = legs[l].arrival;
                    const std::int32_t* lo =
                        std::lower_bound(dep + xd.first_leg, dep + xd.end_leg, landed + mct);
                    const std::int32_t* hi =
                        std::upper_bound(lo, dep + xd.end_leg, landed + layover);
                    if (hi > lo) {
                        pending.push_back(
                            {first.from, dep[l], static_cast<std::uint32_t>(hi - lo)});
                    }
                }
            }
        }
        std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
            return std::tie(a.from, a.departure) < std::tie(b.from, b.departure);
        });
        for (std::size_t i = 0; i < pending.size(); ++i) {
            if (i == 0 || pending[i].from != pending[i - 1].from) {
                index->node_from_.push_back(pending[i].from);
                index->node_begin_.push_back(static_cast<std::uint32_t>(index->entries_.size()));
                upto = 0;
            }
            upto += pending[i].count;
            if (upto > 0xFFFFFFFFu) {
                return fail(ErrorCode::kResourceExhausted, "completion index: count overflow");
            }
            index->entries_.push_back({pending[i].departure, static_cast<std::uint32_t>(upto)});
        }
        index->dest_off_[d + 1] = static_cast<std::uint32_t>(index->node_from_.size());
        if (options.memory_budget_bytes > 0 &&
            index->entries_.size() * kBytesPerEntry > options.memory_budget_bytes) {
            return fail(ErrorCode::kResourceExhausted, "completion index over its memory budget");
        }
        if (index->entries_.size() >= 0xFFFFFFF0u) {
            return fail(ErrorCode::kResourceExhausted, "completion index too large");
        }
    }
    index->node_begin_.push_back(static_cast<std::uint32_t>(index->entries_.size()));
    index->entries_.shrink_to_fit();
    index->node_from_.shrink_to_fit();
    index->node_begin_.shrink_to_fit();
    return std::shared_ptr<const CompletionIndex>(std::move(index));
}

CompletionIndex::Node CompletionIndex::node(AirportIndex d, AirportIndex b) const noexcept {
    const auto first = node_from_.begin() + dest_off_[d];
    const auto last = node_from_.begin() + dest_off_[d + 1];
    const auto it = std::lower_bound(first, last, b);
    if (it == last || *it != b) return {};
    const auto n = static_cast<std::size_t>(it - node_from_.begin());
    return {node_begin_[n], node_begin_[n + 1]};
}

std::uint64_t CompletionIndex::count(Node n, std::int64_t lo, std::int64_t hi) const noexcept {
    if (n.empty() || hi < lo) return 0;
    const Entry* first = entries_.data() + n.begin;
    const Entry* last = entries_.data() + n.end;
    const Entry* a = lower_bound_guessed(first, last, lo);
    // A connection window holds few entries: walk a little before searching,
    // so the upper end usually costs no second binary search (cache misses).
    const Entry* b = a;
    for (int step = 0; step < 8 && b != last && b->departure <= hi; ++step) ++b;
    if (b != last && b->departure <= hi) {
        b = std::upper_bound(b, last, hi,
                             [](std::int64_t v, const Entry& e) { return v < e.departure; });
    }
    if (b == a) return 0;
    // Entries [a, b): running sum at b - 1 minus the one just before a.
    return std::uint64_t{(b - 1)->upto} - (a == first ? 0 : std::uint64_t{(a - 1)->upto});
}

std::size_t CompletionIndex::memory_bytes() const noexcept {
    return dest_off_.capacity() * sizeof(std::uint32_t) +
           node_from_.capacity() * sizeof(AirportIndex) +
           node_begin_.capacity() * sizeof(std::uint32_t) + entries_.capacity() * sizeof(Entry);
}

}  // namespace flightbook::search
