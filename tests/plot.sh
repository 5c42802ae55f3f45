#!/usr/bin/env bash
# tests/plot.sh - gcbench plot and report on small result directories: the
# matrix ends with report.md and every figure (PNG with its signature, SVG,
# data file, script); a script re-runs by hand from anywhere; a sweep gets
# its figure; a threads sweep its scaling figure and report section (numbers
# = the runs' medians, oversubscribed points marked); without gnuplot the data files and scripts are still written,
# with a clear message and exit status 4; failures reach the report; bad
# input exits 2 with one line.  The heatmaps' numbers are computed again
# from runs.jsonl by tests/heatmap.py (medians, ratios, Mann-Whitney p,
# p99 pauses) on real runs, on a made-up result set of 14 configurations,
# where the bar figures give way to the heatmaps unless --bars, and on the
# committed reference run (results/reference), whose every figure must be
# free of overlapping texts.  The timelines are checked the same way
# (tests/heatmap.py timeline): data blocks equal to the records' timelines,
# the columns holding the cells they should (the two comparisons, or the
# cells --timeline chose), distinct colours in each column, collector
# colours apart from allocator colours.
# Needs python3 (meson's own interpreter).
# Usage: plot.sh PATH/TO/gcbench [PATH/TO/gnuplot ("" or absent: none installed)]
set -u
G=$1
GP=${2-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }

have_gnuplot=1
[ -z "$GP" ] && have_gnuplot=0
[ "${GCBENCH_GNUPLOT-}" = none ] && have_gnuplot=0
"$G" plot --help >/dev/null 2>&1 || bad "plot --help"

HM="$(dirname "$0")/heatmap.py"
command -v python3 >/dev/null 2>&1 || bad "python3 is needed for the heatmap checks"
# heatmap_ok WHAT RESULT_DIR PLOT_DIR: both heatmaps' data files agree with runs.jsonl
# (and, with gnuplot, no two texts of their SVGs overlap)
heatmap_ok() {
    local what=$1 r=$2 p=$3 s
    check "$what: throughput_heatmap.dat = medians' ratios from runs.jsonl" \
        python3 "$HM" check "$r" "$p/throughput_heatmap.dat" ops_per_sec glibc/rc >/dev/null
    check "$what: peak_rss_heatmap.dat = medians' ratios from runs.jsonl" \
        python3 "$HM" check "$r" "$p/peak_rss_heatmap.dat" peak_rss_bytes glibc/rc >/dev/null
    if [ $have_gnuplot = 1 ]; then
        for s in throughput_heatmap peak_rss_heatmap; do
            check "$what: no text of $s.svg overlaps another or leaves the canvas" \
                python3 "$HM" overlap "$p/$s.svg" >/dev/null
        done
    fi
}

is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_svg() { [ -s "$1" ] && head -c 300 "$1" | grep -Eq '^[[:space:]]*<(\?xml|svg)'; }

# expect_figure DIR STEM: data, script, and (with gnuplot) both images
expect_figure() {
    local d=$1 s=$2
    check "$s.dat written" test -s "$d/$s.dat"
    check "$s.gp written" test -s "$d/$s.gp"
    if [ $have_gnuplot = 1 ]; then
        check "$s.png is a PNG" is_png "$d/$s.png"
        check "$s.svg is SVG" is_svg "$d/$s.svg"
    fi
}

# --- the tiny matrix: its end writes report.md and the figures (-c rc: the
# collectors built in vary, the expectations below hold for rc alone)
"$G" matrix -a glibc,pool -c rc -w intchurn -p scale=0.01 --reps 3 --out "$T/m" >"$T/out" 2>"$T/err"
check "tiny matrix exits 0 ($(tail -1 "$T/err"))" test $? -eq 0
D=$(ls -d "$T"/m/*/ | head -1)
D=${D%/}
check "matrix says where the report is" grep -q "report in $D/report.md" "$T/err"
for s in throughput throughput_heatmap peak_rss peak_rss_heatmap gc_pauses timeline_intchurn tradeoff_intchurn tradeoff; do
    expect_figure "$D/plots" "$s"
done
heatmap_ok "tiny matrix" "$D" "$D/plots"
check "heatmap title names the baseline" grep -q "^set title 'Throughput (ops/s) relative to glibc/rc" "$D/plots/throughput_heatmap.gp"
check "heatmap key explains the parentheses" grep -q "in parentheses: not significantly different from glibc/rc" "$D/plots/throughput_heatmap.gp"
check "heatmap: good is blue for throughput (high end)" grep -Eq "^set palette defined \(-1 '#b2182b'.* 1 '#2166ac'\)" "$D/plots/throughput_heatmap.gp"
check "heatmap: good is blue for peak RSS (low end)" grep -Eq "^set palette defined \(-1 '#2166ac'.* 1 '#b2182b'\)" "$D/plots/peak_rss_heatmap.gp"
R=$D/report.md
check "report.md written" test -s "$R"
for pat in '^# gcbench report' '^## Context' '^\| machine \| ' '^## Results per workload' '^### intchurn \(scale=0\.01\)' \
    '^\| configuration \| ops/s \| 95% CI \| vs glibc/rc \| peak RSS' '^\| glibc/rc \| [^|]* \| [^|]* \| baseline \|' \
    '^\| pool/rc \| ' '\*\*[0-9.]+ M\*\*' '^## Failures' '^None: every recorded run succeeded' '^## Figures'; do
    check "report.md has /$pat/" grep -Eq "$pat" "$R"
done
if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
    thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)
    check "report.md names the THP mode ($thp)" grep -Eq "^\| pages \| transparent huge pages: $thp" "$R"
fi
if [ $have_gnuplot = 1 ]; then
    check "report embeds the throughput figure" grep -q '!\[.*\](plots/throughput.png)' "$R"
    # a script re-runs by hand from another directory and redraws its figure
    rm -f "$D/plots/throughput.png"
    (cd / && "$GP" "$D/plots/throughput.gp" >/dev/null 2>&1)
    check "throughput.gp redraws by hand" is_png "$D/plots/throughput.png"
fi
check "data file: one intchurn row, 2 configurations" \
    test "$(grep -c '^"intchurn' "$D/plots/throughput.dat")" = 1 -a "$(grep -c '^# configuration' "$D/plots/throughput.dat")" = 2
check "timeline_intchurn: one column, allocators under rc (glibc/rc, pool/rc), data = runs.jsonl" \
    python3 "$HM" timeline "$D" "$D/plots" intchurn glibc/rc
check "no pauses under rc: said in the pause figure" grep -q "no collection paused" "$D/plots/gc_pauses.gp"
check "no pauses under rc: no pause heatmap, the report says why" \
    grep -q "^- gc_pauses_heatmap: no collection paused in this result directory (rc (every allocator): no pauses)" "$R"
check "no pauses under rc: no pause heatmap files" test ! -e "$D/plots/gc_pauses_heatmap.dat"

# --- gcbench plot again: --baseline, --timeline, --out
"$G" plot "$D" --baseline pool/rc --timeline allocator=pool --out "$T/p2" 2>"$T/err"
rc=$?
check "plot --baseline pool/rc exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "baseline in the data file" grep -q 'relative to the baseline pool/rc' "$T/p2/throughput.dat"
check "--timeline allocator=pool: one block" test "$(grep -c '^# index' "$T/p2/timeline_intchurn.dat")" = 1
check "--timeline allocator=pool: it is pool/rc" grep -q '^# index 0: pool/rc' "$T/p2/timeline_intchurn.dat"
check "--timeline allocator=pool: the column holds the chosen cell, data = runs.jsonl" \
    python3 "$HM" timeline "$D" "$T/p2" intchurn pool/rc allocator=pool
"$G" report "$D" --baseline pool/rc --no-plots 2>/dev/null
check "report --baseline pool/rc" grep -Fq '| vs pool/rc |' "$R"

# --- a sweep axis gets its figure (two values of scale)
"$G" matrix -a glibc,pool -c rc -w intchurn -p scale=0.01,0.02 --reps 2 --out "$T/s" >/dev/null 2>&1
S=$(ls -d "$T"/s/*/ | head -1)
expect_figure "${S%/}/plots" sweep_scale_intchurn
check "sweep: series keep the swept key" grep -q 'glibc/rc scale=0.01' "${S%/}/plots/throughput.dat"

# --- a threads sweep gets its scaling figure: churn_ft at 1, 2 and cores+1
# threads (the last oversubscribed) under gil and atomic; prodcons at 2
# threads under gil only (one thread count: no figure, no efficiency);
# intchurn not threaded (no figure, no Threads table).  The data
# file's numbers are the runs' medians, the efficiency the ratio of medians
# over N, the oversubscribed column the records' flag.
NC=$(nproc)
OV=$((NC + 1))
[ "$OV" -le 2 ] && OV=3 # under taskset -c 0 nproc is 1: 1,2,2 would be a repeated value
"$G" matrix -a glibc -c rc -w churn_ft,prodcons,intchurn -p churn_ft:mode=gil,atomic -p "churn_ft:threads=1,2,$OV" \
    -p prodcons:mode=gil -p prodcons:threads=2 -p scale=0.005 --reps 3 --out "$T/th" >/dev/null 2>"$T/err"
rc_th=$?
check "threads matrix exits 0 ($(tail -1 "$T/err"))" test "$rc_th" -eq 0
TH=$(ls -d "$T"/th/*/ | head -1)
TH=${TH%/}
expect_figure "$TH/plots" scaling_churn_ft
check "scaling figures: exactly scaling_churn_ft" test "$(cd "$TH/plots" && ls scaling_*.dat | tr '\n' ' ')" = "scaling_churn_ft.dat "
check "scaling_churn_ft.dat: medians, efficiencies, oversubscription = runs.jsonl" python3 - "$TH" "$TH/plots/scaling_churn_ft.dat" <<'PY'
import json, math, statistics, sys
d, dat = sys.argv[1], sys.argv[2]
runs = {}
for line in open(d + "/runs.jsonl"):
    r = json.loads(line)
    if r.get("status") == "ok" and r["workload"] == "churn_ft":
        runs.setdefault(r["cell"], []).append(r)
med = {c: statistics.median(x["ops_per_sec"] for x in rs) for c, rs in runs.items()}
blocks, cur = {}, None
for line in open(dat):
    if line.startswith("# index "):
        cur = line.split(": ", 1)[1].strip()
        blocks[cur] = []
    elif line.strip() and not line.startswith("#"):
        blocks[cur].append(line.split())
want = {}
for c, rs in runs.items():
    p = rs[0]["params"]
    want.setdefault("glibc/rc mode=" + p["mode"], []).append((int(p["threads"]), c))
assert sorted(blocks) == sorted(want), (sorted(blocks), sorted(want))
close = lambda a, b: abs(a - b) <= 1e-5 * max(abs(a), abs(b))  # the data file prints 6 digits
for line, pts in want.items():
    pts.sort()
    rows = blocks[line]
    assert [int(float(r[0])) for r in rows] == [t for t, _ in pts], (line, rows)
    one = med[pts[0][1]]
    for (t, c), r in zip(pts, rows):
        assert close(float(r[1]), med[c]), (c, r[1], med[c])
        assert close(float(r[4]), med[c] / (t * one)), (c, r[4], med[c] / (t * one))
        ov = {x["threads"]["oversubscribed"] for x in runs[c]}
        assert ov == {t > x["threads"]["cores"] for x in runs[c]} and len(ov) == 1, (c, ov)
        assert int(r[7]) == int(ov.pop()), (c, r[7])
        assert int(r[8]) == len(runs[c]), (c, r[8])
PY
if [ $have_gnuplot = 1 ]; then
    check "scaling: the oversubscribed region is shaded" grep -q "^set object 1 rect from first 2.5, graph 0" "$TH/plots/scaling_churn_ft.gp"
    check "scaling: the label names the cores" grep -q "oversubscribed: threads > $NC cores" "$TH/plots/scaling_churn_ft.gp"
fi
R=$TH/report.md
for pat in '^## Threads' "This machine has \*\*$NC online cores\*\*" '^### churn_ft \(scale=0\.005\), mode gil' \
    '^### churn_ft \(scale=0\.005\), mode atomic' '^### prodcons \(mode=gil scale=0\.005 threads=2\), mode gil' \
    '^\| glibc/rc \| 1 \| [^|]* \| [^|]* \| 1 \(the 1-thread cell\) \|' "^\| glibc/rc \| $OV † \| " \
    '^\| glibc/rc \| 2 \| [^|]* \| [^|]* \| - \(no 1-thread cell\) \| [0-9.]+ k? ?\(0\.5 per op\)' \
    'Bytes per object in mode gil: a 16-byte object header, plus a 16-byte GC prefix' \
    '^† 2 oversubscribed points' '!\[.*\]\(plots/scaling_churn_ft.png\)|scaling_churn_ft'; do
    check "threads report.md has /$pat/" grep -Eq "$pat" "$R"
done
check "threads report: intchurn has no Threads table" test "$(grep -c '^### intchurn' "$R")" = 1
# mode=ft with ftgc: the stop-the-world column has the median run's stops
# and the two p99s; rc there stops nothing ("-")
"$G" matrix -a glibc -c ftgc,rc -w churn_ft -p mode=ft -p threads=2 -p scale=0.005 --reps 2 --out "$T/ft" \
    >/dev/null 2>"$T/err"
check "ft matrix exits 0 ($(tail -1 "$T/err"))" test $? -eq 0
RF=$(ls -d "$T"/ft/*/ | head -1)report.md
check "ft report: ftgc's stops, ttsp / pause p99" grep -Eq '^\| glibc/ftgc \| 2 \| .* \| [1-9][0-9]*: [0-9.e+-]+ / [0-9.e+-]+ us \| 2 \|$' "$RF"
check "ft report: rc stops nothing" grep -Eq '^\| glibc/rc \| 2 \| .* \| - \| 2 \|$' "$RF"
check "summary.csv carries mode and threads" grep -q '^glibc/rc/churn_ft/mode=atomic/scale=0.005/threads=2,glibc,rc,churn_ft,"\?mode=atomic;scale=0.005;threads=2' "$TH/summary.csv"

# --- no gnuplot: data and scripts, a clear message, exit 4
GCBENCH_GNUPLOT=none "$G" plot "$D" --out "$T/np" >"$T/out" 2>"$T/err"
rc=$?
check "no gnuplot: exit 4 (got $rc)" test $rc -eq 4
check "no gnuplot: the message says so" grep -q "no figure drawn: GCBENCH_GNUPLOT=none turns gnuplot off" "$T/err"
check "no gnuplot: the message says how to draw" grep -q "gnuplot-nox" "$T/err"
for s in throughput throughput_heatmap peak_rss peak_rss_heatmap gc_pauses timeline_intchurn tradeoff_intchurn tradeoff; do
    check "no gnuplot: $s.dat and .gp written" test -s "$T/np/$s.dat" -a -s "$T/np/$s.gp"
    check "no gnuplot: no $s.png" test ! -e "$T/np/$s.png"
done
GCBENCH_GNUPLOT=/nonexistent/gnuplot "$G" plot "$D" --out "$T/np2" >/dev/null 2>"$T/err"
check "gnuplot path not executable: exit 4" test $? -eq 4
check "gnuplot path not executable: said" grep -q "is not an executable" "$T/err"
cp -r "$D" "$T/copy"
GCBENCH_GNUPLOT=none "$G" report "$T/copy" >/dev/null 2>&1
check "report without gnuplot: exit 4" test $? -eq 4
check "report without gnuplot: says so" grep -q "gnuplot was not available" "$T/copy/report.md"
check "report without gnuplot: links the data" grep -q '\[data\](plots/throughput.dat)' "$T/copy/report.md"
check "report without gnuplot: still has the tables" grep -q '^| pool/rc | ' "$T/copy/report.md"

# --- failed runs reach the report
GCBENCH_FAULT='exit@pool/*' "$G" matrix -a glibc,pool -c rc -w intchurn -p scale=0.01 --reps 2 --out "$T/f" >/dev/null 2>&1
check "matrix with failures exits 1" test $? -eq 1
F=$(ls -d "$T"/f/*/ | head -1)
F=${F%/}
check "failures: table row" grep -Eq '^\| pool/rc/intchurn/scale=0.01 \| [01] \| exit \| exit 1 \|' "$F/report.md"
check "failures: counted in the row" grep -Fq '| 0 + 2 failed |' "$F/report.md"
expect_figure "$F/plots" throughput
expect_figure "$F/plots" throughput_heatmap
heatmap_ok "failures" "$F" "$F/plots"
check "failures: the failed cell has no number, says fail" \
    grep -Eq '^1 0 \? \? "fail" -1 2 \? \? 0 2 "pool/rc" "intchurn"$' "$F/plots/throughput_heatmap.dat"

# --- 14 configurations (made up, known values): heatmaps replace the bars
python3 "$HM" synth "$T/m" "$T/big" || bad "heatmap.py synth"
mkdir -p "$T/big/plots"
for e in dat gp png svg; do cp "$D/plots/throughput.$e" "$T/big/plots/" 2>/dev/null; done
echo "# my own script" >"$T/big/plots/peak_rss.gp"
"$G" plot "$T/big" >/dev/null 2>"$T/err"
rc=$?
check "14 configurations: plot exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "14 configurations: says the bars are too many" \
    grep -q "not drawn: throughput: 14 configurations are too many bars per workload to read (at most 12)" "$T/err"
"$G" report "$T/big" >/dev/null 2>&1
rc=$?
check "14 configurations: report exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "14 configurations: the stale bar figure is removed" test ! -e "$T/big/plots/throughput.dat" -a ! -e "$T/big/plots/throughput.gp" -a ! -e "$T/big/plots/throughput.png"
check "14 configurations: a peak_rss.gp gcbench did not write stays" grep -q "my own script" "$T/big/plots/peak_rss.gp"
expect_figure "$T/big/plots" throughput_heatmap
expect_figure "$T/big/plots" peak_rss_heatmap
heatmap_ok "14 configurations" "$T/big" "$T/big/plots"
sum=$(python3 "$HM" check "$T/big" "$T/big/plots/throughput_heatmap.dat" ops_per_sec glibc/rc | tail -1)
sig=$(echo "$sum" | sed -n 's/.*significant=\([0-9]*\).*/\1/p')
tested=$(echo "$sum" | sed -n 's/.*tested=\([0-9]*\).*/\1/p')
check "14 configurations: one cell failed, one absent ($sum)" grep -q "fail=1 none=1" <<<"$sum"
check "14 configurations: some differences significant, some not ($sum)" test "${sig:-0}" -gt 0 -a "${sig:-0}" -lt "${tested:-0}"
check "14 configurations: rows by collector (spec order), then allocator" test "$(grep '^# row' "$T/big/plots/throughput_heatmap.dat" | cut -d' ' -f4 | tr '\n' ' ')" = \
    "glibc/rc pool/rc glibc/gen pool/gen glibc/drc pool/drc glibc/lazy pool/lazy glibc/trialdel pool/trialdel glibc/marksweep pool/marksweep glibc/incremental pool/incremental "
for w in intchurn cycles; do
    sum=$(python3 "$HM" timeline "$T/big" "$T/big/plots" $w glibc/rc | tail -1)
    check "14 configurations: timeline_$w: (a) glibc/rc, pool/rc, (b) glibc under each collector ($sum)" \
        python3 "$HM" timeline "$T/big" "$T/big/plots" $w glibc/rc
done
check "14 configurations: timeline_intchurn: 2 columns, 2 + 7 lines" \
    grep -q "^columns=2 lines=9 " <<<"$(python3 "$HM" timeline "$T/big" "$T/big/plots" intchurn glibc/rc)"
check "14 configurations: timeline caption says pool under other collectors is not drawn" \
    grep -q "cells of neither the baseline's allocator nor its collector are not drawn" "$T/big/report.md"
check "14 configurations: timeline with --baseline pool/rc: (b) collectors under pool" \
    sh -c "'$G' plot '$T/big' --baseline pool/rc --out '$T/big-pool' >/dev/null 2>&1; grep -q '^# panel b: collectors under pool' '$T/big-pool/timeline_intchurn.dat'"
check "14 configurations: report lists why the bars are missing" grep -q "^- throughput: 14 configurations are too many bars" "$T/big/report.md"
check "14 configurations: report does not link the bar figure" test "$(grep -c 'plots/throughput\.' "$T/big/report.md")" = 0
if [ $have_gnuplot = 1 ]; then
    check "14 configurations: report embeds the heatmap" grep -q '!\[.*\](plots/throughput_heatmap.png)' "$T/big/report.md"
fi
# pauses: the heatmap replaces the bars too
check "14 configurations: no pause bars, the report says why" \
    grep -q "^- gc_pauses: 14 configurations are too many bars per workload to read (at most 12); gc_pauses_heatmap shows them" "$T/big/report.md"
check "14 configurations: report does not link the pause bars" test "$(grep -c 'plots/gc_pauses\.' "$T/big/report.md")" = 0
expect_figure "$T/big/plots" gc_pauses_heatmap
sum=$(python3 "$HM" pauses "$T/big" "$T/big/plots/gc_pauses_heatmap.dat" | tail -1)
check "14 configurations: gc_pauses_heatmap.dat = medians of gc.pause_ns.p99 from runs.jsonl ($sum)" \
    python3 "$HM" pauses "$T/big" "$T/big/plots/gc_pauses_heatmap.dat"
check "14 configurations: pauses: 12 rows (rc left out), a failed cell, an absent one, one that never paused, one that paused in some runs ($sum)" \
    grep -q "fail=1 nopause=1 none=1 some_paused=1 rows=12" <<<"$sum"
check "14 configurations: pauses: rows by collector, then allocator, no rc" test "$(grep '^# row' "$T/big/plots/gc_pauses_heatmap.dat" | cut -d' ' -f4 | tr '\n' ' ')" = \
    "glibc/gen pool/gen glibc/drc pool/drc glibc/lazy pool/lazy glibc/trialdel pool/trialdel glibc/marksweep pool/marksweep glibc/incremental pool/incremental "
check "14 configurations: pauses: the cell that never paused says so, without a number" \
    grep -Eq '^7 1 \? \? "no pauses" "" 3 \? \? \? 0 5 0 "pool/trialdel" "cycles"$' "$T/big/plots/gc_pauses_heatmap.dat"
check "14 configurations: pauses: the key says rc has no row" grep -q "No row: rc (every allocator); no run paused" "$T/big/plots/gc_pauses_heatmap.gp"
if [ $have_gnuplot = 1 ]; then
    check "14 configurations: report embeds the pause heatmap" grep -q '!\[.*\](plots/gc_pauses_heatmap.png)' "$T/big/report.md"
    check "14 configurations: no text of gc_pauses_heatmap.svg overlaps another or leaves the canvas" \
        python3 "$HM" overlap "$T/big/plots/gc_pauses_heatmap.svg" >/dev/null
fi

# --- --bars: the bar figures whatever the number of configurations
"$G" plot "$T/big" --bars --out "$T/bars" >/dev/null 2>"$T/err"
rc=$?
check "--bars: plot exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "--bars: no bar figure said too many" test "$(grep -c 'too many bars' "$T/err")" = 0
for s in throughput peak_rss gc_pauses throughput_heatmap peak_rss_heatmap gc_pauses_heatmap; do
    expect_figure "$T/bars" "$s"
done
check "--bars: throughput.dat has the 14 configurations" test "$(grep -c '^# configuration' "$T/bars/throughput.dat")" = 14
check "--bars: gc_pauses.dat has a row per collector that paused and workload" test "$(grep -c '^"' "$T/bars/gc_pauses.dat")" = 12
"$G" report "$T/big" --bars >/dev/null 2>&1
rc=$?
check "report --bars exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "report --bars: the bar figures are back" test -s "$T/big/plots/throughput.gp" -a -s "$T/big/plots/gc_pauses.gp"
if [ $have_gnuplot = 1 ]; then
    for s in throughput peak_rss gc_pauses gc_pauses_heatmap; do
        check "report --bars embeds $s" grep -q "!\[.*\](plots/$s.png)" "$T/big/report.md"
    done
fi

# --- the reference run (the default matrix): every figure readable
REF="$(dirname "$0")/../results/reference"
if [ -s "$REF/runs.jsonl" ]; then
    "$G" plot "$REF" --out "$T/ref" >/dev/null 2>"$T/err"
    rc=$?
    check "reference: plot exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
    check "reference: no pause bars (56 configurations)" grep -q "not drawn: gc_pauses: 56 configurations are too many bars" "$T/err"
    expect_figure "$T/ref" gc_pauses_heatmap
    heatmap_ok "reference" "$REF" "$T/ref"
    sum=$(python3 "$HM" pauses "$REF" "$T/ref/gc_pauses_heatmap.dat" | tail -1)
    check "reference: gc_pauses_heatmap.dat = medians of gc.pause_ns.p99 from runs.jsonl ($sum)" \
        python3 "$HM" pauses "$REF" "$T/ref/gc_pauses_heatmap.dat"
    check "reference: pauses: 48 rows, rc left out ($sum)" grep -q "rows=48" <<<"$sum"
    n=0
    for f in "$T/ref"/timeline_*.dat; do
        w=$(basename "$f" .dat)
        w=${w#timeline_}
        sum=$(python3 "$HM" timeline "$REF" "$T/ref" "$w" glibc/rc | tail -1)
        check "reference: timeline_$w: 8 allocators under rc, 7 collectors under glibc, data = runs.jsonl ($sum)" \
            grep -q "^columns=2 lines=15 " <<<"$(python3 "$HM" timeline "$REF" "$T/ref" "$w" glibc/rc)"
        n=$((n + 1))
    done
    check "reference: a timeline per workload ($n)" test $n -eq 12
    # --timeline: one column of the chosen cells, coloured by what they do not share
    for sel in "collector=gen:allocators under gen" "glibc/*/cycles/*:collectors under glibc" \
        "allocator=pool,collector=rc|allocator=mimalloc,collector=gen:cells chosen with --timeline"; do
        filters=${sel%%:*}
        what=${sel#*:}
        args=() fl=()
        IFS='|' read -ra fl <<<"$filters"
        for x in "${fl[@]}"; do args+=(--timeline "$x"); done
        rm -rf "$T/sel"
        GCBENCH_GNUPLOT=none "$G" plot "$REF" "${args[@]}" --out "$T/sel" >/dev/null 2>&1
        check "reference: --timeline $filters: one column, $what" grep -q "^# panel a: $what\$" "$T/sel/timeline_cycles.dat"
        check "reference: --timeline $filters: the cells chosen, data = runs.jsonl" \
            python3 "$HM" timeline "$REF" "$T/sel" cycles glibc/rc "${fl[@]}"
    done
    if [ $have_gnuplot = 1 ]; then
        n=0
        for f in "$T/ref"/*.svg; do
            n=$((n + 1))
            check "reference: no text of $(basename "$f") overlaps another or leaves the canvas" \
                python3 "$HM" overlap "$f"
        done
        check "reference: every figure drawn ($n SVGs)" test $n -eq "$(grep -c . <<<"$(ls "$T/ref"/*.gp)")"
    fi
else
    bad "reference: no results/reference/runs.jsonl beside the tests"
fi

# --- bad input: exit 2, one line
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok; else bad "$what: rc=$rc, $lines lines: $(cat "$T/err")"; fi
}
expect_usage "plot: no directory" plot
expect_usage "plot: not a directory" plot "$T/nonexistent"
expect_usage "plot: not a result directory" plot "$T"
expect_usage "plot: unknown baseline" plot "$D" --baseline nosuch/rc
expect_usage "plot: malformed baseline" plot "$D" --baseline glibc
expect_usage "plot: empty timeline filter" plot "$D" --timeline ''
expect_usage "plot: malformed timeline filter" plot "$D" --timeline allocator
expect_usage "plot: timeline filter matching no cell" plot "$D" --timeline collector=nosuch
grep -q "matches no cell of .*; it has allocator" "$T/err" && ok || bad "no-match message: $(cat "$T/err")"
expect_usage "plot: unknown option" plot "$D" --bogus
expect_usage "report: no directory" report
expect_usage "report: unknown baseline" report "$D" --baseline glibc/nosuch
"$G" plot "$D" --baseline nosuch/rc 2>&1 | grep -q "it has: glibc/rc, pool/rc"
check "unknown baseline lists what the directory has" test $? -eq 0

echo "plot.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
