#!/usr/bin/env bash
# tests/cli.sh - the gcbench command as a user meets it: --help everywhere,
# bad input exits 2 with one line, every allocator gives the same checksum,
# the JSON record has its fields, a failed run leaves no file behind.
# Usage: cli.sh PATH/TO/gcbench
set -u
G=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect_usage DESCRIPTION ARGS... : exit 2, exactly one line on stderr, nothing on stdout
expect_usage() {
    local what=$1; shift
    "$G" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    local lines; lines=$(wc -l <"$T/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$T/out" ]; then ok
    else bad "$what: rc=$rc, $lines stderr lines: $(cat "$T/err")"; fi
}

for sub in "" list run; do
    "$G" $sub --help >"$T/out" 2>&1 && grep -q usage "$T/out" && ok || bad "gcbench $sub --help"
done

expect_usage "no command"
expect_usage "unknown command" frobnicate
expect_usage "unknown allocator" run -a nosuch -c rc -w intchurn
expect_usage "unknown collector" run -a glibc -c nosuch -w intchurn
expect_usage "unknown workload" run -a glibc -c rc -w nosuch
expect_usage "unknown param" run -a glibc -c rc -w intchurn -p nosuch=1
expect_usage "malformed param" run -a glibc -c rc -w intchurn -p scale
expect_usage "empty param value" run -a glibc -c rc -w intchurn -p scale=
expect_usage "param not a number" run -a glibc -c rc -w intchurn -p scale=abc
expect_usage "param out of range" run -a glibc -c rc -w intchurn -p small_rate=2
expect_usage "param not among its choices" run -a glibc -c rc -w copies -p copy=sideways
expect_usage "unknown tree variant" run -a glibc -c rc -w trees -p variant=redblack
expect_usage "unknown pool base" run -a pool-huge+nosuch -c rc -w intchurn
expect_usage "unknown pool variant" run -a pool-giant -c rc -w intchurn
expect_usage "missing .so" run -a mine=/nonexistent/libfoo.so -c rc -w intchurn
expect_usage ".so without malloc" run -a mine=$(ls /lib/x86_64-linux-gnu/libz.so.1 2>/dev/null || ls /lib/x86_64-linux-gnu/libm.so.6) -c rc -w intchurn
expect_usage "not a .so" run -a mine=/etc/hostname -c rc -w intchurn
expect_usage "missing -w" run -a glibc -c rc
expect_usage "unknown option" run -a glibc -c rc -w intchurn --bogus
expect_usage "bad seed" run -a glibc -c rc -w intchurn --seed -3
expect_usage "json dir missing" run -a glibc -c rc -w intchurn --json /nonexistent/dir/x.json
expect_usage "list what" list nothing
# run-level threading parameters (docs/threads.md): bad combinations exit 2 before any work
expect_usage "threads without a mode" run -a glibc -c rc -w intchurn -p threads=2
expect_usage "threads=0" run -a glibc -c rc -w intchurn -p threads=0
expect_usage "unknown mode" run -a glibc -c rc -w intchurn -p mode=bogus
expect_usage "switch_interval outside gil" run -a glibc -c rc -w intchurn -p switch_interval=2
expect_usage "gen under ft" run -a glibc -c gen -w intchurn -p mode=ft
expect_usage "pool under ft" run -a pool -c rc -w intchurn -p mode=ft
expect_usage "pool+BASE under atomic" run -a pool+glibc -c rc -w intchurn -p mode=atomic
expect_usage "replay as copies" run -a glibc -c rc -w replay -p threads=2 -p mode=gil
"$G" run -a glibc -c gen -w intchurn -p mode=ft 2>&1 | grep -q "runs in modes default, gil; mode=ft supports rc" && ok \
    || bad "collector/mode message names both sides"
"$G" list collectors | awk '$1 == "rc" && $2 == "default,gil,ft,atomic" { r = 1 } $1 == "gen" && $2 == "default,gil" { g = 1 }
                            END { exit !(r && g) }' && ok || bad "list collectors shows the modes"
"$G" list params | grep -q '^runtime .*threads .*default 1' && ok || bad "list params shows the run-level threads"
[ ! -e /nonexistent/dir/x.json ] && ok || bad "partial json written"


# every allocator, every workload: same checksum; the record has its fields
allocs=$("$G" list allocators | awk '{print $1}' | grep -v -e '[=@]' -e '-ft$')   # mimalloc-ft runs under mode=ft only (tests/threads.sh)
for w in $("$G" list workloads | awk '$1 !~ /^py:/ {print $1}'); do
    ref=""
    for a in $allocs; do
        if ! "$G" run -a "$a" -c rc -w "$w" -p scale=0.02 --json "$T/r.json" >"$T/out" 2>"$T/err"; then
            bad "run $a/$w failed: $(cat "$T/err")"; continue
        fi
        sum=$(grep '"checksum"' "$T/r.json" | tr -d ' ",' | cut -d: -f2)
        [ -n "$ref" ] || ref=$sum
        [ "$sum" = "$ref" ] && ok || bad "$w checksum under $a is $sum, under the first allocator $ref"
        # the allocator really in effect is the one named
        proc=${a#pool-huge+}; proc=${proc#pool+}; proc=${proc%-thp}
        case "$proc" in pool|pool-huge) proc=glibc;; esac
        grep -A3 '"malloc_in_effect"' "$T/r.json" >/dev/null
        ver=$(grep '"malloc_in_effect"' "$T/r.json")
        case "$proc" in
            glibc) echo "$ver" | grep -q glibc && ok || bad "$a: malloc in effect: $ver";;
            tcmalloc) echo "$ver" | grep -q gperftools && ok || bad "$a: malloc in effect: $ver";;
            *) echo "$ver" | grep -q "$proc" && ok || bad "$a: malloc in effect: $ver";;
        esac
    done
done
for f in schema_version allocator collector workload params seed ops ops_per_sec wall_s user_s sys_s \
         peak_rss_bytes live_bytes_peak leaked_objects leaked_bytes checksum context host cpu_model \
         kernel compiler libraries git_commit gc pause_ns; do
    grep -q "\"$f\"" "$T/r.json" && ok || bad "record lacks $f"
done

# mode=gil: threads=1 gives mode=default's checksum; threads=2 copies under
# every preloadable allocator give one checksum, and the record has "threads"
sum_of() { grep '"checksum"' "$1" | head -1 | tr -d ' ",' | cut -d: -f2; }
"$G" run -a glibc -c gen -w trees -p scale=0.02 --json "$T/d.json" >/dev/null 2>&1
"$G" run -a glibc -c gen -w trees -p scale=0.02 -p mode=gil --json "$T/g1.json" >/dev/null 2>&1
[ -n "$(sum_of "$T/d.json")" ] && [ "$(sum_of "$T/d.json")" = "$(sum_of "$T/g1.json")" ] && ok \
    || bad "gil threads=1 checksum differs from default"
ref=""
for a in $allocs; do
    "$G" run -a "$a" -c gen -w trees -p scale=0.02 -p mode=gil -p threads=2 --json "$T/g2.json" >/dev/null 2>"$T/err" \
        || { bad "gil threads=2 under $a failed: $(cat "$T/err")"; continue; }
    [ -n "$ref" ] || ref=$(sum_of "$T/g2.json")
    [ "$(sum_of "$T/g2.json")" = "$ref" ] && ok || bad "gil threads=2 checksum under $a differs"
done
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["threads"]; sys.exit(not (t["mode"]=="gil" and t["threads"]==2 and len(t["per_thread"])==2 and "gil" in t))' "$T/g2.json" \
    && ok || bad "record's threads object"

# mode=ft and mode=atomic run in gcbench-ft / gcbench-atomic (re-exec by
# mode) and, on one thread, compute mode=default's checksums; ft's objects
# are bigger (the 32-byte header), atomic's are not
for w in trees dicts strings lifetimes copies; do
    "$G" run -a glibc -c rc -w "$w" -p scale=0.02 --json "$T/md.json" >/dev/null 2>&1
    for m in ft atomic; do
        for a in glibc $(echo "$allocs" | grep -x mimalloc); do
            "$G" run -a "$a" -c rc -w "$w" -p scale=0.02 -p mode=$m --json "$T/mm.json" >/dev/null 2>"$T/err" \
                || { bad "mode=$m $a/$w failed: $(cat "$T/err")"; continue; }
            [ "$(sum_of "$T/md.json")" = "$(sum_of "$T/mm.json")" ] && ok || bad "mode=$m $a/$w checksum differs from default"
        done
    done
done
imm() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runtime"]["immortal_bytes"])' "$1"; }
"$G" run -a glibc -c rc -w intchurn -p scale=0.01 --json "$T/d0.json" >/dev/null 2>&1
"$G" run -a glibc -c rc -w intchurn -p scale=0.01 -p mode=ft --json "$T/f0.json" >/dev/null 2>&1
"$G" run -a glibc -c rc -w intchurn -p scale=0.01 -p mode=atomic --json "$T/a0.json" >/dev/null 2>&1
[ "$(imm "$T/f0.json")" -gt "$(imm "$T/d0.json")" ] && [ "$(imm "$T/a0.json")" -eq "$(imm "$T/d0.json")" ] && ok \
    || bad "ft's headers are not bigger, or atomic's differ (immortal bytes)"
# mode=atomic and mode=ft on 2 threads: the copies' combined checksum is mode=gil's
for w in trees lifetimes strings; do
    # switch_interval=0.05: the gil copies interleave many times (a state
    # shared between copies, as lifetimes' static wheels were, shows here)
    "$G" run -a glibc -c rc -w "$w" -p scale=0.02 -p mode=gil -p threads=2 -p switch_interval=0.05 \
        --json "$T/g2.json" >/dev/null 2>&1
    for m in atomic ft; do
        "$G" run -a glibc -c rc -w "$w" -p scale=0.02 -p mode=$m -p threads=2 --json "$T/a2.json" >/dev/null 2>"$T/err" \
            || { bad "mode=$m threads=2 $w failed: $(cat "$T/err")"; continue; }
        [ "$(sum_of "$T/g2.json")" = "$(sum_of "$T/a2.json")" ] && ok || bad "mode=$m threads=2 $w checksum differs from gil's"
    done
done

# a user-named library works and is the one in effect
je=$(ldconfig -p | awk '/libjemalloc.so.2 /{print $NF; exit}')
if [ -n "$je" ]; then
    "$G" run -a myje="$je" -c rc -w intchurn -p scale=0.01 --json "$T/u.json" >/dev/null 2>"$T/err" \
        && grep -q '"allocator": "myje"' "$T/u.json" && grep -q '"malloc_in_effect": "jemalloc' "$T/u.json" \
        && ok || bad "user .so allocator: $(cat "$T/err")"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
