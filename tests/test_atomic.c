/*
 * tests/test_atomic.c - mode=atomic on several threads (gcbcore_atomic):
 * every count change an atomic RMW, per-thread runtime state (gcb_hot,
 * counter deltas, dealloc queue, free lists), the intern table's lock
 * (docs/threads.md, plan commit 4).
 *
 * Cases, each on 2 threads (and 4 for the sharing case), under rc:
 *   share    objects made by the main thread (ints, strings, tuples, lists
 *            holding them) are referenced from every thread: stack
 *            references, heap references in each thread's own lists, and
 *            replaced items; after the threads leave, every shared
 *            object's count is exactly its count before (1), and the
 *            runtime's counters balance exactly (no leak, no double free);
 *   handoff  objects made on one thread and dropped on the other through a
 *            one-slot mailbox: every one freed exactly once, by the
 *            receiver;
 *   intern   both threads intern the same 64 names and drop them again,
 *            so a canonical string dies on one thread while the other looks
 *            it up (the try-incref path of runtime/str.c): the table ends
 *            empty and nothing leaks;
 *   counts   the counter deltas of exiting threads are all flushed: objects
 *            and bytes allocated on the threads equal what the main thread
 *            reads afterwards, to the object and to the byte;
 *   peaks    a consumer frees what a producer allocated and flushes its
 *            (negative) deltas first, while the producer's positive ones
 *            are still unflushed, so the global sums pass below zero: the
 *            live peaks stay between the final live values and the true
 *            peaks (never "negative", never below what is left at the
 *            end); and a consumer freeing many objects flushes its
 *            negative delta, so a producer's later flushes cannot lift the
 *            peak to everything ever allocated.  Runs first, on a fresh
 *            runtime, so no earlier peak hides the result.
 * Also run with -p freelists=cpython, so each thread's free lists are
 * filled and emptied at its exit.
 * Usage: test_atomic [OPS]   (operations per thread, default 200000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "runtime/threads.h"
#include "tests/check.h"
#include "tests/counting.h"
#include "util/params.h"
#include "util/rng.h"

#if GCB_RC_MODE != GCB_RC_ATOMIC
#error "test_atomic is compiled against gcbcore_atomic"
#endif

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };

enum { NSHARED = 256, NTHREADS_MAX = 4 };
static gcb_object_t *shared[NSHARED];
static uint64_t ops_per_thread = 200000;

typedef struct worker {
    pthread_t th;
    gcb_tstate_t ts;
    uint32_t t;
    int failures;
    uint64_t made;             /* objects this thread allocated */
} worker_t;

static void *share_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    gcb_rng_t r;
    gcb_rng_seed(&r, 1234 + w->t);
    gcb_frame_t *f = gcb_frame_push(4);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (uint64_t i = 0; i < ops_per_thread; i++) {
        gcb_object_t *o = shared[gcb_rng_below(&r, NSHARED)];
        switch (gcb_rng_below(&r, 4)) {
        case 0: /* a stack reference */
            gcb_local_set(f, 1, gcb_newref(o));
            break;
        case 1: /* a heap reference in this thread's list */
            gcb_list_append(gcb_local(f, 0), gcb_newref(o));
            break;
        case 2: /* replace an item of the thread's list (drops a shared ref) */
            if (gcb_list_len(gcb_local(f, 0)))
                gcb_list_set(gcb_local(f, 0), gcb_rng_below(&r, gcb_list_len(gcb_local(f, 0))), gcb_newref(o));
            break;
        default: /* a fresh tuple holding a shared object, dropped soon */
            gcb_local_set(f, 2, gcb_tuple_new(2));
            gcb_tuple_init(gcb_local(f, 2), 0, gcb_newref(o));
            gcb_tuple_init(gcb_local(f, 2), 1, gcb_int_new((int64_t)i + 1000));
            w->made += 2;
            break;
        }
        if (gcb_list_len(gcb_local(f, 0)) > 4096)
            gcb_local_set(f, 0, gcb_list_new(0)); /* drops 4097 shared references at once */
        gcb_safepoint();
    }
    gcb_frame_pop(f);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

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

static void run_workers(uint32_t n, void *(*fn)(void *), worker_t *w)
{
    for (uint32_t t = 0; t < n; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].t = t;
        CHECK(pthread_create(&w[t].th, NULL, fn, &w[t]) == 0);
    }
    for (uint32_t t = 0; t < n; t++) {
        pthread_join(w[t].th, NULL);
        CHECK_EQ_I(w[t].failures, 0);
    }
}

static void test_share(uint32_t n)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    make_shared();
    int64_t before[NSHARED];
    for (int i = 0; i < NSHARED; i++)
        before[i] = GCB_REFCNT(shared[i]);
    uint64_t alloc0 = gcb_runtime_counters()->objects_allocated;
    worker_t w[NTHREADS_MAX];
    run_workers(n, share_main, w);
    uint64_t made = 0;
    for (uint32_t t = 0; t < n; t++)
        made += w[t].made;
    c = gcb_runtime_counters();
    /* every tuple and int the threads made (+ their lists) is counted, none left */
    CHECK(c->objects_allocated - alloc0 >= made);
    int exact = 1;
    for (int i = 0; i < NSHARED; i++)
        exact &= GCB_REFCNT(shared[i]) == before[i];
    CHECK(exact);
    CHECK_EQ_I(GCB_REFCNT(shared[0]), 1);
    CHECK_EQ_I(GCB_REFCNT(shared[3]), 1);
    for (int i = NSHARED; i-- > 0;)
        gcb_release(shared[i]);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
    CHECK(c->live_objects_peak >= live0 + NSHARED);
}

/* --- handoff: allocate on one thread, free on the other ----------------- */

static gcb_object_t *_Atomic mailbox;
static _Atomic uint64_t handed, received;

static void *handoff_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    for (uint64_t i = 0; i < ops_per_thread / 4; i++) {
        if (w->t == 0) {
            gcb_object_t *l = gcb_list_new(0);
            gcb_list_append(l, gcb_int_new((int64_t)i + 1000));
            gcb_list_append(l, gcb_float_new((double)i));
            gcb_object_t *expect = NULL;
            while (!atomic_compare_exchange_weak(&mailbox, &expect, l)) {
                expect = NULL;
                sched_yield(); /* one core (taskset -c 0): let the receiver run */
            }
            atomic_fetch_add(&handed, 1);
            w->made += 3;
        } else {
            gcb_object_t *l;
            while (!(l = atomic_exchange(&mailbox, NULL)))
                sched_yield();
            if (gcb_list_len(l) != 2 || gcb_int_value(gcb_list_get(l, 0)) != (int64_t)i + 1000)
                w->failures++;
            gcb_release(l);
            atomic_fetch_add(&received, 1);
        }
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_handoff(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes, freed0 = c->objects_freed;
    handed = received = 0;
    worker_t w[2];
    run_workers(2, handoff_main, w);
    CHECK_EQ_U(atomic_load(&handed), ops_per_thread / 4);
    CHECK_EQ_U(atomic_load(&received), ops_per_thread / 4);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->objects_freed - freed0, w[0].made);  /* all freed by thread 1, exactly once */
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
}

/* --- peaks: a consumer's negative deltas flushed before the producer's -- */

/* PEAK_SLACK: how far one thread's unflushed delta may go
 * (GCB_FLUSH_OBJECTS of runtime/internal.h, which tests do not include). */
enum { PEAK_HANDED = 500, PEAK_KEPT = 100, PEAK_ROUNDS = 40, PEAK_SLACK = 1024 };
static gcb_object_t *kept;        /* the producer's objects left alive at the end */
static _Atomic int consumer_left; /* the consumer has flushed (left the table) */

/* Round r of the producer: a list of PEAK_HANDED ints (below both flush
 * thresholds, so nothing is flushed by the allocations themselves). */
static gcb_object_t *peak_batch(uint64_t r)
{
    gcb_object_t *l = gcb_list_new(0);
    for (int i = 0; i < PEAK_HANDED; i++)
        gcb_list_append(l, gcb_int_new((int64_t)(r * PEAK_HANDED + i) + 100000));
    return l;
}

static void *peak_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    if (w->t == 0) { /* producer: everything made before the handoff, so the true peak is all of it */
        kept = gcb_list_new(0);
        for (int i = 0; i < PEAK_KEPT; i++)
            gcb_list_append(kept, gcb_int_new(i + 5000));
        atomic_store(&mailbox, peak_batch(0));
        while (!atomic_load(&consumer_left))
            sched_yield(); /* keep the positive deltas unflushed until the consumer has flushed */
    } else {           /* consumer: frees the batch, flushes a negative delta when it leaves */
        gcb_object_t *l;
        while (!(l = atomic_exchange(&mailbox, NULL)))
            sched_yield();
        if (gcb_list_len(l) != PEAK_HANDED)
            w->failures++;
        gcb_release(l);
    }
    gcb_thread_unregister(&w->ts);
    if (w->t == 1)
        atomic_store(&consumer_left, 1);
    return NULL;
}

/* Rounds of PEAK_HANDED + 1 objects made on thread 0 and freed on thread 1
 * in lockstep: at most two batches are ever alive at once, but thread 0's
 * deltas reach the object threshold every other round, so if thread 1's
 * negative deltas were never flushed the global sum, and the peak, would
 * climb to all the rounds' objects. */
static _Atomic uint64_t peak_taken;
static void *stream_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    for (uint64_t r = 0; r < PEAK_ROUNDS; r++) {
        if (w->t == 0) {
            gcb_object_t *expect = NULL, *l = peak_batch(r);
            while (!atomic_compare_exchange_weak(&mailbox, &expect, l)) {
                expect = NULL;
                sched_yield();
            }
            while (atomic_load(&peak_taken) < r) /* at most one batch in the consumer's hands */
                sched_yield();
        } else {
            gcb_object_t *l;
            while (!(l = atomic_exchange(&mailbox, NULL)))
                sched_yield();
            gcb_release(l);
            atomic_store(&peak_taken, r + 1);
        }
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_peaks(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes, alloc0 = c->bytes_allocated;
    /* a fresh runtime: nothing live, so the consumer's flush takes the sums below zero */
    CHECK_EQ_U(live0, 0);
    CHECK_EQ_U(bytes0, 0);
    atomic_store(&consumer_left, 0);
    atomic_store(&mailbox, NULL);
    worker_t w[2];
    run_workers(2, peak_main, w);
    c = gcb_runtime_counters();
    uint64_t made_o = (uint64_t)PEAK_HANDED + 1 + PEAK_KEPT + 1, made_b = c->bytes_allocated - alloc0;
    CHECK_EQ_U(c->live_objects, PEAK_KEPT + 1);
    CHECK((int64_t)c->live_objects_peak >= 0);
    CHECK((int64_t)c->live_bytes_peak >= 0);
    CHECK(c->live_objects_peak >= c->live_objects); /* never below what is left */
    CHECK(c->live_bytes_peak >= c->live_bytes);
    CHECK(c->live_objects_peak <= made_o);          /* never above the true peak */
    CHECK(c->live_bytes_peak <= made_b);
    uint64_t kept_o = c->live_objects, kept_b = c->live_bytes;

    /* the stream: the true peak is at most kept + 2 batches */
    atomic_store(&peak_taken, 0);
    run_workers(2, stream_main, w);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, kept_o);
    CHECK_EQ_U(c->live_bytes, kept_b);
    CHECK(c->live_objects_peak >= c->live_objects);
    CHECK(c->live_objects_peak <= kept_o + 2 * (PEAK_HANDED + 1) + PEAK_SLACK);
    fprintf(stderr, "test_atomic peaks: live objects %llu (peak %llu), bytes %llu (peak %llu)\n",
            (unsigned long long)c->live_objects, (unsigned long long)c->live_objects_peak,
            (unsigned long long)c->live_bytes, (unsigned long long)c->live_bytes_peak);
    gcb_release(kept);
    kept = NULL;
}

/* --- intern: canonical strings dying on one thread, found on the other -- */

static void *intern_main(void *arg)
{
    worker_t *w = arg;
    if (gcb_thread_register(&w->ts)) {
        w->failures++;
        return NULL;
    }
    gcb_rng_t r;
    gcb_rng_seed(&r, 99 + w->t);
    for (uint64_t i = 0; i < ops_per_thread / 2; i++) {
        char b[16];
        int len = snprintf(b, sizeof b, "name%u", (unsigned)gcb_rng_below(&r, 64));
        gcb_object_t *s = gcb_str_intern(gcb_str_new(b, (size_t)len));
        if (!gcb_str_is_interned(s) || gcb_str_len(s) != (size_t)len || memcmp(gcb_str_data(s), b, (size_t)len))
            w->failures++;
        gcb_release(s);
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_intern(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    size_t interned0 = gcb_interned_count();
    worker_t w[2];
    run_workers(2, intern_main, w);
    CHECK_EQ_U(gcb_interned_count(), interned0);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
}


static void run_all(const char *freelists)
{
    void *actx = gcb_counting_begin(freelists);
    gcb_runtime_init(&gcb_counting, actx, &refcounting);
    test_peaks();
    test_share(2);
    test_share(4);
    test_handoff();
    test_intern();
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(c->live_bytes, 0);
    CHECK_EQ_U(c->objects_allocated, c->objects_freed + c->immortal_objects + 0);
    gcb_runtime_fini();
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->bytes_allocated, c->bytes_freed); /* every byte back to the allocator */
    CHECK_EQ_U(atomic_load(&gcb_counting_blocks), atomic_load(&gcb_counting_frees)); /* and every block */
    CHECK(atomic_load(&gcb_counting_blocks) > 2 * ops_per_thread);
    fprintf(stderr, "test_atomic freelists=%s: %llu blocks allocated and freed on up to %d threads\n", freelists,
            (unsigned long long)atomic_load(&gcb_counting_blocks), NTHREADS_MAX);
    gcb_alloc_process.destroy(actx);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        ops_per_thread = strtoull(argv[1], NULL, 10);
    run_all("none");
    run_all("cpython");
    return gcb_check_exit("test_atomic");
}
