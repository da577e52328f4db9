#pragma once
// One fixture per BookingRepository adapter, so that the same test bodies run
// against each: `ManualClock clock`, `BookingRepository& repo()`, `kName`.
// Names carry "Booking": other fixture headers of this suite define their
// own `MemoryFixture`, and one binary must not see two of those.

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/memory/booking_repository.hpp"
#include "flightbook/postgres/booking_repository.hpp"
#include "flightbook/postgres/pool.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

/// An instant given as RFC 3339 text.
inline UtcTime booking_time(const char* text) {
    auto t = parse_rfc3339(text);
    REQUIRE(t);
    return *t;
}

/// The legs of a two-leg DEL→BOM→BLR itinerary (reference flights 1 and 6),
/// prices with odd cents so that any rounding shows.
inline std::vector<booking::BookingLeg> two_legs() {
    return {booking::BookingLeg{FlightId{1}, "AI101", "DEL", "BOM",
                                booking_time("2024-02-15T08:00:00Z"),
                                booking_time("2024-02-15T10:30:00Z"), Money::from_cents(850'005)},
            booking::BookingLeg{FlightId{6}, "AI301", "BOM", "BLR",
                                booking_time("2024-02-15T11:30:00Z"),
                                booking_time("2024-02-15T13:00:00Z"), Money::from_cents(650'099)}};
}

/// A consistent request for `user`: `legs` (two_legs() by default), `seats`
/// seats each, the total they cost, departing 2024-02-15, holding for 15 min
/// from `now`.
inline NewBooking booking_request(UserId user, UtcTime now,
                                  std::optional<std::string> idempotency_key = std::nullopt,
                                  std::int32_t seats = 2,
                                  std::vector<booking::BookingLeg> legs = two_legs()) {
    NewBooking b;
    b.user_id = user;
    b.seats = seats;
    for (const booking::BookingLeg& leg : legs) b.total_amount += leg.price * seats;
    b.legs = std::move(legs);
    b.payment_type = payment::PaymentType::kUpi;
    auto date = parse_date("2024-02-15");
    REQUIRE(date);
    b.date = *date;
    b.idempotency_key = std::move(idempotency_key);
    b.request_hash = "hash-" + std::to_string(user.value());
    b.hold_expires_at = now + std::chrono::minutes(15);
    return b;
}

/// Test shorthands: each REQUIREs success and returns the value.
inline booking::Booking create_ok(BookingRepository& repo, const NewBooking& b, UtcTime now) {
    auto created = repo.create(b, now);
    REQUIRE_MESSAGE(created, (created ? "" : created.error().message));
    CHECK(created->created);
    return created->booking;
}

inline booking::Booking get_ok(BookingRepository& repo, BookingId id) {
    auto b = repo.get(id);
    REQUIRE_MESSAGE(b, (b ? "" : b.error().message));
    return *b;
}

inline booking::Booking apply_ok(BookingRepository& repo, const booking::Booking& b,
                                 booking::BookingEvent event, UtcTime now,
                                 std::string reason = "test") {
    auto next = repo.apply(b.id, b.version, event, std::move(reason), now);
    REQUIRE_MESSAGE(next, (next ? "" : next.error().message));
    return *next;
}

inline booking::Booking confirm_ok(BookingRepository& repo, const booking::Booking& b,
                                   UtcTime now) {
    auto paid = repo.set_payment_id(b.id, b.version, "pay_" + std::to_string(b.id.value()), now);
    REQUIRE_MESSAGE(paid, (paid ? "" : paid.error().message));
    return apply_ok(repo, *paid, booking::BookingEvent::kConfirm, now, "payment charged");
}

inline std::vector<BookingId> ids_of(const Result<std::vector<booking::Booking>>& list) {
    REQUIRE_MESSAGE(list, (list ? "" : list.error().message));
    std::vector<BookingId> ids;
    for (const booking::Booking& b : *list) ids.push_back(b.id);
    return ids;
}

inline std::int64_t count_of(BookingRepository& repo, booking::BookingStatus status) {
    auto counts = repo.count_by_status();
    REQUIRE(counts);
    for (const auto& [s, n] : *counts) {
        if (s == status) return n;
    }
    FAIL("no count for " << booking::to_string(status));
    return -1;
}

class BookingMemoryFixture {
public:
    static constexpr const char* kName = "memory";
    ManualClock clock;

    BookingRepository& repo() { return repo_; }

private:
    memory::InMemoryBookingRepository repo_;
};

/// A pool into a throw-away bookings schema (see PgSchema).
inline std::shared_ptr<postgres::ConnectionPool> make_booking_pool(const PgSchema& schema,
                                                                   std::size_t size = 16) {
    auto pool = postgres::ConnectionPool::create(
        postgres::PoolOptions{schema.dsn(), size, 20000, 5000, 30000});
    REQUIRE_MESSAGE(pool, (pool ? "" : pool.error().message));
    return std::move(pool).value();
}

class BookingPostgresFixture {
public:
    static constexpr const char* kName = "postgres";
    ManualClock clock;

    BookingPostgresFixture() : pool_(make_booking_pool(schema_)), repo_(pool_) {}

    BookingRepository& repo() { return repo_; }
    const PgSchema& schema() const { return schema_; }

private:
    PgSchema schema_{"bookings"};
    std::shared_ptr<postgres::ConnectionPool> pool_;
    postgres::PostgresBookingRepository repo_;
};

}  // namespace flightbook::testing
