#include "flightbook/memory/seat_change_feed.hpp"

#include <algorithm>

namespace flightbook::memory {
namespace {

class Publisher final : public SeatChangePublisher {
public:
    Publisher(InMemorySeatChangeFeed& feed, std::string origin)
        : feed_(feed), origin_(std::move(origin)) {}
    void publish(std::span<const SeatCountChange> changes) override {
        feed_.deliver(origin_, changes);
    }

private:
    InMemorySeatChangeFeed& feed_;
    std::string origin_;
};

}  // namespace

std::unique_ptr<SeatChangePublisher> InMemorySeatChangeFeed::publisher(std::string origin) {
    return std::make_unique<Publisher>(*this, std::move(origin));
}

void InMemorySeatChangeFeed::subscribe(std::string origin, SeatChangeListener& listener) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(Subscriber{std::move(origin), &listener});
    listener.feed_started(clock_.steady_now());
}

void InMemorySeatChangeFeed::unsubscribe(SeatChangeListener& listener) {
    std::lock_guard lock(mutex_);
    std::erase_if(subscribers_, [&](const Subscriber& s) { return s.listener == &listener; });
}

void InMemorySeatChangeFeed::heartbeat() {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steady_now();
    for (const Subscriber& s : subscribers_) s.listener->feed_heartbeat(now);
}

void InMemorySeatChangeFeed::lose_all() {
    std::lock_guard lock(mutex_);
    for (const Subscriber& s : subscribers_) s.listener->feed_lost();
}

void InMemorySeatChangeFeed::restart_all() {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steady_now();
    for (const Subscriber& s : subscribers_) s.listener->feed_started(now);
}

void InMemorySeatChangeFeed::deliver(const std::string& origin,
                                     std::span<const SeatCountChange> changes) {
    std::lock_guard lock(mutex_);
    const auto now = clock_.steady_now();
    for (const Subscriber& s : subscribers_) {
        if (s.origin == origin) continue;
        s.listener->seat_changes(changes, now);
        s.listener->feed_heartbeat(now);
    }
}

}  // namespace flightbook::memory
