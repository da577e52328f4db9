// A booking process killed with SIGKILL between hold and confirm: its seats
// come back after expiry, exactly once; a transaction it had open is rolled
// back by PostgreSQL (SPEC §5).

#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "postgres/transaction.hpp"
#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

constexpr postgres::Statement kGrabSeatsUncommitted{
    "test_grab_uncommitted", "UPDATE flights SET booked_seats = booked_seats + 7 WHERE id = $1"};

// The child: holds seats through its own pool, starts (and never commits) a
// transaction taking more, reports "ready" on `fd`, then waits to be killed.
[[noreturn]] void child_main(const std::string& dsn, FlightId flight, UtcTime start, int fd) {
    ManualClock clock(start);
    auto pool = postgres::ConnectionPool::create(postgres::PoolOptions{dsn, 2, 5000, 5000, 0});
    if (!pool) ::_exit(2);
    postgres::PostgresSeatInventory inventory(*pool, clock);
    auto id = ReservationId::parse("crash-victim");
    if (!id) ::_exit(3);
    if (!inventory.hold(HoldRequest{*id, {{flight, 4}}, clock.now() + 5min})) ::_exit(4);
    auto lease = (*pool)->acquire();
    if (!lease) ::_exit(5);
    auto tx = postgres::Transaction::begin(**lease);
    if (!tx || !tx->exec(kGrabSeatsUncommitted, {flight.value()})) ::_exit(6);
    const char ready = 'R';
    if (::write(fd, &ready, 1) != 1) ::_exit(7);
    for (;;) ::pause();
}

}  // namespace

TEST_CASE("postgres: seats held by a process killed before confirm come back after expiry") {
    PostgresFixture f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(20, 2);

    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        child_main(f.schema().dsn(), flight, f.clock.now(), pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    pollfd pfd{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 20'000);
    char byte = 0;
    const bool child_ready = ready == 1 && ::read(pipe_fds[0], &byte, 1) == 1 && byte == 'R';
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(pipe_fds[0]);
    REQUIRE_MESSAGE(child_ready, "child exited early with status " << WEXITSTATUS(status));
    CHECK(WIFSIGNALED(status));

    // The hold survived the crash; the open transaction did not.
    CHECK(check_counts(inv, flight) == SeatCounts{flight, 20, 4, 2, 14});
    CHECK(inv.release_expired(f.clock.now(), 100)->empty());

    f.clock.advance(5min);
    auto swept = inv.release_expired(f.clock.now(), 100);
    REQUIRE(swept);
    REQUIRE(swept->size() == 1);
    CHECK(swept->front().id == rid("crash-victim"));
    CHECK(inv.release_expired(f.clock.now(), 100)->empty());
    CHECK(check_counts(inv, flight) == SeatCounts{flight, 20, 0, 2, 18});
    check_pg_ledger(f.schema(), flight, 2);
    // A late confirm from a restarted booking service cannot sell them.
    CHECK(inv.confirm(rid("crash-victim")).error().code == ErrorCode::kFailedPrecondition);
}
