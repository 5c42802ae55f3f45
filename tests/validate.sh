#!/usr/bin/env bash
# tests/validate.sh - `gcbench validate` (bench/analysis/validate.c): a tiny
# run (2 allocators x 2 workloads and their py: twins, gc on/off, 3 reps)
# writes validate.md and validate.csv with a verdict per workload and
# overall in the documented format; reading the directory again gives the
# same files; report.md gains the section; bad input exits 2 with one line.
# Skips (77) only when python3 is missing.
# Usage: validate.sh PATH/TO/gcbench
set -u
G=$1
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3 on PATH: py: cells need an interpreter"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok; else bad "$what: rc=$rc, $lines lines: $(cat "$T/err")"; fi
}

# --- bad input
expect_usage "not a directory" validate "$T/nosuch"
mkdir -p "$T/empty"
expect_usage "not a result directory" validate "$T/empty"
expect_usage "two directories" validate "$T/a" "$T/b"
expect_usage "run options with DIR" validate -a glibc "$T/empty"
expect_usage "unreadable calibration" validate --calibration "$T/nosuch.json" "$T/empty"
expect_usage "bad --share" validate --share cycles "$T/empty"
grep -q -- "--share 'cycles'" "$T/err" && ok || bad "--share message: $(cat "$T/err")"
"$G" matrix -a glibc,pool -c gen -w intchurn -p scale=0.01 --reps 1 --out "$T/conly" --no-timeline >/dev/null 2>&1
expect_usage "no py: cells" validate "$T/conly"/*
grep -q "has no py: cells" "$T/err" && ok || bad "no py: cells message: $(cat "$T/err")"

# --- a tiny validate run (a user's file in --out that sorts after the
# matrix's RUN-ID is not taken for the result directory)
mkdir -p "$T/v" && echo notes >"$T/v/zz-notes.txt"
"$G" validate -a glibc,pool -w intchurn,cycles -p scale=0.01 --reps 3 --gc-cost --out "$T/v" >"$T/stdout" 2>"$T/stderr"
rc=$?
[ $rc -eq 0 ] && ok || bad "validate run: rc=$rc: $(tail -3 "$T/stderr")"
D=$(ls -d "$T/v"/*/ 2>/dev/null | head -1)
[ -f "$D/validate.md" ] && [ -f "$D/validate.csv" ] && ok || bad "validate.md/csv missing in '$D'"
# 2 allocators x (gen, gen collect=0) x 2 workloads x (model, py) = 16 cells x 3 runs
n=$(wc -l <"$D/runs.jsonl")
[ "$n" -eq 48 ] && ok || bad "runs.jsonl has $n runs, want 48"
for w in intchurn cycles; do
    grep -Eq "^\*\*verdict $w: (AGREE|DISAGREE)\*\* - ratios inside the interpreter's CI: [0-9]+ of 3 \((model|predicted)\), model alone [0-9]+ of 3; pairs both resolve in the same order: [0-9]+ of [01]$" "$D/validate.md" \
        && ok || bad "verdict line of $w: $(grep "verdict $w" "$D/validate.md")"
    # one ratio pool/glibc and the gc on/off ratio of each allocator
    c=$(grep -c "^$w,.*,ratio,pool/glibc," "$D/validate.csv"); [ "$c" -eq 1 ] && ok || bad "$w pool/glibc rows: $c"
    c=$(grep -c "^$w,.*,collector,.*: gc on/off," "$D/validate.csv"); [ "$c" -eq 2 ] && ok || bad "$w gc rows: $c"
    grep -q "^$w,\"gen scale=0.01 threshold0=2000\",rank,2 allocators," "$D/validate.csv" && ok || bad "$w rank row"
done
grep -Eq '^\*\*verdict overall: (AGREE|DISAGREE)\*\* - [0-2] of 2 workloads agree; ratios inside [0-9]+ of 6, model alone [0-9]+ of 6; pairs in the same order [0-9]+ of [0-2]$' "$D/validate.md" \
    && ok || bad "overall verdict: $(grep 'verdict overall' "$D/validate.md")"
head -1 "$D/validate.csv" | grep -qx "workload,setting,kind,what,model,predicted,interpreter,ci_lo,ci_hi,ci_how,model_inside,predicted_inside" \
    && ok || bad "csv header"
# every csv row has the header's 12 fields
python3 -c "
import csv,sys
rows=list(csv.reader(open(sys.argv[1])))
sys.exit(0 if all(len(r)==12 for r in rows) else 1)" "$D/validate.csv" && ok || bad "csv rows not 12 fields"
cmp -s "$T/stdout" "$D/validate.md" && ok || bad "stdout is not validate.md"
# a collector ratio's prediction uses the cells' own shares and times (its
# runs' gc.gc_time_s / wall_s and ops/s, medians), not the calibration's:
# the collections scale by the interpreter's over the model's collection
# time, the rest of the model's difference (faults) is added as measured
# (gcb_gc_cost_predict); recomputed here from runs.jsonl for every gc
# on/off row that has a prediction
python3 - "$D/runs.jsonl" "$D/validate.csv" "$D/validate.md" <<'PYEOF' && ok || bad "gc-cost prediction from the cells' own shares"
import csv, json, statistics, sys
share, ops = {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["status"] == "ok" and r["wall_s"] > 0:
        k = (r["workload"], r["allocator"], r["params"].get("collect", "1") != "0")
        g = r["gc"]["gc_time_s"] - r.get("final_collect_s", 0)   # the final collection is outside wall_s
        share.setdefault(k, []).append(max(g, 0) / r["wall_s"])
        ops.setdefault(k, []).append(r["ops_per_sec"])
def cell(wl, alloc, on):
    k = (wl, alloc, on)
    return 1 / statistics.median(ops[k]), statistics.median(share[k])
md = open(sys.argv[3]).read()
checked = 0
for row in csv.reader(open(sys.argv[2])):
    if len(row) < 6 or row[2] != "collector" or not row[5]:
        continue
    alloc = row[3].split(":")[0]
    (tm, gm), (tl, gl), (ti, gp) = cell(row[0], alloc, True), cell(row[0], alloc, False), cell("py:" + row[0], alloc, True)
    d = (tl - gl * tl) - (tm - gm * tm)
    want = (ti - gp * ti + gp * ti / (gm * tm) * gl * tl + d) / ti
    if abs(want - float(row[5])) > 0.0015 * max(1, want):
        sys.exit(f"{row[0]} {row[3]}: predicted {row[5]}, want {want:.4f} from shares {gm:.4f} {gp:.4f}")
    if f"{row[3]} {100 * gm:.1f}% and {100 * gp:.1f}%" not in md:
        sys.exit(f"{row[0]} {row[3]}: shares {100 * gm:.1f}% and {100 * gp:.1f}% not in validate.md")
    checked += 1
print(f"{checked} gc-cost predictions recomputed")
sys.exit(0 if checked else 1)
PYEOF
# reading the directory again: the same files
cp "$D/validate.csv" "$T/first.csv"
"$G" validate "$D" >/dev/null 2>&1 && cmp -s "$T/first.csv" "$D/validate.csv" && ok || bad "re-read differs"
# --share: a calibration with both shares, the instruction ones different
# from the time ones, so the line printed says which one was used
python3 - "$T/cal.json" <<'PYEOF'
import json, sys
side = lambda t, i: {"categories": {"alloc": t, "kernel": 0.01, "gc": 0.05, "dealloc": 0.02, "other": 0.92 - t},
                     "categories_instructions": {"alloc": i, "kernel": 0.0, "gc": 0.07, "dealloc": 0.03,
                                                 "other": 0.9 - i}}
json.dump({"interpreter": {"version": "any"}, "date": "test",
           "workloads": {w: {"cpython": side(0.11, 0.21), "model": side(0.41, 0.61)}
                         for w in ("intchurn", "cycles")}}, open(sys.argv[1], "w"))
PYEOF
"$G" validate --calibration "$T/cal.json" "$D" >"$T/s-auto" 2>/dev/null
grep -q "Share used: instructions (callgrind)" "$T/s-auto" && ok || bad "default share not instructions"
grep -q "^Share of the instructions (calibration): allocator (alloc + kernel) 21.0% in CPython .*, 61.0% in the model\.$" "$T/s-auto" \
    && ok || bad "instruction share line: $(grep '^Share of' "$T/s-auto" | head -1)"
"$G" validate --calibration "$T/cal.json" --share time "$D" >"$T/s-time" 2>/dev/null
grep -q "Share used: time (perf)" "$T/s-time" && ok || bad "--share time not said"
grep -q "^Share of the time (calibration): allocator (alloc + kernel) 12.0% in CPython .*, 42.0% in the model\.$" "$T/s-time" \
    && ok || bad "time share line: $(grep '^Share of' "$T/s-time" | head -1)"
cmp -s "$T/s-auto" "$T/s-time" && bad "--share time gave the same output" || ok
# a calibration without instruction shares: time, and --share instructions says it fell back
python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
for w in d['workloads'].values():
    for s in w.values(): del s['categories_instructions']
json.dump(d,open(sys.argv[2],'w'))" "$T/cal.json" "$T/cal-time.json"
"$G" validate --calibration "$T/cal-time.json" "$D" 2>/dev/null | grep -q "Share used: time (perf)\.$\|Share used: time (perf)\. " && ok || bad "time-only calibration"
"$G" validate --calibration "$T/cal-time.json" --share instructions "$D" 2>/dev/null \
    | grep -q "Share used: time (perf); the calibration has no instruction shares" && ok || bad "--share instructions fallback"
# the report gains the section; a C-only report does not
"$G" report --no-plots "$D" >/dev/null 2>&1
grep -q "^## Model against the interpreter" "$D/report.md" && ok || bad "report.md section"
# which share the section used (or that there was no calibration for this interpreter)
grep -Eq "Share used: (instructions \(callgrind\)|time \(perf\))|No calibration for" "$D/report.md" && ok || bad "report.md share"
"$G" report --no-plots "$T/conly"/* >/dev/null 2>&1
grep -q "Model against the interpreter" "$T/conly"/*/report.md && bad "C-only report has the section" || ok

echo "validate: $pass passed, $fail failed"
[ $fail -eq 0 ]
