#pragma once
// Owning handles for hiredis' C objects. The deleters are defined once, here.

#include <hiredis/hiredis.h>

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

}  // namespace flightbook::redis
