#!/bin/sh
# The manual page: it renders without warnings (groff -ww and mandoc -Tlint), its synopses
# render with no options run together, and it documents every command, every option each
# command's --help lists, and every console `:` command.
set -u
cd "$(dirname "$0")/.."
man=man/fbreview.1
# The binary under test: the Makefile passes its build's (build-san/ under SANITIZE=1).
bin=${FB_BIN:-build/fbreview}
fail=0
out=$(LC_ALL=C.UTF-8 groff -man -ww -Tutf8 "$man" 2>&1 >/dev/null)
if [ -n "$out" ]; then
    echo "$man: groff warnings:"; echo "$out"; fail=1
fi
# mandoc's STYLE notes (long source lines) are not faults; warnings and errors are.
if command -v mandoc >/dev/null 2>&1; then
    out=$(mandoc -Tlint -Wwarning "$man" 2>&1)
    if [ -n "$out" ]; then
        echo "$man: mandoc -Tlint:"; echo "$out"; fail=1
    fi
else
    echo "$man: mandoc is not installed (scripts/deps.sh installs it)"; fail=1
fi

# The page as a reader sees it, 80 columns.
text=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -rLL=80n "$man" 2>/dev/null | sed 's/.\x08//g')
# Options run together ("[--reject--rationaleT]"), a bracket glued to a word ("FILE[--x"),
# or brackets back to back ("][") are formatting faults.
bad=$(printf '%s\n' "$text" | grep -nE -- '--[a-z-]+--|[A-Za-z0-9]\[-|\]\[' )
if [ -n "$bad" ]; then
    echo "$man: options run together in the rendered page:"; echo "$bad"; fail=1
fi

cmds=$("$bin" --help | awk '/^commands:/{f=1;next} f && /^  [a-z]/{print $1}')
[ -n "$cmds" ] || { echo "fbreview --help lists no commands"; fail=1; }
for cmd in $cmds; do
    grep -q "^\.SS $cmd\$" "$man" || { echo "$man does not document the command \"$cmd\" (.SS $cmd)"; fail=1; }
    # each option of `fbreview CMD --help`, in the page
    for opt in $("$bin" "$cmd" --help | awk '/^options:/{f=1;next} /^$/{f=0} f' |
                 grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        [ "$opt" = --help ] && continue
        pat=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        grep -q -- "$pat" "$man" || { echo "$man does not document $cmd $opt"; fail=1; }
    done
done
# each `:` command of the console's table (src/tui/command.c)
for c in $(grep -oE '\{"[a-z-]+", *cmd_' src/tui/command.c | sed 's/{"\([a-z-]*\)".*/\1/'); do
    printf '%s\n' "$text" | grep -q -- ":$c\b" || { echo "$man does not document the console command :$c"; fail=1; }
done
scripts/man-keys.sh --check || fail=1
scripts/man-config.sh --check || fail=1
# Every FBREVIEW_* variable the binary reads is documented in ENVIRONMENT (`.B NAME`) or
# named on a `.\" test-only:` line there (test and measurement hooks).
for v in $(grep -ho 'getenv("FBREVIEW_[A-Z0-9_]*")' src/*/*.c src/main.c | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
    awk -v v="$v" '/^\.SH ENVIRONMENT/{f=1;next} /^\.SH/{f=0}
        f && ($0 == ".B " v || (index($0, "test-only:") && index($0 " ", " " v " "))) {ok=1}
        END {exit !ok}' man/fbreview.1 ||
        { echo "man/fbreview.1: ENVIRONMENT does not document $v (nor list it as test-only)"; fail=1; }
done
[ $fail = 0 ] && echo "  PASS  man page"
exit $fail
