#!/usr/bin/env python3
"""Static check of docker/: no Docker engine is needed.

Cross-checks docker/compose.yaml against the code and the scripts:

* every service's published and container port is the default port its
  code declares (`define_server_settings(<config>, NNNN)`) and the one
  scripts/apps.sh uses; its health check asks that port for /ready;
* every environment variable the compose file (or an env file, or the
  image's ENV) hands a service is one the service declares
  (`{"flag", "ENV", ...}` in its sources and the app::define_* helpers of
  apps/support/src/service_config.cpp); DB_NAME is the service's own
  database; peer URLs and DB_HOST / REDIS_HOST name compose services;
* restart policies, depends_on conditions (service_healthy,
  service_completed_successfully for the migration job), Redis's
  `--appendonly yes` and `--maxmemory-policy noeviction`;
* each service's Dockerfile exists, is multi-stage, builds only that
  service's target, installs in its build stage only packages that
  scripts/install-deps.sh installs, and its runtime stage runs as a
  non-root user, EXPOSEs the port and has a HEALTHCHECK on /ready;
* the databases the services use are created by docker/postgres-init.sql
  and migrated by docker/migrate.sh.

Prints one line per mismatch and exits 1 if there is any; 0 otherwise.
Usage: docker_config_test.py [--root REPOSITORY_ROOT]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # a missing checker must not pass as a passed check
    print("docker_config: FAIL: the Python module 'yaml' is missing; install the Debian "
          "package python3-yaml (scripts/install-deps.sh does)", file=sys.stderr)
    sys.exit(1)


class Checker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []
        self.checks = 0

    def expect(self, ok: bool, where: str, message: str) -> bool:
        self.checks += 1
        if not ok:
            self.problems.append(f"{where}: {message}")
        return ok

    def read(self, relative: str) -> str | None:
        path = self.root / relative
        if not path.is_file():
            self.problems.append(f"{relative}: file not found")
            return None
        return path.read_text(encoding="utf-8")


# --- what the code declares -------------------------------------------------

# A setting declaration: {"kebab-flag", "ENV_NAME", ...} in Config::define,
# or define_service_url(c, "kebab-flag", "ENV_NAME", ...).
DECLARATION = re.compile(r'"([a-z][a-z0-9-]*)"\s*,\s*"([A-Z][A-Z0-9_]*)"')
HELPER_CALL = re.compile(r"\b(define_[a-z_]+)\s*\(")
SERVER_PORT = re.compile(r"define_server_settings\s*\(\s*\w+\s*,\s*(\d+)\s*\)")
DATABASE_NAME = re.compile(r'define_database_settings\s*\(\s*\w+\s*,\s*"(\w+)"')
SUPPORT_INCLUDE = re.compile(r'#include\s+"flightbook/app/(\w+)\.hpp"')
SHARED_HELPERS_SOURCE = "apps/support/src/service_config.cpp"


def helper_declarations(source: str) -> dict[str, set[str]]:
    """Env names declared by each `void define_*(...)` function body."""
    helpers: dict[str, set[str]] = {}
    for match in re.finditer(r"^void\s+(define_\w+)\s*\(.*?^}", source, re.M | re.S):
        helpers[match.group(1)] = {env for _, env in DECLARATION.findall(match.group(0))}
    return helpers


class ServiceCode:
    """What one service's sources declare: port, database, env names."""

    def __init__(self, checker: Checker, name: str, helpers: dict[str, set[str]]) -> None:
        self.name = name
        main = f"apps/{name}/main.cpp"
        # The service may be defined in main.cpp or in an apps/support source
        # that main.cpp includes the header of (flight_service_host.hpp ->
        # flight_service_host.cpp): one that declares the server settings.
        self.sources = [main]
        text = checker.read(main) or ""
        for header in SUPPORT_INCLUDE.findall(text):
            candidate = checker.root / f"apps/support/src/{header}.cpp"
            if candidate.is_file():
                support = candidate.read_text(encoding="utf-8")
                if SERVER_PORT.search(support):
                    self.sources.append(f"apps/support/src/{header}.cpp")
                    text += "\n" + support
        ports = SERVER_PORT.findall(text)
        checker.expect(len(ports) == 1, name,
                       f"expected one define_server_settings(<config>, PORT) in {self.sources}, "
                       f"found {len(ports)}")
        self.port = int(ports[0]) if ports else None
        databases = DATABASE_NAME.findall(text)
        self.database = databases[0] if databases else None
        self.env = {env for _, env in DECLARATION.findall(text)}
        self.helpers_called = set(HELPER_CALL.findall(text)) & set(helpers)
        for helper in self.helpers_called:
            self.env |= helpers[helper]
        self.uses_redis = "define_redis_settings" in self.helpers_called
        self.uses_token = "service_token(" in text
        checker.expect(bool(self.env), name, f"no environment variables found in {self.sources}")


def apps_sh_ports(checker: Checker) -> dict[str, int]:
    text = checker.read("scripts/apps.sh") or ""
    match = re.search(r"^SERVICES=\(([^)]*)\)", text, re.M)
    if not checker.expect(match is not None, "scripts/apps.sh", "no SERVICES=(name:port ...) list"):
        return {}
    return {name: int(port) for name, port in re.findall(r"([\w-]+):(\d+)", match.group(1))}


def install_deps_packages(checker: Checker) -> set[str]:
    text = checker.read("scripts/install-deps.sh") or ""
    match = re.search(r"^packages=\((.*?)^\)", text, re.M | re.S)
    if not checker.expect(match is not None, "scripts/install-deps.sh", "no packages=( ... ) list"):
        return set()
    body = re.sub(r"#.*", "", match.group(1))
    return set(body.split())


# --- Dockerfiles --------------------------------------------------------------

def dockerfile_stages(text: str) -> list[list[str]]:
    """Instructions (continuation lines joined, comments dropped) per stage."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    if current:
        lines.append(current)
    stages: list[list[str]] = []
    for line in lines:
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def apt_packages(instructions: list[str]) -> set[str]:
    packages: set[str] = set()
    for line in instructions:
        for command in re.findall(r"apt-get\s+install\s+([^&;|]*)", line):
            packages |= {word for word in command.split() if not word.startswith("-")}
    return packages


def env_names(instructions: list[str]) -> set[str]:
    names: set[str] = set()
    for line in instructions:
        if line.upper().startswith("ENV "):
            names |= set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", line[4:]))
    return names


def check_service_dockerfile(checker: Checker, service: str, code: ServiceCode,
                             relative: str, deps: set[str]) -> None:
    where = relative
    text = checker.read(relative)
    if text is None:
        return
    stages = dockerfile_stages(text)
    if not checker.expect(len(stages) >= 2, where,
                          f"expected a multi-stage build (two FROM lines at least), "
                          f"found {len(stages)}"):
        return
    build, runtime = stages[:-1], stages[-1]
    build_lines = [line for stage in build for line in stage]
    checker.expect(any(re.search(rf"--target\s+{re.escape(service)}\b", line)
                       for line in build_lines),
                   where, f"the build stage does not build the target '{service}' "
                          f"(cmake --build ... --target {service})")
    other_targets = {t for line in build_lines for t in re.findall(r"--target\s+([\w-]+)", line)}
    checker.expect(other_targets <= {service}, where,
                   f"builds other targets too: {sorted(other_targets - {service})}")
    checker.expect(any("--preset release" in line for line in build_lines), where,
                   "the build stage does not use the release preset (cmake --preset release)")
    build_packages = apt_packages(build_lines)
    checker.expect(bool(build_packages), where, "the build stage installs no Debian packages")
    unknown = build_packages - deps
    checker.expect(not unknown, where,
                   f"the build stage installs packages scripts/install-deps.sh does not: "
                   f"{sorted(unknown)}")
    # Benchmarks and the fuzzers' clang runtime are not built into images.
    libraries = {p for p in deps if p.startswith("lib") and p.endswith("-dev")
                 and p not in {"libbenchmark-dev", "libclang-rt-14-dev"}}
    missing = libraries - build_packages
    checker.expect(not missing, where,
                   f"the build stage lacks library packages of scripts/install-deps.sh: "
                   f"{sorted(missing)}")
    checker.expect(any(re.search(rf"COPY\s+--from=\S+.*\b{re.escape(service)}\b", line)
                       for line in runtime),
                   where, f"the runtime stage does not copy the {service} binary from a "
                          f"build stage")
    users = [line.split(None, 1)[1].strip() for line in runtime
             if line.upper().startswith("USER ") and len(line.split(None, 1)) == 2]
    checker.expect(bool(users) and users[-1].split(":")[0] not in {"root", "0"}, where,
                   f"the runtime stage must run as a non-root USER, found {users or 'none'}")
    exposed = {int(p) for line in runtime if line.upper().startswith("EXPOSE ")
               for p in re.findall(r"\b(\d+)\b", line)}
    checker.expect(code.port in exposed, where,
                   f"EXPOSE {sorted(exposed)} does not include the service port {code.port}")
    health = [line for line in runtime if line.upper().startswith("HEALTHCHECK ")]
    checker.expect(any("/ready" in line for line in health), where,
                   "the runtime stage has no HEALTHCHECK on /ready")
    undeclared = env_names(runtime) - code.env
    checker.expect(not undeclared, where,
                   f"ENV sets variables {service} does not declare: {sorted(undeclared)}")
    port_env = [m for line in runtime if line.upper().startswith("ENV ")
                for m in re.findall(r"\bPORT=(\S+)", line)]
    checker.expect(all(p == str(code.port) for p in port_env), where,
                   f"ENV PORT={port_env} differs from the service port {code.port}")


# --- compose --------------------------------------------------------------------

def as_env_dict(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    result: dict[str, str] = {}
    for item in value:  # list form: NAME=value
        name, _, v = str(item).partition("=")
        result[name] = v
    return result


def env_file_names(checker: Checker, relative: str) -> dict[str, str]:
    """Names in a committed env file; for flightbook.env, its .example."""
    path = checker.root / relative
    if not path.is_file():
        example = Path(str(path) + ".example")
        if not checker.expect(example.is_file(), relative,
                              f"neither the env file nor {relative}.example is committed"):
            return {}
        path = example
    result: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            result[name.strip()] = value.strip()
    return result


def as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def published_ports(where: str, checker: Checker, ports: object) -> list[tuple[int, int]]:
    result = []
    for entry in as_list(ports):
        if isinstance(entry, dict):  # long syntax
            result.append((int(entry.get("published", 0)), int(entry.get("target", 0))))
            continue
        parts = str(entry).split("/")[0].split(":")
        if not checker.expect(len(parts) >= 2, where, f"port '{entry}' publishes no host port"):
            continue
        result.append((int(parts[-2]), int(parts[-1])))
    return result


def healthcheck_text(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    return " ".join(str(t) for t in as_list(test))


def check_depends(checker: Checker, name: str, service: dict, needed: dict[str, str]) -> None:
    depends = service.get("depends_on") or {}
    where = f"compose.yaml services.{name}.depends_on"
    if not checker.expect(isinstance(depends, dict), where,
                          "use the long form (name: {condition: ...}) so that start order "
                          "waits for health"):
        return
    for dependency, spec in depends.items():
        condition = (spec or {}).get("condition")
        expected = needed.get(dependency)
        if expected is None:
            expected = ("service_completed_successfully" if dependency == "migrate"
                        else "service_healthy")
        checker.expect(condition == expected, where,
                       f"{dependency}: condition is {condition!r}, expected {expected!r}")
    for dependency in needed:
        checker.expect(dependency in depends, where, f"missing dependency on {dependency}")


def redis_command(service: dict) -> list[str]:
    command = service.get("command")
    if isinstance(command, str):
        return command.split()
    return [str(c) for c in as_list(command)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="repository root (default: two folders above this file)")
    args = parser.parse_args()
    checker = Checker(args.root.resolve())

    compose_text = checker.read("docker/compose.yaml")
    if compose_text is None:
        return report(checker)
    try:
        compose = yaml.safe_load(compose_text)
    except yaml.YAMLError as error:
        checker.problems.append(f"docker/compose.yaml: not valid YAML: {error}")
        return report(checker)
    services: dict = compose.get("services") or {}

    helpers = helper_declarations(checker.read(SHARED_HELPERS_SOURCE) or "")
    checker.expect(bool(helpers), SHARED_HELPERS_SOURCE, "no define_* helpers found")
    apps_dir = checker.root / "apps"
    service_names = sorted(
        p.parent.name for p in apps_dir.glob("*/main.cpp")
        if p.parent.name.endswith("-service"))
    checker.expect(bool(service_names), "apps/", "no apps/*-service/main.cpp found")
    code = {name: ServiceCode(checker, name, helpers) for name in service_names}
    apps_ports = apps_sh_ports(checker)
    deps = install_deps_packages(checker)
    init_sql = checker.read("docker/postgres-init.sql") or ""
    migrate_sh = checker.read("docker/migrate.sh") or ""
    created = set(re.findall(r"CREATE\s+DATABASE\s+(\w+)", init_sql, re.I))
    migrated_match = re.search(r'^databases="([^"]*)"', migrate_sh, re.M)
    migrated = set(migrated_match.group(1).split()) if migrated_match else set()
    checker.expect(bool(migrated), "docker/migrate.sh", 'no databases="..." list')

    # Infrastructure.
    for required in ("postgres", "redis", "migrate"):
        checker.expect(required in services, "docker/compose.yaml",
                       f"no '{required}' service")
    redis = services.get("redis") or {}
    command = redis_command(redis)
    pairs = {(a, b) for a, b in zip(command, command[1:])}
    checker.expect(("--appendonly", "yes") in pairs, "compose.yaml services.redis.command",
                   f"must contain --appendonly yes, is {command}")
    checker.expect(("--maxmemory-policy", "noeviction") in pairs,
                   "compose.yaml services.redis.command",
                   f"must contain --maxmemory-policy noeviction, is {command}")
    for infra in ("postgres", "redis"):
        service = services.get(infra) or {}
        checker.expect(bool(healthcheck_text(service)), f"compose.yaml services.{infra}",
                       "has no healthcheck (the services wait for it)")
        checker.expect(service.get("restart") == "unless-stopped",
                       f"compose.yaml services.{infra}.restart",
                       f"is {service.get('restart')!r}, expected 'unless-stopped'")
    postgres = services.get("postgres") or {}
    checker.expect(any("postgres-init.sql" in str(v) for v in as_list(postgres.get("volumes"))),
                   "compose.yaml services.postgres.volumes", "does not mount postgres-init.sql")
    migrate = services.get("migrate") or {}
    checker.expect(str(migrate.get("restart", "no")) in {"no", "False"},
                   "compose.yaml services.migrate.restart",
                   f"a one-shot job must not restart, is {migrate.get('restart')!r}")
    check_depends(checker, "migrate", migrate, {"postgres": "service_healthy"})
    migrate_build = migrate.get("build") or {}
    migrate_dockerfile = f"{migrate_build.get('dockerfile', '')}" if isinstance(
        migrate_build, dict) else ""
    migrate_text = checker.read(migrate_dockerfile) if migrate_dockerfile else None
    if checker.expect(migrate_text is not None, "compose.yaml services.migrate.build",
                      f"Dockerfile '{migrate_dockerfile}' not found"):
        checker.expect("postgresql-client" in migrate_text and "COPY sql" in migrate_text
                       and "docker/migrate.sh" in migrate_text, migrate_dockerfile,
                       "must install postgresql-client and copy sql/ and docker/migrate.sh")
    migrate_env = as_env_dict(migrate.get("environment"))
    migrate_reads = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", migrate_sh))
    extra = set(migrate_env) - migrate_reads
    checker.expect(not extra, "compose.yaml services.migrate.environment",
                   f"docker/migrate.sh does not read {sorted(extra)}")

    # The services.
    databases: dict[str, str] = {}
    for name in service_names:
        where = f"compose.yaml services.{name}"
        service = services.get(name)
        if not checker.expect(isinstance(service, dict), "docker/compose.yaml",
                              f"no '{name}' service"):
            continue
        c = code[name]

        # Ports: code default == compose container == compose host == apps.sh.
        mapped = published_ports(where, checker, service.get("ports"))
        checker.expect(len(mapped) == 1, f"{where}.ports", f"expected one port, found {mapped}")
        for host, container in mapped:
            checker.expect(container == c.port, f"{where}.ports",
                           f"container port {container} differs from the default port "
                           f"{c.port} in {c.sources}")
            checker.expect(host == c.port, f"{where}.ports",
                           f"host port {host} differs from the service port {c.port}")
            checker.expect(apps_ports.get(name) == host, f"{where}.ports",
                           f"host port {host} differs from scripts/apps.sh "
                           f"({name}:{apps_ports.get(name)})")

        # Environment: only names the service declares.
        env = as_env_dict(service.get("environment"))
        file_env: dict[str, str] = {}
        for env_file in as_list(service.get("env_file")):
            relative = env_file.get("path") if isinstance(env_file, dict) else env_file
            file_env.update(env_file_names(checker, f"docker/{relative}"))
        for source, names in (("environment", env), ("env_file", file_env)):
            undeclared = set(names) - c.env
            checker.expect(not undeclared, f"{where}.{source}",
                           f"passes {sorted(undeclared)}, which {name} does not declare "
                           f"(declared: {', '.join(sorted(c.env))})")
        merged = {**file_env, **env}
        if "PORT" in merged:
            checker.expect(merged["PORT"] == str(c.port), f"{where}.environment",
                           f"PORT={merged['PORT']} differs from the service port {c.port}")
        build = service.get("build") or {}
        dockerfile = build.get("dockerfile") if isinstance(build, dict) else None
        if dockerfile and (checker.root / dockerfile).is_file():
            stages = dockerfile_stages((checker.root / dockerfile).read_text(encoding="utf-8"))
            if stages and "FLIGHTBOOK_BIND_ADDRESS=0.0.0.0" in " ".join(stages[-1]):
                merged.setdefault("FLIGHTBOOK_BIND_ADDRESS", "0.0.0.0")
        checker.expect(merged.get("FLIGHTBOOK_BIND_ADDRESS") == "0.0.0.0", where,
                       "FLIGHTBOOK_BIND_ADDRESS must be 0.0.0.0 (compose or image ENV): the "
                       "default 127.0.0.1 is unreachable from other containers")
        if c.database:
            checker.expect(merged.get("DB_NAME") == c.database, f"{where}.environment",
                           f"DB_NAME is {merged.get('DB_NAME')!r}, expected {c.database!r} "
                           f"(define_database_settings in {c.sources})")
            database = merged.get("DB_NAME", c.database)
            checker.expect(database not in databases, f"{where}.environment",
                           f"DB_NAME {database} is also used by {databases.get(database)}")
            databases[database] = name
            checker.expect(database in created, "docker/postgres-init.sql",
                           f"does not create database {database} ({name})")
            checker.expect(database in migrated, "docker/migrate.sh",
                           f"does not migrate database {database} ({name})")
            checker.expect((checker.root / "sql" / database).is_dir(), f"sql/{database}",
                           f"no migrations folder for {name}'s database")
            checker.expect(merged.get("DB_HOST") in services, f"{where}.environment",
                           f"DB_HOST {merged.get('DB_HOST')!r} is not a compose service")
        if c.uses_redis:
            checker.expect(merged.get("REDIS_HOST") in services, f"{where}.environment",
                           f"REDIS_HOST {merged.get('REDIS_HOST')!r} is not a compose service")
        if c.uses_token:
            checker.expect("FLIGHTBOOK_SERVICE_TOKEN" in file_env, where,
                           "FLIGHTBOOK_SERVICE_TOKEN must come from the env_file, not be "
                           "missing or written into compose.yaml")
            checker.expect("FLIGHTBOOK_SERVICE_TOKEN" not in env, f"{where}.environment",
                           "the service token must not be written into compose.yaml")
        peers: dict[str, str] = {}
        for variable, url in merged.items():
            if not variable.endswith("_SERVICE_URL"):
                continue
            match = re.fullmatch(r"https?://([\w.-]+):(\d+)", url)
            if not checker.expect(match is not None, f"{where}.environment",
                                  f"{variable}={url!r} is not http://service:port"):
                continue
            peer, port = match.group(1), int(match.group(2))
            if checker.expect(peer in code, f"{where}.environment",
                              f"{variable} names {peer!r}, not a flightbook service"):
                checker.expect(port == code[peer].port, f"{where}.environment",
                               f"{variable} uses port {port}, {peer} listens on "
                               f"{code[peer].port}")
                peers[peer] = "service_healthy"

        # Health, restart, start order.
        health = healthcheck_text(service)
        checker.expect(f":{c.port}/ready" in health, f"{where}.healthcheck",
                       f"must request http://127.0.0.1:{c.port}/ready, is {health!r}")
        checker.expect(service.get("restart") == "unless-stopped", f"{where}.restart",
                       f"is {service.get('restart')!r}, expected 'unless-stopped'")
        needed = dict(peers)
        if c.database:
            needed.update({"postgres": "service_healthy",
                           "migrate": "service_completed_successfully"})
        if c.uses_redis:
            needed["redis"] = "service_healthy"
        check_depends(checker, name, service, needed)

        # The image.
        if checker.expect(bool(dockerfile), f"{where}.build",
                          "has no build.dockerfile") and dockerfile:
            checker.expect(Path(dockerfile).name == f"{name}.Dockerfile", f"{where}.build",
                           f"dockerfile {dockerfile} is not docker/{name}.Dockerfile")
            checker.expect(str(build.get("context", "")).rstrip("/") in {"..", "../"},
                           f"{where}.build", "context must be the repository root (..)")
            check_service_dockerfile(checker, name, c, dockerfile, deps)

    extra_services = set(services) - set(service_names) - {"postgres", "redis", "migrate"}
    checker.expect(not extra_services, "docker/compose.yaml",
                   f"services without a check: {sorted(extra_services)}")

    ignore = checker.read(".dockerignore") or ""
    for folder in ("out/", ".local/"):
        checker.expect(folder in ignore.split(), ".dockerignore",
                       f"must exclude {folder} from the build context")
    return report(checker)


def report(checker: Checker) -> int:
    if checker.problems:
        for problem in checker.problems:
            print(f"docker_config: FAIL: {problem}", file=sys.stderr)
        print(f"docker_config: {len(checker.problems)} problem(s) in {checker.checks} checks",
              file=sys.stderr)
        return 1
    print(f"docker_config: OK ({checker.checks} checks of docker/ against the code and "
          f"scripts/apps.sh)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
