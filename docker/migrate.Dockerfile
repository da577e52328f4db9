# Migration job image: psql, the numbered SQL files of sql/ and
# docker/migrate.sh. Build from the repository root:
#   docker build -f docker/migrate.Dockerfile -t flightbook/migrate .
FROM debian:12-slim
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 flightbook \
    && useradd --system --uid 10001 --gid flightbook --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin flightbook
COPY sql /usr/share/flightbook/sql
COPY docker/migrate.sh /usr/local/bin/flightbook-migrate
RUN chmod 0755 /usr/local/bin/flightbook-migrate
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/flightbook-migrate"]
