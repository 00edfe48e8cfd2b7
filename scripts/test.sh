#!/usr/bin/env bash
# Runs the whole test suite: Java unit and integration tests (real servers, Redis, dynalite),
# the process-level durability tests, the web page's Node and browser tests, the load and fault
# harnesses' own tests, and then a short fault campaign (docs/reliability.md) on the jars just built.
# First installs what the tests need (as root on Debian) or stops with one message listing it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-deps.sh
. scripts/java-home.sh
echo "Using JDK at $JAVA_HOME"
./mvnw -B -Pbench verify "$@"
# Three instances, Redis and dynalite under a fixed fault schedule; fails if an acknowledged pixel
# is lost, the instances diverge, or a watcher was shown a pixel the log does not hold.
scripts/chaos.sh --no-build --duration 60s --seed 20261128
