#include "flightbook/payment/payment_processor.hpp"

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

namespace flightbook::payment {

namespace {

// splitmix64's finalizer: a bijection on 64 bits that spreads every input
// bit over the output.
constexpr std::uint64_t mix(std::uint64_t z) noexcept {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

constexpr std::uint64_t fnv1a(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

// Uniform in [0, 1) from the top 53 bits.
constexpr double unit_interval(std::uint64_t bits) noexcept {
    return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

// What card networks answer most often; one is picked per key.
constexpr std::array<std::string_view, 4> kDeclineReasons{"card declined", "insufficient funds",
                                                          "card expired", "suspected fraud"};
constexpr std::string_view kTimeoutReason = "gateway timeout";

constexpr int kMaxLatencyMs = 60'000;
// Fresh ids colliding with a stored one: retried a few times, then given up.
constexpr int kMaxIdAttempts = 4;

std::uint64_t random_u64() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

bool same_request(const Payment& p, const PaymentRequest& r) {
    return p.booking_id == r.booking_id && p.user_id == r.user_id && p.amount == r.amount &&
           p.type == r.type;
}

}  // namespace

Status validate(const PaymentProcessorOptions& o) {
    const auto is_rate = [](double r) { return r >= 0.0 && r <= 1.0; };  // false for NaN
    if (!is_rate(o.failure_rate)) {
        return fail(ErrorCode::kInvalidArgument, "failure rate must be between 0 and 1");
    }
    if (!is_rate(o.timeout_rate)) {
        return fail(ErrorCode::kInvalidArgument, "timeout rate must be between 0 and 1");
    }
    if (o.failure_rate + o.timeout_rate > 1.0) {
        return fail(ErrorCode::kInvalidArgument, "failure rate + timeout rate must be at most 1");
    }
    if (o.latency_ms_min < 0 || o.latency_ms_min > o.latency_ms_max ||
        o.latency_ms_max > kMaxLatencyMs) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("latency must satisfy 0 <= min <= max <= {} ms", kMaxLatencyMs));
    }
    return ok();
}

Draw draw_outcome(const PaymentProcessorOptions& options, std::uint64_t seed,
                  std::string_view idempotency_key) {
    const std::uint64_t h = mix(seed ^ fnv1a(idempotency_key));
    const double u = unit_interval(h);
    Draw d;
    if (u < options.failure_rate) {
        d.status = PaymentStatus::kFailed;
        d.reason = std::string(kDeclineReasons[mix(h + 1) % kDeclineReasons.size()]);
    } else if (u < options.failure_rate + options.timeout_rate) {
        d.status = PaymentStatus::kTimeout;
        d.reason = std::string(kTimeoutReason);
    }
    const int span = options.latency_ms_max - options.latency_ms_min;
    if (span > 0) {
        const auto offset = mix(h + 2) % (static_cast<std::uint64_t>(span) + 1);
        d.latency = std::chrono::milliseconds{options.latency_ms_min + static_cast<int>(offset)};
    } else {
        d.latency = std::chrono::milliseconds{std::max(options.latency_ms_min, 0)};
    }
    return d;
}

bool is_payment_id(std::string_view text) noexcept {
    constexpr std::string_view kPrefix = "pay_";
    constexpr std::size_t kHexDigits = 24;
    if (text.size() != kPrefix.size() + kHexDigits || !text.starts_with(kPrefix)) return false;
    for (char c : text.substr(kPrefix.size())) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string new_payment_id() {
    // 32 random bits per process, then 64 bits of a counter passed through a
    // bijection: unique within the process without a lock, and unguessable
    // enough that ids of different processes practically never meet (the
    // store refuses a duplicate id anyway, and the processor then retries).
    static const std::uint32_t process_bits = static_cast<std::uint32_t>(random_u64());
    static std::atomic<std::uint64_t> counter{random_u64()};
    const std::uint64_t n = mix(counter.fetch_add(1, std::memory_order_relaxed));
    return fmt::format("pay_{:08x}{:016x}", process_bits, n);
}

struct PaymentProcessor::Metrics {
    std::shared_ptr<metrics::Registry> registry;  // keeps the families below alive
    metrics::CounterFamily* outcomes = nullptr;
    metrics::Counter* refunds = nullptr;
};

PaymentProcessor::PaymentProcessor(PaymentStore& store, const Clock& clock,
                                   PaymentProcessorOptions options, Sleeper sleeper,
                                   std::shared_ptr<metrics::Registry> registry)
    : store_(store),
      clock_(clock),
      options_(options),
      seed_(options.seed != 0 ? options.seed : random_u64()),
      sleeper_(std::move(sleeper)),
      metrics_(std::make_unique<Metrics>()) {
    if (auto valid = validate(options_); !valid) {
        throw std::invalid_argument("payment processor: " + valid.error().message);
    }
    if (!sleeper_) sleeper_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (registry) {
        metrics_->registry = std::move(registry);
        metrics::Registry& r = *metrics_->registry;
        metrics_->outcomes =
            &r.counter("flightbook_payments_total",
                       "Payments by first outcome (replays not counted)", {"status"});
        metrics_->refunds = &r.counter("flightbook_payment_refunds_total",
                                       "Payments refunded (repeats not counted)")
                                 .with({});
    }
}

PaymentProcessor::~PaymentProcessor() = default;

Result<ProcessResult> PaymentProcessor::process(const PaymentRequest& request,
                                                ForcedOutcome forced) {
    FLIGHTBOOK_TRY_STATUS(validate(request));
    const auto replay = [&request](const Payment& stored) -> Result<ProcessResult> {
        if (!same_request(stored, request)) {
            return fail(ErrorCode::kConflict, "idempotency key reused with another request");
        }
        return ProcessResult{stored, false};
    };
    auto existing = store_.find_by_key(request.idempotency_key);
    if (!existing) return fail(std::move(existing).error());
    if (existing->has_value()) return replay(**existing);

    Draw draw = draw_outcome(options_, seed_, request.idempotency_key);
    switch (forced) {
        case ForcedOutcome::kNone: break;
        case ForcedOutcome::kSuccess:
            draw.status = PaymentStatus::kSuccess;
            draw.reason.clear();
            break;
        case ForcedOutcome::kFailure:
            draw.status = PaymentStatus::kFailed;
            draw.reason = "card declined (simulated)";
            break;
        case ForcedOutcome::kTimeout:
            draw.status = PaymentStatus::kTimeout;
            draw.reason = "gateway timeout (simulated)";
            break;
    }
    Payment p;
    p.idempotency_key = request.idempotency_key;
    p.booking_id = request.booking_id;
    p.user_id = request.user_id;
    p.amount = request.amount;
    p.type = request.type;
    p.status = draw.status;
    p.reason = std::move(draw.reason);
    p.created_at = clock_.now();
    for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
        p.id = new_payment_id();
        auto stored = store_.insert_or_get(p);
        if (!stored) {
            if (stored.error().code == ErrorCode::kAlreadyExists) continue;  // id taken
            return fail(std::move(stored).error());
        }
        if (!stored->inserted) return replay(stored->payment);  // a concurrent duplicate won
        if (metrics_->outcomes != nullptr) {
            metrics_->outcomes->with({to_string(stored->payment.status)}).inc();
        }
        // The latency is spent after the outcome is recorded, not before: a
        // caller whose read timed out meanwhile looks the payment up and
        // finds the final outcome, never "no payment" for a charge that is
        // about to appear. Replays above answer at once.
        if (draw.latency.count() > 0) sleeper_(draw.latency);
        return ProcessResult{std::move(stored->payment), true};
    }
    return fail(ErrorCode::kInternal, "could not find a free payment id");
}

Result<Payment> PaymentProcessor::get(std::string_view payment_id) {
    if (!is_payment_id(payment_id)) return fail(ErrorCode::kNotFound, "payment not found");
    return store_.get(payment_id);
}

Result<std::vector<Payment>> PaymentProcessor::find_by_booking(BookingId booking) {
    if (booking.value() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "booking_id must be a positive integer");
    }
    return store_.find_by_booking(booking);
}

Result<PaymentRefund> PaymentProcessor::refund(std::string_view payment_id) {
    if (!is_payment_id(payment_id)) return fail(ErrorCode::kNotFound, "payment not found");
    auto refunded = store_.mark_refunded(payment_id, clock_.now());
    if (refunded && refunded->applied && metrics_->refunds != nullptr) metrics_->refunds->inc();
    return refunded;
}

Status PaymentProcessor::ping() { return store_.ping(); }

}  // namespace flightbook::payment
