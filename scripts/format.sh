#!/usr/bin/env bash
# Formats the C++ tree with the checked-in .clang-format, or with --check
# fails if any file would change.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || true)
[ ${#files[@]} -gt 0 ] || exit 0
if [ "${1:-}" = "--check" ]; then
    clang-format --dry-run --Werror "${files[@]}"
else
    clang-format -i "${files[@]}"
fi
