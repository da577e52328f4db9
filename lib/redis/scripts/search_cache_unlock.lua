-- Releases a search-cache computation lock only if the caller still owns it.
-- KEYS[1] the lock key; ARGV[1] the owner's token.
-- Returns 1 when the lock was deleted, 0 when it is missing or held by another token.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
