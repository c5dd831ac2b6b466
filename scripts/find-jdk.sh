#!/bin/bash
# Prints the home of a JDK whose major version is >= 25: $JAVA_HOME first, then /usr/lib/jvm/*.
# Prints nothing (exit 1) when there is none.
set -u
major() {
    local v
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    echo "${v%%.*}"
}
for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    m=$(major "$home")
    if [ -n "$m" ] && [ "$m" -ge 25 ] 2>/dev/null; then
        echo "$home"
        exit 0
    fi
done
exit 1
