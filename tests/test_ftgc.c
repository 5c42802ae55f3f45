/*
 * tests/test_ftgc.c - the free-threaded collector (collectors/ftgc.c) and
 * its slot table (collectors/tracked.c) on the ft core.
 *
 * What is checked, each against an independent count:
 *   cycles    one thread: K two-list cycles dropped are freed by one
 *             gc.collect(), exactly 2K objects, nothing else; the slot
 *             table then holds exactly the containers reachable from the
 *             frames (the oracle: a depth-first walk from every frame with
 *             its own visited set);
 *   trigger   the +-512 batching: with threshold 2000 the first collection
 *             runs at the safepoint after the 2048th container, none
 *             before; with 20,096 survivors the quarter rule holds the next
 *             one back until young_count passes 5,024 (a thread's batch is
 *             not reset by a collection, as in CPython);
 *             every collection is two stops (runtime/stw.h);
 *   mutate    2 and 4 threads, 10^6 operations in all: lists, dicts and
 *             tuples built from each other, cycles dropped, references
 *             handed to other threads through a mailbox, collections
 *             asked for by the trigger (threshold 300) and by gc.collect()
 *             on any thread while the others mutate; at every phase end all
 *             threads stop, one collects, and live mortal containers ==
 *             reachable from every thread's frames, exactly; at the end
 *             nothing is live and the allocator saw as many frees as
 *             blocks.
 * With mark_alive=1 (3.14) and 0 (3.13).  Under ThreadSanitizer too.
 *
 * Usage: test_ftgc [OPS]   (operations of the mutation test, default 10^6)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "allocators/allocator.h"
#include "collectors/collector.h"
#include "collectors/tracked.h"
#include "runtime/host.h"
#include "runtime/stw.h"
#include "runtime/threads.h"
#include "tests/check.h"
#include "tests/counting.h"
#include "util/params.h"
#include "util/rng.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "test_ftgc is compiled against gcbcore_ft"
#endif

static uint64_t total_ops = 1000000;
static const gcb_collector_t *coll;

/* --- the runtime over a counting allocator, with ftgc --------------------- */

static void *actx;

static void start(const char *threshold, int mark_alive)
{
    char err[256], kv[64];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    snprintf(kv, sizeof kv, "threshold=%s", threshold);
    CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    snprintf(kv, sizeof kv, "mark_alive=%d", mark_alive);
    CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    CHECK(coll->init(&p, err, sizeof err) == 0);
    gcb_policy_t policy = gcb_collector_policy(coll);
    actx = gcb_counting_begin(NULL);
    gcb_runtime_init(&gcb_counting, actx, &policy);
    gcb_stw_stats_reset();
}

static void finish(const char *name)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    coll->fini();
    gcb_runtime_fini();
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->bytes_allocated, c->bytes_freed);
    CHECK_EQ_U(atomic_load(&gcb_counting_blocks), atomic_load(&gcb_counting_frees));
    fprintf(stderr, "test_ftgc %s: %llu blocks\n", name, (unsigned long long)atomic_load(&gcb_counting_blocks));
    gcb_alloc_process.destroy(actx);
}

static gcb_gc_stats_t stats(void)
{
    gcb_gc_stats_t s;
    coll->stats(&s);
    return s;
}

/* --- the oracle: reachable mortal containers, walked independently -------- */

typedef struct {
    gcb_object_t **v;    /* open addressing; NULL free */
    size_t cap, n;
    gcb_object_t **stack;
    size_t sn, scap;
} seen_t;

static int seen_add(seen_t *s, gcb_object_t *o)
{
    size_t i = ((uintptr_t)o >> 4) * 0x9E3779B97F4A7C15ull % s->cap;
    while (s->v[i]) {
        if (s->v[i] == o)
            return 0;
        i = (i + 1) % s->cap;
    }
    s->v[i] = o;
    s->n++;
    return 1;
}

static void oracle_visit(gcb_object_t *o, void *arg)
{
    seen_t *s = arg;
    if (!gcb_is_container(o) || gcb_is_immortal(o) || !seen_add(s, o))
        return;
    if (s->sn == s->scap) {
        s->scap = s->scap ? 2 * s->scap : 1024;
        s->stack = realloc(s->stack, s->scap * sizeof *s->stack);
    }
    s->stack[s->sn++] = o;
}

static void count_mortal(gcb_tracked_slot_t *sl, void *arg)
{
    if (!gcb_is_immortal(sl->obj))
        (*(uint64_t *)arg)++;
}

/* World stopped by the caller: reachable and tracked mortal containers. */
static void oracle(uint64_t *reachable, uint64_t *tracked_mortal)
{
    uint64_t live = 0;
    gcb_tracked_each(count_mortal, &live);
    seen_t s = { .cap = 4 * live + 1024 };
    s.v = calloc(s.cap, sizeof *s.v);
    gcb_frames_visit(oracle_visit, &s);
    while (s.sn) {
        gcb_object_t *o = s.stack[--s.sn];
        if (o->type->traverse)
            o->type->traverse(o, oracle_visit, &s);
    }
    *reachable = s.n;
    *tracked_mortal = live;
    free(s.v);
    free(s.stack);
}

static void check_oracle(const char *where)
{
    uint64_t r, t;
    gcb_stw_stop();
    oracle(&r, &t);
    gcb_stw_start();
    if (r != t)
        fprintf(stderr, "test_ftgc %s: %llu reachable, %llu tracked\n", where, (unsigned long long)r,
                (unsigned long long)t);
    CHECK_EQ_U(r, t);
}

/* --- cycles: one thread ------------------------------------------------------ */

static void test_cycles(int mark_alive)
{
    enum { K = 1000, KEEP = 50 };
    start("0", mark_alive);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int i = 0; i < KEEP; i++) {
        gcb_object_t *d = gcb_dict_new();
        gcb_dict_set(d, gcb_int_new(i), gcb_list_new(0));
        gcb_list_append(gcb_local(f, 0), d);
    }
    uint64_t live0 = gcb_runtime_counters()->live_objects;
    for (int i = 0; i < K; i++) {
        gcb_object_t *a = gcb_list_new(0), *b = gcb_list_new(0);
        gcb_list_append(a, gcb_newref(b));
        gcb_list_append(b, a); /* b holds a; our reference to a moved into b */
        gcb_release(b);
    }
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live0 + 2 * K);
    gcb_gc_collect();
    gcb_gc_stats_t s = stats();
    CHECK_EQ_U(s.collections, 1);
    CHECK_EQ_U(s.freed_by_gc, 2 * K);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live0);
    check_oracle("cycles");
    gcb_stw_stats_t w;
    gcb_stw_stats(&w);
    CHECK_EQ_U(w.stops, 2 + 1); /* the collection's two, the oracle's one */
    gcb_frame_pop(f);
    gcb_gc_collect();
    finish(mark_alive ? "cycles mark_alive=1" : "cycles mark_alive=0");
}

/* --- the trigger --------------------------------------------------------------- */

static uint64_t collections_now(void) { return stats().collections; }

/* Allocate containers into `keep` with a safepoint after each; the index
 * (1-based) of the allocation after which the first new collection ran. */
static uint64_t allocate_until_collect(gcb_object_t *keep, uint64_t max)
{
    uint64_t c0 = collections_now();
    for (uint64_t i = 1; i <= max; i++) {
        gcb_list_append(keep, gcb_list_new(0));
        gcb_safepoint();
        if (collections_now() != c0)
            return i;
    }
    return 0;
}

static void test_trigger(void)
{
    start("2000", 1);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_object_t *keep = gcb_list_new(0); /* container 1 */
    gcb_local_set(f, 0, keep);
    /* the keeper is the first container: the 2048th is its 2047th child */
    CHECK_EQ_U(allocate_until_collect(keep, 10000), 2047);
    CHECK_EQ_U(collections_now(), 1);
    /* 2048 survive: the next needs young_count > 2000 (> 2048/4): at 2048 more */
    CHECK_EQ_U(allocate_until_collect(keep, 10000), 2048);
    for (int i = 0; i < 16000; i++)
        gcb_list_append(keep, gcb_list_new(0));
    gcb_gc_collect(); /* 20,096 survivors: the quarter rule asks for young_count > 5,024 */
    /* the collection zeroed young_count, not this thread's batch: 16,000 =
     * 31 x 512 + 128 were counted, so the flushes come at the 384th
     * allocation and every 512 after; the 10th (young_count 5,120) is the
     * first above 5,024, at 384 + 9 x 512 = 4,992 */
    uint64_t c = collections_now();
    CHECK_EQ_U(allocate_until_collect(keep, 20000), 4992);
    CHECK_EQ_U(collections_now(), c + 1);
    gcb_stw_stats_t w;
    gcb_stw_stats(&w);
    CHECK_EQ_U(w.stops, 2 * collections_now());
    CHECK(w.ttsp_ns.count == w.stops && w.pause_ns.count == w.stops);
    gcb_frame_pop(f);
    gcb_gc_collect();
    finish("trigger");
}

/* --- mutate: N threads sharing through a mailbox ---------------------------- */

enum { NLOCALS = 8, MAILBOX = 32, PHASES = 4, NTHREADS_MAX = 4 };

typedef struct worker {
    pthread_t th;
    gcb_tstate_t ts;
    uint32_t t, n;
    uint64_t ops;
} worker_t;

static pthread_mutex_t mail_lock = PTHREAD_MUTEX_INITIALIZER;
static gcb_object_t *mailbox[MAILBOX];
static pthread_barrier_t phase_barrier;
static _Atomic uint64_t handoffs;

/* Swap a reference with the mailbox: ours goes in, what was there (a
 * reference another thread made, or NULL) comes out. */
static gcb_object_t *mail_swap(uint32_t slot, gcb_object_t *ref)
{
    pthread_mutex_lock(&mail_lock);
    gcb_object_t *old = mailbox[slot];
    mailbox[slot] = ref;
    pthread_mutex_unlock(&mail_lock);
    return old;
}

static void mail_drain(void)
{
    for (uint32_t i = 0; i < MAILBOX; i++) {
        gcb_object_t *o = mail_swap(i, NULL);
        if (o)
            gcb_release(o);
    }
}

static int is_list(gcb_object_t *o) { return o->type == &gcb_list_type; }

/* One random operation on the thread's frame. */
static void mutate_once(gcb_frame_t *f, gcb_rng_t *r)
{
    uint32_t i = (uint32_t)gcb_rng_below(r, NLOCALS), j = (uint32_t)gcb_rng_below(r, NLOCALS);
    gcb_object_t *a = gcb_local(f, i), *b = gcb_local(f, j);
    switch (gcb_rng_below(r, 9)) {
    case 0: gcb_local_set(f, i, gcb_list_new(0)); break;
    case 1: {
        gcb_object_t *d = gcb_dict_new();
        gcb_dict_set(d, gcb_int_new((int64_t)gcb_rng_below(r, 16)), gcb_newref(b));
        gcb_local_set(f, i, d);
        break;
    }
    case 2: {
        gcb_object_t *t = gcb_tuple_new(2);
        gcb_tuple_init(t, 0, gcb_newref(a));
        gcb_tuple_init(t, 1, gcb_newref(b));
        gcb_local_set(f, i, t);
        break;
    }
    case 3:
    case 4:
        if (is_list(a) && gcb_list_len(a) < 64)
            gcb_list_append(a, gcb_newref(b)); /* may close a cycle */
        break;
    case 5:
        if (is_list(a) && gcb_list_len(a))
            gcb_list_clear(a);
        break;
    case 6: gcb_local_set(f, i, gcb_newref(gcb_None)); break;
    case 7: {
        /* moved, not copied: no two threads hold a list in their frames,
         * so only one appends to or clears it (its reads are unlocked) */
        gcb_object_t *give = gcb_newref(a);
        gcb_local_set(f, i, gcb_newref(gcb_None));
        gcb_object_t *got = mail_swap((uint32_t)gcb_rng_below(r, MAILBOX), give);
        if (got) {
            handoffs++;
            gcb_local_set(f, j, got);
        }
        break;
    }
    default: {
        gcb_object_t *x = gcb_list_new(0), *y = gcb_list_new(0);
        gcb_list_append(x, gcb_newref(y));
        gcb_list_append(y, x);
        gcb_local_set(f, i, y); /* a cycle, dropped when the slot is next overwritten */
        break;
    }
    }
}

/* The end of a phase: everybody stops; thread 0 empties the mailbox,
 * collects and checks live == reachable while the others wait detached. */
static void phase_end(worker_t *w)
{
    gcb_blocking_begin();
    pthread_barrier_wait(&phase_barrier);
    gcb_blocking_end();
    if (w->t == 0) {
        mail_drain();
        gcb_gc_collect(); /* one collection: after it, live == reachable */
        check_oracle("mutate phase");
    }
    gcb_blocking_begin();
    pthread_barrier_wait(&phase_barrier);
    gcb_blocking_end();
}

static void *mutate_main(void *arg)
{
    worker_t *w = arg;
    CHECK(gcb_thread_register(&w->ts) == 0);
    gcb_rng_t r;
    gcb_rng_seed(&r, 99 + w->t);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t per_phase = w->ops / PHASES;
    for (int ph = 0; ph < PHASES; ph++) {
        for (uint64_t k = 0; k < per_phase; k++) {
            mutate_once(f, &r);
            gcb_safepoint();
            if (k % 7919 == 7918)
                gcb_gc_collect(); /* a stop-the-world while the others mutate */
        }
        phase_end(w);
    }
    gcb_frame_pop(f);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_mutate(uint32_t n, int mark_alive)
{
    static worker_t w[NTHREADS_MAX];
    start("300", mark_alive);
    handoffs = 0;
    pthread_barrier_init(&phase_barrier, NULL, n);
    for (uint32_t t = 0; t < n; t++) {
        memset(&w[t], 0, sizeof w[t]);
        w[t].t = t;
        w[t].n = n;
        w[t].ops = total_ops / n;
        CHECK(pthread_create(&w[t].th, NULL, mutate_main, &w[t]) == 0);
    }
    for (uint32_t t = 0; t < n; t++)
        pthread_join(w[t].th, NULL);
    pthread_barrier_destroy(&phase_barrier);
    mail_drain();
    gcb_gc_collect();
    gcb_gc_stats_t s = stats();
    CHECK(s.collections > PHASES);
    CHECK(handoffs > 0);
    char name[64];
    snprintf(name, sizeof name, "mutate threads=%u mark_alive=%d", n, mark_alive);
    fprintf(stderr, "test_ftgc %s: %llu collections, %llu freed by them, %llu handoffs\n", name,
            (unsigned long long)s.collections, (unsigned long long)s.freed_by_gc, (unsigned long long)handoffs);
    finish(name);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        total_ops = strtoull(argv[1], NULL, 10);
    coll = gcb_collector_find("ftgc");
    CHECK(coll != NULL);
    test_cycles(1);
    test_cycles(0);
    test_trigger();
    test_mutate(2, 1);
    test_mutate(4, 1);
    test_mutate(2, 0);
    return gcb_check_exit("test_ftgc");
}
