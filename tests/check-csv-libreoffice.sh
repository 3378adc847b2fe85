#!/bin/sh
# The exported CSV opened by a real spreadsheet: LibreOffice Calc (headless) converts
# `fbreview export` output to flat ODS, and tests/csv_libreoffice.py reads the cells back.
# LibreOffice is big, so it is installed here (scripts/deps.sh --with-libreoffice) rather
# than for every build; the test is skipped, loudly, only when it cannot be installed.
set -u
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
    scripts/deps.sh --with-libreoffice >&2 || true
fi
if ! command -v soffice >/dev/null 2>&1; then
    echo "  SKIP  csv in LibreOffice: LibreOffice could not be installed here;" \
         "run scripts/deps.sh --with-libreoffice as root, then make check" >&2
    echo "  SKIP  csv in LibreOffice (not installed)"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fbcsv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if python3 tests/csv_libreoffice.py "${FB_BIN:-build/fbreview}" "$tmp" >"$tmp/log" 2>&1; then
    echo "  PASS  csv in LibreOffice"
else
    echo "  FAIL  csv in LibreOffice"
    cat "$tmp/log"
    exit 1
fi
