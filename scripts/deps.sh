#!/bin/bash
# Makes a Debian 12 (bookworm) machine ready to build and test jruntime. Run as root (`make deps`).
# Idempotent: when everything is already there it only checks (a few seconds) and changes nothing.
#   1. a JDK >= 25 and Maven must already exist (this script never downloads a JDK)
#   2. Debian packages for the build, the tests, the benchmarks and CRIU's build (only the missing ones)
#   3. CRIU 4.2.1 built from Debian's source package into /usr/local/sbin/criu (scripts/build-criu.sh)
# See docs/DEPENDENCIES.md for what each package is for.
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$SECONDS

step() { printf '[deps] %-9s %s\n' "$1" "$2"; }
die() { echo "[deps] ERROR: $*" >&2; echo "[deps] FAILED" >&2; exit 1; }

# Debian packages, grouped by purpose (docs/DEPENDENCIES.md explains each).
PKGS_BUILD=(gcc make libc6-dev)                       # jruntime-init (C) and the JNI/FFM helpers
PKGS_RUN=(libseccomp2)                                # seccomp filters are built with libseccomp.so.2 (FFM)
PKGS_TEST=(busybox-static iproute2 procps util-linux uidmap libcap2-bin python3)
PKGS_COMPARE=(runc crun hyperfine)                    # side-by-side tests and benchmarks
PKGS_CRIU_RUN=(iptables)                              # criu's default --network-lock (iptables) for TCP dumps
PKGS_ENGINES=(podman conmon containerd golang-github-containers-common catatonit)  # engine tests (vfs storage, --network none)
PKGS_CRIU_BUILD=(                                     # verified by building CRIU 4.2.1 in a minimal bookworm chroot
    pkg-config protobuf-compiler libprotobuf-dev protobuf-c-compiler libprotobuf-c-dev
    libnl-3-dev libnet1-dev libcap-dev uuid-dev libbsd-dev libnftables-dev libgnutls28-dev
    xz-utils dpkg-dev debian-archive-keyring patch
)
PKGS=("${PKGS_BUILD[@]}" "${PKGS_RUN[@]}" "${PKGS_TEST[@]}" "${PKGS_COMPARE[@]}" "${PKGS_CRIU_RUN[@]}" "${PKGS_ENGINES[@]}" "${PKGS_CRIU_BUILD[@]}")

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs Debian packages and /usr/local/sbin/criu): sudo make deps"
[ -r /etc/debian_version ] && command -v apt-get >/dev/null && command -v dpkg-query >/dev/null \
    || die "this script supports Debian 12 (bookworm) only (no apt-get/dpkg-query here)"

# --- 1. JDK >= 25 and Maven -------------------------------------------------------------------------------
jdk=$("$here/find-jdk.sh" 2>/dev/null) || true
if [ -z "$jdk" ]; then
    die "no JDK >= 25 found (checked \$JAVA_HOME and /usr/lib/jvm/*). Install one, e.g. Eclipse Temurin 25, which installs to /usr/lib/jvm/temurin-25-jdk-amd64 (package temurin-25-jdk from Adoptium's apt repository), or set JAVA_HOME to a JDK >= 25. This script does not download JDKs."
fi
jver=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
step jdk "ok: $jdk (java ${jver:-?})"
mvn_path=$(command -v mvn || true)
[ -n "$mvn_path" ] || die "Apache Maven ('mvn') not found on PATH. Install it: apt-get install maven"
step maven "ok: $mvn_path"

# --- 2. Debian packages ------------------------------------------------------------------------------------
# One dpkg-query for all; a package counts as present only in state "ii" (wanted and fully installed).
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PKGS[@]}" 2>/dev/null | awk '$2 == "ii" { print $1 }' || true)
missing=()
for p in "${PKGS[@]}"; do
    grep -qxF "$p" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    step packages "ok: all ${#PKGS[@]} already installed"
else
    step packages "installing ${#missing[@]} missing: ${missing[*]}"
    apt_log=$(mktemp /tmp/jruntime-deps-apt.XXXXXX)
    apt_opts=(-q -y -o Acquire::Retries=3 -o DPkg::Lock::Timeout=300)
    if ! apt-get "${apt_opts[@]}" update >"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2; die "apt-get update failed (log: $apt_log)"
    fi
    if ! apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; then
        tail -n 40 "$apt_log" >&2; die "apt-get install ${missing[*]} failed (log: $apt_log)"
    fi
    rm -f "$apt_log"
    step packages "installed: ${missing[*]}"
fi

# --- 3. CRIU 4.2.1 -----------------------------------------------------------------------------------------
# build-criu.sh --check compares the installed binary's build id (version + jruntime's CRIU patches) too, so a
# CRIU 4.2.1 built before a patch was added or changed is rebuilt.
if criu_state=$("$here/build-criu.sh" --check 2>&1); then
    step criu "ok: /usr/local/sbin/criu is 4.2.1 with jruntime's patches and 'criu check' passes"
else
    step criu "building CRIU 4.2.1 from source (${criu_state#*needs a rebuild: })"
    "$here/build-criu.sh" --force 2>&1 | sed -u 's/^/    /' || die "CRIU 4.2.1 build/install failed (see above)"
    step criu "installed /usr/local/sbin/criu 4.2.1, 'criu check' passes"
fi

# Quick sanity checks of things the tests rely on (cheap; they print, never install).
for tool in runc crun busybox newuidmap hyperfine podman conmon containerd ctr script; do
    command -v "$tool" >/dev/null || die "'$tool' still missing after installing packages"
done

echo "[deps] OK: jdk ${jver:-?}, maven, ${#PKGS[@]} Debian packages ($([ ${#missing[@]} -eq 0 ] && echo "none new" || echo "${#missing[@]} new")), criu $(/usr/local/sbin/criu --version | sed -n 's/^Version: //p') [$((SECONDS - started))s]"
