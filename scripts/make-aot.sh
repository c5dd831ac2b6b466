#!/bin/bash
# Builds the JDK AOT cache for jruntime from the final jar by running real subcommands in one training JVM
# (io.jruntime.cli.AotTraining). The flags and classpath match the launcher's, or the JVM would reject the cache:
# the training code is build-time only (module aot-training), so its jar comes after jruntime.jar on the training
# class path and is not in $libdir (the JVM accepts a run-time class path that is a prefix of the training one).
set -eu
jdk=$1 libdir=$2
training=${3:-$(cd "$(dirname "$0")/.." && pwd)/aot-training/target/aot-training.jar}
[ -f "$training" ] || { echo "make-aot.sh: $training is missing (mvn package builds it)" >&2; exit 1; }
. "$(dirname "$0")/jvm-flags.sh"
rm -f "$libdir/jruntime.aot"
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
# JAVA_TOOL_OPTIONS is how the JDK hands options to its AOT assembly child; silence its announcement.
"$jdk/bin/java" -XX:AOTCacheOutput="$libdir/jruntime.aot" $JVM_FLAGS \
  -Djruntime.libdir="$libdir" -Djava.io.tmpdir="$train" -cp "$libdir/jruntime.jar:$training" io.jruntime.cli.AotTraining \
  >/dev/null 2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2)
