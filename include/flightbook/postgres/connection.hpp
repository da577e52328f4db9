#pragma once
/// \file
/// One PostgreSQL connection, its query results and prepared statements.
/// libpq stays private: this header exposes no libpq type.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "flightbook/result.hpp"

namespace flightbook::postgres {

/// A named SQL statement with `$n` parameters. Adapters declare their SQL as
/// `inline constexpr Statement` constants in one place; a connection prepares
/// each name once, on first use, and runs it with `PQexecPrepared`.
struct Statement {
    std::string_view name;
    std::string_view sql;
};

/// One text-format statement parameter, or SQL NULL. Values are sent as
/// parameters, never spliced into SQL text.
class Param {
public:
    Param(std::nullptr_t) {}                                    // NOLINT: SQL NULL
    Param(std::string_view text) : text_(std::string(text)) {}  // NOLINT
    Param(const std::string& text) : text_(text) {}             // NOLINT
    Param(const char* text) : text_(std::string(text)) {}       // NOLINT
    template <typename Int,
              std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
    Param(Int value) : text_(std::to_string(value)) {}      // NOLINT
    Param(bool value) : text_(value ? "true" : "false") {}  // NOLINT

    [[nodiscard]] const std::optional<std::string>& text() const noexcept { return text_; }

private:
    std::optional<std::string> text_;
};

/// The rows of one successful statement. Move-only; owns the libpq result.
/// Not thread-safe to share across threads while moving.
class QueryResult {
public:
    QueryResult();
    ~QueryResult();
    QueryResult(QueryResult&&) noexcept;
    QueryResult& operator=(QueryResult&&) noexcept;
    QueryResult(const QueryResult&) = delete;
    QueryResult& operator=(const QueryResult&) = delete;

    [[nodiscard]] std::size_t rows() const noexcept;
    [[nodiscard]] std::size_t columns() const noexcept;
    /// Rows touched by INSERT/UPDATE/DELETE (0 for other statements).
    [[nodiscard]] std::int64_t affected_rows() const noexcept;
    [[nodiscard]] bool is_null(std::size_t row, std::size_t col) const noexcept;
    /// The text value of a cell ("" for NULL). Valid while this result lives.
    [[nodiscard]] std::string_view text(std::size_t row, std::size_t col) const noexcept;
    /// The cell parsed as an integer. A non-integer cell is a schema bug:
    /// throws `std::logic_error`.
    [[nodiscard]] std::int64_t int64(std::size_t row, std::size_t col) const;

    struct Impl;

private:
    explicit QueryResult(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    friend class Connection;
};

/// Settings for one connection. Units are in the field names.
struct ConnectOptions {
    /// libpq connection string ("host=... port=... dbname=...") or URI.
    std::string dsn;
    /// Time allowed to establish the connection (libpq rounds up to seconds).
    std::int64_t connect_timeout_ms = 3000;
    /// Server-side `statement_timeout`; 0 disables it.
    std::int64_t statement_timeout_ms = 5000;
};

/// One open connection. Not thread-safe: use it from one thread at a time
/// (the pool hands out a connection to one lease at a time).
class Connection {
public:
    /// Opens a connection. Errors: `kUnavailable` when the server cannot be
    /// reached or refuses the login.
    [[nodiscard]] static Result<std::unique_ptr<Connection>> connect(const ConnectOptions& options);

    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs a prepared statement (prepared on this connection on first use).
    /// Errors come from the SQLSTATE table (`kAlreadyExists` for a unique
    /// violation, `kFailedPrecondition` for a CHECK violation, `kDeadlineExceeded`
    /// for a statement timeout...); a lost connection is `kUnavailable`.
    [[nodiscard]] Result<QueryResult> exec(const Statement& statement,
                                           std::initializer_list<Param> params = {});
    [[nodiscard]] Result<QueryResult> exec(const Statement& statement,
                                           const std::vector<Param>& params);

    /// Runs SQL text without parameters through the simple query protocol
    /// (several statements allowed). For migrations and transaction control
    /// only; never build `sql` from input.
    [[nodiscard]] Status exec_script(std::string_view sql);

    /// Runs `copy_sql` (a `COPY ... FROM STDIN` statement) and streams `data`
    /// to it in the statement's format. Errors as `exec`; a row the server
    /// refuses fails the whole COPY (its message names the COPY line).
    [[nodiscard]] Status copy_in(std::string_view copy_sql, std::string_view data);

    /// True when the connection is known to be lost; a pool discards such
    /// connections.
    [[nodiscard]] bool is_broken() const noexcept;
    /// Reads whatever the server sent while the connection was idle (without
    /// blocking) and reports whether the connection is still usable: notices a
    /// session the server closed (restart, admin kill) before it is used.
    [[nodiscard]] bool probe() noexcept;
    /// True when the connection is idle and outside any transaction.
    [[nodiscard]] bool is_idle() const noexcept;
    /// The server process id of this session (`pg_backend_pid()`).
    [[nodiscard]] int backend_pid() const noexcept;

    struct Impl;

private:
    friend class Transaction;
    explicit Connection(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::postgres
