#!/usr/bin/env bash
# End-to-end cost of a seccomp profile: `run` of a container that runs `true`, without linux.seccomp and with the
# Podman and the Docker-shaped profile, under jruntime (bin/jruntime) and runc, interleaved, RUNS times each;
# prints the median wall time of each. Needs root, `make build`, runc. Usage: bench/seccomp/e2e.sh [RUNS]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-7}
export JRUNTIME_DAEMON=0
res=$top/runtime-core/src/test/resources/io/jruntime/core/security/seccomp
work=$(mktemp -d /tmp/jruntime-bench-seccomp.XXXXXX)
trap 'rm -rf "$work"' EXIT
for p in none podman docker-like; do
    "$top/scripts/make-bundle.sh" "$work/$p" -- true >/dev/null
    if [ "$p" != none ]; then
        python3 - "$work/$p/config.json" "$res/$p-seccomp.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["linux"]["seccomp"] = json.load(open(sys.argv[2]))
json.dump(c, open(sys.argv[1], "w"))
PY
    fi
done
: > "$work/times"
for i in $(seq "$runs"); do
    for rt in jruntime runc; do
        bin=$top/bin/jruntime; [ $rt = runc ] && bin=$(command -v runc)
        for p in none podman docker-like; do
            s=$(date +%s%N)
            "$bin" --root "$work/state-$rt" run -b "$work/$p" "b$i$p" >/dev/null
            echo "$rt $p $((($(date +%s%N) - s) / 1000000))" >> "$work/times"
        done
    done
done
echo "cpus: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each, median ms of run (create+start+wait+delete):"
for rt in jruntime runc; do
    for p in none podman docker-like; do
        printf '%-9s %-12s %s\n' $rt $p "$(awk -v r=$rt -v p=$p '$1==r && $2==p {print $3}' "$work/times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    done
done
