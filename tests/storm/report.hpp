#pragma once
// The figures of a run: requests, answers and latency percentiles per
// operation, throughput, how much was sold, and the violations.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checker.hpp"
#include "history.hpp"
#include "state.hpp"

namespace flightbook::storm {

/// Latency and answers of one operation.
struct OpStats {
    std::int64_t count = 0;
    std::int64_t ok = 0;             ///< 2xx
    std::int64_t client_errors = 0;  ///< 4xx
    std::int64_t server_errors = 0;  ///< 5xx
    std::int64_t timeouts = 0;
    std::int64_t transport_errors = 0;
    double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

struct Summary {
    double wall_seconds = 0;             ///< workload duration
    std::map<std::string, OpStats> ops;  ///< by op_name
    OpStats all;
    std::int64_t confirmed_answers = 0;  ///< creates answered 200 confirmed (first sends)
    std::int64_t pending_answers = 0;    ///< 202
    std::int64_t sold_out_answers = 0;
    std::int64_t declined_answers = 0;                   ///< payment_declined
    std::map<std::string, std::int64_t> final_statuses;  ///< bookings by final status
    std::map<std::int64_t, std::int64_t> min_available;  ///< per flight, over PostgreSQL reads
    std::int64_t flights_sold_out = 0;  ///< flights whose PostgreSQL count reached 0
    std::int64_t monitor_reads = 0;
};

[[nodiscard]] Summary summarize(const std::vector<Call>& calls, double wall_seconds,
                                const std::vector<SeatSample>& samples, const FinalState& final);

/// A human-readable report (tables in plain text).
[[nodiscard]] std::string format_report(const Summary& summary,
                                        const std::vector<Violation>& violations);

}  // namespace flightbook::storm
