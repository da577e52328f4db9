#pragma once
// Minimal `--name value` argument handling for the flightbook subcommands.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/result.hpp"

namespace flightbook::cli {

// Exit codes: 0 ok, 1 runtime failure (I/O, bad data file), 2 bad usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Options of one subcommand: `--name value` pairs and bare `--flag`s.
class Args {
public:
    // Parses argv[first..]; `flags` take no value, every other name in
    // `valued` takes one. Unknown or repeated names are `kInvalidArgument`.
    [[nodiscard]] static Result<Args> parse(const std::vector<std::string_view>& argv,
                                            const std::set<std::string_view>& valued,
                                            const std::set<std::string_view>& flags);

    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
    [[nodiscard]] bool has(std::string_view name) const;
    // An integer option in [lo, hi], or `fallback` when absent.
    [[nodiscard]] Result<long long> integer(std::string_view name, long long fallback, long long lo,
                                            long long hi) const;

private:
    std::map<std::string, std::string, std::less<>> values_;
    std::set<std::string, std::less<>> flags_;
};

int run_generate(const std::vector<std::string_view>& args);
int run_search(const std::vector<std::string_view>& args);
int run_demo(const std::vector<std::string_view>& args);
int run_load(const std::vector<std::string_view>& args);

}  // namespace flightbook::cli
