#pragma once
/// \file
/// RAII transactions: explicit `commit()`, rollback on destruction.

#include <initializer_list>
#include <vector>

#include "flightbook/postgres/connection.hpp"
#include "flightbook/result.hpp"

namespace flightbook::postgres {

/// Isolation level of a transaction.
enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

/// A transaction on one connection. Move-only, not thread-safe. If neither
/// `commit()` nor `rollback()` ran, the destructor rolls back; it never throws.
class Transaction {
public:
    /// Sends BEGIN. Errors: `kUnavailable` on a lost connection.
    [[nodiscard]] static Result<Transaction> begin(Connection& connection,
                                                   Isolation isolation = Isolation::kReadCommitted);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    /// Runs a prepared statement inside the transaction (see `Connection::exec`).
    [[nodiscard]] Result<QueryResult> exec(const Statement& statement,
                                           std::initializer_list<Param> params = {});
    [[nodiscard]] Result<QueryResult> exec(const Statement& statement,
                                           const std::vector<Param>& params);

    /// Sends COMMIT. Errors: the SQLSTATE-mapped code when the server refused
    /// the commit (the transaction is rolled back); `kAborted` when an earlier
    /// statement had failed (the server turned COMMIT into ROLLBACK);
    /// `kInDoubt` when the connection was lost during COMMIT and the outcome is
    /// unknown: resolve it by reading, not by retrying.
    [[nodiscard]] Status commit();

    /// Sends ROLLBACK. Errors: `kUnavailable` on a lost connection (the server
    /// rolls back by itself in that case).
    Status rollback();

    [[nodiscard]] bool is_open() const noexcept { return connection_ != nullptr; }

private:
    explicit Transaction(Connection& connection) : connection_(&connection) {}
    Connection* connection_;
};

}  // namespace flightbook::postgres
