#!/usr/bin/env bash
# tests/fulldisk.sh - issue 10 item 3: a full disk under `gcbench matrix`
# and `gcbench merge`, on a 2 MiB tmpfs (so it needs root: "skipped: not
# root", exit 77, otherwise).  The disk is filled by a filler file at
# different points: before the matrix starts, in the middle of it (after a
# few runs are recorded), before its end (report.md, summary.csv), and
# under merge --out.  Each case asserts the exit status, the one line
# "no space left on DIR; free space and ...", that no partial or temp file
# is left, and - after the space is freed and the matrix resumed - the
# exact run set: the (cell, repetition) pairs of runs.jsonl equal those of
# --dry-run, none twice, none lost (docs/promises.md).
# Usage: fulldisk.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
if [ "$(id -u)" != 0 ]; then
    echo "skipped: not root (a small tmpfs is mounted to fill)"
    exit 77
fi
T=$(mktemp -d)
MNT=$T/mnt
mkdir -p "$MNT"
cleanup() {
    umount "$MNT" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
if ! mount -t tmpfs -o size=2M tmpfs "$MNT" 2>"$T/mount.err"; then
    echo "skipped: cannot mount a tmpfs: $(cat "$T/mount.err")"
    exit 77
fi
cd "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
fill() { dd if=/dev/zero of="$MNT/filler" bs=16k >/dev/null 2>&1; sync; }
unfill() { rm -f "$MNT/filler"; }
M="-a glibc -c rc,gen -w intchurn -p scale=0.01 --no-timeline --mem-limit none"

# every line of runs.jsonl is a whole JSON line
whole_lines() {
    [ ! -s "$1" ] && return 0
    [ "$(tail -c1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || return 1
    jq -e . "$1" >/dev/null 2>&1
}
# the (collector, repetition) pairs: of runs.jsonl, of --dry-run
pairs_recorded() { jq -r '.collector + " " + (.repetition | tostring)' "$1/runs.jsonl" | sort; }
pairs_planned() {
    "$G" matrix --resume "$1" --dry-run 2>/dev/null |
        sed -E 's/.* -c ([^ ]+) .*-r([0-9]+)\.json.*/\1 \2/' | sort
}
no_temp() { ! find "$MNT" -name '*.tmp.*' | grep -q .; }

# ---- full before the start: exit 1, one line, no RUN-ID left -------------
fill
"$G" matrix $M --reps 2 --out "$MNT/res" >out 2>err
rc=$?
[ $rc -eq 1 ] && ok || bad "full at start: rc $rc (want 1): $(cat err)"
[ "$(wc -l <err)" -eq 1 ] && grep -q "no space left on $MNT/res" err && ok || bad "full at start: message: $(cat err)"
[ -z "$(ls -A "$MNT/res" 2>/dev/null)" ] && ok || bad "full at start left: $(find "$MNT/res")"
unfill
rm -rf "$MNT/res"

# ---- full in the middle: stop, exit 1, the line; resume completes exactly --
"$G" matrix $M --reps 40 --out "$MNT/res" >out 2>err &
mpid=$!
for _ in $(seq 400); do
    f=$(ls "$MNT"/res/*/runs.jsonl 2>/dev/null | head -1)
    [ -n "$f" ] && [ "$(wc -l <"$f")" -ge 3 ] && break
    sleep 0.05
done
fill
wait $mpid
rc=$?
d=$(ls -d "$MNT"/res/*/ | head -1)
d=${d%/}
[ $rc -eq 1 ] && ok || bad "full mid-matrix: rc $rc (want 1): $(tail -3 err)"
grep -q "no space left on $d (appending to runs.jsonl); free space and resume" err && ok \
    || bad "full mid-matrix: message: $(tail -3 err)"
n=$(wc -l <"$d/runs.jsonl")
[ "$n" -ge 3 ] && [ "$n" -lt 80 ] && ok || bad "full mid-matrix: $n lines recorded"
whole_lines "$d/runs.jsonl" && ok || bad "full mid-matrix: a partial line in runs.jsonl"
[ "$(jq -r 'select(.status != "ok") | .cell' "$d/runs.jsonl" | wc -l)" -eq 0 ] && ok \
    || bad "full mid-matrix: the full disk was recorded as a run failure"
[ ! -e "$d/tmp" ] && ok || bad "full mid-matrix: $d/tmp left"
no_temp && ok || bad "temp files left: $(find "$MNT" -name '*.tmp.*')"
# resumed on a disk still full: stops again before any run, nothing lost
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$d/runs.jsonl")" -eq "$n" ] && whole_lines "$d/runs.jsonl" && ok \
    || bad "resume on a full disk: rc $rc, $(wc -l <"$d/runs.jsonl") lines (had $n): $(tail -2 err)"
unfill
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 0 ] && ok || bad "resume after freeing space: rc $rc: $(tail -3 err)"
pairs_recorded "$d" >got
pairs_planned "$d" >want
[ "$(wc -l <want)" -eq 80 ] && cmp -s got want && ok \
    || bad "run set after resume differs from --dry-run: $(diff want got | head -5)"

# ---- full before the end: summary.csv and report.md not written -> exit 1 ---
rm -f "$d/summary.csv" "$d/report.md"
fill
"$G" matrix --resume "$d" >out 2>err
rc=$?
[ $rc -eq 1 ] && ok || bad "full at the end: rc $rc (want 1): $(tail -3 err)"
grep -q "some files were not written" err && ok || bad "full at the end: message: $(tail -3 err)"
[ ! -e "$d/summary.csv" ] && [ ! -e "$d/report.md" ] && ok || bad "full at the end: $(ls "$d")"
no_temp && ok || bad "temp files left: $(find "$MNT" -name '*.tmp.*')"
unfill

# ---- merge --out on a full disk: exit 1, no directory left ---------------
cp -r "$d" src
rm -rf "$MNT/res"
fill
"$G" merge src --out "$MNT/merged" >out 2>err
rc=$?
[ $rc -eq 1 ] && ok || bad "merge on a full disk: rc $rc (want 1): $(cat err)"
grep -q "no space left on" err && ok || bad "merge on a full disk: message: $(cat err)"
[ -z "$(ls -A "$MNT" | grep -v '^filler$')" ] && ok || bad "merge on a full disk left: $(ls -A "$MNT")"
unfill
"$G" merge src --out "$MNT/merged" >out 2>err && [ "$(wc -l <"$MNT/merged/runs.jsonl")" -eq 80 ] && ok \
    || bad "merge after freeing space: $(cat err)"

# ---- trace -o on a full disk: says so (not "the recorder never started") ---
# (not under ASan: the recorder is preloaded into the traced program, and a
# preloaded library cannot come before the ASan runtime)
if [ "${GCB_SANITIZED:-0}" = 1 ]; then
    echo "skipped: trace on a full disk (a preloaded recorder cannot come before the ASan runtime)"
else
fill
"$G" trace -o "$MNT/t.gcbtrace" -- true >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "no space left on the disk of '$MNT/t.gcbtrace'" err && ! grep -q "never started" err && ok \
    || bad "trace on a full disk: rc $rc: $(cat err)"
[ ! -e "$MNT/t.gcbtrace" ] && no_temp && ok || bad "trace on a full disk left: $(ls -A "$MNT")"
unfill
fi

echo "fulldisk: $pass passed, $fail failed"
[ $fail -eq 0 ]
