#!/bin/bash
# End-to-end engine benchmark: `podman run --rm --network none busybox true` with jruntime, runc and (when it
# can run on this host) crun as Podman's OCI runtime, in one hyperfine run so all see the same machine load.
#
#   bench/engines.sh [runs]          (default 20 runs per runtime, after 3 warm-up runs)
#
# "jruntime" runs every runtime call in its own JVM (a wrapper named jruntime sets JRUNTIME_DAEMON=0: Podman
# keys runtime_supports_json by file name and empties the environment); "jruntime+daemon" is bin/jruntime with
# a `jruntime daemon` on the default socket (started for the run unless one already answers there; Podman's
# emptied environment leaves bin/jruntime only the default socket; JRUNTIME_BENCH_DAEMON=0 leaves that row out).
# Podman lives in a throw-away directory (vfs storage, cgroupfs, file events, the containers.conf of
# docs/ENGINES.md), the image is imported from the busybox-static rootfs. Needs root, podman, conmon,
# hyperfine and `make build`. docs/PERFORMANCE.md ("Podman end to end") records figures from it.
#
# Rootless rows ("rootless jruntime", "rootless runc"): the same command as an ordinary user
# ($JRUNTIME_BENCH_USER, default jrtest, the user the rootless tests create; skipped when it does not exist or has
# no /etc/subuid range) with its own storage, XDG_RUNTIME_DIR and containers.conf. Podman then runs the runtime
# as root in the user's namespace, where the root daemon never serves. "rootless jruntime" runs every call in
# its own JVM (a wrapper sets JRUNTIME_DAEMON=0); "rootless jruntime+daemon" lets bin/jruntime start the
# per-user daemon on demand ($XDG_RUNTIME_DIR/jruntime-daemon, steady state: the daemon is up); "rootless
# jruntime, daemon exited" stops that daemon before every timed run (hyperfine --prepare), so each run is the
# first call after an idle exit and pays the daemon's start. jruntime is a copy installed as `make install`
# does (launcher + AOT cache for the copy's path) in a directory the user can read.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-20}
top=$(pwd)
launcher=$top/bin/jruntime
[ -x "$launcher" ] || { echo "bin/jruntime missing: run make build first" >&2; exit 1; }
for t in podman conmon hyperfine busybox; do command -v $t >/dev/null || { echo "$t missing: make deps" >&2; exit 1; }; done

tmp=$(mktemp -d /tmp/jrbench-XXXXXX)
started_daemon=0
rl=""
rl_user=${JRUNTIME_BENCH_USER:-jrtest}
cleanup() {
    [ "$started_daemon" = 1 ] && "$launcher" daemon stop >/dev/null 2>&1 || true
    if [ -n "$rl" ]; then
        rl_podman rm --all --force --time 0 >/dev/null 2>&1 || true
        rl_podman rmi --all --force >/dev/null 2>&1 || true
        "$rl/stop-daemon" 2>/dev/null || true
        # the pause process keeps the user's namespaces (and the containers' mounts in them) alive
        [ -f "$rl/libpod-tmp/pause.pid" ] && kill -KILL "$(cat "$rl/libpod-tmp/pause.pid")" 2>/dev/null || true
        rm -rf "$rl"
    fi
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
# JRUNTIME_BENCH_DAEMON=0 leaves out the jruntime+daemon row (and starts no daemon); JRUNTIME_BENCH_ROOTFUL=0
# leaves out all rootful rows (only the rootless ones run).
with_daemon=${JRUNTIME_BENCH_DAEMON:-1}
if [ "$with_daemon" = 1 ]; then
    if ! "$launcher" daemon status >/dev/null 2>&1; then
        "$launcher" daemon start >/dev/null
        started_daemon=1
    fi
    echo "# daemon: $("$launcher" daemon status)" >&2
fi

rl_podman() { setpriv --reuid="$rl_user" --regid="$(id -g "$rl_user")" --init-groups env -i HOME="$rl/home" \
    PATH=/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR="$rl/xdg" CONTAINERS_CONF="$rl/containers.conf" \
    CONTAINERS_STORAGE_CONF="$rl/storage.conf" TMPDIR="$rl/tmp" podman --root "$rl/root" --runroot "$rl/run" \
    --tmpdir "$rl/libpod-tmp" --storage-driver vfs --cgroup-manager cgroupfs --events-backend file "$@"; }
rl_cmds=()
rl_names=()
rl_preps=()
if id "$rl_user" >/dev/null 2>&1 && grep -q "^$rl_user:" /etc/subuid && command -v newuidmap >/dev/null; then
    rl=$(mktemp -d /tmp/jrbench-rl-XXXXXX)
    chmod 755 "$rl"
    mkdir -p "$rl/jr/lib" "$rl/home" "$rl/xdg" "$rl/tmp"
    cp -a build/lib/jruntime/. "$rl/jr/lib/"
    rm -f "$rl/jr/lib/jruntime.aot" "$rl/jr/lib/jruntime-lifecycle.aot"
    jdk=$(scripts/find-jdk.sh)
    scripts/make-launcher.sh "$jdk" "$rl/jr/lib" "$rl/jr/jruntime"
    scripts/make-aot.sh "$jdk" "$rl/jr/lib"
    sed -e "s#$tmp/events.log#$rl/events.log#" -e "s#= \[\"$launcher\"\]#= [\"$rl/jr/jruntime\"]#" \
        "$tmp/containers.conf" > "$rl/containers.conf"
    printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' "$rl" "$rl" > "$rl/storage.conf"
    chmod -R a+rX "$rl/jr" "$tmp/rootfs.tar" 2>/dev/null || true
    cp "$tmp/rootfs.tar" "$rl/rootfs.tar"
    chown -R "$rl_user:" "$rl/home" "$rl/xdg" "$rl/tmp" "$rl/containers.conf" "$rl/storage.conf" "$rl/rootfs.tar"
    chmod 700 "$rl/xdg"
    chown "$rl_user:" "$rl"
    rl_podman import "$rl/rootfs.tar" localhost/busybox:latest >/dev/null
    mkdir -p "$rl/nodaemon"
    printf '#!/bin/sh\nJRUNTIME_DAEMON=0 exec %s "$@"\n' "$rl/jr/jruntime" > "$rl/nodaemon/jruntime"
    # stops the per-user daemon this script started (its command line names our socket) and waits until its
    # lock is free, so the next call finds none and starts one
    cat > "$rl/stop-daemon" <<STOP
#!/bin/sh
for p in \$(pgrep -f -- "--socket $rl/xdg/jruntime-daemon/daemon.sock"); do kill \$p; done
while ! flock -n "$rl/xdg/jruntime-daemon/daemon.lock" true 2>/dev/null && [ -e "$rl/xdg/jruntime-daemon" ]; do sleep 0.05; done
STOP
    chmod 755 "$rl/nodaemon/jruntime" "$rl/stop-daemon"
    for rt in "$rl/nodaemon/jruntime" "$rl/jr/jruntime" cold /usr/sbin/runc; do
        c="setpriv --reuid=$rl_user --regid=$(id -g "$rl_user") --init-groups env -i HOME=$rl/home PATH=/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR=$rl/xdg CONTAINERS_CONF=$rl/containers.conf CONTAINERS_STORAGE_CONF=$rl/storage.conf TMPDIR=$rl/tmp podman --root $rl/root --runroot $rl/run --tmpdir $rl/libpod-tmp --storage-driver vfs --cgroup-manager cgroupfs --events-backend file --runtime $rt run --rm --network none localhost/busybox true"
        name="rootless $(basename "$rt")"
        prep=/bin/true
        case $rt in
        "$rl/jr/jruntime") name="rootless jruntime+daemon" ;;
        cold) name="rootless jruntime, daemon exited"; prep=$rl/stop-daemon; c=${c/--runtime cold/--runtime $rl/jr/jruntime} ;;
        esac
        if ! out=$($c 2>&1); then
            echo "# $name skipped: $(echo "$out" | tail -1)" >&2
            continue
        fi
        rl_cmds+=("$c"); rl_names+=(-n "$name"); rl_preps+=(--prepare "$prep")
    done
else
    echo "# rootless rows skipped: no user $rl_user with an /etc/subuid range (or no newuidmap)" >&2
fi

p="podman --root $tmp/root --runroot $tmp/run --tmpdir $tmp/libpod --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
cmds=()
names=()
preps=()
for rt in "$tmp/nodaemon/jruntime" "$launcher" /usr/sbin/runc /usr/bin/crun; do
    [ -x "$rt" ] || continue
    [ "${JRUNTIME_BENCH_ROOTFUL:-1}" = 1 ] || continue
    [ "$rt" = "$launcher" ] && [ "$with_daemon" != 1 ] && continue
    name=$(basename "$rt")
    [ "$rt" = "$launcher" ] && name=jruntime+daemon
    c="$p --runtime $rt run --rm --network none localhost/busybox true"
    if ! out=$($c 2>&1); then
        echo "# $name skipped: $(echo "$out" | tail -1)" >&2
        continue
    fi
    cmds+=("$c"); names+=(-n "$name"); preps+=(--prepare /bin/true)
    if [ "$rt" = "$launcher" ]; then
        # a resident daemon is JIT-warm in steady state: let it compile the create/start/delete paths first
        for _ in $(seq 15); do $c >/dev/null 2>&1 || true; done
    fi
done
echo "# $(date -u +%FT%TZ) $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), podman $(podman --version | awk '{print $3}'), conmon $(conmon --version | awk 'NR==1{print $3}')" >&2
hyperfine -N --warmup 3 --runs "$runs" "${names[@]}" "${rl_names[@]}" "${preps[@]}" "${rl_preps[@]}" --export-markdown "$tmp/result.md" \
    "${cmds[@]}" "${rl_cmds[@]}" >&2
sed -e "s#$tmp#\$TMP#g" -e "s#${rl:-/nonexistent}#\$RL#g" "$tmp/result.md"
