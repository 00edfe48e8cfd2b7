#!/usr/bin/env bash
# Runs the whole test suite: Java unit and integration tests (real servers, Redis, dynalite),
# the process-level durability tests, and the web page's Node and browser tests.
# First installs what the tests need (as root on Debian) or stops with one message listing it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-deps.sh
. scripts/java-home.sh
echo "Using JDK at $JAVA_HOME"
exec ./mvnw -B verify "$@"
