// The PostgreSQL foundation against a real server: prepared statements, the
// SQLSTATE table, RAII transactions, pool bounds and timeouts, reconnects and
// in-doubt commits.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "flightbook/postgres/pool.hpp"
#include "postgres/transaction.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace flightbook::postgres;
using flightbook::testing::PgSchema;

namespace {

constexpr Statement kCreateItems{"create_items",
                                 "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, qty "
                                 "INTEGER NOT NULL CHECK (qty >= 0))"};
constexpr Statement kInsertItem{"insert_item", "INSERT INTO items (id, qty) VALUES ($1, $2)"};
constexpr Statement kCountItems{"count_items", "SELECT count(*) FROM items WHERE id = $1"};
constexpr Statement kSelectEcho{"select_echo", "SELECT $1::text, $2::bigint, $3::text IS NULL"};
constexpr Statement kSleep{"sleep", "SELECT pg_sleep($1::float8)"};
constexpr Statement kBackendPid{"backend_pid", "SELECT pg_backend_pid()"};
constexpr Statement kTerminate{"terminate", "SELECT pg_terminate_backend($1::int)"};

std::shared_ptr<ConnectionPool> make_pool(const PgSchema& schema, std::size_t size,
                                          std::int64_t acquire_timeout_ms = 300,
                                          std::int64_t statement_timeout_ms = 5000) {
    auto pool = ConnectionPool::create(
        PoolOptions{schema.dsn(), size, acquire_timeout_ms, 3000, statement_timeout_ms});
    REQUIRE_MESSAGE(pool, (pool ? "" : pool.error().message));
    return std::move(pool).value();
}

std::int64_t count_items(Connection& conn, int id) {
    auto r = conn.exec(kCountItems, {id});
    REQUIRE(r);
    return r->int64(0, 0);
}

void terminate_backend(const PgSchema& schema, int pid) {
    auto other = schema.connect();
    auto r = other->exec(kTerminate, {pid});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    // The server needs a moment to tear the session down.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace

TEST_CASE("prepared statements bind $n parameters and NULL") {
    PgSchema schema;
    auto pool = make_pool(schema, 1);
    auto lease = pool->acquire();
    REQUIRE(lease);
    auto r = (*lease)->exec(kSelectEcho, {"it's; DROP TABLE x --", 42, nullptr});
    REQUIRE(r);
    CHECK(r->rows() == 1);
    CHECK(r->text(0, 0) == "it's; DROP TABLE x --");
    CHECK(r->int64(0, 1) == 42);
    CHECK(r->text(0, 2) == "t");
    // The same name runs again from the prepared statement.
    auto again = (*lease)->exec(kSelectEcho, {"b", -7, "x"});
    REQUIRE(again);
    CHECK(again->int64(0, 1) == -7);
    CHECK(again->text(0, 2) == "f");
}

TEST_CASE("SQLSTATE errors map to error codes with retry meaning") {
    PgSchema schema;
    auto conn = schema.connect();
    REQUIRE(conn->exec(kCreateItems));
    REQUIRE(conn->exec(kInsertItem, {1, 5}));

    auto duplicate = conn->exec(kInsertItem, {1, 6});
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().code == ErrorCode::kAlreadyExists);
    CHECK(duplicate.error().message.find("23505") != std::string::npos);

    auto negative = conn->exec(kInsertItem, {2, -1});
    REQUIRE_FALSE(negative);
    CHECK(negative.error().code == ErrorCode::kFailedPrecondition);
    CHECK(negative.error().message.find("23514") != std::string::npos);

    auto bad_input = conn->exec(kSelectEcho, {"a", "not a number", nullptr});
    REQUIRE_FALSE(bad_input);
    CHECK(bad_input.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("a transaction rolls back on destruction and keeps what it commits") {
    PgSchema schema;
    auto conn = schema.connect();
    REQUIRE(conn->exec(kCreateItems));
    {
        auto tx = Transaction::begin(*conn);
        REQUIRE(tx);
        REQUIRE(tx->exec(kInsertItem, {10, 1}));
        CHECK(count_items(*conn, 10) == 1);  // visible inside the transaction
    }                                        // destroyed without commit
    CHECK(conn->is_idle());
    CHECK(count_items(*conn, 10) == 0);

    {
        auto tx = Transaction::begin(*conn, Isolation::kSerializable);
        REQUIRE(tx);
        REQUIRE(tx->exec(kInsertItem, {11, 1}));
        REQUIRE(tx->commit());
        CHECK_FALSE(tx->is_open());
    }
    CHECK(count_items(*conn, 11) == 1);

    // A failed statement poisons the transaction: commit reports kAborted.
    auto tx = Transaction::begin(*conn);
    REQUIRE(tx);
    REQUIRE(tx->exec(kInsertItem, {12, 1}));
    REQUIRE_FALSE(tx->exec(kInsertItem, {11, 1}));
    auto committed = tx->commit();
    REQUIRE_FALSE(committed);
    CHECK(committed.error().code == ErrorCode::kAborted);
    CHECK(count_items(*conn, 12) == 0);
    CHECK(conn->is_idle());
}

TEST_CASE("the pool is bounded and acquire times out") {
    PgSchema schema;
    auto pool = make_pool(schema, 2, 200);
    auto a = pool->acquire();
    auto b = pool->acquire();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(pool->stats().open == 2);

    const auto start = std::chrono::steady_clock::now();
    auto c = pool->acquire();
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(c);
    CHECK(c.error().code == ErrorCode::kResourceExhausted);
    CHECK(waited >= std::chrono::milliseconds(180));
    CHECK(waited < std::chrono::milliseconds(2000));

    // A waiter gets the connection as soon as a lease ends.
    std::thread releaser([lease = std::move(a).value()]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        Lease done = std::move(lease);
    });
    auto d = pool->acquire();
    releaser.join();
    REQUIRE(d);
    CHECK(pool->stats().open == 2);
    CHECK(pool->stats().created_total == 2);
}

TEST_CASE("statement timeout is kDeadlineExceeded and the connection stays usable") {
    PgSchema schema;
    auto pool = make_pool(schema, 1, 300, 100);
    auto lease = pool->acquire();
    REQUIRE(lease);
    auto slow = (*lease)->exec(kSleep, {"1"});
    REQUIRE_FALSE(slow);
    CHECK(slow.error().code == ErrorCode::kDeadlineExceeded);
    CHECK((*lease)->exec(kSleep, {"0"}));
}

TEST_CASE("a broken connection is replaced by the pool") {
    PgSchema schema;
    auto pool = make_pool(schema, 1);
    int first_pid = 0;
    {
        auto lease = pool->acquire();
        REQUIRE(lease);
        first_pid = (*lease)->backend_pid();
        terminate_backend(schema, first_pid);
        auto r = (*lease)->exec(kBackendPid);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kUnavailable);
        CHECK((*lease)->is_broken());
    }
    CHECK(pool->stats().discarded_total == 1);
    auto lease = pool->acquire();
    REQUIRE(lease);
    auto r = (*lease)->exec(kBackendPid);
    REQUIRE(r);
    CHECK(r->int64(0, 0) != first_pid);

    // Also when the connection dies while idle in the pool.
    const int idle_pid = (*lease)->backend_pid();
    { Lease done = std::move(lease).value(); }
    terminate_backend(schema, idle_pid);
    auto again = pool->acquire();
    REQUIRE(again);
    CHECK((*again)->exec(kBackendPid));
    CHECK((*again)->backend_pid() != idle_pid);
}

TEST_CASE("a lease returned inside a transaction is not reused") {
    PgSchema schema;
    auto pool = make_pool(schema, 1);
    {
        auto lease = pool->acquire();
        REQUIRE(lease);
        REQUIRE((*lease)->exec_script("BEGIN"));
    }
    CHECK(pool->stats().discarded_total == 1);
    auto lease = pool->acquire();
    REQUIRE(lease);
    CHECK((*lease)->is_idle());
}

TEST_CASE("losing the connection during COMMIT is kInDoubt") {
    PgSchema schema;
    auto conn = schema.connect();
    REQUIRE(conn->exec(kCreateItems));
    auto tx = Transaction::begin(*conn);
    REQUIRE(tx);
    REQUIRE(tx->exec(kInsertItem, {20, 1}));
    terminate_backend(schema, conn->backend_pid());
    auto committed = tx->commit();
    REQUIRE_FALSE(committed);
    CHECK(committed.error().code == ErrorCode::kInDoubt);
}

TEST_CASE("an unreachable server is kUnavailable") {
    const int port = flightbook::testing::free_port();
    auto pool = ConnectionPool::create(PoolOptions{
        "host=127.0.0.1 port=" + std::to_string(port) + " dbname=x user=x", 1, 100, 1000, 0});
    REQUIRE_FALSE(pool);
    CHECK(pool.error().code == ErrorCode::kUnavailable);
    CHECK(ConnectionPool::create(PoolOptions{"", 0}).error().code == ErrorCode::kInvalidArgument);
}
