#!/usr/bin/env bash
# Makes sure the programs the whole test suite needs are installed, before any test runs:
# redis-server (Redis tests), Node.js 20+ with npm (web tests, dynalite), Chromium (browser
# tests), ffmpeg (the timelapse's video formats), and as root iproute2 and iptables (the fault campaign's partitions); programs named as
# arguments are required too (.ci/run adds `make`).
# Missing ones are installed with apt-get when running as root on Debian/Ubuntu; otherwise this
# stops at once with one message listing them all, so a test run never fails halfway through.
set -euo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

node_too_old() {
  [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]
}

missing=()   # Debian packages to install
manual=()    # what this script does not install itself
# A subshell: only whether a JDK is found matters here; test.sh picks it itself.
(. "$(dirname "$0")/java-home.sh") >/dev/null 2>&1 || manual+=("a JDK 21 or later (java and javac, or set JAVA_HOME)")
command -v redis-server >/dev/null || missing+=(redis-server)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
if ! command -v node >/dev/null; then
  missing+=(nodejs)
elif node_too_old; then
  manual+=("Node.js 20 or later (found $(node --version); e.g. from nodejs.org or NodeSource)")
fi
# Debian's nodejs leaves npm to a package of its own; other builds of Node ship it.
command -v npm >/dev/null || missing+=(npm)
if [ ! -x "$chromium" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "CHROMIUM_PATH is $CHROMIUM_PATH, which is not an executable; fix it or unset it to use /usr/bin/chromium." >&2
    exit 1
  fi
  missing+=(chromium)
fi
# The fault campaign cuts an instance off in a network namespace, which needs root; without root
# it skips that fault, so only a root run needs these.
if [ "$(id -u)" -eq 0 ]; then
  command -v ip >/dev/null || missing+=(iproute2)
  command -v iptables >/dev/null || missing+=(iptables)
fi
for program in "$@"; do
  command -v "$program" >/dev/null || missing+=("$program")
done

can_install=false
[ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && can_install=true
if [ ${#manual[@]} -gt 0 ] || { [ ${#missing[@]} -gt 0 ] && [ "$can_install" = false ]; }; then
  {
    echo "The tests need what is not installed here; install it, then run the tests again:"
    for need in "${manual[@]}"; do echo "  - $need"; done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "  - ${missing[*]} (on Debian/Ubuntu: sudo apt-get install ${missing[*]})"
    fi
  } >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi

# Some releases' nodejs package is older than the web tests need.
if node_too_old; then
  echo "The web tests need Node.js 20 or later; found $(node --version). Install a newer Node.js (e.g. from nodejs.org or NodeSource)." >&2
  exit 1
fi
