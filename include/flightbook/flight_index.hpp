#pragma once
/// \file
/// `FlightIndex`: flight id → position in a list of flights, the one lookup
/// table shared by the timetable, the seat mirror and snapshot seat counts.
/// Dense (one 4-byte slot per id in the span) while ids are compact, else a
/// sorted list searched by binary search.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/types.hpp"

namespace flightbook {

/// An immutable id → index table. Thread-safe to read (const after build).
class FlightIndex {
public:
    FlightIndex() = default;

    /// Indexes `ids` (ids[i] ↦ i). Errors: `kInvalidArgument` naming the
    /// first duplicate id.
    [[nodiscard]] static Result<FlightIndex> build(const std::vector<FlightId>& ids);

    /// The position of `id`, or nullopt. Inline: it sits on the search's
    /// hot path (one call per leg for live seat counts).
    [[nodiscard]] std::optional<std::uint32_t> find(FlightId id) const noexcept {
        const std::int64_t v = id.value();
        if (!dense_.empty()) {
            const std::int64_t k = v - base_;
            if (k < 0 || k >= static_cast<std::int64_t>(dense_.size())) return std::nullopt;
            const std::uint32_t i = dense_[static_cast<std::size_t>(k)];
            if (i == kAbsent) return std::nullopt;
            return i;
        }
        auto it = std::lower_bound(sorted_.begin(), sorted_.end(),
                                   std::pair<std::int64_t, std::uint32_t>{v, 0});
        if (it == sorted_.end() || it->first != v) return std::nullopt;
        return it->second;
    }

    /// Bytes held by the table.
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return dense_.capacity() * sizeof(std::uint32_t) +
               sorted_.capacity() * sizeof(std::pair<std::int64_t, std::uint32_t>);
    }

private:
    static constexpr std::uint32_t kAbsent = 0xFFFFFFFFU;

    std::int64_t base_ = 0;
    std::vector<std::uint32_t> dense_;                            // id - base_ → index
    std::vector<std::pair<std::int64_t, std::uint32_t>> sorted_;  // when ids are sparse
};

}  // namespace flightbook
