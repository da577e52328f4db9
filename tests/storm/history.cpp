#include "history.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <utility>

namespace flightbook::storm {

const char* op_name(Op op) noexcept {
    switch (op) {
        case Op::kSearch: return "search";
        case Op::kBook: return "book";
        case Op::kReplay: return "replay";
        case Op::kReplayAfterCancel: return "replay_after_cancel";
        case Op::kCancel: return "cancel";
        case Op::kDoubleCancel: return "double_cancel";
        case Op::kGetBooking: return "get_booking";
    }
    return "unknown";
}

void History::add(Call call) {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
}

std::vector<Call> History::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

std::int64_t History::started_count() const {
    std::lock_guard lock(mutex_);
    return started_;
}

Status write_history(const std::string& path, const std::vector<Call>& calls) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) return fail(ErrorCode::kUnavailable, "cannot write " + path);
    fmt::print(f,
               "op\tclient\tuser\tkey\tflights\tseats\tbooking\tstart_ms\tend_ms\tstatus\ttimeout\t"
               "transport_error\tanswer_status\terror\n");
    for (const Call& c : calls) {
        fmt::print(f, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.3f}\t{:.3f}\t{}\t{}\t{}\t{}\t{}\n",
                   op_name(c.op), c.client, c.user, c.idempotency_key, fmt::join(c.flights, ","),
                   c.seats, c.booking_id, static_cast<double>(c.start_ns) / 1e6,
                   static_cast<double>(c.end_ns) / 1e6, c.status, c.timeout ? 1 : 0,
                   c.transport_error ? 1 : 0, c.answer_status, c.error_code);
    }
    const bool ok_close = std::fclose(f) == 0;
    if (!ok_close) return fail(ErrorCode::kUnavailable, "cannot write " + path);
    return ok();
}

}  // namespace flightbook::storm
