#pragma once
/// \file
/// The in-memory `BookingRepository`: the embedded default and the reference
/// semantics the PostgreSQL adapter is tested against.

#include <memory>

#include "flightbook/ports/booking_repository.hpp"

namespace flightbook::memory {

/// Bookings in process memory, ids from 1. Thread-safe (one mutex); every
/// method is atomic, like one transaction of the PostgreSQL adapter. Follows
/// the port's semantics, and refuses what the bookings schema refuses:
/// `create` checks `validate(NewBooking)`; `apply(confirm)` on a booking
/// without a payment id is `kFailedPrecondition` (a confirmed booking always
/// has one); `set_payment_id` with an empty id and `save_response` with a
/// status outside 100..599 are `kInvalidArgument`; negative `limit` or
/// `offset` of `list_by_user` are `kInvalidArgument`.
class InMemoryBookingRepository final : public BookingRepository {
public:
    InMemoryBookingRepository();
    ~InMemoryBookingRepository() override;
    InMemoryBookingRepository(const InMemoryBookingRepository&) = delete;
    InMemoryBookingRepository& operator=(const InMemoryBookingRepository&) = delete;

    [[nodiscard]] Result<CreatedBooking> create(const NewBooking& b, UtcTime now) override;
    [[nodiscard]] Result<booking::Booking> get(BookingId id) override;
    [[nodiscard]] Result<std::vector<booking::Booking>> list_by_user(UserId user,
                                                                     std::int64_t limit,
                                                                     std::int64_t offset) override;
    [[nodiscard]] Result<booking::Booking> apply(BookingId id, std::int64_t expected_version,
                                                 booking::BookingEvent event, std::string reason,
                                                 UtcTime now) override;
    [[nodiscard]] Result<booking::Booking> set_payment_id(BookingId id,
                                                          std::int64_t expected_version,
                                                          std::string payment_id,
                                                          UtcTime now) override;
    [[nodiscard]] Result<booking::Booking> save_response(BookingId id,
                                                         booking::StoredResponse response) override;
    [[nodiscard]] Result<std::vector<booking::Booking>> list_pending(UtcTime updated_before,
                                                                     std::size_t limit) override;
    [[nodiscard]] Result<booking::Booking> mark_settled(BookingId id, UtcTime now) override;
    [[nodiscard]] Result<std::vector<booking::Booking>> list_unsettled(UtcTime updated_before,
                                                                       std::size_t limit) override;
    [[nodiscard]] Status ping() override;
    [[nodiscard]] Result<std::vector<std::pair<booking::BookingStatus, std::int64_t>>>
    count_by_status() override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace flightbook::memory
