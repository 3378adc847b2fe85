#!/bin/sh
# `make check-fresh`: the README's two commands, run as a new user would on a fresh
# Debian 12: a minimal root (debootstrap --variant=minbase bookworm, cached outside the
# clone) with only `make` added, a fresh clone of HEAD in its /root, then `make demo`
# (not on a terminal: it builds the demo store and prints its stats) and `make check`.
# Every run starts from a copy of the cached root, so what `make demo` installs never
# leaks into the next run. Needs root (debootstrap, chroot, mount) and the network.
#   FB_FRESH_CACHE   where the cached root lives (default ${XDG_CACHE_HOME:-~/.cache}/fbreview)
#   FB_FRESH_MIRROR  the Debian mirror (default: the first one apt on this machine uses)
#   FB_FRESH_KEEP=1  keep the run's root afterwards (to look inside)
#   FB_FRESH_REV=R   clone and check out R (a branch or commit of this clone) instead of HEAD
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${FB_FRESH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fbreview}
base=$cache/bookworm-minbase
say() { echo "check-fresh: $*" >&2; }

[ "$(id -u)" = 0 ] || { say "needs root (debootstrap, chroot and mount)"; exit 1; }
git -C "$src" rev-parse --verify HEAD >/dev/null 2>&1 || { say "$src is not a git clone"; exit 1; }

# The mirror this machine's apt uses (deb822 "URIs:" or one-line "deb URL bookworm ...").
mirror=${FB_FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }
             /^deb / && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i ~ /\/debian\/?$/) { print $i; exit } }')
    mirror=${mirror:-http://deb.debian.org/debian}
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null ||
        { say "apt-get install debootstrap failed"; exit 1; }
fi

# Mounts made inside a root, undone in reverse order by undo (also on error or ^C).
mounts=""
work=""
undo() {
    rc=$?
    set +e
    # Anything still running inside the run's root (a daemon a package started) holds
    # the mounts: stop it. Only processes whose root is this run's folder.
    if [ -n "$work" ]; then
        for p in /proc/[0-9]*; do
            [ "$(readlink "$p/root" 2>/dev/null)" = "$work" ] && kill -9 "${p#/proc/}" 2>/dev/null
        done
    fi
    for m in $mounts; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || say "could not unmount $m"
    done
    mounts=""
    if [ -n "$work" ] && [ "${FB_FRESH_KEEP:-0}" != 1 ]; then
        # Never remove through a mount that is still there.
        if grep -q " $work/" /proc/self/mounts; then say "mounts left under $work; not removing it"; else rm -rf "$work"; fi
    fi
    exit $rc
}
trap undo EXIT
trap 'exit 130' INT TERM HUP

mount_in() {   # mount_in ROOT: what a chroot needs for apt, PostgreSQL and tmux
    r=$1
    mount -t proc proc "$r/proc" && mounts="$r/proc $mounts"
    mount -t sysfs sysfs "$r/sys" && mounts="$r/sys $mounts"
    mount --bind /dev "$r/dev" && mounts="$r/dev $mounts"
    # Private: on a host whose /dev is a shared mount (systemd), the mounts below would
    # otherwise propagate to the host's own /dev/pts and /dev/shm.
    mount --make-private "$r/dev"
    mount --bind /dev/pts "$r/dev/pts" && mounts="$r/dev/pts $mounts"
    mount -t tmpfs -o mode=1777 tmpfs "$r/dev/shm" && mounts="$r/dev/shm $mounts"
    cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
}

# The cached base: minbase bookworm plus make, built once (one builder at a time).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$base/.fbreview-ready" ]; then
    say "building the cached Debian 12 root in $base (once; from $mirror)"
    rm -rf "$base.new"
    debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        { tail -20 "$cache/debootstrap.log" >&2; say "debootstrap failed (log $cache/debootstrap.log)"; exit 1; }
    # A chroot has no init: packages must not start services in it (a fresh machine's
    # running PostgreSQL is not what the tests use; they start their own).
    printf '#!/bin/sh\nexit 101\n' >"$base.new/usr/sbin/policy-rc.d"
    chmod 755 "$base.new/usr/sbin/policy-rc.d"
    work="$base.new"
    mount_in "$base.new"
    chroot "$base.new" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -q && apt-get install -y --no-install-recommends make && apt-get clean' \
        >"$cache/make.log" 2>&1 || { tail -20 "$cache/make.log" >&2; say "installing make failed"; exit 1; }
    for m in $mounts; do umount "$m" || umount -l "$m"; done
    mounts=""
    work=""
    touch "$base.new/.fbreview-ready"
    rm -rf "$base"
    mv "$base.new" "$base"
fi
flock -u 9

# This run's root: a copy of the base; downloaded packages are kept between runs.
work=$(mktemp -d "$cache/run.XXXXXX")
chmod 755 "$work"   # it becomes "/": everyone must be able to enter it
say "copying the base root to $work"
cp -a "$base/." "$work/"
mkdir -p "$cache/apt-archives/partial"
mount --bind "$cache/apt-archives" "$work/var/cache/apt/archives" && mounts="$work/var/cache/apt/archives $mounts"
mount_in "$work"

# A fresh clone of HEAD in /root, as a new user would make it.
head=$(git -C "$src" rev-parse --verify "${FB_FRESH_REV:-HEAD}^{commit}")
git clone -q --no-hardlinks "$src" "$work/root/fbreview"
git -C "$work/root/fbreview" checkout -q "$head"
say "clone of $head in /root/fbreview; running make demo, then make check"

# A root login's environment, nothing of ours: no TERM, no locale, HOME=/root, root's shell.
login_shell=$(awk -F: '$1 == "root" { print $7 }' "$work/etc/passwd")
run() {
    chroot "$work" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL="${login_shell:-/bin/sh}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        sh -c "cd /root/fbreview && $1" </dev/null
}
# The whole output goes to a log; the terminal gets the test verdicts.
log=$cache/last-run.log
: >"$log"
step() {   # step CMD: runs it in the root; its verdict lines shown, its status kept
    { run "$1"; echo $? >"$work/.rc"; } 2>&1 | tee -a "$log" | grep -E '^  (PASS|FAIL|skip)|^make check|^demo:|^store: /' || true
    [ "$(cat "$work/.rc")" = 0 ] || { tail -40 "$log" >&2; say "FAIL: $1 (whole log: $log)"; exit 1; }
}
started=$(date +%s)
say "make demo"
step 'make demo'
say "make check"
step 'make check'
say "PASS: make demo and make check on a fresh Debian 12 root, clone in /root ($(( $(date +%s) - started )) s)"
