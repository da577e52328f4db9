#pragma once
// Private parts of Connection and QueryResult shared by the .cpp files.

#include <string>
#include <unordered_map>

#include "flightbook/postgres/connection.hpp"
#include "handles.hpp"

namespace flightbook::postgres {

struct QueryResult::Impl {
    PgResultPtr result;
};

struct Connection::Impl {
    PgConnPtr conn;
    // Statement name → SQL text of the statements prepared on this session.
    std::unordered_map<std::string, std::string> prepared;
};

/// Turns a failed (or missing) result into an Error through the SQLSTATE table.
/// A result without SQLSTATE means the connection itself failed.
[[nodiscard]] Error error_from_result(PGconn* conn, const PGresult* result);

}  // namespace flightbook::postgres
