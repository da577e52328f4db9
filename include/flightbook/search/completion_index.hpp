#pragma once
/// \file
/// `CompletionIndex` (issue 13): for one timetable snapshot and one rule set,
/// every departure that starts a valid two-leg completion to a destination,
/// so that a search can *count* the last two legs of its itineraries instead
/// of enumerating them. See docs/search.md, "Counting with the completion
/// index", for how the search uses it and why the count stays exact.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/search/timetable.hpp"

namespace flightbook::search {

/// For each destination d and airport b: the departures L from b (to some
/// x != d) with at least one leg M from x to d departing in
/// [arrival(L) + MCT, arrival(L) + max layover], sorted by departure time,
/// each with its number of such M, plus running sums of those numbers. Seats
/// are ignored; so are revisits (x may be any airport but d): the search
/// corrects both (see `find_itineraries`).
///
/// Thread-safety: immutable after `build`; any number of threads may read.
class CompletionIndex {
public:
    struct Options {
        /// Give up (kResourceExhausted) when the index would hold more than
        /// this many bytes; 0 = no limit.
        std::size_t memory_budget_bytes = 0;
    };

    /// The entries of one (destination, airport) pair: [begin, end) into the
    /// entry arrays. Empty when there is no completion.
    struct Node {
        std::uint32_t begin = 0;
        std::uint32_t end = 0;
        [[nodiscard]] bool empty() const noexcept { return begin == end; }
    };

    /// Builds the index of `timetable` for `rules` (validated). Errors:
    /// those of `validate(rules)`; `kResourceExhausted` over the budget or
    /// when one (destination, airport) pair has 2^32 completions or more.
    /// Single-threaded; about 1 s for 100k flights (docs/benchmarks.md).
    [[nodiscard]] static Result<std::shared_ptr<const CompletionIndex>> build(
        std::shared_ptr<const Timetable> timetable, const SearchRules& rules,
        const Options& options);
    [[nodiscard]] static Result<std::shared_ptr<const CompletionIndex>> build(
        std::shared_ptr<const Timetable> timetable, const SearchRules& rules) {
        return build(std::move(timetable), rules, Options{});
    }

    [[nodiscard]] const Timetable& timetable() const noexcept { return *timetable_; }
    [[nodiscard]] const SearchRules& rules() const noexcept { return rules_; }
    /// Whether this index answers for `timetable` under `rules`.
    [[nodiscard]] bool serves(const Timetable& timetable, const SearchRules& rules) const noexcept {
        return &timetable == timetable_.get() && rules.mct_minutes == rules_.mct_minutes &&
               rules.max_layover_minutes == rules_.max_layover_minutes;
    }

    /// The entries for destination `d` and first airport `b` (binary search).
    [[nodiscard]] Node node(AirportIndex d, AirportIndex b) const noexcept;

    /// Number of two-leg completions of `node` whose first leg departs in
    /// [lo, hi] (seconds after `Timetable::time_base()`, inclusive).
    [[nodiscard]] std::uint64_t count(Node node, std::int64_t lo, std::int64_t hi) const noexcept;

    [[nodiscard]] std::size_t entry_count() const noexcept { return entries_.size(); }
    /// Heap bytes held (not counting the timetable).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    CompletionIndex() = default;

    std::shared_ptr<const Timetable> timetable_;
    SearchRules rules_;
    std::vector<std::uint32_t> dest_off_;    // airport_count + 1: nodes of each destination
    std::vector<AirportIndex> node_from_;    // per node: the airport b, sorted within d
    std::vector<std::uint32_t> node_begin_;  // per node + 1 sentinel: first entry
    // One entry per departure L, in one 8-byte record so that a window
    // count reads the departure it searches and the running sum it needs
    // from the same cache line.
    struct Entry {
        std::int32_t departure = 0;  // of L, seconds after time_base
        std::uint32_t upto = 0;      // completions of this node's entries up to this one
    };
    std::vector<Entry> entries_;
};

}  // namespace flightbook::search
