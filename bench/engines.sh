#!/bin/bash
# End-to-end engine benchmark: `podman run --rm --network none busybox true` with jruntime, runc and (when it
# can run on this host) crun as Podman's OCI runtime, in one hyperfine run so all see the same machine load.
#
#   bench/engines.sh [runs]          (default 20 runs per runtime, after 3 warm-up runs)
#
# "jruntime" runs every runtime call in its own JVM (a wrapper named jruntime sets JRUNTIME_DAEMON=0: Podman
# keys runtime_supports_json by file name and empties the environment); "jruntime+daemon" is bin/jruntime with
# a `jruntime daemon` on the default socket (started for the run unless one already answers there; Podman's
# emptied environment leaves bin/jruntime only the default socket).
# Podman lives in a throw-away directory (vfs storage, cgroupfs, file events, the containers.conf of
# docs/ENGINES.md), the image is imported from the busybox-static rootfs. Needs root, podman, conmon,
# hyperfine and `make build`. docs/PERFORMANCE.md ("Podman end to end") records figures from it.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-20}
top=$(pwd)
launcher=$top/bin/jruntime
[ -x "$launcher" ] || { echo "bin/jruntime missing: run make build first" >&2; exit 1; }
for t in podman conmon hyperfine busybox; do command -v $t >/dev/null || { echo "$t missing: make deps" >&2; exit 1; }; done

tmp=$(mktemp -d /tmp/jrbench-XXXXXX)
started_daemon=0
cleanup() {
    [ "$started_daemon" = 1 ] && "$launcher" daemon stop >/dev/null 2>&1 || true
    podman_cmd rm --all --force --time 0 >/dev/null 2>&1 || true
    podman_cmd rmi --all --force >/dev/null 2>&1 || true
    for m in $(awk '{print $5}' /proc/self/mountinfo | grep "^$tmp/" | sort -r); do umount -l "$m" || true; done
    rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

cat > "$tmp/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$tmp/events.log"
runtime_supports_json = ["crun", "runc", "kata", "runsc", "krun", "jruntime"]
runtime_supports_nocgroups = ["crun", "krun", "jruntime"]
[engine.runtimes]
jruntime = ["$launcher"]
CONF
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' "$tmp" "$tmp" > "$tmp/storage.conf"
export CONTAINERS_CONF=$tmp/containers.conf CONTAINERS_STORAGE_CONF=$tmp/storage.conf
podman_cmd() { podman --root "$tmp/root" --runroot "$tmp/run" --tmpdir "$tmp/libpod" --storage-driver vfs \
    --cgroup-manager cgroupfs --events-backend file "$@"; }

mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc" "$tmp/rootfs/proc" "$tmp/rootfs/sys" "$tmp/rootfs/dev" "$tmp/rootfs/tmp"
cp /bin/busybox "$tmp/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$tmp/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$tmp/rootfs/etc/passwd"
tar --numeric-owner -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" .
podman_cmd import "$tmp/rootfs.tar" localhost/busybox:latest >/dev/null

mkdir -p "$tmp/nodaemon"
printf '#!/bin/sh\nJRUNTIME_DAEMON=0 exec %s "$@"\n' "$launcher" > "$tmp/nodaemon/jruntime"
chmod 755 "$tmp/nodaemon/jruntime"
if ! "$launcher" daemon status >/dev/null 2>&1; then
    "$launcher" daemon start >/dev/null
    started_daemon=1
fi
echo "# daemon: $("$launcher" daemon status)" >&2

p="podman --root $tmp/root --runroot $tmp/run --tmpdir $tmp/libpod --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
cmds=()
names=()
for rt in "$tmp/nodaemon/jruntime" "$launcher" /usr/sbin/runc /usr/bin/crun; do
    [ -x "$rt" ] || continue
    name=$(basename "$rt")
    [ "$rt" = "$launcher" ] && name=jruntime+daemon
    c="$p --runtime $rt run --rm --network none localhost/busybox true"
    if ! out=$($c 2>&1); then
        echo "# $name skipped: $(echo "$out" | tail -1)" >&2
        continue
    fi
    cmds+=("$c"); names+=(-n "$name")
    if [ "$rt" = "$launcher" ]; then
        # a resident daemon is JIT-warm in steady state: let it compile the create/start/delete paths first
        for _ in $(seq 15); do $c >/dev/null 2>&1 || true; done
    fi
done
echo "# $(date -u +%FT%TZ) $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), podman $(podman --version | awk '{print $3}'), conmon $(conmon --version | awk 'NR==1{print $3}')" >&2
hyperfine -N --warmup 3 --runs "$runs" "${names[@]}" --export-markdown "$tmp/result.md" "${cmds[@]}" >&2
sed "s#$tmp#\$TMP#g" "$tmp/result.md"
