-- Creates a counter from PostgreSQL's numbers, only if it does not exist:
-- a concurrent load or a counter already in use is never overwritten.
-- KEYS[1] counter; ARGV[1] available seats; ARGV[2] total seats
-- Returns 1 when created, 0 when it already existed.
if redis.call('EXISTS', KEYS[1]) == 1 then
    return 0
end
redis.call('HSET', KEYS[1], 'available', ARGV[1], 'total', ARGV[2], 'v', 0)
return 1
