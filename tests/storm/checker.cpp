#include "checker.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

namespace flightbook::storm {

namespace {

class Checker {
public:
    explicit Checker(const CheckInput& in) : in_(in) {}

    std::vector<Violation> run() {
        for (const SeatSample& s : in_.samples) seats(s, "monitor");
        for (const SeatSample& s : in_.final_state.seats) seats(s, "final");
        final_seats();
        requests();
        bookings();
        replays();
        payments();
        holds();
        return std::move(out_);
    }

private:
    void add(const char* inv, std::string detail) { out_.push_back({inv, std::move(detail)}); }

    const BookingRow* booking(std::int64_t id) const {
        const auto it = in_.final_state.bookings.find(id);
        return it == in_.final_state.bookings.end() ? nullptr : &it->second;
    }

    // One read of one flight: nothing oversold, and for PostgreSQL every seat
    // accounted for: available + held + confirmed = total, where held and
    // confirmed are counted twice, in the flight's columns and in the
    // reservation rows (plus what was sold before the run without one).
    void seats(const SeatSample& s, const char* when) {
        const std::string where =
            fmt::format("{} read ({}) of flight {} at {:.3f} s", when, source_name(s.source),
                        s.flight, static_cast<double>(s.at_ns) / 1e9);
        if (s.available < 0 || s.available > s.total) {
            add(invariant::kOversell,
                fmt::format("{}: available {} of {}", where, s.available, s.total));
        }
        if (s.source == SeatSource::kApi && s.available + s.booked != s.total) {
            add(invariant::kSeatAccounting, fmt::format("{}: available {} + booked {} != total {}",
                                                        where, s.available, s.booked, s.total));
        }
        if (s.source != SeatSource::kPostgres) return;
        if (s.booked > s.total) {
            add(invariant::kOversell,
                fmt::format("{}: booked {} > total {}", where, s.booked, s.total));
        }
        const auto base = in_.final_state.baseline.find(s.flight);
        const std::int64_t baseline = base == in_.final_state.baseline.end() ? 0 : base->second;
        const std::int64_t confirmed = s.booked - s.held;
        if (s.held < 0 || s.held != s.held_legs || confirmed != baseline + s.confirmed_legs ||
            s.available + s.held + confirmed != s.total) {
            add(invariant::kSeatAccounting,
                fmt::format("{}: available {} held {} (reservations {}) confirmed {} "
                            "(reservations {} + {} before the run) total {}",
                            where, s.available, s.held, s.held_legs, confirmed, s.confirmed_legs,
                            baseline, s.total));
        }
    }

    // At the end, settled: nothing held, and the Redis counters agree with
    // PostgreSQL.
    void final_seats() {
        if (!in_.final_state.settled) return;
        std::map<std::int64_t, std::int64_t> pg_available;
        for (const SeatSample& s : in_.final_state.seats) {
            if (s.source != SeatSource::kPostgres) continue;
            pg_available[s.flight] = s.available;
            if (s.held != 0) {
                add(invariant::kHoldAfterExpiry,
                    fmt::format("flight {}: {} seats still held after every booking settled",
                                s.flight, s.held));
            }
        }
        for (const SeatSample& s : in_.final_state.seats) {
            if (s.source == SeatSource::kPostgres) continue;
            const auto it = pg_available.find(s.flight);
            if (it != pg_available.end() && it->second != s.available) {
                add(invariant::kSeatAccounting,
                    fmt::format("flight {}: {} says {} available at the end, PostgreSQL {}",
                                s.flight, source_name(s.source), s.available, it->second));
            }
        }
    }

    // Every request recorded, each with an answer or a counted failure.
    void requests() {
        if (in_.started != static_cast<std::int64_t>(in_.calls.size())) {
            add(invariant::kLost,
                fmt::format("{} requests started, {} recorded", in_.started, in_.calls.size()));
        }
        for (const Call& c : in_.calls) {
            if (!c.answered() && !c.timeout && !c.transport_error) {
                add(invariant::kLost,
                    fmt::format("{} by client {} at {:.3f} s: no answer and no "
                                "failure recorded",
                                op_name(c.op), c.client, static_cast<double>(c.start_ns) / 1e9));
            }
        }
    }

    static bool is_create(Op op) {
        return op == Op::kBook || op == Op::kReplay || op == Op::kReplayAfterCancel;
    }
    static bool is_cancel(Op op) { return op == Op::kCancel || op == Op::kDoubleCancel; }

    void bookings() {
        std::map<std::int64_t, int> cancels_ok;
        std::int64_t creates_without_key = 0;
        std::set<std::pair<std::int64_t, std::string>> keys_sent;
        // A booking may end cancelled only if someone asked for it.
        std::set<std::int64_t> cancel_sent;
        for (const Call& c : in_.calls) {
            if (is_cancel(c.op)) cancel_sent.insert(c.booking_id);
        }
        for (const Call& c : in_.calls) {
            if (c.op == Op::kBook) {
                if (c.idempotency_key.empty()) ++creates_without_key;
                keys_sent.emplace(c.user, c.idempotency_key);
            }
            if (is_create(c.op) && c.answered() && c.booking_id != 0) {
                const BookingRow* b = booking(c.booking_id);
                const bool acked = c.status == 200 && c.answer_status == "confirmed";
                if (b == nullptr) {
                    add(invariant::kAckedBookingLost,
                        fmt::format("booking {} answered {} ({}) to {} is not in the database",
                                    c.booking_id, c.status, c.answer_status, op_name(c.op)));
                } else if (acked && b->status != "confirmed" && b->status != "cancelled") {
                    add(invariant::kAckedBookingLost,
                        fmt::format("booking {} answered 200 confirmed ends {}", c.booking_id,
                                    b->status));
                } else if (acked && b->status == "cancelled" && cancel_sent.count(b->id) == 0) {
                    add(invariant::kAckedBookingLost,
                        fmt::format("booking {} answered 200 confirmed ends cancelled, and no "
                                    "cancel was sent",
                                    c.booking_id));
                } else if (c.status == 400 && c.op == Op::kBook && b->status == "confirmed") {
                    add(invariant::kRefusedConfirmed,
                        fmt::format("booking {} refused ({}) ends confirmed", c.booking_id,
                                    c.error_code));
                }
            }
            if (is_cancel(c.op) && c.status == 200) {
                ++cancels_ok[c.booking_id];
                const BookingRow* b = booking(c.booking_id);
                if (b == nullptr || b->status != "cancelled") {
                    add(invariant::kCancelNotApplied,
                        fmt::format("cancel of booking {} answered 200, booking ends {}",
                                    c.booking_id, b == nullptr ? "missing" : b->status));
                }
            }
        }
        for (const auto& [id, n] : cancels_ok) {
            if (n > 1) {
                add(invariant::kCancelTwice,
                    fmt::format("booking {}: {} cancels answered 200", id, n));
            }
        }
        // No booking that no request asked for.
        std::int64_t rows_without_key = 0;
        for (const auto& [id, b] : in_.final_state.bookings) {
            if (b.idempotency_key.empty()) {
                ++rows_without_key;
            } else if (keys_sent.count({b.user, b.idempotency_key}) == 0) {
                add(invariant::kReplaySecondBooking,
                    fmt::format("booking {} carries key {} that no request sent", id,
                                b.idempotency_key));
            }
        }
        if (rows_without_key > creates_without_key) {
            add(invariant::kReplaySecondBooking,
                fmt::format("{} bookings without a key in the database, {} creates sent",
                            rows_without_key, creates_without_key));
        }
    }

    // One key, one booking: every answer naming a booking names the same
    // one, and the database holds one row for it.
    void replays() {
        std::map<std::pair<std::int64_t, std::string>, std::set<std::int64_t>> answered;
        for (const Call& c : in_.calls) {
            if (!is_create(c.op) || c.idempotency_key.empty() || c.booking_id == 0) continue;
            answered[{c.user, c.idempotency_key}].insert(c.booking_id);
        }
        for (const auto& [key, ids] : answered) {
            if (ids.size() > 1) {
                add(invariant::kReplaySecondBooking,
                    fmt::format("user {} key {}: answers name {} bookings ({})", key.first,
                                key.second, ids.size(), fmt::join(ids, ", ")));
            }
        }
        std::map<std::pair<std::int64_t, std::string>, int> rows;
        for (const auto& [id, b] : in_.final_state.bookings) {
            if (!b.idempotency_key.empty()) ++rows[{b.user, b.idempotency_key}];
        }
        for (const auto& [key, n] : rows) {
            if (n > 1) {
                add(invariant::kReplaySecondBooking,
                    fmt::format("user {} key {}: {} booking rows", key.first, key.second, n));
            }
        }
    }

    void payments() {
        std::map<std::int64_t, int> money_moved;                // success or refunded per booking
        std::map<std::int64_t, std::vector<std::string>> kept;  // success per booking
        for (const PaymentRow& p : in_.final_state.payments) {
            if (p.status == "success" || p.status == "refunded") ++money_moved[p.booking_id];
            if (p.status != "success") continue;
            kept[p.booking_id].push_back(p.id);
            const BookingRow* b = booking(p.booking_id);
            if (b == nullptr || b->status != "confirmed") {
                add(invariant::kPaymentOrphan,
                    fmt::format("payment {} kept (success) for booking {} that is {}", p.id,
                                p.booking_id, b == nullptr ? "missing" : b->status));
            }
        }
        for (const auto& [booking, n] : money_moved) {
            if (n > 1) {
                add(invariant::kPaidOnce, fmt::format("booking {} charged {} times", booking, n));
            }
        }
        for (const auto& [id, b] : in_.final_state.bookings) {
            if (b.status != "confirmed") continue;
            const auto it = kept.find(id);
            if (it == kept.end() || it->second.size() != 1 || it->second.front() != b.payment_id) {
                add(invariant::kPaidOnce,
                    fmt::format("confirmed booking {} (payment {}) has {} kept payments", id,
                                b.payment_id, it == kept.end() ? 0 : it->second.size()));
            }
        }
    }

    void holds() {
        for (const std::string& r : in_.final_state.expired_holds) {
            add(invariant::kHoldAfterExpiry, fmt::format("reservation {} held past expiry", r));
        }
        if (!in_.final_state.settled) {
            int open = 0;
            for (const auto& [id, b] : in_.final_state.bookings) {
                if (b.status == "pending" || (b.status != "confirmed" && !b.settled)) ++open;
            }
            add(invariant::kUnsettled,
                fmt::format("{} bookings still pending or unsettled after the wait", open));
        }
    }

    const CheckInput& in_;
    std::vector<Violation> out_;
};

}  // namespace

std::vector<Violation> check(const CheckInput& input) { return Checker(input).run(); }

}  // namespace flightbook::storm
