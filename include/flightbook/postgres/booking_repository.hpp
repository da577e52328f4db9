#pragma once
/// \file
/// The PostgreSQL `BookingRepository` over the bookings database.

#include <memory>

#include "flightbook/ports/booking_repository.hpp"
#include "flightbook/postgres/pool.hpp"

namespace flightbook::postgres {

/// Bookings in the bookings database (tables `bookings`, `booking_legs`,
/// `booking_status_history`, migrations sql/bookings/0001 and 0002).
/// Each method is one short READ COMMITTED transaction: a change locks the
/// booking row (`FOR UPDATE`), checks the version, decides with
/// `booking::next_status`, and writes the row and its history row in one
/// commit; reads of several rows run in one REPEATABLE READ snapshot, so a
/// booking never comes back with history newer than its row. Idempotent
/// creates rely on the unique index on (user_id, idempotency_key).
/// Thread-safe and safe across processes. Besides the port's errors (a
/// commit whose outcome is unknown is `kInDoubt`; a lost connection
/// `kUnavailable`), it refuses exactly what `memory::InMemoryBookingRepository`
/// refuses, with the same codes.
class PostgresBookingRepository final : public BookingRepository {
public:
    explicit PostgresBookingRepository(std::shared_ptr<ConnectionPool> pool);

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
    std::shared_ptr<ConnectionPool> pool_;
};

}  // namespace flightbook::postgres
