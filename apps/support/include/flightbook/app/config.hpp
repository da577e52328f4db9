#pragma once
/// \file
/// Service configuration with the precedence command-line flag > environment
/// variable > default. Each setting has a flag name (`port` → `--port 8080`
/// or `--port=8080`) and an environment variable (`PORT`). Unknown flags are
/// errors; typed getters validate values.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/result.hpp"

namespace flightbook::app {

/// Reads an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment (getenv).
[[nodiscard]] EnvLookup process_env();

/// Where a value came from.
enum class Source { kDefault, kEnv, kFlag };

/// One declared setting.
struct Setting {
    std::string flag;           ///< "port" for --port
    std::string env;            ///< "PORT"; empty when there is no variable
    std::string default_value;  ///< used when neither flag nor variable is set
    std::string help;
    bool secret = false;  ///< masked in `describe()` (passwords, tokens)
};

/// Declared settings and their resolved values. Not thread-safe while
/// loading; read-only use afterwards is thread-safe.
class Config {
public:
    /// Declares a setting. Declaring a flag twice replaces the first.
    Config& define(Setting setting);

    /// Resolves every setting from `args` (argv without the program name) and
    /// `env`. Errors (kInvalidArgument): unknown flag, flag without value,
    /// positional argument. `--help` sets `help_requested()`.
    [[nodiscard]] Status load(const std::vector<std::string>& args,
                              const EnvLookup& env = process_env());
    /// Same with main()'s argc/argv.
    [[nodiscard]] Status load(int argc, const char* const* argv,
                              const EnvLookup& env = process_env());

    /// Resolved value. Errors: kInvalidArgument for an undeclared name.
    [[nodiscard]] Result<std::string> get_string(std::string_view flag) const;
    /// A non-empty value.
    [[nodiscard]] Result<std::string> get_required_string(std::string_view flag) const;
    /// An integer in [min, max] ("--workers must be an integer between 1 and 1024").
    [[nodiscard]] Result<std::int64_t> get_int(
        std::string_view flag, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
        std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    /// A TCP port 1..65535 (0 too when `allow_any` — "pick a free port").
    [[nodiscard]] Result<int> get_port(std::string_view flag, bool allow_any = false) const;
    /// true/false/1/0/yes/no/on/off (case-insensitive).
    [[nodiscard]] Result<bool> get_bool(std::string_view flag) const;
    /// A finite number in [min, max].
    [[nodiscard]] Result<double> get_double(std::string_view flag, double min, double max) const;

    /// Where the value of `flag` came from (kDefault for undeclared names).
    [[nodiscard]] Source source(std::string_view flag) const;
    [[nodiscard]] bool help_requested() const noexcept { return help_requested_; }
    /// Usage text listing every flag, its variable and default.
    [[nodiscard]] std::string usage(std::string_view program) const;
    /// "name=value (source)" per setting, secrets masked; for start-up logs.
    [[nodiscard]] std::vector<std::string> describe() const;

private:
    struct Entry {
        Setting setting;
        std::string value;
        Source source = Source::kDefault;
    };
    [[nodiscard]] const Entry* find(std::string_view flag) const;
    Entry* find(std::string_view flag);

    std::vector<Entry> entries_;
    bool help_requested_ = false;
};

}  // namespace flightbook::app
