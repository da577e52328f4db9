-- Seat hold fast path. Checks everything before the first write.
-- KEYS[1]      reservation marker (present once this reservation was counted)
-- KEYS[2..n+1] per-flight counters: hash {available, total, v}
-- ARGV[1]      marker time-to-live in milliseconds
-- ARGV[2..n+1] seats per leg, in the same order as the counters
-- Returns {status, leg}: 1 counted; 0 sold out at leg; -1 counter missing at
-- leg (load it from PostgreSQL, then retry); 2 reservation already counted.
-- Every change of `available` bumps the version `v`, which seat_reconcile
-- compares before it rewrites a counter.
if redis.call('EXISTS', KEYS[1]) == 1 then
    return {2, 0}
end
for i = 2, #KEYS do
    local available = redis.call('HGET', KEYS[i], 'available')
    if not available then
        return {-1, i - 1}
    end
    if tonumber(available) < tonumber(ARGV[i]) then
        return {0, i - 1}
    end
end
for i = 2, #KEYS do
    redis.call('HINCRBY', KEYS[i], 'available', -tonumber(ARGV[i]))
    redis.call('HINCRBY', KEYS[i], 'v', 1)
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return {1, 0}
