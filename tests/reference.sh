#!/usr/bin/env bash
# tests/reference.sh - `gcbench report` over a copy of the committed
# reference run (results/reference: run.json and runs.jsonl only) writes a
# report.md byte-identical to the committed one: the reader, the cells
# model, the statistics and the report's formatting are unchanged by a
# refactoring (issue 11).  The report names no time of its own, so the
# comparison is exact.  Needs gnuplot (the report lists the figures it drew).
# Usage: reference.sh PATH/TO/gcbench [GNUPLOT]
set -u
G=$(readlink -f "$1")
REF="$(dirname "$(readlink -f "$0")")/../results/reference"
if [ -z "${2:-}" ] || ! command -v "${2}" >/dev/null; then
    echo "reference: skipped (no gnuplot: report.md lists the figures drawn)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/ref"
cp "$REF/run.json" "$REF/runs.jsonl" "$T/ref/"
"$G" report "$T/ref" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL: report over the reference exited $rc: $(tail -2 "$T/err")" >&2
    exit 1
fi
if ! cmp -s "$REF/report.md" "$T/ref/report.md"; then
    echo "FAIL: report.md differs from results/reference/report.md:" >&2
    diff "$REF/report.md" "$T/ref/report.md" | head -20 >&2
    exit 1
fi
echo "reference: report.md byte-identical to results/reference/report.md ($(wc -l <"$T/ref/report.md") lines)"
