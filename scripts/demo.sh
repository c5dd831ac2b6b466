#!/bin/bash
# The README's first command (`make demo`): build a busybox bundle and run a container from it with
# bin/jruntime, then show the lifecycle commands an engine uses. Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
work=$(mktemp -d /tmp/jruntime-demo.XXXXXX)
jr() { "$top/bin/jruntime" --root "$work/state" "$@"; }
trap 'jr delete --force demo-detached >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

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
echo "demo finished"
