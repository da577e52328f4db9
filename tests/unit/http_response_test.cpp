// Unit tests of the JSON error format and the ErrorCode → status table.
#include <doctest/doctest.h>

#include "flightbook/http/response.hpp"
#include "flightbook/http/status.hpp"

using namespace flightbook;
using namespace flightbook::http;

TEST_CASE("error bodies are {error, message} with correct escaping") {
    CHECK(error_body("not_found", "no flight 7") ==
          "{\"error\":\"not_found\",\"message\":\"no flight 7\"}\n");
    CHECK(error_body("invalid_argument", "bad \"quote\"\n") ==
          "{\"error\":\"invalid_argument\",\"message\":\"bad \\\"quote\\\"\\n\"}\n");
}

TEST_CASE("every JSON body ends with exactly one newline (SPEC §4)") {
    CHECK(Response::json(200, "{}").body == "{}\n");
    CHECK(Response::json(200, "{}\n").body == "{}\n");
    CHECK(Response::error(404, "not_found", "x").body.ends_with("}\n"));
}

TEST_CASE("5xx answers carry a stable code and a next step, never the adapter's text") {
    const std::string leak = "could not connect to server: host db-7.internal port 5432";
    for (const ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kInternal,
                                 ErrorCode::kDeadlineExceeded, ErrorCode::kInDoubt}) {
        CAPTURE(to_string(code));
        auto r = Response::from_error(Error{code, leak});
        CHECK(r.status >= 500);
        CHECK(r.body.find("db-7") == std::string::npos);
        CHECK(r.body.find(std::string(public_message(code))) != std::string::npos);
        CHECK(r.internal_detail == leak);
    }
    // An in-doubt commit is not a success: 503, and the message says a retry
    // with the same key is safe.
    auto doubt = Response::from_error(Error{ErrorCode::kInDoubt, "lost COMMIT"});
    CHECK(doubt.status == 503);
    CHECK(doubt.body.find("\"error\":\"in_doubt\"") != std::string::npos);
    CHECK(doubt.body.find("retrying with the same") != std::string::npos);
    // Below 500 the error's own message is the answer.
    CHECK(Response::from_error(Error{ErrorCode::kNotFound, "no flight 9"}).internal_detail.empty());
}

TEST_CASE("Response::from_error maps codes to statuses and names") {
    auto r = Response::from_error(Error{ErrorCode::kNotFound, "no booking 3"});
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/json");
    CHECK(r.body == "{\"error\":\"not_found\",\"message\":\"no booking 3\"}\n");

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
