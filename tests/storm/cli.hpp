#pragma once
// flightbook-storm's command line: a profile, then flags that override it.

#include <string>
#include <vector>

#include "flightbook/result.hpp"
#include "options.hpp"

namespace flightbook::storm {

/// What the command line asks for.
struct CliRequest {
    StormOptions options;
    std::string history_path;  ///< where to write the history (empty: nowhere)
    bool help = false;
};

/// The settings of a named profile: "short" (CI, ~20 s), "long" (10 min),
/// "tiny" (a few seconds, for sanitizer builds). Errors: unknown name.
[[nodiscard]] Result<StormOptions> profile(const std::string& name);

/// Parses `--name value` pairs (see usage()). Errors: unknown flag, missing
/// or malformed value, an out-of-range number.
[[nodiscard]] Result<CliRequest> parse_cli(const std::vector<std::string>& args);

[[nodiscard]] std::string usage();

}  // namespace flightbook::storm
