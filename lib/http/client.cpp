#include "flightbook/http/client.hpp"

#include <httplib.h>

#include <fmt/format.h>

#include <mutex>

#include "flightbook/http/request.hpp"

namespace flightbook::http {
namespace {

bool valid_base_url(std::string_view url) {
    const bool http = url.starts_with("http://");
    const bool https = url.starts_with("https://");
    if (!http && !https) return false;
    const auto rest = url.substr(http ? 7 : 8);
    return !rest.empty() && rest.find_first_of("/?# ") == std::string_view::npos;
}

Error transport_error(httplib::Error error, std::string_view method, std::string_view path,
                      const std::string& base_url) {
    const auto what = fmt::format("{} {}{}: {}", method, base_url, path.substr(0, 200),
                                  httplib::to_string(error));
    switch (error) {
        case httplib::Error::Connection:
        case httplib::Error::ConnectionTimeout:
        case httplib::Error::BindIPAddress:
        case httplib::Error::Write:
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLServerVerification: return Error{ErrorCode::kUnavailable, what};
        case httplib::Error::Read: return Error{ErrorCode::kDeadlineExceeded, what};
        default: return Error{ErrorCode::kUnavailable, what};
    }
}

}  // namespace

std::optional<std::string_view> ClientResponse::header(std::string_view name) const noexcept {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

struct Client::Impl {
    explicit Impl(ClientOptions opts) : options(std::move(opts)), client(options.base_url) {
        client.set_connection_timeout(std::chrono::milliseconds(options.connect_timeout_ms));
        client.set_read_timeout(std::chrono::milliseconds(options.read_timeout_ms));
        client.set_write_timeout(std::chrono::milliseconds(options.write_timeout_ms));
        client.set_keep_alive(options.keep_alive);
        client.set_tcp_nodelay(true);
        client.set_follow_location(false);
        httplib::Headers defaults;
        for (const auto& [name, value] : options.default_headers) defaults.emplace(name, value);
        client.set_default_headers(std::move(defaults));
    }

    ClientOptions options;
    httplib::Client client;
};

Result<Client> Client::create(ClientOptions options) {
    if (!valid_base_url(options.base_url)) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("base URL '{}' must look like http://host:port", options.base_url));
    }
    auto impl = std::make_unique<Impl>(std::move(options));
    if (!impl->client.is_valid()) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("base URL '{}' is not usable", impl->options.base_url));
    }
    return Client(std::move(impl));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

const ClientOptions& Client::options() const noexcept { return impl_->options; }

Result<ClientResponse> Client::send(std::string_view method, std::string_view path,
                                    std::string_view body, const HeaderList& headers) {
    if (path.empty() || path.front() != '/') {
        return fail(ErrorCode::kInvalidArgument, "request path must start with '/'");
    }
    httplib::Request req;
    req.method = std::string(method);
    req.path = std::string(path);
    for (const auto& [name, value] : headers) req.headers.emplace(name, value);
    if (!body.empty()) {
        req.body = std::string(body);
        if (!req.has_header("Content-Type")) req.set_header("Content-Type", "application/json");
    }
    // Collect the body ourselves to bound its size.
    std::string received;
    bool too_large = false;
    const auto limit = impl_->options.max_response_bytes;
    req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
        if (received.size() + n > limit) {
            too_large = true;
            return false;
        }
        received.append(data, n);
        return true;
    };
    auto result = impl_->client.send(req);
    if (too_large) {
        return fail(ErrorCode::kResourceExhausted,
                    fmt::format("{} {}: answer larger than {} bytes", method, path, limit));
    }
    if (!result) {
        return transport_error(result.error(), method, path, impl_->options.base_url);
    }
    ClientResponse out;
    out.status = result->status;
    out.body = std::move(received);
    if (out.body.empty()) out.body = std::move(result->body);
    out.headers.reserve(result->headers.size());
    for (const auto& [name, value] : result->headers) out.headers.emplace_back(name, value);
    return out;
}

}  // namespace flightbook::http
