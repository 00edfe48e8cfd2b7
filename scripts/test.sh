#!/usr/bin/env bash
# Runs the whole test suite: Java unit and integration tests (real servers, Redis, dynalite),
# the process-level durability tests, and the web page's Node and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
echo "Using JDK at $JAVA_HOME"
exec ./mvnw -B verify "$@"
