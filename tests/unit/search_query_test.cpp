// The shared query parser: the CLI and the HTTP service validate identically.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "flightbook/search/query.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

Result<SearchQuery> parse(const std::map<std::string, std::string>& params) {
    return parse_search_query([&](std::string_view name) -> std::optional<std::string_view> {
        auto it = params.find(std::string(name));
        if (it == params.end()) return std::nullopt;
        return std::string_view(it->second);
    });
}

std::map<std::string, std::string> base() {
    return {{"source", "del"}, {"destination", "Bom"}, {"date", "2024-02-15"}, {"seats", "2"}};
}

void check_invalid(std::map<std::string, std::string> p, const std::string& mentions) {
    auto r = parse(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    CHECK(r.error().message.find(mentions) != std::string::npos);
}

}  // namespace

TEST_CASE("defaults and upper-casing") {
    auto r = parse(base());
    REQUIRE(r);
    CHECK(r->source.view() == "DEL");
    CHECK(r->destination.view() == "BOM");
    CHECK(format_date(r->date) == "2024-02-15");
    CHECK(r->seats == 2);
    CHECK(r->sort_by == SortBy::kCheapest);
    CHECK(r->max_stops == 3);
    CHECK(r->limit == 20);
    CHECK(r->offset == 0);
}

TEST_CASE("all parameters") {
    auto p = base();
    p["sort_by"] = "fastest";
    p["max_stops"] = "0";
    p["limit"] = "100";
    p["offset"] = "900";
    auto r = parse(p);
    REQUIRE(r);
    CHECK(r->sort_by == SortBy::kFastest);
    CHECK(r->max_stops == 0);
    CHECK(r->limit == 100);
    CHECK(r->offset == 900);
    p["limit"] = "";  // empty optional value = default
    CHECK(parse(p)->limit == 20);
}

TEST_CASE("missing and invalid parameters name the parameter") {
    for (const char* name : {"source", "destination", "date", "seats"}) {
        auto p = base();
        p.erase(name);
        check_invalid(p, name);
        p = base();
        p[name] = "";
        check_invalid(p, name);
    }
    auto p = base();
    p["source"] = "DE1";
    check_invalid(p, "source");
    p = base();
    p["destination"] = "BOMB";
    check_invalid(p, "destination");
    p = base();
    p["destination"] = "DEL";
    check_invalid(p, "differ");
    p = base();
    p["date"] = "2024-02-30";
    check_invalid(p, "date");
    for (const char* seats : {"0", "101", "-1", "2.5", "x", " 2"}) {
        p = base();
        p["seats"] = seats;
        check_invalid(p, "seats");
    }
    p = base();
    p["sort_by"] = "price";
    check_invalid(p, "sort_by");
    for (const char* stops : {"4", "-1", "one"}) {
        p = base();
        p["max_stops"] = stops;
        check_invalid(p, "max_stops");
    }
    for (const char* limit : {"0", "101"}) {
        p = base();
        p["limit"] = limit;
        check_invalid(p, "limit");
    }
    p = base();
    p["offset"] = "-5";
    check_invalid(p, "offset");
    p = base();
    p["offset"] = "990";
    p["limit"] = "20";
    check_invalid(p, "offset + limit");
    p["limit"] = "10";
    CHECK(parse(p));
}

TEST_CASE("rules validation") {
    CHECK(validate(SearchRules{}));
    CHECK(validate(SearchRules{0, 0}));
    CHECK_FALSE(validate(SearchRules{-1, 240}));
    CHECK_FALSE(validate(SearchRules{60, 59}));
    CHECK_FALSE(validate(SearchRules{45, 8 * 24 * 60}));
}
