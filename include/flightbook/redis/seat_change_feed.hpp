#pragma once
/// \file
/// The seat-change feed over a Redis channel (ADR 0011): a publisher that
/// sends each instance's seat counts with PUBLISH, and a subscriber thread
/// that delivers the other instances' ones, with PING heartbeats.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "flightbook/clock.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/seat_change_feed.hpp"
#include "flightbook/redis/client.hpp"

namespace flightbook::redis {

/// The channel every instance of one deployment shares.
inline constexpr std::string_view kDefaultSeatChangeChannel = "flightbook:seats:changes";

/// PUBLISH of `encode_seat_changes(origin, changes)`; a failure is counted
/// (`flightbook_seat_feed_publish_errors_total`) and otherwise ignored.
class RedisSeatChangePublisher final : public SeatChangePublisher {
public:
    RedisSeatChangePublisher(std::shared_ptr<Client> client, std::string origin,
                             std::string channel = std::string(kDefaultSeatChangeChannel),
                             metrics::Registry* registry = nullptr);
    void publish(std::span<const SeatCountChange> changes) override;
    [[nodiscard]] std::uint64_t errors() const noexcept { return errors_.load(); }

private:
    std::shared_ptr<Client> client_;
    std::string origin_;
    std::string channel_;
    std::atomic<std::uint64_t> errors_{0};
    metrics::Counter* m_errors_ = nullptr;
};

/// Settings of a subscriber. Units are in the field names.
struct SeatChangeSubscriberOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string channel = std::string(kDefaultSeatChangeChannel);
    /// This instance's origin: its own messages are skipped.
    std::string origin;
    /// A PING goes out this often; its answer is the heartbeat.
    std::int64_t heartbeat_interval_ms = 20;
    /// A heartbeat not answered within this time ends the session.
    std::int64_t heartbeat_timeout_ms = 1000;
    std::int64_t connect_timeout_ms = 1000;
    /// Wait between reconnection attempts.
    std::int64_t reconnect_delay_ms = 200;
};

/// One thread with its own connection in subscribed mode. It starts a
/// session (`feed_started`) once Redis has confirmed the subscription,
/// delivers each other instance's message (`seat_changes`), and sends a
/// PING every `heartbeat_interval_ms`: Redis answers it after every message
/// published before it reached Redis, so its answer is a heartbeat as of its
/// send time. A connection error, an unparsable message or a late answer
/// ends the session (`feed_lost`); it then reconnects after a delay.
/// `stop()` (or the destructor) ends it within about 50 ms.
class SeatChangeSubscriber {
public:
    SeatChangeSubscriber(SeatChangeSubscriberOptions options, SeatChangeListener& listener,
                         const Clock& clock);
    ~SeatChangeSubscriber();
    SeatChangeSubscriber(const SeatChangeSubscriber&) = delete;
    SeatChangeSubscriber& operator=(const SeatChangeSubscriber&) = delete;

    void start();
    void stop();
    /// Sessions started so far (for tests).
    [[nodiscard]] std::uint64_t sessions() const noexcept { return sessions_.load(); }

private:
    struct Session;
    void run();
    // One connection's life; returns when it is lost or stop() was called.
    void serve_session();
    void sleep_for(std::chrono::milliseconds d) const;

    SeatChangeSubscriberOptions options_;
    SeatChangeListener& listener_;
    const Clock& clock_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> sessions_{0};
    std::thread thread_;
};

}  // namespace flightbook::redis
