#!/bin/bash
# End-to-end engine benchmark: `podman run --rm --network none busybox true` with jruntime, runc and (when it
# can run on this host) crun as Podman's OCI runtime, in one hyperfine run so all see the same machine load.
#
#   bench/engines.sh [runs]          (default 20 runs per runtime, after 3 warm-up runs)
#
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
cleanup() {
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

p="podman --root $tmp/root --runroot $tmp/run --tmpdir $tmp/libpod --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
cmds=()
names=()
for rt in "$launcher" /usr/sbin/runc /usr/bin/crun; do
    [ -x "$rt" ] || continue
    name=$(basename "$rt")
    c="$p --runtime $rt run --rm --network none localhost/busybox true"
    if ! out=$($c 2>&1); then
        echo "# $name skipped: $(echo "$out" | tail -1)" >&2
        continue
    fi
    cmds+=("$c"); names+=(-n "$name")
done
echo "# $(date -u +%FT%TZ) $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), podman $(podman --version | awk '{print $3}'), conmon $(conmon --version | awk 'NR==1{print $3}')" >&2
hyperfine -N --warmup 3 --runs "$runs" "${names[@]}" --export-markdown "$tmp/result.md" "${cmds[@]}" >&2
sed "s#$tmp#\$TMP#g" "$tmp/result.md"
