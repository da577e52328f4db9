// The Redis foundation against real servers: binary-safe commands, the
// reply-error table, timeouts, reconnects, and scripts loaded once and
// reloaded after SCRIPT FLUSH.

#include <doctest/doctest.h>

#include <chrono>

#include "flightbook/redis/client.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace flightbook::redis;
using flightbook::testing::RedisServerProcess;

namespace {

std::shared_ptr<Client> shared_client(std::int64_t command_timeout_ms = 1000) {
    auto client = Client::create(ClientOptions{flightbook::testing::redis_host(),
                                               flightbook::testing::redis_port(), 2, 1000,
                                               command_timeout_ms, 500});
    REQUIRE(client);
    return std::move(client).value();
}

std::shared_ptr<Client> private_client(int port) {
    auto client = Client::create(ClientOptions{"127.0.0.1", port, 2, 500, 500, 500});
    REQUIRE(client);
    return std::move(client).value();
}

const Script kAddScript{"add", "return redis.call('INCRBY', KEYS[1], ARGV[1])"};

}  // namespace

TEST_CASE("commands are binary-safe and replies decode") {
    auto client = shared_client();
    const std::string key = flightbook::testing::unique_name("fbtest:bin");
    const std::string value("a\0b c\r\n", 7);
    REQUIRE(client->command({"SET", key, value, "PX", "60000"}));
    auto got = client->command({"GET", key});
    REQUIRE(got);
    CHECK(got->type == Reply::Type::kString);
    CHECK(got->str == value);

    auto missing = client->command({"GET", key + ":none"});
    REQUIRE(missing);
    CHECK(missing->is_nil());

    REQUIRE(client->command({"DEL", key}));
    auto n = client->command({"INCRBY", key, "5"});
    REQUIRE(n);
    CHECK(n->as_integer() == 5);
    auto list = client->command({"MGET", key, key + ":none"});
    REQUIRE(list);
    REQUIRE(list->elements.size() == 2);
    CHECK(list->elements[0].as_integer() == 5);
    CHECK(list->elements[1].is_nil());

    // An error reply goes through the reply-error table.
    auto wrong = client->command({"LPUSH", key, "x"});
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::kInternal);
    CHECK(wrong.error().message.find("WRONGTYPE") != std::string::npos);
    REQUIRE(client->command({"DEL", key}));
}

TEST_CASE("a command timeout is kUnavailable and drops the connection") {
    auto client = shared_client(200);
    const std::string key = flightbook::testing::unique_name("fbtest:empty-list");
    const auto start = std::chrono::steady_clock::now();
    auto blocked = client->command({"BLPOP", key, "2"});
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(blocked);
    CHECK(blocked.error().code == ErrorCode::kUnavailable);
    CHECK(waited < std::chrono::milliseconds(1500));
    CHECK(client->stats().connections_dropped == 1);
    // The next command opens a fresh connection.
    CHECK(client->command({"PING"}));
}

TEST_CASE("nothing listening is kUnavailable") {
    auto client = private_client(flightbook::testing::free_port());
    auto r = client->command({"PING"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("scripts load once and reload after SCRIPT FLUSH") {
    RedisServerProcess server;
    auto client = private_client(server.port());
    for (int i = 0; i < 3; ++i) {
        auto r = client->eval(kAddScript, {"counter"}, {"2"});
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        CHECK(r->integer == 2 * (i + 1));
    }
    CHECK(client->stats().script_loads == 1);

    REQUIRE(client->command({"SCRIPT", "FLUSH"}));
    auto r = client->eval(kAddScript, {"counter"}, {"2"});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->integer == 8);
    CHECK(client->stats().script_loads == 2);

    // A script error is reported, not retried.
    const Script broken{"broken", "return redis.call('NOPE')"};
    auto bad = client->eval(broken, {}, {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("broken") != std::string::npos);
}

TEST_CASE("the client reconnects after a Redis restart") {
    RedisServerProcess server;
    auto client = private_client(server.port());
    REQUIRE(client->command({"SET", "k", "1"}));
    REQUIRE(client->eval(kAddScript, {"k"}, {"1"}));

    server.kill_now();
    auto down = client->command({"GET", "k"});
    REQUIRE_FALSE(down);
    CHECK(down.error().code == ErrorCode::kUnavailable);

    server.start();
    auto up = client->command({"GET", "k"});
    REQUIRE(up);
    CHECK(up->is_nil());  // no persistence: the restart lost the data
    // The restarted server has no scripts: NOSCRIPT → reload → retry.
    auto r = client->eval(kAddScript, {"k"}, {"3"});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->integer == 3);
}
