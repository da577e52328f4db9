-- Reads many counters in one round trip, for reconciliation.
-- KEYS[1..n] per-flight counters
-- Returns n triples {available, total, v}; a missing counter gives
-- {false, false, false} (nil in the reply), a counter written before
-- versions existed gives v = false.
local out = {}
for i = 1, #KEYS do
    local v = redis.call('HMGET', KEYS[i], 'available', 'total', 'v')
    out[#out + 1] = v[1]
    out[#out + 1] = v[2]
    out[#out + 1] = v[3]
end
return out
