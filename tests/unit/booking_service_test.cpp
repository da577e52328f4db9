// BookingService over in-memory stores, LocalFlightSeats and a scripted
// gateway: the outcomes of create, cancel, get and list, and the seat counts
// after each (SPEC §4-§5, docs/bookings.md).
#include <doctest/doctest.h>

#include "booking_service_fixtures.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using booking::BookingStatus;
using booking::CreateOutcome;
using testing::BookingWorld;
using testing::request;
using Mode = testing::ScriptedGateway::Mode;

TEST_CASE("a one-leg booking is held, charged and confirmed") {
    BookingWorld w;
    auto service = w.make_service();
    auto a = service->create(request({1}));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kConfirmed);
    CHECK(a->code == "confirmed");
    REQUIRE(a->booking);
    const booking::Booking& b = *a->booking;
    CHECK(b.status == BookingStatus::kConfirmed);
    CHECK(b.total_amount == Money::from_cents(2 * 850000));
    CHECK(b.payment_id == std::optional<std::string>("pay_1"));
    CHECK(b.reservation_id == "booking-" + std::to_string(b.id.value()));
    REQUIRE(b.legs.size() == 1);
    CHECK(b.legs[0].flight_number == "AI101");
    CHECK(b.legs[0].source == "DEL");
    CHECK(b.hold_expires_at == w.clock.now() + rules::kDefaultHoldTtl);
    REQUIRE(b.history.size() == 2);
    CHECK(b.history[0].to == BookingStatus::kPending);
    CHECK(b.history[1].from == std::optional(BookingStatus::kPending));
    CHECK(b.history[1].to == BookingStatus::kConfirmed);
    CHECK(b.history[1].reason == "confirmed: payment pay_1 charged");
    CHECK(w.available(1) == 128);
    CHECK(w.inventory.get(ReservationId::parse(b.reservation_id).value())->state ==
          ReservationState::kConfirmed);
    CHECK(w.gateway.charged() == 1);
    CHECK(w.gateway.payments().at(0).amount == Money::from_cents(1'700'000));
    CHECK(w.gateway.payments().at(0).idempotency_key == payment::default_idempotency_key(b.id));
    const std::string metrics = w.registry->render_prometheus();
    CHECK(metrics.find(R"(flightbook_bookings_total{status="pending"} 1)") != std::string::npos);
    CHECK(metrics.find(R"(flightbook_bookings_total{status="confirmed"} 1)") != std::string::npos);
}

TEST_CASE("multi-leg itineraries of SPEC §3 are booked all or nothing") {
    BookingWorld w;
    auto service = w.make_service();
    // AI401 + AI402 (DEL-HYD-BLR), AI405 + AI406 (DEL-CCU-BLR).
    auto two = service->create(request({8, 9}, 3));
    REQUIRE(two);
    CHECK(two->outcome == CreateOutcome::kConfirmed);
    CHECK(two->booking->total_amount == Money::from_cents(3 * (950000 + 550000)));
    CHECK(w.available(8) == 157);
    CHECK(w.available(9) == 142);
    auto other = service->create(request({12, 13}, 1));
    REQUIRE(other);
    CHECK(other->outcome == CreateOutcome::kConfirmed);
    CHECK(w.available(12) == 164);
    CHECK(w.available(13) == 159);
    // HYD→BOM over BLR and DEL: AI404 + AI502 + AI103, the 4 h layover allowed.
    auto three = service->create(request({11, 15, 3}, 2));
    REQUIRE(three);
    CHECK(three->outcome == CreateOutcome::kConfirmed);
    CHECK(three->booking->legs.size() == 3);
    CHECK(three->booking->legs[2].flight_number == "AI103");
    CHECK(three->booking->total_amount == Money::from_cents(2 * (550000 + 1200000 + 780000)));
    CHECK(w.available(11) == 153);
    CHECK(w.available(15) == 143);
    CHECK(w.available(3) == 98);
    CHECK(w.gateway.charged() == 3);
}

TEST_CASE("a sold-out leg fails the booking and holds nothing on any leg") {
    BookingWorld w;
    auto service = w.make_service();
    // Leave one seat on AI103 (flight 3, 100 available).
    REQUIRE(w.inventory.hold(HoldRequest{
        ReservationId::parse("outside").value(), {{FlightId{3}, 99}}, w.clock.now() + 1h}));
    auto a = service->create(request({11, 15, 3}, 2));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kFailed);
    CHECK(a->code == "sold_out");
    REQUIRE(a->booking);
    CHECK(a->booking->status == BookingStatus::kFailed);
    CHECK(a->booking->settled);
    CHECK(a->booking->history.back().reason.starts_with("sold_out: "));
    CHECK(w.available(11) == 155);
    CHECK(w.available(15) == 145);
    CHECK(w.available(3) == 1);
    CHECK(w.gateway.charge_calls() == 0);
}

TEST_CASE("unknown flights, wrong dates and legs that do not connect store nothing") {
    BookingWorld w;
    auto service = w.make_service();
    auto unknown = service->create(request({999}, 1000 / 10));
    REQUIRE(unknown);
    CHECK(unknown->outcome == CreateOutcome::kFailed);
    CHECK(unknown->code == "flight_not_found");
    CHECK(unknown->message == "flight 999 not found");
    CHECK_FALSE(unknown->booking);

    auto wrong_day = request({1});
    wrong_day.date = parse_date("2024-02-16").value();
    auto wd = service->create(wrong_day);
    REQUIRE(wd);
    CHECK(wd->code == "wrong_date");
    CHECK_FALSE(wd->booking);

    auto apart = service->create(request({1, 9}));
    REQUIRE(apart);
    CHECK(apart->code == "legs_do_not_connect");
    auto tight = service->create(request({9, 16}));
    REQUIRE(tight);
    CHECK(tight->code == "connection_too_short");
    auto twice = service->create(request({8, 9, 8}));
    REQUIRE(twice);
    CHECK(twice->code == "repeated_flight");

    CHECK(w.bookings.list_by_user(UserId{7}, 100, 0)->empty());
    CHECK(w.available(1) == 130);
    CHECK(w.available(9) == 145);
    CHECK(w.gateway.charge_calls() == 0);
}

TEST_CASE("malformed requests are errors, not answers") {
    BookingWorld w;
    auto service = w.make_service();
    auto code_of = [&](booking::CreateBookingRequest r) {
        auto a = service->create(r);
        return a ? std::string("answer") : std::string(to_string(a.error().code));
    };
    CHECK(code_of(request({1}, 0)) == "invalid_argument");
    CHECK(code_of(request({1}, 101)) == "invalid_argument");
    CHECK(code_of(request({}, 1)) == "invalid_argument");
    CHECK(code_of(request({1, 2, 3, 4, 5}, 1)) == "invalid_argument");
    CHECK(code_of(request({0}, 1)) == "invalid_argument");
    CHECK(code_of(request({1}, 1, 0)) == "invalid_argument");
    auto long_key = request({1});
    long_key.idempotency_key = std::string(129, 'k');
    CHECK(code_of(long_key) == "invalid_argument");
    auto empty_key = request({1});
    empty_key.idempotency_key = "";
    CHECK(code_of(empty_key) == "invalid_argument");
    auto other_caller = request({1});
    other_caller.caller = UserId{8};
    CHECK(code_of(other_caller) == "permission_denied");
    auto same_caller = request({1});
    same_caller.caller = UserId{7};
    CHECK(code_of(same_caller) == "answer");
}

TEST_CASE("a declined payment fails the booking and gives the seats back") {
    BookingWorld w;
    auto service = w.make_service();
    w.gateway.set_mode(Mode::kDecline);
    auto a = service->create(request({8, 9}));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kFailed);
    CHECK(a->code == "payment_declined");
    CHECK(a->message == "the payment was declined: card declined");
    CHECK(a->booking->status == BookingStatus::kFailed);
    CHECK(a->booking->settled);
    CHECK_FALSE(a->booking->payment_id);
    CHECK(w.available(8) == 160);
    CHECK(w.available(9) == 145);
    CHECK(w.gateway.charged() == 0);
}

TEST_CASE("a payment refused as malformed fails the booking with its seats back") {
    BookingWorld w;
    auto service = w.make_service();
    w.gateway.set_mode(Mode::kMalformed);
    auto a = service->create(request({1}));
    REQUIRE(a);
    CHECK(a->code == "payment_rejected");
    CHECK(a->booking->status == BookingStatus::kFailed);
    CHECK(w.available(1) == 130);
}

TEST_CASE("an unknown payment outcome leaves the booking pending until the reconciler decides") {
    SUBCASE("charged after all: confirmed") {
        BookingWorld w;
        auto service = w.make_service();
        w.gateway.set_mode(Mode::kUnknownCharged);
        auto a = service->create(request({1}));
        REQUIRE(a);
        CHECK(a->outcome == CreateOutcome::kPending);
        CHECK(a->booking->status == BookingStatus::kPending);
        CHECK(w.available(1) == 128);  // still held

        // Within the grace the create may still be running: nothing happens.
        auto early = service->reconcile_once(10);
        REQUIRE(early);
        CHECK(early->pending_examined == 0);

        w.after_grace();
        auto report = service->reconcile_once(10);
        REQUIRE(report);
        CHECK(report->pending_examined == 1);
        CHECK(report->confirmed == 1);
        auto b = service->get(a->booking->id, UserId{7});
        REQUIRE(b);
        CHECK(b->status == BookingStatus::kConfirmed);
        CHECK(b->payment_id == std::optional<std::string>("pay_1"));
        CHECK(w.available(1) == 128);
        CHECK(w.gateway.refunded() == 0);
        CHECK(w.registry->render_prometheus().find(
                  R"(flightbook_booking_reconciler_actions_total{action="confirmed"} 1)") !=
              std::string::npos);
    }
    SUBCASE("not charged (gateway timeout): failed, seats back") {
        BookingWorld w;
        auto service = w.make_service();
        w.gateway.set_mode(Mode::kUnknownNotCharged);
        auto a = service->create(request({1}));
        REQUIRE(a);
        CHECK(a->outcome == CreateOutcome::kPending);
        CHECK(w.available(1) == 128);
        w.after_grace();
        auto report = service->reconcile_once(10);
        REQUIRE(report);
        CHECK(report->failed == 1);
        CHECK(report->settled == 1);
        auto b = service->get(a->booking->id, UserId{7});
        CHECK(b->status == BookingStatus::kFailed);
        CHECK(b->history.back().reason.starts_with("payment_timeout: "));
        CHECK(b->settled);
        CHECK(w.available(1) == 130);
    }
    SUBCASE("no payment at all, hold past expiry: expired, seats back") {
        BookingWorld w;
        auto service = w.make_service();
        w.gateway.set_mode(Mode::kUnknownNothing);
        auto a = service->create(request({1}));
        REQUIRE(a);
        w.clock.advance(rules::kDefaultHoldTtl + 1s);
        auto report = service->reconcile_once(10);
        REQUIRE(report);
        CHECK(report->expired == 1);
        CHECK(service->get(a->booking->id, UserId{7})->status == BookingStatus::kExpired);
        CHECK(w.available(1) == 130);
    }
    SUBCASE("gateway unreachable: skipped, decided on a later pass") {
        BookingWorld w;
        auto service = w.make_service();
        w.gateway.set_mode(Mode::kUnknownCharged);
        auto a = service->create(request({1}));
        REQUIRE(a);
        REQUIRE(service->create(request({2})));
        w.after_grace();
        w.gateway.set_unavailable(true);
        auto report = service->reconcile_once(10);
        REQUIRE(report);
        CHECK(report->skipped == 2);
        CHECK(service->get(a->booking->id, UserId{7})->status == BookingStatus::kPending);
        w.gateway.set_unavailable(false);
        auto later = service->reconcile_once(10);
        REQUIRE(later);
        CHECK(later->confirmed == 2);
    }
}

TEST_CASE("a hold that expires before the charge settles is refunded and expired") {
    BookingWorld w;
    auto service = w.make_service();
    // The payment takes longer than the hold lives.
    w.gateway.set_before_charge([&] { w.clock.advance(rules::kDefaultHoldTtl + 1s); });
    auto a = service->create(request({1}));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kFailed);
    CHECK(a->code == "hold_expired");
    CHECK(a->booking->status == BookingStatus::kExpired);
    CHECK(a->booking->settled);
    CHECK(w.gateway.charged() == 1);
    CHECK(w.gateway.refunded() == 1);
    CHECK(w.gateway.payments().at(0).status == payment::PaymentStatus::kRefunded);
    CHECK(w.available(1) == 130);
}

TEST_CASE("an idempotent repeat replays the first answer; another body is refused") {
    BookingWorld w;
    auto service = w.make_service();
    auto r = request({1});
    r.idempotency_key = "order-42";
    auto first = service->create(r);
    REQUIRE(first);
    const auto sent = testing::respond(*service, *first);
    CHECK(sent.status == 200);

    auto again = service->create(r);
    REQUIRE(again);
    CHECK(again->outcome == CreateOutcome::kReplay);
    CHECK(testing::respond(*service, *again) == sent);
    CHECK(w.gateway.charge_calls() == 1);
    CHECK(w.available(1) == 128);

    auto other = r;
    other.seats = 3;
    auto reused = service->create(other);
    REQUIRE(reused);
    CHECK(reused->outcome == CreateOutcome::kKeyReused);
    CHECK(reused->code == "idempotency_key_reused");
    CHECK(w.available(1) == 128);

    // Keys are per user: another user's same key is a new booking.
    auto someone_else = request({1}, 2, 8);
    someone_else.idempotency_key = "order-42";
    auto theirs = service->create(someone_else);
    REQUIRE(theirs);
    CHECK(theirs->outcome == CreateOutcome::kConfirmed);
    CHECK(w.available(1) == 126);

    // A failed first answer is replayed too.
    w.gateway.set_mode(Mode::kDecline);
    auto declined = request({2});
    declined.idempotency_key = "order-43";
    auto d1 = service->create(declined);
    REQUIRE(d1);
    const auto d1_sent = testing::respond(*service, *d1);
    CHECK(d1_sent.status == 400);
    w.gateway.set_mode(Mode::kCharge);
    auto d2 = service->create(declined);
    REQUIRE(d2);
    CHECK(d2->outcome == CreateOutcome::kReplay);
    CHECK(testing::respond(*service, *d2) == d1_sent);
    CHECK(w.available(2) == 150);
}

TEST_CASE("a repeat whose first request never answered waits, then answers from the state") {
    BookingWorld w;
    auto service = w.make_service();
    auto r = request({1});
    r.idempotency_key = "k-1";
    w.gateway.set_mode(Mode::kUnknownCharged);
    auto first = service->create(r);  // pending; its answer is never saved
    REQUIRE(first);
    REQUIRE(first->outcome == CreateOutcome::kPending);
    auto in_use = service->create(r);
    REQUIRE(in_use);
    CHECK(in_use->outcome == CreateOutcome::kKeyInUse);
    CHECK(in_use->code == "idempotency_key_in_use");

    w.after_grace();
    REQUIRE(service->reconcile_once(10));
    auto resolved = service->create(r);
    REQUIRE(resolved);
    CHECK(resolved->outcome == CreateOutcome::kConfirmed);
    const auto saved = testing::respond(*service, *resolved);
    auto replay = service->create(r);
    REQUIRE(replay);
    CHECK(replay->outcome == CreateOutcome::kReplay);
    CHECK(*replay->replay == saved);
    CHECK(w.gateway.charged() == 1);
}

TEST_CASE("cancel gives the seats back once and refunds the payment") {
    BookingWorld w;
    auto service = w.make_service();
    auto a = service->create(request({8, 9}));
    REQUIRE(a);
    const BookingId id = a->booking->id;
    CHECK(w.available(8) == 158);

    auto stranger = service->cancel(id, UserId{8});
    REQUIRE_FALSE(stranger);
    CHECK(stranger.error().code == ErrorCode::kNotFound);

    auto c = service->cancel(id, UserId{7});
    REQUIRE(c);
    CHECK(c->booking.status == BookingStatus::kCancelled);
    CHECK(c->released);
    CHECK(c->refunded);
    CHECK(c->settled);
    CHECK(w.available(8) == 160);
    CHECK(w.available(9) == 145);
    CHECK(w.gateway.refunded() == 1);

    auto twice = service->cancel(id, UserId{7});
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == ErrorCode::kConflict);
    CHECK(twice.error().message ==
          "booking " + std::to_string(id.value()) + " is cancelled; it cannot be cancelled");
    CHECK(w.available(8) == 160);
    CHECK(w.gateway.refunded() == 1);
}

TEST_CASE("cancelling a pending booking releases now and settles after the grace") {
    BookingWorld w;
    auto service = w.make_service();
    w.gateway.set_mode(Mode::kUnknownCharged);
    auto a = service->create(request({1}));
    REQUIRE(a);
    REQUIRE(a->outcome == CreateOutcome::kPending);
    auto c = service->cancel(a->booking->id, UserId{7});
    REQUIRE(c);
    CHECK(c->booking.status == BookingStatus::kCancelled);
    CHECK(c->released);
    CHECK(c->refunded);       // the charge was found and given back
    CHECK_FALSE(c->settled);  // a create could still be running
    CHECK(w.available(1) == 130);
    CHECK(w.gateway.refunded() == 1);

    w.after_grace();
    auto report = service->reconcile_once(10);
    REQUIRE(report);
    CHECK(report->unsettled_examined == 1);
    CHECK(report->settled == 1);
    CHECK(service->get(a->booking->id, UserId{7})->settled);
    CHECK(w.available(1) == 130);
    CHECK(w.gateway.refunded() == 1);
}

TEST_CASE("a create still running when its booking is cancelled gives everything back") {
    BookingWorld w;
    auto service = w.make_service();
    std::optional<BookingId> id;
    w.gateway.set_before_charge([&] {
        auto mine = w.bookings.list_by_user(UserId{7}, 1, 0);
        REQUIRE(mine);
        REQUIRE(mine->size() == 1);
        id = mine->front().id;
        auto c = service->cancel(*id, UserId{7});
        REQUIRE(c);
        CHECK_FALSE(c->refunded);  // nothing charged yet
    });
    auto a = service->create(request({1}));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kFailed);
    CHECK(a->code == "booking_cancelled");
    CHECK(a->booking->status == BookingStatus::kCancelled);
    CHECK(a->booking->settled);
    CHECK(w.gateway.charged() == 1);
    CHECK(w.gateway.refunded() == 1);
    CHECK(w.available(1) == 130);
}

TEST_CASE("get and list show only the caller's bookings, newest first") {
    BookingWorld w;
    auto service = w.make_service();
    std::vector<BookingId> mine;
    for (std::int64_t flight : {1, 2, 3}) {
        auto a = service->create(request({flight}, 1));
        REQUIRE(a);
        mine.push_back(a->booking->id);
        w.clock.advance(1min);
    }
    REQUIRE(service->create(request({4}, 1, 9)));

    auto b = service->get(mine[0], UserId{7});
    REQUIRE(b);
    CHECK(b->legs[0].flight_number == "AI101");
    auto other = service->get(mine[0], UserId{9});
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::kNotFound);
    CHECK(service->get(BookingId{999}, UserId{7}).error().code == ErrorCode::kNotFound);

    auto all = service->list(UserId{7}, UserId{7});
    REQUIRE(all);
    REQUIRE(all->size() == 3);
    CHECK(all->at(0).id == mine[2]);
    CHECK(all->at(2).id == mine[0]);
    auto page = service->list(UserId{7}, UserId{7}, 1, 1);
    REQUIRE(page);
    REQUIRE(page->size() == 1);
    CHECK(page->at(0).id == mine[1]);
    CHECK(service->list(UserId{7}, UserId{9}).error().code == ErrorCode::kPermissionDenied);
    CHECK(service->list(UserId{7}, UserId{7}, 0, 0).error().code == ErrorCode::kInvalidArgument);
    CHECK(service->list(UserId{7}, UserId{7}, 101, 0).error().code == ErrorCode::kInvalidArgument);
    CHECK(service->list(UserId{7}, UserId{7}, 10, -1).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("options are validated and the request hash is stable") {
    booking::BookingServiceOptions o;
    CHECK(booking::validate(o));
    o.hold_ttl = 0s;
    CHECK(booking::validate(o).error().code == ErrorCode::kInvalidArgument);
    o = {};
    o.reconcile_grace = 0s;
    CHECK_FALSE(booking::validate(o));
    o = {};
    o.seat_call_attempts = 0;
    CHECK_FALSE(booking::validate(o));

    auto r = request({8, 9});
    const std::string h = booking::request_hash(r);
    CHECK(h.starts_with("fnv1a64:"));
    CHECK(h.size() == 24);
    auto keyed = r;
    keyed.idempotency_key = "x";
    keyed.caller = UserId{7};
    CHECK(booking::request_hash(keyed) == h);
    auto swapped = request({9, 8});
    CHECK(booking::request_hash(swapped) != h);
    auto upi = r;
    upi.payment_type = payment::PaymentType::kUpi;
    CHECK(booking::request_hash(upi) != h);
}

TEST_CASE("no charge starts so late that it could outlive the reconciler's grace") {
    BookingWorld w;
    auto o = BookingWorld::options();
    o.max_charge_time = 29s;  // with the 30 s grace: charge only within 1 s of storing
    o.on_step = [&](std::string_view step) {
        if (step == "held") w.clock.advance(2s);  // a slow seat hold
    };
    auto service = w.make_service(o);
    auto a = service->create(request({1}));
    REQUIRE(a);
    CHECK(a->outcome == CreateOutcome::kPending);
    CHECK(w.gateway.charge_calls() == 0);
    w.after_grace();
    auto report = service->reconcile_once(10);
    REQUIRE(report);
    CHECK(report->failed == 1);
    CHECK(w.available(1) == 130);
    CHECK(w.gateway.charge_calls() == 0);
}
