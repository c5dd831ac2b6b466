#!/bin/bash
# CLI start-up benchmark: the calls engines make most, timed for bin/jruntime (with and without its AOT cache),
# a JVM hello-world with the launcher's JVM flags and no AOT cache (the floor without AOT), runc and crun.
#
#   bench/startup.sh [runs]          (default 30 runs per command, after 5 warm-up runs)
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop timed with date +%s%N.
# Prints a markdown table; docs/PERFORMANCE.md ("CLI start-up") records figures from it.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-30}
launcher=bin/jruntime
[ -x "$launcher" ] || { echo "bin/jruntime missing: run make build first" >&2; exit 1; }

tmp=$(mktemp -d)
mkdir -p "$tmp/root-empty" "$tmp/root/c1"
# A container jruntime sees as running (pid 1 is always alive; start time 0 = not checked).
cat > "$tmp/root/c1/state.json" <<'JSON'
{"ociVersion":"1.2.0","id":"c1","initPid":1,"initStartTime":0,"bundle":"/bundle","rootfs":"/bundle/rootfs","created":"2026-01-01T00:00:00.000000000Z","owner":""}
JSON

# For runc's "state <existing>": a real busybox container in the created state (needs root and busybox).
runc_ctr=
if [ "$(id -u)" = 0 ] && command -v runc >/dev/null && [ -x /bin/busybox ]; then
    mkdir -p "$tmp/bundle/rootfs/bin" "$tmp/runc-root"
    cp /bin/busybox "$tmp/bundle/rootfs/bin/" && ln -s busybox "$tmp/bundle/rootfs/bin/sleep"
    (cd "$tmp/bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"sleep", "600"/' config.json)
    if runc --root "$tmp/runc-root" create --bundle "$tmp/bundle" bench-c1 </dev/null >/dev/null 2>&1; then
        runc_ctr=bench-c1
    fi
fi
cleanup() {
    [ -n "$runc_ctr" ] && runc --root "$tmp/runc-root" delete --force "$runc_ctr" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

# The same launcher without its AOT cache: drop the line that selects it.
sed '/jruntime\.aot/d' "$launcher" > "$tmp/jruntime-noaot"
chmod +x "$tmp/jruntime-noaot"

# A hello-world with the launcher's JDK and JVM flags (no AOT cache, no class path beyond one class).
jdk=$(sed -n 's/^exec "\(.*\)\/bin\/java".*/\1/p' "$launcher")
cat > "$tmp/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
"$jdk/bin/javac" -d "$tmp" "$tmp/Hello.java"
hello="$jdk/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr -cp $tmp Hello"

declare -a names cmds
add() { names+=("$1"); cmds+=("$2"); }
add "jruntime state <missing>"            "$launcher --root $tmp/root-empty state missing"
add "jruntime state <existing>"           "$launcher --root $tmp/root state c1"
add "jruntime --version"                  "$launcher --version"
add "jruntime list (empty root)"          "$launcher --root $tmp/root-empty list"
add "jruntime state <missing>, no AOT"    "$tmp/jruntime-noaot --root $tmp/root-empty state missing"
add "jruntime state <existing>, no AOT"   "$tmp/jruntime-noaot --root $tmp/root state c1"
add "jruntime --version, no AOT"          "$tmp/jruntime-noaot --version"
add "jruntime list (empty root), no AOT"  "$tmp/jruntime-noaot --root $tmp/root-empty list"
add "java Hello (same flags, no AOT)"     "$hello"
for rt in runc crun; do
    if command -v $rt >/dev/null; then
        add "$rt state <missing>"            "$(command -v $rt) --root $tmp/root-empty state missing"
        if [ $rt = runc ] && [ -n "$runc_ctr" ]; then
            add "runc state <existing>"      "$(command -v runc) --root $tmp/runc-root state $runc_ctr"
        fi
        add "$rt --version"                  "$(command -v $rt) --version"
        add "$rt list (empty root)"          "$(command -v $rt) --root $tmp/root-empty list"
    fi
done

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs"
echo
if command -v hyperfine >/dev/null; then
    args=()
    for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    # -N: no intermediate shell; -i: "state <missing>" exits 1 on purpose.
    hyperfine -N -i -w 5 -r "$runs" --style none --export-json "$tmp/h.json" "${args[@]}" >/dev/null
    echo "| command | mean ± σ (ms) | median (ms) | min (ms) | user+sys CPU (ms) |"
    echo "|---|---:|---:|---:|---:|"
    if command -v python3 >/dev/null; then
        python3 - "$tmp/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("| %s | %.1f ± %.1f | %.1f | %.1f | %.1f |" % (r["command"], r["mean"] * 1e3, r["stddev"] * 1e3,
          r["median"] * 1e3, r["min"] * 1e3, (r["user"] + r["system"]) * 1e3))
PY
    else
        hyperfine -N -i -w 5 -r "$runs" --style none --export-markdown /dev/stdout "${args[@]}" >/dev/null
    fi
else
    echo "| command | mean (ms) | min (ms) |"
    echo "|---|---:|---:|"
    for i in "${!cmds[@]}"; do
        for _ in 1 2 3 4 5; do ${cmds[$i]} >/dev/null 2>&1 || true; done
        total=0 min=
        for _ in $(seq "$runs"); do
            t0=$(date +%s%N); ${cmds[$i]} >/dev/null 2>&1 || true; t1=$(date +%s%N)
            d=$(( (t1 - t0) / 1000 )); total=$((total + d))
            [ -z "$min" ] || [ "$d" -lt "$min" ] && min=$d
        done
        printf '| %s | %d.%d | %d.%d |\n' "${names[$i]}" $((total / runs / 1000)) $((total / runs % 1000 / 100)) $((min / 1000)) $((min % 1000 / 100))
    done
fi
