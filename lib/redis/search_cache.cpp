#include "flightbook/redis/search_cache.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <random>

#include "embedded_scripts.hpp"

namespace flightbook::redis {

namespace {

// scripts/search_cache_unlock.lua: compare-and-delete of a lock key.
const Script& unlock_script() {
    static const Script script{"search_cache_unlock",
                               std::string(embedded_script("search_cache_unlock"))};
    return script;
}

// A cache has one failure mode for its callers: "no cache right now".
Error unavailable(std::string_view op, const Error& cause) {
    return Error{ErrorCode::kUnavailable, fmt::format("search cache: {}: {} ({})", op,
                                                      cause.message, to_string(cause.code))};
}

Error unexpected_reply(std::string_view op) {
    return Error{ErrorCode::kUnavailable, fmt::format("search cache: {}: unexpected reply", op)};
}

Status check_ttl(std::chrono::milliseconds ttl) {
    if (ttl.count() > 0) return ok();
    return fail(ErrorCode::kInvalidArgument, "search cache: the ttl must be positive");
}

// 128 random bits as 32 hex digits, from a per-thread generator seeded with
// 256 bits from the system's entropy source.
std::string random_token() {
    thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        std::array<std::uint32_t, 8> seed{};
        for (auto& word : seed) word = device();
        std::seed_seq seq(seed.begin(), seed.end());
        return std::mt19937_64(seq);
    }();
    const std::uint64_t high = engine();
    const std::uint64_t low = engine();
    return fmt::format("{:016x}{:016x}", high, low);
}

}  // namespace

RedisSearchCache::RedisSearchCache(std::shared_ptr<Client> client, SearchCacheOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

std::string RedisSearchCache::value_key(std::string_view key) const {
    std::string k;
    k.reserve(options_.key_prefix.size() + key.size());
    k.append(options_.key_prefix).append(key);
    return k;
}

std::string RedisSearchCache::lock_key(std::string_view key) const {
    std::string k;
    k.reserve(options_.key_prefix.size() + 5 + key.size());
    k.append(options_.key_prefix).append("lock:").append(key);
    return k;
}

Result<std::optional<std::string>> RedisSearchCache::get(std::string_view key) {
    auto reply = client_->command({"GET", value_key(key)});
    if (!reply) return unavailable("GET", reply.error());
    if (reply->is_nil()) return std::optional<std::string>{};
    if (reply->type != Reply::Type::kString) return unexpected_reply("GET");
    return std::optional<std::string>{std::move(reply->str)};
}

Status RedisSearchCache::put(std::string_view key, std::string_view value,
                             std::chrono::milliseconds ttl) {
    FLIGHTBOOK_TRY_STATUS(check_ttl(ttl));
    const std::string px = std::to_string(ttl.count());
    auto reply = client_->command({"SET", value_key(key), value, "PX", px});
    if (!reply) return unavailable("SET", reply.error());
    return ok();
}

Result<std::optional<std::string>> RedisSearchCache::try_lock(std::string_view key,
                                                              std::chrono::milliseconds ttl) {
    FLIGHTBOOK_TRY_STATUS(check_ttl(ttl));
    std::string token = random_token();
    const std::string px = std::to_string(ttl.count());
    auto reply = client_->command({"SET", lock_key(key), token, "NX", "PX", px});
    if (!reply) return unavailable("SET NX", reply.error());
    if (reply->is_nil()) return std::optional<std::string>{};  // held by another
    if (reply->type != Reply::Type::kStatus) return unexpected_reply("SET NX");
    return std::optional<std::string>{std::move(token)};
}

Result<bool> RedisSearchCache::unlock(std::string_view key, std::string_view token) {
    auto reply = client_->eval(unlock_script(), {lock_key(key)}, {std::string(token)});
    if (!reply) return unavailable("unlock", reply.error());
    const auto deleted = reply->as_integer();
    if (!deleted) return unexpected_reply("unlock");
    return *deleted == 1;
}

}  // namespace flightbook::redis
