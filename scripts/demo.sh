#!/bin/bash
# The README's first command (`make demo`): build a busybox bundle and run a container from it with
# bin/jruntime, then show the lifecycle commands an engine uses. Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
work=$(mktemp -d /tmp/jruntime-demo.XXXXXX)
jr() { "$top/bin/jruntime" --root "$work/state" "$@"; }
daemon() { JRUNTIME_DAEMON_SOCKET="$work/daemon.sock" "$top/bin/jruntime" daemon "$@" --socket "$work/daemon.sock"; }
trap 'jr delete --force demo-detached >/dev/null 2>&1 || true; daemon stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

scripts/make-bundle.sh "$work/bundle" -- sh -c 'echo "hello from a jruntime container: $(hostname), pid $$, $(id)"; ls /' >/dev/null
echo "\$ jruntime run demo            (bundle: $work/bundle)"
(cd "$work/bundle" && jr run demo)

scripts/make-bundle.sh "$work/bundle2" -- sleep 1000 >/dev/null
echo "\$ jruntime run --detach demo-detached; jruntime state demo-detached"
jr run --detach --bundle "$work/bundle2" demo-detached
jr state demo-detached; echo
echo "\$ jruntime exec demo-detached ps"
jr exec demo-detached ps
echo "\$ jruntime delete --force demo-detached"
jr delete --force demo-detached

# The same create/start/delete an engine makes, in a JVM per call and then through `jruntime daemon`.
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
cycle() {
    local t=$(date +%s%N)
    jr create --bundle "$work/bundle2" "$1" && jr start "$1" && jr delete --force "$1"
    ms "$t"
}
echo "\$ jruntime create + start + delete --force, a JVM per call: $(JRUNTIME_DAEMON=0 cycle demo-cycle) ms"
echo "\$ jruntime daemon start"
daemon start
export JRUNTIME_DAEMON_SOCKET=$work/daemon.sock
for i in 1 2 3 4 5; do cycle "warm-$i" >/dev/null; done
echo "\$ jruntime create + start + delete --force, through the daemon: $(cycle demo-cycle) ms"
daemon status
daemon stop
echo "demo finished"
