#!/bin/sh
# The include rule of DESIGN.md §1: a file includes headers of its own layer or lower ones,
# in the order below; only src/tui includes curses and readline; only
# src/sync/upstream_pg.c includes libpq; only src/store includes sqlite3.
# A header fbreview/X.h belongs to the lowest layer whose folder is named X or holds X.c
# or X_*.c (export.h is io's, not cli's export command). A header with no layer is an
# error, so a new module cannot slip past the rule. No abort() in src/ either: fatal
# paths go through fb_oom, which restores the terminal first.
set -u
cd "$(dirname "$0")/.."
LAYERS="util model store core io sync tui cli main"

rank() {   # rank LAYER -> its position (0 = bottom)
    i=0
    for l in $LAYERS; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}

header_layer() {   # header_layer NAME (without .h) -> layer or empty
    for l in $LAYERS; do
        [ "$l" = main ] && continue
        if [ "$l" = "$1" ] || [ -f "src/$l/$1.c" ] || ls "src/$l/$1"_*.c >/dev/null 2>&1; then
            echo "$l"; return
        fi
    done
}

file_layer() {   # the layer of a source file
    case $1 in
        src/main.c) echo main ;;
        src/*/*) d=${1#src/}; echo "${d%%/*}" ;;
        include/fbreview/*.h) b=${1##*/}; header_layer "${b%.h}" ;;
    esac
}

fail=0
bad() { echo "$1"; fail=1; }

for f in src/main.c src/*/*.c src/*/*.h include/fbreview/*.h; do
    [ -f "$f" ] || continue
    own=$(file_layer "$f")
    [ -n "$own" ] || { bad "$f: belongs to no layer (name it after a module of src/LAYER/)"; continue; }
    own_rank=$(rank "$own")
    grep -n '^[[:space:]]*#[[:space:]]*include' "$f" | while IFS= read -r line; do
        n=${line%%:*}
        inc=$(printf '%s\n' "$line" | sed -n 's/.*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p')
        case $inc in
            '<curses.h>'|'<ncurses'*|'<ncursesw/'*|'<term.h>'|'<readline/'*)
                [ "$own" = tui ] || echo "$f:$n: $inc: only src/tui includes curses and readline" ;;
            '<libpq-fe.h>'|'<libpq/'*)
                [ "$f" = src/sync/upstream_pg.c ] || echo "$f:$n: $inc: only src/sync/upstream_pg.c includes libpq" ;;
            '<sqlite3.h>')
                [ "$own" = store ] || echo "$f:$n: $inc: only src/store includes sqlite3" ;;
            '<'*) ;;
            '"fbreview/'*)
                name=${inc#\"fbreview/}; name=${name%.h\"}
                to=$(header_layer "$name")
                if [ -z "$to" ]; then
                    echo "$f:$n: $inc: this header belongs to no layer"
                elif [ "$(rank "$to")" -gt "$own_rank" ]; then
                    echo "$f:$n: $inc: $own includes $to, a higher layer ($LAYERS)"
                fi ;;
            '"'*)
                name=${inc#\"}; name=${name%\"}
                case $name in
                    schema_sql.h|upstream_sql.h|data_files.h) ;;   # generated data, any layer
                    *) [ -f "$(dirname "$f")/$name" ] && [ "${f#src/}" != "$f" ] ||
                           echo "$f:$n: $inc: a private header must sit beside the file (src/LAYER/)" ;;
                esac ;;
        esac
    done
done >"${TMPDIR:-/tmp}/fb-layers.$$"
# Fatal paths go through fb_oom (fbreview/mem.h), which gives the terminal back first.
grep -n 'abort[[:space:]]*()' src/*/*.c src/main.c | sed 's/$/: abort(): use fb_oom or an error (fbreview\/mem.h)/' \
    >>"${TMPDIR:-/tmp}/fb-layers.$$"
if [ -s "${TMPDIR:-/tmp}/fb-layers.$$" ]; then
    cat "${TMPDIR:-/tmp}/fb-layers.$$"
    fail=1
fi
rm -f "${TMPDIR:-/tmp}/fb-layers.$$"
[ $fail = 0 ] && echo "  PASS  include layers"
exit $fail
