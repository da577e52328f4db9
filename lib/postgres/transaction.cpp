#include "transaction.hpp"

#include <fmt/format.h>

#include <cstring>

#include "connection_impl.hpp"

namespace flightbook::postgres {

namespace {

constexpr std::string_view begin_sql(Isolation isolation) {
    switch (isolation) {
        case Isolation::kRepeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
        case Isolation::kSerializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
        case Isolation::kReadCommitted: break;
    }
    return "BEGIN ISOLATION LEVEL READ COMMITTED";
}

}  // namespace

Result<Transaction> Transaction::begin(Connection& connection, Isolation isolation) {
    FLIGHTBOOK_TRY_STATUS(connection.exec_script(begin_sql(isolation)));
    return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
}

Transaction::~Transaction() {
    if (connection_ == nullptr) return;
    // Never throws: a failed ROLLBACK means the connection is gone, and the
    // server rolls back a transaction whose session ended.
    (void)rollback();
}

Result<QueryResult> Transaction::exec(const Statement& statement,
                                      std::initializer_list<Param> params) {
    return exec(statement, std::vector<Param>(params));
}

Result<QueryResult> Transaction::exec(const Statement& statement,
                                      const std::vector<Param>& params) {
    if (connection_ == nullptr) {
        return fail(ErrorCode::kInternal, "postgres: statement on a finished transaction");
    }
    return connection_->exec(statement, params);
}

Status Transaction::commit() {
    if (connection_ == nullptr) {
        return fail(ErrorCode::kInternal, "postgres: commit of a finished transaction");
    }
    Connection& connection = *connection_;
    PGconn* conn = connection.impl_->conn.get();
    if (PQtransactionStatus(conn) == PQTRANS_INERROR) {
        (void)rollback();
        return fail(ErrorCode::kAborted, "postgres: transaction aborted by an earlier error");
    }
    connection_ = nullptr;
    PgResultPtr result(PQexec(conn, "COMMIT"));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK) {
        if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
            return fail(ErrorCode::kAborted, "postgres: server rolled the transaction back");
        }
        return ok();
    }
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (state == nullptr || PQstatus(conn) != CONNECTION_OK) {
        // The COMMIT may or may not have reached the server and been applied.
        return fail(ErrorCode::kInDoubt,
                    fmt::format("postgres: connection lost during COMMIT; outcome unknown ({})",
                                error_from_result(conn, result.get()).message));
    }
    return fail(error_from_result(conn, result.get()));
}

Status Transaction::rollback() {
    if (connection_ == nullptr) return ok();
    Connection& connection = *connection_;
    connection_ = nullptr;
    return connection.exec_script("ROLLBACK");
}

}  // namespace flightbook::postgres
