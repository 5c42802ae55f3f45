#!/usr/bin/env bash
# tests/checksums.sh - every workload computes the same ops and checksum
# under every allocator x collector pair (all that `gcbench list` shows),
# and under mode=ft with ftgc,
# at a small scale; and a collector that claims to be complete leaves no
# leak, while an incomplete one (rc) leaks exactly cyclic_garbage_objects.
# Usage: checksums.sh PATH/TO/gcbench
set -u
G=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
field() { grep "\"$1\"" "$2" | head -1 | tr -d ' ",' | cut -d: -f2; }

# small parameters per workload (default: scale=0.01)
params() {
    case $1 in
        trees) echo "-p depth=8 -p scale=0.05";;
        traversal) echo "-p scale=0.05 -p levels=200";;
        copies) echo "-p scale=0.02";;
        replay) echo "-p scale=0.001";;
        cycles) echo "-p scale=0.01 -p ring_every=400 -p rings=5";;
        *) echo "-p scale=0.01";;
    esac
}

allocs=$("$G" list allocators | awk '{print $1}' | grep -v -e '[=@]' -e '-ft$')   # mimalloc-ft runs under mode=ft only (tests/threads.sh)
colls=$("$G" list collectors | awk '$2 ~ /default/ {print $1}')   # ftgc runs under mode=ft only (tests/threads.sh)
for w in $("$G" list workloads | awk '$1 !~ /^py:/ {print $1}'); do
    ref=""
    for c in $colls; do
        for a in $allocs; do
            # shellcheck disable=SC2046
            if ! "$G" run -a "$a" -c "$c" -w "$w" $(params "$w") --json "$T/r.json" >"$T/out" 2>"$T/err"; then
                bad "$w under $a/$c failed: $(cat "$T/err")"; continue
            fi
            got="$(field ops "$T/r.json") $(field checksum "$T/r.json")"
            [ -n "$ref" ] || ref=$got
            [ "$got" = "$ref" ] && ok || bad "$w under $a/$c: ops/checksum $got, first cell $ref"
            leaked=$(field leaked_objects "$T/r.json") cyc=$(field cyclic_garbage_objects "$T/r.json")
            [ "$leaked" -le "$cyc" ] && ok || bad "$w under $a/$c leaks $leaked objects, more than its $cyc cyclic garbage"
        done
    done
    # the free-threaded runtime (mode=ft: biased counts, ftgc, the slot
    # table) does the same work, and ftgc, being complete, leaks nothing
    for a in glibc mimalloc-ft; do
        case " $("$G" list allocators | awk '{print $1}' | tr '\n' ' ') " in *" $a "*) ;; *) continue;; esac
        # shellcheck disable=SC2046
        if ! "$G" run -a "$a" -c ftgc -w "$w" -p mode=ft $(params "$w") --json "$T/r.json" >"$T/out" 2>"$T/err"; then
            bad "$w under $a/ftgc mode=ft failed: $(cat "$T/err")"; continue
        fi
        got="$(field ops "$T/r.json") $(field checksum "$T/r.json")"
        [ "$got" = "$ref" ] && ok || bad "$w under $a/ftgc mode=ft: ops/checksum $got, first cell $ref"
        [ "$(field leaked_objects "$T/r.json")" = 0 ] && ok || bad "$w under $a/ftgc mode=ft leaks"
    done
done
echo "checksums: $pass passed, $fail failed"
[ $fail -eq 0 ]
