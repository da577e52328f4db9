# flight-service image. Build from the repository root:
#   docker build -f docker/flight-service.Dockerfile -t flightbook/flight-service .
# (docker/compose.yaml does this). The build stage is the same in the three
# service Dockerfiles, so the engine's layer cache shares it; each file
# builds only its own target.

# --- build: Debian 12 with the build packages of scripts/install-deps.sh
# (tests, benchmarks and examples are not built, so doctest and Google
# Benchmark are left out) and the release preset of CMakePresets.json.
FROM debian:12 AS build
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        build-essential cmake ninja-build pkg-config \
        libpq-dev libhiredis-dev libsimdjson-dev libfmt-dev libcpp-httplib-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# .dockerignore keeps out/, build trees, .local/ and .git/ out of the context.
COPY . .
RUN cmake --preset release \
        -DFLIGHTBOOK_BUILD_TESTS=OFF -DFLIGHTBOOK_BUILD_BENCHMARKS=OFF \
        -DFLIGHTBOOK_BUILD_EXAMPLES=OFF >/dev/null \
    && cmake --build --preset release --parallel "$(nproc)" --target flight-service \
    && install -D -m 0755 -s out/release/apps/flight-service/flight-service /out/flight-service

# --- runtime: the shared libraries the binary links and curl for the
# health check; runs as an unprivileged user.
FROM debian:12-slim AS runtime
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        libpq5 libhiredis0.14 libsimdjson14 libfmt9 libcpp-httplib0.11 \
        curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 flightbook \
    && useradd --system --uid 10001 --gid flightbook --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin flightbook
COPY --from=build /out/flight-service /usr/local/bin/flight-service
USER 10001:10001
# In a container the service must listen on every interface; everything
# else comes from the environment (docs/operations.md).
ENV PORT=8080 FLIGHTBOOK_BIND_ADDRESS=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=15s --retries=5 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/ready" >/dev/null || exit 1
# SIGTERM drains: in-flight requests finish, then the process exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/flight-service"]
