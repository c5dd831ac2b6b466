#!/bin/bash
# Creates an OCI bundle for tests:  scripts/make-bundle.sh DIR [--terminal] [-- ARGS...]
#
#   DIR/rootfs       busybox-static rootfs: /bin/busybox + a /bin symlink per applet, /etc/passwd (root,
#                    nobody, test uid 1000), /etc/group, /tmp (1777), /root, /home/test, empty /proc /sys /dev
#   DIR/config.json  the same content as `runc spec` (runc 1.1.5) writes, except terminal is false unless
#                    --terminal is given, and process.args are ARGS (default: sh)
#
# DIR must not exist or be empty. Usable as `runc run -b DIR ID` (and by jruntime). Needs the busybox-static
# package (scripts/deps.sh installs it); does not need runc.
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 DIR [--terminal] [-- ARGS...]" >&2; exit 2; }
die() { echo "make-bundle: $*" >&2; exit 1; }

dir="" terminal=false args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --terminal) terminal=true; shift ;;
        --) shift; args=("$@"); break ;;
        -h|--help) usage ;;
        -*) echo "make-bundle: unknown option $1" >&2; usage ;;
        *) [ -z "$dir" ] || usage; dir=$1; shift ;;
    esac
done
[ -n "$dir" ] || usage
[ ${#args[@]} -gt 0 ] || args=(sh)

BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found: install busybox-static (scripts/deps.sh does)"
# A dynamically linked busybox (package 'busybox') would not run in a rootfs without libc.
ldd_out=$(ldd "$BUSYBOX" 2>&1 || true)
if ! grep -q "not a dynamic executable" <<<"$ldd_out"; then
    die "$BUSYBOX is dynamically linked: install busybox-static (apt-get install busybox-static)"
fi

if [ -e "$dir" ]; then
    [ -d "$dir" ] || die "$dir exists and is not a directory"
    [ -z "$(ls -A "$dir")" ] || die "$dir exists and is not empty"
fi
mkdir -p "$dir"
rootfs="$dir/rootfs"

# --- rootfs -------------------------------------------------------------------------------------------------
mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,root,home/test}
install -m 755 "$BUSYBOX" "$rootfs/bin/busybox"
while read -r applet; do
    case "$applet" in ""|busybox|*/*) continue ;; esac
    ln -sf busybox "$rootfs/bin/$applet"
done < <("$BUSYBOX" --list)
[ -e "$rootfs/bin/sh" ] || die "busybox --list gave no 'sh' applet"
install -d -m 1777 "$rootfs/tmp"
chmod 700 "$rootfs/root"
chown 1000:1000 "$rootfs/home/test" 2>/dev/null || true
cat > "$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
test:x:1000:1000:test:/home/test:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$rootfs/etc/group" <<'EOF'
root:x:0:
tty:x:5:
test:x:1000:
nogroup:x:65534:
EOF
echo "localhost" > "$rootfs/etc/hostname"
chmod 644 "$rootfs/etc/passwd" "$rootfs/etc/group" "$rootfs/etc/hostname"

# --- config.json --------------------------------------------------------------------------------------------
# JSON string literal for $1 (escapes backslash, quote and control characters).
json_str() {
    local s=$1 out="" c i code
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
            '"') out+='\"' ;;
            '\') out+='\\' ;;
            $'\n') out+='\n' ;;
            $'\t') out+='\t' ;;
            $'\r') out+='\r' ;;
            *)
                printf -v code '%d' "'$c"
                if [ "$code" -ge 0 ] && [ "$code" -lt 32 ] || [ "$code" -eq 127 ]; then
                    printf -v c '\\u%04x' "$code"
                fi
                out+=$c ;;
        esac
    done
    printf '"%s"' "$out"
}
args_json=""
for a in "${args[@]}"; do
    args_json+="${args_json:+,
}			$(json_str "$a")"
done

cat > "$dir/config.json" <<EOF
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": $terminal,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
$args_json
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "runc",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620",
				"gid=5"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"relatime",
				"ro"
			]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
EOF
