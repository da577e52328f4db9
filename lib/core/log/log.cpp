#include "flightbook/log.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <mutex>

#include "flightbook/time.hpp"

namespace flightbook {
namespace {

class StderrSink final : public LogSink {
public:
    void write(std::string_view line) override {
        std::string buffer;
        buffer.reserve(line.size() + 1);
        buffer.append(line);
        buffer.push_back('\n');
        std::lock_guard lock(mutex_);
        std::fwrite(buffer.data(), 1, buffer.size(), stderr);
        std::fflush(stderr);
    }

private:
    std::mutex mutex_;
};

std::string utc_timestamp_ms(const Clock& clock) {
    const auto now = clock.precise_now();
    const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
    auto text = format_rfc3339(UtcTime{seconds.time_since_epoch()});
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    return fmt::format("{}.{:03}Z", text, millis);
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::kDebug: return "debug";
        case LogLevel::kInfo: return "info";
        case LogLevel::kWarn: return "warn";
        case LogLevel::kError: return "error";
    }
    return "info";
}

std::shared_ptr<LogSink> stderr_log_sink() {
    static const auto sink = std::make_shared<StderrSink>();
    return sink;
}

Logger::Logger(std::string service, std::shared_ptr<LogSink> sink, const Clock* clock)
    : service_(std::move(service)),
      sink_(sink ? std::move(sink) : stderr_log_sink()),
      clock_(clock != nullptr ? clock : &SystemClock::instance()) {}

void Logger::log(LogLevel level, std::string_view event, std::string_view message,
                 const Fields& fields) const {
    json::Writer w;
    w.begin_object();
    w.key("ts").value(utc_timestamp_ms(*clock_));
    w.key("level").value(to_string(level));
    w.key("service").value(service_);
    w.key("event").value(event);
    if (!message.empty()) w.key("message").value(message);
    if (fields) fields(w);
    w.end_object();
    sink_->write(w.str());
}

}  // namespace flightbook
