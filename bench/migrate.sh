#!/bin/bash
# Downtime and total time of `jruntime migrate send/receive` (plain, no --lazy) for a container holding N MiB of
# touched anonymous memory. Source and target run on this machine over 127.0.0.1, each with its own --root and
# bundle copy. Downtime is measured by the container's own program: it records CLOCK_REALTIME every millisecond
# and keeps the largest gap between two of its own instructions in /tmp/gap (ms) of its rootfs, so the value read
# from the target's rootfs after the migration is "last instruction on the source to first on the target".
# Run as root after `make build`:
#   bench/migrate.sh [RUNS] [SIZES_MIB...]      (default: 2 runs, 16 and 256 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-2}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(16 256)
work=$(mktemp -d /tmp/jruntime-bench-mig.XXXXXX)
J=(env JRUNTIME_DAEMON=0 "$top/bin/jruntime")
cleanup() {
    for r in rA rB; do
        for c in $(ls "$work/$r" 2>/dev/null); do "${J[@]}" --root "$work/$r" delete --force "$c" >/dev/null 2>&1 || true; done
    done
    rm -rf "$work"
}
trap cleanup EXIT
head -c 32 /dev/urandom | base64 > "$work/token"; chmod 600 "$work/token"

cat > "$work/gaphog.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(int argc, char **argv) {
    size_t n = (size_t)atol(argv[1]) << 20;
    char *p = malloc(n);
    for (size_t i = 0; i < n; i += 4096) p[i] = (char)i;
    FILE *f = fopen("/tmp/ready", "w"); fclose(f);
    long long last = now(), max = 0;
    for (;;) {
        usleep(1000);
        long long t = now();
        if (t - last > max) {
            max = t - last;
            f = fopen("/tmp/gap.new", "w"); fprintf(f, "%lld\n", max / 1000000); fclose(f);
            rename("/tmp/gap.new", "/tmp/gap");
        }
        last = t;
    }
}
C
gcc -O2 -static -o "$work/gaphog" "$work/gaphog.c"

now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "# host: $(uname -r), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); runs: $runs; $(date -u +%FT%TZ)"
echo
echo "| mode | resident MiB | downtime ms (median) | total ms (median) | runs |"
echo "|---|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
    downs=() totals=()
    for i in $(seq "$runs"); do
        a="$work/a-$size-$i" b="$work/b-$size-$i"
        scripts/make-bundle.sh "$a" -- /bin/gaphog "$size" >/dev/null
        cp "$work/gaphog" "$a/rootfs/bin/gaphog"
        sed -i 's/"readonly": true/"readonly": false/' "$a/config.json"   # the program writes /tmp in its rootfs
        cp -a "$a" "$b"
        (cd "$a" && "${J[@]}" --root "$work/rA" run -d "src-$size-$i" </dev/null >/dev/null 2>&1)
        until [ -e "$a/rootfs/tmp/ready" ]; do
            [ "$("${J[@]}" --root "$work/rA" state "src-$size-$i" | grep -c '"running"')" = 1 ] || { echo "src-$size-$i died" >&2; exit 1; }
            sleep 0.1
        done
        sleep 1  # let the startup gaps settle: the gap recorded before the migration stays far below its downtime
        "${J[@]}" --root "$work/rB" migrate receive --listen 127.0.0.1:0 --bundle "$b" --token-file "$work/token" \
            --work-path "$work" "dst-$size-$i" >"$work/recv.out" 2>&1 </dev/null &
        rpid=$!
        until grep -q '^listening on' "$work/recv.out"; do sleep 0.1; done
        port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/recv.out")
        t0=$(now)
        "${J[@]}" --root "$work/rA" migrate send --to "127.0.0.1:$port" --token-file "$work/token" --work-path "$work" \
            "src-$size-$i" 2>"$work/send.err" || { cat "$work/send.err" "$work/recv.out" >&2; exit 1; }
        t1=$(now)
        wait "$rpid"
        # the first instruction on the target records the gap; wait for it
        until [ -e "$b/rootfs/tmp/gap" ]; do sleep 0.05; done
        sleep 0.2
        downs+=("$(cat "$b/rootfs/tmp/gap")") totals+=($(( (t1 - t0) / 1000000 )))
        "${J[@]}" --root "$work/rB" delete --force "dst-$size-$i" >/dev/null
        rm -rf "$a" "$b"
    done
    echo "| plain | $size | $(median "${downs[@]}") | $(median "${totals[@]}") | ${downs[*]} / ${totals[*]} |"
done
