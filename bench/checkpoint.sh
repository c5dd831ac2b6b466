#!/bin/bash
# Checkpoint and restore wall time, jruntime vs runc, for one container holding 16 MiB, 256 MiB and 1 GiB of
# resident anonymous memory, in one run. Both use CRIU 4.2.1 (/usr/local/sbin/criu; runc is given --criu, as its
# PATH lookup would find Debian's 3.17, which fails on this kernel). Run as root after `make build`:
#   bench/checkpoint.sh [RUNS] [SIZES_MIB...]
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-3}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(16 256 1024)
criu=/usr/local/sbin/criu
work=$(mktemp -d /tmp/jruntime-bench-cr.XXXXXX)
# "jruntime": every call in its own JVM; "jruntime+daemon": bin/jruntime with a `jruntime daemon` started for
# the run, which serves checkpoint (restore always runs in its own JVM).
declare -A bin=([jruntime]="env JRUNTIME_DAEMON=0 $top/bin/jruntime"
    [jruntime+daemon]="env JRUNTIME_DAEMON_SOCKET=$work/daemon.sock $top/bin/jruntime" [runc]="$(command -v runc)")
runtimes=(jruntime jruntime+daemon runc)
cleanup() {
    for r in "${runtimes[@]}"; do
        for c in $(ls "$work/state-$r" 2>/dev/null); do ${bin[$r]} --root "$work/state-$r" delete --force "$c" >/dev/null 2>&1 || true; done
    done
    "$top/bin/jruntime" daemon stop --socket "$work/daemon.sock" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"$top/bin/jruntime" daemon start --socket "$work/daemon.sock" >/dev/null

# A process that keeps N MiB of touched anonymous memory, then sleeps.
cat > "$work/memhog.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    size_t n = (size_t)atol(argv[1]) << 20;
    char *p = malloc(n);
    for (size_t i = 0; i < n; i += 4096) p[i] = (char)i;
    for (;;) pause();
}
C
gcc -O2 -static -o "$work/memhog" "$work/memhog.c"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "# host: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); runs: $runs; $(date -u +%FT%TZ)"
echo "# criu: $($criu --version | head -1); runc: $(runc --version | head -1); jruntime: $(bin/jruntime --version | head -1)"
echo
echo "| runtime | resident MiB | checkpoint ms (median) | restore ms (median) | images MiB |"
echo "|---|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    for r in "${runtimes[@]}"; do
        b="$work/bundle-$r-$size"
        scripts/make-bundle.sh "$b" -- /bin/memhog "$size" >/dev/null
        cp "$work/memhog" "$b/rootfs/bin/memhog"
        dumps=() restores=() imgsize=0
        for i in $(seq "$runs"); do
            id="cr-${r%+daemon}-$size-$i" img="$work/img-$r-$size-$i" rt=(${bin[$r]} --root "$work/state-$r")
            [ "$r" = runc ] && rt+=(--criu "$criu")
            (cd "$b" && "${rt[@]}" run -d "$id" </dev/null >/dev/null 2>&1)
            # wait until the memory is resident
            pid=$("${rt[@]}" state "$id" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
            for _ in $(seq 200); do
                rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
                [ "${rss:-0}" -ge $((size * 1024 * 9 / 10)) ] && break; sleep 0.05
            done
            t0=$(now); "${rt[@]}" checkpoint --image-path "$img" --work-path "$img" "$id" </dev/null >/dev/null 2>"$work/err" || { echo "# $r checkpoint failed: $(tail -c 400 "$work/err")"; break; }
            t1=$(now)
            "${rt[@]}" delete --force "$id" >/dev/null 2>&1 || true
            sync # the dump's writeback must not land in the restore's time (nor in the next runtime's)
            t2=$(now); "${rt[@]}" restore --detach --image-path "$img" --work-path "$img" --bundle "$b" "$id" </dev/null >/dev/null 2>"$work/err" || { echo "# $r restore failed: $(tail -c 400 "$work/err")"; break; }
            t3=$(now)
            dumps+=("$(ms "$t0" "$t1")"); restores+=("$(ms "$t2" "$t3")")
            imgsize=$(( $(du -sk "$img" | cut -f1) / 1024 ))
            "${rt[@]}" delete --force "$id" >/dev/null 2>&1 || true
            rm -rf "$img"
        done
        [ ${#dumps[@]} -gt 0 ] && echo "| $r | $size | $(median "${dumps[@]}") | $(median "${restores[@]}") | $imgsize |"
    done
done
