#include "flightbook/search/timetable.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace flightbook::search {
namespace {

constexpr std::uint32_t kNoFlight = std::numeric_limits<std::uint32_t>::max();

template <typename T>
std::size_t bytes_of(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

}  // namespace

Result<std::shared_ptr<const Timetable>> Timetable::build(std::vector<Flight> flights) {
    if (flights.size() >= kNoFlight) {
        return fail(ErrorCode::kInvalidArgument, "too many flights for one timetable");
    }
    std::shared_ptr<Timetable> t(new Timetable());
    t->flights_ = std::move(flights);
    const auto& fl = t->flights_;
    const auto n = static_cast<std::uint32_t>(fl.size());

    // Validate rows and collect airports.
    for (const Flight& f : fl) {
        if (f.source == AirportCode{} || f.destination == AirportCode{}) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("flight {} has an empty airport code", f.id.value()));
        }
        if (f.source == f.destination) {
            return fail(
                ErrorCode::kInvalidArgument,
                fmt::format("flight {} departs and arrives at {}", f.id.value(), f.source.view()));
        }
        if (f.arrival_time <= f.departure_time) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("flight {} does not arrive after it departs", f.id.value()));
        }
        t->airports_.push_back(f.source);
        t->airports_.push_back(f.destination);
    }
    std::sort(t->airports_.begin(), t->airports_.end());
    t->airports_.erase(std::unique(t->airports_.begin(), t->airports_.end()), t->airports_.end());
    t->airports_.shrink_to_fit();

    // Id lookup; duplicates are an error.
    {
        std::vector<FlightId> ids;
        ids.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) ids.push_back(fl[i].id);
        auto index = FlightIndex::build(ids);
        if (!index) return fail(std::move(index).error());
        t->ids_ = std::move(index).value();
    }

    // Times as 32-bit offsets from the earliest departure.
    if (n > 0) {
        std::int64_t lo = to_unix_seconds(fl[0].departure_time);
        std::int64_t hi = to_unix_seconds(fl[0].arrival_time);
        for (const Flight& f : fl) {
            lo = std::min(lo, to_unix_seconds(f.departure_time));
            hi = std::max(hi, to_unix_seconds(f.arrival_time));
        }
        if (hi - lo > std::numeric_limits<std::int32_t>::max()) {
            return fail(ErrorCode::kInvalidArgument,
                        "flights span more than 2^31 seconds (about 68 years)");
        }
        t->time_base_ = lo;
    }
    auto rel = [base = t->time_base_](UtcTime time) {
        return static_cast<std::int32_t>(to_unix_seconds(time) - base);
    };

    // Legs ordered by (source, destination, departure, id).
    std::vector<AirportIndex> src(n);
    std::vector<AirportIndex> dst(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        src[i] = *t->airport_index(fl[i].source);
        dst[i] = *t->airport_index(fl[i].destination);
    }
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (src[a] != src[b]) return src[a] < src[b];
        if (dst[a] != dst[b]) return dst[a] < dst[b];
        if (fl[a].departure_time != fl[b].departure_time) {
            return fl[a].departure_time < fl[b].departure_time;
        }
        return fl[a].id < fl[b].id;
    });
    t->leg_dep_.resize(n);
    t->leg_info_.resize(n);
    const std::size_t na = t->airports_.size();
    t->route_off_.assign(na + 1, 0);
    for (std::uint32_t l = 0; l < n; ++l) {
        const Flight& f = fl[order[l]];
        LegInfo& info = t->leg_info_[l];
        info.departure = rel(f.departure_time);
        info.arrival = rel(f.arrival_time);
        info.to = dst[order[l]];
        info.flight = order[l];
        info.price_cents = f.price.cents();
        info.id = f.id.value();
        t->leg_dep_[l] = info.departure;
        const bool new_route =
            l == 0 || src[order[l]] != src[order[l - 1]] || dst[order[l]] != dst[order[l - 1]];
        if (new_route) {
            Route r;
            r.from = src[order[l]];
            r.to = dst[order[l]];
            r.first_leg = l;
            r.end_leg = l;
            r.min_price_cents = std::numeric_limits<std::int64_t>::max();
            r.min_block_seconds = std::numeric_limits<std::int64_t>::max();
            t->routes_.push_back(r);
            ++t->route_off_[r.from + 1];
        }
        Route& r = t->routes_.back();
        r.end_leg = l + 1;
        r.min_price_cents = std::min(r.min_price_cents, info.price_cents);
        r.min_block_seconds =
            std::min(r.min_block_seconds, std::int64_t{info.arrival} - info.departure);
    }
    for (std::size_t a = 0; a < na; ++a) t->route_off_[a + 1] += t->route_off_[a];

    t->route_to_.reserve(t->routes_.size());
    for (const Route& r : t->routes_) t->route_to_.push_back(r.to);

    // Reverse adjacency: routes into each airport.
    t->in_off_.assign(na + 1, 0);
    for (const Route& r : t->routes_) ++t->in_off_[r.to + 1];
    for (std::size_t a = 0; a < na; ++a) t->in_off_[a + 1] += t->in_off_[a];
    t->in_routes_.resize(t->routes_.size());
    std::vector<std::uint32_t> fill(t->in_off_.begin(), t->in_off_.end() - 1);
    for (RouteIndex r = 0; r < t->routes_.size(); ++r) {
        t->in_routes_[fill[t->routes_[r].to]++] = r;
    }
    t->in_info_.resize(t->in_routes_.size());
    for (std::size_t i = 0; i < t->in_routes_.size(); ++i) {
        const Route& r = t->routes_[t->in_routes_[i]];
        t->in_info_[i] = InRoute{r.from, t->in_routes_[i], r.min_price_cents, r.min_block_seconds};
    }

    // Departures per airport across routes, sorted by time. Legs are already
    // grouped by origin, so each airport's block keeps the same leg range.
    t->by_time_off_.assign(na + 1, 0);
    t->by_time_leg_.resize(n);
    t->by_time_dep_.resize(n);
    t->by_time_to_.resize(n);
    for (std::size_t a = 0; a < na; ++a) {
        std::uint32_t legs = 0;
        for (std::uint32_t r = t->route_off_[a]; r < t->route_off_[a + 1]; ++r) {
            legs += t->routes_[r].end_leg - t->routes_[r].first_leg;
        }
        const LegIndex lo = t->by_time_off_[a];
        const LegIndex hi = lo + legs;
        t->by_time_off_[a + 1] = hi;
        auto first = t->by_time_leg_.begin() + lo;
        auto last = t->by_time_leg_.begin() + hi;
        std::iota(first, last, lo);
        std::stable_sort(first, last,
                         [&](LegIndex x, LegIndex y) { return t->leg_dep_[x] < t->leg_dep_[y]; });
        for (LegIndex i = lo; i < hi; ++i) {
            t->by_time_dep_[i] = t->leg_dep_[t->by_time_leg_[i]];
            t->by_time_to_[i] = t->leg_info_[t->by_time_leg_[i]].to;
        }
    }
    return std::shared_ptr<const Timetable>(std::move(t));
}

std::optional<AirportIndex> Timetable::airport_index(const AirportCode& code) const {
    auto it = std::lower_bound(airports_.begin(), airports_.end(), code);
    if (it == airports_.end() || *it != code) return std::nullopt;
    return static_cast<AirportIndex>(it - airports_.begin());
}

const Flight* Timetable::find(FlightId id) const {
    const auto i = ids_.find(id);
    return i ? &flights_[*i] : nullptr;
}

std::size_t Timetable::memory_bytes() const noexcept {
    std::size_t b = sizeof(*this) + bytes_of(flights_) + bytes_of(airports_) +
                    bytes_of(route_off_) + bytes_of(routes_) + bytes_of(route_to_) +
                    bytes_of(in_off_) + bytes_of(in_routes_) + bytes_of(in_info_) +
                    bytes_of(leg_dep_) + bytes_of(leg_info_) + bytes_of(by_time_off_) +
                    bytes_of(by_time_leg_) + bytes_of(by_time_dep_) + bytes_of(by_time_to_) +
                    ids_.memory_bytes();
    for (const Flight& f : flights_) {
        if (f.flight_number.capacity() > 15) b += f.flight_number.capacity() + 1;
    }
    return b;
}

}  // namespace flightbook::search
