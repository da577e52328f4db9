#pragma once
// A small deterministic random source (splitmix64). std distributions differ
// between standard libraries; this one gives the same schedule everywhere.

#include <cstdint>

namespace flightbook::schedule {

class Rng {
public:
    explicit Rng(std::uint64_t seed)
        : state_(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n), n > 0.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    // Roughly normal in about [-2, 2]: sum of four uniforms, centred.
    double spread() { return (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.0; }

private:
    std::uint64_t state_;
};

}  // namespace flightbook::schedule
