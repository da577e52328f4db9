#pragma once
// Shared by the payment unit tests: requests, processor options, and a
// processor over the in-memory store with a manual clock and a sleep log.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flightbook/memory/payment_store.hpp"
#include "flightbook/payment/payment_processor.hpp"

namespace flightbook::payment::testing {

inline PaymentRequest request(std::int64_t booking, std::string key = {},
                              Money amount = Money::from_cents(850'000)) {
    PaymentRequest r{BookingId{booking}, UserId{42}, amount, PaymentType::kUpi, std::move(key)};
    if (r.idempotency_key.empty()) r.idempotency_key = default_idempotency_key(r.booking_id);
    return r;
}

inline PaymentProcessorOptions rates(double failure, double timeout, std::uint64_t seed = 1234) {
    PaymentProcessorOptions o;
    o.failure_rate = failure;
    o.timeout_rate = timeout;
    o.seed = seed;
    return o;
}

// Records the latencies the processor sleeps instead of sleeping.
struct SleepLog {
    std::mutex mutex;
    std::vector<std::chrono::milliseconds> slept;
    PaymentProcessor::Sleeper sleeper() {
        return [this](std::chrono::milliseconds d) {
            std::lock_guard lock(mutex);
            slept.push_back(d);
        };
    }
    std::size_t count() {
        std::lock_guard lock(mutex);
        return slept.size();
    }
};

struct Mock {
    ManualClock clock{parse_rfc3339("2024-02-15T08:00:00Z").value()};
    memory::InMemoryPaymentStore store;
    SleepLog sleeps;
    std::shared_ptr<metrics::Registry> registry = std::make_shared<metrics::Registry>();
    PaymentProcessor processor;

    explicit Mock(PaymentProcessorOptions options = rates(0.15, 0.05))
        : processor(store, clock, options, sleeps.sleeper(), registry) {}

    std::uint64_t outcomes(std::string_view status) {
        return registry->counter("flightbook_payments_total", "", {"status"})
            .with({status})
            .value();
    }
    std::uint64_t refunds() {
        return registry->counter("flightbook_payment_refunds_total", "").with({}).value();
    }
};

// A key that `options` draws to `status` (searched over a bounded range).
inline std::string key_drawn_to(const PaymentProcessorOptions& options, std::uint64_t seed,
                                PaymentStatus status) {
    for (int i = 0; i < 100'000; ++i) {
        std::string key = fmt::format("key-{}", i);
        if (draw_outcome(options, seed, key).status == status) return key;
    }
    FAIL("no key draws " << to_string(status));
    return {};
}

}  // namespace flightbook::payment::testing
