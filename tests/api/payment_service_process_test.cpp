// Black-box tests of the real payment-service binary on PostgreSQL: payments
// survive a SIGKILL, and the booking service's HttpPaymentGateway maps every
// answer of the real service (and of no service at all).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <atomic>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "flightbook/api/http_payment_gateway.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/payment/payment_processor.hpp"
#include "service_process.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using testing::PgSchema;
using Outcome = ChargeResult::Outcome;

namespace {

// One payment-service process on a schema of its own (tests/support/
// service_process.hpp runs it), plus an HTTP gateway to it.
class PaymentServiceProcess : public testing::ServiceProcess {
public:
    explicit PaymentServiceProcess(const PgSchema& schema, std::vector<std::string> extra_args = {})
        : ServiceProcess("payment-service", with_db(schema, std::move(extra_args)),
                         testing::free_port()) {
        start();
    }

    [[nodiscard]] std::unique_ptr<api::HttpPaymentGateway> gateway(
        int read_timeout_ms = 5000, std::shared_ptr<metrics::Registry> registry = nullptr) const {
        api::HttpPaymentGatewayOptions o;
        o.base_url = url();
        o.read_timeout_ms = read_timeout_ms;
        auto g = api::HttpPaymentGateway::create(o, std::move(registry));
        REQUIRE(g);
        return std::move(g).value();
    }

private:
    static std::vector<std::string> with_db(const PgSchema& schema, std::vector<std::string> args) {
        std::vector<std::string> all{"--db-dsn", schema.dsn(), "--db-pool-size", "4"};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }
};

http::JsonObject json_of(const Result<http::ClientResponse>& r) {
    REQUIRE(r);
    auto obj = http::parse_object(r->body);
    REQUIRE_MESSAGE(obj.has_value(), r->body);
    return std::move(obj).value();
}

std::string body(std::int64_t booking, std::string_view amount = "8500.00") {
    return fmt::format(R"({{"booking_id":{},"amount":{},"user_id":5,"payment_type":"upi"}})",
                       booking, amount);
}

payment::PaymentRequest charge_request(std::int64_t booking, std::int64_t cents = 1'250'050) {
    return payment::PaymentRequest{BookingId{booking}, UserId{5}, Money::from_cents(cents),
                                   payment::PaymentType::kNetBanking,
                                   payment::default_idempotency_key(BookingId{booking})};
}

std::uint64_t outbound(metrics::Registry& r, std::string_view operation, std::string_view outcome) {
    return r.counter("flightbook_outbound_requests_total", "", {"service", "operation", "outcome"})
        .with({"payment-service", operation, outcome})
        .value();
}

const std::vector<std::string> kAlwaysSucceeds{"--failure-rate", "0", "--timeout-rate", "0"};

}  // namespace

TEST_CASE("payments survive a SIGKILL of the payment service") {
    PgSchema schema("payments");
    PaymentServiceProcess service(schema, {"--seed", "42", "--failure-rate", "0.5"});
    auto c = service.client();

    auto paid = c.post("/api/payments/simulate/success", body(1));
    auto declined = c.post("/api/payments/simulate/failure", body(2));
    auto drawn = c.post("/api/payments/process", body(3));
    REQUIRE(paid);
    REQUIRE(declined);
    REQUIRE(drawn);
    CHECK(paid->status == 200);
    CHECK(declined->status == 200);
    CHECK((drawn->status == 200 || drawn->status == 400 || drawn->status == 408));
    const auto paid_json = json_of(paid);
    const std::string paid_id = paid_json.get_string("payment_id").value();
    const std::string declined_id = json_of(declined).get_string("payment_id").value();
    const std::string drawn_id = json_of(drawn).get_string("payment_id").value();

    auto health = json_of(c.get("/health"));
    CHECK(health.get_string("service").value() == "payment-service");
    auto metrics = c.get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("flightbook_payments_total{status=\"success\"}") != std::string::npos);

    service.kill_now();
    service.start();
    c = service.client();

    auto by_id = json_of(c.get("/api/payments/" + paid_id));
    CHECK(by_id.get_string("status").value() == "success");
    CHECK(by_id.get_string("created_at").value() == paid_json.get_string("created_at").value());
    CHECK(by_id.get_money("amount").value() == Money::from_cents(850'000));
    auto listed = json_of(c.get("/api/payments?booking_id=2"));
    CHECK(listed.get_int64("count").value() == 1);

    // Replays answer the first outcome, recorded before the crash.
    auto replay_paid = c.post("/api/payments/process", body(1));
    REQUIRE(replay_paid);
    CHECK(replay_paid->status == 200);
    CHECK(json_of(replay_paid).get_string("payment_id").value() == paid_id);
    CHECK(json_of(replay_paid).get_bool("replayed").value());
    auto replay_declined = c.post("/api/payments/process", body(2));
    REQUIRE(replay_declined);
    CHECK(replay_declined->status == 400);
    CHECK(json_of(replay_declined).get_string("payment_id").value() == declined_id);
    auto replay_drawn = c.post("/api/payments/process", body(3));
    REQUIRE(replay_drawn);
    CHECK(replay_drawn->status == drawn->status);
    CHECK(json_of(replay_drawn).get_string("payment_id").value() == drawn_id);

    CHECK(service.terminate() == 0);  // graceful SIGTERM
}

TEST_CASE("HttpPaymentGateway against the real payment service") {
    PgSchema schema("payments");
    PaymentServiceProcess service(schema, kAlwaysSucceeds);
    auto registry = std::make_shared<metrics::Registry>();
    auto gateway = service.gateway(5000, registry);

    auto charged = gateway->charge(charge_request(10));
    REQUIRE(charged);
    CHECK(charged->outcome == Outcome::kCharged);
    CHECK(payment::is_payment_id(charged->payment_id));
    auto replay = gateway->charge(charge_request(10));
    REQUIRE(replay);
    CHECK(replay->outcome == Outcome::kCharged);
    CHECK(replay->payment_id == charged->payment_id);

    auto found = gateway->find_by_booking(BookingId{10});
    REQUIRE(found);
    REQUIRE(found->has_value());
    const payment::Payment& p = **found;
    CHECK(p.id == charged->payment_id);
    CHECK(p.status == payment::PaymentStatus::kSuccess);
    CHECK(p.amount == Money::from_cents(1'250'050));
    CHECK(p.type == payment::PaymentType::kNetBanking);
    CHECK(p.booking_id == BookingId{10});
    CHECK(p.user_id == UserId{5});
    CHECK(p.idempotency_key == "booking-10");
    CHECK_FALSE(gateway->find_by_booking(BookingId{11}).value().has_value());

    auto refunded = gateway->refund(charged->payment_id);
    REQUIRE(refunded);
    CHECK(refunded->status == payment::PaymentStatus::kRefunded);
    CHECK(refunded->refunded_at.has_value());
    auto refunded_again = gateway->refund(charged->payment_id);
    REQUIRE(refunded_again);
    CHECK(refunded_again->refunded_at == refunded->refunded_at);
    CHECK(gateway->refund("pay_000000000000000000000000").error().code == ErrorCode::kNotFound);
    CHECK(gateway->refund("../etc/passwd").error().code == ErrorCode::kNotFound);
    // A refunded charge replayed is no charge to confirm a booking on.
    CHECK(gateway->charge(charge_request(10)).value().outcome == Outcome::kDeclined);

    // The same key with another amount is refused as malformed: nothing charged.
    auto reused = gateway->charge(charge_request(10, 1));
    REQUIRE_FALSE(reused);
    CHECK(reused.error().code == ErrorCode::kInvalidArgument);
    CHECK(gateway->charge(charge_request(0)).error().code == ErrorCode::kInvalidArgument);

    // Concurrent callers use connections of their own.
    constexpr int kThreads = 8;
    std::atomic<int> charged_count{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto r = gateway->charge(charge_request(100 + t));
            if (r && r->outcome == Outcome::kCharged) charged_count.fetch_add(1);
        });
    }
    for (auto& t : threads) t.join();
    CHECK(charged_count.load() == kThreads);
    // Malformed requests (booking 0, a bad id) never left the process.
    CHECK(outbound(*registry, "charge", "ok") == 4 + kThreads);
    CHECK(outbound(*registry, "refund", "ok") == 3);
}

TEST_CASE("HttpPaymentGateway: declines and gateway timeouts of the real service") {
    PgSchema schema("payments");
    {
        PaymentServiceProcess service(schema, {"--failure-rate", "1", "--timeout-rate", "0"});
        auto gateway = service.gateway();
        auto declined = gateway->charge(charge_request(20));
        REQUIRE(declined);
        INFO("reason: " << declined->reason);
        CHECK(declined->outcome == Outcome::kDeclined);
        CHECK(payment::is_payment_id(declined->payment_id));
        CHECK_FALSE(declined->reason.empty());
        auto refund = gateway->refund(declined->payment_id);
        REQUIRE_FALSE(refund);
        CHECK(refund.error().code == ErrorCode::kFailedPrecondition);
    }
    {
        PaymentServiceProcess service(schema, {"--failure-rate", "0", "--timeout-rate", "1"});
        auto gateway = service.gateway();
        auto unknown = gateway->charge(charge_request(21));
        REQUIRE(unknown);
        CHECK(unknown->outcome == Outcome::kUnknown);
        CHECK(unknown->reason == "gateway timeout");
        // Resolved by lookup: a timeout charged nothing.
        auto found = gateway->find_by_booking(BookingId{21});
        REQUIRE(found);
        REQUIRE(found->has_value());
        CHECK((*found)->status == payment::PaymentStatus::kTimeout);
        // The service shares the schema: the earlier decline is still there.
        auto earlier = gateway->find_by_booking(BookingId{20});
        REQUIRE(earlier);
        REQUIRE(earlier->has_value());
        CHECK((*earlier)->status == payment::PaymentStatus::kFailed);
    }
}

TEST_CASE("HttpPaymentGateway: a read timeout is an unknown outcome, resolved later") {
    PgSchema schema("payments");
    PaymentServiceProcess service(schema, {"--failure-rate", "0", "--timeout-rate", "0",
                                           "--latency-ms-min", "1500", "--latency-ms-max", "1500"});
    auto registry = std::make_shared<metrics::Registry>();
    auto gateway = service.gateway(300, registry);
    auto unknown = gateway->charge(charge_request(30));
    REQUIRE(unknown);
    CHECK(unknown->outcome == Outcome::kUnknown);
    // Not retried: the request was delivered and may have been processed.
    CHECK(outbound(*registry, "charge", "timeout") == 1);

    // The service records the outcome before it spends its latency, so a
    // lookup at once finds the charge the timed-out call made.
    auto patient = service.gateway(5000);
    auto found = patient->find_by_booking(BookingId{30});
    REQUIRE(found);
    REQUIRE(found->has_value());
    const payment::Payment resolved = **found;
    CHECK(resolved.status == payment::PaymentStatus::kSuccess);
    // A retry with the same key answers the same payment, at once.
    auto retry = patient->charge(charge_request(30));
    REQUIRE(retry);
    CHECK(retry->outcome == Outcome::kCharged);
    CHECK(retry->payment_id == resolved.id);
}

TEST_CASE("HttpPaymentGateway when nothing listens on the port") {
    api::HttpPaymentGatewayOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(testing::free_port());
    o.connect_timeout_ms = 500;
    o.backoff_ms = 10;
    auto registry = std::make_shared<metrics::Registry>();
    auto created = api::HttpPaymentGateway::create(o, registry);
    REQUIRE(created);
    auto& gateway = **created;

    auto charge = gateway.charge(charge_request(40));
    REQUIRE(charge);
    CHECK(charge->outcome == Outcome::kUnknown);
    CHECK(charge->payment_id.empty());
    auto found = gateway.find_by_booking(BookingId{40});
    REQUIRE_FALSE(found);
    CHECK(found.error().code == ErrorCode::kUnavailable);
    auto refund = gateway.refund("pay_0123456789abcdef01234567");
    REQUIRE_FALSE(refund);
    CHECK(refund.error().code == ErrorCode::kUnavailable);
    // Every call was tried max_attempts times: refused connections were not processed.
    CHECK(outbound(*registry, "charge", "unavailable") == 3);
    CHECK(outbound(*registry, "find_by_booking", "unavailable") == 3);
    CHECK(outbound(*registry, "refund", "unavailable") == 3);

    o.base_url = "ftp://127.0.0.1:1";
    CHECK(api::HttpPaymentGateway::create(o).error().code == ErrorCode::kInvalidArgument);
    o.base_url = "http://127.0.0.1:1";
    o.max_attempts = 0;
    CHECK(api::HttpPaymentGateway::create(o).error().code == ErrorCode::kInvalidArgument);
}
