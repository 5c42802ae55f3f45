#!/usr/bin/env bash
# tests/faults.sh - the faults of issue 10 driven against the gcbench
# command as a hostile user would: every bad number form, repeated and
# ambiguous flags, a missing default trace, crashing and broken user
# allocators, output paths that are not regular files, concurrent matrices
# on one result directory, a full disk (a small tmpfs when run as root,
# "skipped" otherwise), corrupt and duplicated result lines.  Each case
# asserts the exit status, the one-line message and that no partial file is
# left (docs/promises.md states the rules these check).
# Usage: faults.sh PATH/TO/gcbench [BADMALLOC_DIR]
set -u
G=$(readlink -f "$1")
BADLIBS=${2:+$(readlink -f "$2")}
T=$(mktemp -d)
cleanup() {
    [ -n "${MNT:-}" ] && umount "$MNT" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T"
pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
skip() { skipped=$((skipped + 1)); echo "skipped: $*" >&2; }
S=scale=0.005

# expect_usage DESCRIPTION ARGS... : exit 2, exactly one line on stderr,
# nothing on stdout
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    local lines; lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$T/out" ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(head -3 "$T/err")"; fi
}
# expect_msg DESCRIPTION PATTERN : the last command's stderr matches
expect_msg() {
    grep -q -- "$2" "$T/err" && ok || bad "$1: message '$(cat "$T/err")' lacks '$2'"
}

# ---- numbers: decimal only, overflow checked, ranges stated ---------------
R="run -a glibc -c rc -w intchurn -p $S"
for v in 0x10 010 ' 5' 5x 1.5 18446744073709552k -1 nan; do
    expect_usage "--seed '$v'" $R --seed "$v"
    expect_msg "--seed '$v' range" "from 0 to 9223372036854775807"
done
for v in 0x10 010 18446744073709552k 0 100001 1e3 ''; do
    expect_usage "--reps '$v'" matrix -w intchurn --reps "$v" --dry-run
    expect_msg "--reps '$v' range" "from 1 to 100000"
done
for v in nan inf 0x10 1e7 0 -1 1e999; do
    expect_usage "--timeout '$v'" matrix -w intchurn --timeout "$v" --dry-run
    expect_msg "--timeout '$v' range" "from 0.001 to 1000000"
done
for v in nan inf 1e19 -1M 0x100000 1k 16777216T 1e400; do
    expect_usage "--mem-limit '$v'" matrix -w intchurn --mem-limit "$v" --dry-run
    expect_msg "--mem-limit '$v' range" "from 1M to 1024T"
done
for v in nan -1 0x10 1e8; do
    expect_usage "--budget '$v'" matrix -w intchurn --budget "$v" --dry-run
    expect_msg "--budget '$v' range" "from 0 to 10000000"
done
for v in 0x10 010 -1 18446744073709552k; do
    expect_usage "--order-seed '$v'" matrix -w intchurn --order-seed "$v" --dry-run
    expect_msg "--order-seed '$v' range" "from 0 to 9223372036854775807"
done
for v in nan 0 1 0x0.1 1e-999x; do
    expect_usage "--alpha '$v'" compare --alpha "$v" a b
    expect_msg "--alpha '$v' range" "greater than 0 and less than 1"
done
for v in nan -1 inf 0x10 1e7; do
    expect_usage "--fail-above '$v'" compare --fail-above "$v" a b
    expect_msg "--fail-above '$v' range" "from 0 to 1000000"
done
expect_usage "-p int octal" run -a glibc -c rc -w intchurn -p list_every=010
expect_usage "-p int hex" run -a glibc -c gen -w intchurn -p threshold0=0x10
expect_usage "-p int overflow" run -a glibc -c gen -w intchurn -p threshold0=-9223372036854775807G
expect_msg "-p int overflow range" "from 0 to"
expect_usage "-p hex float" run -a glibc -c rc -w intchurn -p scale=0x10
expect_usage "-p nan" run -a glibc -c rc -w intchurn -p scale=nan
expect_usage "-p inf" run -a glibc -c rc -w intchurn -p scale=inf
expect_msg "-p inf range" "from 0.001 to"
expect_usage "matrix -p overflow" matrix -w intchurn -c gen -p threshold0=1,99999999999999999999 --dry-run
# the spec file takes the same forms
printf 'reps = 0x10\n' >hex.spec
expect_usage "spec reps hex" matrix --spec hex.spec --dry-run
expect_msg "spec reps hex located" "hex.spec:1:"
# a decimal with a suffix is still a number
"$G" matrix -a glibc -c rc -w intchurn -p $S --reps 2 --seed 1k --dry-run >out 2>err \
    && ok || bad "decimal with suffix refused: $(cat err)"

# ---- the default trace (item 9) -------------------------------------------
GCBENCH_DEFAULT_TRACE=$T/none.gcbtrace expect_usage "replay without its default trace" \
    run -a glibc -c rc -w replay
expect_msg "default trace message" "GCBENCH_DEFAULT_TRACE"
GCBENCH_DEFAULT_TRACE=$T/none.gcbtrace expect_usage "matrix replay without its default trace" \
    matrix -a glibc -c rc -w replay,intchurn --reps 1 --out nodefault
[ ! -e nodefault ] && ok || bad "matrix without a default trace left nodefault/"
printf 'GCBTRACE junk' >junk.gcbtrace
GCBENCH_DEFAULT_TRACE=$T/junk.gcbtrace expect_usage "corrupt default trace" run -a glibc -c rc -w replay

# ---- fault injection as an allocator (faulty@N+SPEC) ------------------------
"$G" list allocators | grep -q '^faulty@N+SPEC ' && ok || bad "faulty not listed"
expect_usage "list with an extra argument" list allocators extra
for a in faulty faulty@ faulty@1 faulty@x+pool faulty@010+pool faulty@-1+pool faulty@1+faulty@2+pool faulty@1+nosuch; do
    expect_usage "allocator '$a'" run -a "$a" -c rc -w intchurn -p $S
done
"$G" run -a faulty@1+pool -c gen -w dicts -p $S >out 2>err
[ $? -eq 3 ] && grep -q "out of memory" err && ok || bad "faulty@1: $(cat err)"
"$G" run -a faulty@0+pool -c gen -w dicts -p $S >out 2>err
[ $? -eq 0 ] && grep -q "gcbench: faulty: [1-9][0-9]* allocations, 0 failed" err && ok || bad "faulty@0: $(cat err)"

# ---- misbehaving user malloc libraries (item 6; tests/badmalloc.c) ---------
if [ "${GCB_SANITIZED:-0}" = 1 ]; then
    skip "crashing user allocators (a preloaded library cannot come before the ASan runtime)"
elif [ -z "$BADLIBS" ]; then
    skip "crashing user allocators (no BADMALLOC_DIR given)"
else
    declare -A want=(
        [segv]="crashed with SIGSEGV in its first malloc"
        [abrt]="crashed with SIGABRT in its first malloc"
        [null]="returned NULL from its first malloc"
        [ctor]="crashed with SIGSEGV while loading"
        [hang]="hung in its first malloc"
    )
    for v in segv abrt null ctor hang; do
        lib=$BADLIBS/libbadmalloc_$v.so
        expect_usage "run under badmalloc $v" run -a bad=$lib -c rc -w intchurn -p $S
        expect_msg "badmalloc $v" "${want[$v]}"
    done
    expect_usage "pool over a crashing library" run -a pool+bad=$BADLIBS/libbadmalloc_segv.so -c rc -w intchurn -p $S
    expect_usage "matrix with a crashing library" matrix -a bad=$BADLIBS/libbadmalloc_abrt.so -c rc \
        -w intchurn -p $S --reps 1 --out badlib
    [ ! -e badlib ] && ok || bad "matrix with a crashing library left badlib/"
fi

# ---- output paths: checked before work, never replaced unless a file (item 2)
R="run -a glibc -c rc -w intchurn -p $S"
expect_usage "--json ''" $R --json ""
expect_usage "--json DIR" $R --json "$T"
expect_usage "--json in a missing dir" $R --json "$T/nosuch/x.json"
expect_usage "trace -o DIR" trace -o "$T" -- true
expect_usage "trace -o /dev/null" trace -o /dev/null -- true
expect_msg "trace -o device" "not a regular file"
expect_usage "trace -o twice" trace -o a.trace -o b.trace -- true
expect_usage "matrix --out a file" matrix -w intchurn --out /dev/null
[ -c /dev/null ] && ok || bad "/dev/null is no longer a character device"
"$G" $R --json /dev/null >out 2>err && [ -c /dev/null ] && ok || bad "--json /dev/null: $(cat err)"
"$G" $R --json /dev/stdout >out 2>err && grep -q '"checksum"' out && ok || bad "--json /dev/stdout: $(cat err)"
if [ -e /dev/full ]; then
    "$G" $R --json /dev/full >out 2>err
    [ $? -eq 1 ] && [ -c /dev/full ] && grep -q "No space left" err && ok \
        || bad "--json /dev/full: $(cat err); $(ls -l /dev/full)"
fi
echo old >target.json
ln -s target.json link.json
"$G" $R --json link.json >out 2>err && [ -L link.json ] && grep -q '"checksum"' target.json && ok \
    || bad "--json through a symlink: $(cat err); $(ls -l link.json)"
mkfifo fifo
cat fifo >fifo.out &
"$G" $R --json fifo >out 2>err && wait && [ -p fifo ] && grep -q '"checksum"' fifo.out && ok \
    || bad "--json FIFO: $(cat err)"
ls ./*.tmp.* >/dev/null 2>&1 && bad "temp files left: $(ls ./*.tmp.*)" || ok

# ---- the same flag twice, ambiguous lists (item 5)
expect_usage "run -a twice" run -a glibc -a pool -c rc -w intchurn
expect_usage "run --json twice" $R --json a.json --json b.json
for f in "-a glibc" "--reps 2" "--spec x.spec" "--out o" "--resume r" "--timeout 5" "-w intchurn"; do
    expect_usage "matrix $f twice" matrix $f $f --dry-run
    expect_msg "matrix $f twice message" "given twice"
done

for l in "glibc,,pool" ",glibc" "glibc," "glibc, ,pool"; do
    expect_usage "matrix -a '$l'" matrix -a "$l" -w intchurn --dry-run
    expect_msg "empty item '$l'" "empty item"
done
expect_usage "matrix -p empty item" matrix -w intchurn -p scale=0.01,,0.02 --dry-run

# ---- the harness's own failures are run again at resume (item 3) ----------
# an older gcbench recorded a run whose record or stderr could not be
# written on a full disk as failed/exit with an empty stderr tail, and a
# run that ended well without a record as no-record; --resume runs both
# again (one line says so) and the run set is then exactly the plan's
M="-a glibc -c rc,gen -w intchurn -p scale=0.01 --reps 3 --no-timeline --mem-limit none"
"$G" matrix $M --out harness >out 2>err || bad "harness matrix: $(tail -2 err)"
d=$(ls -d harness/*/ | head -1); d=${d%/}
jq -c 'if .repetition == 1 and .collector == "rc" then
         .status = "failed" | .failure = {kind: "exit", exit_status: 1, signal: null, signal_name: null, stderr_tail: ""}
       elif .repetition == 2 and .collector == "gen" then
         .status = "failed" | .failure = {kind: "no-record", exit_status: 0, signal: null, signal_name: null, stderr_tail: ""}
       else . end' "$d/runs.jsonl" >harness.jsonl && mv harness.jsonl "$d/runs.jsonl"
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 0 ] && ok || bad "resume of harness failures: rc $rc: $(tail -3 err)"
grep -q "2 recorded failures were the harness's own" err && ok || bad "resume of harness failures: message: $(cat err)"
jq -r '.collector + " " + (.repetition | tostring) + " " + .status' "$d/runs.jsonl" | sort >got
"$G" matrix --resume "$d" --dry-run 2>/dev/null | sed -E 's/.* -c ([^ ]+) .*-r([0-9]+)\.json.*/\1 \2 ok/' | sort >want
[ "$(wc -l <want)" -eq 6 ] && cmp -s got want && ok || bad "run set after resume: $(diff want got | head -5)"

# ---- a file promised at the end not written: exit 1 (item 3) --------------
rm -f "$d/report.md"; mkdir "$d/report.md"
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "some files were not written" err && ok || bad "report.md not written: rc $rc: $(tail -2 err)"
rmdir "$d/report.md"; rm -f "$d/summary.csv"; mkdir "$d/summary.csv"
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 1 ] && ok || bad "summary.csv not written: rc $rc: $(tail -2 err)"
rmdir "$d/summary.csv"

# ---- merge --out: checked before any work, given once (items 2, 5) ---------
expect_usage "merge --out in a file" merge nosuch --out /dev/null/x
expect_msg "merge --out first" "^gcbench: merge: --out '/dev/null/x'"
expect_usage "merge --out existing" merge "$d" --out "$d"
expect_usage "merge --out twice" merge "$d" --out m1 --out m2
[ ! -e m1 ] && [ ! -e m2 ] && ok || bad "merge --out twice left a directory"

# ---- a spec key on two lines, -p one key twice (item 5) ---------------------
printf 'param scale = 0.1\nparam scale = 0.2\nworkloads = intchurn\n' >twice.spec
expect_usage "spec param twice" matrix --spec twice.spec --dry-run
expect_msg "spec param twice located" "twice.spec:2:"
printf 'reps = 2\nreps = 3\n' >twice2.spec
expect_usage "spec key twice" matrix --spec twice2.spec -w intchurn --dry-run
expect_usage "-p one key twice" matrix -w intchurn -p scale=0.1 -p scale=0.2 --dry-run
expect_msg "-p one key twice message" "given twice"
printf 'reps = 2\0\nworkloads = intchurn\n' >nul.spec
expect_usage "spec NUL byte" matrix --spec nul.spec --dry-run
expect_msg "spec NUL byte message" "NUL byte"

# ---- readers while a matrix writes (item 1): each `report` parses and
# counts only whole runs: between the lines recorded before it started and
# after it ended, never a warning about a truncated or malformed line
"$G" matrix -a glibc -c rc,gen -w intchurn,dicts -p scale=0.02 --reps 12 --mem-limit none --out live >/dev/null 2>&1 &
lpid=$!
for _ in $(seq 400); do [ -s "$(ls live/*/runs.jsonl 2>/dev/null | head -1)" ] && break; sleep 0.02; done
d=$(ls -d live/*/ 2>/dev/null | head -1); d=${d%/}
nrep=0 rbad=0
while kill -0 $lpid 2>/dev/null && [ -n "$d" ]; do
    before=$(wc -l <"$d/runs.jsonl")
    "$G" report "$d" --no-plots >rout 2>rerr
    rrc=$?
    after=$(wc -l <"$d/runs.jsonl")
    got=$(sed -nE 's/^\| runs \| ([0-9]+) ok, ([0-9]+) failed.*/\1 \2/p' "$d/report.md" | awk '{print $1 + $2}')
    nrep=$((nrep + 1))
    if [ $rrc -ne 0 ] || grep -qi 'warning\|truncated\|malformed' rerr || [ -z "$got" ] ||
        [ "$got" -lt "$before" ] || [ "$got" -gt "$after" ]; then
        rbad=$((rbad + 1)); echo "report $nrep: rc $rrc, $got runs (lines $before..$after): $(head -2 rerr)" >&2
    fi
done
wait $lpid
[ "$nrep" -ge 3 ] && [ $rbad -eq 0 ] && ok || bad "concurrent reports: $rbad of $nrep wrong"
echo "concurrent reports: $nrep while the matrix ran, $rbad wrong" >&2

# ---- -p trace= in a matrix: a path with '/', stored absolute (item 10) ----
mkdir -p traces
cp "$(dirname "$G")/default.gcbtrace" traces/t1.gcbtrace 2>/dev/null
if [ -s traces/t1.gcbtrace ]; then
    "$G" matrix -a glibc -c rc -w replay -p trace=traces/t1.gcbtrace -p scale=0.01 --reps 1 --no-timeline \
        --mem-limit none --out tm >out 2>err
    rc=$?
    d=$(ls -d "$T"/tm/*/ 2>/dev/null | head -1); d=${d%/}
    [ $rc -eq 0 ] && [ "$(jq -r .params.trace "$d/runs.jsonl")" = "$T/traces/t1.gcbtrace" ] && ok \
        || bad "-p trace=DIR/FILE: rc $rc: $(tail -2 err)"
    (cd / && "$G" matrix --resume "$d" >/dev/null 2>&1) && ok || bad "resume from another directory with a trace"
    mv traces/t1.gcbtrace traces/t2.gcbtrace
    expect_usage "resume with the trace gone" matrix --resume "$d"
    expect_msg "resume with the trace gone names it" "$T/traces/t1.gcbtrace"
else
    skip "-p trace=: no default trace next to gcbench"
fi

# ---- gcbench-micro: what it refuses it does not list; bad flags exit 2 -----
MICRO=$(dirname "$G")/bench/micro/gcbench-micro
if [ -x "$MICRO" ]; then
    for a in "--allocator nosuch" "--allocator pool" "--allocator pool-huge" "--allocator faulty@1+glibc" \
             "--benchmark_filter=[" "--benchmark_filter=(" "--benchmark_format=xml" "--benchmark_out_format=yaml" \
             "--benchmark_filter=nomatch_xyz"; do
        "$MICRO" $a >out 2>err
        rc=$?
        [ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && ok || bad "gcbench-micro $a: rc $rc: $(head -3 err)"
        grep -qE 'pool\+BASE|pool-huge,|faulty@N' err && bad "gcbench-micro $a lists pool variants it refuses: $(cat err)" || ok
    done
else
    skip "gcbench-micro not built"
fi

# ---- one matrix per result directory (item 1)
# (--mem-limit none: under ASan a limit on the data segment stops the
# shadow-memory reservation, and the cases are about locks, not memory)
"$G" matrix -a glibc -c rc -w intchurn -p scale=0.05 --reps 6 --no-timeline --mem-limit none --out locked >/dev/null 2>&1 &
mpid=$!
for _ in $(seq 100); do [ -e locked/*/.gcbench.lock ] && break; sleep 0.05; done
d=$(ls -d locked/*/ 2>/dev/null | head -1)
if [ -n "$d" ] && kill -0 $mpid 2>/dev/null; then
    expect_usage "second matrix on a busy directory" matrix --resume "$d"
    expect_msg "holder named" "pid $mpid"
else
    skip "lock: the first matrix ended before the second started"
fi
wait $mpid
[ -n "$d" ] && n=$(wc -l <"$d/runs.jsonl") && [ "$n" -eq 6 ] && ok || bad "locked matrix recorded ${n:-?} of 6 runs"
# a SIGKILLed matrix leaves no stale lock
"$G" matrix -a glibc -c rc -w intchurn -p scale=0.2 --reps 20 --no-timeline --mem-limit none --out killed >/dev/null 2>&1 &
kpid=$!
for _ in $(seq 100); do [ -e killed/*/.gcbench.lock ] && break; sleep 0.05; done
sleep 0.3
kill -9 $kpid; wait $kpid 2>/dev/null
d=$(ls -d killed/*/ | head -1)
"$G" matrix --resume "$d" >out 2>err && ok || bad "resume after SIGKILL: $(tail -2 err)"

# ---- figures (bench/report/plot): any gnuplot failure is a failed figure
# that leaves no file; a full disk leaves no partial file; output paths are
# checked before any work; no 1x1 heatmap (gnuplot 5.4.4 segfaults on one)
# no_partial WHAT DIR: no empty file, temp file or drawing directory in DIR
no_partial() {
    local left
    left=$(find "$2" \( -size 0 -o -name '*.tmp.*' -o -name '.gcbench-draw.*' \) 2>/dev/null | head -3)
    [ -z "$left" ] && ok || bad "$1: partial files left: $left"
}
"$G" matrix -a glibc,pool -c rc -w intchurn -p $S --reps 1 --out figs >out 2>err || bad "figures' matrix: $(tail -2 err)"
FD=$(ls -d figs/*/ | head -1); FD=${FD%/}
mkdir fakegp
printf '#!/bin/sh\nkill -SEGV $$\n' >fakegp/segv
printf '#!/bin/sh\nexit 3\n' >fakegp/exit3
printf '#!/bin/sh\n: > "${1%%.gp}.png"; : > "${1%%.gp}.svg"; exit 0\n' >fakegp/empty
printf '#!/bin/sh\nprintf "\\211PNG\\r\\n" > "${1%%.gp}.png"; echo "<svg>" > "${1%%.gp}.svg"; exit 0\n' >fakegp/cut
chmod +x fakegp/*
for fake in segv exit3 empty cut; do
    rm -rf "$FD/plots"
    GCBENCH_GNUPLOT=$PWD/fakegp/$fake "$G" plot "$FD" >out 2>err
    rc=$?
    [ $rc -eq 1 ] && ok || bad "gnuplot $fake: plot exit $rc, not 1"
    case $fake in
    segv) expect_msg "gnuplot $fake" "figure throughput not drawn (.*/throughput.gp): gnuplot was killed by signal 11 (Segmentation fault)" ;;
    exit3) expect_msg "gnuplot $fake" "figure throughput not drawn (.*/throughput.gp): gnuplot exited with status 3" ;;
    empty) expect_msg "gnuplot $fake" "gnuplot exited 0 but its throughput.png is empty (0 bytes)" ;;
    cut) expect_msg "gnuplot $fake" "gnuplot exited 0 but its throughput.png is cut short" ;;
    esac
    expect_msg "gnuplot $fake: count" "0 of 8 figures drawn"
    [ -z "$(ls "$FD/plots" | grep -E '\.(png|svg)$')" ] && ok || bad "gnuplot $fake: images left: $(ls "$FD/plots")"
    no_partial "gnuplot $fake" "$FD/plots"
    [ -s "$FD/plots/throughput.dat" ] && [ -s "$FD/plots/throughput.gp" ] && ok || bad "gnuplot $fake: data or script lost"
done
# the 1x1 matrix of issue 10: no heatmap, said in report.md, exit 0, no empty PNG
"$G" matrix -a glibc -c rc -w intchurn -p $S --reps 1 --out one >out 2>err
rc=$?
[ $rc -eq 0 ] && ok || bad "1x1 matrix: exit $rc: $(tail -2 err)"
d1=$(ls -d one/*/ | head -1)
grep -q "throughput_heatmap: a single configuration on a single workload is not drawn as a heatmap" "$d1/report.md" \
    && ok || bad "1x1 matrix: report.md does not say why no heatmap"
[ ! -e "$d1/plots/throughput_heatmap.png" ] && [ ! -e "$d1/plots/throughput_heatmap.dat" ] && ok \
    || bad "1x1 matrix: heatmap files written"
no_partial "1x1 matrix" "$d1"
# output paths before any work: exit 2, one line
: >notadir
expect_usage "plot --out FILE" plot "$FD" --out notadir
expect_usage "plot --out ''" plot "$FD" --out ''
cp -r "$FD" rdonly; rm -rf rdonly/plots; : >rdonly/plots
expect_usage "report with DIR/plots a file" report rdonly
rm -f rdonly/plots rdonly/report.md; mkdir rdonly/report.md
expect_usage "report with DIR/report.md a directory" report rdonly --no-plots
# a full disk: report and plot exit 1 naming what was not written, leave no partial file
if [ "$(id -u)" = 0 ] && mkdir -p mnt && mount -t tmpfs -o size=64k tmpfs mnt 2>/dev/null; then
    MNT=$PWD/mnt
    cp "$FD/run.json" "$FD/runs.jsonl" mnt/
    dd if=/dev/zero of=mnt/fill bs=4k 2>/dev/null
    "$G" report mnt >out 2>err
    rc=$?
    [ $rc -eq 1 ] && ok || bad "full disk: report exit $rc, not 1"
    expect_msg "full disk: report" "No space left on device"
    no_partial "full disk: report" mnt
    [ ! -e mnt/report.md ] && ok || bad "full disk: a report.md was left"
    # room for the data files and scripts, not for the images
    rm -f mnt/fill; mkdir mnt/p
    dd if=/dev/zero of=mnt/fill bs=4k count=$(( $(df -k --output=avail mnt | tail -1) / 4 - 18 )) 2>/dev/null
    "$G" plot mnt --out mnt/p >out 2>err
    rc=$?
    [ $rc -eq 1 ] && ok || bad "full disk (images): plot exit $rc, not 1: $(tail -2 err)"
    grep -q "exit 0)" err && bad "full disk (images): says 'exit 0'" || ok
    grep -Eq "no space is left on the file system of|No space left on device" err && ok \
        || bad "full disk (images): message lacks the cause: $(grep -m1 'not drawn\|cannot' err)"
    no_partial "full disk (images)" mnt
    umount mnt && MNT=
else
    skip "full disk for plot/report: needs root and a tmpfs mount"
fi

# figures that fail for a cause other than space: the matrix exits 1 and
# its advice names the cause, not "free space" (the disk is not full)
GCBENCH_GNUPLOT=$PWD/fakegp/exit3 "$G" matrix -a glibc -c rc -w intchurn -p $S --reps 1 \
    --out advice >out 2>err
rc=$?
[ $rc -eq 1 ] && ok || bad "figures failed: matrix exit $rc, not 1"
expect_msg "figures failed: advice" "fix the cause above, then write them with: gcbench report"
grep -q "free space" err && bad "figures failed: the advice says 'free space' on a disk that is not full" || ok

# a sweep whose every run failed (every allocation fails: faulty@1): plot
# says "not drawn: <reason>" and never hands gnuplot the empty data (it
# exited 1 on it: "figure sweep_X not drawn ... status 1"); no .dat left
mkdir -p "$T/allfail"
"$G" matrix -a faulty@1+glibc -c rc -w intchurn -p scale=0.001,0.002 --reps 1 \
    --out "$T/allfail" >"$T/allfail.out" 2>"$T/allfail.err"
rc=$?
[ $rc -eq 1 ] && ok || bad "all-failed sweep: matrix exit $rc, not 1 (every run failed)"
AF=$(ls -d "$T"/allfail/2*/ 2>/dev/null | head -1)
"$G" plot "$AF" --out "$T/allfail.plots" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok || bad "all-failed sweep: plot exit $rc: $(tail -2 "$T/err")"
expect_msg "all-failed sweep" "not drawn: sweep_scale_intchurn: no ok run"
grep -q "gnuplot exited\|status 1" "$T/err" && bad "all-failed sweep: gnuplot was called on no data" || ok
[ ! -e "$T/allfail.plots/sweep_scale_intchurn.dat" ] && ok || bad "all-failed sweep: a .dat left"

# ---- corrupt data (issue 10 item 8): a line that is not a record of a
# known schema is skipped with one warning naming file and line and counted
# in report.md; a repeated (cell, repetition) is counted once; a missing or
# damaged run.json is exit 2 for every reader
"$G" matrix -a glibc,pool -c rc -w intchurn -p $S --reps 2 --out corrupt >out 2>err || bad "corrupt: matrix: $(tail -2 err)"
CD=$(ls -d corrupt/*/ | head -1); CD=${CD%/}
for d in norunjson cutrunjson otherrunjson; do cp -r "$CD" "corrupt/$d"; done
rm corrupt/norunjson/run.json
head -c 40 "$CD/run.json" >corrupt/cutrunjson/run.json
echo '{"format":"something else"}' >corrupt/otherrunjson/run.json
good=$(wc -l <"$CD/runs.jsonl")
L1=$(head -1 "$CD/runs.jsonl")
{
    echo "$L1" | sed 's/"schema_version":[0-9]*/"schema_version":99/'
    echo 'not json at all'
    echo "$L1" | sed 's/"status":"ok"/"status":"maybe"/'
    echo "$L1" | sed 's/"ops_per_sec":[0-9.e+]*/"ops_per_sec":-5/'
    echo "$L1" | sed 's/"wall_s":[0-9.e+-]*/"wall_s":"fast"/'
    echo "$L1"
} >>"$CD/runs.jsonl"
"$G" report "$CD" >out 2>err
rc=$?
[ $rc -eq 0 ] && ok || bad "corrupt: report exit $rc: $(tail -2 err)"
for n in 1 2 3 4 5; do
    expect_msg "corrupt line $((good + n))" "$CD/runs.jsonl:$((good + n)): .*skipped"
done
expect_msg "corrupt: schema named" "not a record of schema_version"
expect_msg "corrupt: status named" "status neither ok nor failed"
expect_msg "corrupt: metric named" "a metric that is not a number >= 0"
expect_msg "corrupt: duplicate" "$CD/runs.jsonl:$((good + 6)): repetition .* is recorded again (first at line 1): counted once"
[ "$(grep -c 'warning' err)" -eq 6 ] && ok || bad "corrupt: $(grep -c warning err) warnings, not 6"
grep -q "^5 lines of runs.jsonl were skipped" "$CD/report.md" && ok || bad "corrupt: report.md does not count the 5 skipped lines"
grep -q "^1 line of runs.jsonl repeated an earlier (cell, repetition) and was counted once" "$CD/report.md" && ok \
    || bad "corrupt: report.md does not count the duplicate"
grep -q "| runs | $good ok, 0 failed" "$CD/report.md" && ok || bad "corrupt: report.md counts $(grep '| runs |' "$CD/report.md")"
"$G" compare "$CD" allocator=glibc allocator=pool >out 2>err
[ $? -eq 0 ] && [ "$(grep -c warning err)" -ge 6 ] && ok || bad "corrupt: compare did not warn: $(head -2 err)"
"$G" merge --out corrupt.merged "$CD" "$CD" >out 2>err
[ "$(grep -c 'line.*skipped' err)" -ge 5 ] && ok || bad "corrupt: merge did not warn: $(head -2 err)"
for d in norunjson cutrunjson otherrunjson; do
    expect_usage "run.json $d: report" report "corrupt/$d"
    expect_usage "run.json $d: plot" plot "corrupt/$d"
    expect_usage "run.json $d: resume" matrix --resume "corrupt/$d"
done

echo "faults: $pass passed, $fail failed, $skipped skipped"
[ $fail -eq 0 ]
