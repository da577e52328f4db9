#include "flightbook/memory/payment_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace flightbook::memory {

namespace {

using payment::Payment;
using payment::PaymentStatus;

struct Stored {
    Payment payment;
    std::uint64_t seq = 0;  // insertion order: the tie-break of "newest first"
};

}  // namespace

struct InMemoryPaymentStore::State {
    std::mutex mutex;
    std::map<std::string, Stored, std::less<>> by_id;
    std::map<std::string, std::string, std::less<>> id_by_key;
    std::unordered_map<BookingId, std::vector<std::string>> ids_by_booking;
    std::uint64_t next_seq = 0;
};

InMemoryPaymentStore::InMemoryPaymentStore() : state_(std::make_unique<State>()) {}

InMemoryPaymentStore::~InMemoryPaymentStore() = default;

Result<PaymentInsert> InMemoryPaymentStore::insert_or_get(const Payment& p) {
    FLIGHTBOOK_TRY_STATUS(check_storable(p));
    std::lock_guard lock(state_->mutex);
    if (auto it = state_->id_by_key.find(p.idempotency_key); it != state_->id_by_key.end()) {
        return PaymentInsert{state_->by_id.at(it->second).payment, false};
    }
    if (state_->by_id.contains(p.id)) {
        return fail(ErrorCode::kAlreadyExists, fmt::format("payment {} exists", p.id));
    }
    state_->by_id.emplace(p.id, Stored{p, state_->next_seq++});
    state_->id_by_key.emplace(p.idempotency_key, p.id);
    state_->ids_by_booking[p.booking_id].push_back(p.id);
    return PaymentInsert{p, true};
}

Result<Payment> InMemoryPaymentStore::get(std::string_view payment_id) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->by_id.find(payment_id);
    if (it == state_->by_id.end()) return fail(ErrorCode::kNotFound, "payment not found");
    return it->second.payment;
}

Result<std::optional<Payment>> InMemoryPaymentStore::find_by_key(std::string_view idempotency_key) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->id_by_key.find(idempotency_key);
    if (it == state_->id_by_key.end()) return std::optional<Payment>{};
    return std::optional<Payment>{state_->by_id.at(it->second).payment};
}

Result<std::vector<Payment>> InMemoryPaymentStore::find_by_booking(BookingId booking) {
    std::vector<const Stored*> found;
    std::lock_guard lock(state_->mutex);
    if (auto it = state_->ids_by_booking.find(booking); it != state_->ids_by_booking.end()) {
        for (const std::string& id : it->second) found.push_back(&state_->by_id.at(id));
    }
    std::sort(found.begin(), found.end(), [](const Stored* a, const Stored* b) {
        if (a->payment.created_at != b->payment.created_at) {
            return a->payment.created_at > b->payment.created_at;
        }
        return a->seq > b->seq;
    });
    if (found.size() > kMaxPaymentsPerBooking) found.resize(kMaxPaymentsPerBooking);
    std::vector<Payment> out;
    out.reserve(found.size());
    for (const Stored* s : found) out.push_back(s->payment);
    return out;
}

Result<PaymentRefund> InMemoryPaymentStore::mark_refunded(std::string_view payment_id, UtcTime at) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->by_id.find(payment_id);
    if (it == state_->by_id.end()) return fail(ErrorCode::kNotFound, "payment not found");
    Payment& p = it->second.payment;
    switch (p.status) {
        case PaymentStatus::kSuccess:
            p.status = PaymentStatus::kRefunded;
            p.refunded_at = at;
            return PaymentRefund{p, true};
        case PaymentStatus::kRefunded: return PaymentRefund{p, false};
        default:
            return fail(ErrorCode::kFailedPrecondition,
                        fmt::format("payment {} was never charged (status {})", p.id,
                                    payment::to_string(p.status)));
    }
}

Status InMemoryPaymentStore::ping() { return ok(); }

}  // namespace flightbook::memory
