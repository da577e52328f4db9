#include <doctest/doctest.h>

#include <string>

#include "flightbook/result.hpp"

using namespace flightbook;

namespace {

Result<int> parse_positive(int v) {
    if (v <= 0) return fail(ErrorCode::kInvalidArgument, "must be positive");
    return v;
}

Status chain(int v) {
    FLIGHTBOOK_TRY_STATUS(parse_positive(v));
    return ok();
}

}  // namespace

TEST_CASE("Result holds a value or an error") {
    auto good = parse_positive(3);
    REQUIRE(good.has_value());
    CHECK(*good == 3);
    CHECK(good.value_or(7) == 3);

    auto bad = parse_positive(-1);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::kInvalidArgument);
    CHECK(bad.error().message == "must be positive");
    CHECK(bad.value_or(7) == 7);
}

TEST_CASE("Status propagates errors through FLIGHTBOOK_TRY_STATUS") {
    CHECK(chain(1).has_value());
    auto s = chain(0);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("Result moves out non-copyable values") {
    Result<std::string> r = std::string(100, 'x');
    std::string s = std::move(r).value();
    CHECK(s.size() == 100);
}

TEST_CASE("error codes have stable names and retry meaning") {
    CHECK(to_string(ErrorCode::kInvalidArgument) == "invalid_argument");
    CHECK(to_string(ErrorCode::kNotFound) == "not_found");
    CHECK(to_string(ErrorCode::kInDoubt) == "in_doubt");
    CHECK(is_retryable(ErrorCode::kUnavailable));
    CHECK(is_retryable(ErrorCode::kAborted));
    CHECK_FALSE(is_retryable(ErrorCode::kFailedPrecondition));
    CHECK_FALSE(is_retryable(ErrorCode::kInDoubt));
}
