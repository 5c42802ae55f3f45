/*
 * tests/test_qsbr_runtime.c - QSBR in the runtime (runtime/shared.{h,c},
 * the threaded parts of runtime/list.c and runtime/dict.c; docs/threads.md
 * plan commit 8), on gcbcore_atomic under rc.
 *
 * The allocator under the runtime poisons every block it is given back
 * (0x3b) and keeps it in a quarantine before freeing it: an item read
 * after its free fails the validity check (its type pointer is gone), and
 * a write after free (a try-incref on a freed item) is found when the
 * block leaves the quarantine, instead of passing by luck;
 * ThreadSanitizer (build-tsan, suite threads) adds the ordering checks.
 *
 * Cases:
 *   grace   two threads, in lockstep: a reader makes a writer's list SHARED
 *           (its first get_ref), then stalls attached, without a
 *           safepoint, while the writer grows and clears the list 400
 *           times: every outgrown array and every dropped item is queued
 *           (held bytes > 0, nothing freed: exactly 0 freed blocks) until
 *           the reader passes one safepoint; then the writer's next
 *           processing frees; at the end nothing is held and every queued
 *           block was freed exactly once;
 *   stress  2 writers and 2 readers (and 1 + 3) on a list and a dict built
 *           by thread 0, plus one segment list per writer (owned by thread
 *           0, appended and cleared by its writer: non-owner resizes) and a
 *           dict the writers insert into and delete from (keys-table
 *           resizes): readers read through gcb_list_get_ref /
 *           gcb_dict_get_ref and check every item (an int whose low 16
 *           bits are a hash of the rest: a freed or foreign block fails);
 *           the final contents equal what each writer recorded (index j is
 *           written only by writer j % W); held bytes back to 0, QSBR's
 *           counters balanced, the runtime's counters back to where they
 *           were, every block back to the allocator.
 * Usage: test_qsbr_runtime [OPS]   (operations per thread, default 100000)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "runtime/qsbr.h"
#include "runtime/threads.h"
#include "tests/check.h"
#include "util/params.h"
#include "util/rng.h"

#if GCB_RC_MODE != GCB_RC_ATOMIC
#error "test_qsbr_runtime is compiled against gcbcore_atomic"
#endif

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };
static uint64_t ops_per_thread = 100000;

/* --- values a reader can check ------------------------------------------ */

static int64_t encode(uint64_t x) { return (int64_t)((x << 16) | (gcb_mix(x, 77) & 0xffff)); }

static int valid(gcb_object_t *o)
{
    if (!o || o->type != &gcb_int_type)
        return 0;
    uint64_t v = (uint64_t)gcb_int_value(o);
    return v >> 16 != 0 && (v & 0xffff) == (gcb_mix(v >> 16, 77) & 0xffff);
}

static gcb_qsbr_stats_t qstats(void)
{
    gcb_qsbr_stats_t s;
    gcb_runtime_qsbr_stats(&s);
    return s;
}

/* --- grace: nothing freed while a reader is not quiescent ------------------- */

static struct {
    gcb_object_t *L;
    _Atomic int step;         /* lockstep: 1 published, 2 shared, 3 writer done, 4 reader quiescent, 5 end */
    int failures;
    uint64_t held_during, freed_during, deferred_during, freed_after;
} g;

static void wait_step(int s)
{
    while (atomic_load(&g.step) < s)
        ; /* spinning attached, no safepoint: the stall */
}

static void *grace_writer(void *arg)
{
    gcb_tstate_t ts;
    (void)arg;
    CHECK(gcb_thread_register(&ts) == 0);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_list_append(gcb_local(f, 0), gcb_int_new(encode(1)));
    g.L = gcb_local(f, 0);
    atomic_store(&g.step, 1);
    wait_step(2);
    gcb_qsbr_stats_t s0 = qstats();
    for (int round = 0; round < 400; round++) {
        for (int k = 0; k < 9; k++) /* 0 -> 4 -> 8 -> 16: two outgrown arrays */
            gcb_list_append(g.L, gcb_int_new(encode((uint64_t)round * 16 + (uint64_t)k + 2)));
        gcb_list_clear(g.L);                       /* the 16-array and 9 items queued */
        gcb_safepoint();
    }
    gcb_qsbr_stats_t s1 = qstats();
    g.held_during = s1.held_bytes;
    g.freed_during = s1.freed_blocks - s0.freed_blocks;
    g.deferred_during = s1.deferred_blocks - s0.deferred_blocks;
    atomic_store(&g.step, 3);
    wait_step(4);
    for (int round = 0; round < 400; round++) { /* more deferrals: the next processing runs */
        gcb_list_append(g.L, gcb_int_new(encode(100000 + (uint64_t)round)));
        gcb_list_clear(g.L);
        gcb_safepoint();
    }
    g.freed_after = qstats().freed_blocks - s0.freed_blocks;
    atomic_store(&g.step, 5);
    gcb_frame_pop(f);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void *grace_reader(void *arg)
{
    gcb_tstate_t ts;
    (void)arg;
    CHECK(gcb_thread_register(&ts) == 0);
    wait_step(1);
    gcb_safepoint();
    gcb_object_t *x = gcb_list_get_ref(g.L, 0); /* a non-owner's first read: SHARED from now on */
    if (!valid(x))
        g.failures++;
    gcb_release(x);
    atomic_store(&g.step, 2);
    wait_step(3);                                /* stalled: holds up every free */
    gcb_safepoint();                             /* asked for by the writer: quiescent */
    atomic_store(&g.step, 4);
    wait_step(5);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void test_grace(void)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    gcb_qsbr_stats_t s0 = qstats();
    memset(&g, 0, sizeof g);
    pthread_t w, r;
    CHECK(pthread_create(&w, NULL, grace_writer, NULL) == 0);
    CHECK(pthread_create(&r, NULL, grace_reader, NULL) == 0);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    CHECK_EQ_I(g.failures, 0);
    /* 400 x (the 4- and 8-arrays outgrown, the 16-array cleared, 9 items),
     * and the first item, there before the list was shared */
    CHECK_EQ_U(g.deferred_during, 400 * 12 + 1);
    CHECK_EQ_U(g.freed_during, 0);
    CHECK_EQ_U(g.held_during, s0.held_bytes + 400 * (4 + 8 + 16) * sizeof(gcb_object_t *));
    CHECK(g.freed_after > 0);
    gcb_qsbr_stats_t s1 = qstats();
    CHECK_EQ_U(s1.held_bytes, 0);
    CHECK_EQ_U(s1.held_blocks, 0);
    CHECK_EQ_U(s1.deferred_blocks - s0.deferred_blocks, s1.freed_blocks - s0.freed_blocks);
    CHECK(s1.held_bytes_peak >= g.held_during);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
}

/* --- stress: writers resizing while readers read -------------------------- */

enum { NITEMS = 1024, SEG_MAX = 600, D2_MAX = 300, NMAX = 4, TMP = 3 + NMAX /* a scratch local */ };

static struct {
    pthread_barrier_t start, end;
    gcb_object_t *L, *D, *D2, *segs[NMAX];
    uint32_t n, writers;
    uint64_t last[NITEMS];          /* the x each index last got (written by its writer only) */
    uint64_t seg_sum[NMAX], seg_len[NMAX];
    uint64_t reads_ok[NMAX], bad[NMAX];
} st;

static void build(gcb_frame_t *f)
{
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_local_set(f, 1, gcb_dict_new());
    gcb_local_set(f, 2, gcb_dict_new());
    st.L = gcb_local(f, 0);
    st.D = gcb_local(f, 1);
    st.D2 = gcb_local(f, 2);
    for (uint64_t i = 0; i < NITEMS; i++) {
        st.last[i] = i + 1;
        gcb_list_append(st.L, gcb_int_new(encode(i + 1)));
        gcb_dict_set(st.D, gcb_int_new((int64_t)i), gcb_int_new(encode(i + 1)));
    }
    for (uint32_t w = 0; w < st.writers; w++) {
        st.segs[w] = gcb_list_new(0);
        gcb_local_set(f, 3 + w, st.segs[w]);
    }
}

static void write_one(gcb_frame_t *f, gcb_rng_t *r, uint32_t w, uint64_t k)
{
    uint64_t per = NITEMS / st.writers;
    uint64_t j = w + st.writers * gcb_rng_below(r, per);
    uint64_t x = (k + 1) * NMAX * 2 + w + 1;
    st.last[j] = x;
    gcb_list_set(st.L, j, gcb_int_new(encode(x)));
    gcb_local_set(f, TMP, gcb_int_new((int64_t)j));
    gcb_dict_set(st.D, gcb_newref(gcb_local(f, TMP)), gcb_int_new(encode(x)));
    gcb_object_t *seg = st.segs[w];
    gcb_list_append(seg, gcb_int_new(encode(x)));
    st.seg_sum[w] += x;
    st.seg_len[w]++;
    if (gcb_list_len(seg) >= SEG_MAX) {
        gcb_list_clear(seg);
        st.seg_sum[w] = st.seg_len[w] = 0;
    }
    /* D2: keys of this writer come and go; tables rebuilt when dummies fill them */
    gcb_local_set(f, TMP, gcb_int_new((int64_t)(w * 1000000 + k % D2_MAX)));
    if (k % 3 == 2)
        gcb_dict_del(st.D2, gcb_local(f, TMP));
    else
        gcb_dict_set(st.D2, gcb_newref(gcb_local(f, TMP)), gcb_int_new(encode(x)));
}

static void read_one(gcb_frame_t *f, gcb_rng_t *r, uint32_t t)
{
    gcb_object_t *x;
    switch (gcb_rng_below(r, 4)) {
    case 0:
        x = gcb_list_get_ref(st.L, gcb_rng_below(r, NITEMS));
        break;
    case 1:
        gcb_local_set(f, TMP, gcb_int_new((int64_t)gcb_rng_below(r, NITEMS)));
        x = gcb_dict_get_ref(st.D, gcb_local(f, TMP));
        break;
    case 2: {
        uint32_t w = (uint32_t)gcb_rng_below(r, st.writers);
        x = gcb_list_get_ref(st.segs[w], gcb_rng_below(r, SEG_MAX));
        if (!x)
            return; /* past the segment's end */
        break;
    }
    default:
        gcb_local_set(f, TMP, gcb_int_new((int64_t)(gcb_rng_below(r, st.writers) * 1000000 + gcb_rng_below(r, D2_MAX))));
        x = gcb_dict_get_ref(st.D2, gcb_local(f, TMP));
        if (!x)
            return; /* deleted or not yet there */
        break;
    }
    if (valid(x))
        st.reads_ok[t]++;
    else
        st.bad[t]++;
    if (x)
        gcb_release(x);
}

static uint64_t check_final(void)
{
    uint64_t wrong = 0;
    gcb_frame_t *f = gcb_frame_push(1);
    for (uint64_t i = 0; i < NITEMS; i++) {
        gcb_object_t *a = gcb_list_get(st.L, i);
        gcb_local_set(f, 0, gcb_int_new((int64_t)i));
        gcb_object_t *b = gcb_dict_get(st.D, gcb_local(f, 0));
        wrong += !valid(a) || gcb_int_value(a) != encode(st.last[i]);
        wrong += !b || gcb_int_value(b) != encode(st.last[i]);
    }
    for (uint32_t w = 0; w < st.writers; w++) {
        uint64_t sum = 0, len = gcb_list_len(st.segs[w]);
        for (uint64_t i = 0; i < len; i++)
            sum += (uint64_t)gcb_int_value(gcb_list_get(st.segs[w], i)) >> 16;
        wrong += len != st.seg_len[w] || sum != st.seg_sum[w];
    }
    gcb_frame_pop(f);
    return wrong;
}

static uint64_t final_wrong;

static void *stress_main(void *arg)
{
    uint32_t t = (uint32_t)(uintptr_t)arg;
    gcb_tstate_t ts;
    CHECK(gcb_thread_register(&ts) == 0);
    gcb_frame_t *f = gcb_frame_push(TMP + 1);
    if (t == 0)
        build(f);
    pthread_barrier_wait(&st.start);
    gcb_rng_t r;
    gcb_rng_seed(&r, 4242 + t);
    int writer = t < st.writers;
    for (uint64_t k = 0; k < ops_per_thread; k++) {
        if (writer)
            write_one(f, &r, t, k);
        else
            read_one(f, &r, t);
        gcb_safepoint();
    }
    pthread_barrier_wait(&st.end);
    if (t == 0)
        final_wrong = check_final();
    pthread_barrier_wait(&st.end); /* thread 0's frame holds them: nobody drops them early */
    gcb_frame_pop(f);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void test_stress(uint32_t n, uint32_t writers)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    uint64_t live0 = c->live_objects, bytes0 = c->live_bytes;
    gcb_qsbr_stats_t s0 = qstats();
    memset(&st, 0, sizeof st);
    st.n = n;
    st.writers = writers;
    pthread_barrier_init(&st.start, NULL, n);
    pthread_barrier_init(&st.end, NULL, n);
    pthread_t th[NMAX];
    for (uint32_t t = 0; t < n; t++)
        CHECK(pthread_create(&th[t], NULL, stress_main, (void *)(uintptr_t)t) == 0);
    for (uint32_t t = 0; t < n; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&st.start);
    pthread_barrier_destroy(&st.end);
    uint64_t ok = 0, bad = 0;
    for (uint32_t t = writers; t < n; t++) {
        ok += st.reads_ok[t];
        bad += st.bad[t];
    }
    CHECK_EQ_U(bad, 0);
    CHECK(ok > (n - writers) * ops_per_thread / 4); /* most reads found an item */
    CHECK_EQ_U(final_wrong, 0);
    gcb_qsbr_stats_t s1 = qstats();
    CHECK(s1.deferred_blocks - s0.deferred_blocks > writers * ops_per_thread); /* every replaced item at least */
    CHECK_EQ_U(s1.deferred_blocks - s0.deferred_blocks, s1.freed_blocks - s0.freed_blocks);
    CHECK_EQ_U(s1.held_bytes, 0);
    CHECK_EQ_U(s1.held_blocks, 0);
    CHECK(s1.held_bytes_peak > 0);
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, live0);
    CHECK_EQ_U(c->live_bytes, bytes0);
    fprintf(stderr, "test_qsbr_runtime stress %u threads (%u writers): %llu reads checked, %llu blocks "
            "delayed, held peak %llu bytes\n", n, writers, (unsigned long long)ok,
            (unsigned long long)(s1.deferred_blocks - s0.deferred_blocks), (unsigned long long)s1.held_bytes_peak);
}

/* --- the allocator: counting, poisoning, a quarantine ---------------------
 *
 * A freed block is filled with 0x3b and kept (up to QUARANTINE blocks)
 * before it really goes: when it leaves, every byte must still be 0x3b.
 * A use after free that writes (a try-incref on a freed item: 0x3b3b...
 * is a positive count, so the CAS would go through) is counted in
 * `uaf_writes`; one that reads sees no int (valid() fails). */

enum { QUARANTINE = 8192 };
static _Atomic uint64_t blocks, frees;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void *p; size_t n; } quarantine[QUARANTINE];
static size_t q_head, q_count;
static uint64_t uaf_writes;

static void release_oldest(void *ctx)
{
    void *p = quarantine[q_head].p;
    size_t n = quarantine[q_head].n;
    q_head = (q_head + 1) % QUARANTINE;
    q_count--;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char *)p)[i] != 0x3b) {
            uaf_writes++;
            break;
        }
    gcb_alloc_process.free(ctx, p, n);
}

static void *count_malloc(void *ctx, size_t n) { blocks++; return gcb_alloc_process.malloc(ctx, n); }
static void count_free(void *ctx, void *p, size_t n)
{
    frees++;
    memset(p, 0x3b, n);
    pthread_mutex_lock(&q_lock);
    if (q_count == QUARANTINE)
        release_oldest(ctx);
    quarantine[(q_head + q_count) % QUARANTINE].p = p;
    quarantine[(q_head + q_count) % QUARANTINE].n = n;
    q_count++;
    pthread_mutex_unlock(&q_lock);
}
static gcb_allocator_t counting;

static void drain_quarantine(void *ctx)
{
    pthread_mutex_lock(&q_lock);
    while (q_count)
        release_oldest(ctx);
    pthread_mutex_unlock(&q_lock);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        ops_per_thread = strtoull(argv[1], NULL, 10);
    char err[256];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    void *actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    CHECK(actx != NULL);
    counting = gcb_alloc_process;
    counting.malloc = count_malloc;
    counting.free = count_free; /* realloc: the process allocator's own, copied above */
    gcb_runtime_init(&counting, actx, &refcounting);
    test_grace();
    test_stress(4, 2);
    test_stress(4, 1);
    test_stress(2, 1);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(c->live_bytes, 0);
    gcb_runtime_fini();
    c = gcb_runtime_counters();
    CHECK_EQ_U(c->bytes_allocated, c->bytes_freed);
    CHECK_EQ_U(atomic_load(&blocks), atomic_load(&frees));
    drain_quarantine(actx);
    CHECK_EQ_U(uaf_writes, 0); /* no freed block was written */
    gcb_alloc_process.destroy(actx);
    return gcb_check_exit("test_qsbr_runtime");
}
