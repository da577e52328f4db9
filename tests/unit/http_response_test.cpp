// Unit tests of the JSON error format and the ErrorCode → status table.
#include <doctest/doctest.h>

#include "flightbook/http/response.hpp"
#include "flightbook/http/status.hpp"

using namespace flightbook;
using namespace flightbook::http;

TEST_CASE("error bodies are {error, message} with correct escaping") {
    CHECK(error_body("not_found", "no flight 7") ==
          R"({"error":"not_found","message":"no flight 7"})");
    CHECK(error_body("invalid_argument", "bad \"quote\"\n") ==
          R"({"error":"invalid_argument","message":"bad \"quote\"\n"})");
}

TEST_CASE("Response::from_error maps codes to statuses and names") {
    auto r = Response::from_error(Error{ErrorCode::kNotFound, "no booking 3"});
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/json");
    CHECK(r.body == R"({"error":"not_found","message":"no booking 3"})");

    CHECK(Response::from_error(Error{ErrorCode::kInvalidArgument, "x"}).status == 400);
    CHECK(Response::from_error(Error{ErrorCode::kConflict, "x"}).status == 409);
    CHECK(Response::from_error(Error{ErrorCode::kUnauthenticated, "x"}).status == 401);
    CHECK(Response::from_error(Error{ErrorCode::kUnavailable, "x"}).status == 503);
    CHECK(Response::from_error(Error{ErrorCode::kDeadlineExceeded, "x"}).status == 504);
    CHECK(Response::from_error(Error{ErrorCode::kInternal, "x"}).status == 500);
    CHECK(status_for(ErrorCode::kResourceExhausted) == 429);
}

TEST_CASE("Response::error and with_header") {
    auto r = Response::error(405, "method_not_allowed", "use GET").with_header("Allow", "GET");
    CHECK(r.status == 405);
    REQUIRE(r.headers.size() == 1);
    CHECK(r.headers[0].first == "Allow");
    CHECK(r.headers[0].second == "GET");
}
