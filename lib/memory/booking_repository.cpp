#include "flightbook/memory/booking_repository.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace flightbook::memory {

namespace {

using booking::Booking;
using booking::BookingStatus;

// Newest first: created_at, then id, descending.
bool newer(const Booking* a, const Booking* b) {
    if (a->created_at != b->created_at) return a->created_at > b->created_at;
    return a->id > b->id;
}

// Oldest update first, ties by id: the reconciler's order.
bool updated_earlier(const Booking* a, const Booking* b) {
    if (a->updated_at != b->updated_at) return a->updated_at < b->updated_at;
    return a->id < b->id;
}

}  // namespace

struct InMemoryBookingRepository::State {
    std::mutex mutex;
    std::int64_t next_id = 1;
    std::map<BookingId, Booking> bookings;
    std::map<std::pair<UserId, std::string>, BookingId> by_idempotency_key;

    // The booking `id`, or kNotFound. The caller holds the mutex.
    Result<Booking*> find(BookingId id) {
        auto it = bookings.find(id);
        if (it == bookings.end()) {
            return fail(ErrorCode::kNotFound, fmt::format("booking {} not found", id.value()));
        }
        return &it->second;
    }

    // kAborted unless `b` is still at `expected_version`. The caller holds the mutex.
    static Status check_version(const Booking& b, std::int64_t expected_version) {
        if (b.version != expected_version) {
            return fail(ErrorCode::kAborted,
                        fmt::format("booking {} changed: version {}, expected {}", b.id.value(),
                                    b.version, expected_version));
        }
        return ok();
    }

    // Up to `limit` bookings matching `keep`, in the reconciler's order. The
    // caller holds the mutex.
    template <typename Keep>
    std::vector<Booking> oldest(std::size_t limit, Keep keep) {
        std::vector<const Booking*> matching;
        for (const auto& [id, b] : bookings) {
            if (keep(b)) matching.push_back(&b);
        }
        std::sort(matching.begin(), matching.end(), updated_earlier);
        std::vector<Booking> out;
        for (std::size_t i = 0; i < matching.size() && i < limit; ++i) out.push_back(*matching[i]);
        return out;
    }
};

InMemoryBookingRepository::InMemoryBookingRepository() : state_(std::make_unique<State>()) {}

InMemoryBookingRepository::~InMemoryBookingRepository() = default;

Result<CreatedBooking> InMemoryBookingRepository::create(const NewBooking& b, UtcTime now) {
    FLIGHTBOOK_TRY_STATUS(validate(b));
    std::lock_guard lock(state_->mutex);
    if (b.idempotency_key) {
        auto it = state_->by_idempotency_key.find({b.user_id, *b.idempotency_key});
        if (it != state_->by_idempotency_key.end()) {
            return CreatedBooking{state_->bookings.at(it->second), false};
        }
    }
    Booking stored;
    stored.id = BookingId{state_->next_id++};
    stored.user_id = b.user_id;
    stored.legs = b.legs;
    stored.seats = b.seats;
    stored.total_amount = b.total_amount;
    stored.payment_type = b.payment_type;
    stored.status = BookingStatus::kPending;
    stored.version = 1;
    stored.reservation_id = booking::reservation_id_for(stored.id);
    stored.idempotency_key = b.idempotency_key;
    stored.request_hash = b.request_hash;
    stored.date = b.date;
    stored.hold_expires_at = b.hold_expires_at;
    stored.created_at = now;
    stored.updated_at = now;
    stored.history.push_back(
        booking::StatusChange{std::nullopt, BookingStatus::kPending, b.reason, now});
    if (b.idempotency_key) {
        state_->by_idempotency_key.emplace(std::pair{b.user_id, *b.idempotency_key}, stored.id);
    }
    auto [it, inserted] = state_->bookings.emplace(stored.id, std::move(stored));
    return CreatedBooking{it->second, true};
}

Result<Booking> InMemoryBookingRepository::get(BookingId id) {
    std::lock_guard lock(state_->mutex);
    auto b = state_->find(id);
    if (!b) return fail(std::move(b).error());
    return **b;
}

Result<std::vector<Booking>> InMemoryBookingRepository::list_by_user(UserId user,
                                                                     std::int64_t limit,
                                                                     std::int64_t offset) {
    if (limit < 0 || offset < 0) {
        return fail(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
    }
    std::lock_guard lock(state_->mutex);
    std::vector<const Booking*> mine;
    for (const auto& [id, b] : state_->bookings) {
        if (b.user_id == user) mine.push_back(&b);
    }
    std::sort(mine.begin(), mine.end(), newer);
    std::vector<Booking> out;
    const auto begin = static_cast<std::size_t>(offset);
    for (std::size_t i = begin; i < mine.size() && out.size() < static_cast<std::size_t>(limit);
         ++i) {
        out.push_back(*mine[i]);
    }
    return out;
}

Result<Booking> InMemoryBookingRepository::apply(BookingId id, std::int64_t expected_version,
                                                 booking::BookingEvent event, std::string reason,
                                                 UtcTime now) {
    std::lock_guard lock(state_->mutex);
    auto found = state_->find(id);
    if (!found) return fail(std::move(found).error());
    Booking& b = **found;
    FLIGHTBOOK_TRY_STATUS(State::check_version(b, expected_version));
    auto next = booking::next_status(b.status, event);
    if (!next) return fail(std::move(next).error());
    if (*next == BookingStatus::kConfirmed && !b.payment_id) {
        return fail(
            ErrorCode::kFailedPrecondition,
            fmt::format("booking {} has no payment id; it cannot be confirmed", id.value()));
    }
    b.history.push_back(booking::StatusChange{b.status, *next, std::move(reason), now});
    b.status = *next;
    ++b.version;
    b.updated_at = now;
    return b;
}

Result<Booking> InMemoryBookingRepository::set_payment_id(BookingId id,
                                                          std::int64_t expected_version,
                                                          std::string payment_id, UtcTime now) {
    if (payment_id.empty()) {
        return fail(ErrorCode::kInvalidArgument, "payment id must not be empty");
    }
    std::lock_guard lock(state_->mutex);
    auto found = state_->find(id);
    if (!found) return fail(std::move(found).error());
    Booking& b = **found;
    FLIGHTBOOK_TRY_STATUS(State::check_version(b, expected_version));
    b.payment_id = std::move(payment_id);
    ++b.version;
    b.updated_at = now;
    return b;
}

Result<Booking> InMemoryBookingRepository::save_response(BookingId id,
                                                         booking::StoredResponse response) {
    if (!booking::is_valid_response_status(response.status)) {
        return fail(ErrorCode::kInvalidArgument, "response status must be between 100 and 599");
    }
    std::lock_guard lock(state_->mutex);
    auto found = state_->find(id);
    if (!found) return fail(std::move(found).error());
    Booking& b = **found;
    if (!b.response) b.response = std::move(response);
    return b;
}

Result<std::vector<Booking>> InMemoryBookingRepository::list_pending(UtcTime updated_before,
                                                                     std::size_t limit) {
    std::lock_guard lock(state_->mutex);
    return state_->oldest(limit, [&](const Booking& b) {
        return b.status == BookingStatus::kPending && b.updated_at <= updated_before;
    });
}

Result<Booking> InMemoryBookingRepository::mark_settled(BookingId id, UtcTime now) {
    std::lock_guard lock(state_->mutex);
    auto found = state_->find(id);
    if (!found) return fail(std::move(found).error());
    Booking& b = **found;
    if (!booking::is_final(b.status)) {
        return fail(ErrorCode::kFailedPrecondition,
                    fmt::format("booking {} is {}; only a final booking can be settled", id.value(),
                                booking::to_string(b.status)));
    }
    if (!b.settled) {
        b.settled = true;
        b.updated_at = now;
    }
    return b;
}

Result<std::vector<Booking>> InMemoryBookingRepository::list_unsettled(UtcTime updated_before,
                                                                       std::size_t limit) {
    std::lock_guard lock(state_->mutex);
    return state_->oldest(limit, [&](const Booking& b) {
        return booking::is_final(b.status) && !b.settled && b.updated_at <= updated_before;
    });
}

Status InMemoryBookingRepository::ping() { return ok(); }

Result<std::vector<std::pair<BookingStatus, std::int64_t>>>
InMemoryBookingRepository::count_by_status() {
    // Every status in enum order, so that a status nobody is in still shows as 0.
    std::vector<std::pair<BookingStatus, std::int64_t>> counts{{BookingStatus::kPending, 0},
                                                               {BookingStatus::kConfirmed, 0},
                                                               {BookingStatus::kFailed, 0},
                                                               {BookingStatus::kExpired, 0},
                                                               {BookingStatus::kCancelled, 0}};
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, b] : state_->bookings)
        ++counts[static_cast<std::size_t>(b.status)].second;
    return counts;
}

}  // namespace flightbook::memory
