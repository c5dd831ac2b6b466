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
rm -f "$libdir/jruntime.aot" "$libdir/jruntime-lifecycle.aot"
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
# Two caches: jruntime.aot for everything, jruntime-lifecycle.aot trained on the commands every engine call makes
# (create, start, state, delete, kill, list; the launcher picks it for those). A JVM maps and links every class of
# its cache at start, so the smaller cache makes those calls cheaper (docs/PERFORMANCE.md, "Per-call cost").
# JAVA_TOOL_OPTIONS is how the JDK hands options to its AOT assembly child; silence its announcement, and the
# line of the training container (as root, AotTraining runs one whose process is a copy of the init helper).
# The lifecycle round gets `jruntime spec`'s config.json made beforehand: writing it would put databind in the cache.
mkdir "$train/spec"
"$jdk/bin/java" $JVM_FLAGS -cp "$libdir/jruntime.jar" io.jruntime.cli.Main spec --bundle "$train/spec"
for cache in jruntime.aot:--all jruntime-lifecycle.aot:--lifecycle; do
    "$jdk/bin/java" -XX:AOTCacheOutput="$libdir/${cache%%:*}" $JVM_FLAGS -Djruntime.aot.config="$train/spec/config.json" \
      -Djruntime.libdir="$libdir" -Djava.io.tmpdir="$train" -cp "$libdir/jruntime.jar:$training" io.jruntime.cli.AotTraining \
      "${cache#*:}" </dev/null >/dev/null 2> >(grep -v -e '^Picked up JAVA_TOOL_OPTIONS' -e '^jruntime-init is started by jruntime' >&2)
done
