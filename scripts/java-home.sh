# Sourced by the project's scripts: exports JAVA_HOME (and PATH) for a JDK of version 21 or later.
# Keeps a suitable JAVA_HOME or `java` on PATH; otherwise looks in the usual install folders and
# picks the newest. Fails with a clear message if there is none.

java_major() { # $1 = path to a java binary; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

pixels_find_jdk() {
  local candidate best="" best_version=0 v
  for candidate in "${JAVA_HOME:-}/bin/java" "$(command -v java 2>/dev/null || true)" \
      /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$candidate" ] && [ -x "$(dirname "$candidate")/javac" ] || continue
    v=$(java_major "$candidate")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_version" ]; then best="$candidate"; best_version="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "Pixels needs a JDK 21 or later (java and javac); none was found. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME="$(cd "$(dirname "$best")/.." && pwd)"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}

pixels_find_jdk
