# Pixels — common tasks. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help local-dev build test lint bench bench-cluster chaos

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

local-dev: ## Start the server on the embedded store (http://localhost:8000)
	@scripts/dev.sh

build: ## Build the runnable jar at target/pixels.jar
	@. scripts/java-home.sh && ./mvnw -B -q -DskipTests package

test: ## Run the whole test suite (Java, durability, web unit and browser tests, a short fault campaign)
	@scripts/test.sh

lint: ## Compile everything from scratch (main and tests) with warnings as errors
	@. scripts/java-home.sh && ./mvnw -B -q -Plint,bench -DskipTests -DskipWebTests test-compile

bench: ## Run the load benchmark profiles against a fresh server (see docs/benchmarks.md)
	@scripts/bench.sh

bench-cluster: ## Run the prd load on a two-instance cluster, 3 runs (ARGS="--instances 3 --runs 1"; see docs/benchmarks.md)
	@scripts/bench-cluster.sh $(ARGS)

chaos: ## Run the fault campaign on a three-instance cluster (ARGS="--duration 15m --seed random", or "--mode single"; see docs/reliability.md)
	@scripts/chaos.sh $(ARGS)

-include make/*.mk
