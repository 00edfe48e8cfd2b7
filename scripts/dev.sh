#!/usr/bin/env bash
# Builds the server if needed and starts it on the embedded store (SQLite under ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
if [ ! -f target/pixels.jar ] || [ -n "$(find server/src server/pom.xml pom.xml -newer target/pixels.jar -print -quit)" ]; then
  ./mvnw -B -q -DskipTests package
fi
exec java -jar target/pixels.jar
