/*
 * workloads/shared.c - threads reading and iterating a shared list and
 * dict built by thread 0: under mode=ft every access is a non-owner
 * incref/decref (biased counting's worst case, contention on the shared
 * counts); a fraction of writes replaces items and appends to per-thread
 * segment lists owned by thread 0, whose resizes go through QSBR.
 *
 * Models:
 *
 *     L = [build(i) for i in range(items)]       # thread 0, before the others start
 *     D = {i: L[i] for i in range(items)}
 *     S = [[] for t in range(n)]                 # segments, also thread 0's
 *     def worker(t):
 *         for k in range(ops):
 *             if hit(write_fraction):
 *                 j = an index with j % n == t   # only t writes it
 *                 L[j] = D[j] = build(seed, t, k)
 *                 S[t].append(j)                 # a resize now and then
 *                 if len(S[t]) == segment_max: S[t].clear()
 *             elif k % 8 == 0:
 *                 for o in L[j:j+32]: touch(o)   # iteration
 *             else:
 *                 touch(L[j]); touch(D[j])       # index and lookup
 *
 * segment_max large (1e6: 8 MiB item arrays) with several writers is
 * CPython gh-132520's shape, list resizes by non-owner threads: under
 * mode=ft each outgrown array waits for QSBR, and the held bytes are the
 * pathology (docs/threads.md, QSBR).
 *
 * Determinism: what a reader observes never enters the checksum.  Index j
 * is written only by thread j % n, in that thread's fixed order, and S[t]
 * only by t, so the final L, D and S are a function of (seed, n); thread 0
 * sums their contents after a final barrier.  ops = reads + writes, per
 * thread exact.  Reads go through the runtime's _ref getters
 * (gcb_list_get_ref, gcb_dict_get_ref: lock-free with try-incref under
 * mode=ft/atomic, a borrowed item and an incref elsewhere) and writes take
 * the containers' locks (runtime/shared.h), so writes are allowed in every
 * mode.
 *
 * qsbr_stall=MS (mode=ft/atomic, threads > 1): thread 0 only reads, and
 * while the others still write it sleeps MS ms after each read, attached
 * and without a safepoint: every array the writers outgrow meanwhile waits
 * for it (CPython gh-132520's shape, a thread that does not reach a
 * quiescent state), so the record's qsbr_held_bytes_peak grows with MS;
 * qsbr_held_bytes_end is 0 all the same.  The final contents then lack
 * thread 0's writes (deterministic: a function of the parameters too).
 */
#include "workloads/workload.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "runtime/runtime.h"
#include "runtime/threads.h"
#include "util/rng.h"
#include "workloads/common.h"
#include "workloads/mt.h"

static const gcb_param_def_t shared_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.0001, 1e6, "size multiplier: 500,000 x scale operations per thread" },
    { "items", GCB_PARAM_INT, "4096", 1, 1e8, "items of the shared list and dict" },
    { "write_fraction", GCB_PARAM_DOUBLE, "0.05", 0, 1, "fraction of operations that write (replace an item, append to a segment)" },
    { "segment_max", GCB_PARAM_INT, "1024", 1, 1e9, "a segment list is cleared when it reaches this length (1e6: gh-132520's held arrays)" },
    { "qsbr_stall", GCB_PARAM_INT, "0", 0, 10000, "ms thread 0 sleeps between safepoints while the others write (mode=ft/atomic, threads > 1; thread 0 then only reads): QSBR's held bytes grow with it" },
    GCB_PARAM_END
};

static struct {
    gcb_wl_barrier_t start, end;
    gcb_object_t *L, *D, *S;      /* published by thread 0 before `start` */
    uint32_t *builder;            /* per index of L: the thread that built the item */
    uint32_t n;
    uint64_t items, ops, stall_ms;
    _Atomic uint32_t writing;     /* threads 1..n-1 still in their loop (qsbr_stall) */
} sh;

static int shared_setup(const gcb_params_t *p, uint32_t n, char *err, size_t errlen)
{
    sh.n = n;
    sh.items = (uint64_t)gcb_param_int(p, shared_params, "items");
    sh.ops = (uint64_t)(500000.0 * gcb_param_double(p, shared_params, "scale"));
    sh.stall_ms = n > 1 ? (uint64_t)gcb_param_int(p, shared_params, "qsbr_stall") : 0;
    atomic_store(&sh.writing, n - 1);
    sh.builder = calloc(sh.items, sizeof *sh.builder);
    if (!sh.builder) {
        snprintf(err, errlen, "shared: out of memory");
        return -1;
    }
    gcb_wl_barrier_init(&sh.start, n);
    gcb_wl_barrier_init(&sh.end, n);
    return 0;
}

static void shared_teardown(void)
{
    free(sh.builder);
    sh.L = sh.D = sh.S = NULL;
    gcb_wl_barrier_destroy(&sh.start);
    gcb_wl_barrier_destroy(&sh.end);
}

enum { L_L, L_D, L_S, L_SEG, L_TMP, L_KEY, NLOCALS };

/* A small tuple (value, str-ish int) from r.  -> new */
static gcb_object_t *build(gcb_rng_t *r)
{
    gcb_object_t *t = gcb_tuple_new(2);
    gcb_tuple_init(t, 0, gcb_int_new(1000 + (int64_t)gcb_rng_below(r, 1u << 30)));
    gcb_tuple_init(t, 1, gcb_float_new((double)gcb_rng_below(r, 1u << 20)));
    return t;
}

/* Thread 0, before the others start: L, D and the segments. */
static void build_shared(gcb_frame_t *f, uint64_t seed)
{
    gcb_rng_t r;
    gcb_rng_seed(&r, gcb_mix(seed, 0x5a));
    gcb_object_t *L = gcb_list_new(0), *D = gcb_dict_new(), *S = gcb_list_new(0);
    gcb_local_set(f, L_L, L);
    gcb_local_set(f, L_D, D);
    gcb_local_set(f, L_S, S);
    for (uint64_t i = 0; i < sh.items; i++) {
        gcb_object_t *o = build(&r);
        gcb_list_append(L, o);
        gcb_dict_set(D, gcb_int_new((int64_t)i), gcb_newref(o));
    }
    for (uint32_t t = 0; t < sh.n; t++)
        gcb_list_append(S, gcb_list_new(0));
    sh.L = L;
    sh.D = D;
    sh.S = S;
}

/* A reader's touch: a new reference (from a _ref getter) held in a
 * local, then dropped. */
static void touch(gcb_frame_t *f, gcb_object_t *ref)
{
    gcb_local_set(f, L_TMP, ref);
    gcb_local_set(f, L_TMP, gcb_newref(gcb_None));
}

static void write_op(gcb_frame_t *f, gcb_rng_t *r, uint32_t t, uint64_t segment_max, uint64_t *xdrops)
{
    uint64_t per = (sh.items + sh.n - 1 - t) / sh.n;     /* indices j < items with j % n == t */
    if (per == 0)
        return;
    uint64_t j = t + sh.n * gcb_rng_below(r, per);
    gcb_object_t *o = build(r);
    *xdrops += sh.builder[j] != t;                        /* the old item's last reference goes */
    sh.builder[j] = t;
    gcb_local_set(f, L_KEY, gcb_int_new((int64_t)j));
    gcb_dict_set(gcb_local(f, L_D), gcb_newref(gcb_local(f, L_KEY)), gcb_newref(o));
    gcb_list_set(gcb_local(f, L_L), j, o);
    gcb_object_t *seg = gcb_local(f, L_SEG);
    gcb_list_append(seg, gcb_newref(gcb_local(f, L_KEY)));
    if (gcb_list_len(seg) >= segment_max)
        gcb_list_clear(seg);
}

static void read_op(gcb_frame_t *f, gcb_rng_t *r, uint64_t k)
{
    gcb_object_t *L = gcb_local(f, L_L);
    uint64_t j = gcb_rng_below(r, sh.items);
    if (k % 8 == 0) {
        for (uint64_t e = j + 32 < sh.items ? j + 32 : sh.items; j < e; j++)
            touch(f, gcb_list_get_ref(L, j));
        return;
    }
    touch(f, gcb_list_get_ref(L, j));
    gcb_local_set(f, L_KEY, gcb_int_new((int64_t)j));
    gcb_object_t *v = gcb_dict_get_ref(gcb_local(f, L_D), gcb_local(f, L_KEY));
    if (v)
        touch(f, v);
}

/* Thread 0 after the end barrier: the final contents, order-independent
 * only in that they no longer change. */
static uint64_t final_sum(gcb_frame_t *f)
{
    uint64_t h = gcb_wl_hash(0x11, gcb_local(f, L_L), 2);
    gcb_object_t *D = gcb_local(f, L_D), *k, *v;
    size_t pos = 0;
    uint64_t dsum = 0;
    while (gcb_dict_next(D, &pos, &k, &v))              /* insertion order varies: sum */
        dsum += gcb_mix(gcb_wl_hash(0, k, 0), gcb_wl_hash(0, v, 2));
    return h + dsum + gcb_wl_hash(0x22, gcb_local(f, L_S), 2);
}

/* Attached, between two safepoints: QSBR waits for this thread meanwhile
 * (deliberately not a blocking call, which would detach it). */
static void stall(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int shared_thread(const gcb_params_t *p, uint64_t seed, uint32_t t, uint32_t n,
                         gcb_workload_result_t *out, char *err, size_t errlen)
{
    (void)n; (void)err; (void)errlen;
    const double wf = gcb_param_double(p, shared_params, "write_fraction");
    const uint64_t segment_max = (uint64_t)gcb_param_int(p, shared_params, "segment_max");
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    if (t == 0)
        build_shared(f, seed);
    gcb_wl_barrier_wait(&sh.start);
    if (t != 0) {
        gcb_local_set(f, L_L, gcb_newref(sh.L));
        gcb_local_set(f, L_D, gcb_newref(sh.D));
        gcb_local_set(f, L_S, gcb_newref(sh.S));
    }
    gcb_local_set(f, L_SEG, gcb_list_get_ref(gcb_local(f, L_S), t));
    gcb_rng_t r;
    gcb_rng_seed(&r, gcb_mix(seed, t));
    uint64_t xdrops = 0;
    int stalling = t == 0 && sh.stall_ms > 0;
    for (uint64_t k = 0; k < sh.ops; k++) {
        if (stalling) {
            read_op(f, &r, k);
            if (atomic_load_explicit(&sh.writing, memory_order_relaxed))
                stall(sh.stall_ms);
        } else if (wf > 0 && gcb_rng_double(&r) < wf) {
            write_op(f, &r, t, segment_max, &xdrops);
        } else {
            read_op(f, &r, k);
        }
        gcb_safepoint();
    }
    if (t != 0)
        atomic_fetch_sub(&sh.writing, 1);
    gcb_wl_barrier_wait(&sh.end);
    out->checksum = t == 0 ? final_sum(f) : 0;
    gcb_wl_barrier_wait(&sh.end);          /* nobody drops L, D, S while thread 0 sums */
    gcb_frame_pop(f);
    out->ops = sh.ops;
    out->cyclic_garbage_objects = 0;
    out->cross_thread_drops = xdrops;
    return 0;
}

static int shared_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen);

/* qsbr_stall holds up QSBR, which only mode=ft and atomic have; under gil
 * the sleeping thread would hold the lock instead. */
static int shared_check(const gcb_params_t *p, uint32_t nthreads, char *err, size_t errlen)
{
    const char *mode = gcb_param_str(p, gcb_threads_params, "mode");
    int free_threaded = gcb_mode_parse(mode) == GCB_MODE_FT || gcb_mode_parse(mode) == GCB_MODE_ATOMIC;
    if (gcb_param_int(p, shared_params, "qsbr_stall") > 0 && !(free_threaded && nthreads > 1)) {
        snprintf(err, errlen, "shared: qsbr_stall needs mode=ft or atomic with threads > 1 (QSBR exists only "
                 "there); this run has mode=%s threads=%u", mode, nthreads);
        return -1;
    }
    return 0;
}

const gcb_workload_t gcb_workload_shared = {
    .check = shared_check,
    .name = "shared",
    .description = "threads read and iterate a shared list and dict (non-owner reference counting), a fraction of writes resizing segments (QSBR)",
    .ops_unit = "reads and writes",
    .params = shared_params,
    .run = shared_run,
    .setup = shared_setup,
    .run_thread = shared_thread,
    .teardown = shared_teardown,
};

static int shared_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen)
{
    return gcb_wl_coop_run1(&gcb_workload_shared, p, seed, out, err, errlen);
}
