# Everyday tasks. Each target is a thin wrapper over scripts/; `make help` lists them.
.DEFAULT_GOAL := help
PRESET ?= release

.PHONY: help deps build up down restart logs test stress-test bench fmt lint db-reset clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## Install the Debian packages (idempotent)
	scripts/install-deps.sh

build: ## Configure and build (PRESET=debug|release|asan|tsan)
	scripts/build.sh $(PRESET)

up: ## Install, build, start PostgreSQL, Redis and the services (README command 1)
	scripts/up.sh

down: ## Stop the services, Redis and PostgreSQL
	scripts/apps.sh stop
	scripts/services.sh down

restart: ## Restart the services (databases keep running)
	scripts/apps.sh stop
	scripts/apps.sh start

logs: ## Tail the PostgreSQL and Redis logs
	scripts/services.sh logs

test: ## Install, build and run every suite incl. sanitizers (README command 2)
	scripts/test.sh

stress-test: ## Run only the concurrency and fault suites against local services
	scripts/build.sh $(PRESET)
	scripts/services.sh up
	. scripts/common.sh && export_test_env && ctest --preset $(PRESET) -L stress --output-on-failure

bench: ## Build and run the benchmarks (see docs/benchmarks.md)
	scripts/bench.sh

fmt: ## Format the C++ sources with clang-format
	scripts/format.sh

lint: ## Run clang-tidy over the library and apps
	scripts/lint.sh

db-reset: ## Drop and recreate both databases, flush Redis, migrate again
	scripts/services.sh reset

clean: ## Remove build trees (keeps databases)
	rm -rf out build build-*
