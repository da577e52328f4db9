#pragma once
// Shared by the BookingService unit tests: a scripted payment gateway with
// full control of every outcome, and a world of the SPEC §2 reference
// flights on in-memory stores with a manual clock.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "flightbook/booking/booking_service.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/local_flight_seats.hpp"
#include "flightbook/memory/booking_repository.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "search_fixtures.hpp"

namespace flightbook::testing {

/// A PaymentGateway whose every outcome the test decides. Idempotent per
/// key like a real gateway: a repeated charge answers the first outcome.
/// Counts money movements, so a test can assert "charged once, refunded once".
class ScriptedGateway final : public PaymentGateway {
public:
    enum class Mode {
        kCharge,             ///< charged, answered kCharged
        kDecline,            ///< declined, answered kDeclined
        kUnknownCharged,     ///< charged, but the answer is lost (kUnknown)
        kUnknownNotCharged,  ///< gateway timeout recorded (nothing charged), answered kUnknown
        kUnknownNothing,     ///< nothing recorded at all, answered kUnknown
        kMalformed,          ///< refused as malformed (error kInvalidArgument)
    };

    void set_mode(Mode m) {
        std::lock_guard lock(mutex_);
        mode_ = m;
    }
    void set_unavailable(bool down) { unavailable_ = down; }
    /// Runs inside `charge`, before the payment is recorded.
    void set_before_charge(std::function<void()> fn) {
        std::lock_guard lock(mutex_);
        before_charge_ = std::move(fn);
    }

    Result<ChargeResult> charge(const payment::PaymentRequest& request) override {
        std::function<void()> hook;
        {
            std::lock_guard lock(mutex_);
            hook = before_charge_;
        }
        if (hook) hook();
        std::lock_guard lock(mutex_);
        ++charge_calls_;
        if (auto it = first_.find(request.idempotency_key); it != first_.end()) {
            return it->second;
        }
        ChargeResult result;
        payment::Payment p;
        p.id = "pay_" + std::to_string(payments_.size() + 1);
        p.idempotency_key = request.idempotency_key;
        p.booking_id = request.booking_id;
        p.user_id = request.user_id;
        p.amount = request.amount;
        p.type = request.type;
        switch (mode_) {
            case Mode::kCharge:
            case Mode::kUnknownCharged:
                p.status = payment::PaymentStatus::kSuccess;
                ++charged_;
                result.outcome = mode_ == Mode::kCharge ? ChargeResult::Outcome::kCharged
                                                        : ChargeResult::Outcome::kUnknown;
                if (mode_ == Mode::kCharge) result.payment_id = p.id;
                break;
            case Mode::kDecline:
                p.status = payment::PaymentStatus::kFailed;
                p.reason = "card declined";
                result.outcome = ChargeResult::Outcome::kDeclined;
                result.payment_id = p.id;
                result.reason = p.reason;
                break;
            case Mode::kUnknownNotCharged:
                p.status = payment::PaymentStatus::kTimeout;
                result.outcome = ChargeResult::Outcome::kUnknown;
                break;
            case Mode::kUnknownNothing:
                result.outcome = ChargeResult::Outcome::kUnknown;
                return result;
            case Mode::kMalformed: return fail(ErrorCode::kInvalidArgument, "amount is malformed");
        }
        payments_.push_back(p);
        first_.emplace(request.idempotency_key, result);
        return result;
    }

    Result<std::optional<payment::Payment>> find_by_booking(BookingId booking) override {
        if (unavailable_) return fail(ErrorCode::kUnavailable, "gateway down");
        std::lock_guard lock(mutex_);
        for (auto it = payments_.rbegin(); it != payments_.rend(); ++it) {
            if (it->booking_id == booking) return std::optional<payment::Payment>(*it);
        }
        return std::optional<payment::Payment>{};
    }

    Result<payment::Payment> refund(const std::string& payment_id) override {
        if (unavailable_) return fail(ErrorCode::kUnavailable, "gateway down");
        std::lock_guard lock(mutex_);
        for (payment::Payment& p : payments_) {
            if (p.id != payment_id) continue;
            if (p.status == payment::PaymentStatus::kRefunded) return p;
            if (p.status != payment::PaymentStatus::kSuccess) {
                return fail(ErrorCode::kFailedPrecondition, "payment was never charged");
            }
            p.status = payment::PaymentStatus::kRefunded;
            ++refunded_;
            return p;
        }
        return fail(ErrorCode::kNotFound, "no such payment");
    }

    /// Charges that moved money / refunds that moved it back / charge calls.
    int charged() const {
        std::lock_guard lock(mutex_);
        return charged_;
    }
    int refunded() const {
        std::lock_guard lock(mutex_);
        return refunded_;
    }
    int charge_calls() const {
        std::lock_guard lock(mutex_);
        return charge_calls_;
    }
    std::vector<payment::Payment> payments() const {
        std::lock_guard lock(mutex_);
        return payments_;
    }

private:
    mutable std::mutex mutex_;
    Mode mode_ = Mode::kCharge;
    std::atomic<bool> unavailable_{false};
    std::function<void()> before_charge_;
    std::vector<payment::Payment> payments_;
    std::map<std::string, ChargeResult> first_;
    int charged_ = 0;
    int refunded_ = 0;
    int charge_calls_ = 0;
};

/// Thrown by a crash hook: stands for the process dying at that step.
struct SimulatedCrash : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The reference flights on memory stores, a LocalFlightSeats over them, an
/// in-memory booking repository and a scripted gateway. Services built on it
/// share the stores, like processes sharing databases.
struct BookingWorld {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository flight_repo{reference_flights()};
    memory::InMemorySeatInventory inventory{clock};
    flights::FlightService flights{flight_repo, inventory, clock};
    flights::LocalFlightSeats seats{flights};
    memory::InMemoryBookingRepository bookings;
    ScriptedGateway gateway;
    std::shared_ptr<metrics::Registry> registry = std::make_shared<metrics::Registry>();

    BookingWorld() {
        if (!inventory.add_flights(reference_flights()) || !flights.reload()) {
            throw std::runtime_error("reference world did not load");
        }
    }

    /// Options for tests: no real waiting unless a test asks for it.
    static booking::BookingServiceOptions options() {
        booking::BookingServiceOptions o;
        o.sleep = [](std::chrono::milliseconds) {};
        o.idempotency_poll_ms = 10;
        o.idempotency_wait_ms = 100;
        return o;
    }

    std::unique_ptr<booking::BookingService> make_service(
        booking::BookingServiceOptions o = options()) {
        return std::make_unique<booking::BookingService>(bookings, seats, gateway, clock,
                                                         std::move(o), registry);
    }

    std::int32_t available(std::int64_t flight) {
        return flights.get_flight(FlightId{flight}).value().available_seats();
    }

    /// Moves time past the reconciler's grace.
    void after_grace(const booking::BookingServiceOptions& o = options()) {
        clock.advance(o.reconcile_grace + std::chrono::seconds{1});
    }
};

/// A create request for `user` on the reference date.
inline booking::CreateBookingRequest request(std::vector<std::int64_t> flights,
                                             std::int64_t seats = 2, std::int64_t user = 7) {
    booking::CreateBookingRequest r;
    r.user_id = UserId{user};
    for (std::int64_t id : flights) r.flight_ids.push_back(FlightId{id});
    r.seats = seats;
    r.date = parse_date("2024-02-15").value();
    return r;
}

/// What a route does with an answer: a replay is sent as stored; anything
/// else is rendered (here: a compact text) and saved, first answer wins.
inline booking::StoredResponse respond(booking::BookingService& service,
                                       const booking::CreateAnswer& a) {
    if (a.outcome == booking::CreateOutcome::kReplay) return *a.replay;
    const int status = a.outcome == booking::CreateOutcome::kConfirmed ? 200
                       : a.outcome == booking::CreateOutcome::kPending ? 202
                                                                       : 400;
    booking::StoredResponse r{status, a.code + "|" + a.message};
    if (a.booking) {
        r.body +=
            "|" + std::to_string(a.booking->id.value()) + "|" + a.booking->payment_id.value_or("-");
        auto stored = service.save_response(a.booking->id, r);
        if (stored) return *stored;
    }
    return r;
}

}  // namespace flightbook::testing
