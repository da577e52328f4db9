#include "flightbook/flights/seat_mirror.hpp"

#include <algorithm>

namespace flightbook::flights {

SeatMirror::SeatMirror(const std::vector<Flight>& flights)
    : counts_(std::make_unique<std::atomic<std::int32_t>[]>(flights.size())),
      size_(flights.size()) {
    if (flights.empty()) return;
    std::int64_t lo = flights.front().id.value();
    std::int64_t hi = lo;
    for (const Flight& f : flights) {
        lo = std::min(lo, f.id.value());
        hi = std::max(hi, f.id.value());
    }
    // A dense table costs 4 bytes per id in the span; use it while the span
    // is at most four times the number of flights.
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    const bool dense = span <= 4 * static_cast<std::uint64_t>(flights.size()) + 16;
    if (dense) {
        base_ = lo;
        dense_.assign(static_cast<std::size_t>(span), -1);
    } else {
        sorted_.reserve(flights.size());
    }
    for (std::size_t i = 0; i < flights.size(); ++i) {
        const Flight& f = flights[i];
        counts_[i].store(f.available_seats(), std::memory_order_relaxed);
        if (dense) {
            dense_[static_cast<std::size_t>(f.id.value() - base_)] = static_cast<std::int32_t>(i);
        } else {
            sorted_.emplace_back(f.id.value(), static_cast<std::uint32_t>(i));
        }
    }
    std::sort(sorted_.begin(), sorted_.end());
}

std::atomic<std::int32_t>* SeatMirror::slot(FlightId flight) const {
    const std::int64_t id = flight.value();
    if (!dense_.empty()) {
        if (id < base_ || id - base_ >= static_cast<std::int64_t>(dense_.size())) return nullptr;
        const std::int32_t i = dense_[static_cast<std::size_t>(id - base_)];
        return i < 0 ? nullptr : &counts_[static_cast<std::size_t>(i)];
    }
    auto it = std::lower_bound(sorted_.begin(), sorted_.end(),
                               std::pair<std::int64_t, std::uint32_t>{id, 0});
    if (it == sorted_.end() || it->first != id) return nullptr;
    return &counts_[it->second];
}

std::int32_t SeatMirror::available_seats(FlightId flight) const {
    const auto* s = slot(flight);
    return s == nullptr ? 0 : s->load(std::memory_order_relaxed);
}

void SeatMirror::set(FlightId flight, std::int32_t available) const {
    if (auto* s = slot(flight)) s->store(available, std::memory_order_relaxed);
}

}  // namespace flightbook::flights
