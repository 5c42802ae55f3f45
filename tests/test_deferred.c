/*
 * tests/test_deferred.c - deferred and per-thread reference counting of
 * classes under mode=ft (gcbcore_ft, runtime/uniqueid.c; docs/threads.md,
 * plan commit 11), under rc.
 *
 * Cases:
 *   host     a class made by an unregistered thread: deferred (the DEFERRED
 *            bit, a unique id, not immortal, its bytes counted apart from
 *            live), count 1; instances made and freed there count on the
 *            class itself (no array): direct_increfs/decrefs exact;
 *   threads  2 and 4 threads make instances of one class, drop most of
 *            them, hand some to the next thread (freed there: negative
 *            array entries) and keep the rest past their leave; after the
 *            join the class's merged count is exactly 1 + the instances
 *            still held, no count ever touched the class's own words while
 *            the threads ran (its local and shared words unchanged), and
 *            the counters balance (array increfs - decrefs == merged sum);
 *   stw      the same on 2 and 4 threads while the host stops the world
 *            200 times and merges every array (gcb__deferred_merge_all, as
 *            ftgc will): at each stop the merged count is exactly 1 + the
 *            instances alive (in the threads' windows, in the mailboxes,
 *            and dropped by a receiver but queued back to their maker by
 *            biased counting, not yet freed): the concurrent case for TSan;
 *   zero     a class whose count reaches 0 is not freed: the owner's
 *            zero-local path (MERGED with the bias left) and a non-owner's
 *            last drop after the owner left; merge_all counts both in
 *            zero_unfreed; brc refused nothing (the bias held); runtime
 *            teardown frees them (teardown_frees, allocator blocks ==
 *            frees);
 *   reuse    a collector's path: gcb__deferred_disable, then the last drop
 *            frees the class (objects_freed + 1), and the next class gets
 *            its id back (ids_reused); ids are reused across runtimes too.
 * Run with -p freelists=none and cpython.
 * Usage: test_deferred [OPS]   (operations per thread, default 100000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/brc.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "runtime/stw.h"
#include "runtime/threads.h"
#include "runtime/uniqueid.h"
#include "tests/check.h"
#include "tests/brc_delta.h"
#include "tests/counting.h"
#include "util/params.h"
#include "util/rng.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "test_deferred is compiled against gcbcore_ft"
#endif

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };

enum { NTHREADS_MAX = 4, KEEP_MAX = 64, WINDOW = 32, STOPS = 200 };
static uint64_t ops_per_thread = 100000;

typedef struct worker {
    pthread_t th;
    gcb_tstate_t ts;
    uint32_t t, n;
    int failures;
    uint64_t made, freed_here, handed;
    _Atomic int64_t held;        /* instances this thread holds now (read by the stopper) */
} worker_t;

static gcb_deferred_counters_t d0;
static void dfr_mark(void) { gcb_deferred_counters(&d0); }
static gcb_deferred_counters_t dfr_delta(void)
{
    gcb_deferred_counters_t d;
    gcb_deferred_counters(&d);
#define GCB_X(name, desc) d.name -= d0.name;
    GCB_DEFERRED_COUNTERS(GCB_X)
#undef GCB_X
    d.merged_sum -= d0.merged_sum;
    return d;
}

static void run_workers(uint32_t n, void *(*fn)(void *), worker_t *w)
{
    for (uint32_t t = 0; t < n; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].t = t;
        w[t].n = n;
        CHECK(pthread_create(&w[t].th, NULL, fn, &w[t]) == 0);
    }
}

static void join_workers(uint32_t n, worker_t *w)
{
    for (uint32_t t = 0; t < n; t++) {
        pthread_join(w[t].th, NULL);
        CHECK_EQ_I(w[t].failures, 0);
    }
}

static int64_t shared_word(gcb_object_t *o) { return atomic_load(&o->ob_ref_shared); }
static uint32_t local_word(gcb_object_t *o) { return atomic_load(&o->ob_ref_local); }

/* --- host: an unregistered thread's class and instances ----------------- */

static void test_host(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, imm0 = c->immortal_objects, freed0 = c->objects_freed;
    uint32_t ids0 = gcb_deferred_live();
    dfr_mark();
    gcb_object_t *cls = gcb_class_new("Host");
    CHECK(gcb_is_deferred(cls));
    CHECK(!gcb_is_immortal(cls));
    CHECK(gcb_deferred_id(cls) != 0);
    CHECK_EQ_U(gcb_deferred_live(), ids0 + 1);
    CHECK_EQ_I(gcb_deferred_refcount(cls), 1);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);        /* counted apart, as an immortal class is elsewhere */
    CHECK_EQ_U(c->immortal_objects, imm0 + 1);
    gcb_object_t *inst[10];
    for (int i = 0; i < 10; i++)
        inst[i] = gcb_instance_new(cls);
    CHECK_EQ_I(gcb_deferred_refcount(cls), 11);
    for (int i = 0; i < 10; i++)
        gcb_release(inst[i]);
    CHECK_EQ_I(gcb_deferred_refcount(cls), 1);
    gcb_deferred_counters_t d = dfr_delta();
    CHECK_EQ_U(d.ids_assigned, 1);
    CHECK_EQ_U(d.direct_increfs, 10);
    CHECK_EQ_U(d.direct_decrefs, 10);
    CHECK_EQ_U(d.array_increfs + d.array_decrefs, 0);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, 10);
    CHECK_EQ_U(c->live_objects, live0);
}

/* --- threads: instances of one class made and freed on 2 and 4 threads -- */

static gcb_object_t *cls_shared;
static gcb_object_t *_Atomic mailbox[NTHREADS_MAX];
static gcb_object_t *kept[NTHREADS_MAX][KEEP_MAX];
static uint32_t nkept[NTHREADS_MAX];
static _Atomic int stopping;

/* Take what the previous thread handed over and free it here. */
static void drain_mailbox(worker_t *w)
{
    gcb_object_t *o = atomic_exchange(&mailbox[w->t], NULL);
    if (!o)
        return;
    if (gcb_instance_class(o) != cls_shared)
        w->failures++;
    gcb_release(o); /* made on another thread: this thread's array entry goes down */
    w->freed_here++;
}

/* One step: make an instance into a window slot (freeing the one there),
 * or hand it to the next thread.  `held` is updated before the safepoint,
 * where a stop may look at it. */
static void churn_step(worker_t *w, gcb_rng_t *r, gcb_frame_t *f, gcb_object_t *s_v, uint64_t i)
{
    gcb_object_t *list = gcb_local(f, 0);
    gcb_object_t *o = gcb_instance_new(cls_shared);
    gcb_setattr(o, s_v, gcb_int_new((int64_t)(i % 1000)));
    w->made++;
    gcb_object_t *expect = NULL;
    if (w->n > 1 && gcb_rng_below(r, 8) == 0 &&
        atomic_compare_exchange_strong(&mailbox[(w->t + 1) % w->n], &expect, o)) {
        w->handed++;
    } else {
        size_t k = gcb_rng_below(r, WINDOW);
        int had = gcb_list_get(list, k) != gcb_None;
        gcb_list_set(list, k, o);
        if (!had)
            atomic_fetch_add_explicit(&w->held, 1, memory_order_relaxed);
        else
            w->freed_here++;
    }
    drain_mailbox(w);
}

static void *threads_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    gcb_rng_t r;
    gcb_rng_seed(&r, 77 + w->t);
    gcb_object_t *s_v = gcb_str_const("v");
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int k = 0; k < WINDOW; k++)
        gcb_list_append(gcb_local(f, 0), gcb_None);
    uint64_t ops = ops_per_thread;
    for (uint64_t i = 0; i < ops || (atomic_load(&stopping) == 1); i++) {
        churn_step(w, &r, f, s_v, i);
        gcb_safepoint();
        if (i >= ops)
            sched_yield(); /* the stw case keeps going until the host is done stopping */
    }
    /* keep a few past the leave; the rest of the window goes with the list */
    gcb_object_t *list = gcb_local(f, 0);
    nkept[w->t] = 0;
    for (int k = 0; k < WINDOW && nkept[w->t] < KEEP_MAX; k += 3) {
        gcb_object_t *o = gcb_list_get(list, (size_t)k);
        if (o != gcb_None)
            kept[w->t][nkept[w->t]++] = gcb_newref(o);
    }
    gcb_frame_pop(f);
    /* what is still in our mailbox is the next thread's to take, but it may
     * be gone: after the barrier each thread frees its own mailbox's */
    gcb_thread_unregister(&w->ts);
    return NULL;
}

/* After the join: the mailboxes' last instances (their receivers had
 * left), freed by the host. */
static uint64_t drain_all_mailboxes(uint32_t n)
{
    uint64_t k = 0;
    for (uint32_t t = 0; t < n; t++) {
        gcb_object_t *o = atomic_exchange(&mailbox[t], NULL);
        if (o) {
            gcb_release(o);
            k++;
        }
    }
    return k;
}

static uint64_t kept_total(uint32_t n)
{
    uint64_t k = 0;
    for (uint32_t t = 0; t < n; t++)
        k += nkept[t];
    return k;
}

static void release_kept(uint32_t n)
{
    for (uint32_t t = 0; t < n; t++)
        for (uint32_t i = 0; i < nkept[t]; i++)
            gcb_release(kept[t][i]);
}

static void test_threads(uint32_t n)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects;
    cls_shared = gcb_class_new("Shared");
    uint32_t local0 = local_word(cls_shared);
    int64_t shared0 = shared_word(cls_shared);
    dfr_mark();
    atomic_store(&stopping, 0);
    worker_t w[NTHREADS_MAX];
    run_workers(n, threads_main, w);
    join_workers(n, w);
    /* every thread left: its array was merged into the class at its leave */
    uint64_t in_mail = 0;
    for (uint32_t t = 0; t < n; t++)
        in_mail += atomic_load(&mailbox[t]) != NULL;
    CHECK_EQ_I(gcb_deferred_refcount(cls_shared), 1 + (int64_t)kept_total(n) + (int64_t)in_mail);
    CHECK_EQ_U(local_word(cls_shared), local0); /* nothing counted on the class's own words ... */
    gcb_deferred_counters_t d = dfr_delta();
    uint64_t made = 0;
    for (uint32_t t = 0; t < n; t++)
        made += w[t].made;
    CHECK_EQ_U(d.array_increfs, made); /* ... every creation went to an array */
    CHECK_EQ_U(d.direct_increfs, 0);
    CHECK_EQ_I(d.merged_sum, (int64_t)d.array_increfs - (int64_t)d.array_decrefs);
    CHECK_EQ_I(shared_word(cls_shared) - shared0, (d.merged_sum - (int64_t)d.direct_decrefs) << GCB_REF_SHARED_SHIFT);
    CHECK_EQ_U(d.thread_merges, n);
    CHECK(d.array_grows >= n);
    CHECK(d.saved_shared == d.array_increfs + d.array_decrefs); /* the host owns the class: every one saved an atomic */
    if (n > 1)
        CHECK(d.array_decrefs > 0);
    /* the host drops the rest: the class's own count, directly */
    CHECK_EQ_U(drain_all_mailboxes(n), in_mail);
    release_kept(n);
    CHECK_EQ_I(gcb_deferred_refcount(cls_shared), 1);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0); /* instances, their ints and lists all freed */
}

/* --- stw: merged while the world is stopped ----------------------------- */

static void test_stw(uint32_t n)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects;
    cls_shared = gcb_class_new("Stopped");
    dfr_mark();
    atomic_store(&stopping, 1);
    worker_t w[NTHREADS_MAX];
    run_workers(n, threads_main, w);
    while (gcb_threads_count() < n)
        sched_yield();
    int exact = 1;
    for (int s = 0; s < STOPS; s++) {
        gcb_stw_stop();
        gcb__deferred_merge_all();
        int64_t held = 0;
        for (uint32_t t = 0; t < n; t++)
            held += atomic_load_explicit(&w[t].held, memory_order_relaxed);
        for (uint32_t t = 0; t < n; t++) {
            held += atomic_load(&mailbox[t]) != NULL;
            /* dropped by a receiver, queued back to the maker (runtime/brc.c),
             * freed at its next safepoint: alive, its class counted, now */
            held += (int64_t)gcb_brc_queue_length(w[t].ts.index);
        }
        int64_t count = gcb_deferred_refcount(cls_shared);
        if (count != 1 + held && exact)
            fprintf(stderr, "stop %d: merged count %lld, held %lld + 1\n", s, (long long)count, (long long)held);
        exact &= count == 1 + held;
        gcb_stw_start();
        for (int k = 0; k < 20; k++)
            sched_yield();
    }
    CHECK(exact);
    atomic_store(&stopping, 0);
    join_workers(n, w);
    gcb_deferred_counters_t d = dfr_delta();
    CHECK(d.thread_merges >= (uint64_t)STOPS * n + n);
    CHECK_EQ_I(d.merged_sum, (int64_t)d.array_increfs - (int64_t)d.array_decrefs);
    drain_all_mailboxes(n);
    release_kept(n);
    CHECK_EQ_I(gcb_deferred_refcount(cls_shared), 1);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live0);
}

/* --- zero: a count of 0 frees nothing ----------------------------------- */

static gcb_object_t *_Atomic published;

static void *owner_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    gcb_object_t *cls = gcb_class_new("Orphan");
    gcb_object_t *i = gcb_instance_new(cls); /* through this thread's array */
    gcb_release(i);
    atomic_store(&published, cls); /* the creation reference goes to the host */
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_zero(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t freed0 = c->objects_freed, imm0 = c->immortal_objects;
    dfr_mark();
    brc_mark();
    /* the owner's zero-local path: host made it, host drops it */
    gcb_object_t *a = gcb_class_new("ZeroLocal");
    gcb_release(a);
    CHECK_EQ_I(gcb_deferred_refcount(a), 0);
    CHECK_EQ_I(shared_word(a) & GCB_REF_SHARED_FLAG_MASK, GCB_REF_MERGED);
    CHECK_EQ_U(local_word(a), 0);
    CHECK(strcmp(gcb_class_name(a), "ZeroLocal") == 0);
    /* a non-owner's last drop after the owner left */
    worker_t w[1];
    run_workers(1, owner_main, w);
    join_workers(1, w);
    gcb_object_t *b = atomic_load(&published);
    CHECK_EQ_I(gcb_deferred_refcount(b), 1);
    gcb_release(b); /* host is not b's owner: the shared path */
    CHECK_EQ_I(gcb_deferred_refcount(b), 0);
    CHECK(strcmp(gcb_class_name(b), "Orphan") == 0);
    gcb_brc_counters_t bd = brc_delta();
    CHECK_EQ_U(bd.zero_local_merges, 1);
    CHECK_EQ_U(bd.dropper_frees, 0);
    CHECK_EQ_U(bd.deferred_refused, 0); /* the bias kept both off brc's free paths */
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, 1); /* the instance, not the classes */
    CHECK_EQ_U(c->immortal_objects, imm0 + 2);
    gcb__deferred_merge_all(); /* no thread registered: every array is merged */
    gcb__deferred_merge_all(); /* found at 0 once, counted once */
    gcb_deferred_counters_t d = dfr_delta();
    CHECK_EQ_U(d.zero_unfreed, 2);
    CHECK_EQ_U(d.dealloc_refused, 0);
    CHECK(gcb_is_deferred(a) && gcb_is_deferred(b));
}

/* --- reuse: the collector's path frees a class, its id comes back ------- */

static void test_reuse(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t freed0 = c->objects_freed, live0 = c->live_objects, imm0 = c->immortal_objects;
    dfr_mark();
    gcb_object_t *x = gcb_class_new("X"), *y = gcb_class_new("Y");
    uint32_t idx = gcb_deferred_id(x), idy = gcb_deferred_id(y), ids0 = gcb_deferred_live();
    CHECK(idx != idy && idx && idy);
    gcb__deferred_disable(x); /* as ftgc will, world stopped, every array merged */
    CHECK(!gcb_is_deferred(x));
    CHECK_EQ_U(gcb_deferred_id(x), 0);
    CHECK_EQ_U(gcb_deferred_live(), ids0 - 1);
    CHECK_EQ_I(gcb_deferred_refcount(x), 1);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0 + 1); /* a plain object again */
    gcb_object_t *ix = gcb_instance_new(x); /* no id: on the class itself */
    gcb_release(ix);
    gcb_release(x); /* the last reference: freed now (brc's dropper path) */
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, 2);
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->immortal_objects, imm0 + 1);
    gcb_deferred_counters_t before;
    gcb_deferred_counters(&before);
    gcb_object_t *z = gcb_class_new("Z");
    CHECK_EQ_U(gcb_deferred_id(z), idx); /* x's id, from the free list */
    gcb_deferred_counters_t after;
    gcb_deferred_counters(&after);
    CHECK_EQ_U(after.ids_reused - before.ids_reused, 1);
    gcb_object_t *iz = gcb_instance_new(z);
    CHECK_EQ_I(gcb_deferred_refcount(z), 2);
    gcb_release(iz);
    gcb_deferred_counters_t d = dfr_delta();
    CHECK_EQ_U(d.ids_released, 1);
    CHECK_EQ_U(d.collector_disables, 1);
    (void)y;
}

/* --- the runtime over a counting allocator ------------------------------ */


static void run_all(const char *freelists)
{
    void *actx = gcb_counting_begin(freelists);
    CHECK_EQ_U(gcb_deferred_live(), 0); /* the last runtime's classes went at its teardown */
    gcb_runtime_init(&gcb_counting, actx, &refcounting);
    gcb_deferred_counters_t all0;
    gcb_deferred_counters(&all0);
    test_host();
    test_threads(2);
    test_threads(4);
    test_stw(2);
    test_stw(4);
    test_zero();
    test_reuse();
    uint32_t classes = gcb_deferred_live();
    CHECK_EQ_U(classes, 1 + 2 + 2 + 2 + 2); /* host, threads, stw, zero, reuse's y and z */
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(c->live_bytes, 0);
    gcb_runtime_fini();
    gcb_deferred_counters_t all;
    gcb_deferred_counters(&all);
    CHECK_EQ_U(all.teardown_frees - all0.teardown_frees, classes);
    CHECK_EQ_U(gcb_deferred_live(), 0);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->bytes_allocated, c->bytes_freed);
    CHECK_EQ_U(c->immortal_objects, 0);
    CHECK_EQ_U(atomic_load(&gcb_counting_blocks), atomic_load(&gcb_counting_frees));
    fprintf(stderr, "test_deferred freelists=%s: %llu blocks; %llu array increfs, %llu decrefs (%llu saved an "
            "atomic), %llu direct, %llu merges, %llu zero unfreed, %llu freed at teardown, %llu ids reused\n",
            freelists, (unsigned long long)atomic_load(&gcb_counting_blocks),
            (unsigned long long)(all.array_increfs - all0.array_increfs),
            (unsigned long long)(all.array_decrefs - all0.array_decrefs),
            (unsigned long long)(all.saved_shared - all0.saved_shared),
            (unsigned long long)(all.direct_increfs + all.direct_decrefs - all0.direct_increfs - all0.direct_decrefs),
            (unsigned long long)(all.thread_merges - all0.thread_merges),
            (unsigned long long)(all.zero_unfreed - all0.zero_unfreed),
            (unsigned long long)(all.teardown_frees - all0.teardown_frees),
            (unsigned long long)(all.ids_reused - all0.ids_reused));
    gcb_alloc_process.destroy(actx);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        ops_per_thread = strtoull(argv[1], NULL, 10);
    run_all("none");
    run_all("cpython"); /* the second runtime's classes take the first's ids again */
    gcb_deferred_counters_t d;
    gcb_deferred_counters(&d);
    CHECK(d.ids_reused >= 9);
    return gcb_check_exit("test_deferred");
}
