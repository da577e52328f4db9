#pragma once
// The knobs of one storm run. Every count and duration is bounded; a profile
// ("short", "long") is a set of values for these fields.

#include <cstdint>
#include <string>
#include <vector>

#include "targets.hpp"

namespace flightbook::storm {

/// One itinerary the workload books: its legs in order (1-4 flights).
using Itinerary = std::vector<std::int64_t>;

struct StormOptions {
    Targets targets;
    /// Client threads sending requests; each has its own connections.
    int clients = 16;
    /// The workload stops sending new orders after this many seconds.
    int seconds = 20;
    /// The itineraries booked (flight ids of the reference schedule by
    /// default); every flight on them is sold out, searched and monitored.
    std::vector<Itinerary> itineraries;
    std::string date = "2024-02-15";
    /// Seats demanded per flight = factor × seats available at the start.
    double demand_factor = 3.0;
    double search_share = 0.25;        ///< of a client's steps, searches
    double key_share = 0.3;            ///< of orders, sent with an Idempotency-Key and replayed
    double cancel_share = 0.15;        ///< of confirmed bookings without a key, cancelled
    double keyed_cancel_share = 0.5;   ///< of confirmed keyed bookings, cancelled
    double double_cancel_share = 0.4;  ///< of cancels, sent twice at once
    std::uint64_t seed = 1;
    /// First user id of the run (0: derived from the clock so that runs
    /// against a long-lived system never share users); `users` ids follow.
    std::int64_t user_base = 0;
    int users = 64;
    int monitor_interval_ms = 200;
    /// After the workload, how long to wait for every booking to settle.
    int settle_seconds = 60;
    /// A client gives up on an answer after this long (counted as timeout).
    int request_timeout_ms = 15000;
    /// A hold still held this long past its expiry is a violation (the
    /// sweeper runs every second by default).
    int hold_expiry_slack_seconds = 5;
    /// Print progress lines to stderr.
    bool verbose = false;
};

/// The itineraries of the reference schedule (SPEC §2) that the default
/// profiles use: single legs and two- and three-leg connections.
[[nodiscard]] std::vector<Itinerary> reference_itineraries(const std::string& profile);

/// The flights on `itineraries`, sorted, once each.
[[nodiscard]] std::vector<std::int64_t> flights_of(const std::vector<Itinerary>& itineraries);

}  // namespace flightbook::storm
