#!/bin/bash
# The daemon under parallel load, and foreground exec/run, side by side with runc (issue 15 items 3 and 4).
# Run as root after `make build`:   bench/daemon-concurrency.sh [WORKERS] [CYCLES] [PAIRS]
#  1. WORKERS (8) parallel loops x CYCLES (10) create/start/delete of a /bin/true container through one daemon,
#     then the same with runc: total wall time each, and how many calls the daemon declined (its status).
#  2. PAIRS (11) interleaved pairs of `exec CONTAINER /bin/true` (jruntime through the daemon, then runc), and of
#     `run ID` of a /bin/true bundle (a foreground run is not served by the daemon: its own JVM): median of each.
# The daemon runs on the default socket inside a private mount namespace with a tmpfs on /run/jruntime-daemon
# (the script re-executes itself under `unshare -m --propagation private`), so no other daemon is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${JRUNTIME_BENCH_NS:-}" != 1 ]; then
    exec env JRUNTIME_BENCH_NS=1 unshare -m --propagation private "$0" "$@"
fi
mkdir -p /run/jruntime-daemon && mount -t tmpfs -o mode=0700 tmpfs /run/jruntime-daemon
unset JRUNTIME_DAEMON JRUNTIME_DAEMON_SOCKET
workers=${1:-8} cycles=${2:-10} pairs=${3:-11}
jr="$PWD/bin/jruntime" runc=$(command -v runc)
work=$(mktemp -d /tmp/jruntime-bench-dc.XXXXXX)
cleanup() {
    for r in jr runc; do
        b=$jr; [ $r = runc ] && b=$runc
        for c in $($b --root "$work/state-$r" list -q 2>/dev/null); do $b --root "$work/state-$r" delete --force "$c" >/dev/null 2>&1 || true; done
    done
    "$jr" daemon stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
scripts/make-bundle.sh "$work/true" -- /bin/true >/dev/null
scripts/make-bundle.sh "$work/sleep" -- sleep 1000 >/dev/null
JRUNTIME_DAEMON=0 "$jr" daemon start >/dev/null
now() { date +%s%N; }
# asked from a JVM of its own (JRUNTIME_DAEMON=0), so the asking is not itself counted as a declined call
status_num() { JRUNTIME_DAEMON=0 "$jr" daemon status | grep -o "$1 [0-9]*" | head -1 | cut -d' ' -f2; }

echo "# host: $(uname -r), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%FT%TZ)"
echo "# $(JRUNTIME_DAEMON=0 $jr --version | head -1); $($runc --version | head -1)"

# warm the daemon up (its first calls compile the hot path) and runc's page cache alike
for i in 1 2 3; do
    (cd "$work/true" && "$jr" --root "$work/state-jr" run -d "warm$i" >/dev/null && "$jr" --root "$work/state-jr" delete --force "warm$i")
    (cd "$work/true" && "$runc" --root "$work/state-runc" run -d "warm$i" >/dev/null && "$runc" --root "$work/state-runc" delete --force "warm$i")
done

loop() { # runtime-binary state-dir worker
    local b=$1 s=$2 w=$3 i
    cd "$work/true"
    for i in $(seq "$cycles"); do
        $b --root "$s" create "w$w-$i" && $b --root "$s" start "w$w-$i" && $b --root "$s" delete --force "w$w-$i" || echo "FAILED w$w-$i" >&2
    done
}
parallel() { # name binary state-dir
    local t0 t1 w
    t0=$(now)
    for w in $(seq "$workers"); do loop "$2" "$3" "$w" & done
    wait
    t1=$(now)
    echo "$1: $workers workers x $cycles create/start/delete: $(( (t1 - t0) / 1000000 )) ms total"
}
served0=$(status_num served) declined0=$(status_num declined)
parallel "jruntime+daemon" "$jr" "$work/state-jr"
echo "  daemon: served $(( $(status_num served) - served0 )), declined $(( $(status_num declined) - declined0 ))"
parallel "runc" "$runc" "$work/state-runc"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) after the parallel runs"

(cd "$work/sleep" && "$jr" --root "$work/state-jr" run -d fgj >/dev/null && "$runc" --root "$work/state-runc" run -d fgr >/dev/null)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || echo "FAILED: $*" >&2; t1=$(now); echo $(( (t1 - t0) / 100000 )); }
jexec=() rexec=() jrun=() rrun=()
served0=$(status_num served) declined0=$(status_num declined)
for i in $(seq "$pairs"); do
    jexec+=("$(ms "$jr" --root "$work/state-jr" exec fgj /bin/true)")
    rexec+=("$(ms "$runc" --root "$work/state-runc" exec fgr /bin/true)")
    jrun+=("$(cd "$work/true" && ms "$jr" --root "$work/state-jr" run "r$i")")
    rrun+=("$(cd "$work/true" && ms "$runc" --root "$work/state-runc" run "r$i")")
done
tenths() { printf '%d.%d' $(( $1 / 10 )) $(( $1 % 10 )); }
echo "exec /bin/true (median of $pairs interleaved pairs): jruntime+daemon $(tenths "$(printf '%s\n' "${jexec[@]}" | median)") ms, runc $(tenths "$(printf '%s\n' "${rexec[@]}" | median)") ms"
echo "run /bin/true (median of $pairs interleaved pairs): jruntime (own JVM: not served) $(tenths "$(printf '%s\n' "${jrun[@]}" | median)") ms, runc $(tenths "$(printf '%s\n' "${rrun[@]}" | median)") ms"
echo "  daemon during the pairs: served $(( $(status_num served) - served0 )), declined $(( $(status_num declined) - declined0 ))"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "# the daemon's declines (its log, reasons counted):"
grep -o 'declined pid [0-9]* (.*' /run/jruntime-daemon/daemon.sock.log | sed 's/^declined pid [0-9]* (\[[^]]*\]): //' | sort | uniq -c | sed 's/^/#   /' || true
