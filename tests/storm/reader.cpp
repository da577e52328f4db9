#include "reader.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "flightbook/http/json.hpp"

namespace flightbook::storm {

namespace {

// The flights and reservation legs are read in one statement, so held and
// confirmed seats and the flight's counters come from one snapshot.
constexpr postgres::Statement kSeats{
    "storm_seats",
    "SELECT f.id, f.total_seats, f.booked_seats, f.held_seats, "
    "  coalesce(sum(l.seats) FILTER (WHERE r.state = 'held'), 0), "
    "  coalesce(sum(l.seats) FILTER (WHERE r.state = 'confirmed'), 0) "
    "FROM flights f "
    "LEFT JOIN seat_reservation_legs l ON l.flight_id = f.id "
    "LEFT JOIN seat_reservations r ON r.id = l.reservation_id "
    "WHERE f.id = ANY($1::bigint[]) GROUP BY f.id ORDER BY f.id"};
constexpr postgres::Statement kOpenBookings{
    "storm_open_bookings",
    "SELECT count(*) FROM bookings WHERE user_id BETWEEN $1 AND $2 AND "
    "(status = 'pending' OR (status IN ('failed','expired','cancelled') AND NOT settled))"};
constexpr postgres::Statement kBookings{
    "storm_bookings",
    "SELECT b.id, b.user_id, b.status, coalesce(b.idempotency_key, ''), "
    "  coalesce(b.payment_id, ''), b.settled, b.seats, l.flight_id "
    "FROM bookings b JOIN booking_legs l ON l.booking_id = b.id "
    "WHERE b.user_id BETWEEN $1 AND $2 ORDER BY b.id, l.leg_no"};
constexpr postgres::Statement kPayments{
    "storm_payments",
    "SELECT id, booking_id, status FROM payments WHERE user_id BETWEEN $1 AND $2 ORDER BY seq"};
constexpr postgres::Statement kExpiredHolds{
    "storm_expired_holds",
    "SELECT DISTINCT r.id FROM seat_reservations r "
    "JOIN seat_reservation_legs l ON l.reservation_id = r.id "
    "WHERE r.state = 'held' AND r.expires_at < now() - make_interval(secs => $2) "
    "AND l.flight_id = ANY($1::bigint[])"};

std::string pg_array(const std::vector<std::int64_t>& ids) {
    return fmt::format("{{{}}}", fmt::join(ids, ","));
}

Result<std::unique_ptr<postgres::Connection>> connect(const std::string& dsn) {
    // Short timeouts: a monitor read must never hang the storm.
    return postgres::Connection::connect(postgres::ConnectOptions{dsn, 3000, 5000});
}

}  // namespace

const char* source_name(SeatSource source) noexcept {
    switch (source) {
        case SeatSource::kPostgres: return "postgres";
        case SeatSource::kRedis: return "redis";
        case SeatSource::kApi: return "api";
    }
    return "unknown";
}

SystemReader::~SystemReader() = default;

Result<std::unique_ptr<SystemReader>> SystemReader::open(const Targets& targets) {
    std::unique_ptr<SystemReader> r(new SystemReader());
    r->targets_ = targets;
    auto flights = connect(targets.flights_dsn);
    if (!flights) return fail(flights.error());
    auto bookings = connect(targets.bookings_dsn);
    if (!bookings) return fail(bookings.error());
    auto payments = connect(targets.payments_dsn);
    if (!payments) return fail(payments.error());
    r->flights_ = std::move(flights).value();
    r->bookings_ = std::move(bookings).value();
    r->payments_ = std::move(payments).value();
    auto redis = redis::Client::create(
        redis::ClientOptions{targets.redis_host, targets.redis_port, 1, 1000, 1000, 1000});
    if (!redis) return fail(redis.error());
    r->redis_ = std::move(redis).value();
    http::ClientOptions o;
    o.base_url = targets.flight_url;
    o.connect_timeout_ms = 1000;
    o.read_timeout_ms = 3000;
    auto api = http::Client::create(o);
    if (!api) return fail(api.error());
    r->flight_api_.emplace(std::move(api).value());
    return r;
}

Result<std::vector<SeatSample>> SystemReader::postgres_seats(
    const std::vector<std::int64_t>& flights, std::int64_t at_ns) {
    auto rows = flights_->exec(kSeats, {pg_array(flights)});
    if (!rows) return fail(rows.error());
    std::vector<SeatSample> out;
    for (std::size_t i = 0; i < rows->rows(); ++i) {
        SeatSample s;
        s.at_ns = at_ns;
        s.source = SeatSource::kPostgres;
        s.flight = rows->int64(i, 0);
        s.total = rows->int64(i, 1);
        s.booked = rows->int64(i, 2);
        s.held = rows->int64(i, 3);
        s.held_legs = rows->int64(i, 4);
        s.confirmed_legs = rows->int64(i, 5);
        s.available = s.total - s.booked;
        out.push_back(s);
    }
    return out;
}

Result<std::vector<SeatSample>> SystemReader::redis_seats(const std::vector<std::int64_t>& flights,
                                                          std::int64_t at_ns) {
    std::vector<SeatSample> out;
    for (std::int64_t flight : flights) {
        auto reply = redis_->command(
            {"HMGET", fmt::format("{}flight:{}", targets_.redis_seat_prefix, flight), "available",
             "total"});
        if (!reply) return fail(reply.error());
        if (reply->elements.size() != 2) continue;
        const auto available = reply->elements[0].as_integer();
        const auto total = reply->elements[1].as_integer();
        if (!available || !total) continue;  // no counter: loaded again on the next hold
        SeatSample s;
        s.at_ns = at_ns;
        s.source = SeatSource::kRedis;
        s.flight = flight;
        s.total = *total;
        s.available = *available;
        out.push_back(s);
    }
    return out;
}

std::vector<SeatSample> SystemReader::api_seats(const std::vector<std::int64_t>& flights,
                                                std::int64_t at_ns) {
    std::vector<SeatSample> out;
    for (std::int64_t flight : flights) {
        auto r = flight_api_->get(fmt::format("/api/flights/{}", flight));
        if (!r || r->status != 200) continue;
        auto obj = http::parse_object(r->body);
        if (!obj) continue;
        auto total = obj->get_int64("total_seats");
        auto available = obj->get_int64("available_seats");
        auto booked = obj->get_int64("booked_seats");
        if (!total || !available || !booked) continue;
        SeatSample s;
        s.at_ns = at_ns;
        s.source = SeatSource::kApi;
        s.flight = flight;
        s.total = *total;
        s.available = *available;
        s.booked = *booked;
        out.push_back(s);
    }
    return out;
}

Result<std::int64_t> SystemReader::open_bookings(UserRange users) {
    auto r = bookings_->exec(kOpenBookings, {users.first, users.last});
    if (!r) return fail(r.error());
    return r->int64(0, 0);
}

Result<std::map<std::int64_t, BookingRow>> SystemReader::bookings(UserRange users) {
    auto rows = bookings_->exec(kBookings, {users.first, users.last});
    if (!rows) return fail(rows.error());
    std::map<std::int64_t, BookingRow> out;
    for (std::size_t i = 0; i < rows->rows(); ++i) {
        const std::int64_t id = rows->int64(i, 0);
        BookingRow& b = out[id];
        b.id = id;
        b.user = rows->int64(i, 1);
        b.status = std::string(rows->text(i, 2));
        b.idempotency_key = std::string(rows->text(i, 3));
        b.payment_id = std::string(rows->text(i, 4));
        b.settled = rows->text(i, 5) == "t";
        b.seats = rows->int64(i, 6);
        b.legs.push_back(rows->int64(i, 7));
    }
    return out;
}

Result<std::vector<PaymentRow>> SystemReader::payments(UserRange users) {
    auto rows = payments_->exec(kPayments, {users.first, users.last});
    if (!rows) return fail(rows.error());
    std::vector<PaymentRow> out;
    for (std::size_t i = 0; i < rows->rows(); ++i) {
        out.push_back(PaymentRow{std::string(rows->text(i, 0)), rows->int64(i, 1),
                                 std::string(rows->text(i, 2))});
    }
    return out;
}

Result<std::vector<std::string>> SystemReader::expired_holds(
    const std::vector<std::int64_t>& flights, int slack_seconds) {
    auto rows = flights_->exec(kExpiredHolds, {pg_array(flights), slack_seconds});
    if (!rows) return fail(rows.error());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < rows->rows(); ++i) out.emplace_back(rows->text(i, 0));
    return out;
}

}  // namespace flightbook::storm
