#!/usr/bin/env bash
# Installs the pinned Node tooling (dynalite, playwright-core) from package-lock.json when missing
# or out of date; called by the Maven build before the tests that need it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  echo "npm is required for the DynamoDB (dynalite) and web tests; install Node.js 20+." >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
