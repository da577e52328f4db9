// Replays the malformed-input corpus (issue 12; tests/support/malformed_corpus*.hpp
// and tests/corpus/malformed/) against the three real binaries on PostgreSQL
// and Redis: every answer must be a 4xx with a JSON error body (validate's
// 200 `valid:false` where SPEC §4 asks for it), never a 5xx, never a hang;
// every process must stay up and ready; and the three databases and Redis
// must be exactly as they were before.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "booking_system.hpp"
#include "flightbook/redis/client.hpp"
#include "malformed_corpus_files.hpp"
#include "malformed_corpus_requests.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace flightbook::testing::corpus;
using namespace std::chrono_literals;

namespace {

// Generous for the sanitizer builds; a healthy answer takes milliseconds.
constexpr auto kAnswerTimeout = 10s;
// Each request on its own connection (Connection: close), a few at a time,
// so that a refusal that closes the connection cannot hide the next request.
constexpr int kClientThreads = 4;

struct Answer {
    std::string bytes;
    bool timed_out = false;
    std::chrono::milliseconds elapsed{0};
};

// Sends `request` on a new connection to 127.0.0.1:port and reads until the
// server closes it. Sending and reading interleave, so an answer that comes
// before the server has read a large body is still seen; every wait is
// bounded by `timeout`.
Answer exchange(int port, std::string_view request, std::chrono::milliseconds timeout) {
    Answer a;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + timeout;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return a;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool pending = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
                         errno == EINPROGRESS;
    std::size_t sent = 0;
    bool writing = true;
    (void)pending;  // a refused connect shows up as POLLERR below
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            a.timed_out = true;
            break;
        }
        pollfd p{fd, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            a.timed_out = ready == 0;
            break;
        }
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            char buf[16384];
            const auto n = ::recv(fd, buf, sizeof(buf), 0);
            if (n > 0) {
                a.bytes.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) break;
        }
        if (writing && (p.revents & POLLOUT) != 0) {
            const std::size_t chunk = std::min<std::size_t>(request.size() - sent, 65536);
            const auto n = ::send(fd, request.data() + sent, chunk, MSG_NOSIGNAL);
            if (n > 0) sent += static_cast<std::size_t>(n);
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == request.size()) {
                writing = false;
            }
        }
    }
    ::close(fd);
    a.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return a;
}

int status_of(std::string_view raw) {
    if (raw.size() < 12 || !raw.starts_with("HTTP/1.")) return 0;
    const std::string code(raw.substr(9, 3));
    return std::all_of(code.begin(), code.end(), ::isdigit) ? std::stoi(code) : 0;
}

bool json_content_type(std::string_view raw) {
    std::string head(raw.substr(0, raw.find("\r\n\r\n")));
    std::transform(head.begin(), head.end(), head.begin(), ::tolower);
    return head.find("\r\ncontent-type: application/json") != std::string::npos;
}

// What is wrong with `a` as the answer to `r`; empty when nothing is.
std::string judge(const MalformedRequest& r, const Answer& a) {
    if (a.timed_out) return fmt::format("no answer within {} ms", kAnswerTimeout.count());
    const int status = status_of(a.bytes);
    if (status == 0) return "no HTTP answer (connection closed without one)";
    const auto at = a.bytes.find("\r\n\r\n");
    const std::string body = at == std::string::npos ? "" : a.bytes.substr(at + 4);
    auto json = http::parse_object(body);
    if (!json_content_type(a.bytes) || !json) return fmt::format("{} without a JSON body", status);
    if (!body.ends_with("}\n")) return fmt::format("{}: body does not end in a newline", status);
    const bool client_error = status >= 400 && status < 500;
    const bool error_body =
        json->get_string("error").has_value() && json->get_string("message").has_value();
    const auto valid = json->get_bool("valid");
    const bool valid_false = status == 200 && valid && !*valid;
    bool ok = false;
    switch (r.expect) {
        case Expect::kClientError: ok = client_error && error_body; break;
        case Expect::kValidFalse: ok = valid_false; break;
        case Expect::kClientErrorOrValid: ok = (client_error && error_body) || valid_false; break;
    }
    return ok ? "" : fmt::format("answered {}", status);
}

// Every table's row count and content digest and every sequence's position,
// by name: any write, even a rolled-back insert that used an id, shows.
std::map<std::string, std::string> database_state(const PgSchema& db) {
    auto conn = db.connect();
    auto rels = conn->exec(postgres::Statement{
        "corpus_relations",
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S') "
        "ORDER BY 1"});
    REQUIRE(rels);
    std::map<std::string, std::string> state;
    for (std::size_t i = 0; i < rels->rows(); ++i) {
        const std::string name(rels->text(i, 0));
        const std::string sql =
            rels->text(i, 1) == "r"
                ? fmt::format(
                      "SELECT count(*)::text || ' ' || coalesce(md5(string_agg(t::text, "
                      "',' ORDER BY t::text)), '-') FROM \"{}\" t",
                      name)
                : fmt::format("SELECT last_value::text || ' ' || is_called::text FROM \"{}\"",
                              name);
        const std::string statement = fmt::format("corpus_state_{}", i);
        auto r = conn->exec(postgres::Statement{statement, sql});
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        state[name] = std::string(r->text(0, 0));
    }
    return state;
}

constexpr std::string_view kCounterPrefix = "flightbook:seats:flight:";

// Every Redis key with its serialized value (DUMP); a seat counter as its
// fields, to compare with PostgreSQL.
std::map<std::string, std::string> redis_state(int port) {
    auto client =
        redis::Client::create(redis::ClientOptions{"127.0.0.1", port, 1, 1000, 2000, 2000});
    REQUIRE(client);
    auto keys = (*client)->command({"KEYS", "*"});
    REQUIRE(keys);
    std::map<std::string, std::string> state;
    for (const redis::Reply& key : keys->elements) {
        if (key.str.starts_with(kCounterPrefix)) {
            auto available = (*client)->command({"HGET", key.str, "available"});
            auto total = (*client)->command({"HGET", key.str, "total"});
            REQUIRE(available);
            REQUIRE(total);
            state[key.str] = fmt::format("available={} total={}", available->str, total->str);
            continue;
        }
        auto dump = (*client)->command({"DUMP", key.str});
        REQUIRE(dump);
        state[key.str] = dump->str;
    }
    return state;
}

// A seat counter as PostgreSQL says it must be (the form of redis_state).
std::string counter_from_truth(const BookingSystem& sys, std::string_view key) {
    const std::int64_t flight = std::stoll(std::string(key.substr(kCounterPrefix.size())));
    const auto seats = sys.seats(flight);
    // booked_seats counts held and sold seats (sql/flights/0003).
    return fmt::format("available={} total={}", seats.total - seats.booked, seats.total);
}

struct Snapshot {
    std::map<std::string, std::map<std::string, std::string>> parts;
};

Snapshot snapshot(BookingSystem& sys) {
    Snapshot s;
    for (auto& [name, entries] : database_state(sys.flights_db()))
        s.parts["flights"][name] = entries;
    for (auto& [name, entries] : database_state(sys.bookings_db()))
        s.parts["bookings"][name] = entries;
    for (auto& [name, entries] : database_state(sys.payments_db()))
        s.parts["payments"][name] = entries;
    s.parts["redis"] = redis_state(sys.redis().port());
    return s;
}

// Redis seat counters are a cache of PostgreSQL, loaded on first use
// (RedisSeatInventory): a request refused after a leg's counter was loaded
// may leave a new counter, which must equal PostgreSQL. Anything else that
// appears, disappears or changes is a side effect of a refused request.
void check_unchanged(const BookingSystem& sys, const Snapshot& before, const Snapshot& after) {
    for (const auto& [part, entries] : before.parts) {
        const auto& now = after.parts.at(part);
        for (const auto& [name, value] : entries) {
            const auto it = now.find(name);
            CHECK_MESSAGE(it != now.end(), part << ": " << name << " disappeared");
            if (it != now.end() && part != "redis") {
                CHECK_MESSAGE(it->second == value,
                              part << "." << name << " changed: " << value << " -> " << it->second);
            }
            if (it != now.end() && part == "redis") {
                CHECK_MESSAGE(it->second == value, "redis key " << name << " changed");
            }
        }
        for (const auto& [name, value] : now) {
            if (entries.contains(name)) continue;
            if (part == "redis" && name.starts_with(kCounterPrefix)) {
                CHECK_MESSAGE(value == counter_from_truth(sys, name),
                              name << " was loaded as " << value << ", PostgreSQL says "
                                   << counter_from_truth(sys, name));
                continue;
            }
            FAIL_CHECK(part << ": " << name << " appeared");
        }
    }
}

struct Replay {
    std::size_t sent = 0;
    std::size_t failures = 0;
    std::map<int, std::size_t> statuses;  ///< answers per status (0: none)
    std::chrono::milliseconds elapsed{0};
    std::chrono::milliseconds slowest{0};
};

// Sends every request of `corpus` to `port` from a few threads and checks
// each answer; failures are reported (the first 50 in full).
Replay replay(std::string_view service, int port, const std::vector<MalformedRequest>& corpus) {
    std::vector<Answer> answers(corpus.size());
    std::atomic<std::size_t> next{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kClientThreads; ++t) {
        threads.emplace_back([&] {
            for (std::size_t i = next++; i < corpus.size(); i = next++) {
                answers[i] = exchange(port, corpus[i].bytes, kAnswerTimeout);
            }
        });
    }
    for (auto& t : threads) t.join();
    Replay r;
    r.sent = corpus.size();
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        r.slowest = std::max(r.slowest, answers[i].elapsed);
        ++r.statuses[status_of(answers[i].bytes)];
        const std::string problem = judge(corpus[i], answers[i]);
        if (problem.empty()) continue;
        if (++r.failures <= 50) {
            FAIL_CHECK(service << ": " << corpus[i].label << ": " << problem
                               << "\n  answer: " << answers[i].bytes.substr(0, 400));
        }
    }
    CHECK_MESSAGE(r.failures == 0, service << ": " << r.failures << " of " << r.sent
                                           << " malformed requests were answered wrongly");
    return r;
}

std::string by_status(const Replay& r) {
    std::string out;
    for (const auto& [status, count] : r.statuses) {
        out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", status, count);
    }
    return out;
}

// The control: each endpoint's valid body, which the corpus mutates one field
// or one header at a time and never sends as is, is served. Without this a
// corpus refused for a reason of its own (a missing token, a wrong base
// body) would pass without testing anything. Run after the corpus: these
// requests do change the databases.
void check_valid_bodies_are_served(BookingSystem& sys) {
    const std::pair<std::string, ServiceProcess*> services[] = {
        {"flight-service", &sys.flight()},
        {"booking-service", &sys.booking()},
        {"payment-service", &sys.payment()}};
    int reservation = 0;
    for (const auto& [name, process] : services) {
        for (const BodyEndpoint& e : body_endpoints(name, kSystemToken)) {
            // confirm and release need a live hold; their one field is checked above.
            if (e.path.ends_with("/confirm") || e.path.ends_with("/release")) continue;
            // Fresh ids: each seat operation and charge is a new one, but
            // increment gives back what decrement (just before) sold.
            if (!e.path.ends_with("/increment")) ++reservation;
            const std::string rid = fmt::format(R"("control-{}")", reservation);
            const std::string booking = std::to_string(reservation);
            const std::string body =
                object_of(e.fields, {{"reservation_id", rid}, {"booking_id", booking}});
            const Answer a = exchange(process->port(), raw_request("POST", e.path, e.headers, body),
                                      kAnswerTimeout);
            const int status = status_of(a.bytes);
            const int expected = e.path.ends_with("/simulate/timeout") ? 408 : 200;
            CHECK_MESSAGE(status == expected, name << " POST " << e.path << " " << body << " -> "
                                                   << a.bytes.substr(0, 300));
        }
    }
}

}  // namespace

TEST_CASE("malformed corpus: every hostile request is a 4xx JSON error and changes nothing") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    // No warm-up: a search would leave a Redis cache entry that expires
    // during the run. Seat counters, which the corpus may load, are checked
    // against PostgreSQL instead (check_unchanged).
    const Snapshot before = snapshot(sys);

    std::size_t total = 0;
    const std::pair<std::string, ServiceProcess*> services[] = {
        {"flight-service", &sys.flight()},
        {"booking-service", &sys.booking()},
        {"payment-service", &sys.payment()}};
    for (const auto& [name, process] : services) {
        auto corpus = malformed_corpus(name, kSystemToken);
        const std::size_t generated = corpus.size();
        for (auto& r : corpus_files(name, kSystemToken)) corpus.push_back(std::move(r));
        const Replay r = replay(name, process->port(), corpus);
        total += r.sent;
        MESSAGE(name << ": " << r.sent << " malformed requests (" << generated << " generated, "
                     << r.sent - generated << " from files) in " << r.elapsed.count()
                     << " ms, slowest answer " << r.slowest.count() << " ms, " << r.failures
                     << " wrong; by status: " << by_status(r));
        CHECK_MESSAGE(!process->exited(), name << " died; log:\n" << process->log_tail());
    }
    for (const auto& [name, process] : services) {
        if (!process->running()) continue;
        auto ready = process->client().get("/ready");
        CHECK_MESSAGE((ready && ready->status == 200), name << " is not ready after the corpus");
    }
    CHECK(total >= 1000);
    std::this_thread::sleep_for(300ms);
    check_unchanged(sys, before, snapshot(sys));
    check_valid_bodies_are_served(sys);
}
