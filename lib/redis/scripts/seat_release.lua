-- Gives seats back to the counters, clamped at each flight's capacity.
-- KEYS[1..n] per-flight counters: hash {available, total, v}
-- ARGV[1..n] seats per leg
-- A missing counter stays missing: counters are created only by seat_load
-- from PostgreSQL, never by an increment. Every update bumps the version `v`.
-- Returns the number of counters updated.
local updates = {}
for i = 1, #KEYS do
    local v = redis.call('HMGET', KEYS[i], 'available', 'total')
    if v[1] and v[2] then
        local next = math.min(tonumber(v[1]) + tonumber(ARGV[i]), tonumber(v[2]))
        updates[#updates + 1] = {KEYS[i], next}
    end
end
for _, u in ipairs(updates) do
    redis.call('HSET', u[1], 'available', u[2])
    redis.call('HINCRBY', u[1], 'v', 1)
end
return #updates
