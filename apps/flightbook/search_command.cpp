// flightbook search: one query from flags, or a batch of queries from a CSV
// file, answered with exactly the JSON body of GET /api/flights/search.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli_args.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/search/result_json.hpp"
#include "flightbook/search/search.hpp"

namespace flightbook::cli {
namespace {

using Steady = std::chrono::steady_clock;

constexpr std::string_view kHelp =
    "usage: flightbook search --schedule FILE.csv --source A --destination B\n"
    "                         --date YYYY-MM-DD --seats N [--sort-by cheapest|fastest]\n"
    "                         [--max-stops K] [--limit L] [--offset O]\n"
    "                         [--mct-minutes M] [--max-layover-minutes X]\n"
    "       flightbook search --schedule FILE.csv --queries QUERIES.csv [--timing]\n"
    "                         [--mct-minutes M] [--max-layover-minutes X]\n"
    "\n"
    "Prints the JSON body of GET /api/flights/search. Seats available on each\n"
    "flight are total_seats - booked_seats from the schedule file.\n"
    "Batch mode reads a CSV with the header\n"
    "  source,destination,date,seats,sort_by,max_stops,limit,offset\n"
    "(empty optional fields take the defaults) and prints one JSON answer per\n"
    "query line, in order; an invalid line prints\n"
    "  {\"error\":\"invalid_argument\",\"message\":\"...\"}\n"
    "--timing adds a last stderr line with load time and per-query search\n"
    "latency percentiles (search only, in microseconds).\n"
    "Defaults: --sort-by cheapest --max-stops 3 --limit 20 --offset 0\n"
    "          --mct-minutes 45 --max-layover-minutes 240\n";

constexpr std::string_view kQueriesHeader =
    "source,destination,date,seats,sort_by,max_stops,limit,offset";
constexpr std::array<std::string_view, 8> kQueryFields{"source",  "destination", "date",  "seats",
                                                       "sort_by", "max_stops",   "limit", "offset"};

std::string error_json(const Error& e) {
    json::Writer w;
    w.begin_object()
        .key("error")
        .value(to_string(e.code))
        .key("message")
        .value(e.message)
        .end_object();
    return w.take();
}

std::int64_t percentile(std::vector<std::int64_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto idx =
        static_cast<std::size_t>(std::lround(p * static_cast<double>(sorted.size() - 1)));
    return sorted[std::min(idx, sorted.size() - 1)];
}

struct Loaded {
    std::shared_ptr<const search::Timetable> timetable;
    std::unique_ptr<search::TimetableSeatAvailability> seats;
};

Result<Loaded> load(const std::string& path) {
    auto flights = schedule::read_flights_csv(path);
    if (!flights) return fail(std::move(flights).error());
    auto timetable = search::Timetable::build(std::move(flights).value());
    if (!timetable) return fail(std::move(timetable).error());
    Loaded out;
    out.timetable = std::move(timetable).value();
    out.seats = std::make_unique<search::TimetableSeatAvailability>(out.timetable);
    return out;
}

int run_batch(const Loaded& data, const std::string& queries_path, const search::SearchRules& rules,
              bool timing, std::int64_t load_ms) {
    std::ifstream in(queries_path, std::ios::binary);
    if (!in) {
        fmt::print(stderr, "flightbook search: cannot open {}\n", queries_path);
        return kExitFailure;
    }
    std::string line;
    std::size_t line_no = 0;
    bool header = false;
    std::vector<std::int64_t> latencies;
    std::string out;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (!header) {
            if (line != kQueriesHeader) {
                fmt::print(stderr, "flightbook search: {} line {}: header must be {}\n",
                           queries_path, line_no, kQueriesHeader);
                return kExitFailure;
            }
            header = true;
            continue;
        }
        std::array<std::string_view, kQueryFields.size()> fields{};
        std::size_t n = 0;
        std::size_t start = 0;
        const std::string_view row(line);
        bool too_many = false;
        for (std::size_t i = 0; i <= row.size(); ++i) {
            if (i == row.size() || row[i] == ',') {
                if (n == fields.size()) {
                    too_many = true;
                    break;
                }
                fields[n++] = row.substr(start, i - start);
                start = i + 1;
            }
        }
        Result<search::SearchResult> result = fail(ErrorCode::kInvalidArgument, "");
        if (too_many) {
            result = fail(ErrorCode::kInvalidArgument,
                          fmt::format("line {}: expected at most 8 fields", line_no));
        } else {
            auto query = search::parse_search_query(
                [&](std::string_view name) -> std::optional<std::string_view> {
                    for (std::size_t i = 0; i < n; ++i) {
                        if (kQueryFields[i] == name) return fields[i];
                    }
                    return std::nullopt;
                });
            if (!query) {
                result = fail(std::move(query).error());
            } else {
                const auto t0 = Steady::now();
                result = search::find_itineraries(*data.timetable, *data.seats, *query, rules);
                const auto t1 = Steady::now();
                latencies.push_back(
                    std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count());
            }
        }
        out = result ? search::search_result_to_json(*result, *data.timetable, *data.seats)
                     : error_json(result.error());
        out.push_back('\n');
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    std::fflush(stdout);
    if (!header) {
        fmt::print(stderr, "flightbook search: {}: missing header row\n", queries_path);
        return kExitFailure;
    }
    if (timing) {
        std::sort(latencies.begin(), latencies.end());
        fmt::print(stderr,
                   "timing: flights={} airports={} load_ms={} queries={} p50_us={} p90_us={} "
                   "p99_us={} max_us={}\n",
                   data.timetable->leg_count(), data.timetable->airport_count(), load_ms,
                   latencies.size(), percentile(latencies, 0.50), percentile(latencies, 0.90),
                   percentile(latencies, 0.99), latencies.empty() ? 0 : latencies.back());
    }
    return kExitOk;
}

}  // namespace

int run_search(const std::vector<std::string_view>& argv) {
    auto args =
        Args::parse(argv,
                    {"schedule", "source", "destination", "date", "seats", "sort-by", "max-stops",
                     "limit", "offset", "mct-minutes", "max-layover-minutes", "queries"},
                    {"help", "timing"});
    auto usage = [](const std::string& message) {
        fmt::print(stderr, "flightbook search: {}\n\n{}", message, kHelp);
        return kExitUsage;
    };
    if (!args) return usage(args.error().message);
    if (args->has("help")) {
        fmt::print("{}", kHelp);
        return kExitOk;
    }
    auto schedule_path = args->get("schedule");
    if (!schedule_path) return usage("--schedule is required");
    search::SearchRules rules;
    auto mct = args->integer("mct-minutes", rules.mct_minutes, 0, 10'080);
    if (!mct) return usage(mct.error().message);
    auto layover = args->integer("max-layover-minutes", rules.max_layover_minutes, 0, 10'080);
    if (!layover) return usage(layover.error().message);
    rules.mct_minutes = static_cast<int>(*mct);
    rules.max_layover_minutes = static_cast<int>(*layover);
    if (auto valid = search::validate(rules); !valid) return usage(valid.error().message);

    const auto queries = args->get("queries");
    std::optional<search::SearchQuery> single;
    if (queries) {
        for (std::string_view name : {"source", "destination", "date", "seats", "sort-by",
                                      "max-stops", "limit", "offset"}) {
            if (args->has(name))
                return usage(fmt::format("--{} cannot be used with --queries", name));
        }
    } else {
        if (args->has("timing")) return usage("--timing needs --queries");
        auto query = search::parse_search_query(
            [&](std::string_view name) -> std::optional<std::string_view> {
                std::string flag(name);
                std::replace(flag.begin(), flag.end(), '_', '-');
                return args->get(flag);
            });
        if (!query) return usage(query.error().message);
        single = *query;
    }

    const auto t0 = Steady::now();
    auto data = load(std::string(*schedule_path));
    if (!data) {
        fmt::print(stderr, "flightbook search: {}\n", data.error().message);
        return kExitFailure;
    }
    const auto load_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
    if (queries) {
        return run_batch(*data, std::string(*queries), rules, args->has("timing"), load_ms);
    }
    auto result = search::find_itineraries(*data->timetable, *data->seats, *single, rules);
    if (!result) return usage(result.error().message);
    fmt::print("{}\n", search::search_result_to_json(*result, *data->timetable, *data->seats));
    return kExitOk;
}

}  // namespace flightbook::cli
