-- wrk script: POST /api/flights/seats/decrement with a fresh reservation id
-- per request, one seat on a random reference flight; counts refusals.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
    thread:set("id", thread_id)
    thread_id = thread_id + 1
    table.insert(threads, thread)
end

function init(args)
    refused = 0
    sold = 0
end

request = function()
    counter = counter + 1
    local flight = (counter % 16) + 1
    local body = string.format(
        '{"flight_id":%d,"seats":1,"date":"2024-02-15","reservation_id":"wrk-%d-%d"}',
        flight, id, counter)
    return wrk.format("POST", "/api/flights/seats/decrement",
                      {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
    if status == 200 then sold = sold + 1 elseif status == 409 then refused = refused + 1 end
end

done = function(summary, latency, requests)
    local s, r = 0, 0
    for _, t in ipairs(threads) do
        s = s + t:get("sold")
        r = r + t:get("refused")
    end
    io.write(string.format("sold=%d refused(409)=%d p50=%.2fms p99=%.2fms\n", s, r,
                           latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
