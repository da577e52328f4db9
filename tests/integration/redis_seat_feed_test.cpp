// The seat-change feed over a real Redis (ADR 0011): delivery between
// instances, heartbeats, skipping one's own messages, and sessions that end
// when Redis goes away and start again when it is back.
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "flightbook/redis/seat_change_feed.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using flightbook::testing::RedisServerProcess;

namespace {

// Records what a subscription delivers.
class Recorder final : public SeatChangeListener {
public:
    void feed_started(TimePoint) override {
        std::lock_guard lock(mutex_);
        ++started_;
        live_ = true;
    }
    void seat_changes(std::span<const SeatCountChange> changes, TimePoint) override {
        std::lock_guard lock(mutex_);
        received_.insert(received_.end(), changes.begin(), changes.end());
    }
    void feed_heartbeat(TimePoint sent) override {
        std::lock_guard lock(mutex_);
        ++heartbeats_;
        last_heartbeat_ = sent;
    }
    void feed_lost() override {
        std::lock_guard lock(mutex_);
        ++lost_;
        live_ = false;
    }

    // Waits (bounded) until `done` holds for the recorded state.
    template <typename Pred>
    bool wait_for(Pred done, std::chrono::milliseconds limit = 5s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            {
                std::lock_guard lock(mutex_);
                if (done(*this)) return true;
            }
            std::this_thread::sleep_for(5ms);
        }
        std::lock_guard lock(mutex_);
        return done(*this);
    }

    int started_ = 0;
    int lost_ = 0;
    int heartbeats_ = 0;
    bool live_ = false;
    TimePoint last_heartbeat_{};
    std::vector<SeatCountChange> received_;

private:
    std::mutex mutex_;
};

redis::SeatChangeSubscriberOptions options(int port, std::string origin, std::string channel) {
    redis::SeatChangeSubscriberOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.origin = std::move(origin);
    o.channel = std::move(channel);
    o.heartbeat_interval_ms = 10;
    o.heartbeat_timeout_ms = 300;
    o.connect_timeout_ms = 300;
    o.reconnect_delay_ms = 50;
    return o;
}

std::shared_ptr<redis::Client> client_for(int port) {
    auto client = redis::Client::create(redis::ClientOptions{"127.0.0.1", port, 2, 300, 300, 300});
    REQUIRE(client);
    return std::move(client).value();
}

// A subscriber, already started, on a private Redis that a test may flush,
// kill or restart. Members go in reverse: the subscriber stops first.
struct PrivateFeed {
    explicit PrivateFeed(std::string channel_name)
        : channel(std::move(channel_name)),
          sub(options(server.port(), "x", channel), heard, SystemClock::instance()) {
        sub.start();
    }
    RedisServerProcess server;
    std::string channel;
    Recorder heard;
    redis::SeatChangeSubscriber sub;
};

}  // namespace

TEST_CASE("redis seat feed: changes reach the other instances, not their publisher") {
    const int port = flightbook::testing::redis_port();
    const std::string channel = flightbook::testing::unique_name("fbtest:feed");
    Recorder a_heard;
    Recorder b_heard;
    redis::SeatChangeSubscriber a(options(port, "a", channel), a_heard, SystemClock::instance());
    redis::SeatChangeSubscriber b(options(port, "b", channel), b_heard, SystemClock::instance());
    a.start();
    b.start();
    REQUIRE(a_heard.wait_for([](const Recorder& r) { return r.started_ == 1; }));
    REQUIRE(b_heard.wait_for([](const Recorder& r) { return r.started_ == 1; }));

    redis::RedisSeatChangePublisher from_a(client_for(port), "a", channel);
    const std::vector<SeatCountChange> sold{{FlightId{7}, 3}, {FlightId{8}, 0}};
    from_a.publish(sold);
    CHECK(from_a.errors() == 0);
    REQUIRE(b_heard.wait_for([&](const Recorder& r) { return r.received_ == sold; }));

    // A heartbeat sent after the publication proves it was delivered: by the
    // time one arrives, "a" has skipped its own message rather than missed it.
    const auto after = std::chrono::steady_clock::now();
    REQUIRE(a_heard.wait_for([&](const Recorder& r) { return r.last_heartbeat_ >= after; }));
    a.stop();
    b.stop();
    CHECK(a_heard.received_.empty());
    CHECK(a_heard.started_ == 1);
    CHECK(a_heard.lost_ == 1);  // only by stopping
}

TEST_CASE("redis seat feed: heartbeats keep coming while the connection lives") {
    PrivateFeed feed("fbtest:feed:hb");
    auto& [server, channel, heard, sub] = feed;
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.heartbeats_ >= 10; }));
    // Other clients may still publish junk on the channel: ignored, no loss.
    REQUIRE(client_for(server.port())->command({"PUBLISH", "fbtest:feed:hb", "not a change"}));
    int seen = 0;
    REQUIRE(heard.wait_for([&](const Recorder& r) { return (seen = r.heartbeats_) > 0; }));
    REQUIRE(heard.wait_for([&](const Recorder& r) { return r.heartbeats_ >= seen + 5; }));
    sub.stop();
    CHECK(heard.lost_ == 1);  // only by stopping
    CHECK(heard.received_.empty());
}

TEST_CASE("redis seat feed: a dead Redis ends the session, a restarted one starts a new one") {
    PrivateFeed feed("fbtest:feed:kill");
    auto& [server, channel, heard, sub] = feed;
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.started_ == 1; }));

    server.kill_now();
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.lost_ == 1 && !r.live_; }));
    // Publishing while Redis is down fails quietly and is counted.
    redis::RedisSeatChangePublisher pub(client_for(server.port()), "y", "fbtest:feed:kill");
    pub.publish(std::vector<SeatCountChange>{{FlightId{1}, 1}});
    CHECK(pub.errors() == 1);

    server.start();
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.started_ == 2 && r.live_; }));
    pub.publish(std::vector<SeatCountChange>{{FlightId{2}, 5}});
    REQUIRE(heard.wait_for([](const Recorder& r) {
        return r.received_ == std::vector<SeatCountChange>{{FlightId{2}, 5}};
    }));
    sub.stop();
    CHECK(sub.sessions() == 2);
}

TEST_CASE("redis seat feed: a subscription killed by the server is noticed and replaced") {
    PrivateFeed feed("fbtest:feed:ck");
    auto& [server, channel, heard, sub] = feed;
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.started_ == 1; }));
    REQUIRE(client_for(server.port())->command({"CLIENT", "KILL", "TYPE", "pubsub"}));
    REQUIRE(heard.wait_for([](const Recorder& r) { return r.lost_ == 1 && r.started_ == 2; }));
}
