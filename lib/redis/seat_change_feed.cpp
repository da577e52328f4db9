#include "flightbook/redis/seat_change_feed.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <vector>

#include "handles.hpp"

namespace flightbook::redis {
namespace {

using TimePoint = std::chrono::steady_clock::time_point;
using std::chrono::milliseconds;

constexpr milliseconds kStopCheck{50};

// Writes what hiredis has buffered; the socket has a write timeout, and a
// command is a few dozen bytes, so a handful of rounds always suffices.
bool flush(redisContext* ctx) {
    int done = 0;
    for (int round = 0; round < 16 && done == 0; ++round) {
        if (redisBufferWrite(ctx, &done) != REDIS_OK) return false;
    }
    return done != 0;
}

std::string_view text_of(const redisReply* r) {
    if (r == nullptr || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) {
        return {};
    }
    return {r->str, r->len};
}

}  // namespace

RedisSeatChangePublisher::RedisSeatChangePublisher(std::shared_ptr<Client> client,
                                                   std::string origin, std::string channel,
                                                   metrics::Registry* registry)
    : client_(std::move(client)), origin_(std::move(origin)), channel_(std::move(channel)) {
    if (registry != nullptr) {
        m_errors_ = &registry
                         ->counter("flightbook_seat_feed_publish_errors_total",
                                   "Seat changes that could not be published (other instances "
                                   "then read those counts from the seat store)",
                                   {})
                         .with({});
    }
}

void RedisSeatChangePublisher::publish(std::span<const SeatCountChange> changes) {
    if (changes.empty()) return;
    const std::string message = encode_seat_changes(origin_, changes);
    if (!client_->command({"PUBLISH", channel_, message})) {
        errors_.fetch_add(1);
        if (m_errors_ != nullptr) m_errors_->inc();
    }
}

SeatChangeSubscriber::SeatChangeSubscriber(SeatChangeSubscriberOptions options,
                                           SeatChangeListener& listener, const Clock& clock)
    : options_(std::move(options)), listener_(listener), clock_(clock) {}

SeatChangeSubscriber::~SeatChangeSubscriber() { stop(); }

void SeatChangeSubscriber::start() {
    if (thread_.joinable()) return;
    stop_.store(false);
    thread_ = std::thread([this] { run(); });
}

void SeatChangeSubscriber::stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

void SeatChangeSubscriber::sleep_for(milliseconds d) const {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop_.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min(kStopCheck, d));
    }
}

void SeatChangeSubscriber::run() {
    while (!stop_.load()) {
        serve_session();
        if (!stop_.load()) sleep_for(milliseconds(options_.reconnect_delay_ms));
    }
}

void SeatChangeSubscriber::serve_session() {
    RedisContextPtr ctx(redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                to_timeval(options_.connect_timeout_ms)));
    if (!ctx || ctx->err != 0) return;
    // Reads happen only once poll() says there is input; the timeout bounds
    // the writes.
    redisSetTimeout(ctx.get(), to_timeval(options_.heartbeat_timeout_ms));
    redisAppendCommand(ctx.get(), "SUBSCRIBE %b", options_.channel.data(), options_.channel.size());
    if (!flush(ctx.get())) return;

    const milliseconds interval(std::max<std::int64_t>(1, options_.heartbeat_interval_ms));
    const milliseconds timeout(std::max<std::int64_t>(1, options_.heartbeat_timeout_ms));
    bool live = false;
    bool ping_out = false;
    TimePoint ping_sent{};
    TimePoint next_ping{};
    const TimePoint subscribe_deadline = clock_.steady_now() + timeout;
    std::string origin;
    std::vector<SeatCountChange> changes;

    // Ends the session; the listener hears of it only if it had started.
    const auto lose = [&] {
        if (live) listener_.feed_lost();
    };
    while (!stop_.load()) {
        // Every complete reply already read, in order.
        while (true) {
            void* raw = nullptr;
            if (redisGetReplyFromReader(ctx.get(), &raw) != REDIS_OK) return lose();
            if (raw == nullptr) break;
            const RedisReplyPtr reply(static_cast<redisReply*>(raw));
            if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2) return lose();
            const std::string_view kind = text_of(reply->element[0]);
            if (kind == "subscribe") {
                live = true;
                sessions_.fetch_add(1);
                const auto now = clock_.steady_now();
                listener_.feed_started(now);
                next_ping = now;
            } else if (kind == "message" && reply->elements == 3) {
                // Only this code publishes on the channel; anything else on
                // it is ignored rather than trusted.
                if (decode_seat_changes(text_of(reply->element[2]), origin, changes) &&
                    origin != options_.origin) {
                    listener_.seat_changes(changes, clock_.steady_now());
                }
            } else if (kind == "pong") {
                if (!ping_out) return lose();
                ping_out = false;
                listener_.feed_heartbeat(ping_sent);
                next_ping = ping_sent + interval;
            }
        }
        const TimePoint now = clock_.steady_now();
        if (!live && now > subscribe_deadline) return;
        if (ping_out && now - ping_sent > timeout) return lose();
        if (live && !ping_out && now >= next_ping) {
            // The time before sending: every message published before Redis
            // runs this PING is delivered before its answer.
            ping_sent = now;
            redisAppendCommand(ctx.get(), "PING");
            if (!flush(ctx.get())) return lose();
            ping_out = true;
        }
        auto wait = kStopCheck;
        if (live && !ping_out) {
            wait = std::min(wait, std::chrono::duration_cast<milliseconds>(next_ping - now));
        }
        pollfd pfd{ctx->fd, POLLIN, 0};
        const int ready =
            ::poll(&pfd, 1, static_cast<int>(std::max<std::int64_t>(0, wait.count())));
        if (ready < 0 && errno != EINTR) return lose();
        if (ready > 0 && redisBufferRead(ctx.get()) != REDIS_OK) return lose();
    }
    lose();
}

}  // namespace flightbook::redis
