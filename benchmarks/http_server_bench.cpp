// Round trips through flightbook::http::Server on loopback, to show what
// TCP_NODELAY and the keep-alive request count do to a JSON service.
// cpp-httplib's own defaults are Nagle on and 5 requests per connection:
// its response head and body leave in two writes, so with Nagle the body
// waits for the client's delayed ACK (~40 ms on Linux).
//
//   build/benchmarks/http_server_bench --benchmark_min_time=2
//
// Arguments: /<tcp_nodelay 0|1>/<keep_alive_max_count>; threads = clients.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "flightbook/http/client.hpp"
#include "flightbook/http/server.hpp"

namespace {

using flightbook::http::Client;
using flightbook::http::ClientOptions;
using flightbook::http::Request;
using flightbook::http::Response;
using flightbook::http::Server;
using flightbook::http::ServerOptions;

class NullSink final : public flightbook::http::LogSink {
public:
    void write(std::string_view) override {}
};

// One server per configuration, started on first use and kept for the run.
int server_port(bool tcp_nodelay, std::size_t keep_alive_max_count) {
    static std::mutex mutex;
    static std::map<std::pair<bool, std::size_t>, std::unique_ptr<Server>> servers;
    std::lock_guard lock(mutex);
    auto& slot = servers[{tcp_nodelay, keep_alive_max_count}];
    if (!slot) {
        ServerOptions options;
        options.service_name = "bench";
        options.port = 0;
        options.worker_threads = 16;
        options.tcp_nodelay = tcp_nodelay;
        options.keep_alive_max_count = keep_alive_max_count;
        options.access_log = false;
        slot = std::make_unique<Server>(options, nullptr, std::make_shared<NullSink>());
        (void)slot->get("/api/hello", [](const Request&) {
            return Response::json(200, R"({"hello":"world","seats":[1,2,3]})");
        });
        if (!slot->start()) return -1;
    }
    return slot->port();
}

void BM_RoundTrip(benchmark::State& state) {
    const bool nodelay = state.range(0) != 0;
    const auto keep_alive = static_cast<std::size_t>(state.range(1));
    const int port = server_port(nodelay, keep_alive);
    if (port <= 0) {
        state.SkipWithError("server did not start");
        return;
    }
    ClientOptions options;
    options.base_url = "http://127.0.0.1:" + std::to_string(port);
    auto client = Client::create(options);
    if (!client) {
        state.SkipWithError("client");
        return;
    }
    for (auto _ : state) {
        auto r = client->get("/api/hello");
        if (!r || r->status != 200) {
            state.SkipWithError("request failed");
            break;
        }
        benchmark::DoNotOptimize(r->body.data());
    }
    state.SetItemsProcessed(state.iterations());
}

// httplib defaults (Nagle on, 5 per connection), each setting alone, ours.
BENCHMARK(BM_RoundTrip)
    ->ArgNames({"nodelay", "keepalive"})
    ->Args({0, 5})
    ->Args({0, 10000})
    ->Args({1, 5})
    ->Args({1, 10000})
    ->Threads(1)
    ->Threads(8)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
