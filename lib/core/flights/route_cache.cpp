#include "flightbook/flights/route_cache.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "flightbook/search/candidates_codec.hpp"

namespace flightbook::flights {
namespace {

// Tier-2 values start with one of these bytes.
constexpr char kListTag = 'L';
// "This list is cheap to compute: do it yourself" — written instead of a
// cheap list, so that other instances neither wait for a lock nor fetch
// bytes that cost more than the search.
constexpr char kCheapTag = 'C';
constexpr std::size_t kHeaderBytes = 1 + 4 + 8 + 8;

// How often a waiter looks for the lock holder's list.
constexpr std::chrono::milliseconds kLockPoll{2};

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(std::string_view in, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    }
    return v;
}

std::size_t approx_bytes(const std::string& key, const RouteList& list) {
    std::size_t bytes = sizeof(RouteList) + key.size() + 64;  // + list and map nodes
    for (const auto& it : list.routes.paths) {
        bytes += sizeof(search::Itinerary) + it.flights.size() * sizeof(FlightId);
    }
    return bytes;
}

}  // namespace

Status validate(const RouteCacheOptions& o) {
    if (o.ttl.count() <= 0) return fail(ErrorCode::kInvalidArgument, "cache ttl must be positive");
    if (o.lock_ttl.count() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "cache lock ttl must be positive");
    }
    if (o.lock_wait.count() < 0 || o.shared_min_compute.count() < 0) {
        return fail(ErrorCode::kInvalidArgument, "cache lock wait and threshold must be >= 0");
    }
    if (!(o.early_refresh_beta >= 0.0)) {
        return fail(ErrorCode::kInvalidArgument, "cache early refresh beta must be >= 0");
    }
    return ok();
}

std::string encode_route_list(const RouteList& list) {
    std::string out;
    out.push_back(kListTag);
    const auto depth = static_cast<std::uint32_t>(list.depth);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((depth >> (8 * i)) & 0xff));
    put_u64(out, static_cast<std::uint64_t>(list.computed_at_ms));
    put_u64(out, static_cast<std::uint64_t>(list.compute_time.count()));
    out += search::encode_candidates(list.routes);
    return out;
}

Result<RouteList> decode_route_list(std::string_view bytes) {
    if (bytes.size() < kHeaderBytes || bytes[0] != kListTag) {
        return fail(ErrorCode::kInvalidArgument, "not a route list");
    }
    RouteList list;
    std::uint32_t depth = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        depth |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[1 + i])) << (8 * i);
    }
    if (depth < 1 || depth > static_cast<std::uint32_t>(search::kMaxPageEnd)) {
        return fail(ErrorCode::kInvalidArgument, "route list depth out of range");
    }
    list.depth = static_cast<int>(depth);
    list.computed_at_ms = static_cast<std::int64_t>(get_u64(bytes, 5));
    const auto micros = static_cast<std::int64_t>(get_u64(bytes, 13));
    if (micros < 0) return fail(ErrorCode::kInvalidArgument, "route list compute time < 0");
    list.compute_time = std::chrono::microseconds(micros);
    FLIGHTBOOK_TRY(routes, search::decode_candidates(bytes.substr(kHeaderBytes)));
    if (routes.paths.size() > depth) {
        return fail(ErrorCode::kInvalidArgument, "route list longer than its depth");
    }
    list.routes = std::move(routes);
    return list;
}

RouteCache::RouteCache(const Clock& clock, RouteCacheOptions options, SearchCache* shared,
                       metrics::Registry* registry)
    : clock_(clock),
      options_(options),
      shared_(shared),
      local_(clock, LruCacheOptions{options.max_bytes, options.early_refresh_beta, {}}) {
    if (auto valid = validate(options_); !valid) {
        throw std::invalid_argument("RouteCacheOptions: " + valid.error().message);
    }
    if (registry) {
        lookups_ =
            &registry->counter("flightbook_search_cache_lookups_total",
                               "Search cache lookups by tier and result", {"tier", "result"});
        recomputes_ = &registry->counter(
            "flightbook_search_cache_recomputes_total",
            "Cached route lists computed again before their expiry, by reason", {"reason"});
        shared_waits_ = &registry
                             ->counter("flightbook_search_cache_singleflight_shared_total",
                                       "Searches that waited for the same search in this process")
                             .with({});
        lock_waits_ = &registry->counter(
            "flightbook_search_cache_lock_waits_total",
            "Waits for another instance's computation (shared tier lock), by outcome", {"outcome"});
    }
}

void RouteCache::count(std::string_view tier, std::string_view result) {
    if (lookups_) lookups_->with({tier, result}).inc();
}

void RouteCache::recompute(std::string_view reason) {
    if (recomputes_) recomputes_->with({reason}).inc();
}

std::int64_t RouteCache::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               clock_.precise_now().time_since_epoch())
        .count();
}

std::string RouteCache::local_key(const Key& key) {
    return std::to_string(key.generation) + '|' + key.shared;
}

std::int64_t RouteCache::restocked_at_ms(const SeatMirror& mirror, std::int32_t seats) {
    const auto level = static_cast<std::size_t>(std::clamp<std::int32_t>(seats, 1, kLevels - 1));
    const std::uint64_t now = mirror.restocks(seats);
    if (seen_restocks_[level].exchange(now, std::memory_order_acq_rel) != now) {
        // First seen now: the restock happened at or before this moment,
        // so refusing shared lists older than now is on the safe side.
        restocked_ms_[level].store(now_ms(), std::memory_order_release);
    }
    return restocked_ms_[level].load(std::memory_order_acquire);
}

Result<std::shared_ptr<const RouteList>> RouteCache::compute_list(int depth,
                                                                  const SeatMirror& mirror,
                                                                  std::int32_t seats,
                                                                  const Compute& compute) const {
    auto list = std::make_shared<RouteList>();
    list->depth = depth;
    list->restocks = mirror.restocks(seats);
    list->computed_at_ms = now_ms();
    const auto start = clock_.steady_now();
    auto routes = compute(depth);
    if (!routes) return fail(std::move(routes).error());
    list->compute_time =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.steady_now() - start);
    list->routes = std::move(*routes);
    return std::shared_ptr<const RouteList>(std::move(list));
}

void RouteCache::remember(const std::string& local, const Lists& list) {
    // A list fetched from tier 2 lives only as long as its original.
    const auto age =
        std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms() - list->computed_at_ms));
    const auto ttl = options_.ttl - std::min(age, options_.ttl);
    (void)local_.put(local, list, approx_bytes(local, *list), ttl, list->compute_time);
}

void RouteCache::store(const Key& key, std::shared_ptr<const RouteList> list) {
    if (!enabled() || !list) return;
    remember(local_key(key), list);
    publish(key.shared, *list);
}

void RouteCache::clear() {
    local_.clear();
    for (std::size_t i = 0; i < kLevels; ++i) {
        seen_restocks_[i].store(0, std::memory_order_relaxed);
        restocked_ms_[i].store(0, std::memory_order_relaxed);
    }
}

std::optional<RouteCache::Lists> RouteCache::from_shared(const std::string& key, int depth,
                                                         const Stamp& stamp, bool* cheap) {
    auto got = shared_->get(key);
    if (!got) {
        count("shared", "error");
        return std::nullopt;
    }
    if (!*got) {
        count("shared", "miss");
        return std::nullopt;
    }
    const std::string& bytes = **got;
    if (bytes.size() == 1 && bytes[0] == kCheapTag) {
        count("shared", "cheap");
        *cheap = true;
        return std::nullopt;
    }
    auto list = decode_route_list(bytes);
    if (!list) {
        count("shared", "error");
        return std::nullopt;
    }
    if (!list->covers(depth) || list->computed_at_ms < stamp.restocked_ms) {
        count("shared", "stale");
        return std::nullopt;
    }
    // From now on this process's own restocks decide when it is stale.
    list->restocks = stamp.restocks;
    count("shared", "hit");
    return std::make_shared<const RouteList>(std::move(*list));
}

std::optional<RouteCache::Lists> RouteCache::wait_for_holder(const std::string& key, int depth,
                                                             const Stamp& stamp, bool* cheap) {
    const auto polls = std::max<std::int64_t>(1, options_.lock_wait / kLockPoll);
    for (std::int64_t i = 0; i < polls; ++i) {
        std::this_thread::sleep_for(kLockPoll);
        if (auto list = from_shared(key, depth, stamp, cheap)) return list;
        if (*cheap) return std::nullopt;
    }
    return std::nullopt;
}

void RouteCache::publish(const std::string& key, const RouteList& list) {
    if (!shared_) return;
    const bool worth_sharing = list.compute_time >= options_.shared_min_compute;
    const std::string value = worth_sharing ? encode_route_list(list) : std::string(1, kCheapTag);
    if (!shared_->put(key, value, options_.ttl)) count("shared", "error");
}

Result<RouteCache::Found> RouteCache::lead(const Key& key, int depth, const SeatMirror& mirror,
                                           std::int32_t seats, const Compute& compute) {
    const auto computed = [&]() -> Result<Found> {
        FLIGHTBOOK_TRY(list, compute_list(depth, mirror, seats, compute));
        return Found{std::move(list), RouteSource::kComputed};
    };
    if (!shared_) return computed();
    const Stamp stamp{mirror.restocks(seats), restocked_at_ms(mirror, seats)};
    bool cheap = false;
    if (auto list = from_shared(key.shared, depth, stamp, &cheap)) {
        return Found{std::move(*list), RouteSource::kShared};
    }
    std::optional<std::string> token;
    if (!cheap) {
        // A cold key that may be expensive: one instance computes it.
        auto locked = shared_->try_lock(key.shared, options_.lock_ttl);
        if (!locked) {
            count("shared", "error");
        } else if (*locked) {
            token = std::move(*locked);
        } else if (auto list = wait_for_holder(key.shared, depth, stamp, &cheap)) {
            if (lock_waits_) lock_waits_->with({"shared"}).inc();
            return Found{std::move(*list), RouteSource::kShared};
        } else if (lock_waits_) {
            lock_waits_->with({"computed"}).inc();
        }
    }
    auto found = computed();
    if (found) publish(key.shared, *found->list);
    if (token && !shared_->unlock(key.shared, *token)) count("shared", "error");
    return found;
}

Result<RouteCache::Found> RouteCache::find(const Key& key, int page_end, int depth,
                                           const SeatMirror& mirror, std::int32_t seats,
                                           const Compute& compute) {
    if (!enabled()) {
        FLIGHTBOOK_TRY(list, compute_list(depth, mirror, seats, compute));
        return Found{std::move(list), RouteSource::kComputed};
    }
    const std::string local = local_key(key);
    if (auto hit = local_.get(local)) {
        const RouteList& list = *hit->value;
        if (list.restocks != mirror.restocks(seats)) {
            recompute("restock");
        } else if (!list.covers(page_end)) {
            recompute("deeper");
        } else if (hit->refresh) {
            recompute("early_refresh");
        } else {
            count("local", "hit");
            return Found{hit->value, RouteSource::kLocal};
        }
    } else {
        count("local", "miss");
    }
    auto led = flight_.run(local, [&]() -> Result<Found> {
        FLIGHTBOOK_TRY(found, lead(key, depth, mirror, seats, compute));
        remember(local, found.list);
        return found;
    });
    if (led.shared && shared_waits_) shared_waits_->inc();
    if (!led.value) return fail(std::move(led.value).error());
    Found found = std::move(*led.value);
    // A waiter that joined a shallower computation than it needs, or one
    // made before a restock it has seen, computes its own.
    if (!found.list->covers(page_end) || found.list->restocks != mirror.restocks(seats)) {
        FLIGHTBOOK_TRY(own, compute_list(depth, mirror, seats, compute));
        remember(local, own);
        return Found{std::move(own), RouteSource::kComputed};
    }
    return found;
}

}  // namespace flightbook::flights
