#pragma once
// Owning handles for hiredis' C objects, and the conversion of our
// millisecond timeouts to hiredis' timeval. Defined once, here.

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>

namespace flightbook::redis {

struct RedisContextDeleter {
    void operator()(redisContext* context) const noexcept { redisFree(context); }
};
struct RedisReplyDeleter {
    void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};

using RedisContextPtr = std::unique_ptr<redisContext, RedisContextDeleter>;
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyDeleter>;

inline timeval to_timeval(std::int64_t ms) {
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms % 1000) * 1000);
    return tv;
}

}  // namespace flightbook::redis
