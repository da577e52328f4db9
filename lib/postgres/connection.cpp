#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "connection_impl.hpp"
#include "sqlstate.hpp"

namespace flightbook::postgres {

namespace {

std::string trimmed(const char* text) {
    std::string s = text != nullptr ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

Error error_from_result(PGconn* conn, const PGresult* result) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (state == nullptr) {
        // No SQLSTATE: the server never answered (connection lost, protocol error).
        return Error{ErrorCode::kUnavailable,
                     fmt::format("postgres: connection failed: {}", trimmed(PQerrorMessage(conn)))};
    }
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    return Error{error_code_for_sqlstate(state),
                 fmt::format("postgres [{}]: {}", state, trimmed(primary))};
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::connect(const ConnectOptions& options) {
    // libpq takes whole seconds; round up so that a small value never means "forever".
    const std::int64_t timeout_s =
        std::max<std::int64_t>(1, (options.connect_timeout_ms + 999) / 1000);
    const std::string timeout = std::to_string(timeout_s);
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {options.dsn.c_str(), timeout.c_str(), "flightbook", nullptr};
    PgConnPtr conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
    if (!conn) return fail(ErrorCode::kResourceExhausted, "postgres: out of memory");
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        return fail(ErrorCode::kUnavailable, fmt::format("postgres: cannot connect: {}",
                                                         trimmed(PQerrorMessage(conn.get()))));
    }
    auto impl = std::make_unique<Impl>();
    impl->conn = std::move(conn);
    std::unique_ptr<Connection> connection(new Connection(std::move(impl)));
    // Sessions run in UTC with the configured statement timeout. The values are
    // integers we format ourselves, not input.
    FLIGHTBOOK_TRY_STATUS(connection->exec_script(
        fmt::format("SET TIME ZONE 'UTC'; SET statement_timeout = {}",
                    std::max<std::int64_t>(0, options.statement_timeout_ms))));
    return connection;
}

Result<QueryResult> Connection::exec(const Statement& statement,
                                     std::initializer_list<Param> params) {
    return exec(statement, std::vector<Param>(params));
}

Result<QueryResult> Connection::exec(const Statement& statement, const std::vector<Param>& params) {
    PGconn* conn = impl_->conn.get();
    const std::string name(statement.name);
    auto it = impl_->prepared.find(name);
    if (it == impl_->prepared.end()) {
        const std::string sql(statement.sql);
        PgResultPtr prepared(PQprepare(conn, name.c_str(), sql.c_str(), 0, nullptr));
        if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
            return fail(error_from_result(conn, prepared.get()));
        }
        impl_->prepared.emplace(name, sql);
    } else if (it->second != statement.sql) {
        return fail(ErrorCode::kInternal,
                    fmt::format("postgres: statement name '{}' reused for other SQL", name));
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p.text() ? p.text()->c_str() : nullptr);
    PgResultPtr result(PQexecPrepared(conn, name.c_str(), static_cast<int>(values.size()),
                                      values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        return fail(error_from_result(conn, result.get()));
    }
    auto impl = std::make_unique<QueryResult::Impl>();
    impl->result = std::move(result);
    return QueryResult(std::move(impl));
}

Status Connection::exec_script(std::string_view sql) {
    PGconn* conn = impl_->conn.get();
    const std::string text(sql);
    PgResultPtr result(PQexec(conn, text.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        return fail(error_from_result(conn, result.get()));
    }
    return ok();
}

Status Connection::copy_in(std::string_view copy_sql, std::string_view data) {
    PGconn* conn = impl_->conn.get();
    const std::string text(copy_sql);
    PgResultPtr start(PQexec(conn, text.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
        return fail(error_from_result(conn, start.get()));
    }
    // Blocking connection: PQputCopyData returns 1 or -1, never 0.
    constexpr std::size_t kChunk = 1 << 20;
    bool sent = true;
    for (std::size_t pos = 0; pos < data.size() && sent; pos += kChunk) {
        const std::size_t n = std::min(kChunk, data.size() - pos);
        sent = PQputCopyData(conn, data.data() + pos, static_cast<int>(n)) == 1;
    }
    if (PQputCopyEnd(conn, sent ? nullptr : "client stopped sending") != 1) {
        return fail(ErrorCode::kUnavailable,
                    fmt::format("postgres: COPY failed: {}", PQerrorMessage(conn)));
    }
    // The COPY's outcome, then nothing: drain until PQgetResult says so.
    Status outcome = ok();
    while (PgResultPtr r{PQgetResult(conn)}) {
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && outcome) {
            Error e = error_from_result(conn, r.get());
            if (const char* where = PQresultErrorField(r.get(), PG_DIAG_CONTEXT)) {
                e.message += fmt::format(" ({})", trimmed(where));
            }
            outcome = fail(std::move(e));
        }
    }
    return outcome;
}

bool Connection::is_broken() const noexcept { return PQstatus(impl_->conn.get()) != CONNECTION_OK; }

bool Connection::probe() noexcept {
    PGconn* conn = impl_->conn.get();
    if (PQstatus(conn) != CONNECTION_OK) return false;
    // A closed session shows up as readable data (the FATAL message) then
    // EOF; libpq notices the EOF on a later read, so read a few times. Each
    // call returns at once when nothing is pending.
    for (int i = 0; i < 3; ++i) {
        if (PQconsumeInput(conn) == 0) return false;
        if (PQisBusy(conn) == 0) {
            // Parse anything pending: an unsolicited FATAL error means the
            // server ended the session.
            PgResultPtr pending(PQgetResult(conn));
            if (pending) return false;
        }
    }
    return PQstatus(conn) == CONNECTION_OK;
}

bool Connection::is_idle() const noexcept {
    return !is_broken() && PQtransactionStatus(impl_->conn.get()) == PQTRANS_IDLE;
}

int Connection::backend_pid() const noexcept { return PQbackendPID(impl_->conn.get()); }

}  // namespace flightbook::postgres
