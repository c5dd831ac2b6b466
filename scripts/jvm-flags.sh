# JVM flags shared by the launcher and the AOT training run (they must match, or the JVM rejects the cache).
# Sourced by scripts/make-launcher.sh and scripts/make-aot.sh.
#  - C1 only, serial GC, no perf data: a short-lived CLI; the JIT and GC threads would only cost start-up.
#  - warnings to stderr, never stdout (stdout carries state JSON); the AOT cache's own notes silenced.
#  - protobuf-java still uses sun.misc.Unsafe; allow it quietly instead of a warning on every checkpoint.
JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr -Xlog:aot=error:stderr --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
