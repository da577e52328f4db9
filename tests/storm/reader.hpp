#pragma once
// Reads the system's state directly: the three PostgreSQL databases, the
// Redis seat counters and flight-service's seat answers. One reader per
// thread (it owns its connections); every read is bounded by the
// connections' timeouts.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "flightbook/http/client.hpp"
#include "flightbook/postgres/connection.hpp"
#include "flightbook/redis/client.hpp"
#include "flightbook/result.hpp"
#include "state.hpp"
#include "targets.hpp"

namespace flightbook::storm {

/// The users of one run: bookings and payments outside [first, last] belong
/// to someone else and are not judged.
struct UserRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
};

class SystemReader {
public:
    /// Connects to the three databases; Redis and HTTP connect lazily.
    [[nodiscard]] static Result<std::unique_ptr<SystemReader>> open(const Targets& targets);

    /// One statement over flights and reservations: a consistent snapshot.
    [[nodiscard]] Result<std::vector<SeatSample>> postgres_seats(
        const std::vector<std::int64_t>& flights, std::int64_t at_ns);
    /// The Redis counters that exist (a flushed counter is simply absent).
    [[nodiscard]] Result<std::vector<SeatSample>> redis_seats(
        const std::vector<std::int64_t>& flights, std::int64_t at_ns);
    /// GET /api/flights/{id} for each flight; failed reads are left out.
    [[nodiscard]] std::vector<SeatSample> api_seats(const std::vector<std::int64_t>& flights,
                                                    std::int64_t at_ns);

    /// Number of bookings of `users` still pending or final but unsettled.
    [[nodiscard]] Result<std::int64_t> open_bookings(UserRange users);
    [[nodiscard]] Result<std::map<std::int64_t, BookingRow>> bookings(UserRange users);
    [[nodiscard]] Result<std::vector<PaymentRow>> payments(UserRange users);
    /// Held reservations on `flights` more than `slack_seconds` past expiry.
    [[nodiscard]] Result<std::vector<std::string>> expired_holds(
        const std::vector<std::int64_t>& flights, int slack_seconds);

    ~SystemReader();
    SystemReader(const SystemReader&) = delete;
    SystemReader& operator=(const SystemReader&) = delete;

private:
    SystemReader() = default;
    Targets targets_;
    std::unique_ptr<postgres::Connection> flights_;
    std::unique_ptr<postgres::Connection> bookings_;
    std::unique_ptr<postgres::Connection> payments_;
    std::shared_ptr<redis::Client> redis_;
    std::optional<http::Client> flight_api_;
};

}  // namespace flightbook::storm
