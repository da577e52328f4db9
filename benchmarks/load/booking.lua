-- wrk script: POST /api/bookings, one seat per booking, a new user per
-- request (no Idempotency-Key: every request is a new booking). The flight is
-- FLIGHT (one hot flight) or, when SPREAD is set, one of flights 1..SPREAD.
-- Counts confirmed (200), refused (400) and other answers.
local counter = 0
local thread_id = 0
local threads = {}
local hot = tonumber(os.getenv("FLIGHT") or "1")
local spread = tonumber(os.getenv("SPREAD") or "0")

function setup(thread)
    thread:set("id", thread_id)
    thread_id = thread_id + 1
    table.insert(threads, thread)
end

function init(args)
    confirmed = 0
    refused = 0
    other = 0
end

request = function()
    counter = counter + 1
    local flight = hot
    if spread > 0 then flight = (counter * 7919 + id * 104729) % spread + 1 end
    local user = id * 10000000 + counter
    local body = string.format(
        '{"user_id":%d,"flight_id":%d,"seats":1,"date":"2030-01-01","payment_type":"upi"}',
        user, flight)
    return wrk.format("POST", "/api/bookings", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
    if status == 200 then
        confirmed = confirmed + 1
    elseif status == 400 then
        refused = refused + 1
    else
        other = other + 1
    end
end

done = function(summary, latency, requests)
    local c, r, o = 0, 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("confirmed")
        r = r + t:get("refused")
        o = o + t:get("other")
    end
    local secs = summary.duration / 1e6
    io.write(string.format("confirmed=%d refused=%d other=%d bookings/s=%.0f p50=%.2fms p99=%.2fms\n",
                           c, r, o, c / secs, latency:percentile(50) / 1000,
                           latency:percentile(99) / 1000))
end
