#include "flightbook/schedule/generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <unordered_set>

#include "core/schedule/random.hpp"

namespace flightbook::schedule {
namespace {

constexpr int kCodeSpace = 26 * 26 * 26;
constexpr double kEarthRadiusKm = 6371.0;

struct Airport {
    double lat = 0;  // degrees
    double lon = 0;  // degrees
    double weight = 0;
    bool hub = false;
    int utc_offset_minutes = 0;  // from longitude: local time drives the banks
};

struct Leg {
    int from = 0;
    int to = 0;
};

double great_circle_km(const Airport& a, const Airport& b) {
    const double d2r = std::numbers::pi / 180.0;
    const double dlat = (b.lat - a.lat) * d2r;
    const double dlon = (b.lon - a.lon) * d2r;
    const double h =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(a.lat * d2r) * std::cos(b.lat * d2r) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::vector<Airport> make_airports(int n, Rng& rng) {
    // A handful of populated regions; airports cluster around them.
    constexpr std::array<std::array<double, 2>, 8> kRegions{
        {{40, -95}, {50, 10}, {30, 110}, {22, 79}, {-15, -55}, {5, 20}, {-28, 140}, {45, 60}}};
    const int hubs = std::clamp(static_cast<int>(std::lround(n / 40.0)), 1, 200);
    std::vector<Airport> out(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        Airport& a = out[static_cast<std::size_t>(i)];
        const auto& region =
            kRegions[static_cast<std::size_t>(i < hubs ? i % 8 : static_cast<int>(rng.below(8)))];
        a.lat = std::clamp(region[0] + rng.spread() * 9.0, -60.0, 70.0);
        a.lon = region[1] + rng.spread() * 14.0;
        a.weight = 1.0 / std::pow(i + 1.0, 0.9);  // Zipf-like sizes by rank
        a.hub = i < hubs;
        a.utc_offset_minutes = static_cast<int>(std::lround(a.lon / 15.0)) * 60;
    }
    return out;
}

// Undirected routes: spokes to the nearest hubs, hub to hub, then
// point-to-point routes between larger airports up to the target count.
std::vector<Leg> make_routes(const std::vector<Airport>& ap, int flights_per_day, Rng& rng) {
    const int n = static_cast<int>(ap.size());
    std::set<std::pair<int, int>> routes;
    auto add = [&](int a, int b) {
        if (a != b) routes.emplace(std::min(a, b), std::max(a, b));
    };
    std::vector<int> hubs;
    for (int i = 0; i < n; ++i) {
        if (ap[static_cast<std::size_t>(i)].hub) hubs.push_back(i);
    }
    auto nearest_hubs = [&](int a, std::size_t k) {
        std::vector<std::pair<double, int>> d;
        for (int h : hubs) {
            if (h != a) {
                d.emplace_back(great_circle_km(ap[static_cast<std::size_t>(a)],
                                               ap[static_cast<std::size_t>(h)]),
                               h);
            }
        }
        std::sort(d.begin(), d.end());
        d.resize(std::min(d.size(), k));
        return d;
    };
    for (int a = 0; a < n; ++a) {
        const bool big = a < n / 10;
        const bool mid = a < n / 4;
        const std::size_t k = ap[static_cast<std::size_t>(a)].hub ? 12 : (big ? 3 : (mid ? 2 : 1));
        for (const auto& [dist, h] : nearest_hubs(a, k)) add(a, h);
    }
    // The largest hubs connect to each other worldwide.
    const int top = std::min(static_cast<int>(hubs.size()), 12);
    for (int i = 0; i < top; ++i) {
        for (int j = i + 1; j < top; ++j)
            add(hubs[static_cast<std::size_t>(i)], hubs[static_cast<std::size_t>(j)]);
    }
    const std::size_t max_pairs = static_cast<std::size_t>(n) * static_cast<std::size_t>(n - 1) / 2;
    const std::size_t target = std::min<std::size_t>(
        {max_pairs, static_cast<std::size_t>(std::lround(6.1 * n)),
         std::max<std::size_t>(routes.size(), static_cast<std::size_t>(flights_per_day / 4))});
    // Cumulative weights for sampling airports proportionally to size.
    std::vector<double> cumulative(static_cast<std::size_t>(n));
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        sum += std::pow(ap[static_cast<std::size_t>(i)].weight, 0.6);
        cumulative[static_cast<std::size_t>(i)] = sum;
    }
    auto sample = [&] {
        const double x = rng.uniform() * sum;
        auto it = std::lower_bound(cumulative.begin(), cumulative.end(), x);
        return std::min(static_cast<int>(it - cumulative.begin()), n - 1);
    };
    for (std::size_t attempts = 0; routes.size() < target && attempts < target * 200; ++attempts) {
        const int a = sample();
        const int b = sample();
        if (a == b) continue;
        const double km =
            great_circle_km(ap[static_cast<std::size_t>(a)], ap[static_cast<std::size_t>(b)]);
        if (rng.uniform() > std::exp(-km / 2500.0)) continue;  // mostly regional
        add(a, b);
    }
    std::vector<Leg> out;
    out.reserve(routes.size());
    for (const auto& [a, b] : routes) out.push_back({a, b});
    return out;
}

std::int64_t round_to(std::int64_t v, std::int64_t step) { return (v + step / 2) / step * step; }

}  // namespace

AirportCode synthetic_airport_code(int index) {
    const int x = static_cast<int>((static_cast<std::int64_t>(index) * 7919 + 4321) % kCodeSpace);
    const std::array<char, 3> c{static_cast<char>('A' + x / 676),
                                static_cast<char>('A' + (x / 26) % 26),
                                static_cast<char>('A' + x % 26)};
    return AirportCode::parse(std::string_view(c.data(), 3)).value();
}

Status validate(const GeneratorOptions& o) {
    auto bad = [](std::string m) { return fail(ErrorCode::kInvalidArgument, std::move(m)); };
    if (o.airports < 2 || o.airports > kCodeSpace) return bad("airports must be from 2 to 17576");
    if (o.flights_per_day < 1 || o.flights_per_day > 1'000'000) {
        return bad("flights per day must be from 1 to 1000000");
    }
    if (o.days < 1 || o.days > 31) return bad("days must be from 1 to 31");
    return ok();
}

Result<std::vector<Flight>> generate_schedule(const GeneratorOptions& o) {
    FLIGHTBOOK_TRY_STATUS(validate(o));
    Rng rng(o.seed);
    const auto airports = make_airports(o.airports, rng);
    const auto routes = make_routes(airports, o.flights_per_day, rng);

    // Daily frequency per direction ~ (size_a * size_b)^0.6, hubs boosted,
    // scaled so that the total comes close to flights_per_day.
    std::vector<double> raw(routes.size());
    double raw_sum = 0;
    for (std::size_t r = 0; r < routes.size(); ++r) {
        const Airport& a = airports[static_cast<std::size_t>(routes[r].from)];
        const Airport& b = airports[static_cast<std::size_t>(routes[r].to)];
        raw[r] = std::pow(a.weight * b.weight, 0.25) * (a.hub && b.hub ? 1.5 : 1.0);
        raw_sum += raw[r];
    }
    // 3% of flights are cancelled on some days (below), so aim 3% higher.
    const double target = o.flights_per_day / 0.97;
    double scale = target / (2.0 * raw_sum);
    std::vector<int> freq(routes.size());
    for (int iter = 0; iter < 8; ++iter) {
        std::int64_t total = 0;
        for (std::size_t r = 0; r < routes.size(); ++r) {
            freq[r] = std::max(1, static_cast<int>(std::lround(raw[r] * scale)));
            total += 2 * static_cast<std::int64_t>(freq[r]);
        }
        if (total == 0) break;
        scale *= target / static_cast<double>(total);
    }

    std::vector<Flight> out;
    const std::int64_t day0 = to_unix_seconds(UtcTime{o.start_date});
    constexpr std::array<int, 8> kBanksLocal{7 * 60,  9 * 60,  11 * 60, 13 * 60,
                                             15 * 60, 17 * 60, 19 * 60, 21 * 60};
    int route_number = 0;
    for (std::size_t r = 0; r < routes.size(); ++r) {
        for (int dir = 0; dir < 2; ++dir) {
            ++route_number;
            const int from = dir == 0 ? routes[r].from : routes[r].to;
            const int to = dir == 0 ? routes[r].to : routes[r].from;
            const Airport& a = airports[static_cast<std::size_t>(from)];
            const Airport& b = airports[static_cast<std::size_t>(to)];
            const double km = great_circle_km(a, b);
            const std::int64_t block_min = round_to(30 + std::llround(km / 800.0 * 60.0), 5);
            const int seats = 70 + static_cast<int>(std::min(330.0, km / 15.0)) / 10 * 10;
            const int carrier_index = std::min(from, to);  // the larger airport's carrier
            const std::string carrier{static_cast<char>('A' + carrier_index % 26),
                                      static_cast<char>('A' + (carrier_index / 26 + 7) % 26)};
            const int f = freq[r];
            for (int slot = 0; slot < f; ++slot) {
                // Local departure minute: banks at hubs, spread elsewhere.
                std::int64_t local = 0;
                const std::size_t bank =
                    static_cast<std::size_t>((static_cast<std::uint64_t>(slot) * 8 + rng.below(8)) /
                                             static_cast<std::uint64_t>(f)) %
                    8;
                if (a.hub) {
                    local = kBanksLocal[bank] + static_cast<std::int64_t>(rng.below(50));
                } else if (b.hub) {
                    local = kBanksLocal[bank] - 10 - static_cast<std::int64_t>(rng.below(50)) -
                            block_min;
                } else {
                    local = 360 +  // 06:00
                            static_cast<std::int64_t>((slot + rng.uniform()) * 17.0 * 60.0 / f);
                }
                local = round_to(std::clamp<std::int64_t>(local, 300, 1'435), 5);  // 05:00-23:55
                const double hour = static_cast<double>(local) / 60.0;
                const double time_factor = (hour >= 7 && hour < 9) || (hour >= 17 && hour < 20)
                                               ? 1.2
                                               : (hour < 7 || hour >= 21 ? 0.85 : 1.0);
                const std::string number =
                    fmt::format("{}{}", carrier, 1 + (route_number * 7 + slot) % 9999);
                for (int day = 0; day < o.days; ++day) {
                    if (rng.uniform() < 0.03) continue;  // a few cancelled days
                    Flight fl;
                    fl.flight_number = number;
                    fl.source = synthetic_airport_code(from);
                    fl.destination = synthetic_airport_code(to);
                    const std::int64_t dep =
                        day0 + day * std::int64_t{86'400} + (local - a.utc_offset_minutes) * 60;
                    fl.departure_time = from_unix_seconds(dep);
                    fl.arrival_time = from_unix_seconds(dep + block_min * 60);
                    fl.total_seats = seats;
                    fl.booked_seats = static_cast<std::int32_t>(rng.uniform() * 0.9 * seats);
                    const double units =
                        (40.0 + 0.11 * km) * time_factor * (0.85 + 0.4 * rng.uniform());
                    fl.price = Money::from_cents(std::llround(units) * 100);
                    fl.created_at = from_unix_seconds(day0);
                    out.push_back(std::move(fl));
                }
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Flight& x, const Flight& y) {
        if (x.departure_time != y.departure_time) return x.departure_time < y.departure_time;
        if (x.source != y.source) return x.source < y.source;
        if (x.destination != y.destination) return x.destination < y.destination;
        return x.flight_number < y.flight_number;
    });
    // Carriers and numbers wrap, so two flights can share a number and a
    // departure time; the flights table (and airlines) forbid that. The later
    // one gets a letter suffix (AB123 -> AB123A), in this deterministic order.
    std::unordered_set<std::string> taken;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i > 0 && out[i].departure_time != out[i - 1].departure_time) taken.clear();
        if (!taken.insert(out[i].flight_number).second) {
            const std::string base = out[i].flight_number;
            for (char suffix = 'A'; suffix <= 'Z'; ++suffix) {
                out[i].flight_number = base + suffix;
                if (taken.insert(out[i].flight_number).second) break;
            }
        }
        out[i].id = FlightId{static_cast<std::int64_t>(i + 1)};
    }
    return out;
}

}  // namespace flightbook::schedule
