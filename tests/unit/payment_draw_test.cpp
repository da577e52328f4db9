// The payment vocabulary, the mock's options and its outcome draw
// (docs/payments.md "The outcome draw"): pure functions, no store needed.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "payment_processor_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::payment;
using namespace flightbook::payment::testing;
using namespace std::chrono_literals;

TEST_CASE("payment vocabulary: names, keys and request validation") {
    for (auto t : {PaymentType::kCreditCard, PaymentType::kDebitCard, PaymentType::kUpi,
                   PaymentType::kNetBanking}) {
        CHECK(parse_payment_type(to_string(t)).value() == t);
    }
    for (auto s : {PaymentStatus::kSuccess, PaymentStatus::kFailed, PaymentStatus::kTimeout,
                   PaymentStatus::kRefunded}) {
        CHECK(parse_payment_status(to_string(s)).value() == s);
    }
    CHECK(to_string(PaymentType::kNetBanking) == "net_banking");
    CHECK(to_string(PaymentStatus::kTimeout) == "timeout");
    CHECK(parse_payment_type("paypal").error().code == ErrorCode::kInvalidArgument);
    CHECK(parse_payment_type("UPI").error().message.find("credit_card") != std::string::npos);
    CHECK_FALSE(parse_payment_status("pending"));
    CHECK(default_idempotency_key(BookingId{77}) == "booking-77");

    CHECK(validate(request(1)));
    const auto error_of = [](PaymentRequest r) {
        auto v = validate(r);
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::kInvalidArgument);
        return v.error().message;
    };
    auto r = request(1);
    r.booking_id = BookingId{0};
    CHECK(error_of(r).find("booking_id") != std::string::npos);
    r = request(1);
    r.user_id = UserId{-3};
    CHECK(error_of(r).find("user_id") != std::string::npos);
    for (std::int64_t cents : {std::int64_t{0}, std::int64_t{-100}, kMaxPaymentAmountCents + 1}) {
        r = request(1, {}, Money::from_cents(cents));
        CHECK(error_of(r).find("amount") != std::string::npos);
    }
    CHECK(validate(request(1, {}, Money::from_cents(kMaxPaymentAmountCents))));
    CHECK(validate(request(1, {}, Money::from_cents(1))));
    for (std::string key : {std::string(kMaxIdempotencyKeyLength + 1, 'k'), std::string("a\nb"),
                            std::string("tab\there"), std::string("caf\xc3\xa9")}) {
        r = request(1, key);
        CHECK(error_of(r).find("idempotency key") != std::string::npos);
    }
    r = request(1);
    r.idempotency_key.clear();
    CHECK(error_of(r).find("idempotency key") != std::string::npos);
    CHECK(validate(request(1, std::string(kMaxIdempotencyKeyLength, 'k'))));
    CHECK(validate(request(1, "order 17/b:retry=2")));
}

TEST_CASE("processor options are validated") {
    CHECK(validate(PaymentProcessorOptions{}));
    CHECK(validate(rates(1.0, 0.0)));
    CHECK(validate(rates(0.0, 1.0)));
    CHECK(validate(rates(0.5, 0.5)));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (auto [f, t] : std::vector<std::pair<double, double>>{{-0.1, 0.0},
                                                              {1.1, 0.0},
                                                              {0.0, -0.01},
                                                              {0.0, 1.5},
                                                              {0.6, 0.5},
                                                              {nan, 0.0},
                                                              {0.0, nan}}) {
        CAPTURE(f);
        CAPTURE(t);
        auto v = validate(rates(f, t));
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::kInvalidArgument);
        CHECK(v.error().message.find("rate") != std::string::npos);
    }
    for (auto [lo, hi] : std::vector<std::pair<int, int>>{{-1, 0}, {10, 5}, {0, 60'001}}) {
        auto o = rates(0.1, 0.1);
        o.latency_ms_min = lo;
        o.latency_ms_max = hi;
        auto v = validate(o);
        REQUIRE_FALSE(v);
        CHECK(v.error().message.find("latency") != std::string::npos);
    }
    auto o = rates(0.1, 0.1);
    o.latency_ms_min = 60'000;
    o.latency_ms_max = 60'000;
    CHECK(validate(o));

    memory::InMemoryPaymentStore store;
    ManualClock clock;
    CHECK_THROWS_AS(PaymentProcessor(store, clock, rates(0.9, 0.2)), std::invalid_argument);
}

TEST_CASE("the draw is a pure function of seed and key with the configured odds") {
    PaymentProcessorOptions o = rates(0.15, 0.05);
    o.latency_ms_min = 20;
    o.latency_ms_max = 50;
    std::size_t failed = 0;
    std::size_t timed_out = 0;
    std::size_t differs_by_seed = 0;
    std::size_t not_repeatable = 0;
    std::set<std::string> reasons;
    std::set<std::int64_t> latencies;
    constexpr int kKeys = 20'000;
    for (int i = 0; i < kKeys; ++i) {
        const std::string key = fmt::format("booking-{}", i);
        const Draw d = draw_outcome(o, 1234, key);
        const Draw again = draw_outcome(o, 1234, key);
        if (d.status != again.status || d.reason != again.reason || d.latency != again.latency) {
            ++not_repeatable;
        }
        if (draw_outcome(o, 99, key).status != d.status) ++differs_by_seed;
        latencies.insert(d.latency.count());
        switch (d.status) {
            case PaymentStatus::kFailed:
                ++failed;
                reasons.insert(d.reason);
                break;
            case PaymentStatus::kTimeout:
                ++timed_out;
                reasons.insert(d.reason);
                break;
            default:
                if (!d.reason.empty()) reasons.insert("<reason on success>");
        }
    }
    // 20,000 draws: the shares lie within about five standard deviations.
    CHECK(failed > kKeys * 0.135);
    CHECK(failed < kKeys * 0.165);
    CHECK(timed_out > kKeys * 0.04);
    CHECK(timed_out < kKeys * 0.06);
    CHECK(differs_by_seed > kKeys / 10);
    CHECK(not_repeatable == 0);
    CHECK(reasons == std::set<std::string>{"card declined", "insufficient funds", "card expired",
                                           "suspected fraud", "gateway timeout"});
    REQUIRE(latencies.size() == 31);  // every value of [20, 50] occurs, and no other
    CHECK(*latencies.begin() == 20);
    CHECK(*latencies.rbegin() == 50);

    std::size_t off_rate = 0;
    for (int i = 0; i < 1000; ++i) {
        const std::string key = fmt::format("k{}", i);
        if (draw_outcome(rates(0, 0), 5, key).status != PaymentStatus::kSuccess) ++off_rate;
        if (draw_outcome(rates(1, 0), 5, key).status != PaymentStatus::kFailed) ++off_rate;
        if (draw_outcome(rates(0, 1), 5, key).status != PaymentStatus::kTimeout) ++off_rate;
        if (draw_outcome(rates(0, 0), 5, key).latency != 0ms) ++off_rate;
    }
    CHECK(off_rate == 0);
}

TEST_CASE("payment ids are well-formed and unique") {
    std::set<std::string> ids;
    for (int i = 0; i < 2000; ++i) {
        std::string id = new_payment_id();
        CHECK(is_payment_id(id));
        ids.insert(std::move(id));
    }
    CHECK(ids.size() == 2000);
    CHECK(is_payment_id("pay_0123456789abcdef01234567"));
    CHECK_FALSE(is_payment_id("pay_0123456789ABCDEF01234567"));
    CHECK_FALSE(is_payment_id("pax_0123456789abcdef01234567"));
}
