#!/usr/bin/env bash
# tests/calibrate.sh - scripts/calibrate: bad input exits 2 with one line;
# a tiny calibration (one workload, one run a side) writes both shares for
# each side: the old time keys (share_time, samples, categories) and the
# instruction keys (share_instructions, instructions,
# categories_instructions), the categories of each summing to 1 within
# rounding, the share equal to the memory-management categories' sum, the
# instruction kernel category 0 (callgrind does not see the kernel).
# Skips (77) when python3, perf or valgrind is missing or perf cannot record.
# Usage: calibrate.sh PATH/TO/gcbench PATH/TO/scripts/calibrate
set -u
G=$1 CAL=$2
for t in python3 perf valgrind; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t on PATH"; exit 77; }
done
perf record -q -e cpu-clock -o /dev/null -- true >/dev/null 2>&1 || { echo "SKIP: perf cannot record here"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_usage() {
    local what=$1; shift
    "$CAL" --gcbench "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok; else bad "$what: rc=$rc, $lines lines: $(cat "$T/err")"; fi
}

expect_usage "no such python" --python "$T/nosuch/python3" -w intchurn --out "$T/x.json"
grep -q "no interpreter" "$T/err" && ok || bad "no-python message: $(cat "$T/err")"
expect_usage "bad --cg-scale" --cg-scale 0 -w intchurn --out "$T/x.json"
expect_usage "no such twin" -w nosuch --out "$T/x.json"
expect_usage "bad option" --bogus
[ -e "$T/x.json" ] && bad "a failed calibrate wrote its file" || ok

"$CAL" --gcbench "$G" -w intchurn --scale 0.01 --reps 1 --cg-scale 0.002 --out "$T/cal.json" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "calibrate: rc=$rc: $(tail -3 "$T/err")"
grep -Eq "^intchurn +time: cpython .*instructions: cpython +[0-9.]+%  model +[0-9.]+%$" "$T/out" \
    && ok || bad "progress line: $(cat "$T/out")"
python3 - "$T/cal.json" <<'PYEOF' && ok || bad "calibration file checks"
import json, sys
d = json.load(open(sys.argv[1]))
errs = []
w = d["workloads"]["intchurn"]
mm = ("alloc", "gc", "dealloc", "kernel")
for side in ("cpython", "model"):
    s = w[side]
    for k in ("share_time", "samples", "categories", "share_instructions", "instructions", "categories_instructions"):
        if k not in s:
            errs.append("%s: no %s" % (side, k))
    for ck, sk in (("categories", "share_time"), ("categories_instructions", "share_instructions")):
        c = s.get(ck, {})
        if sorted(c) != sorted(mm + ("other",)):
            errs.append("%s %s: categories %s" % (side, ck, sorted(c)))
            continue
        if abs(sum(c.values()) - 1) > 0.001:
            errs.append("%s %s sum to %r" % (side, ck, sum(c.values())))
        if abs(sum(c[m] for m in mm) - s[sk]) > 0.001:
            errs.append("%s %s: %r is not the mm categories' sum" % (side, sk, s[sk]))
        if not 0 < s[sk] < 1:
            errs.append("%s %s = %r" % (side, sk, s[sk]))
    if s.get("categories_instructions", {}).get("kernel") != 0:
        errs.append("%s: instruction kernel category not 0" % side)
    if not s.get("instructions", 0) > 100000:
        errs.append("%s: %r instructions" % (side, s.get("instructions")))
for k in ("cpython_callgrind_command", "model_callgrind_command"):
    if "--toggle-collect=" not in w.get(k, ""):
        errs.append("%s: %r" % (k, w.get(k)))
if d.get("callgrind_scale") != "0.002" or "callgrind" not in d.get("method_instructions", ""):
    errs.append("callgrind_scale/method_instructions: %r %r" % (d.get("callgrind_scale"), d.get("method_instructions")))
for e in errs:
    print("calibrate.sh:", e, file=sys.stderr)
sys.exit(1 if errs else 0)
PYEOF

echo "calibrate: $pass passed, $fail failed"
[ $fail -eq 0 ]
