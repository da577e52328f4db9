#pragma once
/// \file
/// The seat-change feed inside one process: for tests and for several
/// flight services sharing one in-memory seat store.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/ports/seat_change_feed.hpp"

namespace flightbook::memory {

/// Delivers each publication synchronously to every listener subscribed
/// under another origin, with a heartbeat after it (nothing can be in
/// flight in one process). Thread-safe; listeners must outlive the feed or
/// be removed with `unsubscribe`.
class InMemorySeatChangeFeed {
public:
    explicit InMemorySeatChangeFeed(const Clock& clock) : clock_(clock) {}

    /// A publisher for the instance named `origin`.
    [[nodiscard]] std::unique_ptr<SeatChangePublisher> publisher(std::string origin);
    /// Starts a session for `listener` (its `feed_started` is called now).
    void subscribe(std::string origin, SeatChangeListener& listener);
    void unsubscribe(SeatChangeListener& listener);
    /// A heartbeat to every listener (as a subscriber's periodic one).
    void heartbeat();
    /// Ends every session, as a lost connection would.
    void lose_all();
    /// Starts a new session for every listener, as a reconnect would.
    void restart_all();

    /// Delivers `changes` from `origin` (what the publishers call).
    void deliver(const std::string& origin, std::span<const SeatCountChange> changes);

private:
    struct Subscriber {
        std::string origin;
        SeatChangeListener* listener;
    };
    const Clock& clock_;
    std::mutex mutex_;  // held while delivering: listeners see one order
    std::vector<Subscriber> subscribers_;
};

}  // namespace flightbook::memory
