#!/bin/bash
# Builds the JDK AOT cache for jruntime from the final jar by running real subcommands in one training JVM
# (io.jruntime.cli.AotTraining). The flags and classpath match the launcher's, or the JVM would reject the cache.
set -eu
jdk=$1 libdir=$2
. "$(dirname "$0")/jvm-flags.sh"
rm -f "$libdir/jruntime.aot"
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
# JAVA_TOOL_OPTIONS is how the JDK hands options to its AOT assembly child; silence its announcement, and the
# line of the training container (as root, AotTraining runs one whose process is a copy of the init helper).
"$jdk/bin/java" -XX:AOTCacheOutput="$libdir/jruntime.aot" $JVM_FLAGS \
  -Djruntime.libdir="$libdir" -Djava.io.tmpdir="$train" -cp "$libdir/jruntime.jar" io.jruntime.cli.AotTraining \
  </dev/null >/dev/null 2> >(grep -v -e '^Picked up JAVA_TOOL_OPTIONS' -e '^jruntime-init is started by jruntime' >&2)
