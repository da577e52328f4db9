#pragma once
/// \file
/// payment-service as a composable unit (SPEC §4, docs/payments.md): the
/// payment gateway mock over PostgreSQL (or memory).

#include "flightbook/app/service_host.hpp"

namespace flightbook::app {

/// Settings and builder of payment-service (default port 8082).
[[nodiscard]] ServiceDefinition payment_service_definition();

}  // namespace flightbook::app
