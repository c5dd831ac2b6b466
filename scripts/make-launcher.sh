#!/bin/bash
# Builds the bin/jruntime launcher (runtime-cli/src/main/c/launcher.c) into OUT. Paths and JVM flags are
# absolute and baked in: engines call the runtime with no PATH at all (and no locale), so the launcher must
# not look anything up.
#
#   scripts/make-launcher.sh JDK LIBDIR OUT
set -eu
jdk=$1 libdir=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/jvm-flags.sh"
flags=""
for f in $JVM_FLAGS; do flags="$flags\"$f\","; done
tmp="$out.tmp.$$"
gcc -O2 -Wall -Wextra -Werror -o "$tmp" \
    -DJR_JAVA="\"$jdk/bin/java\"" -DJR_LIBDIR="\"$libdir\"" -DJR_JVM_FLAGS="$flags" \
    "$here/../runtime-cli/src/main/c/launcher.c"
chmod 755 "$tmp"
mv -f "$tmp" "$out"
