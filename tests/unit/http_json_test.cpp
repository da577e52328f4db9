// Unit tests of the JSON request codec (simdjson underneath).
#include <doctest/doctest.h>

#include <string>

#include "flightbook/http/json.hpp"

using namespace flightbook;
using namespace flightbook::http;

namespace {

std::string message_of(const Error& e) { return e.message; }

}  // namespace

TEST_CASE("json: objects with every value type") {
    auto o = parse_object(
        R"({"seats":2,"date":"2024-02-15","ok":true,"none":null,"rate":0.15,
            "ids":[1,2,3],"nested":{"a":"b"},"neg":-5})");
    REQUIRE(o.has_value());
    CHECK(o->size() == 8);
    CHECK(o->get_int64("seats").value() == 2);
    CHECK(o->get_positive_int64("seats").value() == 2);
    CHECK(o->get_string("date").value() == "2024-02-15");
    CHECK(o->get_bool("ok").value());
    CHECK(o->find("none")->is_null());
    CHECK(o->get_double("rate").value() == doctest::Approx(0.15));
    CHECK(o->get_double("seats").value() == 2.0);
    CHECK(o->get_array_int64("ids").value() == std::vector<std::int64_t>{1, 2, 3});
    CHECK(o->get_object("nested")->get_string("a").value() == "b");
    CHECK(o->get_int64("neg").value() == -5);
}

TEST_CASE("json: clear messages for missing, mistyped and out-of-range fields") {
    auto o = parse_object(R"({"seats":0,"name":5,"frac":2.5,"exp":1e2,"big":9223372036854775808,
                              "flag":"yes","ids":[1,"2"],"empty":[],"str":"abc"})");
    REQUIRE(o.has_value());
    CHECK(message_of(o->get_positive_int64("seats").error()) ==
          "field 'seats' must be a positive integer");
    CHECK(message_of(o->get_int64("missing").error()) == "field 'missing' is required");
    CHECK(message_of(o->get_string("name").error()) == "field 'name' must be a string");
    CHECK(message_of(o->get_int64("frac").error()) == "field 'frac' must be an integer");
    CHECK(message_of(o->get_int64("exp").error()) == "field 'exp' must be an integer");
    CHECK(message_of(o->get_int64("big").error()).find("out of range") != std::string::npos);
    CHECK(message_of(o->get_int64("seats", 1, 9).error()) ==
          "field 'seats' must be an integer between 1 and 9");
    CHECK(message_of(o->get_bool("flag").error()) == "field 'flag' must be true or false");
    CHECK(message_of(o->get_array_int64("ids").error()) == "field 'ids[1]' must be an integer");
    CHECK(o->get_array_int64("empty").error().code == ErrorCode::kInvalidArgument);
    CHECK(message_of(o->get_string("str", 2).error()) ==
          "field 'str' must be at most 2 bytes long");
    CHECK(o->get_int64("str").error().code == ErrorCode::kInvalidArgument);
    CHECK(o->get_int64("seats").value() == 0);
}

TEST_CASE("json: optional accessors") {
    auto o = parse_object(R"({"limit":5,"nothing":null,"bad":"x"})");
    REQUIRE(o.has_value());
    CHECK(o->get_optional_int64("limit").value() == 5);
    CHECK_FALSE(o->get_optional_int64("absent").value().has_value());
    CHECK_FALSE(o->get_optional_int64("nothing").value().has_value());
    CHECK_FALSE(o->get_optional_int64("bad").has_value());
    CHECK_FALSE(o->get_optional_string("absent").value().has_value());
    CHECK(o->get_optional_string("bad").value() == "x");
    CHECK_FALSE(o->get_optional_bool("limit").has_value());
    CHECK(o->get_optional_int64("limit", 1, 4).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("json: money with at most two decimals") {
    auto o = parse_object(
        R"({"a":8500,"b":8500.5,"c":85.07,"d":"8500.00","e":1.005,"f":-1,"g":"abc","h":0.1})");
    REQUIRE(o.has_value());
    CHECK(o->get_money("a")->cents() == 850000);
    CHECK(o->get_money("b")->cents() == 850050);
    CHECK(o->get_money("c")->cents() == 8507);
    CHECK(o->get_money("d")->cents() == 850000);
    CHECK(o->get_money("h")->cents() == 10);
    CHECK_FALSE(o->get_money("e").has_value());
    CHECK_FALSE(o->get_money("f").has_value());
    CHECK_FALSE(o->get_money("g").has_value());
}

TEST_CASE("json: invalid documents are rejected with kInvalidArgument") {
    for (const char* text : {"", "   ", "{", "{\"a\":}", "[1,2", "nul", "{\"a\":1}x", "{'a':1}",
                             "{\"a\":01}", "\"\xff\xfe\""}) {
        auto v = parse_json(text);
        CHECK_MESSAGE(!v.has_value(), text);
        if (!v) CHECK(v.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK(message_of(parse_object("[1]").error()) == "request body must be a JSON object");
    CHECK(message_of(parse_object("42").error()) == "request body must be a JSON object");
    CHECK(message_of(parse_object("").error()).find("empty") != std::string::npos);
}

TEST_CASE("json: duplicate keys are rejected at every depth") {
    CHECK(message_of(parse_object(R"({"seats":1,"seats":100})").error()) ==
          "duplicate key 'seats' in JSON object");
    CHECK_FALSE(parse_object(R"({"a":{"b":1,"b":2}})").has_value());
    CHECK(parse_object(R"({"a":{"b":1},"b":{"b":2}})").has_value());
}

TEST_CASE("json: nesting depth is bounded") {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "[";
    for (int i = 0; i < 100; ++i) deep += "]";
    auto v = parse_json(deep);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message.find("nested") != std::string::npos);
    CHECK(parse_json(deep, JsonParseOptions{256}).has_value());

    std::string ok;
    for (int i = 0; i < 10; ++i) ok += "[";
    for (int i = 0; i < 10; ++i) ok += "]";
    CHECK(parse_json(ok).has_value());
}

TEST_CASE("json: numbers keep integer precision; write_json round-trips") {
    auto v = parse_json(R"({"max":9223372036854775807,"min":-9223372036854775808,"d":1.5,
                            "s":"a\"b\u00e9","arr":[true,false,null,{}]})");
    REQUIRE(v.has_value());
    const auto* o = v->as_object();
    REQUIRE(o != nullptr);
    CHECK(o->get_int64("max").value() == INT64_MAX);
    CHECK(o->get_int64("min").value() == INT64_MIN);
    json::Writer w;
    write_json(w, *v);
    CHECK(w.str() ==
          "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"d\":1.5,"
          "\"s\":\"a\\\"b\xc3\xa9\",\"arr\":[true,false,null,{}]}");
    auto again = parse_json(w.str());
    REQUIRE(again.has_value());
    json::Writer w2;
    write_json(w2, *again);
    CHECK(w2.str() == w.str());
}
