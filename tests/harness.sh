#!/usr/bin/env bash
# tests/harness.sh - gcbench matrix, compare and merge as a user meets them:
# bad input exits 2 with one line, failing cells (crash, memory, time) are
# recorded and the matrix goes on, a matrix killed with SIGKILL resumes to
# exactly the planned set of runs, --dry-run prints one command per run,
# merge refuses to mix hosts, compare finds real differences and (A/A)
# about alpha false ones.  Tiny scales: the whole file takes seconds.
# Usage: harness.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
S=scale=0.005

# expect_usage DESCRIPTION ARGS... : exit 2, exactly one line on stderr
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    local lines; lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(head -3 "$T/err")"; fi
}
# runs DIR: "cell rep" per line of runs.jsonl, sorted
runs() { grep -o '"cell":"[^"]*"\|"repetition":[0-9]*' "$1/runs.jsonl" | paste - - | sort; }

for sub in matrix compare merge; do
    "$G" $sub --help >"$T/out" 2>&1 && grep -q usage "$T/out" && ok || bad "gcbench $sub --help"
done

# ---- bad input ----------------------------------------------------------
cat >bad1.spec <<'X'
# a spec with an unknown collector
workloads = intchurn
collectors = rc, nosuch
X
expect_usage "unknown name in spec" matrix --spec bad1.spec --dry-run
grep -q "bad1.spec:3: unknown collector 'nosuch'" err && ok || bad "unknown name: $(cat err)"
printf 'workloads = intchurn\nthis line is wrong\n' >bad2.spec
expect_usage "malformed spec line" matrix --spec bad2.spec --dry-run
grep -q "bad2.spec:2:" err && ok || bad "malformed line not located: $(cat err)"
printf 'reps = 0\n' >bad3.spec
expect_usage "bad value in spec" matrix --spec bad3.spec --dry-run
grep -q "bad3.spec:1:" err && ok || bad "bad value not located: $(cat err)"
expect_usage "missing spec" matrix --spec nosuch.spec
expect_usage "unknown allocator" matrix -a nosuch --dry-run
expect_usage "unknown workload" matrix -w nosuch --dry-run
expect_usage "param nobody takes" matrix -p nosuch=1,2 --dry-run
expect_usage "param out of range" matrix -w intchurn -p small_rate=0.5,2 --dry-run
expect_usage "malformed -p" matrix -p scale --dry-run
expect_usage "unknown option" matrix --bogus
expect_usage "bad timeout" matrix --timeout -1 --dry-run
expect_usage "bad mem-limit" matrix --mem-limit lots --dry-run
mkdir ro && chmod 555 ro
if [ "$(id -u)" = 0 ]; then
    expect_usage "unwritable --out" matrix -a glibc -c rc -w intchurn -p $S --reps 1 --out /proc/nonexistent
else
    expect_usage "unwritable --out" matrix -a glibc -c rc -w intchurn -p $S --reps 1 --out ro/sub
fi
expect_usage "resume of a non-directory" matrix --resume nosuch
expect_usage "compare non-dirs" compare nosuch1 nosuch2
expect_usage "merge without --out" merge nosuch

# ---- dry run ------------------------------------------------------------
"$G" matrix -a glibc,pool -c rc -w intchurn,cycles -p scale=0.005,0.01 --reps 3 --dry-run --out dr \
    >dry.txt 2>dry.err && ok || bad "dry-run failed: $(cat dry.err)"
[ "$(wc -l <dry.txt)" -eq 24 ] && ok || bad "dry-run: $(wc -l <dry.txt) lines, want 2x2x2 cells x 3 reps = 24"
[ "$(grep -c "^$G run -a" dry.txt)" -eq 24 ] && ok || bad "dry-run lines are not gcbench run commands"
[ ! -e dr ] && ok || bad "dry-run wrote files"
mkdir -p dr/dry-run && sh -c "$(head -1 dry.txt)" >/dev/null 2>&1 && ls dr/dry-run/*.json >/dev/null 2>&1 \
    && ok || bad "a dry-run command does not run"

# ---- a spec file, a sweep axis, the files of a result directory --------
cat >good.spec <<'X'
# two allocators, one sweep; everything else from the defaults
allocators = glibc, pool     # comments anywhere
collectors = all
workloads  = intchurn
param scale = 0.005, 0.01
param list_len = 4
reps = 2
timeout = 30
X
"$G" matrix --spec good.spec --out res --order-seed 7 >sum.txt 2>err.txt && ok || bad "spec matrix: $(tail -3 err.txt)"
D=$(ls -d res/*/ | head -1)
for f in run.json runs.jsonl summary.csv; do [ -s "$D/$f" ] && ok || bad "missing $f"; done
# 2 allocators x every collector x 2 scales x 2 reps
ncoll=$("$G" list collectors | awk '$2 ~ /default/' | wc -l)   # collectors = all: the one-thread ones
want=$((2 * ncoll * 2 * 2))
[ "$(wc -l <"$D/runs.jsonl")" -eq $want ] && ok || bad "spec matrix: $(wc -l <"$D/runs.jsonl") runs, want $want"
grep -q '"order_seed": 7' "$D/run.json" && grep -q '"command_line"' "$D/run.json" && grep -q '"spec"' "$D/run.json" \
    && grep -q '"cpu_model"' "$D/run.json" && ok || bad "run.json lacks fields"
grep -q 'glibc/rc/intchurn/list_len=4/scale=0.01' "$D/runs.jsonl" && ok || bad "cell names"
for f in '"repetition":' '"status":"ok"' '"process":{' '"elapsed_s":' '"minor_faults":' '"timeline":{' \
         '"rss_bytes"' '"fragmentation":' '"host":'; do
    grep -q "$f" "$D/runs.jsonl" && ok || bad "runs.jsonl lacks $f"
done
head -1 "$D/summary.csv" | grep -q '^cell,allocator,collector,workload,params,runs_ok,runs_failed,ci_level,ops_per_sec_median,ops_per_sec_min,ops_per_sec_max,ops_per_sec_ci_low,ops_per_sec_ci_high,peak_rss_bytes_median' \
    && ok || bad "summary.csv header: $(head -1 "$D/summary.csv")"
[ "$(wc -l <"$D/summary.csv")" -eq $((1 + 2 * ncoll * 2)) ] && ok || bad "summary.csv rows: $(wc -l <"$D/summary.csv")"
"$G" matrix -a glibc -c rc -w intchurn -p $S --reps 1 --no-timeline --out nt >/dev/null 2>&1 \
    && grep -q '"timeline":null' nt/*/runs.jsonl && ok || bad "--no-timeline"

# ---- faults: crash, memory, time; the matrix goes on -------------------
GCBENCH_FAULT='crash@glibc/rc/cycles/*;oom@pool/rc/cycles/*;hang@glibc/rc/intchurn/*;sleep@pool/rc/intchurn/*' \
    "$G" matrix -a glibc,pool,mimalloc -c rc -w intchurn,cycles -p $S --reps 2 --timeout 1 --mem-limit 64M \
    --out faults >sum.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] && ok || bad "faulty matrix exit $rc, want 1"
F=$(ls -d faults/*/)
[ "$(wc -l <"$F/runs.jsonl")" -eq 12 ] && ok || bad "faulty matrix recorded $(wc -l <"$F/runs.jsonl") runs, want 12"
kind() { grep "\"cell\":\"$1\"" "$F/runs.jsonl" | grep -o '"kind":"[a-z-]*"' | sort -u | tr '\n' ' '; }
[ "$(kind glibc/rc/cycles/$S)" = '"kind":"crash" ' ] && grep "\"cell\":\"glibc/rc/cycles/$S\"" "$F/runs.jsonl" \
    | grep -q '"signal_name":"SIGSEGV"' && ok || bad "crash: $(kind glibc/rc/cycles/$S)"
[ "$(kind pool/rc/cycles/$S)" = '"kind":"oom" ' ] || [ "$(kind pool/rc/cycles/$S)" = '"kind":"memory" ' ] \
    && ok || bad "memory limit: $(kind pool/rc/cycles/$S)"
grep "\"cell\":\"pool/rc/cycles/$S\"" "$F/runs.jsonl" | grep -q 'out of memory' && ok || bad "oom stderr tail"
[ "$(kind glibc/rc/intchurn/$S)" = '"kind":"timeout" ' ] && ok || bad "CPU hang: $(kind glibc/rc/intchurn/$S)"
[ "$(kind pool/rc/intchurn/$S)" = '"kind":"timeout" ' ] && ok || bad "sleeping hang: $(kind pool/rc/intchurn/$S)"
[ "$(grep -c '"status":"ok"' "$F/runs.jsonl")" -eq 4 ] && ok || bad "the healthy mimalloc cells did not run ok"
grep -q 'injecting' "$F/runs.jsonl" && ok || bad "stderr tail not recorded"
grep -q '^mimalloc/rc/cycles/scale=0.005,mimalloc,rc,cycles,scale=0.005,2,0,' "$F/summary.csv" \
    && grep -q '^glibc/rc/cycles/scale=0.005,glibc,rc,cycles,scale=0.005,0,2,' "$F/summary.csv" \
    && ok || bad "summary.csv counts: $(cut -d, -f1,6,7 "$F/summary.csv")"
grep -q '8 failed' err.txt && ok || bad "matrix summary does not count failures: $(tail -1 err.txt)"

# ---- SIGKILL, a truncated line, resume ---------------------------------
"$G" matrix -a glibc,pool,mimalloc -c rc -w intchurn,cycles -p scale=0.005,0.01 --reps 4 --out kill \
    --order-seed 11 >/dev/null 2>&1 &
mpid=$!
K=""
for _ in $(seq 200); do
    K=$(ls -d kill/*/ 2>/dev/null | head -1)
    [ -n "$K" ] && [ -s "$K/runs.jsonl" ] && [ "$(wc -l <"$K/runs.jsonl")" -ge 10 ] && break
    sleep 0.02
done
kill -KILL $mpid 2>/dev/null
wait $mpid 2>/dev/null
before=$(wc -l <"$K/runs.jsonl")
[ "$before" -lt 48 ] && ok || bad "the matrix finished before it could be killed ($before runs)"
sleep 0.3
pgrep -f "json $T/kill" >/dev/null && bad "a run outlived its killed matrix" || ok
printf '{"allocator":"glibc","cell":"glibc/rc/cyc' >>"$K/runs.jsonl"    # a line cut short
expect_usage "resume with another spec" matrix --resume "$K" -a glibc
sed 's/"schema_version": [0-9]*/"schema_version": 999/' "$K/run.json" >"$T/rj" && mkdir -p old && cp -r "$K" old/x \
    && cp "$T/rj" old/x/run.json
expect_usage "resume of another schema" matrix --resume old/x
"$G" matrix --resume "$K" >/dev/null 2>resume.err && ok || bad "resume failed: $(tail -3 resume.err)"
grep -q 'warning: .*runs.jsonl:[0-9]*: truncated' resume.err && ok || bad "no warning for the truncated line"
grep -q "$before runs already recorded are kept" resume.err && ok || bad "resume did not keep $before runs: $(grep -i resum resume.err)"
"$G" matrix -a glibc,pool,mimalloc -c rc -w intchurn,cycles -p scale=0.005,0.01 --reps 4 --dry-run \
    --order-seed 11 2>/dev/null | sed 's/.*-a \([^ ]*\) -c \([^ ]*\) -w \([^ ]*\) -p \([^ ]*\) .*-c[0-9]*-r\([0-9]*\).json/\1\/\2\/\3\/\4 \5/' \
    | sort >want.txt
runs "$K" | sed 's/"cell":"\([^"]*\)"\t"repetition":\([0-9]*\)/\1 \2/' | sort >got.txt
[ "$(wc -l <got.txt)" -eq 48 ] && ok || bad "after resume: $(wc -l <got.txt) runs, want 48"
[ -z "$(uniq -d got.txt)" ] && ok || bad "duplicated runs after resume: $(uniq -d got.txt | head -3)"
diff -q want.txt got.txt >/dev/null && ok || bad "resumed set differs from the plan: $(diff want.txt got.txt | head -4)"
grep -q '"cell":"glibc/rc/cyc"' "$K/runs.jsonl" && bad "the truncated line is still there" || ok
"$G" matrix --resume "$K" >/dev/null 2>resume2.err && grep -q '48 runs already recorded' resume2.err \
    && ok || bad "a second resume is not a no-op: $(tail -2 resume2.err)"

# ---- merge --------------------------------------------------------------
"$G" matrix -a glibc,pool -c rc -w intchurn -p $S --reps 3 --out m1 >/dev/null 2>&1
"$G" matrix -a glibc,pool -c rc -w intchurn -p $S --reps 2 --out m2 >/dev/null 2>&1
A=$(ls -d m1/*/) B=$(ls -d m2/*/)
"$G" merge "$A" "$B" --out merged >/dev/null 2>merge.err && ok || bad "merge: $(cat merge.err)"
[ "$(wc -l <merged/runs.jsonl)" -eq 10 ] && ok || bad "merged runs: $(wc -l <merged/runs.jsonl)"
grep -q "^glibc/rc/intchurn/$S,glibc,rc,intchurn,$S,5,0," merged/summary.csv && ok || bad "merged summary"
[ -z "$(runs merged | uniq -d)" ] && ok || bad "merged (cell, repetition) not unique"
grep -q '"merged_from"' merged/run.json && ok || bad "merged run.json"
mkdir -p other && cp -r "$B" other/x && sed -i 's/"host":"[^"]*"/"host":"elsewhere"/g' other/x/runs.jsonl
expect_usage "merge mixing hosts" merge "$A" other/x --out mixed
grep -q "allow-mixed-hosts" err && ok || bad "mixed hosts message: $(cat err)"
"$G" merge "$A" other/x --out mixed --allow-mixed-hosts >/dev/null 2>&1 && grep -q '"mixed_hosts": true' mixed/run.json \
    && ok || bad "--allow-mixed-hosts"
expect_usage "merge a run twice" merge "$A" "$A" --out twice
expect_usage "merge into a used dir" merge "$A" --out merged
expect_usage "resume a merged dir" matrix --resume merged

# ---- unstable cells --------------------------------------------------------
# The same three runs, once as recorded and once with ops/s spread by
# x0.7 .. x1.3: only the spread copy is flagged (robust CV above 5%).
python3 - "$A" <<'PY' && ok || bad "could not build the unstable-cell fixture"
import json, os, sys
src = sys.argv[1]
for name, factors in (("steady", (1, 1, 1)), ("shaky", (0.7, 1.0, 1.3))):
    os.makedirs(name + "/x", exist_ok=True)
    out = open(name + "/x/runs.jsonl", "w")
    lines = [json.loads(l) for l in open(os.path.join(src, "runs.jsonl"))]
    lines = [l for l in lines if l["allocator"] == "glibc"]
    assert len(lines) == 3
    for line, f in zip(lines, factors):
        line["ops_per_sec"] = 1e6 * f
        out.write(json.dumps(line) + "\n")
    json.dump(json.load(open(os.path.join(src, "run.json"))), open(name + "/x/run.json", "w"))
PY
for name in steady shaky; do
    "$G" merge "$name/x" --out "$name-merged" >/dev/null 2>&1 || bad "merge $name"
    col=$(head -1 "$name-merged/summary.csv" | tr ',' '\n' | grep -n '^unstable$' | cut -d: -f1)
    got=$(sed -n 2p "$name-merged/summary.csv" | cut -d, -f"$col")
    want=0; [ $name = shaky ] && want=1
    [ "$got" = "$want" ] && ok || bad "$name cell: unstable=$got, want $want"
done

# ---- compare ------------------------------------------------------------
# a real difference, and one that load cannot blur: scale 0.01 does twice
# the operations of 0.005 (ops is exact; lower counts as better for any
# metric but ops_per_sec, so the doubling is a regression one way and an
# improvement the other; wall_s flaked on a loaded machine)
"$G" compare "$D" scale=0.005 scale=0.01 --metric ops --fail-above 20 >cmp.txt 2>cmp.err
rc=$?
[ $rc -eq 1 ] && grep -q REGRESSION cmp.txt && ok || bad "compare --fail-above: rc=$rc $(cat cmp.txt cmp.err | tail -5)"
"$G" compare "$D" scale=0.01 scale=0.005 --metric ops --fail-above 20 >cmp.txt 2>cmp.err
[ $? -eq 0 ] && ok || bad "an improvement failed --fail-above"
grep -q 'too few runs for the U test' cmp.err && ok || bad "no warning with 2 reps: $(cat cmp.err)"
grep -q '^geomean' cmp.txt && ok || bad "no geomean row"
expect_usage "compare unknown metric" compare "$A" "$B" --metric nosuch
expect_usage "compare overlapping filters" compare "$D" scale=0.005 collector=rc
expect_usage "compare filter matching no cell" compare "$D" allocator=nosuch scale=0.005
grep -q "filter 'allocator=nosuch' matches no cell of .*; it has allocator .*; collector .*; workload" "$T/err" \
    && ok || bad "no-match message: $(cat "$T/err")"
expect_usage "compare with a cell-name pattern" compare "$D" 'glibc/*' scale=0.005
# A/A on real runs: one interleaved matrix, even repetitions against odd
# ones; with 16 cells about 0.8 are expected below alpha = 0.05
"$G" matrix -a glibc,pool -c rc -w intchurn,cycles -p scale=0.002,0.003,0.004,0.005 --reps 10 --out aa \
    >/dev/null 2>&1 || bad "A/A matrix failed"
AA=$(ls -d aa/*/)
mkdir -p even odd
grep '"repetition":[02468],' "$AA/runs.jsonl" >even/runs.jsonl
grep '"repetition":[13579],' "$AA/runs.jsonl" >odd/runs.jsonl
"$G" compare even odd >aa.txt 2>&1 && ok || bad "A/A compare failed: $(tail -3 aa.txt)"
nsig=$(grep -c ' \*$' aa.txt)
grep -q '^16 cells compared' aa.txt && ok || bad "A/A: $(grep 'cells compared' aa.txt)"
[ "$nsig" -le 4 ] && ok || bad "A/A marked $nsig of 16 cells significant (expected about 1)"
echo "A/A on real runs: $nsig of 16 cells significant at 0.05" >&2

echo "harness: $pass passed, $fail failed"
[ $fail -eq 0 ]
