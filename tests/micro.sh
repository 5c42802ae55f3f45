#!/usr/bin/env bash
# tests/micro.sh - gcbench-micro in quick mode: its JSON is Google
# Benchmark's and names the expected benchmarks (measured, or skipped with
# an error when their collector is not built in); memory figures and
# repetitions work; --allocator re-executes under each preloadable
# allocator given; a bad --allocator exits 2.
# Usage: micro.sh PATH/TO/gcbench-micro PATH/TO/gcbench-micro-summary [ALLOCATOR...]
set -u
M=$1
SUM=$2
shift 2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
quick=--benchmark_min_time=0.01

filter='^(loop_overhead/batch|alloc_free/(pool|glibc)/(16|256|4096)|alloc_free_burst/pool/64|incref_decref/(raw|rc)/(int|immortal)|gc_young/gen/survivors/100|gc_full/gen/10000|zct/drc/garbage/1000)$'
"$M" $quick --benchmark_filter="$filter" --benchmark_format=json >"$T/q.json" 2>"$T/err"
check "quick run exits 0 ($(tail -1 "$T/err"))" test $? -eq 0
"$SUM" "$T/q.json" \
    --expect-ok loop_overhead/batch \
    --expect-ok alloc_free/pool/16 --expect-ok alloc_free/pool/256 --expect-ok alloc_free/pool/4096 \
    --expect-ok alloc_free/glibc/16 --expect-ok alloc_free/glibc/4096 --expect-ok alloc_free_burst/pool/64 \
    --expect-ok incref_decref/raw/int --expect-ok incref_decref/rc/immortal \
    --expect gc_young/gen/survivors/100 --expect gc_full/gen/10000 --expect zct/drc/garbage/1000 >"$T/out" 2>&1
check "expected names in the JSON: $(cat "$T/out")" test $? -eq 0
check "JSON has Google Benchmark's context" grep -q '"library_build_type"' "$T/q.json"
check "JSON has our context" grep -q '"process_allocator": "glibc"' "$T/q.json"
check "memory manager: allocs_per_iter" grep -q '"allocs_per_iter"' "$T/q.json"
check "memory manager: one block per alloc/free iteration" grep -q '"allocs_per_iter": 1.0' "$T/q.json"
"$SUM" "$T/q.json" >"$T/table" 2>&1
check "summary prints the table" grep -q '^alloc_free: ns per allocate/free pair' "$T/table"
# a collector that is built in is measured; one that is not is an error, never a silent zero
for c in gen drc; do
    name=$(grep -o "^\(gc_young\|zct\)/$c/[^ ]*" "$T/table" | head -1)
    [ -z "$name" ] && name=$(grep -o "^gc_full/$c/[^ ]*" "$T/table" | head -1)
    if grep -q "\"collectors_built\": \"[^\"]*\b$c\b" "$T/q.json"; then
        check "$c built in: $name measured" sh -c "grep '^$name ' '$T/table' | grep -qv 'not built'"
    else
        check "$c absent: $name skipped with the reason" sh -c "grep '^$name ' '$T/table' | grep -q \"collector '$c' is not built\""
    fi
done

# Google Benchmark's own flags: repetitions and aggregates
"$M" $quick --benchmark_filter='^incref_decref/raw/immortal$' --benchmark_repetitions=3 \
    --benchmark_format=json >"$T/r.json" 2>/dev/null
check "--benchmark_repetitions=3: 3 runs" test "$(grep -c '"run_type": "iteration"' "$T/r.json")" = 3
check "--benchmark_repetitions=3: median aggregate" grep -q '"aggregate_name": "median"' "$T/r.json"

# each process allocator given, under LD_PRELOAD
for a in "$@"; do
    "$M" --allocator "$a" $quick --benchmark_filter="^alloc_free/(pool\\+)?$a/16\$" --benchmark_format=json \
        >"$T/$a.json" 2>"$T/err"
    check "--allocator $a exits 0 ($(tail -1 "$T/err"))" test $? -eq 0
    "$SUM" "$T/$a.json" --expect-ok "alloc_free/$a/16" --expect-ok "alloc_free/pool+$a/16" >"$T/out" 2>&1
    check "--allocator $a: names ($(cat "$T/out"))" test $? -eq 0
    check "--allocator $a: the process allocator" grep -q "\"process_allocator\": \"$a\"" "$T/$a.json"
    check "--allocator $a: malloc is not glibc's" sh -c "grep '\"malloc_in_effect\"' '$T/$a.json' | grep -vq glibc"
done

"$M" --allocator nosuch --benchmark_list_tests >/dev/null 2>"$T/err"
check "bad --allocator: exit 2" test $? -eq 2
"$M" --allocator pool --benchmark_list_tests >/dev/null 2>"$T/err"
check "--allocator pool: exit 2 (pool runs over the process allocator)" test $? -eq 2
"$M" --benchmark_nosuch_flag >/dev/null 2>&1
check "unknown flag: exit 2" test $? -eq 2

echo "micro.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
