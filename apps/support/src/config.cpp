#include "flightbook/app/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace flightbook::app {
namespace {

Error invalid(std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string where(const Setting& s) {
    return s.env.empty() ? fmt::format("--{}", s.flag) : fmt::format("--{} ({})", s.flag, s.env);
}

}  // namespace

EnvLookup process_env() {
    return [](std::string_view name) -> std::optional<std::string> {
        // Read once at startup, before any thread exists; nothing calls setenv.
        const char* value =
            std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

Config& Config::define(Setting setting) {
    if (auto* existing = find(setting.flag)) {
        existing->value = setting.default_value;
        existing->setting = std::move(setting);
        existing->source = Source::kDefault;
        return *this;
    }
    Entry entry;
    entry.value = setting.default_value;
    entry.setting = std::move(setting);
    entries_.push_back(std::move(entry));
    return *this;
}

const Config::Entry* Config::find(std::string_view flag) const {
    for (const auto& e : entries_) {
        if (e.setting.flag == flag) return &e;
    }
    return nullptr;
}

Config::Entry* Config::find(std::string_view flag) {
    for (auto& e : entries_) {
        if (e.setting.flag == flag) return &e;
    }
    return nullptr;
}

Status Config::load(int argc, const char* const* argv, const EnvLookup& env) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return load(args, env);
}

Status Config::load(const std::vector<std::string>& args, const EnvLookup& env) {
    // Defaults, then the environment, then flags: each step overrides.
    for (auto& e : entries_) {
        e.value = e.setting.default_value;
        e.source = Source::kDefault;
        if (!e.setting.env.empty() && env) {
            if (auto v = env(e.setting.env); v.has_value()) {
                e.value = *v;
                e.source = Source::kEnv;
            }
        }
    }
    help_requested_ = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            help_requested_ = true;
            continue;
        }
        if (!arg.starts_with("--") || arg.size() == 2) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("unexpected argument '{}'; flags look like --name value", arg));
        }
        arg.remove_prefix(2);
        std::string name;
        std::optional<std::string> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = std::string(arg.substr(0, eq));
            value = std::string(arg.substr(eq + 1));
        } else {
            name = std::string(arg);
        }
        auto* e = find(name);
        if (e == nullptr) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("unknown flag --{} (see --help)", name));
        }
        if (!value) {
            if (i + 1 >= args.size()) {
                return fail(ErrorCode::kInvalidArgument,
                            fmt::format("flag --{} needs a value", name));
            }
            value = args[++i];
        }
        e->value = std::move(*value);
        e->source = Source::kFlag;
    }
    return ok();
}

Result<std::string> Config::get_string(std::string_view flag) const {
    const auto* e = find(flag);
    if (e == nullptr) return invalid(fmt::format("setting --{} is not declared", flag));
    return e->value;
}

Result<std::string> Config::get_required_string(std::string_view flag) const {
    auto v = get_string(flag);
    if (v && v->empty())
        return invalid(fmt::format("{} must not be empty", where(find(flag)->setting)));
    return v;
}

Result<std::int64_t> Config::get_int(std::string_view flag, std::int64_t min,
                                     std::int64_t max) const {
    auto text = get_string(flag);
    if (!text) return std::move(text).error();
    std::int64_t value = 0;
    const auto* first = text->data();
    const auto* last = first + text->size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || value < min || value > max) {
        return invalid(fmt::format("{} must be an integer between {} and {}, got '{}'",
                                   where(find(flag)->setting), min, max, *text));
    }
    return value;
}

Result<int> Config::get_port(std::string_view flag, bool allow_any) const {
    auto v = get_int(flag, allow_any ? 0 : 1, 65535);
    if (!v) return std::move(v).error();
    return static_cast<int>(*v);
}

Result<bool> Config::get_bool(std::string_view flag) const {
    auto text = get_string(flag);
    if (!text) return std::move(text).error();
    const auto v = lower(*text);
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    return invalid(
        fmt::format("{} must be true or false, got '{}'", where(find(flag)->setting), *text));
}

Result<double> Config::get_double(std::string_view flag, double min, double max) const {
    auto text = get_string(flag);
    if (!text) return std::move(text).error();
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text->c_str(), &end);
    if (text->empty() || end != text->c_str() + text->size() || errno != 0 || !std::isfinite(v) ||
        v < min || v > max) {
        return invalid(fmt::format("{} must be a number between {} and {}, got '{}'",
                                   where(find(flag)->setting), min, max, *text));
    }
    return v;
}

Source Config::source(std::string_view flag) const {
    const auto* e = find(flag);
    return e == nullptr ? Source::kDefault : e->source;
}

std::string Config::usage(std::string_view program) const {
    std::string out = fmt::format("usage: {} [--flag value | --flag=value]...\n\n", program);
    out += "Flags override environment variables, which override defaults.\n\n";
    for (const auto& e : entries_) {
        out += fmt::format("  --{:<24} {}\n", e.setting.flag, e.setting.help);
        out += fmt::format(
            "  {:<26} env {}, default '{}'\n", "", e.setting.env.empty() ? "-" : e.setting.env,
            e.setting.secret && !e.setting.default_value.empty() ? "***" : e.setting.default_value);
    }
    return out;
}

std::vector<std::string> Config::describe() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) {
        const char* src = e.source == Source::kFlag  ? "flag"
                          : e.source == Source::kEnv ? "env"
                                                     : "default";
        const std::string shown = e.setting.secret ? (e.value.empty() ? "" : "***") : e.value;
        out.push_back(fmt::format("{}={} ({})", e.setting.flag, shown, src));
    }
    return out;
}

}  // namespace flightbook::app
