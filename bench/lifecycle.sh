#!/bin/bash
# Side-by-side container lifecycle timings: `run /bin/true` and `create + start + delete` for jruntime, runc
# and crun, in one run, with hyperfine. Run as root after `make build`:
#   bench/lifecycle.sh [RUNS]
# crun 1.8.1 refuses hosts whose cgroup2 hierarchy holds hugetlb in hybrid mode ("cgroups in hybrid mode not
# supported"); it is then reported as such and left out.
# "jruntime" runs every command in its own JVM (JRUNTIME_DAEMON=0); "jruntime+daemon" hands create, start and
# delete to a `jruntime daemon` started for the run (a foreground `run` is never handed over, so it has no row).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
work=$(mktemp -d /tmp/jruntime-bench.XXXXXX)
cleanup() {
    "$PWD/bin/jruntime" daemon stop --socket "$work/daemon.sock" >/dev/null 2>&1 || true
    for r in "${!bin[@]}"; do
        for c in bench-run bench-cycle; do ${bin[$r]} --root "$work/state-$r" delete --force "$c" >/dev/null 2>&1 || true; done
    done
    rm -rf "$work"
}

scripts/make-bundle.sh "$work/bundle" -- /bin/true >/dev/null
declare -A bin=([jruntime]="env JRUNTIME_DAEMON=0 $PWD/bin/jruntime"
    [jruntime+daemon]="env JRUNTIME_DAEMON_SOCKET=$work/daemon.sock $PWD/bin/jruntime"
    [runc]="$(command -v runc || true)" [crun]="$(command -v crun || true)")
trap cleanup EXIT
"$PWD/bin/jruntime" daemon start --socket "$work/daemon.sock" >/dev/null
runtimes=()
for r in jruntime jruntime+daemon runc crun; do
    b=${bin[$r]}
    [ -n "$b" ] || { echo "# $r: not installed, skipped"; continue; }
    if ! out=$(cd "$work/bundle" && $b --root "$work/state-$r" run "probe-$r" 2>&1); then
        echo "# $r: cannot run a container on this host, skipped: ${out//$'\n'/ }"
        $b --root "$work/state-$r" delete --force "probe-$r" >/dev/null 2>&1 || true
        continue
    fi
    runtimes+=("$r")
done

echo "# host: $(uname -r), $(nproc) cpus; runs: $runs; $(date -u +%FT%TZ)"
for r in "${runtimes[@]}"; do echo "# $r: $(${bin[$r]} --version | head -1)"; done

run_cmds=() cycle_cmds=() names=()
for r in "${runtimes[@]}"; do
    b=${bin[$r]} s="$work/state-$r"
    names+=("$r")
    run_cmds+=("cd $work/bundle && $b --root $s run bench-run")
    cycle_cmds+=("cd $work/bundle && $b --root $s create bench-cycle && $b --root $s start bench-cycle && $b --root $s delete --force bench-cycle")
done

args=()
for i in "${!names[@]}"; do [ "${names[$i]}" = jruntime+daemon ] || args+=(-n "${names[$i]} run /bin/true" "${run_cmds[$i]}"); done
hyperfine --warmup 3 --runs "$runs" --export-markdown "$work/run.md" "${args[@]}" >/dev/null
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]} create+start+delete" "${cycle_cmds[$i]}"); done
hyperfine --warmup 3 --runs "$runs" --export-markdown "$work/cycle.md" "${args[@]}" >/dev/null
cat "$work/run.md"
echo
cat "$work/cycle.md"
