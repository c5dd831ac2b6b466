#!/bin/bash
# Per-call cost without the daemon: `create`, `state`, `start`, `delete --force` of one container, jruntime in a
# JVM of its own per call (JRUNTIME_DAEMON=0) beside runc, and a JVM hello-world started with the launcher's JVM
# flags and an AOT cache of its own (the floor any JVM call pays), all interleaved in one loop so they share the
# machine's load. Run as root after `make build`:
#
#   bench/percall.sh [RUNS]        (default 21 timed rounds after 3 warm-up rounds)
#   JRUNTIME_BENCH_BASELINE=/other/checkout/bin/jruntime bench/percall.sh   adds that build's rows (before/after)
#
# Prints a markdown table: median, min and mean per call, and jruntime's median over the hello-world's.
# docs/PERFORMANCE.md ("Per-call cost without the daemon") records figures from it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
launcher=$PWD/bin/jruntime
[ -x "$launcher" ] || { echo "bin/jruntime missing: run make build first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (containers are created)" >&2; exit 1; }
runc=$(command -v runc) || { echo "runc not installed" >&2; exit 1; }
jdk=$(scripts/find-jdk.sh)
. scripts/jvm-flags.sh

work=$(mktemp -d /tmp/jruntime-percall.XXXXXX)
cleanup() {
    for c in $(ls "$work/state-jruntime" 2>/dev/null); do
        JRUNTIME_DAEMON=0 "$launcher" --root "$work/state-jruntime" delete --force "$c" >/dev/null 2>&1 || true
    done
    for c in $(ls "$work/state-baseline" 2>/dev/null); do
        JRUNTIME_DAEMON=0 "$JRUNTIME_BENCH_BASELINE" --root "$work/state-baseline" delete --force "$c" >/dev/null 2>&1 || true
    done
    for c in $(ls "$work/state-runc" 2>/dev/null); do
        "$runc" --root "$work/state-runc" delete --force "$c" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
scripts/make-bundle.sh "$work/bundle" -- /bin/true >/dev/null

# The hello-world, with an AOT cache trained on itself and the launcher's flags (what "a JVM start" costs at best).
cat > "$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
mkdir "$work/classes"
"$jdk/bin/javac" -d "$work/classes" "$work/Hello.java"
"$jdk/bin/jar" cf "$work/hello.jar" -C "$work/classes" Hello.class   # an AOT cache needs a jar, not a directory
# shellcheck disable=SC2086
"$jdk/bin/java" -XX:AOTCacheOutput="$work/hello.aot" $JVM_FLAGS -cp "$work/hello.jar" Hello >/dev/null 2>&1

python3 - "$runs" "$work" "$launcher" "$runc" "$jdk/bin/java" "$JVM_FLAGS" "${JRUNTIME_BENCH_BASELINE:-}" <<'PY'
import os, sys, time, statistics
runs, work, launcher, runc, java, flags, baseline = int(sys.argv[1]), *sys.argv[2:]
hello = [java, "-XX:AOTCache=%s/hello.aot" % work] + flags.split() + ["-cp", work + "/hello.jar", "Hello"]
env = dict(os.environ, JRUNTIME_DAEMON="0")
devnull = os.open("/dev/null", os.O_RDWR)
times = {}

def timed(name, argv):
    # posix_spawn + waitpid: no shell, no Python start-up inside the measured interval
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0),
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status = os.waitpid(pid, 0)
    t = (time.perf_counter_ns() - t0) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s failed (%s): %s" % (name, os.waitstatus_to_exitcode(status), " ".join(argv)))
    return t

os.chdir(work + "/bundle")
load0 = open("/proc/loadavg").read().split()[:3]
for i in range(3 + runs):
    row = {}
    for rt, exe in (("jruntime", launcher), ("runc", runc)) + ((("baseline", baseline),) if baseline else ()):
        base = [exe, "--root", "%s/state-%s" % (work, rt)]
        cid = "pc%d" % i
        row[(rt, "create")] = timed(rt + " create", base + ["create", "--bundle", work + "/bundle", cid])
        row[(rt, "state")] = timed(rt + " state", base + ["state", cid])
        row[(rt, "start")] = timed(rt + " start", base + ["start", cid])
        row[(rt, "delete --force")] = timed(rt + " delete", base + ["delete", "--force", cid])
        if rt == "jruntime":
            row[("java", "Hello")] = timed("hello", hello)
    if i >= 3:
        for k, v in row.items():
            times.setdefault(k, []).append(v)
load1 = open("/proc/loadavg").read().split()[:3]

print("# %s, %s, %d CPUs, %d interleaved rounds after 3 warm-ups; load average %s at the start, %s at the end"
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.uname().release, os.cpu_count(), runs,
         "/".join(load0), "/".join(load1)))
print()
b = " | baseline median ms | baseline / hello-world" if baseline else ""
print("| call | jruntime median (min, mean) ms | runc median ms | jruntime / JVM hello-world (median)%s |" % b)
print("|---|---:|---:|---:|%s" % ("---:|---:|" if baseline else ""))
h = statistics.median(times[("java", "Hello")])
for cmd in ("create", "state", "start", "delete --force"):
    j, r = times[("jruntime", cmd)], times[("runc", cmd)]
    extra = ""
    if baseline:
        bl = statistics.median(times[("baseline", cmd)])
        extra = " %.1f | %.2f |" % (bl, bl / h)
    print("| `%s` | %.1f (%.1f, %.1f) | %.1f | %.2f |%s" % (cmd, statistics.median(j), min(j), statistics.mean(j),
          statistics.median(r), statistics.median(j) / h, extra))
hs = times[("java", "Hello")]
print("| JVM hello-world, launcher's flags, own AOT cache | %.1f (%.1f, %.1f) | | 1.00 |%s"
      % (h, min(hs), statistics.mean(hs), " | |" if baseline else ""))
PY
