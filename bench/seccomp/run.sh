#!/usr/bin/env bash
# Seccomp compilation benchmark: cold (fresh JVM, incl. loading libseccomp through FFM) and warm compile of Podman's
# default profile, RUNS fresh JVMs; prints each run and the medians.
# Usage: bench/seccomp/run.sh [PROFILE_JSON] [ITERATIONS] [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
profile=${1:-$top/runtime-core/src/test/resources/io/jruntime/core/security/seccomp/podman-seccomp.json}
iterations=${2:-20}
runs=${3:-9}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=$top/runtime-core/target/bench-seccomp
mkdir -p "$out"
cd "$top"
mvn -B -q -Dstyle.color=never -pl runtime-core -am -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile="$out/cp.txt" >/dev/null 2>&1
cp="$top/runtime-core/target/classes:$(cat "$out/cp.txt")"
"$JAVA_HOME/bin/javac" -d "$out" -cp "$cp" "$top/bench/seccomp/SeccompBench.java"
"$JAVA_HOME/bin/java" -version 2>&1 | head -1
echo "cpus: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$out/runs.txt"
for i in $(seq "$runs"); do
    echo "--- run $i (fresh JVM)"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$out:$cp" SeccompBench "$profile" "$iterations" | tee -a "$out/runs.txt"
done
median() { grep "^$1" "$out/runs.txt" | awk -F: '{print $2}' | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "=== medians of $runs runs"
echo "cold library load:  $(median 'cold library load') ms"
echo "cold first compile: $(median 'cold first compile') ms"
echo "cold total:         $(median 'cold total') ms"
echo "warm average:       $(median 'warm average') ms"
