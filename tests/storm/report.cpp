#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace flightbook::storm {

namespace {

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    // Nearest rank: the smallest value with at least p of the values at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

void finish(OpStats& s, std::vector<double>& latencies) {
    std::sort(latencies.begin(), latencies.end());
    s.p50_ms = percentile(latencies, 0.50);
    s.p90_ms = percentile(latencies, 0.90);
    s.p99_ms = percentile(latencies, 0.99);
    s.max_ms = latencies.empty() ? 0 : latencies.back();
}

void count(OpStats& s, const Call& c) {
    ++s.count;
    if (c.status >= 200 && c.status < 300) ++s.ok;
    if (c.status >= 400 && c.status < 500) ++s.client_errors;
    if (c.status >= 500) ++s.server_errors;
    if (c.timeout) ++s.timeouts;
    if (c.transport_error) ++s.transport_errors;
}

}  // namespace

Summary summarize(const std::vector<Call>& calls, double wall_seconds,
                  const std::vector<SeatSample>& samples, const FinalState& final) {
    Summary out;
    out.wall_seconds = wall_seconds;
    std::map<std::string, std::vector<double>> latencies;
    std::vector<double> all;
    for (const Call& c : calls) {
        const double ms = static_cast<double>(c.latency_ns()) / 1e6;
        count(out.ops[op_name(c.op)], c);
        count(out.all, c);
        latencies[op_name(c.op)].push_back(ms);
        all.push_back(ms);
        if (c.op != Op::kBook) continue;
        if (c.status == 200 && c.answer_status == "confirmed") ++out.confirmed_answers;
        if (c.status == 202) ++out.pending_answers;
        if (c.error_code == "sold_out") ++out.sold_out_answers;
        if (c.error_code == "payment_declined") ++out.declined_answers;
    }
    for (auto& [name, s] : out.ops) finish(s, latencies[name]);
    finish(out.all, all);
    for (const auto& [id, b] : final.bookings) ++out.final_statuses[b.status];
    for (const SeatSample& s : samples) {
        if (s.source != SeatSource::kPostgres) continue;
        auto [it, fresh] = out.min_available.emplace(s.flight, s.available);
        if (!fresh) it->second = std::min(it->second, s.available);
    }
    for (const auto& [flight, min] : out.min_available) {
        if (min == 0) ++out.flights_sold_out;
    }
    std::set<std::int64_t> read_times;
    for (const SeatSample& s : samples) read_times.insert(s.at_ns / 1000000);
    out.monitor_reads = static_cast<std::int64_t>(read_times.size());
    return out;
}

std::string format_report(const Summary& s, const std::vector<Violation>& violations) {
    std::string out;
    auto line = [&](const std::string& name, const OpStats& o) {
        out += fmt::format(
            "{:<20} {:>7} {:>8.1f} {:>6} {:>6} {:>5} {:>5} {:>5} {:>8.1f} {:>8.1f} "
            "{:>8.1f} {:>8.1f}\n",
            name, o.count, s.wall_seconds > 0 ? static_cast<double>(o.count) / s.wall_seconds : 0,
            o.ok, o.client_errors, o.server_errors, o.timeouts, o.transport_errors, o.p50_ms,
            o.p90_ms, o.p99_ms, o.max_ms);
    };
    out += fmt::format("storm: {:.1f} s of workload\n", s.wall_seconds);
    out += fmt::format("{:<20} {:>7} {:>8} {:>6} {:>6} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>8}\n",
                       "operation", "count", "per s", "2xx", "4xx", "5xx", "tmo", "err", "p50 ms",
                       "p90 ms", "p99 ms", "max ms");
    for (const auto& [name, o] : s.ops) line(name, o);
    line("all", s.all);
    out +=
        fmt::format("creates: {} confirmed (200), {} pending (202), {} sold out, {} declined\n",
                    s.confirmed_answers, s.pending_answers, s.sold_out_answers, s.declined_answers);
    std::string statuses;
    for (const auto& [status, n] : s.final_statuses) statuses += fmt::format(" {} {}", status, n);
    out += fmt::format("bookings at the end:{}\n", statuses.empty() ? " none" : statuses);
    out += fmt::format(
        "flights sold out (PostgreSQL available reached 0): {} of {}; monitor "
        "reads {}\n",
        s.flights_sold_out, s.min_available.size(), s.monitor_reads);
    out += fmt::format("violations: {}\n", violations.size());
    for (const Violation& v : violations) {
        out += fmt::format("  VIOLATION {}: {}\n", v.invariant, v.detail);
    }
    return out;
}

}  // namespace flightbook::storm
