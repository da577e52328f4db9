// LocalPaymentGateway: the PaymentGateway port over the in-process mock, as
// the booking service sees it (docs/payments.md "The gateway port").
#include <doctest/doctest.h>

#include "flightbook/payment/local_payment_gateway.hpp"
#include "payment_processor_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::payment;
using namespace flightbook::payment::testing;
using namespace std::chrono_literals;

namespace {

// A store that refuses everything, as a PostgreSQL store does while the
// database is down.
class DownStore final : public PaymentStore {
public:
    Result<PaymentInsert> insert_or_get(const Payment&) override { return down(); }
    Result<Payment> get(std::string_view) override { return down(); }
    Result<std::optional<Payment>> find_by_key(std::string_view) override { return down(); }
    Result<std::vector<Payment>> find_by_booking(BookingId) override { return down(); }
    Result<PaymentRefund> mark_refunded(std::string_view, UtcTime) override { return down(); }
    Status ping() override { return down(); }

private:
    static Unexpected down() { return fail(ErrorCode::kInDoubt, "database is down"); }
};

}  // namespace

TEST_CASE("LocalPaymentGateway maps outcomes for the booking service") {
    Mock m(rates(0.0, 0.0));
    LocalPaymentGateway gateway(m.processor);
    auto charged = gateway.charge(request(30));
    REQUIRE(charged);
    CHECK(charged->outcome == ChargeResult::Outcome::kCharged);
    CHECK(is_payment_id(charged->payment_id));
    auto replay = gateway.charge(request(30));
    REQUIRE(replay);
    CHECK(replay->outcome == ChargeResult::Outcome::kCharged);
    CHECK(replay->payment_id == charged->payment_id);

    REQUIRE(m.processor.process(request(31), ForcedOutcome::kFailure));
    auto declined = gateway.charge(request(31));
    REQUIRE(declined);
    CHECK(declined->outcome == ChargeResult::Outcome::kDeclined);
    CHECK(declined->reason == "card declined (simulated)");

    REQUIRE(m.processor.process(request(32), ForcedOutcome::kTimeout));
    auto unknown = gateway.charge(request(32));
    REQUIRE(unknown);
    CHECK(unknown->outcome == ChargeResult::Outcome::kUnknown);
    auto resolved = gateway.find_by_booking(BookingId{32});
    REQUIRE(resolved);
    REQUIRE(resolved->has_value());
    CHECK((*resolved)->status == PaymentStatus::kTimeout);  // nothing was charged

    auto conflict = gateway.charge(request(30, "booking-30", Money::from_cents(1)));
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().code == ErrorCode::kInvalidArgument);
    CHECK(gateway.charge(request(-1)).error().code == ErrorCode::kInvalidArgument);

    CHECK_FALSE(gateway.find_by_booking(BookingId{999}).value().has_value());
    m.clock.advance(1s);
    REQUIRE(gateway.charge(request(30, "second-key")));
    CHECK(gateway.find_by_booking(BookingId{30}).value()->idempotency_key == "second-key");

    auto refunded = gateway.refund(charged->payment_id);
    REQUIRE(refunded);
    CHECK(refunded->status == PaymentStatus::kRefunded);
    CHECK(gateway.refund(charged->payment_id).value().status == PaymentStatus::kRefunded);
    CHECK(gateway.refund(declined->payment_id).error().code == ErrorCode::kFailedPrecondition);
    CHECK(gateway.refund("pay_ffffffffffffffffffffffff").error().code == ErrorCode::kNotFound);
    // A refunded charge is not a charge to confirm a booking on.
    auto after_refund = gateway.charge(request(30));
    REQUIRE(after_refund);
    CHECK(after_refund->outcome == ChargeResult::Outcome::kDeclined);
}

TEST_CASE("LocalPaymentGateway: a store failure is an unknown outcome, lookups unavailable") {
    DownStore store;
    ManualClock clock;
    PaymentProcessor processor(store, clock, rates(0.0, 0.0));
    LocalPaymentGateway gateway(processor);
    auto charged = gateway.charge(request(1));
    REQUIRE(charged);
    CHECK(charged->outcome == ChargeResult::Outcome::kUnknown);
    CHECK(gateway.find_by_booking(BookingId{1}).error().code == ErrorCode::kUnavailable);
    CHECK(gateway.refund("pay_0123456789abcdef01234567").error().code == ErrorCode::kUnavailable);
    CHECK_FALSE(processor.ping());
}
