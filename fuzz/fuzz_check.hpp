#pragma once
// FUZZ_CHECK: a property every input must satisfy. A failure prints the
// property and aborts, which libFuzzer reports as a crash and saves the
// input as an artifact (a plain assert would vanish under -DNDEBUG).

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                    \
        }                                                                                    \
    } while (false)

namespace flightbook::fuzz {

// The fuzzer's bytes as text (any bytes, NULs included).
inline std::string_view as_text(const unsigned char* data, std::size_t size) noexcept {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace flightbook::fuzz
