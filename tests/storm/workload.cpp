#include "workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"

namespace flightbook::storm {

namespace {

constexpr std::size_t kKeptBodyBytes = 400;

http::Client make_client(const std::string& url, int read_timeout_ms) {
    http::ClientOptions o;
    o.base_url = url;
    o.connect_timeout_ms = 2000;
    o.read_timeout_ms = read_timeout_ms;
    return http::Client::create(o).value();
}

// Fills the answer fields of `call` from a response (or its absence).
void record_answer(Call& call, const Result<http::ClientResponse>& r) {
    if (!r) {
        call.timeout = r.error().code == ErrorCode::kDeadlineExceeded;
        call.transport_error = !call.timeout;
        call.body = r.error().message;
        return;
    }
    call.status = r->status;
    call.body = r->body.substr(0, kKeptBodyBytes);
    auto obj = http::parse_object(r->body);
    if (!obj) return;
    if (auto s = obj->get_optional_string("status"); s && *s) call.answer_status = **s;
    if (auto e = obj->get_optional_string("error"); e && *e) call.error_code = **e;
    if (call.booking_id == 0) {
        if (auto id = obj->get_optional_int64("booking_id"); id && *id) call.booking_id = **id;
    }
}

std::string booking_body(const Order& order, const Itinerary& legs, const std::string& date) {
    return fmt::format(
        R"({{"user_id":{},"flight_id":{},"flight_ids":[{}],"seats":{},"date":"{}","payment_type":"upi"}})",
        order.user, legs.front(), fmt::join(legs, ","), order.seats, date);
}

// One client thread: its connections, its random stream, its share of work.
class Client {
public:
    Client(int index, const StormOptions& options, const std::vector<Order>& orders,
           const std::vector<Route>& routes, std::atomic<std::size_t>& next_order, History& history)
        : index_(index),
          options_(options),
          orders_(orders),
          routes_(routes),
          next_order_(next_order),
          history_(history),
          rng_(options.seed * 1000003 + static_cast<std::uint64_t>(index)),
          flights_(make_client(options.targets.flight_url, options.request_timeout_ms)),
          bookings_(make_client(options.targets.booking_url, options.request_timeout_ms)) {}

    void run(std::chrono::steady_clock::time_point deadline) {
        // Bounded: each step takes one order or one search, and every
        // request has a timeout; the deadline ends the loop.
        while (std::chrono::steady_clock::now() < deadline) {
            if (!routes_.empty() && chance(options_.search_share)) {
                search();
                continue;
            }
            const std::size_t i = next_order_.fetch_add(1);
            if (i >= orders_.size()) return;
            book(orders_[i]);
        }
    }

private:
    Call new_call(Op op, std::int64_t user) const {
        Call call;
        call.op = op;
        call.client = index_;
        call.user = user;
        return call;
    }

    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

    void search() {
        const Route& route = routes_[rng_() % routes_.size()];
        Call call = new_call(Op::kSearch, 0);
        call.seats = 1 + static_cast<int>(rng_() % 3);
        const std::string path = fmt::format(
            "/api/flights/search?source={}&destination={}&date={}&seats={}{}", route.source,
            route.destination, options_.date, call.seats, chance(0.5) ? "&sort_by=fastest" : "");
        send(flights_, call, "GET", path, {}, {});
    }

    Call send(http::Client& client, Call& call, std::string_view method, const std::string& path,
              const std::string& body, const http::HeaderList& headers) {
        history_.started();
        call.start_ns = history_.now_ns();
        auto r = client.send(method, path, body, headers);
        call.end_ns = history_.now_ns();
        record_answer(call, r);
        history_.add(call);
        return call;
    }

    http::HeaderList user_headers(const Order& order) const {
        http::HeaderList h{{"X-User-Id", std::to_string(order.user)}};
        if (!order.idempotency_key.empty())
            h.emplace_back("Idempotency-Key", order.idempotency_key);
        return h;
    }

    Call create(const Order& order, Op op) {
        const Itinerary& legs = options_.itineraries[order.itinerary];
        Call call = new_call(op, order.user);
        call.idempotency_key = order.idempotency_key;
        call.flights = legs;
        call.seats = order.seats;
        return send(bookings_, call, "POST", "/api/bookings",
                    booking_body(order, legs, options_.date), user_headers(order));
    }

    void book(const Order& order) {
        const Call first = create(order, Op::kBook);
        const bool keyed = !order.idempotency_key.empty();
        if (keyed) create(order, Op::kReplay);
        if (first.status != 200 || first.answer_status != "confirmed" || first.booking_id == 0) {
            return;
        }
        if (!chance(keyed ? options_.keyed_cancel_share : options_.cancel_share)) return;
        const bool cancelled = chance(options_.double_cancel_share)
                                   ? double_cancel(order, first.booking_id)
                                   : cancel(bookings_, order, first.booking_id, Op::kCancel);
        if (keyed && cancelled) create(order, Op::kReplayAfterCancel);
    }

    bool cancel(http::Client& client, const Order& order, std::int64_t booking, Op op) {
        Call call = new_call(op, order.user);
        call.booking_id = booking;
        call.flights = options_.itineraries[order.itinerary];
        call.seats = order.seats;
        const Call done = send(client, call, "PUT", fmt::format("/api/bookings/{}/cancel", booking),
                               {}, {{"X-User-Id", std::to_string(order.user)}});
        return done.status == 200;
    }

    // Two cancels of one booking at once, on two connections.
    bool double_cancel(const Order& order, std::int64_t booking) {
        std::atomic<bool> other_ok{false};
        std::thread other([&] {
            auto c = make_client(options_.targets.booking_url, options_.request_timeout_ms);
            other_ok = cancel(c, order, booking, Op::kDoubleCancel);
        });
        const bool ok = cancel(bookings_, order, booking, Op::kDoubleCancel);
        other.join();
        return ok || other_ok.load();
    }

    int index_;
    const StormOptions& options_;
    const std::vector<Order>& orders_;
    const std::vector<Route>& routes_;
    std::atomic<std::size_t>& next_order_;
    History& history_;
    std::mt19937_64 rng_;
    http::Client flights_;
    http::Client bookings_;
};

}  // namespace

std::vector<Order> plan_orders(const StormOptions& options,
                               const std::map<std::int64_t, std::int64_t>& available,
                               std::int64_t first_user, const std::string& run_tag) {
    std::mt19937_64 rng(options.seed);
    std::map<std::int64_t, std::int64_t> demand;
    auto wanted = [&](std::int64_t flight) {
        const auto it = available.find(flight);
        const std::int64_t seats = it == available.end() ? 0 : it->second;
        return static_cast<std::int64_t>(options.demand_factor * static_cast<double>(seats));
    };
    std::vector<Order> orders;
    // Bounded: each round adds at least one seat to a flight that still
    // needs demand, and the total demand is finite.
    for (;;) {
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < options.itineraries.size(); ++i) {
            for (std::int64_t f : options.itineraries[i]) {
                if (demand[f] < wanted(f)) {
                    open.push_back(i);
                    break;
                }
            }
        }
        if (open.empty()) break;
        Order o;
        o.itinerary = open[rng() % open.size()];
        o.seats = 1 + static_cast<int>(rng() % 3);
        o.user = first_user +
                 static_cast<std::int64_t>(orders.size() % static_cast<std::size_t>(options.users));
        if (std::uniform_real_distribution<double>(0, 1)(rng) < options.key_share) {
            o.idempotency_key = fmt::format("storm-{}-{}", run_tag, orders.size());
        }
        for (std::int64_t f : options.itineraries[o.itinerary]) demand[f] += o.seats;
        orders.push_back(std::move(o));
    }
    return orders;
}

void run_workload(const StormOptions& options, const std::vector<Order>& orders,
                  const std::vector<Route>& routes, History& history) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.seconds);
    std::atomic<std::size_t> next_order{0};
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(options.clients));
    for (int i = 0; i < options.clients; ++i) {
        threads.emplace_back([&, i] {
            Client client(i, options, orders, routes, next_order, history);
            client.run(deadline);
        });
    }
    for (auto& t : threads) t.join();
}

}  // namespace flightbook::storm
