#pragma once
// The SPEC §5 invariants over the whole system, read from the three databases
// after the system has settled: seats, bookings and payments agree.

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "booking_system.hpp"

namespace flightbook::testing {

/// booked_seats per flight of the reference schedule before any booking
/// (SPEC §2: 180 seats each, booked = 180 - available).
inline std::map<std::int64_t, std::int64_t> reference_booked() {
    const int available[] = {130, 150, 100, 140, 120, 155, 135, 160,
                             145, 150, 155, 165, 160, 140, 145, 150};
    std::map<std::int64_t, std::int64_t> booked;
    for (int i = 0; i < 16; ++i) booked[i + 1] = 180 - available[i];
    return booked;
}

/// Waits (bounded) until no booking is pending and every final booking is
/// settled; false if that did not happen in time.
inline bool wait_until_settled(BookingSystem& sys, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto open =
            sys.scalar("bookings",
                       "SELECT count(*) FROM bookings WHERE status = 'pending' OR "
                       "(status IN ('failed','expired','cancelled') AND NOT settled)");
        if (open == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

/// What the check counted.
struct SystemTally {
    std::int64_t confirmed = 0;
    std::int64_t final_other = 0;  ///< failed + expired + cancelled
    std::int64_t charged = 0;      ///< payments left charged
    std::int64_t refunded = 0;
};

/// Checks, for a settled system: for every flight, booked = before + the
/// seats of confirmed bookings that include it, nothing held, 0 <= booked <=
/// total; every confirmed booking has exactly one charged payment, which is
/// its payment_id; every charged payment belongs to a confirmed booking; no
/// booking was charged twice (at most one payment ever succeeded per booking).
inline SystemTally check_invariants(BookingSystem& sys,
                                    const std::map<std::int64_t, std::int64_t>& booked_before) {
    SystemTally tally;
    auto bookings = sys.bookings_db().connect();
    auto rows = bookings->exec(postgres::Statement{
        "inv_bookings",
        "SELECT b.id, b.status, b.seats, coalesce(b.payment_id, ''), l.flight_id "
        "FROM bookings b JOIN booking_legs l ON l.booking_id = b.id "
        "ORDER BY b.id, l.leg_no"});
    REQUIRE(rows);
    std::map<std::int64_t, std::int64_t> confirmed_seats;  // flight -> seats
    std::map<std::int64_t, std::string> status_of;
    std::map<std::int64_t, std::string> payment_of;
    for (std::size_t i = 0; i < rows->rows(); ++i) {
        const std::int64_t id = rows->int64(i, 0);
        const std::string status(rows->text(i, 1));
        status_of[id] = status;
        payment_of[id] = std::string(rows->text(i, 3));
        if (status == "confirmed") confirmed_seats[rows->int64(i, 4)] += rows->int64(i, 2);
    }
    for (const auto& [id, status] : status_of) {
        CAPTURE(id);
        CHECK(status != "pending");
        if (status == "confirmed") {
            ++tally.confirmed;
        } else {
            ++tally.final_other;
        }
    }

    for (const auto& [flight, before] : booked_before) {
        CAPTURE(flight);
        const auto row = sys.seats(flight);
        CHECK(row.held == 0);
        CHECK(row.booked >= 0);
        CHECK(row.booked <= row.total);
        const auto it = confirmed_seats.find(flight);
        CHECK(row.booked == before + (it == confirmed_seats.end() ? 0 : it->second));
    }

    auto payments = sys.payments_db().connect();
    auto pays = payments->exec(postgres::Statement{
        "inv_payments", "SELECT id, booking_id, status FROM payments ORDER BY booking_id"});
    REQUIRE(pays);
    std::map<std::int64_t, int> succeeded_per_booking;  // success or refunded: money moved once
    std::map<std::int64_t, std::string> charged_payment;
    for (std::size_t i = 0; i < pays->rows(); ++i) {
        const std::string pid(pays->text(i, 0));
        const std::int64_t booking = pays->int64(i, 1);
        const std::string status(pays->text(i, 2));
        if (status == "success" || status == "refunded") ++succeeded_per_booking[booking];
        if (status == "success") {
            ++tally.charged;
            charged_payment[booking] = pid;
            CAPTURE(booking);
            CHECK(status_of[booking] == "confirmed");  // money kept ⇒ a confirmed booking
        }
        if (status == "refunded") ++tally.refunded;
    }
    for (const auto& [booking, n] : succeeded_per_booking) {
        CAPTURE(booking);
        CHECK(n == 1);  // never charged twice
    }
    for (const auto& [id, status] : status_of) {
        if (status != "confirmed") continue;
        CAPTURE(id);
        REQUIRE(charged_payment.count(id) == 1);  // a confirmed booking was paid
        CHECK(charged_payment[id] == payment_of[id]);
    }
    return tally;
}

}  // namespace flightbook::testing
