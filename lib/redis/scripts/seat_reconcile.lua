-- Rewrites one counter with PostgreSQL's numbers, only if it has not changed
-- since it was read (compare-and-set on the version `v`, so a hold and a
-- release in between, which leave `available` as it was, still count as a
-- change).
-- KEYS[1] counter; ARGV[1] version as read ('' when it had none);
-- ARGV[2] available seats; ARGV[3] total seats
-- Returns 1 rewritten, 0 changed since read (left alone), -1 missing (left
-- missing: only seat_load creates counters).
if redis.call('EXISTS', KEYS[1]) == 0 then
    return -1
end
local version = redis.call('HGET', KEYS[1], 'v')
if (version or '') ~= ARGV[1] then
    return 0
end
redis.call('HSET', KEYS[1], 'available', ARGV[2], 'total', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'v', 1)
return 1
