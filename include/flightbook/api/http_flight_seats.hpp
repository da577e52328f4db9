#pragma once
/// \file
/// `api::HttpFlightSeats`: the `FlightSeats` port over HTTP, calling the
/// flight service's flight and seat endpoints (docs/bookings.md). Every seat
/// call is idempotent on its reservation id, so transient failures are
/// retried with the same id.

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/http/client.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/flight_seats.hpp"

namespace flightbook::api {

/// Settings. Field names carry their unit.
struct HttpFlightSeatsOptions {
    /// The flight service, e.g. "http://127.0.0.1:8080".
    std::string base_url;
    /// Sent as `X-Service-Token` when non-empty; never logged.
    std::string service_token;
    int connect_timeout_ms = 1000;
    /// Per read from the socket while waiting for an answer.
    int read_timeout_ms = 5000;
    /// Attempts per call (1 = no retry).
    int max_attempts = 3;
    /// Pause before the first retry; doubles per retry up to `max_backoff_ms`.
    int backoff_ms = 50;
    int max_backoff_ms = 1000;
    /// Idle keep-alive connections kept for reuse; concurrent calls beyond
    /// this open extra connections that are closed after use.
    std::size_t max_idle_connections = 8;
};

/// Checks the options: a usable base URL, positive timeouts, 1..10 attempts,
/// 0 <= backoff <= max backoff <= 60 s. Errors: `kInvalidArgument`.
[[nodiscard]] Status validate(const HttpFlightSeatsOptions& options);

/// The longest one call can take with `options` when every attempt runs
/// into its timeouts: attempts × (connect + read) + the pauses between them.
/// The booking reconciler's grace must exceed this plus the payment budget.
[[nodiscard]] std::chrono::milliseconds worst_case_call_time(const HttpFlightSeatsOptions& options);

/// Calls `GET /api/flights/{id}`, `POST /api/flights/seats/{hold,confirm,release}`
/// and `GET /api/flights/seats/reservations/{id}` of the flight service.
///
/// Retries (same reservation id, exponential backoff) on connection failures,
/// read timeouts, 429 and 5xx answers. Maps answers to errors: 404 →
/// `kNotFound`; 409 `insufficient_seats`/`hold_not_active` →
/// `kFailedPrecondition`; other 409 → `kConflict`; 400 and other 4xx →
/// `kInvalidArgument`; 401 → `kUnauthenticated`; 403 → `kPermissionDenied`.
/// When every attempt failed: `kDeadlineExceeded` if any attempt timed out
/// (the call may have taken effect), else `kUnavailable`.
///
/// Metrics (when a registry is given):
/// `flightbook_outbound_requests_total{service,operation,outcome}` (outcome
/// "ok" or the error code) and
/// `flightbook_outbound_request_duration_seconds{service,operation}`, one
/// observation per call including its retries.
///
/// Thread-safe: calls run in parallel on a small pool of connections.
class HttpFlightSeats final : public FlightSeats {
public:
    /// Errors: `kInvalidArgument` from `validate(options)`.
    [[nodiscard]] static Result<std::unique_ptr<HttpFlightSeats>> create(
        HttpFlightSeatsOptions options, std::shared_ptr<metrics::Registry> registry = nullptr);

    HttpFlightSeats(const HttpFlightSeats&) = delete;
    HttpFlightSeats& operator=(const HttpFlightSeats&) = delete;
    ~HttpFlightSeats() override;

    [[nodiscard]] Result<Flight> get_flight(FlightId id) override;
    [[nodiscard]] Result<Reservation> hold(const ReservationId& id, std::vector<SeatLeg> legs,
                                           std::chrono::seconds ttl) override;
    [[nodiscard]] Result<Reservation> confirm(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> release(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> get(const ReservationId& id) override;

    [[nodiscard]] const HttpFlightSeatsOptions& options() const noexcept { return options_; }

private:
    HttpFlightSeats(HttpFlightSeatsOptions options, std::shared_ptr<metrics::Registry> registry);

    /// One logical call with retries; the answer is a 2xx response.
    [[nodiscard]] Result<http::ClientResponse> call(std::string_view operation,
                                                    std::string_view method,
                                                    const std::string& path,
                                                    const std::string& body);
    [[nodiscard]] Result<http::ClientResponse> attempt(std::string_view method,
                                                       const std::string& path,
                                                       const std::string& body);
    [[nodiscard]] Result<Reservation> seat_call(std::string_view operation, std::string_view path,
                                                const ReservationId& id);

    HttpFlightSeatsOptions options_;
    http::ClientOptions client_options_;
    std::shared_ptr<metrics::Registry> registry_;
    metrics::CounterFamily* requests_ = nullptr;
    metrics::HistogramFamily* durations_ = nullptr;

    std::mutex idle_mutex_;           // guards idle_
    std::vector<http::Client> idle_;  // connections ready for reuse
};

}  // namespace flightbook::api
