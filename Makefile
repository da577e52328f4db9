# Everyday tasks. Each target is a thin wrapper over scripts/; `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PRESET ?= release
COMPOSE := docker compose -f docker/compose.yaml

.PHONY: help deps build dev-setup up down restart logs test stress-test storm bench fmt lint \
        db-reset clean docker-up docker-down

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## Install the Debian packages (idempotent)
	scripts/install-deps.sh

build: ## Configure and build (PRESET=debug|release|asan|tsan)
	scripts/build.sh $(PRESET)

dev-setup: ## Install, build, start PostgreSQL and Redis, create and migrate the databases (no services)
	scripts/install-deps.sh
	scripts/build.sh $(PRESET)
	scripts/services.sh up

up: ## Install, build, start PostgreSQL, Redis and the services (README command 1)
	scripts/up.sh

down: ## Stop the services, Redis and PostgreSQL
	scripts/apps.sh stop
	scripts/services.sh down

restart: ## Restart the services (databases keep running)
	scripts/apps.sh stop
	scripts/apps.sh start

logs: ## Follow the PostgreSQL, Redis and service logs (under .local/)
	scripts/services.sh logs

test: ## Install, build and run every suite incl. sanitizers (README command 2)
	scripts/test.sh

stress-test: ## Run only the concurrency and fault suites, on their own PostgreSQL and Redis
	scripts/build.sh $(PRESET)
	. scripts/common.sh && start_test_services && ctest --preset $(PRESET) -L stress --output-on-failure

storm: ## Run the reliability storm against the system of `make up` (PROFILE=short|long)
	scripts/stress.sh $(or $(PROFILE),short)

bench: ## Build and run the benchmarks (see docs/benchmarks.md)
	scripts/bench.sh

fmt: ## Format the C++ sources with clang-format
	scripts/format.sh

lint: ## Run clang-tidy over the library and apps
	scripts/lint.sh

db-reset: ## Drop and recreate the databases, flush Redis, migrate again
	scripts/services.sh reset

clean: ## Remove build trees (keeps databases)
	rm -rf out build build-*

docker-up: ## Build the images and start the compose system (docker/compose.yaml)
	@if [ ! -f docker/flightbook.env ]; then \
	    echo "creating docker/flightbook.env with a new random service token"; \
	    ( umask 077; token="$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"; \
	      sed "s/^FLIGHTBOOK_SERVICE_TOKEN=.*/FLIGHTBOOK_SERVICE_TOKEN=$$token/" \
	          docker/flightbook.env.example >docker/flightbook.env ); \
	fi
	$(COMPOSE) up -d --build

docker-down: ## Stop and remove the compose containers (volumes are kept)
	$(COMPOSE) down
