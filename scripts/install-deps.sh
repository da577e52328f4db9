#!/usr/bin/env bash
# Installs every Debian 12 package flightbook needs to build, test and run.
# Idempotent: packages already present are left alone.
set -euo pipefail
. "$(dirname "$0")/common.sh"

packages=(
    build-essential cmake ninja-build pkg-config ccache git ca-certificates
    libpq-dev libhiredis-dev libsimdjson-dev libfmt-dev libcpp-httplib-dev
    doctest-dev libbenchmark-dev
    postgresql postgresql-client redis-server redis-tools
    curl wrk python3 python3-yaml clang-format clang-tidy
    clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    log "all Debian packages present"
    exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Do not let the postgresql package start its own cluster on 5432: we run
# our own on a project port.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/flightbook.conf >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The Debian redis-server package starts a system instance on 6379; ours runs
# on its own port, so stop that one where a service manager is present.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    $SUDO systemctl stop redis-server || true
fi
