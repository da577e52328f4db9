#pragma once
/// \file
/// `SeatFeedTracker`: the state of this process's subscription to the
/// seat-change feed, and the rule that says when the feed vouches for a
/// mirrored seat count so that a search page needs no store read for it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "flightbook/flights/seat_mirror.hpp"

namespace flightbook::flights {

/// Written by the feed's subscriber thread (`started`, `heartbeat`, `lost`),
/// read by searches (`vouch_window`). Lock-free.
///
/// The rule (ADR 0011): the count of flight f is current as of the last
/// heartbeat W when the session has been live since S, f was read from the
/// store at some time ≥ S, and no change of f was received after that read.
/// Any operation on f committed after the read publishes its result after
/// the commit, hence after S, so it is delivered by W if published before W.
/// A search that needs counts no older than `since` may then skip the store
/// for f when W ≥ since.
class SeatFeedTracker {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    /// While a session is live and its last heartbeat is at or after
    /// `since`: the session's start, to pass to `SeatMirror::unchanged_since`.
    [[nodiscard]] std::optional<TimePoint> vouch_window(TimePoint since) const noexcept;

    void started(TimePoint at) noexcept;
    void heartbeat(TimePoint sent) noexcept;
    void lost() noexcept;

    [[nodiscard]] bool live() const noexcept;
    /// The last heartbeat's send time (the feed's "as of"), if live.
    [[nodiscard]] std::optional<TimePoint> watermark() const noexcept;

private:
    static constexpr std::int64_t kDown = INT64_MIN;
    std::atomic<std::int64_t> session_{kDown};    // steady ticks of the start
    std::atomic<std::int64_t> watermark_{kDown};  // steady ticks of the last heartbeat
};

}  // namespace flightbook::flights
