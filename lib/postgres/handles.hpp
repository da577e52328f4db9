#pragma once
// Owning handles for libpq's C objects. The deleters are defined once, here.

#include <libpq-fe.h>

#include <memory>

namespace flightbook::postgres {

struct PgConnDeleter {
    void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
struct PgResultDeleter {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};

using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

}  // namespace flightbook::postgres
