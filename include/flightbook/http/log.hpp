#pragma once
/// \file
/// The HTTP toolkit logs through the core logger (flightbook/log.hpp); these
/// names keep `http::Logger` and friends working for existing callers.

#include "flightbook/log.hpp"

namespace flightbook::http {

using flightbook::Logger;
using flightbook::LogLevel;
using flightbook::LogSink;
using flightbook::stderr_log_sink;

}  // namespace flightbook::http
