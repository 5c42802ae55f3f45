#!/usr/bin/env bash
# tests/cluster_parallel.sh - a matrix as 3 shards through GNU parallel, the
# real engine, on this machine: `gcbench matrix --emit parallel` writes the
# command file, parallel runs it; one shard is killed (SIGKILL) mid-way, so
# merge refuses the missing runs; a second run of the same command file
# resumes that shard; the merge (the emitted merge.sh) then has exactly the
# run set of an unsharded run of the same plan, and its report is written.
# Exit 77 (skipped) when GNU parallel is not installed (scripts/setup
# installs it).
# Usage: cluster_parallel.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
if ! command -v parallel >/dev/null 2>&1; then
    echo "skipped: GNU parallel is not installed (apt-get install parallel; scripts/setup does)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
runs() { for d in "$@"; do grep -o '"cell":"[^"]*"\|"repetition":[0-9]*' "$d/runs.jsonl" | paste - -; done | sort; }

P=(-a glibc,pool -c rc,gen -w intchurn,cycles -p scale=0.005 --reps 6 --mem-limit 1G --no-timeline)
"$G" matrix "${P[@]}" --emit parallel --shards 3 --order-seed 5 --out "$T/em" >emit.out 2>emit.err \
    && ok || bad "--emit parallel: $(cat emit.err)"
grep -q "^parallel --jobs 3 :::: $T/em/parallel.txt" emit.out && ok || bad "emit printed: $(cat emit.out)"

# the first pass, shard 1 killed once it has recorded two runs
parallel --jobs 3 :::: em/parallel.txt >par1.out 2>&1 &
par=$!
S1=em/shard-1-of-3
pid=
for _ in $(seq 1 3000); do
    if [ -f $S1/runs.jsonl ] && [ "$(grep -c . $S1/runs.jsonl)" -ge 2 ]; then
        pid=$(pgrep -o -f -- "--shard 1/3 --shard-by cell --out $T/em\$")
        break
    fi
    sleep 0.02
done
[ -n "$pid" ] && kill -KILL "$pid" && ok || bad "could not kill shard 1 mid-way"
wait $par
rc=$?
[ $rc -ne 0 ] && ok || bad "parallel reported success although shard 1 was killed"
for k in 0 2; do
    grep -q '"finished"' em/shard-$k-of-3/run.json && ok || bad "shard $k did not finish: $(tail -3 par1.out)"
done
planned1=$(python3 -c 'import json; print(json.load(open("'$S1'/run.json"))["runs_planned"])')
[ "$(grep -c . $S1/runs.jsonl)" -lt "$planned1" ] && ok || bad "shard 1 was complete before the kill"

# merge refuses the missing runs, naming the shard and its resume command
"$G" merge em/shard-0-of-3 $S1 em/shard-2-of-3 --out "$T/x" >/dev/null 2>merge1.err
[ $? -eq 2 ] && [ "$(wc -l <merge1.err)" -eq 1 ] && grep -q "resume $S1\|resume $T/$S1" merge1.err && ok \
    || bad "merge of an incomplete shard: $(cat merge1.err)"

# the same command file again: shard 1 resumes, the others have nothing to do
parallel --jobs 3 :::: em/parallel.txt >par2.out 2>&1 && ok || bad "second parallel pass: $(tail -5 par2.out)"
grep -q "resuming" par2.out && ok || bad "the second pass did not resume"
[ "$(grep -c . $S1/runs.jsonl)" -eq "$planned1" ] && ok || bad "shard 1 has $(grep -c . $S1/runs.jsonl) of $planned1 runs"

sh em/merge.sh >merge.out 2>merge.err && ok || bad "merge.sh: $(tail -3 merge.err)"
[ -s em/merged/report.md ] && ok || bad "no report of the merge"
"$G" matrix --spec em/plan.spec --order-seed 5 --out full >/dev/null 2>full.err && ok || bad "unsharded: $(tail -2 full.err)"
runs full/* >full.set
runs em/merged >merged.set
[ "$(wc -l <full.set)" -eq 48 ] && ok || bad "the unsharded run has $(wc -l <full.set) runs"
cmp -s full.set merged.set && ok || bad "merged run set differs from the unsharded plan: $(diff full.set merged.set | head)"
runs em/shard-0-of-3 em/shard-1-of-3 em/shard-2-of-3 | cmp -s - full.set && ok || bad "the shards overlap or miss runs"
echo "cluster_parallel: 3 shards through GNU parallel (one killed and resumed), merged run set = unsharded plan: $(wc -l <merged.set) runs" >&2

echo "cluster_parallel: $pass passed, $fail failed"
[ $fail -eq 0 ]
