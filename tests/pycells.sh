#!/usr/bin/env bash
# tests/pycells.sh - `-w py:NAME` cells (bench/cell/python.c): the real
# interpreter runs the twin with the cell's allocator and collector mapped,
# and the record has the fields of a C record, so report and compare take
# it.  Skips (77) only when python3 is missing.
# Usage: pycells.sh PATH/TO/gcbench
set -u
G=$1
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3 on PATH: py: cells need an interpreter"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok; else bad "$what"; fi; }
jget() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
CYC="-p scale=0.01 -p ring_every=400 -p rings=5"

# --- bad input: exit 2 and one line, before any work
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok; else bad "$what: rc=$rc, $lines lines: $(cat "$T/err")"; fi
}
expect_usage "unknown twin" run -a glibc -c rc -w py:nosuch
expect_usage "replay has no twin" run -a glibc -c rc -w py:replay
expect_usage "collector without a CPython setting" run -a glibc -c marksweep -w py:intchurn
expect_usage "pool-huge has no CPython setting" run -a pool-huge -c rc -w py:intchurn
expect_usage "gen parameter CPython lacks" run -a glibc -c gen -w py:intchurn -p generations=4
# the model's runtime and allocator parameters are ignored by py cells and recorded
if "$G" run -a glibc -c rc -w py:intchurn -p scale=0.01 -p freelists=none -p sized_free=1 --json "$T/ig.json" >/dev/null 2>&1 \
   && [ "$(jget "$T/ig.json" "r['context']['python']['ignored_params']")" = "{'freelists': 'none', 'sized_free': '1'}" ]; then ok
else bad "runtime/allocator parameters not ignored-and-recorded"; fi
expect_usage "interpreter missing" run -a glibc -c rc -w py:intchurn -p python=/nonexistent/python3
expect_usage "interpreter not on PATH" run -a glibc -c rc -w py:intchurn -p python=no-such-python-here
expect_usage "workload parameter checked" run -a glibc -c rc -w py:intchurn -p scale=0
"$G" run -a glibc -c rc -w py:nosuch 2>"$T/err" >/dev/null
check "the error lists the py: workloads" grep -q "py:intchurn" "$T/err"

# --- a py cell's record: the C record's fields, the C checksum, the mapping
# (cpython=3.12: thresholds 700/10/10 through the preset; at this scale
# gen's default 2000 never triggers on its own, and the checks below want
# automatic collections too)
"$G" run -a glibc -c gen -w cycles $CYC -p cpython=3.12 --json "$T/c.json" >/dev/null 2>&1
"$G" run -a pool -c gen -w py:cycles $CYC -p cpython=3.12 --json "$T/p.json" >"$T/out" 2>"$T/err"
check "py:cycles under pool/gen runs ($(cat "$T/err"))" test -s "$T/p.json"
check "one summary line, the cell's" test "$(wc -l <"$T/out")" -eq 1
check "same top-level fields as a C record" \
    test "$(jget "$T/c.json" 'sorted(r)')" = "$(jget "$T/p.json" 'sorted(r)')"
check "same gc fields" test "$(jget "$T/c.json" 'sorted(r["gc"])')" = "$(jget "$T/p.json" 'sorted(r["gc"])')"
check "same checksum and ops as C" \
    test "$(jget "$T/c.json" 'r["checksum"], r["ops"]')" = "$(jget "$T/p.json" 'r["checksum"], r["ops"]')"
check "workload named py:cycles" test "$(jget "$T/p.json" 'r["workload"]')" = "py:cycles"
check "pool is pymalloc" test "$(jget "$T/p.json" 'r["context"]["python"]["pythonmalloc"]')" = pymalloc
check "the interpreter's version in the context" \
    test "$(jget "$T/p.json" 'r["context"]["python"]["version"]')" = "$(python3 -c 'import platform; print(platform.python_version())')"
check "build flags in the context" jget "$T/p.json" 'r["context"]["python"]["config_args"] is not None or exit(1)'
check "gen with cpython=3.12 (700/10/10) collects: a pause per collection" \
    jget "$T/p.json" '(r["gc"]["collections"] > 5 and r["gc"]["pause_ns"]["count"] == r["gc"]["collections"]) or exit(1)'
check "gen: every pause measured" jget "$T/p.json" '(r["gc"]["pause_ns"]["total"] > 0) or exit(1)'
"$G" run -a glibc -c rc -w py:cycles $CYC --json "$T/r.json" >/dev/null 2>&1
check "rc is gc.disable(): no collection but the program's 5 gc.collect()" \
    jget "$T/r.json" '(r["gc"]["collections"] == 5) or exit(1)'
check "glibc is PYTHONMALLOC=malloc over libc" \
    jget "$T/r.json" '(r["context"]["python"]["pythonmalloc"] == "malloc" and "libc" in r["context"]["python"]["malloc_library"]) or exit(1)'
# (dicts: cycles' own `collect` parameter would also stop its gc.collect())
"$G" run -a glibc -c gen -w py:dicts -p scale=0.02 --json "$T/g1.json" >/dev/null 2>&1
"$G" run -a glibc -c gen -w py:dicts -p scale=0.02 -p collect=0 --json "$T/g0.json" >/dev/null 2>&1
check "gen collect=0 is gc.disable() too" \
    jget "$T/g0.json" '(r["gc"]["collections"] == 0 < json.load(open("'"$T/g1.json"'"))["gc"]["collections"]) or exit(1)'
"$G" run -a glibc -c gen -w py:cycles $CYC -p threshold0=50 --json "$T/t.json" >/dev/null 2>&1
"$G" run -a glibc -c gen -w py:cycles $CYC --json "$T/t2.json" >/dev/null 2>&1
check "threshold0=50 collects more often than the default" \
    test "$(jget "$T/t.json" 'r["gc"]["collections"]')" -gt "$(jget "$T/t2.json" 'r["gc"]["collections"]')"

# --- a preloaded allocator serves the interpreter's malloc (verified inside it)
for a in $("$G" list allocators | awk '{print $1}' | grep -E '^(jemalloc|mimalloc|tcmalloc)$'); do
    if "$G" run -a "$a" -c rc -w py:intchurn -p scale=0.005 --json "$T/a.json" >/dev/null 2>"$T/err"; then
        check "$a serves the interpreter's malloc" \
            jget "$T/a.json" '("'"$a"'" in r["context"]["python"]["malloc_library"] or "'"$a"'" == "tcmalloc" and "tcmalloc" in r["context"]["python"]["malloc_library"]) or exit(1)'
    else
        bad "py:intchurn under $a: $(cat "$T/err")"
    fi
done
# the twin refuses to run when the library meant to serve malloc does not
lib=$(ldconfig -p 2>/dev/null | awk '/libjemalloc.so/ {print $NF; exit}')
if [ -n "$lib" ]; then
    python3 "$(dirname "$0")/../workloads/python/gcbtwin.py" -w intchurn -p scale=0.001 --check-malloc "$lib" \
        >/dev/null 2>"$T/err"
    check "an allocator that does not serve malloc fails the run (rc 1)" test $? -eq 1
fi

# --- -p python=PATH: another interpreter is another parameter value (a
# non-PIE one too: Debian's /usr/bin/python3 calls malloc through a PLT stub)
for py in /usr/bin/python3 /usr/local/bin/python3; do
    [ -x "$py" ] || continue
    "$G" run -a jemalloc -c gen -w py:aliasing -p scale=0.01 -p python="$py" --json "$T/v.json" >/dev/null 2>"$T/err" ||
        { "$G" list allocators | grep -q '^jemalloc' && bad "python=$py under jemalloc: $(cat "$T/err")"; continue; }
    check "python=$py: its version recorded" \
        test "$(jget "$T/v.json" 'r["context"]["python"]["version"]')" = "$("$py" -c 'import platform; print(platform.python_version())')"
    check "python=$py: jemalloc verified inside it" jget "$T/v.json" '("jemalloc" in r["context"]["python"]["malloc_library"]) or exit(1)'
    "$G" run -a glibc -c rc -w aliasing -p scale=0.01 --json "$T/vc.json" >/dev/null 2>&1
    check "python=$py: the C checksum" test "$(jget "$T/v.json" 'r["checksum"]')" = "$(jget "$T/vc.json" 'r["checksum"]')"
done

# --- a tiny matrix with py cells: recorded, summarised, reported, compared
"$G" matrix -a glibc,pool -c rc,gen -w intchurn,py:intchurn -p scale=0.004 --reps 1 --out "$T/m" \
    >"$T/mout" 2>&1
check "matrix with py cells exits 0 ($(tail -1 "$T/mout"))" test $? -eq 0
D=$(ls -d "$T"/m/*/ | head -1)
check "8 runs recorded" test "$(grep -c . "$D/runs.jsonl")" -eq 8
check "py cells in summary.csv" grep -q "py:intchurn" "$D/summary.csv"
check "py cells in report.md" grep -q "py:intchurn" "$D/report.md"
check "py and C checksums agree in the matrix" \
    test "$(grep -o '"checksum":"[0-9a-f]*"' "$D/runs.jsonl" | sort -u | wc -l)" -eq 1
"$G" compare "$D" "$D" >"$T/cmp" 2>&1
check "compare takes the py cells" grep -q "py:intchurn" "$T/cmp"

echo "pycells: $pass passed, $fail failed"
[ $fail -eq 0 ]
