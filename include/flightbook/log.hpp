#pragma once
/// \file
/// Structured logging: one JSON object per line. The core's logging port:
/// background tasks (hold sweeper, counter reconciler, booking reconciler)
/// report through it, the HTTP server writes its access log with it, and the
/// services their start-up and error events. Never pass request bodies,
/// tokens or card numbers to it.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "flightbook/clock.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook {

/// Severity of a log line.
enum class LogLevel { kDebug, kInfo, kWarn, kError };

/// "debug", "info", "warn", "error".
[[nodiscard]] std::string_view to_string(LogLevel level) noexcept;

/// Destination of complete log lines (without the trailing newline).
/// Implementations must be thread-safe and must not interleave lines.
class LogSink {
public:
    virtual ~LogSink() = default;
    virtual void write(std::string_view line) = 0;
};

/// A sink writing each line to stderr with one locked write. Thread-safe.
[[nodiscard]] std::shared_ptr<LogSink> stderr_log_sink();

/// Formats events as JSON lines:
/// `{"ts":"…Z","level":"info","service":"flight-service","event":"…","message":"…",…}`.
/// Thread-safe when the sink is.
class Logger {
public:
    /// Extra fields written after the common ones; call `w.key(..).value(..)`.
    using Fields = std::function<void(json::Writer& w)>;

    /// `sink` null → stderr; `clock` null → the system clock (timestamps only).
    Logger(std::string service, std::shared_ptr<LogSink> sink, const Clock* clock = nullptr);

    /// Writes one line with the clock's current UTC time.
    void log(LogLevel level, std::string_view event, std::string_view message,
             const Fields& fields = {}) const;
    void info(std::string_view event, std::string_view message, const Fields& fields = {}) const {
        log(LogLevel::kInfo, event, message, fields);
    }
    void warn(std::string_view event, std::string_view message, const Fields& fields = {}) const {
        log(LogLevel::kWarn, event, message, fields);
    }
    void error(std::string_view event, std::string_view message, const Fields& fields = {}) const {
        log(LogLevel::kError, event, message, fields);
    }

    [[nodiscard]] const std::string& service() const noexcept { return service_; }
    [[nodiscard]] LogSink& sink() const noexcept { return *sink_; }

private:
    std::string service_;
    std::shared_ptr<LogSink> sink_;
    const Clock* clock_;
};

}  // namespace flightbook
