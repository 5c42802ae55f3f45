/*
 * tests/test_brc.c - biased reference counting on several threads
 * (gcbcore_ft, runtime/brc.c; docs/threads.md, plan commit 5), under rc.
 *
 * Cases (runtime/brc.c's top block has the states):
 *   share    thread 0 makes 256 objects and keeps one reference to each;
 *            2 and 4 threads take and drop references (stack, heap,
 *            replaced items, 4097 dropped at once); afterwards every
 *            object's local count is exactly 1, its shared word exactly 0
 *            (no queueing: every non-owner drop had its own increment
 *            before it) and its owner unchanged; the owner's drops then
 *            free them on the fast path;
 *   queued   A makes lists and hands them to B, which drops the last
 *            reference: each is QUEUED to A (B frees nothing), sits in A's
 *            queue until A's next safepoint, where A merges and frees it
 *            (merges == lists, exactly); then the same streamed through a
 *            mailbox while A keeps running;
 *   exit     A's queue is drained while A leaves (exit_merges), and, when
 *            A has left before B drops, B merges and frees the lists and
 *            their items itself (orphan_merges, dropper_frees);
 *   merged   B holds a shared reference when A's local count reaches 0:
 *            A sets MERGED (ob_tid 0, local 0, shared 1 << 2 | MERGED) and
 *            B's drop frees it;
 *   intern   a string A interned and holds is the one B's gcb_str_intern
 *            returns (MAYBE_WEAKREF: the table's try-incref does not take
 *            "no shared references" for "dying"); A's drops merge, B's free;
 *   immortal None, small ints and string constants referenced and dropped
 *            by two threads: their header words are untouched and no
 *            shared decrement happens;
 *   ring     2 and 4 threads hand lists (holding each other's objects) round
 *            a ring of mailboxes and drop what they receive, merging at
 *            safepoints meanwhile (the concurrent case for ThreadSanitizer).
 * Every case checks the brc counters' deltas and, at the end, queued ==
 * merges + exit_merges, no live object, and the allocator saw as many frees
 * as blocks.  Run with -p freelists=none and cpython.
 * Usage: test_brc [OPS]   (operations per thread, default 100000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/brc.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "runtime/threads.h"
#include "tests/check.h"
#include "tests/brc_delta.h"
#include "tests/counting.h"
#include "util/params.h"
#include "util/rng.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "test_brc is compiled against gcbcore_ft"
#endif

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };

enum { NSHARED = 256, NTHREADS_MAX = 4, K = 100 };
static uint64_t ops_per_thread = 100000;

typedef struct worker {
    pthread_t th;
    gcb_tstate_t ts;
    uint32_t t, n;
    int failures;
    uint64_t made;
} worker_t;

static void run_workers(uint32_t n, void *(*fn)(void *), worker_t *w)
{
    for (uint32_t t = 0; t < n; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].t = t;
        w[t].n = n;
        CHECK(pthread_create(&w[t].th, NULL, fn, &w[t]) == 0);
    }
    for (uint32_t t = 0; t < n; t++) {
        pthread_join(w[t].th, NULL);
        CHECK_EQ_I(w[t].failures, 0);
    }
}

static int64_t shared_word(gcb_object_t *o) { return atomic_load(&o->ob_ref_shared); }
static uint32_t local_word(gcb_object_t *o) { return atomic_load(&o->ob_ref_local); }
static uintptr_t tid_word(gcb_object_t *o) { return atomic_load(&o->ob_tid); }

/* Wait for *flag >= v, at safepoints (so queued objects are merged). */
static void wait_for(_Atomic int *flag, int v, int safepoints)
{
    while (atomic_load(flag) < v) {
        if (safepoints)
            gcb_safepoint();
        sched_yield();
    }
}

/* --- share: one owner, references from every thread ------------------- */

static gcb_object_t *shared[NSHARED];
static pthread_barrier_t barrier;

static void make_shared(void)
{
    for (int i = 0; i < NSHARED; i++) {
        switch (i % 4) {
        case 0: shared[i] = gcb_int_new(100000 + i); break;
        case 1: { char b[16]; snprintf(b, sizeof b, "s%d", i); shared[i] = gcb_str_new(b, strlen(b)); break; }
        case 2: shared[i] = gcb_tuple_new(1); gcb_tuple_init(shared[i], 0, gcb_int_new(i + 1000)); break;
        default: shared[i] = gcb_list_new(0); gcb_list_append(shared[i], gcb_newref(shared[i - 1])); break;
        }
    }
}

static void share_loop(worker_t *w)
{
    gcb_rng_t r;
    gcb_rng_seed(&r, 1234 + w->t);
    gcb_frame_t *f = gcb_frame_push(4);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (uint64_t i = 0; i < ops_per_thread; i++) {
        gcb_object_t *o = shared[gcb_rng_below(&r, NSHARED)];
        switch (gcb_rng_below(&r, 4)) {
        case 0: gcb_local_set(f, 1, gcb_newref(o)); break;
        case 1: gcb_list_append(gcb_local(f, 0), gcb_newref(o)); break;
        case 2:
            if (gcb_list_len(gcb_local(f, 0)))
                gcb_list_set(gcb_local(f, 0), gcb_rng_below(&r, gcb_list_len(gcb_local(f, 0))), gcb_newref(o));
            break;
        default:
            gcb_local_set(f, 2, gcb_tuple_new(2));
            gcb_tuple_init(gcb_local(f, 2), 0, gcb_newref(o));
            gcb_tuple_init(gcb_local(f, 2), 1, gcb_int_new((int64_t)i + 1000));
            break;
        }
        if (gcb_list_len(gcb_local(f, 0)) > 4096)
            gcb_local_set(f, 0, gcb_list_new(0)); /* drops 4097 references at once */
        gcb_safepoint();
    }
    gcb_frame_pop(f);
}

static void *share_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    if (w->t == 0)
        make_shared();
    pthread_barrier_wait(&barrier); /* publishes shared[] */
    share_loop(w);
    pthread_barrier_wait(&barrier); /* every other thread's references are gone */
    if (w->t == 0) {
        int exact = 1;
        for (int i = 0; i < NSHARED; i++)
            exact &= local_word(shared[i]) == 1 + (i % 4 == 2) && shared_word(shared[i]) == 0 &&
                     tid_word(shared[i]) == gcb_thread_id();
        CHECK(exact); /* shared[i-1] is also held by the list shared[i] */
        for (int i = NSHARED; i-- > 0;)
            gcb_release(shared[i]);
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_share(uint32_t n)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    brc_mark();
    pthread_barrier_init(&barrier, NULL, n);
    worker_t w[NTHREADS_MAX];
    run_workers(n, share_main, w);
    pthread_barrier_destroy(&barrier);
    gcb_brc_counters_t d = brc_delta();
    CHECK(d.shared_decrefs > ops_per_thread / 4);
    CHECK_EQ_U(d.queued, 0);
    CHECK_EQ_U(d.zero_local_merges, 0);
    CHECK_EQ_U(d.orphan_merges, 0);
    CHECK_EQ_U(d.dropper_frees, 0);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
}

/* --- queued: made on A, last reference dropped on B -------------------- */

static gcb_object_t *batch[K];
static _Atomic int phase;
static gcb_object_t *_Atomic mailbox;
static uint32_t owner_index;

static gcb_object_t *pair_list(int64_t i)
{
    gcb_object_t *l = gcb_list_new(0);
    gcb_list_append(l, gcb_int_new(i + 1000));
    gcb_list_append(l, gcb_float_new((double)i));
    return l;
}

static int pair_ok(gcb_object_t *l, int64_t i)
{
    return gcb_list_len(l) == 2 && gcb_int_value(gcb_list_get(l, 0)) == i + 1000 &&
           gcb_float_value(gcb_list_get(l, 1)) == (double)i;
}

/* B's side of the batch: take each list's reference (counted in A's
 * local count) and drop it. */
static void drop_batch(worker_t *w)
{
    for (int i = 0; i < K; i++) {
        if (!pair_ok(batch[i], i))
            w->failures++;
        gcb_release(batch[i]);
    }
}

static void *queued_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    uint64_t n = ops_per_thread / 4;
    if (w->t == 0) {
        owner_index = w->ts.index;
        for (int i = 0; i < K; i++)
            batch[i] = pair_list(i);
        atomic_store(&phase, 1);
        wait_for(&phase, 2, 0); /* no safepoint: what B dropped stays queued */
        CHECK_EQ_U(gcb_brc_queue_length(w->ts.index), K);
        int queued = 1;
        for (int i = 0; i < K; i++)
            queued &= shared_word(batch[i]) == GCB_REF_QUEUED && local_word(batch[i]) == 1 && pair_ok(batch[i], i);
        CHECK(queued); /* alive, held by the queue, count 1 + 0 */
        gcb_brc_counters_t before;
        gcb_brc_counters(&before);
        gcb_safepoint(); /* B set pending: the merge, and the frees, happen here */
        gcb_brc_counters_t after;
        gcb_brc_counters(&after);
        CHECK_EQ_U(after.merges - before.merges, K);
        CHECK_EQ_U(gcb_brc_queue_length(w->ts.index), 0);
        /* the stream: one list at a time through the mailbox, A running on */
        for (uint64_t i = 0; i < n; i++) {
            gcb_object_t *l = pair_list((int64_t)i), *expect = NULL;
            while (!atomic_compare_exchange_weak(&mailbox, &expect, l)) {
                expect = NULL;
                gcb_safepoint();
                sched_yield(); /* one core (taskset): let B take it */
            }
            gcb_safepoint();
        }
        wait_for(&phase, 3, 1);
        gcb_safepoint();
        CHECK_EQ_U(gcb_brc_queue_length(w->ts.index), 0);
    } else {
        wait_for(&phase, 1, 0);
        drop_batch(w);
        atomic_store(&phase, 2);
        for (uint64_t i = 0; i < n; i++) {
            gcb_object_t *l;
            while (!(l = atomic_exchange(&mailbox, NULL)))
                sched_yield();
            if (!pair_ok(l, (int64_t)i))
                w->failures++;
            gcb_release(l);
        }
        atomic_store(&phase, 3);
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_queued(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, freed0 = c->objects_freed;
    brc_mark();
    atomic_store(&phase, 0);
    worker_t w[2];
    run_workers(2, queued_main, w);
    uint64_t lists = K + ops_per_thread / 4;
    gcb_brc_counters_t d = brc_delta();
    CHECK_EQ_U(d.queued, lists);            /* every list, and nothing else, was queued to A */
    CHECK_EQ_U(d.merges, lists);            /* and merged by A at a safepoint */
    CHECK_EQ_U(d.exit_merges, 0);
    CHECK_EQ_U(d.cross_thread_drops, lists);
    CHECK_EQ_U(d.dropper_frees, 0);         /* B freed nothing */
    CHECK_EQ_U(d.orphan_merges, 0);
    CHECK_EQ_U(d.shared_decrefs, lists);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, 3 * lists);
    CHECK_EQ_U(c->live_objects, live0);
}

/* --- exit: A leaves with a full queue; A leaves before B drops ---------- */

static _Atomic int a_left;

static void *exit_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    if (w->t == 0) {
        for (int i = 0; i < K; i++)
            batch[i] = pair_list(i);
        atomic_store(&phase, 1);
        wait_for(&phase, 2, 0);                 /* B dropped them all: queued, not merged */
        CHECK_EQ_U(gcb_brc_queue_length(w->ts.index), K);
        for (int i = 0; i < K; i++)
            batch[i] = pair_list(i);            /* the second batch: B drops it after A left */
        gcb_thread_unregister(&w->ts);          /* drains the first */
        atomic_store(&a_left, 1);
        return NULL;                            /* (A stays alive until B is done: no thread pointer reuse) */
    }
    wait_for(&phase, 1, 0);
    drop_batch(w);
    atomic_store(&phase, 2);
    wait_for(&a_left, 1, 1);
    drop_batch(w);                              /* the owner is gone: merged and freed here */
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_exit(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, freed0 = c->objects_freed;
    brc_mark();
    atomic_store(&phase, 0);
    atomic_store(&a_left, 0);
    worker_t w[2];
    run_workers(2, exit_main, w);
    gcb_brc_counters_t d = brc_delta();
    CHECK_EQ_U(d.queued, K);
    CHECK_EQ_U(d.exit_merges, K);           /* the first batch, merged by A while leaving */
    CHECK_EQ_U(d.merges, 0);
    CHECK_EQ_U(d.orphan_merges, 3 * K);     /* the second: each list, then its int and float */
    CHECK_EQ_U(d.dropper_frees, 3 * K);
    CHECK_EQ_U(d.cross_thread_drops, K + 3 * K);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, 6 * K);
    CHECK_EQ_U(c->live_objects, live0);
}

/* --- merged: A's local count reaches 0 while B holds a reference -------- */

static void *merged_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    if (w->t == 0) {
        for (int i = 0; i < K; i++)
            batch[i] = gcb_float_new(i + 0.5);
        atomic_store(&phase, 1);
        wait_for(&phase, 2, 0);                 /* B took a shared reference to each */
        for (int i = 0; i < K; i++)
            gcb_release(batch[i]);              /* local 1 -> 0, shared 1: MERGED */
        atomic_store(&phase, 3);
    } else {
        wait_for(&phase, 1, 0);
        for (int i = 0; i < K; i++)
            gcb_newref(batch[i]);
        atomic_store(&phase, 2);
        wait_for(&phase, 3, 0);
        int merged = 1;
        for (int i = 0; i < K; i++)
            merged &= tid_word(batch[i]) == 0 && local_word(batch[i]) == 0 &&
                      shared_word(batch[i]) == ((int64_t)1 << GCB_REF_SHARED_SHIFT | GCB_REF_MERGED) &&
                      gcb_float_value(batch[i]) == i + 0.5;
        CHECK(merged);
        for (int i = 0; i < K; i++)
            gcb_release(batch[i]);              /* MERGED, count 1 -> 0: freed here */
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_merged(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects;
    brc_mark();
    atomic_store(&phase, 0);
    worker_t w[2];
    run_workers(2, merged_main, w);
    gcb_brc_counters_t d = brc_delta();
    CHECK_EQ_U(d.zero_local_merges, K);
    CHECK_EQ_U(d.dropper_frees, K);
    CHECK_EQ_U(d.cross_thread_drops, K);
    CHECK_EQ_U(d.queued, 0);
    CHECK_EQ_U(d.shared_decrefs, K);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live0);
}

/* --- immortal: never touched ------------------------------------------- */

static gcb_object_t *imm[4];

static void *immortal_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    gcb_frame_t *f = gcb_frame_push(1);
    for (uint64_t i = 0; i < ops_per_thread; i++) {
        gcb_object_t *o = imm[i % 4];
        gcb_local_set(f, 0, gcb_newref(o));
        gcb_release(gcb_newref(o));
        gcb_safepoint();
    }
    gcb_frame_pop(f);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_immortal(void)
{
    imm[0] = gcb_None;
    imm[1] = gcb_int_new(7);           /* the small-int cache */
    imm[2] = gcb_str_const("brc");
    imm[3] = gcb_int_new(-5);
    for (int i = 0; i < 4; i++)
        CHECK(gcb_is_immortal(imm[i]));
    brc_mark();
    worker_t w[2];
    run_workers(2, immortal_main, w);
    int untouched = 1;
    for (int i = 0; i < 4; i++)
        untouched &= local_word(imm[i]) == GCB_IMMORTAL_LOCAL && shared_word(imm[i]) == 0 && tid_word(imm[i]) == 0;
    CHECK(untouched);
    gcb_brc_counters_t d = brc_delta();
    CHECK_EQ_U(d.shared_decrefs, 0);
    CHECK_EQ_U(d.queued, 0);
}

/* --- intern: a string interned on A is found by B's gcb_str_intern ------ */

enum { NNAMES = 64 };
static gcb_object_t *names[NNAMES];

static void *intern_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    char b[16];
    if (w->t == 0) {
        for (int i = 0; i < NNAMES; i++) {
            int len = snprintf(b, sizeof b, "brcname%d", i);
            names[i] = gcb_str_intern(gcb_str_new(b, (size_t)len));
        }
        atomic_store(&phase, 1);
        wait_for(&phase, 2, 1);
        int interned = 1;
        for (int i = 0; i < NNAMES; i++)
            interned &= gcb_str_is_interned(names[i]);
        CHECK(interned);                  /* still the canonical strings */
        for (int i = 0; i < NNAMES; i++)
            gcb_release(names[i]);        /* local 0, B's references shared: MERGED */
        atomic_store(&phase, 3);
    } else {
        wait_for(&phase, 1, 1);
        gcb_object_t *mine[NNAMES];
        int same = 1;
        for (int i = 0; i < NNAMES; i++) {
            int len = snprintf(b, sizeof b, "brcname%d", i);
            mine[i] = gcb_str_intern(gcb_str_new(b, (size_t)len));
            same &= mine[i] == names[i];
        }
        /* the owner holds them: no shared reference yet, but alive, so
         * the try-incref of the intern table must not refuse them */
        CHECK(same);
        atomic_store(&phase, 2);
        wait_for(&phase, 3, 1);
        for (int i = 0; i < NNAMES; i++)
            gcb_release(mine[i]);         /* the last references: freed here */
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_intern(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects;
    size_t interned0 = gcb_interned_count();
    brc_mark();
    atomic_store(&phase, 0);
    worker_t w[2];
    run_workers(2, intern_main, w);
    gcb_brc_counters_t d = brc_delta();
    CHECK_EQ_U(d.zero_local_merges, NNAMES);
    CHECK_EQ_U(d.dropper_frees, NNAMES);
    CHECK_EQ_U(gcb_interned_count(), interned0);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live0);
}

/* --- ring: every thread hands lists to the next and drops what it gets -- */

static gcb_object_t *_Atomic ring[NTHREADS_MAX];
static _Atomic uint64_t ring_made;

static void *ring_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    uint64_t n = ops_per_thread / 4, sent = 0, got = 0;
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));      /* the last lists received: their items go out again */
    gcb_object_t *next = NULL;
    while (sent < n || got < n) {
        int progress = 0;
        if (sent < n && !next) {
            next = pair_list((int64_t)sent);
            gcb_object_t *keep = gcb_local(f, 0);
            if (gcb_list_len(keep))            /* an item made by another thread, shared again */
                gcb_list_append(next, gcb_newref(gcb_list_get(keep, 0)));
        }
        gcb_object_t *expect = NULL;
        if (next && atomic_compare_exchange_strong(&ring[(w->t + 1) % w->n], &expect, next)) {
            next = NULL;
            sent++;
            progress = 1;
        }
        gcb_object_t *in = atomic_exchange(&ring[w->t], NULL);
        if (in) {
            if (gcb_list_len(in) < 2 || gcb_list_len(in) > 3 || gcb_int_value(gcb_list_get(in, 0)) != (int64_t)got + 1000)
                w->failures++;
            got++;
            progress = 1;
            if (got % 8 == 0)
                gcb_local_set(f, 0, in);      /* kept a while, dropped by a later store */
            else
                gcb_release(in);
        }
        gcb_safepoint();
        if (!progress)
            sched_yield();
    }
    gcb_frame_pop(f);
    atomic_fetch_add(&ring_made, 3 * n);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_ring(uint32_t n)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    brc_mark();
    for (uint32_t t = 0; t < n; t++)
        atomic_store(&ring[t], NULL);
    worker_t w[NTHREADS_MAX];
    run_workers(n, ring_main, w);
    gcb_brc_counters_t d = brc_delta();
    CHECK(d.queued > 0);
    CHECK_EQ_U(d.queued, d.merges + d.exit_merges);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
}

/* --- the runtime over a counting allocator ------------------------------ */


static void run_all(const char *freelists)
{
    void *actx = gcb_counting_begin(freelists);
    gcb_runtime_init(&gcb_counting, actx, &refcounting);
    gcb_brc_counters_t all0;
    gcb_brc_counters(&all0);
    test_share(2);
    test_share(4);
    test_queued();
    test_exit();
    test_merged();
    test_immortal();
    test_intern();
    test_ring(2);
    test_ring(4);
    gcb_brc_counters_t all;
    gcb_brc_counters(&all);
    CHECK_EQ_U(all.queued - all0.queued, (all.merges - all0.merges) + (all.exit_merges - all0.exit_merges));
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(c->live_bytes, 0);
    gcb_runtime_fini();
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->bytes_allocated, c->bytes_freed);
    CHECK_EQ_U(atomic_load(&gcb_counting_blocks), atomic_load(&gcb_counting_frees));
    fprintf(stderr, "test_brc freelists=%s: %llu blocks; brc: %llu shared decrefs, %llu queued, %llu merged at "
            "safepoints, %llu at exit, %llu orphans, %llu MERGED at zero local, %llu freed by droppers\n",
            freelists, (unsigned long long)atomic_load(&gcb_counting_blocks),
            (unsigned long long)(all.shared_decrefs - all0.shared_decrefs),
            (unsigned long long)(all.queued - all0.queued), (unsigned long long)(all.merges - all0.merges),
            (unsigned long long)(all.exit_merges - all0.exit_merges),
            (unsigned long long)(all.orphan_merges - all0.orphan_merges),
            (unsigned long long)(all.zero_local_merges - all0.zero_local_merges),
            (unsigned long long)(all.dropper_frees - all0.dropper_frees));
    gcb_alloc_process.destroy(actx);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        ops_per_thread = strtoull(argv[1], NULL, 10);
    run_all("none");
    run_all("cpython");
    return gcb_check_exit("test_brc");
}
