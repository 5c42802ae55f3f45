#!/usr/bin/env bash
# tests/trees.sh - binary-trees prints, line for line, the output the
# Benchmarks Game publishes for N=10 (binarytrees-output.txt); the check
# values are those of the reference programs.
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
got=$("$G" run -a glibc -c rc -w trees -p variant=binarytrees -p depth=10 -p verbose=1 2>&1 >/dev/null)
if [ "$got" = "$expected" ]; then
    echo "binarytrees: 1 passed, 0 failed"
else
    echo "FAIL: binary-trees output differs from the published one:" >&2
    diff <(echo "$expected") <(echo "$got") >&2
    echo "binarytrees: 0 passed, 1 failed"
    exit 1
fi
