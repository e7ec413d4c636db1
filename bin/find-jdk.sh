# Sourced by ./blitdb, ./mvnw and .ci/run: finds a JDK 25 (or newer) and exports JAVA_HOME.
#
# Order: $JAVA_HOME if it is a JDK 25+, then /usr/lib/jvm/*25* and the other usual install folders, then the
# `java` on PATH. A JAVA_HOME that is too old is reported and skipped, so a stale shell setting does not stop
# the launcher. Returns 1 (after printing what to do) when no JDK 25 is found.

blitdb_java_major() { # $1 = a JDK home; prints its feature version, or nothing
  local java="$1/bin/java" line
  [ -x "$java" ] || return 0
  line=$("$java" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version' || true)
  line=${line##*= }
  line=${line%%.*}
  case "$line" in ''|*[!0-9]*) ;; *) echo "$line" ;; esac
}

blitdb_is_jdk25() { # $1 = a JDK home
  local major
  [ -x "$1/bin/javac" ] || return 1
  major=$(blitdb_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 25 ]
}

blitdb_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ]; then
    if blitdb_is_jdk25 "$JAVA_HOME"; then
      export JAVA_HOME
      return 0
    fi
    echo "blitdb: JAVA_HOME=$JAVA_HOME is not a JDK 25 or newer; looking for one elsewhere." >&2
  fi
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/*-[3-9][0-9]* \
                   /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
                   "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    if blitdb_is_jdk25 "$candidate"; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(cd "$(dirname "$(readlink -f "$(command -v javac)")")/.." && pwd)
    if blitdb_is_jdk25 "$candidate"; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  fi
  cat >&2 <<'MSG'
blitdb: no JDK 25 found. BlitDB needs JDK 25 or newer (it uses the Foreign Function & Memory API).
Looked at: $JAVA_HOME, /usr/lib/jvm/*, /usr/java/*, /opt/java/*, /opt/jdk*, ~/.sdkman/candidates/java/*,
~/.jdks/*, /Library/Java/JavaVirtualMachines/*, and the javac on PATH.
Install one (e.g. Eclipse Temurin 25 from https://adoptium.net, or `apt install openjdk-25-jdk`) and either
put it in one of those places or point JAVA_HOME at it:  export JAVA_HOME=/path/to/jdk-25
MSG
  return 1
}
