#!/usr/bin/env bash
# tests/cluster.sh - a matrix split into shards (docs/cluster.md): the
# shards' run sets are disjoint, deterministic and their union is exactly
# the unsharded plan, by cell and by rep, as planned (--dry-run) and as run
# (runs.jsonl); merge makes one result of them and refuses shards of
# different plans, a shard twice, a run twice, a missing shard (unless
# --partial, which says what is missing); a killed shard resumes; compare
# refuses cells of different hosts; report names the hosts; --emit writes
# the files with the exact flags; bad input exits 2 with one line.
# Hosts are named with GCBENCH_HOST (documented), as machines of a cluster.
# Usage: cluster.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

expect_usage() { # DESCRIPTION ARGS...: exit 2, exactly one line on stderr
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(head -3 "$T/err")"; fi
}
# runs DIR...: "cell rep" per line of their runs.jsonl, sorted (duplicates kept)
runs() { for d in "$@"; do grep -o '"cell":"[^"]*"\|"repetition":[0-9]*' "$d/runs.jsonl" | paste - -; done | sort; }
# dry DIR: the runs a --dry-run listed, as "INDEX CELL REP" from the json names
dry() { sed 's/.*run-\([0-9]*\)-c\([0-9]*\)-r\([0-9]*\)\.json.*/\1 \2 \3/' "$1" | sort; }

P=(-a glibc,pool -c rc,gen -w intchurn,cycles -p scale=0.005 --reps 3 --mem-limit 1G --no-timeline)

# ---- bad input -------------------------------------------------------------
expect_usage "--shard 0/0" matrix --shard 0/0 --order-seed 1 --dry-run
expect_usage "--shard 3/2" matrix --shard 3/2 --order-seed 1 --dry-run
expect_usage "--shard a/2" matrix --shard a/2 --order-seed 1 --dry-run
expect_usage "--shard 1/x" matrix --shard 1/x --order-seed 1 --dry-run
expect_usage "--shard 1.5/2" matrix --shard 1.5/2 --order-seed 1 --dry-run
expect_usage "--shard without /" matrix --shard 2 --order-seed 1 --dry-run
expect_usage "--shard without seed" matrix "${P[@]}" --shard 0/2 --dry-run
expect_usage "--emit unknown" matrix --emit pbs
expect_usage "--shards without --emit" matrix --shards 3 --dry-run
expect_usage "--shard-by bad" matrix --shard 0/2 --shard-by host --order-seed 1 --dry-run
expect_usage "--shard with --emit" matrix --shard 0/2 --emit slurm
expect_usage "--shard with a budget" matrix -a glibc -c rc -w intchurn --budget 10 --shard 0/2 --order-seed 1 --dry-run
expect_usage "more shards than cells" matrix "${P[@]}" --shard 0/9 --order-seed 1 --dry-run
expect_usage "by rep, more shards than reps" matrix "${P[@]}" --shard 0/4 --shard-by rep --order-seed 1 --dry-run
grep -q "at least 4 repetitions" err && ok || bad "by rep message: $(cat err)"

# ---- the plan: union == unsharded, disjoint, deterministic -----------------
"$G" matrix "${P[@]}" --order-seed 11 --dry-run --out d >all.txt 2>/dev/null
dry all.txt >all.set
[ "$(wc -l <all.set)" -eq 24 ] && ok || bad "unsharded plan has $(wc -l <all.set) runs, not 24"
for by in cell rep; do
    for k in 0 1 2; do
        "$G" matrix "${P[@]}" --order-seed 11 --dry-run --out d --shard $k/3 --shard-by $by >s$k.txt 2>/dev/null
        "$G" matrix "${P[@]}" --order-seed 11 --dry-run --out d --shard $k/3 --shard-by $by >t$k.txt 2>/dev/null
        cmp -s s$k.txt t$k.txt && ok || bad "by $by: shard $k/3 is not deterministic"
        [ -s s$k.txt ] && ok || bad "by $by: shard $k/3 is empty"
    done
    cat s0.txt s1.txt s2.txt >u.txt
    dry u.txt >u.set
    cmp -s u.set all.set && ok || bad "by $by: the union of the shards is not the plan: $(diff u.set all.set | head -5)"
    [ -z "$(cut -d' ' -f1 u.set | uniq -d)" ] && ok || bad "by $by: shards overlap"
    sort s0.txt s1.txt s2.txt | cmp -s - <(sort all.txt) && ok || bad "by $by: the shards' commands differ from the plan's"
    if [ $by = cell ]; then # a cell is in one shard only, and every shard mixes cells
        for k in 0 1 2; do dry s$k.txt | cut -d' ' -f2 | sort -u >c$k; done
        [ -z "$(sort c0 c1 c2 | uniq -d)" ] && ok || bad "by cell: a cell is in two shards"
        [ "$(wc -l <c0)" -ge 2 ] && ok || bad "by cell: shard 0 has one cell"
    else # every shard has every cell, repetition k
        for k in 0 1 2; do
            [ "$(dry s$k.txt | cut -d' ' -f3 | sort -u)" = "$k" ] && ok || bad "by rep: shard $k holds other reps"
            [ "$(dry s$k.txt | cut -d' ' -f2 | sort -u | wc -l)" -eq 8 ] && ok || bad "by rep: shard $k lacks cells"
        done
    fi
done
# another seed, another plan
"$G" matrix "${P[@]}" --order-seed 12 --dry-run --out d --shard 0/3 2>o.err >/dev/null
"$G" matrix "${P[@]}" --order-seed 11 --dry-run --out d --shard 0/3 2>p.err >/dev/null
[ "$(grep -o 'plan [0-9a-f]*' o.err)" != "$(grep -o 'plan [0-9a-f]*' p.err)" ] && ok || bad "seeds 11 and 12: one plan id"

# ---- real runs: 3 shards on 3 "hosts", merged == an unsharded run ----------
"$G" matrix "${P[@]}" --order-seed 11 --out full >/dev/null 2>full.err && ok || bad "unsharded run: $(tail -2 full.err)"
for k in 0 1 2; do
    GCBENCH_HOST=node$k "$G" matrix "${P[@]}" --order-seed 11 --shard $k/3 --out sh >/dev/null 2>sh$k.err \
        && ok || bad "shard $k: $(tail -2 sh$k.err)"
done
[ -d sh/shard-0-of-3 ] && [ -d sh/shard-2-of-3 ] && ok || bad "shard directories: $(ls sh)"
grep -q '"shard": "1/3"' sh/shard-1-of-3/run.json && grep -q '"plan_id"' sh/shard-1-of-3/run.json && ok \
    || bad "run.json lacks the shard: $(grep shard sh/shard-1-of-3/run.json)"
grep -q '"host":"node1"' sh/shard-1-of-3/runs.jsonl && ! grep -q '"host":"node0"' sh/shard-1-of-3/runs.jsonl && ok \
    || bad "shard 1's runs are not on node1"
F=$(echo full/*)
runs "$F" >full.set
runs sh/shard-0-of-3 sh/shard-1-of-3 sh/shard-2-of-3 >shards.set
cmp -s full.set shards.set && ok || bad "shards ran another run set: $(diff full.set shards.set | head)"
"$G" merge sh/shard-2-of-3 sh/shard-0-of-3 sh/shard-1-of-3 --out merged 2>merge.err && ok || bad "merge: $(cat merge.err)"
runs merged >merged.set
cmp -s full.set merged.set && ok || bad "merged run set differs from the unsharded plan"
echo "cluster: merged run set of 3 shards = unsharded plan: $(wc -l <merged.set) runs, $(cut -f1 merged.set | sort -u | wc -l) cells" >&2
python3 - merged <<'X' && ok || bad "merged run.json"
import json, sys
d = json.load(open(sys.argv[1] + "/run.json"))
assert d["shards"] == 3 and d["runs_planned"] == 24 and d["partial"] is False, d
assert sorted(d["hosts"]) == ["node0", "node1", "node2"] and sum(d["hosts"].values()) == 24, d["hosts"]
assert d["mixed_hosts"] is False
X
"$G" report merged --no-plots 2>rep.err && ok || bad "report of the merge: $(cat rep.err)"
grep -q '^| hosts | 3 machines' merged/report.md && ok || bad "report has no hosts row"
grep -q '^Hosts: the runs shown here came from' merged/report.md && ok || bad "report has no host note beside tables"
# compare: cells of different hosts refused, allowed when asked
expect_usage "compare across hosts" compare merged allocator=glibc allocator=pool
grep -q "not an allocator difference" err && ok || bad "compare message: $(cat err)"
"$G" compare merged allocator=glibc allocator=pool --allow-mixed-hosts >/dev/null 2>cmp.err && ok \
    || bad "compare --allow-mixed-hosts: $(cat cmp.err)"
"$G" compare "$F" "$F" >/dev/null 2>&1 && ok || bad "compare on one host refused"

# ---- merge refusals ----------------------------------------------------------
expect_usage "merge: a shard twice" merge sh/shard-0-of-3 sh/shard-0-of-3 sh/shard-1-of-3 --out x1
expect_usage "merge: missing shard" merge sh/shard-0-of-3 sh/shard-1-of-3 --out x2
grep -q "shard 2/3 not given" err && grep -q -- "--partial" err && ok || bad "missing shard message: $(cat err)"
[ ! -e x2/run.json ] && ok || bad "a refused merge wrote x2"
"$G" merge sh/shard-0-of-3 sh/shard-1-of-3 --out part --partial 2>part.err && ok || bad "--partial: $(cat part.err)"
grep -q "are missing" part.err && ok || bad "--partial does not say what is missing"
n_missing=$(python3 -c 'import json; print(len(json.load(open("part/run.json"))["missing_runs"]))')
[ "$n_missing" -eq "$(grep -c . sh/shard-2-of-3/runs.jsonl)" ] && ok || bad "--partial lists $n_missing missing runs"
GCBENCH_HOST=node0 "$G" matrix "${P[@]}" --order-seed 99 --shard 0/3 --out other >/dev/null 2>&1
expect_usage "merge: different plans" merge other/shard-0-of-3 sh/shard-1-of-3 sh/shard-2-of-3 --out x3
grep -q "different plans" err && ok || bad "plan mismatch message: $(cat err)"
expect_usage "merge: shards and a whole result" merge sh/shard-0-of-3 "$F" --out x4
cp -r sh/shard-1-of-3 dup && sed -n 1p sh/shard-1-of-3/runs.jsonl >>dup/runs.jsonl
expect_usage "merge: a run twice" merge sh/shard-0-of-3 dup sh/shard-2-of-3 --out x5
grep -q "recorded twice" err && ok || bad "duplicate run message: $(cat err)"

# ---- resume of a killed shard --------------------------------------------------
"$G" matrix "${P[@]}" --order-seed 11 --shard 1/3 --out rs >/dev/null 2>&1
head -n 2 rs/shard-1-of-3/runs.jsonl >rs/cut && mv rs/cut rs/shard-1-of-3/runs.jsonl
expect_usage "shard directory exists" matrix "${P[@]}" --order-seed 11 --shard 1/3 --out rs
grep -q -- "--resume" err && ok || bad "existing shard dir message: $(cat err)"
expect_usage "resume as another shard" matrix --resume rs/shard-1-of-3 --shard 0/3
"$G" matrix --resume rs/shard-1-of-3 >/dev/null 2>rs.err && ok || bad "resume of a shard: $(tail -2 rs.err)"
runs rs/shard-1-of-3 | cmp -s - <(runs sh/shard-1-of-3) && ok || bad "resumed shard has another run set"

# ---- --emit --------------------------------------------------------------------
"$G" matrix "${P[@]}" --emit parallel --shards 3 --order-seed 11 --out em >em.out 2>em.err && ok \
    || bad "--emit parallel: $(cat em.err)"
[ "$(wc -l <em/parallel.txt)" -eq 3 ] && ok || bad "parallel.txt has $(wc -l <em/parallel.txt) lines"
grep -q -- "--order-seed 11 --shard \"2/3\" --shard-by cell" em/parallel.txt && ok || bad "parallel.txt flags"
grep -q "parallel --jobs 3 :::: $T/em/parallel.txt" em.out && ok || bad "emit does not print the parallel command"
"$G" matrix --spec em/plan.spec --order-seed 11 --dry-run --shard 2/3 --out d >e2.txt 2>e2.err
"$G" matrix "${P[@]}" --order-seed 11 --dry-run --shard 2/3 --out d >s2.txt 2>s2.err
cmp -s e2.txt s2.txt && cmp -s e2.err s2.err && ok || bad "plan.spec's shard 2/3 differs from the command line's"
"$G" matrix --spec em/plan.spec --order-seed 11 --dry-run --out d >eall.txt 2>/dev/null
cmp -s <(dry eall.txt) all.set && ok || bad "plan.spec is another plan"
"$G" matrix "${P[@]}" --emit slurm --shards 3 --shard-by rep --order-seed 11 --out es >/dev/null 2>es.err && ok \
    || bad "--emit slurm: $(cat es.err)"
grep -q '^#SBATCH --array=0-2$' es/gcbench.sbatch && grep -q '^#SBATCH --mem=1536M$' es/gcbench.sbatch && ok \
    || bad "sbatch header: $(grep SBATCH es/gcbench.sbatch)"
grep -q 'shard "$K/3" --shard-by rep' es/gcbench.sbatch && ok || bad "sbatch command"
sh -n es/gcbench.sbatch && sh -n es/merge.sh && ok || bad "emitted scripts are not valid sh"
expect_usage "--emit into an emitted dir" matrix "${P[@]}" --emit slurm --out es

echo "cluster: $pass passed, $fail failed"
[ $fail -eq 0 ]
