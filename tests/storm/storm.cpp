#include "storm.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "monitor.hpp"
#include "reader.hpp"
#include "workload.hpp"

namespace flightbook::storm {

namespace {

// Users of a run: a fresh range per run (by the clock), so that a run
// against a long-lived system judges only its own bookings and payments.
std::int64_t pick_user_base(const StormOptions& o) {
    if (o.user_base > 0) return o.user_base;
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    return 1'000'000'000 + (s % 1'000'000) * 1000;
}

Result<std::vector<Route>> routes_of(const StormOptions& o) {
    http::ClientOptions co;
    co.base_url = o.targets.flight_url;
    co.read_timeout_ms = 5000;
    auto client = http::Client::create(co);
    if (!client) return fail(client.error());
    std::map<std::int64_t, std::pair<std::string, std::string>> ends;
    for (std::int64_t f : flights_of(o.itineraries)) {
        auto r = client->get(fmt::format("/api/flights/{}", f));
        if (!r) return fail(r.error());
        if (r->status != 200) {
            return fail(ErrorCode::kFailedPrecondition,
                        fmt::format("flight {}: GET answered {}", f, r->status));
        }
        auto obj = http::parse_object(r->body);
        if (!obj) return fail(obj.error());
        auto src = obj->get_string("source");
        auto dst = obj->get_string("destination");
        if (!src || !dst) return fail(ErrorCode::kInternal, "flight answer without its route");
        ends[f] = {*src, *dst};
    }
    std::vector<Route> routes;
    for (const Itinerary& it : o.itineraries) {
        routes.push_back(Route{ends[it.front()].first, ends[it.back()].second});
    }
    return routes;
}

void say(const StormOptions& o, const std::string& text) {
    if (o.verbose) std::fprintf(stderr, "storm: %s\n", text.c_str());
}

}  // namespace

Result<StormResult> run_storm(const StormOptions& o) {
    if (o.itineraries.empty() || o.clients < 1 || o.seconds < 1 || o.users < 1 || o.users > 1000) {
        return fail(ErrorCode::kInvalidArgument,
                    "need itineraries, clients >= 1, seconds >= 1 and 1-1000 users");
    }
    auto reader = SystemReader::open(o.targets);
    if (!reader) return fail(reader.error());
    const std::vector<std::int64_t> flights = flights_of(o.itineraries);
    auto routes = routes_of(o);
    if (!routes) return fail(routes.error());

    History history;
    auto start = (*reader)->postgres_seats(flights, history.now_ns());
    if (!start) return fail(start.error());
    if (start->size() != flights.size()) {
        return fail(ErrorCode::kFailedPrecondition, "some flights of the itineraries are missing");
    }
    StormResult out;
    std::map<std::int64_t, std::int64_t> available;
    for (const SeatSample& s : *start) {
        out.final_state.baseline[s.flight] = s.booked - s.held - s.confirmed_legs;
        available[s.flight] = s.available;
    }
    const std::int64_t first_user = pick_user_base(o);
    const UserRange users{first_user, first_user + o.users - 1};
    const auto orders = plan_orders(o, available, first_user, std::to_string(first_user));
    say(o, fmt::format("{} orders on {} flights, users {}-{}", orders.size(), flights.size(),
                       users.first, users.last));

    // The monitor has its own connections: the reader is not shared.
    auto monitor_reader = SystemReader::open(o.targets);
    if (!monitor_reader) return fail(monitor_reader.error());
    const auto t0 = std::chrono::steady_clock::now();
    {
        Monitor monitor(**monitor_reader, flights, o.monitor_interval_ms, history);
        run_workload(o, orders, *routes, history);
        monitor.stop();
        out.samples = *start;
        const auto more = monitor.samples();
        out.samples.insert(out.samples.end(), more.begin(), more.end());
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    say(o, fmt::format("workload done in {:.1f} s; waiting for bookings to settle", wall));

    // Bounded wait for pending bookings to be resolved by the reconciler.
    const auto settle_deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(o.settle_seconds);
    for (;;) {
        auto open = (*reader)->open_bookings(users);
        if (open && *open == 0) {
            out.final_state.settled = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= settle_deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }

    // Final reads. Redis is updated right after PostgreSQL by the same
    // request, so a disagreement is retried briefly before it counts.
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto pg = (*reader)->postgres_seats(flights, history.now_ns());
        auto redis = (*reader)->redis_seats(flights, history.now_ns());
        if (!pg || !redis) return fail(!pg ? pg.error() : redis.error());
        out.final_state.seats = *pg;
        out.final_state.seats.insert(out.final_state.seats.end(), redis->begin(), redis->end());
        const auto api = (*reader)->api_seats(flights, history.now_ns());
        out.final_state.seats.insert(out.final_state.seats.end(), api.begin(), api.end());
        bool agree = true;
        for (const SeatSample& r : *redis) {
            for (const SeatSample& p : *pg) {
                if (p.flight == r.flight && p.available != r.available) agree = false;
            }
        }
        if (agree) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    auto bookings = (*reader)->bookings(users);
    if (!bookings) return fail(bookings.error());
    out.final_state.bookings = std::move(bookings).value();
    auto payments = (*reader)->payments(users);
    if (!payments) return fail(payments.error());
    out.final_state.payments = std::move(payments).value();
    auto holds = (*reader)->expired_holds(flights, o.hold_expiry_slack_seconds);
    if (!holds) return fail(holds.error());
    out.final_state.expired_holds = std::move(holds).value();

    out.calls = history.calls();
    out.violations =
        check(CheckInput{out.calls, history.started_count(), out.samples, out.final_state});
    out.summary = summarize(out.calls, wall, out.samples, out.final_state);
    out.report = format_report(out.summary, out.violations);
    return out;
}

}  // namespace flightbook::storm
