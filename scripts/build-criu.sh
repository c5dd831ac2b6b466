#!/bin/bash
# Builds CRIU from Debian's source package and installs the criu binary as /usr/local/sbin/criu.
#
#   scripts/build-criu.sh          build + install unless /usr/local/sbin/criu is already this build (pinned version,
#                                  same patches: see the build id below) and `criu check` passes
#   scripts/build-criu.sh --force  always rebuild and reinstall
#   scripts/build-criu.sh --check  only check: exit 0 when the installed CRIU is up to date, else print why and exit 1
#
# Patches: every scripts/criu-patches/*.patch is applied in name order (`patch -p1`) right after the tarball is
# extracted; the build stops if one does not apply. Each patch starts with a comment explaining cause and fix.
# The build id is the sha256 of the pinned version, the orig tarball's sha256 and every patch (name and content);
# it is installed as $BUILD_ID_FILE next to the binary, so a CRIU built before a patch was added or changed counts
# as out of date and gets rebuilt.
#
# Run as root. Called by scripts/deps.sh, which first installs the build dependencies (see docs/DEPENDENCIES.md).
#
# Where the source comes from: Debian sid's source package criu=$CRIU_DEB_VERSION, fetched with
# `apt-get source --download-only` through a *private* apt configuration that lives only in a temp dir
# (its own deb-src-only sources file, lists dir and cache). Nothing under /etc/apt or /var/lib/apt is
# touched, so no sid binary package can ever become installable and later `apt-get update`s never fetch sid.
# The orig tarball's sha256 is checked against the .dsc's Checksums-Sha256 *and* against the value pinned
# below; apt itself checks the .dsc against the Sources index, which is signed by the Debian archive key.
set -euo pipefail
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
# We may run under `make deps`: never let the parent make's flags/overrides (jobserver fds, VAR=value
# overrides, -n/-q) leak into CRIU's own make, nor stray compiler flags from the environment.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS CFLAGS CPPFLAGS LDFLAGS CC

CRIU_VERSION=4.2.1
CRIU_DEB_VERSION=4.2.1-1
CRIU_SUITE=sid
CRIU_ORIG=criu_${CRIU_VERSION}.orig.tar.xz
CRIU_ORIG_SHA256=29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9
DEST=/usr/local/sbin/criu
BUILD_ID_FILE=/usr/local/share/jruntime/criu-build-id
PATCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/criu-patches

say() { echo "[build-criu] $*"; }
die() { echo "[build-criu] ERROR: $*" >&2; exit 1; }

mode=build
case "${1:-}" in
    --force) mode=force ;;
    --check) mode=check ;;
    "") ;;
    *) die "usage: $0 [--force|--check]" ;;
esac

# The patches, in the order they are applied (glob order is name order under LC_ALL=C).
patches=()
if [ -d "$PATCH_DIR" ]; then
    for f in "$PATCH_DIR"/*.patch; do
        [ -e "$f" ] && patches+=("$f")
    done
fi

# What the installed binary must have been built from: version, tarball and every patch (name + content).
build_id() {
    {
        echo "criu $CRIU_VERSION $CRIU_ORIG_SHA256"
        local f
        for f in ${patches[@]+"${patches[@]}"}; do
            echo "patch $(basename "$f") $(sha256sum < "$f" | awk '{print $1}')"
        done
    } | sha256sum | awk '{print $1}'
}
BUILD_ID=$(build_id)

# Empty when $DEST is this build and `criu check` passes, else the reason it is not.
criu_stale_reason() {
    [ -x "$DEST" ] || { echo "absent"; return; }
    local v
    v=$("$DEST" --version 2>/dev/null | sed -n 's/^Version: //p' || true)
    [ "$v" = "$CRIU_VERSION" ] || { echo "version ${v:-unknown}, want $CRIU_VERSION"; return; }
    [ -r "$BUILD_ID_FILE" ] || { echo "$CRIU_VERSION but no $BUILD_ID_FILE (built before jruntime's patches?)"; return; }
    [ "$(cat "$BUILD_ID_FILE")" = "$BUILD_ID" ] || { echo "$CRIU_VERSION but built with other patches (build id $(head -c 12 "$BUILD_ID_FILE"), want ${BUILD_ID:0:12})"; return; }
    "$DEST" check >/dev/null 2>&1 || { echo "this build but 'criu check' fails"; return; }
}

if [ "$mode" = check ]; then
    reason=$(criu_stale_reason)
    if [ -z "$reason" ]; then
        say "$DEST is up to date (CRIU $CRIU_VERSION, ${#patches[@]} patch(es), build id ${BUILD_ID:0:12}) and 'criu check' passes"
        exit 0
    fi
    say "$DEST needs a rebuild: $reason"
    exit 1
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs $DEST)"

if [ "$mode" = build ]; then
    reason=$(criu_stale_reason)
    if [ -z "$reason" ]; then
        say "$DEST is already CRIU $CRIU_VERSION with the ${#patches[@]} patch(es) of $PATCH_DIR and 'criu check' passes"
        exit 0
    fi
    say "rebuilding: $DEST is $reason"
fi

for tool in apt-get gcc make patch pkg-config protoc protoc-c tar xz sha256sum install; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: run scripts/deps.sh (it installs CRIU's build dependencies) first"
done

# The Debian mirror: the one the machine's own bookworm sources use (deb822 .sources or one-line .list).
debian_mirror() {
    local codename f uri
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # The first URI of a stanza whose Types include "deb" and whose Suites include $codename exactly.
        uri=$(awk -v cn="$codename" '
            function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " cn " ") && uri != "" && !done) { print uri; done = 1 } types = suites = uri = "" }
            /^[[:space:]]*#/ { next }
            /^[[:space:]]*$/ { flush(); next }
            tolower($1) == "types:"  { $1 = ""; types = $0; sub(/^ +/, "", types) }
            tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
            tolower($1) == "uris:"   { uri = $2 }
            END { flush() }' "$f")
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(sed -e 's/\[[^]]*\]//' "$f" | awk -v cn="$codename" '$1 == "deb" && $3 == cn { print $2; exit }')
        if [ -n "$uri" ]; then echo "$uri"; return 0; fi
    done
    echo "http://deb.debian.org/debian"
}

started=$SECONDS
work=$(mktemp -d /tmp/jruntime-criu.XXXXXX)
cleanup() { [ "${KEEP_CRIU_BUILD:-0}" = 1 ] && say "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
chmod 755 "$work"

mirror=$(debian_mirror)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring missing: install the debian-archive-keyring package"
mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/dl" "$work/src"
# deb-src only: this file can make sid *source* packages visible to this private apt run, nothing else.
cat > "$work/apt/sid-src.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: $CRIU_SUITE
Components: main
Signed-By: $keyring
EOF
apt_opts=(
    -o "Dir::Etc::SourceList=$work/apt/sid-src.sources"
    -o "Dir::Etc::SourceParts=$work/apt/sources.list.d"
    -o "Dir::State::Lists=$work/apt/lists"
    -o "Dir::Cache=$work/apt/cache"
    -o "Acquire::Retries=3"
    -o "APT::Get::List-Cleanup=0"
    # The mirror's sid index may be a frozen snapshot whose Valid-Until has passed (the clock here runs
    # past it). Accepting it is safe for this one fetch: the tarball is checked against a pinned sha256.
    -o "Acquire::Check-Valid-Until=false"
    -o "Acquire::Check-Date=false"
)
if id _apt >/dev/null 2>&1; then chown _apt "$work/dl"; fi

say "fetching source criu=$CRIU_DEB_VERSION from $mirror $CRIU_SUITE (deb-src only, private apt lists)"
if ! apt-get "${apt_opts[@]}" -q update >"$work/apt-update.log" 2>&1; then
    cat "$work/apt-update.log" >&2
    die "apt-get update of the $CRIU_SUITE deb-src index failed"
fi
# Fetches the .dsc and the orig tarball. The Debian tarball (.debian.tar.xz) is not needed and 404s on
# this mirror, which makes apt-get exit non-zero: that is expected, so the status is ignored and the
# files we do need are checked below.
(cd "$work/dl" && apt-get "${apt_opts[@]}" -q source --download-only "criu=$CRIU_DEB_VERSION") >"$work/apt-source.log" 2>&1 || true
dsc="$work/dl/criu_${CRIU_DEB_VERSION}.dsc"
orig="$work/dl/$CRIU_ORIG"
if [ ! -s "$dsc" ] || [ ! -s "$orig" ]; then
    cat "$work/apt-source.log" >&2
    die "could not download criu_${CRIU_DEB_VERSION}.dsc and $CRIU_ORIG (is criu $CRIU_DEB_VERSION still in $CRIU_SUITE?)"
fi

# Verify the orig tarball against the .dsc's Checksums-Sha256 and against the pinned hash.
dsc_sha=$(awk -v f="$CRIU_ORIG" '
    /^Checksums-Sha256:/ { in_sum = 1; next }
    in_sum && /^[^ ]/    { in_sum = 0 }
    in_sum && $3 == f    { print $1 }' "$dsc")
actual_sha=$(sha256sum "$orig" | awk '{print $1}')
[ -n "$dsc_sha" ] || die "no Checksums-Sha256 entry for $CRIU_ORIG in $(basename "$dsc")"
if [ "$actual_sha" != "$dsc_sha" ]; then
    die "SHA256 MISMATCH for $CRIU_ORIG: file $actual_sha, .dsc says $dsc_sha"
fi
if [ "$actual_sha" != "$CRIU_ORIG_SHA256" ]; then
    die "SHA256 MISMATCH for $CRIU_ORIG: file $actual_sha, pinned in $0: $CRIU_ORIG_SHA256"
fi
say "sha256 OK: $actual_sha $CRIU_ORIG (matches .dsc and pin)"

tar -xJf "$orig" -C "$work/src"
srcdir="$work/src/criu-$CRIU_VERSION"
[ -f "$srcdir/Makefile" ] || die "unexpected tarball layout: no criu-$CRIU_VERSION/Makefile"

for f in ${patches[@]+"${patches[@]}"}; do
    if ! patch -d "$srcdir" -p1 --batch --forward --fuzz=0 --no-backup-if-mismatch -r - <"$f" >"$work/patch.log" 2>&1; then
        cat "$work/patch.log" >&2
        die "patch $(basename "$f") does not apply to CRIU $CRIU_VERSION (output above): fix or remove it in $PATCH_DIR"
    fi
    say "applied $(basename "$f")"
done

jobs=$(nproc 2>/dev/null || echo 2)
say "building (make -j$jobs criu), log: $work/build.log"
if ! make -C "$srcdir" -j"$jobs" criu >"$work/build.log" 2>&1; then
    tail -n 60 "$work/build.log" >&2
    KEEP_CRIU_BUILD=1
    die "CRIU build failed (full log kept in $work/build.log)"
fi
[ -x "$srcdir/criu/criu" ] || die "build succeeded but $srcdir/criu/criu is missing"

install -d -m 755 "$(dirname "$DEST")" "$(dirname "$BUILD_ID_FILE")"
rm -f "$BUILD_ID_FILE"    # no marker while the binary and the marker disagree
install -m 755 "$srcdir/criu/criu" "$DEST.new"
mv -f "$DEST.new" "$DEST"

version_out=$("$DEST" --version 2>&1) || die "$DEST --version failed: $version_out"
echo "$version_out" | grep -qx "Version: $CRIU_VERSION" || die "$DEST reports '$version_out', expected $CRIU_VERSION"
if ! check_out=$("$DEST" check 2>&1); then
    echo "$check_out" >&2
    die "'$DEST check' failed on kernel $(uname -r) (output above)"
fi
echo "$BUILD_ID" > "$BUILD_ID_FILE.new" && mv -f "$BUILD_ID_FILE.new" "$BUILD_ID_FILE"
say "installed $DEST ($(echo "$version_out" | head -n1), ${#patches[@]} patch(es), build id ${BUILD_ID:0:12}), 'criu check': $(echo "$check_out" | tail -n1) [$((SECONDS - started))s]"
