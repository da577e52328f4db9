#pragma once
// The storm's history: one record per HTTP request the workload sent, with
// what was asked, when, and what came back (or that nothing came back). The
// checker judges the system by this record and the final state only.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "flightbook/result.hpp"

namespace flightbook::storm {

/// What a request did.
enum class Op {
    kSearch,             ///< GET /api/flights/search
    kBook,               ///< POST /api/bookings (first send of an order)
    kReplay,             ///< the same POST with the same Idempotency-Key, before any cancel
    kReplayAfterCancel,  ///< the same POST again after the booking was cancelled
    kCancel,             ///< PUT /api/bookings/{id}/cancel, alone
    kDoubleCancel,       ///< one of two concurrent cancels of one booking
    kGetBooking,         ///< GET /api/bookings/{id} (polling a pending booking)
};

/// A stable name for reports ("book", "double_cancel", ...).
[[nodiscard]] const char* op_name(Op op) noexcept;

/// One request and its answer. `status` 0 means no HTTP answer at all:
/// `timeout` says whether the client gave up waiting (the request may have
/// been processed) or could not deliver it.
struct Call {
    Op op = Op::kSearch;
    int client = 0;
    std::int64_t user = 0;
    std::string idempotency_key;        ///< empty when none was sent
    std::vector<std::int64_t> flights;  ///< legs of a booking, or the searched flights
    int seats = 0;
    std::int64_t booking_id = 0;  ///< addressed (cancel, get) or answered (book)
    std::int64_t start_ns = 0;    ///< steady clock, from the storm's start
    std::int64_t end_ns = 0;
    int status = 0;                ///< HTTP status, 0 when none
    bool timeout = false;          ///< no answer in time (status 0)
    bool transport_error = false;  ///< no answer for another reason (status 0)
    std::string answer_status;     ///< "status" of the answer ("confirmed", "pending", ...)
    std::string error_code;        ///< "error" of the answer (e.g. "sold_out")
    std::string body;              ///< the answer, cut to a few hundred bytes

    [[nodiscard]] bool answered() const noexcept { return status != 0; }
    [[nodiscard]] std::int64_t latency_ns() const noexcept { return end_ns - start_ns; }
};

/// Every call of one run. Thread-safe appends.
class History {
public:
    History() : origin_(std::chrono::steady_clock::now()) {}

    /// Nanoseconds since the history began (the storm's clock).
    [[nodiscard]] std::int64_t now_ns() const {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now() - origin_)
            .count();
    }
    void add(Call call);
    /// Counts a request as started; the checker compares this with the
    /// records, so that a request that never got recorded is noticed.
    void started() {
        std::lock_guard lock(mutex_);
        ++started_;
    }
    [[nodiscard]] std::vector<Call> calls() const;
    [[nodiscard]] std::int64_t started_count() const;

private:
    std::chrono::steady_clock::time_point origin_;
    mutable std::mutex mutex_;
    std::vector<Call> calls_;
    std::int64_t started_ = 0;
};

/// Writes `calls` to `path`, one tab-separated line per request (op,
/// client, user, key, flights, seats, booking, start and end in ms, status,
/// timeout, transport error, answer status, error code). Errors: kUnavailable
/// when the file cannot be written.
[[nodiscard]] Status write_history(const std::string& path, const std::vector<Call>& calls);

}  // namespace flightbook::storm
