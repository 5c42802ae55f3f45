#!/usr/bin/env bash
# tests/twins.sh - every Python twin (workloads/python/NAME.py) does the
# work of its C workload: for two seeds and two small scales the C run and
# the twin report the same ops and the same checksum (computed from the
# final live data on each side), and the twin's parameter table has the
# C table's names and defaults.  Skips (77) only when python3 is missing.
# Usage: twins.sh PATH/TO/gcbench SOURCE_ROOT
set -u
G=$1
TWIN="$2/workloads/python/gcbtwin.py"
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || { echo "SKIP: no $PY on PATH: the twins need a Python interpreter"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
field() { grep "\"$1\"" "$2" | head -1 | tr -d ' ",' | cut -d: -f2; }

# workload, its fixed parameters, two scales
cases() {
    cat <<'END'
intchurn|-p list_len=5|0.004 0.01
cycles|-p ring_every=400 -p rings=5|0.01 0.021
strings|-p max_len=1000|0.005 0.01
aliasing||0.01 0.02
slicing|-p rebuild_every=300|0.01 0.02
copies|-p depth=3|0.01 0.03
copies|-p copy=deep -p share_rate=0.5|0.01 0.02
dicts|-p reset_every=500 -p records=64|0.01 0.02
trees|-p depth=8|0.3 1.5
trees|-p variant=binarytrees -p depth=8|0.45 1
traversal|-p levels=150|0.02 0.05
lifetimes||0.01 0.02
lifetimes|-p dist=exponential -p link_rate=0.5|0.01 0.02
locals|-p pool=3000 -p stores=5|0.004 0.01
END
}

while IFS='|' read -r w fixed scales; do
    for s in $scales; do
        for seed in 1 9876543210987; do
            what="$w $fixed scale=$s seed=$seed"
            # shellcheck disable=SC2086
            if ! "$G" run -a glibc -c rc -w "$w" $fixed -p scale="$s" --seed "$seed" --json "$T/c.json" \
                    >/dev/null 2>"$T/err"; then
                bad "$what: C run failed: $(cat "$T/err")"; continue
            fi
            # shellcheck disable=SC2086
            if ! "$PY" "$TWIN" -w "$w" $fixed -p scale="$s" --seed "$seed" --json "$T/p.json" \
                    >/dev/null 2>"$T/err"; then
                bad "$what: twin failed: $(cat "$T/err")"; continue
            fi
            c="$(field ops "$T/c.json") $(field checksum "$T/c.json") $(field cyclic_garbage_objects "$T/c.json")"
            p="$(field ops "$T/p.json") $(field checksum "$T/p.json") $(field cyclic_garbage_objects "$T/p.json")"
            [ "$c" = "$p" ] && ok || bad "$what: C ops/checksum/cyclic '$c', Python '$p'"
        done
    done
done < <(cases)

# --rng live (the port itself in the timed part) gives what the default
# replay of recorded draws gives
for w in "intchurn -p scale=0.004" "lifetimes -p scale=0.005" "strings -p scale=0.004" "copies -p scale=0.01"; do
    # shellcheck disable=SC2086
    a=$("$PY" "$TWIN" -w $w --seed 5 --rng live 2>&1 | grep -o 'checksum [0-9a-f]*')
    # shellcheck disable=SC2086
    b=$("$PY" "$TWIN" -w $w --seed 5 2>&1 | grep -o 'checksum [0-9a-f]*')
    [ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "twin $w: --rng live '$a', replay '$b'"
done

# --rng replay's recording pass runs in a child interpreter, so a cell
# whose heap grows pays its own first touches in the timed part: cycles
# with gc.disable() at scale 0.2 leaks 11.7 MiB (about 3,000 pages of
# malloc'd memory).  Recorded in this process, the pass left that memory in
# malloc's free lists and the timed pass reused it (0 timed faults at scale
# 0.1, docs/validate.md "The leaking cell"); the checksum is the C one.
if PYTHONMALLOC=malloc "$PY" "$TWIN" -w cycles -p scale=0.2 -p collect=0 --gc off --json "$T/leak.json" \
        >/dev/null 2>"$T/err"; then
    tf=$(field timed_minor_faults "$T/leak.json")
    [ -n "$tf" ] && [ "$tf" -ge 1500 ] && ok || bad "twin cycles gc off: $tf minor faults in the timed part, not >= 1500"
    "$G" run -a glibc -c rc -w cycles -p scale=0.2 -p collect=0 --json "$T/c.json" >/dev/null 2>&1
    [ "$(field checksum "$T/leak.json")" = "$(field checksum "$T/c.json")" ] && ok ||
        bad "twin cycles gc off: checksum $(field checksum "$T/leak.json"), C $(field checksum "$T/c.json")"
else
    bad "twin cycles gc off failed: $(cat "$T/err")"
fi
# a recording pass that fails fails the run (exit 1, not a bogus replay)
if "$PY" - "$TWIN" >"$T/out" 2>&1 <<'PYEND'
import os, sys
sys.argv = [sys.argv[1], "-w", "intchurn", "-p", "scale=0.004"]
sys.path.insert(0, os.path.dirname(sys.argv[0]))
import gcbtwin
sys.executable = "/bin/true"      # the child sends nothing
sys.exit(gcbtwin.main(sys.argv[1:]))
PYEND
then bad "twin: a failing recording child did not fail the run: $(cat "$T/out")"
else
    grep -q "recording pass (a child process) failed: it did not send its draws" "$T/out" && ok ||
        bad "twin: failing recording child: $(cat "$T/out")"
fi

# every twin's table: the C table's names and defaults, in its order
"$PY" "$TWIN" --list | awk '{print $1, $2, $5}' >"$T/py.txt"
"$G" list params | awk '$1 == "workload" {print $2, $3, $6}' >"$T/c.txt"
for w in $(awk '{print $1}' "$T/py.txt" | sort -u); do
    if diff <(grep "^$w " "$T/py.txt") <(grep "^$w " "$T/c.txt") >"$T/d"; then ok
    else bad "twin $w: parameter table differs from the C one: $(tr '\n' ' ' <"$T/d")"; fi
done
# every C workload has a twin, or docs/workloads.md says why not (replay,
# and the threaded workloads: they need a free-threaded interpreter)
for w in $("$G" list workloads | awk '$1 !~ /^py:/ {print $1}'); do
    case $w in replay|prodcons|shared|churn_ft) ok; continue;; esac
    if grep -q "^$w " "$T/py.txt"; then ok; else bad "workload $w has no twin"; fi
done

# bad input: exit 2 and one line, before any work
expect_usage() {
    local what=$1; shift
    "$PY" "$TWIN" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok; else bad "twin $what: rc=$rc, $lines lines: $(cat "$T/err")"; fi
}
expect_usage "unknown twin" -w nosuch
expect_usage "replay has no twin" -w replay
expect_usage "unknown param" -w intchurn -p nosuch=1
expect_usage "out of range" -w intchurn -p scale=0
expect_usage "not a number" -w intchurn -p scale=abc
expect_usage "bad choice" -w copies -p mode=sideways
expect_usage "bad gc setting" -w intchurn --gc 1,2
expect_usage "bad rng mode" -w intchurn --rng fast
expect_usage "min_len above max_len" -w strings -p min_len=10 -p max_len=5

echo "twins: $pass passed, $fail failed"
[ $fail -eq 0 ]
