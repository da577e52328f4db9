// Black-box HTTP tests of the payment service routes (SPEC §4,
// docs/payments.md), served by a real http::Server on 127.0.0.1 over the
// in-memory payment store.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "flightbook/api/payment_routes.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/memory/payment_store.hpp"

using namespace flightbook;

namespace {

payment::PaymentProcessorOptions rates(double failure, double timeout) {
    payment::PaymentProcessorOptions o;
    o.failure_rate = failure;
    o.timeout_rate = timeout;
    o.seed = 2024;
    return o;
}

struct PaymentApi {
    ManualClock clock{parse_rfc3339("2024-02-15T08:00:00Z").value()};
    memory::InMemoryPaymentStore store;
    payment::PaymentProcessor processor;
    http::Server server{[] {
        http::ServerOptions o;
        o.service_name = "payment-service";
        o.port = 0;
        o.worker_threads = 20;  // more than the 16 concurrent clients below
        o.access_log = false;
        return o;
    }()};
    int port = 0;

    explicit PaymentApi(payment::PaymentProcessorOptions options = rates(0.0, 0.0))
        : processor(store, clock, options) {
        REQUIRE(api::register_payment_routes(server, processor));
        auto bound = server.start();
        REQUIRE(bound);
        port = *bound;
    }
    ~PaymentApi() { server.stop(); }

    http::Client client() const {
        http::ClientOptions o;
        o.base_url = "http://127.0.0.1:" + std::to_string(port);
        o.connect_timeout_ms = 5000;
        return http::Client::create(o).value();
    }
};

http::JsonObject body_of(const http::ClientResponse& r) {
    auto obj = http::parse_object(r.body);
    REQUIRE_MESSAGE(obj.has_value(), r.body);
    return std::move(obj).value();
}

std::string text(const http::JsonObject& o, std::string_view key) {
    return o.get_string(key).value_or("<none>");
}

std::string payment_body(std::int64_t booking, std::string_view amount = "8500.00",
                         std::string_view type = "credit_card", std::int64_t user = 42) {
    return fmt::format(R"({{"booking_id":{},"amount":{},"user_id":{},"payment_type":"{}"}})",
                       booking, amount, user, type);
}

// POST and check the answer is JSON ending in a newline, never a 5xx.
http::ClientResponse post(http::Client& c, std::string_view path, std::string_view body,
                          const http::HeaderList& headers = {}) {
    auto r = c.post(path, body, headers);
    REQUIRE(r);
    CHECK(r->status < 500);
    CHECK(r->body.ends_with("}\n"));
    CHECK(r->header("Content-Type").value_or("").find("application/json") == 0);
    return std::move(r).value();
}

http::ClientResponse get(http::Client& c, std::string_view path) {
    auto r = c.get(path);
    REQUIRE(r);
    CHECK(r->status < 500);
    CHECK(r->body.ends_with("}\n"));
    return std::move(r).value();
}

void check_invalid(const http::ClientResponse& r, std::string_view field) {
    CHECK(r.status == 400);
    auto b = body_of(r);
    CHECK(text(b, "error") == "invalid_argument");
    CHECK_MESSAGE(text(b, "message").find(field) != std::string::npos, text(b, "message"));
}

}  // namespace

TEST_CASE("process charges and answers the payment") {
    PaymentApi api;
    auto c = api.client();
    auto r = post(c, "/api/payments/process", payment_body(101, "8500.5", "upi", 7));
    CHECK(r.status == 200);
    auto b = body_of(r);
    const std::string id = text(b, "payment_id");
    CHECK(payment::is_payment_id(id));
    CHECK(b.get_int64("booking_id").value() == 101);
    CHECK(b.get_int64("user_id").value() == 7);
    CHECK(r.body.find("\"amount\":8500.50,") != std::string::npos);
    CHECK(text(b, "payment_type") == "upi");
    CHECK(text(b, "status") == "success");
    CHECK(text(b, "idempotency_key") == "booking-101");
    CHECK(text(b, "created_at") == "2024-02-15T08:00:00Z");
    CHECK_FALSE(b.contains("reason"));
    CHECK_FALSE(b.contains("refunded_at"));
    CHECK_FALSE(b.contains("error"));
    CHECK_FALSE(b.get_bool("replayed").value());
    CHECK(text(b, "message") == "payment successful");

    // The amount may be a string; the type defaults to a card for old clients.
    auto as_string =
        post(c, "/api/payments/process", R"({"booking_id":102,"amount":"99.99","user_id":7})");
    CHECK(as_string.status == 200);
    CHECK(as_string.body.find("\"amount\":99.99,") != std::string::npos);
    CHECK(text(body_of(as_string), "payment_type") == "credit_card");
}

TEST_CASE("a retry replays the first outcome; the same key with another request is 422") {
    PaymentApi api;
    auto c = api.client();
    auto first = post(c, "/api/payments/process", payment_body(201));
    REQUIRE(first.status == 200);
    const std::string id = text(body_of(first), "payment_id");
    api.clock.advance(std::chrono::seconds{30});
    auto retry = post(c, "/api/payments/process", payment_body(201));
    CHECK(retry.status == 200);
    auto rb = body_of(retry);
    CHECK(text(rb, "payment_id") == id);
    CHECK(rb.get_bool("replayed").value());
    CHECK(text(rb, "created_at") == "2024-02-15T08:00:00Z");

    for (const std::string& other :
         {payment_body(201, "8500.01"), payment_body(201, "8500.00", "upi"),
          payment_body(201, "8500.00", "credit_card", 43)}) {
        CAPTURE(other);
        auto reused = post(c, "/api/payments/process", other);
        CHECK(reused.status == 422);
        CHECK(text(body_of(reused), "error") == "idempotency_key_reused");
    }
    auto listed = body_of(get(c, "/api/payments?booking_id=201"));
    CHECK(listed.get_int64("count").value() == 1);
}

TEST_CASE("the Idempotency-Key header keys the charge") {
    PaymentApi api;
    auto c = api.client();
    auto a = post(c, "/api/payments/process", payment_body(301), {{"Idempotency-Key", "try-1"}});
    auto b = post(c, "/api/payments/process", payment_body(301), {{"Idempotency-Key", "try-2"}});
    auto a_again =
        post(c, "/api/payments/process", payment_body(301), {{"Idempotency-Key", "try-1"}});
    REQUIRE(a.status == 200);
    REQUIRE(b.status == 200);
    CHECK(text(body_of(a), "idempotency_key") == "try-1");
    CHECK(text(body_of(a), "payment_id") != text(body_of(b), "payment_id"));
    CHECK(text(body_of(a), "payment_id") == text(body_of(a_again), "payment_id"));
    // Another booking under a used key is a reuse, not a new charge.
    auto reused =
        post(c, "/api/payments/process", payment_body(302), {{"Idempotency-Key", "try-1"}});
    CHECK(reused.status == 422);

    auto listed = body_of(get(c, "/api/payments?booking_id=301"));
    CHECK(listed.get_int64("count").value() == 2);

    auto too_long = post(c, "/api/payments/process", payment_body(303),
                         {{"Idempotency-Key", std::string(129, 'k')}});
    check_invalid(too_long, "Idempotency-Key");
}

TEST_CASE("a declined payment is 400 with status failed; a timeout is 408") {
    {
        PaymentApi api(rates(1.0, 0.0));
        auto c = api.client();
        auto r = post(c, "/api/payments/process", payment_body(401));
        CHECK(r.status == 400);
        auto b = body_of(r);
        CHECK(text(b, "error") == "payment_declined");
        CHECK(text(b, "status") == "failed");
        CHECK(text(b, "message").find("payment declined: ") == 0);
        CHECK(text(b, "message").find(text(b, "reason")) != std::string::npos);
        CHECK(payment::is_payment_id(text(b, "payment_id")));
        CHECK(b.get_int64("booking_id").value() == 401);
        // Recorded: a lookup finds it, and a retry gets the same decline.
        auto found = get(c, "/api/payments/" + text(b, "payment_id"));
        CHECK(found.status == 200);
        CHECK(text(body_of(found), "status") == "failed");
        auto retry = post(c, "/api/payments/process", payment_body(401));
        CHECK(retry.status == 400);
        CHECK(text(body_of(retry), "payment_id") == text(b, "payment_id"));
    }
    {
        PaymentApi api(rates(0.0, 1.0));
        auto c = api.client();
        auto r = post(c, "/api/payments/process", payment_body(402));
        CHECK(r.status == 408);
        auto b = body_of(r);
        CHECK(text(b, "error") == "payment_timeout");
        CHECK(text(b, "status") == "timeout");
        CHECK(text(b, "reason") == "gateway timeout");
        // The caller resolves the timeout by lookup: nothing was charged.
        auto listed = body_of(get(c, "/api/payments?booking_id=402"));
        const auto* payments = listed.find("payments")->as_array();
        REQUIRE(payments->size() == 1);
        CHECK(text(*(*payments)[0].as_object(), "status") == "timeout");
    }
}

TEST_CASE("bad requests are 400 naming the field") {
    PaymentApi api;
    auto c = api.client();
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "JSON"},
        {"{", "JSON"},
        {"[1,2]", "object"},
        {"\"text\"", "object"},
        {R"({"amount":10,"user_id":1,"payment_type":"upi"})", "booking_id"},
        {R"({"booking_id":"7","amount":10,"user_id":1})", "booking_id"},
        {R"({"booking_id":0,"amount":10,"user_id":1})", "booking_id"},
        {R"({"booking_id":-4,"amount":10,"user_id":1})", "booking_id"},
        {R"({"booking_id":1.5,"amount":10,"user_id":1})", "booking_id"},
        // simdjson refuses integers beyond 64 bits as invalid JSON.
        {R"({"booking_id":99999999999999999999,"amount":10,"user_id":1})", "JSON"},
        {R"({"booking_id":1,"amount":10})", "user_id"},
        {R"({"booking_id":1,"amount":10,"user_id":0})", "user_id"},
        {R"({"booking_id":1,"amount":10,"user_id":"me"})", "user_id"},
        {R"({"booking_id":1,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":-5,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":0,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":"0.00","user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":10.123,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":"10.123","user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":1e12,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":100000000.00,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":"ten","user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":true,"user_id":1})", "amount"},
        {R"({"booking_id":1,"amount":10,"user_id":1,"payment_type":"bitcoin"})", "payment_type"},
        {R"({"booking_id":1,"amount":10,"user_id":1,"payment_type":"UPI"})", "payment_type"},
        {R"({"booking_id":1,"amount":10,"user_id":1,"payment_type":5})", "payment_type"},
    };
    for (const auto& [body, field] : cases) {
        CAPTURE(body);
        auto r = post(c, "/api/payments/process", body);
        CHECK(r.status == 400);
        CHECK(text(body_of(r), "error") == "invalid_argument");
        if (field != "JSON" && field != "object") check_invalid(r, field);
        auto simulated = post(c, "/api/payments/simulate/success", body.empty() ? "[]" : body);
        CHECK(simulated.status == 400);
    }
    // The largest amount NUMERIC(10,2) holds is accepted.
    auto max = post(c, "/api/payments/process", payment_body(9, "99999999.99"));
    CHECK(max.status == 200);
    CHECK(max.body.find("\"amount\":99999999.99,") != std::string::npos);
}

TEST_CASE("simulate forces one outcome per request and records it") {
    PaymentApi api(rates(0.0, 0.0));
    auto c = api.client();
    struct Case {
        const char* path;
        std::int64_t booking;
        int status;
        const char* payment_status;
    };
    for (const Case& k : {Case{"/api/payments/simulate/success", 501, 200, "success"},
                          Case{"/api/payments/simulate/failure", 502, 200, "failed"},
                          Case{"/api/payments/simulate/timeout", 503, 408, "timeout"}}) {
        CAPTURE(k.path);
        auto r = post(c, k.path, payment_body(k.booking));
        CHECK(r.status == k.status);
        auto b = body_of(r);
        CHECK(text(b, "status") == k.payment_status);
        CHECK(b.get_bool("simulated").value());
        CHECK(b.get_bool("recorded").value());
        CHECK(b.contains("message"));
        CHECK(b.contains("error") == (k.status == 408));
        auto stored = get(c, "/api/payments/" + text(b, "payment_id"));
        CHECK(stored.status == 200);
        CHECK(text(body_of(stored), "status") == k.payment_status);
        // Idempotent like any payment: the stored outcome, whatever is forced now.
        auto replay = post(c, "/api/payments/simulate/success", payment_body(k.booking));
        CHECK(text(body_of(replay), "payment_id") == text(b, "payment_id"));
        CHECK(text(body_of(replay), "status") == k.payment_status);
    }
    // Forcing never changed the odds of ordinary requests.
    auto normal = post(c, "/api/payments/process", payment_body(504));
    CHECK(normal.status == 200);
    CHECK(text(body_of(normal), "status") == "success");
}

TEST_CASE("simulate with an empty body answers the outcome without recording") {
    PaymentApi api;
    auto c = api.client();
    for (const char* body : {"", "{}", "  \n"}) {
        CAPTURE(body);
        auto ok = post(c, "/api/payments/simulate/success", body);
        CHECK(ok.status == 200);
        CHECK(text(body_of(ok), "status") == "success");
        CHECK_FALSE(body_of(ok).get_bool("recorded").value());
        CHECK_FALSE(body_of(ok).contains("payment_id"));
        CHECK(text(body_of(ok), "message").find("nothing recorded") != std::string::npos);
        auto failed = post(c, "/api/payments/simulate/failure", body);
        CHECK(failed.status == 200);
        CHECK(text(body_of(failed), "status") == "failed");
        auto timeout = post(c, "/api/payments/simulate/timeout", body);
        CHECK(timeout.status == 408);
        CHECK(text(body_of(timeout), "status") == "timeout");
        CHECK(text(body_of(timeout), "error") == "payment_timeout");
    }
}

TEST_CASE("GET /api/payments/{id}, ?id= and ?booking_id=") {
    PaymentApi api;
    auto c = api.client();
    auto first = body_of(
        post(c, "/api/payments/process", payment_body(601), {{"Idempotency-Key", "first"}}));
    api.clock.advance(std::chrono::seconds{5});
    auto second = body_of(
        post(c, "/api/payments/process", payment_body(601), {{"Idempotency-Key", "second"}}));
    const std::string id = text(first, "payment_id");

    auto one = get(c, "/api/payments/" + id);
    CHECK(one.status == 200);
    auto ob = body_of(one);
    CHECK(text(ob, "payment_id") == id);
    CHECK(text(ob, "status") == "success");
    CHECK(one.body.find("\"amount\":8500.00,") != std::string::npos);
    CHECK_FALSE(ob.contains("message"));
    auto legacy = get(c, "/api/payments?id=" + id);
    CHECK(legacy.status == 200);
    CHECK(text(body_of(legacy), "payment_id") == id);

    auto listed = get(c, "/api/payments?booking_id=601");
    CHECK(listed.status == 200);
    auto lb = body_of(listed);
    CHECK(lb.get_int64("count").value() == 2);
    const auto* payments = lb.find("payments")->as_array();
    REQUIRE(payments->size() == 2);
    CHECK(text(*(*payments)[0].as_object(), "payment_id") == text(second, "payment_id"));
    CHECK(text(*(*payments)[1].as_object(), "payment_id") == id);
    auto none = body_of(get(c, "/api/payments?booking_id=999"));
    CHECK(none.get_int64("count").value() == 0);
    CHECK(none.find("payments")->as_array()->empty());

    for (const char* path :
         {"/api/payments/pay_000000000000000000000000", "/api/payments/abc",
          "/api/payments/pay_%00", "/api/payments/%ff%fe", "/api/payments?id=nope",
          "/api/payments/PAY_000000000000000000000000"}) {
        CAPTURE(path);
        auto r = get(c, path);
        CHECK(r.status == 404);
        CHECK(text(body_of(r), "error") == "not_found");
    }
    auto long_id = get(c, "/api/payments/" + std::string(3000, 'x'));
    CHECK(long_id.status == 404);
    for (const char* path :
         {"/api/payments", "/api/payments?booking_id=", "/api/payments?booking_id=x",
          "/api/payments?booking_id=0", "/api/payments?booking_id=-1",
          "/api/payments?booking_id=1.5", "/api/payments?booking_id=99999999999999999999"}) {
        CAPTURE(path);
        auto r = get(c, path);
        check_invalid(r, "booking_id");
    }
}

TEST_CASE("refund gives a charge back once; never-charged is 409, unknown 404") {
    PaymentApi api;
    auto c = api.client();
    const std::string id =
        text(body_of(post(c, "/api/payments/process", payment_body(701))), "payment_id");
    api.clock.advance(std::chrono::seconds{90});
    auto refunded = post(c, "/api/payments/" + id + "/refund", "");
    CHECK(refunded.status == 200);
    auto rb = body_of(refunded);
    CHECK(text(rb, "status") == "refunded");
    CHECK(rb.get_bool("applied").value());
    CHECK(text(rb, "refunded_at") == "2024-02-15T08:01:30Z");
    CHECK(text(rb, "payment_id") == id);

    auto again = post(c, "/api/payments/" + id + "/refund", "{}");
    CHECK(again.status == 200);
    CHECK_FALSE(body_of(again).get_bool("applied").value());
    CHECK(text(body_of(again), "refunded_at") == "2024-02-15T08:01:30Z");
    CHECK(text(body_of(get(c, "/api/payments/" + id)), "status") == "refunded");

    const std::string declined =
        text(body_of(post(c, "/api/payments/simulate/failure", payment_body(702))), "payment_id");
    auto not_refundable = post(c, "/api/payments/" + declined + "/refund", "");
    CHECK(not_refundable.status == 409);
    CHECK(text(body_of(not_refundable), "error") == "not_refundable");
    CHECK(text(body_of(get(c, "/api/payments/" + declined)), "status") == "failed");

    for (const char* path :
         {"/api/payments/pay_000000000000000000000000/refund", "/api/payments/nope/refund"}) {
        auto unknown = post(c, path, "");
        CHECK(unknown.status == 404);
        CHECK(text(body_of(unknown), "error") == "not_found");
    }
    auto wrong_method = c.get("/api/payments/" + id + "/refund");
    REQUIRE(wrong_method);
    CHECK(wrong_method->status == 405);
}

TEST_CASE("16 concurrent clients paying one booking get one payment") {
    PaymentApi api(rates(0.3, 0.2));
    constexpr int kClients = 16;
    std::vector<std::string> ids(kClients);
    std::vector<int> statuses(kClients, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t) {
        threads.emplace_back([&, t] {
            auto c = api.client();
            auto r = c.post("/api/payments/process", payment_body(801));
            if (!r) return;
            const auto i = static_cast<std::size_t>(t);
            statuses[i] = r->status;
            if (auto b = http::parse_object(r->body)) {
                ids[i] = b->get_string("payment_id").value_or("");
            }
        });
    }
    for (auto& t : threads) t.join();
    const std::set<std::string> distinct(ids.begin(), ids.end());
    CHECK(distinct.size() == 1);
    CHECK(payment::is_payment_id(*distinct.begin()));
    CHECK(std::set<int>(statuses.begin(), statuses.end()).size() == 1);
    auto c = api.client();
    CHECK(body_of(get(c, "/api/payments?booking_id=801")).get_int64("count").value() == 1);
}
