// The BookingRepository contract (include/flightbook/ports/booking_repository.hpp):
// one set of bodies, run against the in-memory and the PostgreSQL adapter.

#include <doctest/doctest.h>

#include <latch>
#include <thread>
#include <vector>

#include "booking_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;
using booking::Booking;
using booking::BookingEvent;
using booking::BookingStatus;
using booking::StatusChange;

#define BOOKING_ADAPTERS BookingMemoryFixture, BookingPostgresFixture

TEST_CASE_TEMPLATE("create stores a pending booking that get returns whole", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    const NewBooking request = booking_request(UserId{7}, now, "key-1");
    auto created = repo.create(request, now);
    REQUIRE_MESSAGE(created, (created ? "" : created.error().message));
    CHECK(created->created);
    const Booking& b = created->booking;
    CHECK(b.id.value() >= 1);
    CHECK(b.user_id == UserId{7});
    CHECK(b.legs == two_legs());
    CHECK(b.seats == 2);
    CHECK(b.total_amount == Money::from_cents(3'000'208));  // (8500.05 + 6500.99) × 2
    CHECK(b.payment_type == payment::PaymentType::kUpi);
    CHECK(b.status == BookingStatus::kPending);
    CHECK(b.version == 1);
    CHECK_FALSE(b.payment_id);
    CHECK(b.reservation_id == booking::reservation_id_for(b.id));
    CHECK(b.idempotency_key == std::optional<std::string>("key-1"));
    CHECK(b.request_hash == "hash-7");
    CHECK(format_date(b.date) == "2024-02-15");
    CHECK(b.hold_expires_at == now + 15min);
    CHECK(b.created_at == now);
    CHECK(b.updated_at == now);
    CHECK_FALSE(b.settled);
    CHECK(b.history ==
          std::vector<StatusChange>{{std::nullopt, BookingStatus::kPending, "created", now}});
    CHECK_FALSE(b.response);
    CHECK(get_ok(repo, b.id) == b);

    // One leg, the largest amount NUMERIC(10,2) holds, another payment type.
    f.clock.advance(5s);
    std::vector<booking::BookingLeg> one_leg{two_legs().front()};
    one_leg[0].price = Money::from_cents(99'999'999);
    NewBooking big = booking_request(UserId{8}, f.clock.now(), std::nullopt, 100, one_leg);
    big.payment_type = payment::PaymentType::kNetBanking;
    big.reason = "itinerary held";
    const Booking second = create_ok(repo, big, f.clock.now());
    CHECK(second.id > b.id);
    CHECK(second.total_amount == Money::from_cents(9'999'999'900));
    CHECK(second.payment_type == payment::PaymentType::kNetBanking);
    CHECK_FALSE(second.idempotency_key);
    CHECK(second.history.at(0).reason == "itinerary held");
    CHECK(get_ok(repo, second.id) == second);
    CHECK(get_ok(repo, b.id) == b);

    auto missing = repo.get(BookingId{987'654});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("invalid bookings are refused and store nothing", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    NewBooking no_legs = booking_request(UserId{7}, now);
    no_legs.legs.clear();
    no_legs.total_amount = Money{};
    NewBooking no_seats = booking_request(UserId{7}, now, std::nullopt, 0);
    NewBooking wrong_total = booking_request(UserId{7}, now);
    wrong_total.total_amount += Money::from_cents(1);
    for (const NewBooking* bad : {&no_legs, &no_seats, &wrong_total}) {
        auto r = repo.create(*bad, now);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK(ids_of(repo.list_by_user(UserId{7}, 20, 0)).empty());
    CHECK(count_of(repo, BookingStatus::kPending) == 0);
}

TEST_CASE_TEMPLATE("an idempotency key names one booking per user", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    const Booking first = create_ok(repo, booking_request(UserId{1}, now, "k"), now);

    // The same key again, even with another body, returns the first booking unchanged.
    f.clock.advance(10s);
    NewBooking other_body = booking_request(UserId{1}, f.clock.now(), "k", 3);
    other_body.request_hash = "another-hash";
    auto repeat = repo.create(other_body, f.clock.now());
    REQUIRE(repeat);
    CHECK_FALSE(repeat->created);
    CHECK(repeat->booking == first);

    // Another user may use the same key; no key never dedupes.
    const Booking theirs = create_ok(repo, booking_request(UserId{2}, now, "k"), now);
    CHECK(theirs.id != first.id);
    const Booking a = create_ok(repo, booking_request(UserId{1}, now), now);
    const Booking b = create_ok(repo, booking_request(UserId{1}, now), now);
    CHECK(a.id != b.id);
    CHECK(count_of(repo, BookingStatus::kPending) == 4);
    CHECK(ids_of(repo.list_by_user(UserId{1}, 20, 0)).size() == 3);
}

TEST_CASE_TEMPLATE("16 threads creating with one key make exactly one booking", F,
                   BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    constexpr std::size_t kThreads = 16;
    std::vector<Result<CreatedBooking>> results(kThreads, fail(ErrorCode::kInternal, "not run"));
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            const NewBooking request = booking_request(UserId{42}, now, "same-key");
            start.arrive_and_wait();
            results[i] = repo.create(request, now);
        });
    }
    for (std::thread& t : threads) t.join();

    std::size_t created = 0;
    for (const auto& r : results) {
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        CHECK(r->booking.id == results[0]->booking.id);
        CHECK(r->booking.history.size() == 1);
        if (r->created) ++created;
    }
    CHECK(created == 1);
    CHECK(ids_of(repo.list_by_user(UserId{42}, 20, 0)) ==
          std::vector<BookingId>{results[0]->booking.id});
    CHECK(count_of(repo, BookingStatus::kPending) == 1);
}

TEST_CASE_TEMPLATE("apply is a compare-and-set over the transition table", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime t0 = f.clock.now();
    const Booking created = create_ok(repo, booking_request(UserId{3}, t0), t0);

    // Confirming needs a payment id first.
    auto unpaid = repo.apply(created.id, 1, BookingEvent::kConfirm, "charged", t0);
    REQUIRE_FALSE(unpaid);
    CHECK(unpaid.error().code == ErrorCode::kFailedPrecondition);
    CHECK(get_ok(repo, created.id) == created);

    f.clock.advance(10s);
    const UtcTime t1 = f.clock.now();
    auto paid = repo.set_payment_id(created.id, 1, "pay_abc", t1);
    REQUIRE(paid);
    auto confirmed = repo.apply(created.id, 2, BookingEvent::kConfirm, "payment charged", t1);
    REQUIRE_MESSAGE(confirmed, (confirmed ? "" : confirmed.error().message));
    CHECK(confirmed->status == BookingStatus::kConfirmed);
    CHECK(confirmed->version == 3);
    CHECK(confirmed->updated_at == t1);
    CHECK(confirmed->created_at == t0);
    CHECK(confirmed->history ==
          std::vector<StatusChange>{
              {std::nullopt, BookingStatus::kPending, "created", t0},
              {BookingStatus::kPending, BookingStatus::kConfirmed, "payment charged", t1}});
    CHECK(get_ok(repo, created.id) == *confirmed);

    // A stale version is kAborted, a refused transition kConflict; neither changes anything.
    auto stale = repo.apply(created.id, 2, BookingEvent::kCancel, "late", t1);
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == ErrorCode::kAborted);
    auto refused = repo.apply(created.id, 3, BookingEvent::kFail, "declined", t1);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kConflict);
    CHECK(refused.error().message == "booking is confirmed; it cannot fail");
    CHECK(get_ok(repo, created.id) == *confirmed);

    f.clock.advance(20s);
    const Booking cancelled =
        apply_ok(repo, *confirmed, BookingEvent::kCancel, f.clock.now(), "cancelled by the user");
    CHECK(cancelled.status == BookingStatus::kCancelled);
    CHECK(cancelled.version == 4);
    CHECK(cancelled.payment_id == std::optional<std::string>("pay_abc"));
    REQUIRE(cancelled.history.size() == 3);
    CHECK(cancelled.history[2] == StatusChange{BookingStatus::kConfirmed, BookingStatus::kCancelled,
                                               "cancelled by the user", f.clock.now()});
    auto twice = repo.apply(created.id, 4, BookingEvent::kCancel, "again", f.clock.now());
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == ErrorCode::kConflict);

    auto missing = repo.apply(BookingId{987'654}, 1, BookingEvent::kCancel, "x", t1);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("10 threads cancelling one booking: exactly one succeeds", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    const Booking created = create_ok(repo, booking_request(UserId{5}, now), now);
    constexpr std::size_t kThreads = 10;
    std::vector<Result<Booking>> results(kThreads, fail(ErrorCode::kInternal, "not run"));
    std::latch read_all(kThreads);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            auto seen = repo.get(created.id);
            // Every thread decides on the version it read, before any cancels.
            read_all.arrive_and_wait();
            if (!seen) {
                results[i] = fail(std::move(seen).error());
                return;
            }
            results[i] = repo.apply(seen->id, seen->version, BookingEvent::kCancel,
                                    "thread " + std::to_string(i), now);
        });
    }
    for (std::thread& t : threads) t.join();

    std::size_t succeeded = 0;
    for (const auto& r : results) {
        if (r) {
            ++succeeded;
            CHECK(r->status == BookingStatus::kCancelled);
        } else {
            CHECK(r.error().code == ErrorCode::kAborted);
        }
    }
    CHECK(succeeded == 1);
    const Booking stored = get_ok(repo, created.id);
    CHECK(stored.status == BookingStatus::kCancelled);
    CHECK(stored.version == 2);
    CHECK(stored.history.size() == 2);
}

TEST_CASE_TEMPLATE("set_payment_id is a compare-and-set too", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime t0 = f.clock.now();
    const Booking created = create_ok(repo, booking_request(UserId{3}, t0), t0);
    f.clock.advance(3s);
    auto paid = repo.set_payment_id(created.id, 1, "pay_0123", f.clock.now());
    REQUIRE(paid);
    CHECK(paid->payment_id == std::optional<std::string>("pay_0123"));
    CHECK(paid->version == 2);
    CHECK(paid->status == BookingStatus::kPending);
    CHECK(paid->updated_at == f.clock.now());
    CHECK(paid->history.size() == 1);
    CHECK(get_ok(repo, created.id) == *paid);

    auto stale = repo.set_payment_id(created.id, 1, "pay_other", f.clock.now());
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == ErrorCode::kAborted);
    auto empty = repo.set_payment_id(created.id, 2, "", f.clock.now());
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == ErrorCode::kInvalidArgument);
    auto missing = repo.set_payment_id(BookingId{987'654}, 1, "pay_x", f.clock.now());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
    CHECK(get_ok(repo, created.id) == *paid);
}

TEST_CASE_TEMPLATE("save_response keeps the first answer", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    const Booking created = create_ok(repo, booking_request(UserId{3}, now), now);
    const booking::StoredResponse first{200, "{\"booking_id\":1,\"status\":\"confirmed\"}\n"};
    auto saved = repo.save_response(created.id, first);
    REQUIRE(saved);
    CHECK(saved->response == first);
    CHECK(saved->version == created.version);

    auto again = repo.save_response(created.id, {400, "{\"error\":\"other\"}\n"});
    REQUIRE(again);
    CHECK(again->response == first);
    CHECK(get_ok(repo, created.id).response == first);

    auto bad = repo.save_response(created.id, {42, "x"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::kInvalidArgument);
    auto missing = repo.save_response(BookingId{987'654}, first);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("list_by_user is newest first and pages", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    std::vector<BookingId> created;  // in creation order
    for (int i = 0; i < 5; ++i) {
        // Bookings 2 and 3 share a creation time: the higher id comes first.
        if (i != 3) f.clock.advance(60s);
        created.push_back(
            create_ok(repo, booking_request(UserId{1}, f.clock.now()), f.clock.now()).id);
    }
    (void)create_ok(repo, booking_request(UserId{2}, f.clock.now()), f.clock.now());
    const std::vector<BookingId> newest_first{created[4], created[3], created[2], created[1],
                                              created[0]};

    auto all = repo.list_by_user(UserId{1}, 20, 0);
    CHECK(ids_of(all) == newest_first);
    for (const Booking& b : *all) CHECK(get_ok(repo, b.id) == b);  // whole: legs and history

    CHECK(ids_of(repo.list_by_user(UserId{1}, 2, 0)) ==
          std::vector<BookingId>{newest_first[0], newest_first[1]});
    CHECK(ids_of(repo.list_by_user(UserId{1}, 2, 2)) ==
          std::vector<BookingId>{newest_first[2], newest_first[3]});
    CHECK(ids_of(repo.list_by_user(UserId{1}, 2, 4)) == std::vector<BookingId>{newest_first[4]});
    CHECK(ids_of(repo.list_by_user(UserId{1}, 2, 5)).empty());
    CHECK(ids_of(repo.list_by_user(UserId{1}, 0, 0)).empty());
    CHECK(ids_of(repo.list_by_user(UserId{3}, 20, 0)).empty());
    CHECK(repo.list_by_user(UserId{1}, -1, 0).error().code == ErrorCode::kInvalidArgument);
    CHECK(repo.list_by_user(UserId{1}, 20, -1).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE_TEMPLATE("list_pending lists pending bookings by last update, oldest first", F,
                   BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime t0 = f.clock.now();
    const Booking a = create_ok(repo, booking_request(UserId{1}, t0), t0);
    const Booking b = create_ok(repo, booking_request(UserId{2}, t0 + 10s), t0 + 10s);
    const Booking c = create_ok(repo, booking_request(UserId{3}, t0 + 20s), t0 + 20s);
    const Booking d = create_ok(repo, booking_request(UserId{4}, t0 + 25s), t0 + 25s);
    (void)apply_ok(repo, c, BookingEvent::kFail, t0 + 30s);
    REQUIRE(repo.set_payment_id(a.id, a.version, "pay_a", t0 + 40s));  // a's update moves

    CHECK(ids_of(repo.list_pending(t0 + 25s, 10)) == std::vector<BookingId>{b.id, d.id});
    CHECK(ids_of(repo.list_pending(t0 + 100s, 10)) == std::vector<BookingId>{b.id, d.id, a.id});
    CHECK(ids_of(repo.list_pending(t0 + 100s, 2)) == std::vector<BookingId>{b.id, d.id});
    CHECK(ids_of(repo.list_pending(t0 + 100s, 0)).empty());
    CHECK(ids_of(repo.list_pending(t0 + 5s, 10)).empty());
    auto listed = repo.list_pending(t0 + 100s, 10);
    REQUIRE(listed);
    CHECK(listed->at(2) == get_ok(repo, a.id));
}

TEST_CASE_TEMPLATE("list_unsettled and mark_settled track the clean-up owed", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime t0 = f.clock.now();
    const Booking a = create_ok(repo, booking_request(UserId{1}, t0), t0);
    const Booking b = create_ok(repo, booking_request(UserId{2}, t0), t0);
    const Booking c = create_ok(repo, booking_request(UserId{3}, t0), t0);
    const Booking d = create_ok(repo, booking_request(UserId{4}, t0), t0);
    const Booking e = create_ok(repo, booking_request(UserId{5}, t0), t0);
    (void)apply_ok(repo, a, BookingEvent::kFail, t0 + 10s);
    (void)apply_ok(repo, b, BookingEvent::kCancel, t0 + 20s);
    (void)apply_ok(repo, c, BookingEvent::kExpire, t0 + 30s);
    const Booking e_confirmed = confirm_ok(repo, e, t0 + 5s);  // confirmed owes nothing

    CHECK(ids_of(repo.list_unsettled(t0 + 100s, 10)) == std::vector<BookingId>{a.id, b.id, c.id});
    CHECK(ids_of(repo.list_unsettled(t0 + 20s, 10)) == std::vector<BookingId>{a.id, b.id});
    CHECK(ids_of(repo.list_unsettled(t0 + 100s, 1)) == std::vector<BookingId>{a.id});
    CHECK(ids_of(repo.list_pending(t0 + 100s, 10)) == std::vector<BookingId>{d.id});

    for (BookingId not_final : {d.id, e_confirmed.id}) {
        auto r = repo.mark_settled(not_final, t0 + 40s);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kFailedPrecondition);
    }
    auto settled = repo.mark_settled(b.id, t0 + 40s);
    REQUIRE_MESSAGE(settled, (settled ? "" : settled.error().message));
    CHECK(settled->settled);
    CHECK(settled->updated_at == t0 + 40s);
    CHECK(settled->version == 2);
    CHECK(settled->status == BookingStatus::kCancelled);
    auto repeat = repo.mark_settled(b.id, t0 + 50s);
    REQUIRE(repeat);
    CHECK(*repeat == *settled);
    CHECK(get_ok(repo, b.id) == *settled);
    CHECK(ids_of(repo.list_unsettled(t0 + 100s, 10)) == std::vector<BookingId>{a.id, c.id});

    auto missing = repo.mark_settled(BookingId{987'654}, t0);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("count_by_status counts every status, zeros included", F, BOOKING_ADAPTERS) {
    F f;
    BookingRepository& repo = f.repo();
    const UtcTime now = f.clock.now();
    using Counts = std::vector<std::pair<BookingStatus, std::int64_t>>;
    auto empty = repo.count_by_status();
    REQUIRE(empty);
    CHECK(*empty == Counts{{BookingStatus::kPending, 0},
                           {BookingStatus::kConfirmed, 0},
                           {BookingStatus::kFailed, 0},
                           {BookingStatus::kExpired, 0},
                           {BookingStatus::kCancelled, 0}});
    std::vector<Booking> made;
    for (int i = 0; i < 5; ++i) {
        made.push_back(create_ok(repo, booking_request(UserId{i + 1}, now), now));
    }
    (void)confirm_ok(repo, made[0], now);
    (void)confirm_ok(repo, made[1], now);
    (void)apply_ok(repo, made[2], BookingEvent::kFail, now);
    (void)apply_ok(repo, made[3], BookingEvent::kCancel, now);
    auto counts = repo.count_by_status();
    REQUIRE(counts);
    CHECK(*counts == Counts{{BookingStatus::kPending, 1},
                            {BookingStatus::kConfirmed, 2},
                            {BookingStatus::kFailed, 1},
                            {BookingStatus::kExpired, 0},
                            {BookingStatus::kCancelled, 1}});
}

TEST_CASE_TEMPLATE("ping answers", F, BOOKING_ADAPTERS) {
    F f;
    CHECK(f.repo().ping());
}

TEST_CASE("the bookings schema refuses what the repositories refuse") {
    BookingPostgresFixture f;
    const UtcTime now = f.clock.now();
    const Booking b = create_ok(f.repo(), booking_request(UserId{1}, now), now);
    auto conn = f.schema().connect();
    // Each statement breaks one rule on the row `b`; the CHECKs are the last line of defence.
    static constexpr postgres::Statement kConfirmUnpaid{
        "test_confirm_unpaid", "UPDATE bookings SET status = 'confirmed' WHERE id = $1"};
    static constexpr postgres::Statement kSettlePending{
        "test_settle_pending", "UPDATE bookings SET settled = true WHERE id = $1"};
    static constexpr postgres::Statement kHalfResponse{
        "test_half_response", "UPDATE bookings SET response_status = 200 WHERE id = $1"};
    static constexpr postgres::Statement kBadPaymentType{
        "test_bad_payment_type", "UPDATE bookings SET payment_type = 'cash' WHERE id = $1"};
    static constexpr postgres::Statement kVersionZero{
        "test_version_zero", "UPDATE bookings SET version = 0 WHERE id = $1"};
    static constexpr postgres::Statement kLegWithoutDetails{
        "test_leg_without_details",
        "INSERT INTO booking_legs (booking_id, leg_no, flight_id, price) VALUES ($1, 3, 9, 1.00)"};
    static constexpr postgres::Statement kBadHistory{
        "test_bad_history",
        "INSERT INTO booking_status_history (booking_id, to_status) VALUES ($1, 'refunded')"};
    for (const postgres::Statement* s :
         {&kConfirmUnpaid, &kSettlePending, &kHalfResponse, &kBadPaymentType, &kVersionZero,
          &kLegWithoutDetails, &kBadHistory}) {
        CAPTURE(s->name);
        auto r = conn->exec(*s, {b.id.value()});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kFailedPrecondition);  // check_violation
    }
    CHECK(get_ok(f.repo(), b.id) == b);
}
