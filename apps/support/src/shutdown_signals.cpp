#include "flightbook/app/shutdown_signals.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>
#include <string>

namespace flightbook::app {
namespace {

sigset_t shutdown_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

}  // namespace

ShutdownSignals::ShutdownSignals() {
    const auto set = shutdown_set();
    pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
    // A peer closing a socket must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
}

ShutdownSignals::~ShutdownSignals() { pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr); }

int ShutdownSignals::wait() {
    const auto set = shutdown_set();
    // Poll in short slices so that request_stop() is noticed promptly.
    const timespec slice{0, 100'000'000};
    while (!stop_requested_.load()) {
        const int sig = sigtimedwait(&set, nullptr, &slice);
        if (sig == SIGTERM || sig == SIGINT) return sig;
        // EAGAIN: timeout; EINTR: another signal; both mean "keep waiting".
    }
    return 0;
}

int serve_until_signal(http::Server& server, ShutdownSignals& signals, const http::Logger& logger,
                       const std::function<void(int port)>& on_started) {
    auto port = server.start();
    if (!port) {
        logger.error("start_failed", port.error().message);
        return 1;
    }
    if (on_started) on_started(*port);
    const int sig = signals.wait();
    logger.info("shutdown", sig == SIGTERM  ? "SIGTERM received, draining"
                            : sig == SIGINT ? "SIGINT received, draining"
                                            : "stop requested, draining");
    server.stop();
    return 0;
}

}  // namespace flightbook::app
