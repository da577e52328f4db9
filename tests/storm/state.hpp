#pragma once
// What the storm reads from the system besides the answers: seat counts of
// the flights it uses (read while it runs and at the end) and the final rows
// of the three databases. Plain values, so the checker can be fed by hand.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace flightbook::storm {

/// Where a seat count was read.
enum class SeatSource { kPostgres, kRedis, kApi };

[[nodiscard]] const char* source_name(SeatSource source) noexcept;

/// One read of one flight's seats. For kPostgres every field comes from one
/// statement (one snapshot); kRedis and kApi know only `total` and
/// `available` (kApi also `booked`).
struct SeatSample {
    std::int64_t at_ns = 0;  ///< storm clock
    SeatSource source = SeatSource::kPostgres;
    std::int64_t flight = 0;
    std::int64_t total = 0;
    std::int64_t available = 0;
    std::int64_t booked = 0;          ///< held + sold (flights.booked_seats)
    std::int64_t held = 0;            ///< flights.held_seats
    std::int64_t held_legs = 0;       ///< seats of held reservations on this flight
    std::int64_t confirmed_legs = 0;  ///< seats of confirmed reservations on this flight
};

/// One booking row of this run (bookings database) with its legs.
struct BookingRow {
    std::int64_t id = 0;
    std::int64_t user = 0;
    std::string status;
    std::string idempotency_key;
    std::string payment_id;
    bool settled = false;
    std::int64_t seats = 0;
    std::vector<std::int64_t> legs;
};

/// One payment row of this run (payments database).
struct PaymentRow {
    std::string id;
    std::int64_t booking_id = 0;
    std::string status;  ///< success, failed, timeout, refunded
};

/// The system after the storm (and after waiting for it to settle).
struct FinalState {
    /// Seats the flights had sold before the run without a reservation row
    /// (the reference data): booked - held - confirmed_legs at the first read.
    std::map<std::int64_t, std::int64_t> baseline;
    std::vector<SeatSample> seats;  ///< final reads, every source
    std::map<std::int64_t, BookingRow> bookings;
    std::vector<PaymentRow> payments;
    /// Reservations on the used flights still held well past their expiry.
    std::vector<std::string> expired_holds;
    /// True when no booking of the run was pending or unsettled at the end.
    bool settled = false;
};

}  // namespace flightbook::storm
