#include <doctest/doctest.h>

#include <limits>

#include "flightbook/json/writer.hpp"

using flightbook::Money;
using flightbook::json::Writer;

TEST_CASE("Writer places commas and colons") {
    Writer w;
    w.begin_object()
        .key("paths")
        .begin_array()
        .end_array()
        .key("count")
        .value(std::int64_t{0})
        .key("ok")
        .value(true)
        .key("nested")
        .begin_array()
        .value("a")
        .value(std::int32_t{2})
        .null()
        .end_array()
        .key("obj")
        .begin_object()
        .key("k")
        .value("v")
        .end_object()
        .end_object();
    CHECK(w.str() == R"({"paths":[],"count":0,"ok":true,"nested":["a",2,null],"obj":{"k":"v"}})");
}

TEST_CASE("Writer writes money with two decimals and raw fragments") {
    Writer w;
    w.begin_array()
        .value(Money::from_cents(850000))
        .value(Money::from_cents(5))
        .raw(R"({"x":1})")
        .end_array();
    CHECK(w.str() == R"([8500.00,0.05,{"x":1}])");
}

TEST_CASE("strings are escaped and always valid UTF-8") {
    Writer w;
    w.begin_array()
        .value("quote\" back\\ nl\n tab\t")
        .value(std::string_view("\x01\x1f", 2))
        .value("caf\xc3\xa9")
        .value("bad\xff byte")
        .value("\xc0\xaf")  // overlong '/'
        .end_array();
    CHECK(w.str() ==
          R"(["quote\" back\\ nl\n tab\t","\u0001\u001f","café","bad\ufffd byte","\ufffd\ufffd"])");
}

TEST_CASE("non-finite doubles become null") {
    Writer w;
    w.begin_array().value(1.5).value(std::numeric_limits<double>::infinity()).end_array();
    CHECK(w.str() == "[1.5,null]");
}
