#!/bin/sh
# Installs what fbreview needs to build and test on Debian 12.
#   scripts/deps.sh --check   exit 0 when everything is present, 1 otherwise (prints what is missing)
#   scripts/deps.sh           install what is missing (as root), else print the apt-get line
#   scripts/deps.sh --with-libreoffice [--check]
#                             the same, and LibreOffice Calc for the spreadsheet test of the
#                             CSV export (tests/check-csv-libreoffice.sh asks for it: it is big)
#   scripts/deps.sh --fuzz [--check]
#                             the same, and what `make fuzz` needs (clang and its libFuzzer runtime)
set -u
fuzz=0
check=0
lo=0
for a in "$@"; do
    case $a in
    --fuzz) fuzz=1 ;;
    --check) check=1 ;;
    --with-libreoffice) lo=1 ;;
    esac
done
PKGS="build-essential pkg-config libncurses-dev libsqlite3-dev sqlite3 libreadline-dev libpq-dev
libjansson-dev nettle-dev uuid-dev libinih-dev libicu-dev libcmocka-dev postgresql pgbouncer tmux python3
groff-base mandoc procps time xvfb xterm xfonts-base imagemagick faketime"
PCS="ncursesw sqlite3 readline libpq jansson nettle uuid inih icu-uc icu-i18n cmocka"
TOOLS="cc make pkg-config tmux python3 sqlite3 groff mandoc ps Xvfb xterm import faketime"
if [ $lo = 1 ]; then
    PKGS="$PKGS libreoffice-calc-nogui"
    TOOLS="$TOOLS soffice"
fi

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
if [ -z "$missing" ]; then
    for pc in $PCS; do pkg-config --exists "$pc" || missing="$missing $pc"; done
fi
for t in $TOOLS; do command -v "$t" >/dev/null 2>&1 || missing="$missing $t"; done
if [ $fuzz = 1 ]; then
    PKGS="$PKGS clang libclang-rt-dev"
    command -v clang >/dev/null 2>&1 || missing="$missing clang"
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 || missing="$missing libfuzzer"
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing initdb"
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing="$missing pgbouncer"
# The xterm screenshot test draws with the 6x13 core font (xfonts-base).
ls /usr/share/fonts/X11/misc/6x13* >/dev/null 2>&1 || missing="$missing xfonts-base"

if [ -z "$missing" ]; then
    exit 0
fi
if [ $check = 1 ]; then
    echo "missing:$missing"
    exit 1
fi
echo "deps: missing:$missing" >&2
line="apt-get install -y --no-install-recommends $(echo $PKGS)"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: run as root, or install them yourself:" >&2
    echo "  sudo apt-get update && sudo $line" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q && $line || { echo "deps: apt-get failed; see its output above" >&2; exit 1; }
# Debian's postgresql package starts a cluster on install; the tests start their own.
exit 0
