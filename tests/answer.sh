#!/usr/bin/env bash
# tests/answer.sh - report.md's Answer (bench/report/answer.c) on a made-up
# result directory of known values: configurations compete only within one
# threading (mode, threads).
#   - churn_ft at mode=ft, threads 1 and 2 (glibc/rc, glibc/ftgc,
#     mimalloc/rc): one row per thread count, each naming its own fastest
#     and smallest cell against its own runner-up, exact margins and p;
#     the 2-thread cells, twice as fast, never beat a 1-thread cell;
#   - prodcons at threads=2, mode ft and gil: a row per mode;
#   - intchurn, one threading: one row named as before, with its rankings
#     under gen and under pool;
#   - the text says why a workload has several rows, and a result set
#     without threadings (intchurn alone) does not.
# The records are copies of the committed reference run's first one
# (results/reference) with the cell, parameters, ops/s and peak RSS
# replaced: 5 runs a cell, 1% apart, cells 5-10% apart, so every median
# ratio is the bases' ratio and every neighbour pair's Mann-Whitney p is
# the exact 2/252 = 0.0079.
# Usage: answer.sh PATH/TO/gcbench
set -u
G=$(readlink -f "$1")
REF="$(dirname "$(readlink -f "$0")")/../results/reference"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# make DIR WORKLOADS: the made-up result directory, the workloads' cells only
make() {
    python3 - "$REF" "$1" "$2" <<'EOF'
import json, os, sys
ref, out, wls = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
tmpl = next(json.loads(l) for l in open(os.path.join(ref, "runs.jsonl")) if json.loads(l)["status"] == "ok")
M = 1000000
# (allocator, collector, workload, params, ops/s base, peak RSS base)
CELLS = [
    ("glibc", "gen", "intchurn", {}, 2.0 * M, 33 * M),
    ("pool", "gen", "intchurn", {}, 3.0 * M, 30 * M),
    ("pool", "rc", "intchurn", {}, 3.3 * M, 36 * M),
    ("glibc", "rc", "churn_ft", {"mode": "ft", "threads": "1"}, 1.0 * M, 40 * M),
    ("glibc", "ftgc", "churn_ft", {"mode": "ft", "threads": "1"}, 0.8 * M, 48 * M),
    ("mimalloc", "rc", "churn_ft", {"mode": "ft", "threads": "1"}, 1.1 * M, 44 * M),
    ("glibc", "rc", "churn_ft", {"mode": "ft", "threads": "2"}, 1.9 * M, 66 * M),
    ("glibc", "ftgc", "churn_ft", {"mode": "ft", "threads": "2"}, 1.5 * M, 60 * M),
    ("mimalloc", "rc", "churn_ft", {"mode": "ft", "threads": "2"}, 2.0 * M, 72 * M),
    ("glibc", "rc", "prodcons", {"mode": "ft", "threads": "2"}, 3.0 * M, 50 * M),
    ("glibc", "rc", "prodcons", {"mode": "gil", "threads": "2"}, 1.0 * M, 45 * M),
]
CELLS = [c for c in CELLS if c[2] in wls]
names, k = [], 0
os.makedirs(out)
with open(os.path.join(out, "runs.jsonl"), "w") as f:
    for alloc, coll, wl, p, ops, rss in CELLS:
        p = dict(p, scale="0.01")
        cell = "/".join([alloc, coll, wl] + ["%s=%s" % kv for kv in sorted(p.items())])
        names.append(cell)
        for rep in range(5):
            x = json.loads(json.dumps(tmpl))
            x.update(allocator=alloc, collector=coll, workload=wl, cell=cell, params=p, repetition=rep, order_index=k)
            x.pop("threads", None)
            x["ops_per_sec"] = ops * (1 + 0.01 * rep)
            x["process"]["peak_rss_bytes"] = int(rss * (1 + 0.01 * rep))
            x["peak_rss_bytes"] = x["process"]["peak_rss_bytes"] - 8192
            f.write(json.dumps(x) + "\n")
            k += 1
run = json.load(open(os.path.join(ref, "run.json")))
run.pop("budget", None)
run["spec"].update(allocators=["glibc", "mimalloc", "pool"], collectors=["rc", "gen", "ftgc"], workloads=wls,
                   reps=5, params=[{"key": "scale", "values": ["0.01"]}])
run.update(cells=names, runs_planned=k, runs_failed=0)
json.dump(run, open(os.path.join(out, "run.json"), "w"))
EOF
}

make "$T/a" intchurn,churn_ft,prodcons || { echo "FAIL: made-up result directory"; exit 1; }
GCBENCH_GNUPLOT=none "$G" report "$T/a" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 4 ] && ok || bad "report exited $rc: $(tail -2 "$T/err")"
sed -n '/^## Answer/,/^## [^A]/p' "$T/a/report.md" >"$T/answer"
P='(p 0.0079)'
for row in \
    "| intchurn | **pool/rc** ×1.1 over pool/gen $P | **pool/gen** ×1.1 over glibc/gen $P | pool > glibc | rc > gen |" \
    "| churn_ft (mode=ft, threads=1) | **mimalloc/rc** ×1.1 over glibc/rc $P | **glibc/rc** ×1.1 over mimalloc/rc $P | - | - |" \
    "| churn_ft (mode=ft, threads=2) | **mimalloc/rc** ×1.05 over glibc/rc $P | **glibc/ftgc** ×1.1 over glibc/rc $P | - | - |" \
    "| prodcons (mode=ft, threads=2) | **glibc/rc** (only configuration) | **glibc/rc** (only configuration) | - | - |" \
    "| prodcons (mode=gil, threads=2) | **glibc/rc** (only configuration) | **glibc/rc** (only configuration) | - | - |"; do
    grep -qxF -- "$row" "$T/answer" && ok || bad "the Answer has no row '$row': $(grep -F "| ${row:2:8}" "$T/answer")"
done
R='^\| [a-z_]+ (\(mode=[a-z]+, threads=[0-9]+\) )?\| \*\*'
[ "$(grep -cE "$R" "$T/answer")" -eq 5 ] && ok || bad "the Answer has not 5 rows: $(grep -E "$R" "$T/answer")"
grep -q 'threads=[12]\*\*\|over [a-z/]* threads=' "$T/answer" && bad "a cell named with its threads= in the Answer" || ok
grep -q 'has a row per threading, and each row compares that threading.s configurations only' "$T/answer" && ok \
    || bad "the Answer does not say why churn_ft has two rows"

# one threading only: one row, and nothing said of threadings
make "$T/b" intchurn || { echo "FAIL: made-up result directory"; exit 1; }
GCBENCH_GNUPLOT=none "$G" report "$T/b" >/dev/null 2>&1
grep -q 'row per threading' "$T/b/report.md" && bad "one threading: the Answer speaks of threadings" || ok
[ "$(grep -c '^| intchurn | \*\*pool/rc\*\*' "$T/b/report.md")" -eq 1 ] && ok || bad "one threading: no intchurn row"

echo "answer: $pass passed, $fail failed"
[ $fail -eq 0 ]
