#!/usr/bin/env bash
# tests/threads.sh - the cooperative workloads (prodcons, shared, churn_ft)
# under threads: exact ops and one checksum per workload and thread count
# across modes, allocators, collectors and repeated runs (schedules
# differ); exact cross_thread_drops; the threads record fields; exit 2 for
# bad role counts and pool under ft.  Modes ft and atomic join the threaded
# sets as soon as this build runs them with threads > 1 (probed).
# Usage: threads.sh PATH/TO/gcbench
set -u
G=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }

# run OUT ALLOC COLL WL ARGS... : one cell, its record in $T/OUT.json
run() {
    local out=$1 a=$2 c=$3 w=$4; shift 4
    if ! "$G" run -a "$a" -c "$c" -w "$w" "$@" --json "$T/$out.json" >"$T/out" 2>"$T/err"; then
        bad "$w $a/$c $*: $(cat "$T/err")"; return 1
    fi
}

threaded_modes=gil
for m in ft atomic; do
    "$G" run -a glibc -c rc -w churn_ft -p mode=$m -p threads=2 -p scale=0.001 >/dev/null 2>&1 &&
        threaded_modes="$threaded_modes $m"
done
echo "threaded modes in this build: $threaded_modes"
# the allocators this build has (a sanitized build has no preloaded ones)
have=" $("$G" list allocators | awk '{print $1}' | tr '\n' ' ') "
for a in jemalloc mimalloc tcmalloc; do
    case "$have" in *" $a "*) ;; *) echo "skipped: allocator $a (not in this build)";; esac
done

declare -A P=(
    [prodcons]="-p scale=0.02 -p queue_len=16"
    [shared]="-p scale=0.01 -p items=512 -p write_fraction=0.3 -p segment_max=100"
    [churn_ft]="-p scale=0.01 -p share=0.5 -p window=16 -p queue_len=8"
)
for w in prodcons shared churn_ft; do
    # threads=1: every mode (ft and atomic run one thread already) equals mode=default
    # shellcheck disable=SC2086
    run d glibc rc $w ${P[$w]} || continue
    ref1="$(jget "$T/d.json" "d['ops'], d['checksum']")"
    for m in gil ft atomic; do
        # shellcheck disable=SC2086
        run x glibc rc $w ${P[$w]} -p mode=$m -p threads=1 || continue
        got="$(jget "$T/x.json" "d['ops'], d['checksum']")"
        [ "$got" = "$ref1" ] && ok || bad "$w mode=$m threads=1: $got, mode=default $ref1"
    done
    for n in 2 4; do
        ref=""
        for m in $threaded_modes; do
            for ac in "glibc rc" "jemalloc gen" "mimalloc marksweep" "tcmalloc rc" "pool incremental" "glibc rc"; do
                set -- $ac
                case "$have" in *" $1 "*) ;; *) continue;; esac
                [ "$m" != gil ] && { [ "$2" = rc ] || continue; [ "$1" = pool ] && continue; }
                # shared writes under every mode: container locks and _ref getters
                # (runtime/shared.h), so its checksum is gil's under ft/atomic too
                # shellcheck disable=SC2086
                run x "$1" "$2" $w ${P[$w]} -p mode=$m -p threads=$n || continue
                got="$(jget "$T/x.json" "d['ops'], d['checksum'], d['leaked_objects']")"
                [ -n "$ref" ] || ref=$got
                [ "$got" = "$ref" ] && ok || bad "$w mode=$m threads=$n $1/$2: $got, first $ref"
                f="$(jget "$T/x.json" "d['threads']['mode'], d['threads']['threads'], len(d['threads']['per_thread']), 'cross_thread_drops' in d['threads'], sum(t['ops'] for t in d['threads']['per_thread']) == d['ops']")"
                [ "$f" = "('$m', $n, $n, True, True)" ] && ok || bad "$w mode=$m threads=$n record fields: $f"
            done
        done
    done
done

# exact cross-thread drops: every prodcons item is dropped by a consumer
# (200000 x scale items); churn_ft share=1 hands every object to the other
# thread, share=0 none; threads=1 drops nothing cross-thread
run x glibc rc prodcons -p scale=0.02 -p mode=gil -p threads=2 &&
    { v=$(jget "$T/x.json" "d['threads']['cross_thread_drops']"); [ "$v" = 4000 ] && ok || bad "prodcons threads=2 cross_thread_drops $v, want 4000"; }
run x glibc rc prodcons -p scale=0.02 -p mode=gil -p threads=4 -p producers=1 &&
    { v=$(jget "$T/x.json" "d['threads']['cross_thread_drops'], d['ops']"); [ "$v" = "(4000, 8000)" ] && ok || bad "prodcons 1+3 cross_thread_drops, ops $v, want (4000, 8000)"; }
run x glibc rc prodcons -p scale=0.02 -p mode=gil -p threads=1 &&
    { v=$(jget "$T/x.json" "d['threads']['cross_thread_drops']"); [ "$v" = 0 ] && ok || bad "prodcons threads=1 cross_thread_drops $v, want 0"; }
run x glibc rc churn_ft -p scale=0.01 -p share=1 -p mode=gil -p threads=2 &&
    { v=$(jget "$T/x.json" "d['threads']['cross_thread_drops'], d['ops']"); [ "$v" = "(20000, 20000)" ] && ok || bad "churn_ft share=1 cross_thread_drops, ops $v, want (20000, 20000)"; }
run x glibc rc churn_ft -p scale=0.01 -p share=0 -p mode=gil -p threads=2 &&
    { v=$(jget "$T/x.json" "d['threads']['cross_thread_drops']"); [ "$v" = 0 ] && ok || bad "churn_ft share=0 cross_thread_drops $v, want 0"; }

# QSBR under atomic (runtime/shared.c): shared with writes on 2 threads
# holds outgrown segment arrays until both threads passed a safepoint; with
# qsbr_stall thread 0 sleeps between safepoints while thread 1 appends
# (gh-132520's shape), so more is held at once; at the end nothing is held
# and every queued item was released.  Ordering only, not amounts.
case " $threaded_modes " in
*" atomic "*)
    q="-p scale=1 -p items=256 -p write_fraction=1 -p segment_max=100000 -p mode=atomic -p threads=2"
    qf="d['threads']['qsbr_held_bytes_peak'], d['threads']['qsbr_held_bytes_end'], d['threads']['qsbr_deferred'], d['threads']['qsbr_processed'], d['leaked_objects']"
    # shellcheck disable=SC2086
    if run q0 glibc rc shared $q && run q1 glibc rc shared $q -p qsbr_stall=1000; then
        read -r p0 e0 d0 r0 l0 <<<"$(jget "$T/q0.json" "' '.join(map(str, ($qf)))")"
        read -r p1 e1 d1 r1 l1 <<<"$(jget "$T/q1.json" "' '.join(map(str, ($qf)))")"
        [ "$e0 $e1 $l0 $l1" = "0 0 0 0" ] && ok || bad "qsbr end held/leaks: no stall $e0/$l0, stall $e1/$l1 (want 0)"
        [ "$d0" = "$r0" ] && [ "$d1" = "$r1" ] && [ "$d0" -gt 0 ] && ok || bad "qsbr deferred/processed: $d0/$r0, stall $d1/$r1"
        [ "$p1" -gt "$p0" ] && [ "$p0" -gt 0 ] && ok || bad "qsbr_held_bytes_peak with qsbr_stall=1000 ($p1) not above without ($p0)"
        echo "qsbr atomic threads=2: held peak $p0 bytes, $p1 with qsbr_stall=1000 (deferred $d0, $d1)"
    fi
    ;;
*) echo "skipped: qsbr stall (mode=atomic threads=2 not in this build)";;
esac

# biased counting's slow paths in the record (mode=ft): every queued object
# merged by its owner (at a safepoint or when it left), objects were queued
# and dropped last by a non-owner, and no more last drops than non-owner
# decrements.  Not "at least the workload's cross_thread_drops": whether the
# consumer's drop or the producer's own is the last one depends on timing
# (a TSan run gave 3820 brc drops against the workload's 4000).
case " $threaded_modes " in
*" ft "*)
    if run b glibc rc prodcons -p scale=0.02 -p mode=ft -p threads=2; then
        v=$(jget "$T/b.json" "(lambda s, t: (s['queued'] == s['merges'] + s['exit_merges'], s['queued'] > 0, 0 < s['cross_thread_drops'] <= s['shared_decrefs']))(d['threads']['rc_slow_paths'], d['threads'])")
        [ "$v" = "(True, True, True)" ] && ok || bad "ft rc_slow_paths balance: $v ($(jget "$T/b.json" "d['threads']['rc_slow_paths']"))"
    fi
    ;;
*) echo "skipped: rc_slow_paths (mode=ft threads=2 not in this build)";;
esac

# ftgc (collectors/ftgc.c) under mode=ft on 2 threads: the ops and
# checksum of rc under gil on every cooperative workload, and on cycles
# (two copies) gen's under gil with nothing leaked: its collections free the
# copies' cycles.  The record: two stops per collection, the slot table,
# its 8-byte word, and every queued object merged (by owners or by the
# collection).
case " $threaded_modes " in
*" ft "*)
    fq="(d['ops'], d['checksum'], d['leaked_objects'], d['threads']['stw']['stops'] == 2 * d['gc']['collections'] > 0, d['threads']['object_enumeration'], d['threads']['container_prefix_bytes'], (lambda s: s['queued'] == s['merges'] + s['exit_merges'] + s['gc_merges'])(d['threads']['rc_slow_paths']))"
    for w in prodcons shared churn_ft cycles; do
        if [ $w = cycles ]; then
            run r glibc gen cycles -p scale=0.05 -p mode=gil -p threads=2 || continue
            # shellcheck disable=SC2086
            set -- -p scale=0.05
        else
            # shellcheck disable=SC2086
            run r glibc rc $w ${P[$w]} -p mode=gil -p threads=2 || continue
            # shellcheck disable=SC2086
            set -- ${P[$w]}
        fi
        want="$(jget "$T/r.json" "d['ops'], d['checksum']")"
        run f glibc ftgc $w "$@" -p mode=ft -p threads=2 -p threshold=200 || continue
        got="$(jget "$T/f.json" "$fq")"
        [ "$got" = "${want%)}, 0, True, 'slot-table', 8, True)" ] && ok || bad "ftgc $w mode=ft threads=2: $got; want ${want%)}, 0, True, 'slot-table', 8, True)"
    done
    ;;
*) echo "skipped: ftgc (mode=ft threads=2 not in this build)";;
esac

# bad input: exit 2, one line, nothing run
expect2() {
    "$G" run "$@" >"$T/out" 2>"$T/err"; local rc=$?
    [ $rc -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -s "$T/out" ] && ok ||
        bad "exit $rc, $(wc -l <"$T/err") lines for: $* ($(cat "$T/err"))"
}
expect2 -a glibc -c rc -w prodcons -p mode=gil -p threads=3 -p producers=1 -p consumers=1
expect2 -a glibc -c rc -w prodcons -p mode=gil -p threads=2 -p consumers=2
expect2 -a glibc -c rc -w prodcons -p producers=2
expect2 -a pool -c rc -w prodcons -p mode=ft
expect2 -a glibc -c ftgc -w cycles
expect2 -a glibc -c ftgc -w cycles -p mode=gil -p threads=2
expect2 -a glibc -c gen -w cycles -p mode=ft
expect2 -a glibc -c rc -w churn_ft -p share=1.5
expect2 -a glibc -c rc -w prodcons -p object_mix=sets
expect2 -a glibc -c rc -w shared -p mode=gil -p threads=2 -p qsbr_stall=10
expect2 -a glibc -c rc -w shared -p qsbr_stall=20000
echo "threads: $pass passed, $fail failed"
[ $fail -eq 0 ]
