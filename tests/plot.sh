#!/usr/bin/env bash
# tests/plot.sh - gcbench plot and report on small result directories: the
# matrix ends with report.md and every figure (PNG with its signature, SVG,
# data file, script); a script re-runs by hand from anywhere; a sweep gets
# its figure; without gnuplot the data files and scripts are still written,
# with a clear message and exit status 4; failures reach the report; bad
# input exits 2 with one line.
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
for s in throughput peak_rss gc_pauses timeline_intchurn tradeoff_intchurn tradeoff; do
    expect_figure "$D/plots" "$s"
done
R=$D/report.md
check "report.md written" test -s "$R"
for pat in '^# gcbench report' '^## Context' '^\| machine \| ' '^## Results per workload' '^### intchurn \(scale=0\.01\)' \
    '^\| configuration \| ops/s \| 95% CI \| vs glibc/rc \| peak RSS' '^\| glibc/rc \| [^|]* \| [^|]* \| baseline \|' \
    '^\| pool/rc \| ' '\*\*[0-9.]+ M\*\*' '^## Failures' '^None: every recorded run succeeded' '^## Figures'; do
    check "report.md has /$pat/" grep -Eq "$pat" "$R"
done
if [ $have_gnuplot = 1 ]; then
    check "report embeds the throughput figure" grep -q '!\[.*\](plots/throughput.png)' "$R"
    # a script re-runs by hand from another directory and redraws its figure
    rm -f "$D/plots/throughput.png"
    (cd / && "$GP" "$D/plots/throughput.gp" >/dev/null 2>&1)
    check "throughput.gp redraws by hand" is_png "$D/plots/throughput.png"
fi
check "data file: one intchurn row, 2 configurations" \
    test "$(grep -c '^"intchurn' "$D/plots/throughput.dat")" = 1 -a "$(grep -c '^# configuration' "$D/plots/throughput.dat")" = 2
check "no pauses under rc: said in the pause figure" grep -q "no collection paused" "$D/plots/gc_pauses.gp"

# --- gcbench plot again: --baseline, --timeline, --out
"$G" plot "$D" --baseline pool/rc --timeline allocator=pool --out "$T/p2" 2>"$T/err"
rc=$?
check "plot --baseline pool/rc exits 0 or 4 (rc=$rc)" test $rc -eq 0 -o $rc -eq 4
check "baseline in the data file" grep -q 'relative to the baseline pool/rc' "$T/p2/throughput.dat"
check "--timeline allocator=pool: one block" test "$(grep -c '^# index' "$T/p2/timeline_intchurn.dat")" = 1
check "--timeline allocator=pool: it is pool/rc" grep -q '^# index 0: pool/rc' "$T/p2/timeline_intchurn.dat"
"$G" report "$D" --baseline pool/rc --no-plots 2>/dev/null
check "report --baseline pool/rc" grep -Fq '| vs pool/rc |' "$R"

# --- a sweep axis gets its figure (two values of scale)
"$G" matrix -a glibc,pool -c rc -w intchurn -p scale=0.01,0.02 --reps 2 --out "$T/s" >/dev/null 2>&1
S=$(ls -d "$T"/s/*/ | head -1)
expect_figure "${S%/}/plots" sweep_scale_intchurn
check "sweep: series keep the swept key" grep -q 'glibc/rc scale=0.01' "${S%/}/plots/throughput.dat"

# --- no gnuplot: data and scripts, a clear message, exit 4
GCBENCH_GNUPLOT=none "$G" plot "$D" --out "$T/np" >"$T/out" 2>"$T/err"
rc=$?
check "no gnuplot: exit 4 (got $rc)" test $rc -eq 4
check "no gnuplot: the message says so" grep -q "no figure drawn: GCBENCH_GNUPLOT=none turns gnuplot off" "$T/err"
check "no gnuplot: the message says how to draw" grep -q "gnuplot-nox" "$T/err"
for s in throughput peak_rss gc_pauses timeline_intchurn tradeoff_intchurn tradeoff; do
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
expect_usage "plot: unknown option" plot "$D" --bogus
expect_usage "report: no directory" report
expect_usage "report: unknown baseline" report "$D" --baseline glibc/nosuch
"$G" plot "$D" --baseline nosuch/rc 2>&1 | grep -q "it has: glibc/rc, pool/rc"
check "unknown baseline lists what the directory has" test $? -eq 0

echo "plot.sh: $pass passed, $fail failed"
[ $fail -eq 0 ]
