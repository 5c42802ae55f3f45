#!/usr/bin/env bash
# tests/mainjob.sh - the main job's default matrix (bench/matrix/default.c,
# docs/matrix.md "The default matrix") is steady-state and reproducible:
#   1. its scale is the same on two invocations (and under another order seed);
#   2. its exact run set: every allocator under gen, every collector under
#      pool, every allocator under rc on cycles and trees, the py: cells when
#      python3 is found, the threaded part (churn_ft and prodcons under rc
#      and ftgc at mode=ft, threads 1 and 2, on glibc, and mimalloc and
#      mimalloc-ft when mimalloc was found), 5 repetitions each; -w
#      churn_ft,prodcons is that part alone; --full is the whole
#      cross-product (ftgc not in it: mode=ft only);
#   3. a real default run (one workload) records the rule and the scales in
#      run.json, resumes to nothing, and its report opens with the Answer;
#      a real run of the threaded part (churn_ft) has its Threads section and
#      an Answer row per thread count (1-thread and 2-thread cells are no
#      rivals, bench/report/answer.c), none for churn_ft at both;
#   4. its allocator ranking equals the ranking at 5x its scale on intchurn
#      and cycles: one interleaved matrix of both scales, and only allocator
#      pairs resolved at both scales are compared (ranges of 5 runs disjoint,
#      the exact Mann-Whitney p = 0.008, and a median ratio >= 1.10), so a
#      loaded 2-core machine blurs pairs out of the check instead of failing
#      it; no pair resolved at all: skip (77).
# Usage: mainjob.sh PATH/TO/gcbench [--all]
#   --all: step 4 on every workload of the default with every allocator
#   (the full check of docs/performance.md; about 15 minutes on an idle machine)
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ALL=${2:-}
# bench/matrix/default.c's full_only_wl: in --full, not in the default
FULL_ONLY=" shared "
# bench/matrix/default.c's thr_wl, thr_alloc, thr_coll, thr_axes: the threaded part
THR_WL=" churn_ft prodcons "
THR_COLL="rc ftgc"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# "alloc coll workload scale threading" per dry-run command; threading is
# "mode=M,threads=N" (each "-" when not given), or "-" when neither is
triples() {
    awk '{ a = c = w = s = m = t = "-"; for (i = 1; i <= NF; i++) { if ($i == "-a") a = $(i + 1); if ($i == "-c") c = $(i + 1);
           if ($i == "-w") w = $(i + 1); if ($i == "-p" && $(i + 1) ~ /^scale=/) s = substr($(i + 1), 7)
           if ($i == "-p" && $(i + 1) ~ /^mode=/) m = substr($(i + 1), 6)
           if ($i == "-p" && $(i + 1) ~ /^threads=/) t = substr($(i + 1), 9) }
           print a, c, w, s, (m == "-" && t == "-") ? "-" : "mode=" m ",threads=" t }' "$1"
}

# --- 1. the scale does not drift: two invocations, another order seed
"$G" matrix --dry-run --order-seed 7 --out d >a.txt 2>a.err || bad "default dry-run failed: $(cat a.err)"
"$G" matrix --dry-run --order-seed 7 --out d >b.txt 2>/dev/null
"$G" matrix --dry-run --order-seed 8 --out d >c.txt 2>/dev/null
[ "$(wc -l <a.txt)" -gt 100 ] && ok || bad "the default matrix has $(wc -l <a.txt) runs"
cmp -s a.txt b.txt && ok || bad "two invocations of the default matrix differ"
[ "$(triples a.txt | sort)" = "$(triples c.txt | sort)" ] && ok || bad "another order seed changes the run set"
triples a.txt | awk '{ print $3, $4 }' | sort -u >scales.txt
[ "$(awk '{ print $1 }' scales.txt | uniq -d | wc -l)" -eq 0 ] && ok || bad "a workload has two scales: $(cat scales.txt)"
grep -q ' -$' scales.txt && bad "a workload runs without a scale: $(cat scales.txt)" || ok

# --- 2. the exact run set, against the registries as the cross-product sees them
"$G" matrix -a all -c all -w all --budget 0 --reps 1 --dry-run --out d >all.txt 2>/dev/null
A=$(triples all.txt | awk '{ print $1 }' | sort -u | grep -v '+' | tr '\n' ' ')
AF=$(triples all.txt | awk '{ print $1 }' | sort -u | tr '\n' ' ')
C=$(triples all.txt | awk '{ print $2 }' | sort -u | tr '\n' ' ')
W=$(triples all.txt | awk '{ print $3 }' | sort -u | tr '\n' ' ')
PY=""
command -v python3 >/dev/null 2>&1 && PY="py:intchurn py:cycles"
WD=$(for w in $W; do case $FULL_ONLY$THR_WL in *" $w "*) ;; *) echo "$w" ;; esac; done | tr '\n' ' ')
TA=glibc
case " $A " in *" mimalloc "*) TA="glibc mimalloc mimalloc-ft" ;; esac
for w in $WD; do
    for a in $A; do echo "$a gen $w -"; done
    for c in $C; do [ "$c" = gen ] || echo "pool $c $w -"; done
    case $w in cycles | trees) for a in $A; do [ "$a" = pool ] || echo "$a rc $w -"; done ;; esac
done >want.txt
for w in $THR_WL; do for a in $TA; do for c in $THR_COLL; do for t in 1 2; do
    echo "$a $c $w mode=ft,threads=$t"
done; done; done; done >wantthr.txt
cat wantthr.txt >>want.txt
for w in $PY; do printf 'pool gen %s -\nglibc gen %s -\n' "$w" "$w"; done >>want.txt
for r in 1 2 3 4 5; do cat want.txt; done | sort >want5.txt
triples a.txt | awk '{ print $1, $2, $3, $5 }' | sort >got.txt
cmp -s want5.txt got.txt && ok || bad "default run set: $(diff want5.txt got.txt | head -5)"
n=$(wc -l <want.txt)
grep -q "matrix: $n cells x 5 repetitions = $((5 * n)) runs" a.err && ok || bad "default: want $n cells: $(cat a.err)"
# the threaded part alone: -w churn_ft,prodcons, at the table's scales
"$G" matrix -w "$(echo $THR_WL | tr ' ' ',')" --dry-run --order-seed 7 --out d >thr.txt 2>/dev/null
for r in 1 2 3 4 5; do cat wantthr.txt; done | sort >wantthr5.txt
[ "$(triples thr.txt | awk '{ print $1, $2, $3, $5 }' | sort)" = "$(cat wantthr5.txt)" ] && ok \
    || bad "-w $THR_WL: not the threaded part: $(triples thr.txt | sort -u | head -3)"
[ "$(triples thr.txt | awk '{ print $3, $4 }' | sort -u)" = "$(grep -E "^($(echo $THR_WL | tr ' ' '|')) " scales.txt)" ] && ok \
    || bad "-w $THR_WL changes the scales"
"$G" matrix -w churn_ft -p churn_ft:threads=1,2,3 --dry-run --out d >thr3.txt 2>/dev/null
[ "$(triples thr3.txt | awk '{ print $5 }' | sort -u | tr '\n' ' ')" = "mode=ft,threads=1 mode=ft,threads=2 mode=ft,threads=3 " ] \
    && ok || bad "-p churn_ft:threads=1,2,3 does not replace the default's threads: $(triples thr3.txt | awk '{ print $5 }' | sort -u)"
# --full: every allocator (pool+BASE too) x every collector x every C workload
"$G" matrix --full --dry-run --order-seed 7 --out d >f.txt 2>/dev/null
for w in $W; do for a in $AF; do for c in $C; do echo "$a $c $w"; done; done; done >wantf.txt
for r in 1 2 3 4 5; do cat wantf.txt; done | sort >wantf5.txt
triples f.txt | awk '{ print $1, $2, $3 }' | sort >gotf.txt
cmp -s wantf5.txt gotf.txt && ok || bad "--full run set: $(wc -l <gotf.txt) runs, want $(wc -l <wantf5.txt)"
[ "$(triples f.txt | awk '{ print $3, $4 }' | sort -u | grep -f <(grep -v '^py:' scales.txt | awk '{ print "^" $1 " " }'))" \
    = "$(grep -v '^py:' scales.txt)" ] && ok || bad "--full runs other scales than the default"
"$G" matrix --full -a glibc --dry-run >/dev/null 2>full.err
[ $? -eq 2 ] && [ "$(wc -l <full.err)" -eq 1 ] && ok || bad "--full -a: want exit 2 and one line: $(cat full.err)"
# -w narrows the default; its scale stays the table's
"$G" matrix -w cycles --dry-run --order-seed 7 --out d >w.txt 2>/dev/null
[ "$(triples w.txt | awk '{ print $3, $4 }' | sort -u)" = "$(grep '^cycles ' scales.txt)" ] && ok \
    || bad "-w cycles changes the scale"
[ "$(triples w.txt | wc -l)" -eq "$(grep -c ' cycles -$' want5.txt)" ] && ok || bad "-w cycles: not the default's cycles cells"

# --- 3. a real default run on one workload
"$G" matrix -w intchurn --reps 2 --no-timeline --out r >/dev/null 2>r.err || bad "default run failed: $(tail -2 r.err)"
D=$(ls -d r/2* 2>/dev/null | head -1)
if [ -n "$D" ] && [ -f "$D/run.json" ]; then
    sc=$(grep '^intchurn ' scales.txt | awk '{ print $2 }')
    python3 - "$D/run.json" "$sc" <<'EOF' && ok || bad "run.json's default block"
import json, sys
d = json.load(open(sys.argv[1]))["default"]
assert d["matrix"] == "default" and d["definition"] == "bench/matrix/default.c", d
assert abs(d["scales"]["intchurn"]["scale"] - float(sys.argv[2])) < 1e-9, d["scales"]
assert "committed" in d["scales"]["intchurn"]["source"] and d["scale_rule"], d
assert d["reference_cell"] == "pool/gen/intchurn/scale=" + sys.argv[2], d["reference_cell"]
EOF
    n=$(wc -l <"$D/runs.jsonl")
    "$G" matrix --resume "$D" >/dev/null 2>res.err && [ "$(wc -l <"$D/runs.jsonl")" -eq "$n" ] && ok \
        || bad "resume of a finished default matrix: $(tail -1 res.err)"
    first=$(grep -m1 '^## ' "$D/report.md")
    [ "$first" = "## Answer" ] && ok || bad "report.md opens with '$first', not the Answer"
    grep -q '^| intchurn | \*\*' "$D/report.md" && ok || bad "the Answer has no intchurn row"
    grep -q '^## Drift and steady state' "$D/report.md" && ok || bad "no drift section"
    grep -q "Reference cell \`pool/gen/intchurn/scale=$sc\`" "$D/report.md" && ok || bad "no reference cell runs"
else
    bad "the default run made no result directory"
fi

# a real default run of the threaded part (one workload, a small scale): the
# report has its Threads section and the scaling figure, one line per
# allocator and collector at 1 and 2 threads, every run ok; the Answer has a
# row per thread count, each naming a cell of the part without threads=
"$G" matrix -w churn_ft -p scale=0.3 --reps 2 --no-timeline --out th >/dev/null 2>th.err \
    || bad "default threaded run failed: $(tail -2 th.err)"
D=$(ls -d th/2* 2>/dev/null | head -1)
if [ -n "$D" ] && [ -f "$D/report.md" ]; then
    nta=$(echo $TA | wc -w)
    ntc=$(echo $THR_COLL | wc -w)
    [ "$(grep -c '"status": *"ok"' "$D/runs.jsonl")" -eq $((nta * ntc * 2 * 2)) ] && ok \
        || bad "threaded part: not every run ok"
    grep -q '^## Threads' "$D/report.md" && ok || bad "the default's threaded part: no Threads section"
    rows=$(grep -cE '^\| [a-z-]+/(rc|ftgc) \| [12] \|' "$D/report.md")
    [ "$rows" -eq $((nta * ntc * 2)) ] && ok || bad "the Threads table has not $((nta * ntc * 2)) rows: $rows"
    [ "$(grep -c '^# index' "$D/plots/scaling_churn_ft.dat" 2>/dev/null)" -eq $((nta * ntc)) ] && \
        [ "$(grep -c '^ [12] ' "$D/plots/scaling_churn_ft.dat")" -eq $((nta * ntc * 2)) ] && ok \
        || bad "scaling_churn_ft.dat: want $((nta * ntc)) lines at threads 1 and 2"
    for t in 1 2; do
        grep -qE "^\| churn_ft \(mode=ft, threads=$t\) \| \*\*[a-z-]+/(rc|ftgc)\*\* " "$D/report.md" && ok \
            || bad "the Answer has no churn_ft row at threads=$t: $(grep '^| churn_ft' "$D/report.md" | head -2)"
    done
    sed -n '/^## Answer/,/^## [^A]/p' "$D/report.md" | grep -q '^| churn_ft | ' \
        && bad "the Answer ranks churn_ft's 1- and 2-thread cells in one row" || ok
else
    bad "the default threaded run made no report"
fi

# --- 4. the default's ranking equals the ranking at 5x its scale
ALLOCS=glibc,pool
for a in mimalloc jemalloc; do
    case " $A " in *" $a "*) ALLOCS=$ALLOCS,$a; break ;; esac
done
RANK_WL="intchurn cycles"
if [ "$ALL" = --all ]; then
    ALLOCS=$(echo $A | tr ' ' ',')
    RANK_WL=$WD
fi
args=()
for w in $RANK_WL; do
    s=$(grep "^$w " scales.txt | awk '{ print $2 }')
    args+=(-p "$w:scale=$s,$(awk -v s="$s" 'BEGIN { printf "%.6g", 5 * s }')")
done
"$G" matrix -a "$ALLOCS" -c gen -w "$(echo $RANK_WL | tr ' ' ',')" "${args[@]}" --reps 5 --budget 0 --no-timeline --out k \
    >/dev/null 2>k.err
[ $? -le 1 ] || bad "the 1x/5x matrix failed: $(tail -2 k.err)"   # 1: a run failed (recorded), the rest compare
K=$(ls -d k/2* 2>/dev/null | head -1)
rank_rc=0
if [ -n "$K" ]; then
    python3 - "$K/runs.jsonl" <<'EOF'
import json, sys, itertools, statistics
v = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("status") == "ok":
        v.setdefault((r["workload"], r["params"]["scale"], r["allocator"]), []).append(r["ops_per_sec"])
def resolved(a, b):   # +1 a faster, -1 b faster, 0 not resolved
    if min(a) > max(b) and statistics.median(a) >= 1.10 * statistics.median(b): return 1
    if min(b) > max(a) and statistics.median(b) >= 1.10 * statistics.median(a): return -1
    return 0
checked = bad = 0
for wl in sorted({k[0] for k in v}):
    scales = sorted({float(k[1]) for k in v if k[0] == wl})
    allocs = sorted({k[2] for k in v if k[0] == wl})
    lo, hi = scales[0], scales[-1]
    def get(s, a):
        return next(x for k, x in v.items() if k[0] == wl and float(k[1]) == s and k[2] == a)
    for a, b in itertools.combinations(allocs, 2):
        r1, r5 = resolved(get(lo, a), get(lo, b)), resolved(get(hi, a), get(hi, b))
        m1 = statistics.median(get(lo, a)) / statistics.median(get(lo, b))
        m5 = statistics.median(get(hi, a)) / statistics.median(get(hi, b))
        print(f"{wl} {a}/{b}: {m1:.3f} at scale {lo:g}, {m5:.3f} at {hi:g}: "
              f"{'resolved at both' if r1 and r5 else 'not resolved at both, not compared'}")
        if r1 and r5:
            checked += 1
            if r1 != r5:
                bad += 1
                print(f"FAIL: {wl} {a}/{b} ranks differently at {lo:g} and {hi:g}", file=sys.stderr)
print(f"{checked} pairs resolved at both scales, {bad} in a different order")
sys.exit(1 if bad else 77 if checked == 0 else 0)
EOF
    rank_rc=$?
    [ $rank_rc -eq 1 ] && bad "the default's ranking differs from the ranking at 5x its scale"
    [ $rank_rc -eq 0 ] && ok
fi

echo "mainjob: $pass passed, $fail failed"
[ $fail -eq 0 ] || exit 1
[ $rank_rc -eq 77 ] && { echo "SKIP: the ranking check: no allocator pair resolved at both scales (machine too noisy)"; exit 77; }
exit 0
