#include "flightbook/redis/client.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "handles.hpp"
#include "reply_error.hpp"

namespace flightbook::redis {

namespace {

// Copies a hiredis reply into a Reply; an error reply (at any depth) becomes an Error.
Result<Reply> convert(const redisReply& r) {
    Reply out;
    switch (r.type) {
        case REDIS_REPLY_ERROR: {
            std::string text(r.str, r.len);
            return fail(error_code_for_reply(text), "redis: " + text);
        }
        case REDIS_REPLY_NIL: out.type = Reply::Type::kNil; break;
        case REDIS_REPLY_INTEGER:
            out.type = Reply::Type::kInteger;
            out.integer = r.integer;
            break;
        case REDIS_REPLY_STATUS:
            out.type = Reply::Type::kStatus;
            out.str.assign(r.str, r.len);
            break;
        case REDIS_REPLY_STRING:
            out.type = Reply::Type::kString;
            out.str.assign(r.str, r.len);
            break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::kArray;
            out.elements.reserve(r.elements);
            for (std::size_t i = 0; i < r.elements; ++i) {
                auto element = convert(*r.element[i]);
                if (!element) return element;
                out.elements.push_back(std::move(element).value());
            }
            break;
        default: return fail(ErrorCode::kInternal, "redis: unexpected reply type");
    }
    return out;
}

}  // namespace

struct Client::Impl {
    ClientOptions options;
    mutable std::mutex mutex;
    std::condition_variable available;
    std::vector<RedisContextPtr> idle;
    std::size_t open = 0;
    ClientStats stats;
    std::map<std::string, std::string> sha_by_source;  // loaded scripts

    Result<RedisContextPtr> connect() {
        const timeval connect_tv = to_timeval(options.connect_timeout_ms);
        RedisContextPtr ctx(
            redisConnectWithTimeout(options.host.c_str(), options.port, connect_tv));
        if (!ctx) return fail(ErrorCode::kResourceExhausted, "redis: cannot allocate context");
        if (ctx->err != 0) {
            return fail(error_code_for_context_error(ctx->err),
                        fmt::format("redis: cannot connect to {}:{}: {}", options.host,
                                    options.port, ctx->errstr));
        }
        const timeval command_tv = to_timeval(options.command_timeout_ms);
        if (redisSetTimeout(ctx.get(), command_tv) != REDIS_OK) {
            return fail(ErrorCode::kUnavailable, "redis: cannot set the command timeout");
        }
        return ctx;
    }

    Result<RedisContextPtr> acquire() {
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::milliseconds(options.acquire_timeout_ms);
        std::unique_lock lock(mutex);
        for (;;) {
            if (!idle.empty()) {
                RedisContextPtr ctx = std::move(idle.back());
                idle.pop_back();
                return ctx;
            }
            if (open < options.pool_size) {
                ++open;
                lock.unlock();
                auto ctx = connect();
                lock.lock();
                if (!ctx) {
                    --open;
                    available.notify_one();
                    return ctx;
                }
                ++stats.connections_created;
                return ctx;
            }
            if (available.wait_until(lock, deadline) == std::cv_status::timeout && idle.empty() &&
                open >= options.pool_size) {
                return fail(ErrorCode::kResourceExhausted,
                            fmt::format("redis: no free connection within {} ms",
                                        options.acquire_timeout_ms));
            }
        }
    }

    void give_back(RedisContextPtr ctx) {
        // A context that saw an I/O error or timeout is out of sync with the
        // server (a late reply may still arrive): never reuse it.
        const bool reusable = ctx && ctx->err == 0;
        if (!reusable) ctx.reset();
        std::lock_guard lock(mutex);
        if (reusable) {
            idle.push_back(std::move(ctx));
        } else {
            --open;
            ++stats.connections_dropped;
        }
        available.notify_one();
    }

    Result<Reply> run(const std::vector<std::string_view>& argv) {
        auto ctx = acquire();
        if (!ctx) return fail(std::move(ctx).error());
        std::vector<const char*> args;
        std::vector<std::size_t> lengths;
        args.reserve(argv.size());
        lengths.reserve(argv.size());
        for (std::string_view a : argv) {
            args.push_back(a.data());
            lengths.push_back(a.size());
        }
        RedisContextPtr context = std::move(ctx).value();
        RedisReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(
            context.get(), static_cast<int>(args.size()), args.data(), lengths.data())));
        if (!reply) {
            Error error{error_code_for_context_error(context->err),
                        fmt::format("redis: {}", context->errstr)};
            if (context->err == 0) context->err = REDIS_ERR_OTHER;  // never reuse it
            give_back(std::move(context));
            return fail(std::move(error));
        }
        give_back(std::move(context));
        return convert(*reply);
    }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
}

Client::~Client() = default;

Result<std::shared_ptr<Client>> Client::create(ClientOptions options) {
    if (options.pool_size == 0)
        return fail(ErrorCode::kInvalidArgument, "redis: pool_size must be >= 1");
    if (options.port <= 0 || options.port > 65535) {
        return fail(ErrorCode::kInvalidArgument, "redis: port out of range");
    }
    return std::shared_ptr<Client>(new Client(std::move(options)));
}

Result<Reply> Client::command(std::initializer_list<std::string_view> argv) {
    return impl_->run(std::vector<std::string_view>(argv));
}

Result<Reply> Client::command(const std::vector<std::string>& argv) {
    return impl_->run(std::vector<std::string_view>(argv.begin(), argv.end()));
}

Result<Reply> Client::eval(const Script& script, const std::vector<std::string>& keys,
                           const std::vector<std::string>& args) {
    auto load = [&]() -> Result<std::string> {
        auto reply = command({"SCRIPT", "LOAD", script.source});
        if (!reply) return fail(std::move(reply).error());
        std::lock_guard lock(impl_->mutex);
        ++impl_->stats.script_loads;
        impl_->sha_by_source[script.source] = reply->str;
        return reply->str;
    };
    std::string sha;
    {
        std::lock_guard lock(impl_->mutex);
        auto it = impl_->sha_by_source.find(script.source);
        if (it != impl_->sha_by_source.end()) sha = it->second;
    }
    if (sha.empty()) {
        auto loaded = load();
        if (!loaded) return fail(std::move(loaded).error());
        sha = std::move(loaded).value();
    }
    const std::string key_count = std::to_string(keys.size());
    std::vector<std::string_view> argv{"EVALSHA", sha, key_count};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    auto reply = impl_->run(argv);
    if (reply || reply.error().message.find("NOSCRIPT") == std::string::npos) {
        if (!reply) {
            return fail(reply.error().code,
                        fmt::format("{} (script {})", reply.error().message, script.name));
        }
        return reply;
    }
    // The server lost its script cache (SCRIPT FLUSH, restart): load again, once.
    auto reloaded = load();
    if (!reloaded) return fail(std::move(reloaded).error());
    argv[1] = *reloaded;
    return impl_->run(argv);
}

ClientStats Client::stats() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->stats;
}

const ClientOptions& Client::options() const noexcept { return impl_->options; }

}  // namespace flightbook::redis
