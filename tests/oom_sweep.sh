#!/usr/bin/env bash
# tests/oom_sweep.sh - every workload under every collector, with the Nth
# allocation failed (-a faulty@N+pool, allocators/faulty.c) for N across
# the whole run: each run must either complete (exit 0) or stop cleanly
# with exit 3 and "out of memory" on stderr - never a signal, an abort
# from the checked core (poisoned use after free, double free, a failed
# *_validate), nor a sanitizer report (under build-san).
#
# How many allocations a run makes is measured first (faulty@0 counts and
# reports on stderr); N then takes POINTS values spread geometrically from
# 1 to that count, and the last allocation itself.
# Usage: oom_sweep.sh PATH/TO/gcbench_checked [POINTS]
set -u
G=$(readlink -f "$1")
POINTS=${2:-8}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
S=scale=0.003

# sweep_points COUNT: N values from 1 to COUNT, geometric, distinct
sweep_points() {
    python3 - "$1" "$POINTS" <<'PY'
import sys
count, points = int(sys.argv[1]), int(sys.argv[2])
ns = {1, count}
for i in range(points):
    ns.add(max(1, round(count ** (i / max(1, points - 1)))))
print(" ".join(str(n) for n in sorted(ns)))
PY
}

# one ALLOC COLLECTOR WORKLOAD N: the run's outcome is one of the two allowed
one() {
    local a=$1 c=$2 w=$3 n=$4
    "$G" run -a "faulty@$n+$a" -c "$c" -w "$w" -p $S >"$T/out" 2>"$T/err"
    local rc=$?
    if grep -q "AddressSanitizer\|runtime error:\|LeakSanitizer\|CHECK failed\|gcb_.*_validate" "$T/err"; then
        bad "$a/$c/$w faulty@$n: sanitizer or check report: $(head -5 "$T/err")"
    elif [ $rc -eq 3 ] && grep -q "out of memory" "$T/err"; then ok
    elif [ $rc -eq 0 ]; then ok
    else bad "$a/$c/$w faulty@$n: rc=$rc: $(head -3 "$T/err")"; fi
}

for w in $("$G" list workloads | awk '$1 !~ /^py:/ {print $1}'); do
    for c in $("$G" list collectors | awk '$2 ~ /default/ {print $1}'); do
        a=pool
        "$G" run -a faulty@0+$a -c "$c" -w "$w" -p $S >"$T/out" 2>"$T/err" \
            || { bad "$a/$c/$w without faults: $(head -3 "$T/err")"; continue; }
        count=$(sed -n 's/^gcbench: faulty: \([0-9]*\) allocations.*/\1/p' "$T/err")
        [ -n "$count" ] && [ "$count" -gt 0 ] || { bad "$a/$c/$w: no allocation count"; continue; }
        for n in $(sweep_points "$count"); do
            one "$a" "$c" "$w" "$n"
        done
        # the process malloc too, at the first allocation and half way
        one glibc "$c" "$w" 1
        one glibc "$c" "$w" $((count / 2 + 1))
    done
done

echo "oom_sweep: $pass passed, $fail failed"
[ $fail -eq 0 ]
