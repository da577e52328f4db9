#include "flightbook/flights/seat_feed_tracker.hpp"

namespace flightbook::flights {
namespace {

using TimePoint = SeatFeedTracker::TimePoint;

std::int64_t ticks(TimePoint t) noexcept { return t.time_since_epoch().count(); }
TimePoint at_ticks(std::int64_t t) noexcept { return TimePoint(TimePoint::duration(t)); }

}  // namespace

std::optional<TimePoint> SeatFeedTracker::vouch_window(TimePoint since) const noexcept {
    // Session, watermark, session again: a watermark read while the session
    // changed could belong to the previous one.
    const std::int64_t session = session_.load(std::memory_order_acquire);
    if (session == kDown) return std::nullopt;
    const std::int64_t mark = watermark_.load(std::memory_order_acquire);
    if (session_.load(std::memory_order_acquire) != session) return std::nullopt;
    if (mark < ticks(since)) return std::nullopt;
    return at_ticks(session);
}

void SeatFeedTracker::started(TimePoint at) noexcept {
    // Nothing published before the start concerns a flight read after it, so
    // the start is also the first watermark. Watermark first: a reader that
    // sees the new session sees its watermark.
    watermark_.store(ticks(at), std::memory_order_release);
    session_.store(ticks(at), std::memory_order_release);
}

void SeatFeedTracker::heartbeat(TimePoint sent) noexcept {
    if (session_.load(std::memory_order_relaxed) == kDown) return;
    std::int64_t seen = watermark_.load(std::memory_order_relaxed);
    while (seen < ticks(sent) &&
           !watermark_.compare_exchange_weak(seen, ticks(sent), std::memory_order_release)) {
    }
}

void SeatFeedTracker::lost() noexcept { session_.store(kDown, std::memory_order_release); }

bool SeatFeedTracker::live() const noexcept {
    return session_.load(std::memory_order_acquire) != kDown;
}

std::optional<TimePoint> SeatFeedTracker::watermark() const noexcept {
    if (!live()) return std::nullopt;
    return at_ticks(watermark_.load(std::memory_order_acquire));
}

}  // namespace flightbook::flights
