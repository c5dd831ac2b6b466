#!/bin/bash
# Builds the JDK AOT cache for jruntime from the final jar by running real subcommands in one training JVM
# (io.jruntime.cli.AotTraining). The flags and classpath match the launcher's, or the JVM would reject the cache.
set -eu
jdk=$1 libdir=$2
rm -f "$libdir/jruntime.aot"
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
# -Xlog:aot=error: the cache legitimately skips a few classes (dynamic proxies, lambda forms); say nothing of it.
"$jdk/bin/java" -XX:AOTCacheOutput="$libdir/jruntime.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \
  -Xlog:disable -Xlog:all=warning:stderr -Xlog:aot=error:stderr --enable-native-access=ALL-UNNAMED \
  -Djruntime.libdir="$libdir" -Djava.io.tmpdir="$train" -cp "$libdir/jruntime.jar" io.jruntime.cli.AotTraining >/dev/null
