#!/usr/bin/env bash
# tests/trees.sh - binary-trees prints, line for line, the output the
# Benchmarks Game publishes for N=10 (binarytrees-output.txt); the check
# values are those of the reference programs.  And the scale rule keeps
# the mix of phases of both benchmarks at every scale.
# Usage: trees.sh PATH/TO/gcbench
set -u
G=$1
expected=$(printf '%s\n' \
  $'stretch tree of depth 11\t check: 4095' \
  $'1024\t trees of depth 4\t check: 31744' \
  $'256\t trees of depth 6\t check: 32512' \
  $'64\t trees of depth 8\t check: 32704' \
  $'16\t trees of depth 10\t check: 32752' \
  $'long lived tree of depth 10\t check: 2047')
pass=0 fail=0
got=$("$G" run -a glibc -c rc -w trees -p variant=binarytrees -p depth=10 -p verbose=1 2>&1 >/dev/null)
if [ "$got" = "$expected" ]; then
    pass=$((pass + 1))
else
    echo "FAIL: binary-trees output differs from the published one:" >&2
    diff <(echo "$expected") <(echo "$got") >&2
    fail=$((fail + 1))
fi

# The scale rule (workloads/trees.c): every phase's share of the nodes
# allocated (stretch tree, long-lived tree, GCBench's array, the short-lived
# trees of each depth) is the same at every scale, within 8% of the share
# at scale=1 (or 0.2 percentage points for the smallest phases), and the
# total follows the scale.
phases() {   # variant depth scale -> "name nodes" lines
    "$G" run -a glibc -c rc -w trees -p variant="$1" -p depth="$2" -p scale="$3" -p verbose=2 2>&1 >/dev/null |
        awk '$1 == "phase" {print $2, $3}'
}
for vd in gcbench:10 binarytrees:12; do
    v=${vd%%:*} d=${vd#*:}
    phases "$v" "$d" 1 >/tmp/trees_ref.$$
    for sc in 0.1 0.3 0.55 2.5; do
        phases "$v" "$d" "$sc" >/tmp/trees_got.$$
        if msg=$(awk -v sc="$sc" 'NR == FNR {ref[$1] = $2; rt += $2; next}
                 {got[$1] = $2; gt += $2}
                 END {
                     bad = ""
                     if (gt < 0.9 * sc * rt || gt > 1.1 * sc * rt) bad = bad sprintf(" total %d for %d x %s", gt, rt, sc)
                     for (k in ref) {
                         a = ref[k] / rt; b = got[k] / gt
                         if ((b - a > 0.002 || a - b > 0.002) && (b > 1.08 * a || b < a / 1.08))
                             bad = bad sprintf(" %s %.4f (scale 1: %.4f)", k, b, a)
                     }
                     if (bad != "") { print bad; exit 1 }
                 }' /tmp/trees_ref.$$ /tmp/trees_got.$$); then
            pass=$((pass + 1))
        else
            echo "FAIL: trees variant=$v depth=$d scale=$sc: phase shares differ from scale=1:$msg" >&2
            fail=$((fail + 1))
        fi
    done
done
rm -f /tmp/trees_ref.$$ /tmp/trees_got.$$
echo "trees: $pass passed, $fail failed"
[ $fail -eq 0 ]
