#pragma once
// Checks HTTP answers against the API description docs/openapi.json: finds
// the operation of a (service, method, concrete path), the response of a
// status, and validates the body against its schema. A small JSON-schema
// subset, enough for that document: $ref (into the document), type,
// nullable, enum, pattern, required, properties, additionalProperties,
// items, allOf, anyOf and oneOf. Unlike plain JSON schema, a property that
// no schema lists is a violation, so the document cannot silently miss a
// field the services send. The suite that includes this defines
// FLIGHTBOOK_DOCS_DIR (tests/CMakeLists.txt). Thread-safe.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/http/json.hpp"

namespace flightbook::testing {

/// docs/openapi.json, parsed once (the file's location is the compile
/// definition FLIGHTBOOK_DOCS_DIR).
inline const Result<http::JsonValue>& openapi_document() {
    static const Result<http::JsonValue> doc = []() -> Result<http::JsonValue> {
        const std::string path = std::string(FLIGHTBOOK_DOCS_DIR) + "/openapi.json";
        std::ifstream in(path);
        if (!in) return fail(ErrorCode::kNotFound, "cannot read " + path);
        std::stringstream text;
        text << in.rdbuf();
        return http::parse_json(text.str());
    }();
    return doc;
}

namespace openapi_detail {

using http::JsonObject;
using http::JsonValue;

inline const JsonValue* member(const JsonValue* v, std::string_view key) {
    const JsonObject* o = v != nullptr ? v->as_object() : nullptr;
    return o != nullptr ? o->find(key) : nullptr;
}
// The members of an object / the items of an array; empty for anything else.
inline const std::vector<JsonObject::Member>& members_of(const JsonValue* v) {
    static const std::vector<JsonObject::Member> none;
    const JsonObject* o = v != nullptr ? v->as_object() : nullptr;
    return o != nullptr ? o->members() : none;
}
inline const JsonValue::Array& items_of(const JsonValue* v) {
    static const JsonValue::Array none;
    const JsonValue::Array* a = v != nullptr ? v->as_array() : nullptr;
    return a != nullptr ? *a : none;
}
inline std::string text(const JsonValue* v) {
    const std::string* s = v != nullptr ? v->as_string() : nullptr;
    return s != nullptr ? *s : std::string();
}
inline std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    for (auto slash = path.find('/', start); slash != std::string_view::npos;
         start = slash + 1, slash = path.find('/', start)) {
        out.push_back(path.substr(start, slash - start));
    }
    out.push_back(path.substr(start));
    return out;
}
inline bool is_param(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}
inline std::string show(const JsonValue& v, std::size_t limit = 60) {
    json::Writer w;
    http::write_json(w, v);
    std::string s = w.take();
    return s.size() > limit ? s.substr(0, limit - 3) + "..." : s;
}
inline std::string ascii_case(std::string_view s, int (*convert)(int)) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(convert(static_cast<unsigned char>(c)));
    return out;
}

// Validates values against schemas of one document; appends violations.
class SchemaChecker {
public:
    explicit SchemaChecker(const JsonValue& root) : root_(root) {}

    // `strict`: report properties that no schema lists (off for the parts of
    // an allOf, whose union is checked once).
    void check(const JsonValue& schema_in, const JsonValue& v, const std::string& where,
               std::vector<std::string>& out, bool strict = true) const {
        const JsonValue* s = resolve(&schema_in, where, out);
        if (s == nullptr) return;
        const JsonValue* nullable = member(s, "nullable");
        if (v.is_null() && nullable != nullptr && nullable->as_bool() && *nullable->as_bool()) {
            return;
        }
        if (const std::string type = text(member(s, "type")); !type.empty() && !has_type(v, type)) {
            out.push_back(fmt::format("{}: {} is not of type {}", where, show(v), type));
            return;
        }
        if (const auto* e = member(s, "enum");
            e != nullptr &&
            std::none_of(items_of(e).begin(), items_of(e).end(),
                         [&](const JsonValue& x) { return show(x, 4096) == show(v, 4096); })) {
            out.push_back(fmt::format("{}: {} is not one of {}", where, show(v), show(*e)));
        }
        if (const std::string pattern = text(member(s, "pattern"));
            !pattern.empty() && v.as_string() != nullptr &&
            !std::regex_search(*v.as_string(), std::regex(pattern))) {
            out.push_back(fmt::format("{}: {} does not match {}", where, show(v), pattern));
        }
        check_members(*s, v, where, out);
        if (const auto* items = member(s, "items")) {
            for (std::size_t i = 0; i < items_of(&v).size(); ++i) {
                check(*items, items_of(&v)[i], fmt::format("{}[{}]", where, i), out);
            }
        }
        for (const JsonValue& part : items_of(member(s, "allOf")))
            check(part, v, where, out, false);
        const bool one_of = member(s, "oneOf") != nullptr;
        const auto& alternatives = items_of(member(s, one_of ? "oneOf" : "anyOf"));
        if (alternatives.empty()) {
            if (strict) report_unknown(*s, nullptr, v, where, out);
            return;
        }
        std::size_t matches = 0;
        std::vector<std::string> closest;
        for (const JsonValue& alt : alternatives) {
            std::vector<std::string> errs;
            check(alt, v, where, errs, false);
            if (strict) report_unknown(*s, &alt, v, where, errs);
            if (errs.empty()) ++matches;
            if (closest.empty() || (!errs.empty() && errs.size() < closest.size())) closest = errs;
        }
        if (matches == 0 || (one_of && matches > 1)) {
            out.push_back(
                fmt::format("{}: matches {} of the {} alternatives{}{}", where, matches,
                            one_of ? "oneOf" : "anyOf",
                            closest.empty() ? "" : "; closest: ", fmt::join(closest, "; ")));
        }
    }

private:
    const JsonValue* resolve(const JsonValue* s, const std::string& where,
                             std::vector<std::string>& out) const {
        for (int hops = 0; s != nullptr && member(s, "$ref") != nullptr && hops < 32; ++hops) {
            const std::string ref = text(member(s, "$ref"));
            const JsonValue* target = nullptr;
            if (ref.rfind("#/", 0) == 0) {
                target = &root_;
                for (const auto part : segments(std::string_view(ref).substr(1))) {
                    target = member(target, part);
                }
            }
            if (target == nullptr) out.push_back(fmt::format("{}: unresolved $ref {}", where, ref));
            s = target;
        }
        return s;
    }
    static bool has_type(const JsonValue& v, const std::string& type) {
        if (type == "object") return v.as_object() != nullptr;
        if (type == "array") return v.as_array() != nullptr;
        if (type == "string") return v.as_string() != nullptr;
        if (type == "integer") return v.as_int64() != nullptr;
        if (type == "number") return v.as_int64() != nullptr || v.as_double() != nullptr;
        if (type == "boolean") return v.as_bool() != nullptr;
        return false;
    }
    void check_members(const JsonValue& s, const JsonValue& v, const std::string& where,
                       std::vector<std::string>& out) const {
        const JsonObject* o = v.as_object();
        if (o == nullptr) return;
        for (const JsonValue& name : items_of(member(&s, "required"))) {
            if (!o->contains(text(&name))) {
                out.push_back(
                    fmt::format("{}: missing required property '{}'", where, text(&name)));
            }
        }
        const JsonValue* extra = member(&s, "additionalProperties");
        for (const auto& [key, value] : o->members()) {
            const JsonValue* p = member(member(&s, "properties"), key);
            if (p == nullptr && extra != nullptr && extra->as_object() != nullptr) p = extra;
            if (p != nullptr) check(*p, value, where + "." + key, out);
        }
    }
    // Adds every property name `s` lists, with its allOf parts (and its
    // alternatives when `alternatives`); `open` when additionalProperties
    // admits any.
    void known(const JsonValue* s, std::set<std::string>& names, bool& open,
               bool alternatives = true) const {
        std::vector<std::string> ignored;
        s = resolve(s, "", ignored);
        if (s == nullptr) return;
        if (const auto* extra = member(s, "additionalProperties")) {
            open = open || extra->as_object() != nullptr || (extra->as_bool() && *extra->as_bool());
        }
        for (const auto& m : members_of(member(s, "properties"))) names.insert(m.first);
        for (const char* key : {"allOf", "anyOf", "oneOf"}) {
            if (!alternatives && std::string_view(key) != "allOf") continue;
            for (const JsonValue& part : items_of(member(s, key))) known(&part, names, open);
        }
    }
    // Reports the members of `v` that neither `s` nor `alt` lists.
    void report_unknown(const JsonValue& s, const JsonValue* alt, const JsonValue& v,
                        const std::string& where, std::vector<std::string>& out) const {
        std::set<std::string> names;
        bool open = false;
        known(&s, names, open, false);
        if (alt != nullptr) known(alt, names, open);
        for (const auto& m : members_of(&v)) {
            if (!open && names.count(m.first) == 0) {
                out.push_back(
                    fmt::format("{}: property '{}' is not in the schema", where, m.first));
            }
        }
    }

    const JsonValue& root_;
};

}  // namespace openapi_detail

/// Checks one real answer against docs/openapi.json. `service` is
/// "flight-service", "booking-service" or "payment-service" (operations
/// marked `x-service: all` match any); `method` is the request's method
/// (HEAD is checked as GET, without a body); `concrete_path` the requested
/// path, e.g. "/api/bookings/42" (a query string is ignored); `status` and
/// `body` those of the answer. Returns the violations, each prefixed with
/// the request; empty when the answer matches: an unknown service, path,
/// method or status is a violation, and so is a body that breaks the
/// response's schema or has a property the schema does not list.
inline std::vector<std::string> check_answer(std::string_view service, std::string_view method,
                                             std::string_view concrete_path, int status,
                                             std::string_view body) {
    using openapi_detail::JsonValue;
    using openapi_detail::member;
    const std::string context =
        fmt::format("{} {} {} -> {}", service, method, concrete_path, status);
    std::vector<std::string> out;
    const auto& doc = openapi_document();
    if (!doc) return {fmt::format("{}: docs/openapi.json: {}", context, doc.error().message)};
    if (concrete_path.empty() || concrete_path.front() != '/') {
        return {fmt::format("{}: the path must start with '/'", context)};
    }
    const bool head = method == "HEAD";
    const std::string lower = openapi_detail::ascii_case(head ? "GET" : method, ::tolower);
    const auto parts = openapi_detail::segments(concrete_path.substr(0, concrete_path.find('?')));
    // The operation: among the paths that match and have this method for this
    // service, the literal segment wins at the first difference (as Router).
    const JsonValue* op = nullptr;
    std::vector<std::string_view> best;
    std::string others;
    for (const auto& [path, item] : openapi_detail::members_of(member(&*doc, "paths"))) {
        const auto tpl = openapi_detail::segments(path);
        bool matches = tpl.size() == parts.size();
        for (std::size_t i = 0; matches && i < tpl.size(); ++i) {
            matches = openapi_detail::is_param(tpl[i]) ? !parts[i].empty() : tpl[i] == parts[i];
        }
        const JsonValue* candidate = matches ? member(&item, lower) : nullptr;
        if (candidate == nullptr) continue;
        const std::string owner = openapi_detail::text(member(candidate, "x-service"));
        if (owner != service && owner != "all") {
            others += fmt::format(" {} {} is {}'s;", method, path, owner);
            continue;
        }
        std::size_t i = 0;
        while (i < tpl.size() && !best.empty() &&
               openapi_detail::is_param(tpl[i]) == openapi_detail::is_param(best[i])) {
            ++i;
        }
        if (op == nullptr || (i < tpl.size() && !openapi_detail::is_param(tpl[i]))) {
            op = candidate;
            best = tpl;
        }
    }
    if (op == nullptr) {
        return {fmt::format("{}: no such operation in docs/openapi.json{}", context, others)};
    }
    const JsonValue* responses = member(op, "responses");
    const JsonValue* response = member(responses, std::to_string(status));
    if (response == nullptr) response = member(responses, fmt::format("{}XX", status / 100));
    if (response == nullptr) response = member(responses, "default");
    if (response == nullptr) {
        return {fmt::format("{}: status {} is not documented", context, status)};
    }
    const JsonValue* content = member(response, "content");
    const JsonValue* schema = member(member(content, "application/json"), "schema");
    if (head || (content != nullptr && schema == nullptr)) return out;  // not JSON: not checked
    if (content == nullptr) {
        if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
        return {fmt::format("{}: a body where the document has none", context)};
    }
    auto value = http::parse_json(body);
    if (!value) return {fmt::format("{}: body is not JSON: {}", context, value.error().message)};
    openapi_detail::SchemaChecker(*doc).check(*schema, *value, "$", out);
    for (auto& violation : out) violation = context + ": " + violation;
    return out;
}

}  // namespace flightbook::testing
