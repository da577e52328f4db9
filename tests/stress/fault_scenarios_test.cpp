// Fault scenarios over the three real binaries (issue 12): flight-service
// killed mid-storm, Redis flushed and killed, the flights database cut away,
// payment-service down for a while, and slow clients holding connections.
// Each case injects one fault while clients keep working, counts every answer
// (a status or a transport error: nothing goes uncounted), states its pass
// criteria as CHECKs, and ends with the SPEC §5 invariants read from the
// databases (booking_invariants.hpp). The figures go to the test output
// (MESSAGE) and to docs/reliability.md.
//
// Each case stays under 20 s in the release build; the sanitizer builds run
// fewer requests and allow wider latency bounds (kSanitized).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "booking_invariants.hpp"
#include "fault_tools.hpp"
#include "flightbook/redis/client.hpp"
#include "tcp_proxy.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

// A reconciler that looks every 100 ms at bookings pending for 2 s; the
// payment client's whole time budget (2 × (200 + 500) ms + backoff) stays
// below that grace, as booking-service insists.
const std::vector<std::string> kFastReconcile{
    "--reconcile-interval-ms",     "100", "--reconcile-grace-seconds", "2",
    "--client-connect-timeout-ms", "200", "--payment-read-timeout-ms", "500",
    "--client-attempts",           "2"};

// FLIGHTBOOK_FAULTS_SCALE (1–50, default 1) multiplies the requests of every
// storm and probe: the long version of the scenarios, run by hand.
int scale() {
    static const int factor = [] {
        const char* text = std::getenv("FLIGHTBOOK_FAULTS_SCALE");
        const int n = text == nullptr ? 1 : std::atoi(text);
        return std::clamp(n, 1, 50);
    }();
    return factor;
}

int scaled(int release, int sanitized) { return (kSanitized ? sanitized : release) * scale(); }

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Waits (bounded by `timeout`) until `done()`; whether it happened.
template <typename Fn>
bool wait_for(Fn done, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

// The body of a booking request: one leg, or DEL→HYD→BLR (flights 8 and 9).
std::string booking_body(std::int64_t user, int flight, int seats) {
    if (flight == 0) {
        return fmt::format(
            R"({{"user_id":{},"flight_ids":[8,9],"seats":{},"date":"2024-02-15","payment_type":"upi"}})",
            user, seats);
    }
    return fmt::format(
        R"({{"user_id":{},"flight_id":{},"seats":{},"date":"2024-02-15","payment_type":"upi"}})",
        user, flight, seats);
}

// True when an answer is a JSON object with an "error" field: what every
// error answer of the services must be.
bool json_error(const Result<http::ClientResponse>& r) {
    if (!r) return false;
    auto obj = http::parse_object(r->body);
    return obj.has_value() && obj->get_string("error").has_value();
}

// Concurrent bookings on a rotation of flights (0 = the two-leg itinerary),
// 1–3 seats each, every answer counted and timed; the ids of bookings
// answered 200 (confirmed) are kept to check that none is lost.
class BookingStorm {
public:
    BookingStorm(BookingSystem& sys, std::int64_t user_base, std::vector<int> flights)
        : sys_(sys), user_base_(user_base), flights_(std::move(flights)) {}

    void run(int threads, int per_thread) {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([this, t, per_thread] {
                const std::int64_t user = user_base_ + t;
                auto c = sys_.as_user(user);
                for (int i = 0; i < per_thread; ++i) {
                    const int flight = flights_[static_cast<std::size_t>(t + i) % flights_.size()];
                    const int seats = 1 + (t * 7 + i) % 3;
                    {
                        std::lock_guard lock(mutex_);
                        asked_[flight] += seats;
                    }
                    auto r = timed(latency, [&] {
                        return c.post("/api/bookings", booking_body(user, flight, seats));
                    });
                    answers.add(r);
                    if (r && r->status >= 500 && !json_error(r)) ++non_json_5xx;
                    if (r && r->status >= 400) {
                        auto obj = http::parse_object(r->body);
                        const std::string code =
                            obj && obj->get_string("error") ? *obj->get_string("error") : "?";
                        if (code == "sold_out") ++sold_out;
                        std::lock_guard lock(mutex_);
                        ++errors_[std::to_string(r->status) + " " + code];
                    }
                    if (r && r->status == 200) {
                        auto obj = http::parse_object(r->body);
                        if (obj && obj->get_int64("booking_id")) {
                            std::lock_guard lock(mutex_);
                            confirmed_ids_.push_back(*obj->get_int64("booking_id"));
                        }
                    }
                    ++done;
                }
            });
        }
        for (auto& th : pool) th.join();
    }

    // Every booking answered 200 is still confirmed (nothing lost).
    void check_confirmed_kept() {
        std::lock_guard lock(mutex_);
        for (std::int64_t id : confirmed_ids_) {
            CAPTURE(id);
            CHECK(sys_.scalar("bookings", fmt::format("SELECT count(*) FROM bookings WHERE id = {} "
                                                      "AND status = 'confirmed'",
                                                      id)) == 1);
        }
    }

    // "400 sold_out:12 503 unavailable:3": error answers by status and code.
    std::string errors() {
        std::lock_guard lock(mutex_);
        std::string text;
        for (const auto& [what, n] : errors_) text += what + ":" + std::to_string(n) + " ";
        return text;
    }

    // Seats asked for on `flight` (0: the two-leg itinerary).
    int asked(int flight) {
        std::lock_guard lock(mutex_);
        return asked_[flight];
    }

    Tally answers;
    LatencyLog latency;
    std::atomic<int> done{0};
    std::atomic<int> non_json_5xx{0};
    std::atomic<int> sold_out{0};

private:
    BookingSystem& sys_;
    std::int64_t user_base_;
    std::vector<int> flights_;
    std::mutex mutex_;
    std::vector<std::int64_t> confirmed_ids_;
    std::map<int, int> asked_;
    std::map<std::string, int> errors_;
};

// Reads every flight row every 50 ms while a scenario runs and counts reads
// that break `available + held + confirmed = total` (available = total -
// booked, held <= booked <= total: held + confirmed = booked).
class SeatMonitor {
public:
    explicit SeatMonitor(BookingSystem& sys) : sys_(sys) {
        thread_ = std::thread([this] {
            auto conn = sys_.flights_db().connect();
            while (!stop_.load()) {
                auto r = conn->exec(postgres::Statement{
                    "mon_seats",
                    "SELECT count(*) FROM flights WHERE booked_seats > total_seats OR "
                    "booked_seats < 0 OR held_seats < 0 OR held_seats > booked_seats"});
                if (r && r->rows() == 1) {
                    ++reads;
                    if (r->int64(0, 0) != 0) ++violations;
                }
                std::this_thread::sleep_for(50ms);
            }
        });
    }
    ~SeatMonitor() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    std::atomic<int> reads{0};
    std::atomic<int> violations{0};

private:
    BookingSystem& sys_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Makes `n` bookings one after another; how many were confirmed (200).
int bookings_completed(BookingSystem& sys, std::int64_t user, int flight, int n) {
    auto c = sys.as_user(user);
    int ok = 0;
    for (int i = 0; i < n; ++i) {
        auto r = c.post("/api/bookings", booking_body(user, flight, 1));
        if (r && r->status == 200) ++ok;
    }
    return ok;
}

// Polls `path` of a service until it answers `status`; ms it took, or -1.
double until_status(const ServiceProcess& service, const std::string& path, int status,
                    std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    auto c = service.client({}, 2000);
    const bool ok = wait_for(
        [&] {
            auto r = c.get(path);
            return r && r->status == status;
        },
        timeout);
    return ok ? ms_since(start) : -1;
}

void report(const std::string& scenario, BookingStorm& storm) {
    MESSAGE(scenario << ": bookings " << storm.answers.summary() << " (errors " << storm.errors()
                     << "); latency " << storm.latency.summary());
}

// Bookings stored: every answer but a refusal before the store (400 of the
// itinerary check, 503 of an unreachable flight-service) leaves one.
std::int64_t stored_bookings(BookingSystem& sys) {
    return sys.scalar("bookings", "SELECT count(*) FROM bookings");
}

}  // namespace

TEST_SUITE("faults") {
    TEST_CASE("fault: flight-service killed with kill -9 mid-storm and restarted on its port") {
        BookingSystem sys(
            {.payment_args = never_failing_payments(), .booking_args = kFastReconcile});
        SeatMonitor monitor(sys);
        BookingStorm storm(sys, 10'000, {1, 2, 0, 4, 5, 7});
        const int threads = kSanitized ? 4 : 8;
        const int per_thread = scaled(15, 8);
        double down_ms = 0;
        std::thread chaos([&] {
            wait_for([&] { return storm.done.load() >= threads * per_thread / 4; }, 10s);
            const auto killed = Clock::now();
            sys.flight().kill_now();
            std::this_thread::sleep_for(300ms);
            sys.flight().start();  // same port, waits until /ready
            down_ms = ms_since(killed);
        });
        storm.run(threads, per_thread);
        chaos.join();
        report("flight-service kill -9", storm);
        MESSAGE("flight-service down (kill to ready again): " << down_ms << " ms");

        // Pass: every request answered by booking-service (which stayed up),
        // never a 500, every 5xx a JSON error, within the client budget.
        CHECK(storm.answers.total() == threads * per_thread);
        CHECK(storm.answers.transport() == 0);
        CHECK(storm.answers.status(500) == 0);
        CHECK(storm.non_json_5xx.load() == 0);
        CHECK(storm.latency.max() < (kSanitized ? 8000 : 4000));
        REQUIRE(wait_until_settled(sys, 30s));
        monitor.stop();
        CHECK(monitor.violations.load() == 0);
        CHECK(monitor.reads.load() > 0);
        const auto tally = check_invariants(sys, reference_booked());
        // Nothing lost: every 200 is still confirmed, every 202 settled, and
        // only refusals (4xx/503, nothing stored) left no booking behind.
        CHECK(tally.confirmed >= storm.answers.status(200));
        CHECK(tally.confirmed + tally.final_other == stored_bookings(sys));
        CHECK(stored_bookings(sys) >= storm.answers.status(200) + storm.answers.status(202));
        storm.check_confirmed_kept();
        CHECK(bookings_completed(sys, 10'999, 8, 3) == 3);  // bookings complete again
    }

    TEST_CASE("fault: Redis FLUSHALL, then Redis killed and restarted, mid-storm") {
        BookingSystem sys({.flight_args = {"--reconcile-interval-seconds", "1"},
                           .payment_args = never_failing_payments(),
                           .booking_args = kFastReconcile});
        SeatMonitor monitor(sys);
        // Flights 3 and 5 have 100 and 120 seats left: the storm asks for
        // more than that, so they sell out while Redis comes and goes.
        BookingStorm storm(sys, 20'000, {3, 3, 5, 0});
        const int threads = kSanitized ? 4 : 8;
        const int per_thread = scaled(20, 10);
        const int total = threads * per_thread;
        auto redis = redis::Client::create(
            redis::ClientOptions{"127.0.0.1", sys.redis().port(), 1, 500, 500, 500});
        REQUIRE(redis);

        std::atomic<bool> storming{true};
        Tally searches;
        LatencyLog search_latency;
        std::thread searcher([&] {
            auto c = sys.flight().client({}, 5000);
            while (storming.load()) {
                auto r = timed(search_latency, [&] {
                    return c.get(
                        "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=1");
                });
                searches.add(r);
                std::this_thread::sleep_for(5ms);
            }
        });
        std::atomic<bool> flushed{false};
        std::thread chaos([&] {
            wait_for([&] { return storm.done.load() >= total / 3; }, 10s);
            flushed = (*redis)->command({"FLUSHALL"}).has_value();
            wait_for([&] { return storm.done.load() >= 2 * total / 3; }, 10s);
            sys.redis().kill_now();
            std::this_thread::sleep_for(300ms);
            sys.redis().start();  // same port, empty
        });
        storm.run(threads, per_thread);
        chaos.join();
        storming = false;
        searcher.join();
        report("Redis FLUSHALL + kill", storm);
        MESSAGE("searches during the storm: " << searches.summary() << "; latency "
                                              << search_latency.summary());

        CHECK(flushed.load());
        // Pass: Redis is only an accelerator, so no request fails because of
        // it: bookings are 200 or 400 sold_out, searches 200.
        CHECK(storm.answers.total() == total);
        CHECK(storm.answers.transport() == 0);
        CHECK(storm.answers.in_range(500, 599) == 0);
        CHECK(storm.answers.status(200) > 0);
        CHECK(storm.answers.status(200) + storm.answers.status(400) + storm.answers.status(202) ==
              total);
        CHECK(searches.total() > 0);
        CHECK(searches.status(200) == searches.total());
        REQUIRE(wait_until_settled(sys, 30s));
        monitor.stop();
        CHECK(monitor.violations.load() == 0);
        const auto tally = check_invariants(sys, reference_booked());  // no oversell, nothing lost
        CHECK(tally.confirmed >= storm.answers.status(200));
        CHECK(tally.confirmed + tally.final_other == stored_bookings(sys));
        CHECK(stored_bookings(sys) >= storm.answers.status(200) + storm.answers.status(202));
        storm.check_confirmed_kept();
        // More asked than the 100 seats left: sold out, never oversold.
        if (storm.asked(3) > 100) CHECK(storm.sold_out.load() > 0);

        // The counters are rebuilt and equal PostgreSQL's truth (SPEC §5):
        // the flight-service reconciler repairs any drift within a second.
        CHECK(bookings_completed(sys, 20'999, 8, 2) == 2);  // also rebuilds flight 8's counter
        std::string mismatch;
        const auto counters_match = [&] {
            // A fresh connection each time: the one above saw Redis die.
            auto fresh = redis::Client::create(
                redis::ClientOptions{"127.0.0.1", sys.redis().port(), 1, 500, 500, 500});
            if (!fresh) {
                mismatch = fresh.error().message;
                return false;
            }
            int present = 0;
            for (int flight = 1; flight <= 16; ++flight) {
                auto v = (*fresh)->command(
                    {"HGET", "flightbook:seats:flight:" + std::to_string(flight), "available"});
                if (!v) {
                    mismatch = v.error().message;
                    return false;
                }
                // An absent counter is loaded from PostgreSQL on first use.
                if (v->is_nil()) continue;
                ++present;
                const auto row = sys.seats(flight);
                if (v->as_integer() != row.total - row.booked) {
                    mismatch = fmt::format("flight {}: counter {}, PostgreSQL {}", flight,
                                           v->as_integer().value_or(-1), row.total - row.booked);
                    return false;
                }
            }
            if (present == 0) mismatch = "no counter was rebuilt";
            return present > 0;
        };
        const auto counters_checked = Clock::now();
        CHECK_MESSAGE(wait_for(counters_match, 10s), mismatch);
        MESSAGE("counters equal PostgreSQL " << ms_since(counters_checked)
                                             << " ms after the storm");
        // Searches and bookings go on after the restart.
        auto after = sys.flight().client().get(
            "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=1");
        REQUIRE(after);
        CHECK(after->status == 200);
    }

    TEST_CASE("fault: the flights database unreachable for a few seconds") {
        TcpProxy proxy(dsn_port(pg_dsn()));
        BookingSystem sys({.payment_args = never_failing_payments(),
                           .booking_args = kFastReconcile,
                           .flights_db_port = proxy.port()});
        REQUIRE(proxy.forwarded() > 0);
        REQUIRE(bookings_completed(sys, 30'000, 1, 2) == 2);

        proxy.stop();
        const auto cut = Clock::now();
        const auto outage = kSanitized ? 3s : 4s;
        Tally flight_answers, booking_answers, ready_answers;
        LatencyLog flight_latency, booking_latency;
        std::atomic<int> non_json{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < 2; ++t) {
            clients.emplace_back([&, t] {
                auto c = sys.flight().client({}, 10000);
                for (int i = 0; Clock::now() - cut < outage; ++i) {
                    const std::string path =
                        i % 2 == 0 ? "/api/flights/" + std::to_string(1 + (t + i) % 16)
                                   : "/api/flights/search?source=DEL&destination=BOM&date="
                                     "2024-02-15&seats=1";
                    auto r = timed(flight_latency, [&] { return c.get(path); });
                    flight_answers.add(r);
                    if (r && r->status >= 400 && !json_error(r)) ++non_json;
                    std::this_thread::sleep_for(20ms);
                }
            });
            clients.emplace_back([&, t] {
                const std::int64_t user = 30'001 + t;
                auto c = sys.as_user(user);
                for (int i = 0; Clock::now() - cut < outage; ++i) {
                    auto r = timed(booking_latency, [&] {
                        return c.post("/api/bookings", booking_body(user, 2 + i % 4, 1));
                    });
                    booking_answers.add(r);
                    if (r && r->status >= 400 && !json_error(r)) ++non_json;
                    std::this_thread::sleep_for(20ms);
                }
            });
        }
        clients.emplace_back([&] {
            auto c = sys.flight().client({}, 10000);
            while (Clock::now() - cut < outage) {
                ready_answers.add(c.get("/ready"));
                std::this_thread::sleep_for(100ms);
            }
        });
        for (auto& th : clients) th.join();
        proxy.start();
        const double ready_after = until_status(sys.flight(), "/ready", 200, 15s);
        // The first booking that completes after the database is back.
        const auto restored = Clock::now();
        const bool booked_again =
            wait_for([&] { return bookings_completed(sys, 30'010, 9, 1) == 1; }, 15s);
        const double booking_after = ms_since(restored);

        MESSAGE("flights DB cut for " << outage.count() << " s: flight-service "
                                      << flight_answers.summary() << ", latency "
                                      << flight_latency.summary());
        MESSAGE("  booking-service " << booking_answers.summary() << ", latency "
                                     << booking_latency.summary());
        MESSAGE("  /ready " << ready_answers.summary() << "; ready again " << ready_after
                            << " ms after restore, first booking " << booking_after << " ms");

        // Pass: fast JSON answers, never a hang: every request answered
        // within 2 s (4 s under sanitizers), no transport error, no 500;
        // failures are 503 JSON errors; /ready says 503; recovery by itself.
        const double bound = kSanitized ? 4000 : 2000;
        CHECK(flight_answers.transport() == 0);
        CHECK(booking_answers.transport() == 0);
        CHECK(flight_latency.max() < bound);
        CHECK(booking_latency.max() < bound);
        CHECK(flight_answers.status(500) == 0);
        CHECK(booking_answers.status(500) == 0);
        CHECK(non_json.load() == 0);
        CHECK(flight_answers.in_range(500, 599) == flight_answers.status(503));
        CHECK(booking_answers.in_range(500, 599) == booking_answers.status(503));
        CHECK(booking_answers.status(503) > 0);  // seats are not sold without PostgreSQL
        CHECK(booking_answers.status(200) == 0);
        CHECK(ready_answers.status(503) > 0);
        CHECK(ready_after >= 0);
        CHECK(booked_again);
        REQUIRE(wait_until_settled(sys, 30s));
        check_invariants(sys, reference_booked());
    }

    TEST_CASE("fault: payment-service down for a while, then back") {
        BookingSystem sys(
            {.payment_args = never_failing_payments(), .booking_args = kFastReconcile});
        REQUIRE(bookings_completed(sys, 40'000, 1, 2) == 2);
        sys.payment().kill_now();
        const auto down = Clock::now();

        BookingStorm storm(sys, 40'001, {2, 4, 0, 7});
        const int threads = 4;
        const int per_thread = scaled(8, 4);
        storm.run(threads, per_thread);
        report("payment-service down", storm);

        // Pass while it is down: every request answered fast, never a 500 or
        // a confirmation (nothing can be charged), and the seats of every
        // booking that failed come back while payment-service is still down:
        // PostgreSQL holds only the seats of bookings still pending.
        CHECK(storm.answers.total() == threads * per_thread);
        CHECK(storm.answers.transport() == 0);
        CHECK(storm.answers.status(500) == 0);
        CHECK(storm.answers.status(200) == 0);
        CHECK(storm.non_json_5xx.load() == 0);
        CHECK(storm.latency.max() < (kSanitized ? 8000 : 4000));
        const auto held_matches_pending = [&] {
            return sys.scalar("flights", "SELECT sum(held_seats) FROM flights") ==
                   sys.scalar("bookings",
                              "SELECT coalesce(sum(b.seats), 0) FROM bookings b JOIN "
                              "booking_legs l ON l.booking_id = b.id WHERE b.status = 'pending'");
        };
        CHECK(wait_for(held_matches_pending, 10s));
        const auto pending_while_down =
            sys.scalar("bookings", "SELECT count(*) FROM bookings WHERE status = 'pending'");
        // Keep it down past the reconciler's grace, so that it runs without
        // a payment service too.
        std::this_thread::sleep_until(down + 3s);
        CHECK(held_matches_pending());
        MESSAGE("payment-service down: " << pending_while_down << " bookings pending (seats held), "
                                         << sys.scalar("bookings",
                                                       "SELECT count(*) FROM bookings WHERE "
                                                       "status = 'failed'")
                                         << " failed (seats back)");

        const auto back = Clock::now();
        sys.payment().start();
        REQUIRE(wait_until_settled(sys, 30s));
        MESSAGE("settled " << ms_since(back) << " ms after payment-service was back");
        const auto tally = check_invariants(sys, reference_booked());
        CHECK(tally.confirmed + tally.final_other == stored_bookings(sys));
        CHECK(stored_bookings(sys) >= 2 + storm.answers.status(202));
        CHECK(bookings_completed(sys, 40'999, 8, 2) == 2);
    }

    TEST_CASE("fault: 64 slow clients per service send request heads a byte at a time") {
        BookingSystem sys({.payment_args = never_failing_payments()});
        const int per_service = 64;
        // The same bookings without slow clients first, for comparison.
        LatencyLog baseline;
        auto c = sys.as_user(50'000);
        for (int i = 0; i < 10; ++i) {
            auto r = timed(baseline,
                           [&] { return c.post("/api/bookings", booking_body(50'000, 1 + i, 1)); });
            REQUIRE(r);
            REQUIRE(r->status == 200);
        }
        SlowClients slow({sys.flight().port(), sys.booking().port(), sys.payment().port()},
                         per_service, 20ms);
        // Let every slow connection be accepted and start trickling.
        REQUIRE(wait_for([&] { return slow.bytes_sent() >= 3 * per_service * 10; }, 5s));

        const int probes = scaled(200, 100);
        std::vector<ServiceProcess*> services{&sys.flight(), &sys.booking(), &sys.payment()};
        std::vector<LatencyLog> health(services.size());
        int health_ok = 0;
        for (std::size_t s = 0; s < services.size(); ++s) {
            for (int i = 0; i < probes; ++i) {
                // A fresh connection per probe, as a load balancer's check.
                auto probe = services[s]->client({}, 10000);
                auto r = timed(health[s], [&] { return probe.get("/health"); });
                if (r && r->status == 200) ++health_ok;
            }
        }
        LatencyLog booking_latency;
        int booked = 0;
        for (int i = 0; i < 10; ++i) {
            auto r = timed(booking_latency,
                           [&] { return c.post("/api/bookings", booking_body(50'000, 1 + i, 1)); });
            if (r && r->status == 200) ++booked;
        }
        MESSAGE("slow clients: " << slow.bytes_sent() << " bytes trickled, " << slow.reopened()
                                 << " connections cut by the servers and reopened");
        const std::string names[] = {"flight-service", "booking-service", "payment-service"};
        for (std::size_t s = 0; s < services.size(); ++s) {
            MESSAGE("  " << names[s] << " /health " << health[s].summary());
        }
        MESSAGE("  bookings " << booked << "/10, latency " << booking_latency.summary()
                              << " (without slow clients: " << baseline.summary() << ")");

        // Pass: /health p99 under 500 ms on every service (1500 ms under
        // sanitizers) and every probe answered; bookings still complete.
        const double bound = kSanitized ? 1500 : 500;
        CHECK(health_ok == 3 * probes);
        for (std::size_t s = 0; s < services.size(); ++s) {
            CAPTURE(names[s]);
            CHECK(health[s].percentile(99) < bound);
        }
        CHECK(booked == 10);
        CHECK(sys.flight().running());
        CHECK(sys.booking().running());
        CHECK(sys.payment().running());
    }
}
