#!/usr/bin/env bash
# tests/trace.sh - allocation traces end to end: record a C program with a
# known allocation sequence and (when python3 is here) a Python script with
# `gcbench trace`, replay them and find the same number of events; a
# truncated, corrupt or missing trace and a bad `gcbench trace` command
# line exit 2 with one line.
# Usage: trace.sh PATH/TO/gcbench PATH/TO/trace_prog SOURCE_DIR
set -u
G=$1 PROG=$2 SRC=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines; lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$T/out" ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(cat "$T/err")"; fi
}

# field N of the summary line: "gcbench trace: E events (M malloc, C calloc, A aligned, R realloc, F free), ..."
summary() { grep '^gcbench trace:' "$1" | sed -E 's/^gcbench trace: ([0-9]+) events \(([0-9]+) malloc, ([0-9]+) calloc, ([0-9]+) aligned, ([0-9]+) realloc, ([0-9]+) free\).*/\1 \2 \3 \4 \5 \6/'; }
ops_of() { sed -nE 's/.*\(([0-9]+) ops in.*/\1/p' "$1"; }

# 1. the C program: every kind of call, counted exactly
if "$G" trace -o "$T/c.gcbtrace" -- "$PROG" 2>"$T/err"; then
    read -r events mallocs callocs aligned reallocs frees <<<"$(summary "$T/err")"
    # libc may allocate a little at startup: at least what the program asks, all kinds present
    [ "${mallocs:-0}" -ge 1010 ] && [ "${callocs:-0}" -ge 1000 ] && [ "${aligned:-0}" -ge 2000 ] \
        && [ "${reallocs:-0}" -ge 1000 ] && [ "${frees:-0}" -ge 4000 ] && ok \
        || bad "C program trace counts: $(cat "$T/err")"
    "$G" run -a glibc -c rc -w replay -p trace="$T/c.gcbtrace" -p scale=0.25 >"$T/out" 2>&1
    [ "$(ops_of "$T/out")" = "$events" ] && ok || bad "replay of the C trace: $(cat "$T/out") vs $events events"
    "$G" run -a pool -c rc -w replay -p trace="$T/c.gcbtrace" -p scale=0.25 >"$T/out2" 2>&1
    [ "$(grep -o 'checksum [0-9a-f]*' "$T/out")" = "$(grep -o 'checksum [0-9a-f]*' "$T/out2")" ] && ok \
        || bad "replay checksum differs between glibc and pool"
else
    bad "gcbench trace of the C program: $(cat "$T/err")"
fi

# 2. python3, when present: a seed-idiom script with PYTHONMALLOC=malloc
if command -v python3 >/dev/null 2>&1; then
    if "$G" trace -o "$T/py.gcbtrace" -- python3 "$SRC/workloads/traces/seed_idioms.py" 300 >/dev/null 2>"$T/err"; then
        read -r events mallocs _ <<<"$(summary "$T/err")"
        [ "${mallocs:-0}" -ge 10000 ] && ok || bad "python trace too small: $(cat "$T/err")"
        "$G" run -a pool -c rc -w replay -p trace="$T/py.gcbtrace" -p scale=0.25 >"$T/out" 2>&1
        [ "$(ops_of "$T/out")" = "$events" ] && ok || bad "replay of the python trace: $(cat "$T/out") vs $events events"
    else
        bad "gcbench trace of python3: $(cat "$T/err")"
    fi
fi

# 3. broken traces: exit 2, one line, nothing run
good="$T/c.gcbtrace"
head -c 2000 "$good" >"$T/trunc"
expect_usage "truncated trace" run -a glibc -c rc -w replay -p trace="$T/trunc"
head -c 10 "$good" >"$T/tiny"
expect_usage "trace shorter than its header" run -a glibc -c rc -w replay -p trace="$T/tiny"
: >"$T/empty"
expect_usage "empty trace" run -a glibc -c rc -w replay -p trace="$T/empty"
expect_usage "missing trace" run -a glibc -c rc -w replay -p trace="$T/nonexistent"
expect_usage "trace is a directory" run -a glibc -c rc -w replay -p trace="$T"
printf 'GCBTRACE\002\000\000\000\040\000\000\000%024d' 0 >"$T/v2"
expect_usage "future version" run -a glibc -c rc -w replay -p trace="$T/v2"
for k in 1 2 3 4 5 6; do   # flip bytes at fixed places: an op, an id, the end record
    cp "$good" "$T/bad$k"
    size=$(stat -c %s "$good")
    off=$(( (size * k / 7) ))
    printf '\x7e\xff\xff' | dd of="$T/bad$k" bs=1 seek="$off" conv=notrunc status=none
    expect_usage "corrupt trace (bytes at $off)" run -a glibc -c rc -w replay -p trace="$T/bad$k"
done
cp "$good" "$T/tail"; printf '\x02\x01' >>"$T/tail"
expect_usage "bytes after the end record" run -a glibc -c rc -w replay -p trace="$T/tail"

# 4. the subcommand's own usage errors
expect_usage "trace without -o" trace -- true
expect_usage "trace without a command" trace -o "$T/x"
expect_usage "trace into a missing directory" trace -o /nonexistent/dir/x -- true
expect_usage "trace of a missing program" trace -o "$T/x" -- /nonexistent/program
"$G" trace --help | grep -q usage && ok || bad "gcbench trace --help"

# 5. a replay allocates no objects, yet its timeline is sampled: points all
# through the run, and live bytes that rise above zero
"$G" run -a glibc -c rc -w replay --json "$T/rt.json" >/dev/null 2>&1 \
    && python3 - "$T/rt.json" <<'PY' && ok || bad "replay's timeline is not sampled"
import json, sys
t = json.load(open(sys.argv[1]))["timeline"]
live = t["columns"].index("live_bytes")
pts = t["points"]
assert len(pts) > 20, len(pts)
assert max(p[live] for p in pts) > 0
PY

echo "trace: $pass passed, $fail failed"
[ $fail -eq 0 ]
