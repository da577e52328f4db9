#!/usr/bin/env bash
# Runs clang-tidy (the checked-in .clang-tidy) over the library and apps,
# using the compile database of the release preset.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

[ -f "$FLIGHTBOOK_BUILD_DIR/compile_commands.json" ] || scripts/build.sh release
mapfile -t files < <(git ls-files 'lib/*.cpp' 'apps/*.cpp')
clang-tidy -p "$FLIGHTBOOK_BUILD_DIR" --quiet "${files[@]}"
