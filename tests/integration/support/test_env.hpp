#pragma once
// Moved to tests/support/test_env.hpp; kept for includes not yet updated.
#include "../../support/test_env.hpp"
