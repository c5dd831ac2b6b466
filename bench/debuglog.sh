#!/bin/bash
# What --debug costs: create + start + delete --force of a /bin/true container with and without
# `--debug --log FILE --log-format json`, jruntime (own JVMs, JRUNTIME_DAEMON=0) and runc side by side, with
# hyperfine. Run as root after `make build`:
#   bench/debuglog.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=$(mktemp -d /tmp/jruntime-bench-debug.XXXXXX)
J="env JRUNTIME_DAEMON=0 $PWD/bin/jruntime"
R="$(command -v runc)"
cleanup() {
    for b in "$J" "$R"; do
        for s in plain debug; do $b --root "$work/state-$s" delete --force bench-debug >/dev/null 2>&1 || true; done
    done
    rm -rf "$work"
}
trap cleanup EXIT
scripts/make-bundle.sh "$work/bundle" -- /bin/true >/dev/null
echo "# host: $(uname -r), $(nproc) cpus; runs: $runs; $(date -u +%FT%TZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cycle() { # runtime-binary state-suffix global-flags...
    local b=$1 s=$2; shift 2
    echo "cd $work/bundle && $b --root $work/state-$s $* create bench-debug && $b --root $work/state-$s $* start bench-debug && $b --root $work/state-$s $* delete --force bench-debug"
}
dbg="--debug --log $work/debug.log --log-format json"
hyperfine --warmup 3 --runs "$runs" --export-markdown "$work/out.md" \
    -n "jruntime create+start+delete" "$(cycle "$J" plain)" \
    -n "jruntime --debug create+start+delete" "$(cycle "$J" debug "$dbg")" \
    -n "runc create+start+delete" "$(cycle "$R" plain)" \
    -n "runc --debug create+start+delete" "$(cycle "$R" debug "$dbg")" >/dev/null
cat "$work/out.md"
echo "# debug log lines per cycle: $(( $(wc -l < "$work/debug.log") / (runs + 3) / 2 )) (jruntime and runc together, averaged)"
