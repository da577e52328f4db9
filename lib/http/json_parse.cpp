// JSON parsing on simdjson's DOM API into the owned JsonValue tree.
#include <simdjson.h>

#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

#include "flightbook/http/json.hpp"

namespace flightbook::http {
namespace {

// Large enough for any request body we accept; the server's body limit is
// far below this.
constexpr std::size_t kMaxDocumentBytes = std::size_t{64} << 20;

simdjson::dom::parser& thread_parser(std::size_t max_depth) {
    // One parser per thread: it keeps its buffers between documents.
    thread_local simdjson::dom::parser parser(kMaxDocumentBytes);
    thread_local std::size_t configured_depth = 0;
    if (configured_depth != max_depth) {
        // allocate() fixes the depth limit; later growth keeps it.
        if (parser.allocate(std::max<std::size_t>(parser.capacity(), 4096), max_depth) ==
            simdjson::SUCCESS) {
            configured_depth = max_depth;
        }
    }
    return parser;
}

Error invalid_json(std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

Result<JsonValue> convert(simdjson::dom::element element);

Result<JsonValue> convert_object(simdjson::dom::object object) {
    JsonObject out;
    std::unordered_set<std::string_view> seen;
    for (const auto field : object) {
        if (!seen.insert(field.key).second) {
            return invalid_json(
                fmt::format("duplicate key '{}' in JSON object", field.key.substr(0, 64)));
        }
        auto value = convert(field.value);
        if (!value) return std::move(value).error();
        out.add(std::string(field.key), std::move(value).value());
    }
    return JsonValue(std::move(out));
}

Result<JsonValue> convert(simdjson::dom::element element) {
    using simdjson::dom::element_type;
    switch (element.type()) {
        case element_type::NULL_VALUE: return JsonValue();
        case element_type::BOOL: return JsonValue(element.get_bool().value_unsafe());
        case element_type::INT64: return JsonValue(element.get_int64().value_unsafe());
        case element_type::UINT64:
            // Above int64: keep as a double so range checks report it.
            return JsonValue(static_cast<double>(element.get_uint64().value_unsafe()));
        case element_type::DOUBLE: return JsonValue(element.get_double().value_unsafe());
        case element_type::STRING:
            return JsonValue(std::string(element.get_string().value_unsafe()));
        case element_type::ARRAY: {
            JsonValue::Array items;
            const simdjson::dom::array array = element.get_array().value_unsafe();
            for (const auto item : array) {
                auto value = convert(item);
                if (!value) return std::move(value).error();
                items.push_back(std::move(value).value());
            }
            return JsonValue(std::move(items));
        }
        case element_type::OBJECT: {
            const simdjson::dom::object object = element.get_object().value_unsafe();
            return convert_object(object);
        }
    }
    return invalid_json("unsupported JSON value");
}

}  // namespace

Result<JsonValue> parse_json(std::string_view text, JsonParseOptions options) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return invalid_json("request body is empty; expected JSON");
    }
    auto& parser = thread_parser(options.max_depth);
    simdjson::dom::element root;
    const auto error = parser.parse(text.data(), text.size(), true).get(root);
    if (error == simdjson::DEPTH_ERROR) {
        return invalid_json(fmt::format("JSON nested deeper than {} levels", options.max_depth));
    }
    if (error == simdjson::NUMBER_OUT_OF_RANGE) {
        return invalid_json("JSON number out of range");
    }
    if (error == simdjson::UTF8_ERROR) return invalid_json("request body is not valid UTF-8");
    if (error != simdjson::SUCCESS) {
        return invalid_json(
            fmt::format("request body is not valid JSON ({})", simdjson::error_message(error)));
    }
    return convert(root);
}

Result<JsonObject> parse_object(std::string_view text, JsonParseOptions options) {
    auto value = parse_json(text, options);
    if (!value) return std::move(value).error();
    if (value->as_object() == nullptr) return invalid_json("request body must be a JSON object");
    return *value->as_object();
}

void write_json(json::Writer& writer, const JsonValue& value) {
    if (const auto* b = value.as_bool()) {
        writer.value(*b);
    } else if (const auto* n = value.as_int64()) {
        writer.value(*n);
    } else if (const auto* d = value.as_double()) {
        writer.value(*d);
    } else if (const auto* s = value.as_string()) {
        writer.value(*s);
    } else if (const auto* a = value.as_array()) {
        writer.begin_array();
        for (const auto& item : *a) write_json(writer, item);
        writer.end_array();
    } else if (const auto* o = value.as_object()) {
        writer.begin_object();
        for (const auto& [key, member] : o->members()) {
            writer.key(key);
            write_json(writer, member);
        }
        writer.end_object();
    } else {
        writer.null();
    }
}

}  // namespace flightbook::http
