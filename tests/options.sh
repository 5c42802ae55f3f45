#!/usr/bin/env bash
# tests/options.sh - the runtime's and the allocator's -p rows
# (runtime/options.c, allocators/process.c): bad values exit 2 with one
# line; the record carries the effective value of every parameter of the
# cell, defaults included; sized free is off unless asked for, and the
# record names the entry point it went through.
# Usage: options.sh PATH/TO/gcbench [PATH/TO/libsizedcheck.so]
set -u
G=$1
SIZEDCHECK=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# jget FILE EXPR: a python expression over the record r
jget() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }

expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$? lines; lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$T/out" ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(cat "$T/err")"; fi
}
expect_usage "sized_free out of range" run -a glibc -c rc -w intchurn -p sized_free=2
expect_usage "unknown free lists" run -a glibc -c rc -w intchurn -p freelists=some
expect_usage "unknown instance layout" run -a glibc -c rc -w trees -p instance_layout=3.10
grep -q "instance_layout.*3.13|3.14|3.12|3.11|combined" "$T/err" && ok || bad "layout message lists the choices: $(cat "$T/err")"

# effective parameters: every row of the four tables, defaults included
"$G" run -a glibc -c gen -w intchurn -p scale=0.01 --json "$T/r.json" >/dev/null || bad "run failed"
for kv in scale=0.01 float_rate=0.25 threshold1=10 generations=3 instance_layout=3.13 freelists=cpython sized_free=0; do
    got=$(jget "$T/r.json" "r['params_effective'].get('${kv%%=*}')")
    [ "$got" = "${kv#*=}" ] && ok || bad "params_effective ${kv%%=*} is '$got', expected '${kv#*=}'"
done
# gen's preset: the effective thresholds of the preset, a given value wins
for pc in ":2000:0" "cpython=3.13:2000:1" "cpython=3.12:700:1" "cpython=3.12,threshold0=50:50:1"; do
    IFS=: read -r given t0 ud <<<"$pc"
    args=(); for kv in ${given//,/ }; do args+=(-p "$kv"); done
    "$G" run -a glibc -c gen -w intchurn -p scale=0.01 "${args[@]}" --json "$T/p.json" >/dev/null || bad "gen $given failed"
    got=$(jget "$T/p.json" "r['params_effective']['threshold0'], r['params_effective']['untrack_dicts']")
    [ "$got" = "$t0 $ud" ] && ok || bad "gen $given: effective threshold0/untrack_dicts $got, expected $t0/$ud"
done
expect_usage "unknown cpython preset" run -a glibc -c gen -w intchurn -p cpython=3.11
[ "$(jget "$T/r.json" "len(r['params'])")" = 1 ] && ok || bad "params holds only what was given"
[ "$(jget "$T/r.json" "r['allocator_stats']['sized_free']")" = None ] && ok || bad "sized free is off by default"
"$G" list params | grep -q "^runtime .*instance_layout" && ok || bad "list params shows the runtime's rows"
"$G" list params | grep -q "^allocator .*sized_free" && ok || bad "list params shows the allocator's rows"

# sized free: off by default under every library, on through its entry point when asked
for a in $("$G" list allocators | awk '{print $1}' | grep -E '^(jemalloc|mimalloc|tcmalloc)$'); do
    case $a in jemalloc) want=sdallocx;; mimalloc) want=mi_free_size;; tcmalloc) want=tc_free_sized;; esac
    for s in 0 1; do
        "$G" run -a "$a" -c rc -w intchurn -p scale=0.01 -p sized_free=$s --json "$T/s.json" >/dev/null 2>"$T/err" \
            || { bad "$a sized_free=$s failed: $(cat "$T/err")"; continue; }
        got=$(jget "$T/s.json" "r['allocator_stats']['sized_free']")
        [ $s = 0 ] && exp=None || exp=$want
        [ "$got" = "$exp" ] && ok || bad "$a sized_free=$s frees through '$got', expected '$exp'"
    done
done
"$G" run -a glibc -c rc -w intchurn -p scale=0.01 -p sized_free=1 --json "$T/g.json" >/dev/null || bad "glibc sized_free=1"
[ "$(jget "$T/g.json" "r['allocator_stats']['sized_free']")" = None ] && ok || bad "glibc has no sized free"

# sized free names the block's real size class, also after a realloc shrank
# it (tcmalloc keeps a block whose new size is at least half its class;
# tests/sizedcheck.c aborts on a wrong class): every workload, small scale
if [ -n "$SIZEDCHECK" ]; then
    for w in $("$G" list workloads | awk '{print $1}'); do
        [ "$w" = replay ] && continue   # replays a trace's sizes, not the runtime's
        "$G" run -a "chk=$SIZEDCHECK" -c rc -w "$w" -p scale=0.01 -p sized_free=1 >/dev/null 2>"$T/err" \
            && ok || bad "$w under sized free: $(grep -m1 sizedcheck "$T/err" || tail -1 "$T/err")"
    done
else
    echo "skipped: the sized-free class check (tcmalloc not found)"
fi

# the layout and the free lists change bytes, never the work: every workload, every layout and freelists=none,
# the same ops and checksum (gen and marksweep: cycles and tracing too)
small() {
    case $1 in
        trees) echo "-p depth=8 -p scale=0.05";; traversal) echo "-p scale=0.05 -p levels=200";;
        replay) echo "-p scale=0.001";; cycles) echo "-p scale=0.01 -p ring_every=400 -p rings=5";;
        dicts) echo "-p scale=0.01 -p attrs=40";;   # past 30 names: materialized dicts too
        *) echo "-p scale=0.01";;
    esac
}
for w in $("$G" list workloads | awk '{print $1}'); do
    ref=""
    for c in gen marksweep; do
        for l in 3.13 3.12 3.11 combined 3.13/none; do
            fl=cpython; case $l in */none) l=${l%/none}; fl=none;; esac
            # shellcheck disable=SC2046
            "$G" run -a pool -c $c -w "$w" $(small "$w") -p instance_layout=$l -p freelists=$fl --json "$T/l.json" >/dev/null 2>"$T/err" \
                || { bad "$w $c layout $l failed: $(cat "$T/err")"; continue; }
            got=$(jget "$T/l.json" "r['ops'], r['checksum'], r['leaked_objects']")
            [ -n "$ref" ] || ref=$got
            [ "$got" = "$ref" ] && ok || bad "$w $c layout $l: ops/checksum/leak $got, first $ref"
        done
    done
done

echo "options: $pass passed, $fail failed"
[ $fail -eq 0 ]
