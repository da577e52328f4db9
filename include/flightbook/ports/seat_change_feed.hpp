#pragma once
/// \file
/// The seat-change feed: how flight-service instances tell each other that
/// seat counts changed, so that each one's seat mirror stays current without
/// asking the seat store on every search page (SPEC §5, ADR 0011). Adapters:
/// `redis::RedisSeatChangePublisher` and `redis::SeatChangeSubscriber` (a
/// Redis channel), and `memory::InMemorySeatChangeFeed` (one process, tests).
///
/// The feed is a hint, never the truth: a message may be late, lost with its
/// connection, or arrive out of order with another instance's. What makes it
/// safe is the heartbeat: a listener trusts the feed only up to the last
/// heartbeat it received, and only for flights it read from the store while
/// the current subscription was already active (see `SeatFeedTracker`).

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/types.hpp"

namespace flightbook {

/// One flight's new count of available seats, as read from the seat store
/// right after an operation on it.
struct SeatCountChange {
    FlightId flight;
    std::int32_t available = 0;

    friend bool operator==(const SeatCountChange&, const SeatCountChange&) = default;
};

/// Sends the counts an operation left behind. Best effort: a failure is
/// counted by the adapter, never reported to the caller (the seat operation
/// itself succeeded; other instances fall back to reading the store).
///
/// Thread-safe.
class SeatChangePublisher {
public:
    virtual ~SeatChangePublisher() = default;
    virtual void publish(std::span<const SeatCountChange> changes) = 0;
};

/// What a subscription delivers, in order, on the subscriber's thread.
/// Times are steady-clock times of this process.
class SeatChangeListener {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    virtual ~SeatChangeListener() = default;

    /// A subscription is active since at most `at`: every change published
    /// from then on will be delivered (or the session will be lost).
    virtual void feed_started(TimePoint at) = 0;
    /// Changes published by another instance, received at `received`.
    virtual void seat_changes(std::span<const SeatCountChange> changes, TimePoint received) = 0;
    /// Every change published before `sent` has been delivered.
    virtual void feed_heartbeat(TimePoint sent) = 0;
    /// The subscription is gone (connection lost, heartbeat late): nothing
    /// is delivered until the next `feed_started`.
    virtual void feed_lost() = 0;
};

/// The wire format of one message: `<origin> <id>=<available>,...`, where
/// `origin` names the publishing instance so that it can skip its own.
[[nodiscard]] std::string encode_seat_changes(std::string_view origin,
                                              std::span<const SeatCountChange> changes);

/// Parses `encode_seat_changes`' output; false (and `changes` left empty)
/// for anything else.
[[nodiscard]] bool decode_seat_changes(std::string_view message, std::string& origin,
                                       std::vector<SeatCountChange>& changes);

}  // namespace flightbook
