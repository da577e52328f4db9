#include "flightbook/http/response.hpp"

#include "flightbook/http/status.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::http {

std::string error_body(std::string_view code, std::string_view message) {
    json::Writer w;
    w.begin_object().key("error").value(code).key("message").value(message).end_object();
    return w.take();
}

Response Response::json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
    return json(status, error_body(code, message));
}

Response Response::from_error(const Error& error) {
    return Response::error(status_for(error.code), to_string(error.code), error.message);
}

}  // namespace flightbook::http
