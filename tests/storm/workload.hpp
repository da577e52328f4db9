#pragma once
// The clients of a storm: threads that search and book until their orders
// run out or the time is up. Orders demand `demand_factor` times the seats
// the flights have, 1-3 seats each; some carry an Idempotency-Key and are
// replayed (before and after a cancel); some confirmed bookings are
// cancelled, alone or by two concurrent cancels. Every request goes to the
// history.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "history.hpp"
#include "options.hpp"

namespace flightbook::storm {

/// One booking the workload will try.
struct Order {
    std::size_t itinerary = 0;  ///< index into StormOptions::itineraries
    int seats = 1;
    std::int64_t user = 0;
    std::string idempotency_key;  ///< empty: sent without one
};

/// Orders demanding `demand_factor` × `available[flight]` seats on every
/// flight of the itineraries, shuffled with `options.seed`.
[[nodiscard]] std::vector<Order> plan_orders(const StormOptions& options,
                                             const std::map<std::int64_t, std::int64_t>& available,
                                             std::int64_t first_user, const std::string& run_tag);

/// A search route: the first leg's source and the last leg's destination.
struct Route {
    std::string source;
    std::string destination;
};

/// Runs the clients until the orders are used up or `options.seconds` have
/// passed; every request is recorded in `history`. Returns when all client
/// threads have ended (each request is bounded by the request timeout).
void run_workload(const StormOptions& options, const std::vector<Order>& orders,
                  const std::vector<Route>& routes, History& history);

}  // namespace flightbook::storm
