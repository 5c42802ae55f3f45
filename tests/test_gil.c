/*
 * tests/test_gil.c - mode=gil (runtime/gil.c) and threads=N copies
 * (bench/cell/threads.c): the thread table, mutual exclusion between
 * safepoints, forced switching, the drop request answered after the switch
 * interval, every thread's frames visited as roots, and whole cells on 2
 * threads (equal checksums across runs, threads=1 equal to mode=default,
 * no leak under gen).  In suite `threads`, so scripts/test runs it under
 * ThreadSanitizer too: the plain `running` counter and the runtime's plain
 * refcounts are data races unless the GIL orders every access.
 * Usage: test_gil
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "bench/cell/cell.h"
#include "runtime/gil.h"
#include "tests/check.h"
#include "tests/cells.h"
#include "util/clock.h"

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };
static void *actx;

static void runtime_up(uint64_t interval_ns)
{
    char err[256];
    actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    CHECK(actx != NULL);
    gcb_runtime_init(&gcb_alloc_process, actx, &refcounting);
    gcb_gil_init(interval_ns);
}

static void runtime_down(void)
{
    gcb_gil_fini();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    gcb_runtime_fini();
    gcb_alloc_process.destroy(actx);
}

/* --- the thread table ---------------------------------------------------- */

static void *register_three(void *arg)
{
    (void)arg;
    gcb_tstate_t a, b, c, d;
    CHECK(gcb_thread_register(&a) == 0 && gcb_thread_register(&b) == 0 && gcb_thread_register(&c) == 0);
    CHECK(a.index == 0 && b.index == 1 && c.index == 2);
    CHECK_EQ_U(gcb_threads_count(), 3);
    CHECK(gcb_tstate_self() == &c);
    gcb_thread_unregister(&b);
    CHECK_EQ_U(gcb_threads_count(), 2);
    CHECK(gcb_thread_register(&d) == 0);
    CHECK_EQ_U(d.index, 1);            /* the lowest free index is reused */
    gcb_thread_unregister(&a);
    gcb_thread_unregister(&c);
    gcb_thread_unregister(&d);
    CHECK_EQ_U(gcb_threads_count(), 0);
    CHECK(gcb_tstate_self() == NULL);
    return NULL;
}

static void test_table(void)
{
    pthread_t th;
    pthread_create(&th, NULL, register_three, NULL);
    pthread_join(th, NULL);
}

/* --- mutual exclusion and forced switching -------------------------------- */

#define NWORKERS 3
static int running;                 /* plain: only the GIL orders it */
static uint64_t iterations_all;     /* plain, under the GIL: every worker's iterations */
static int leaving;                 /* plain, under the GIL: workers past their loop */
static _Atomic int overlap, switch_without_other, yields;

static void *worker(void *arg)
{
    uint64_t end_ns = *(uint64_t *)arg;
    gcb_tstate_t ts;
    memset(&ts, 0, sizeof ts);
    gcb_thread_register(&ts);
    gcb_gil_take(&ts);
    gcb_frame_t *f = gcb_frame_push(1);
    while (gcb_now_ns() < end_ns) {
        if (++running != 1)
            atomic_fetch_add(&overlap, 1);
        for (int i = 0; i < 200; i++)   /* objects: the runtime's counters are shared too */
            gcb_local_set(f, 0, gcb_int_new(1000 + i));
        iterations_all++;
        running--;
        uint64_t takes0 = ts.gil_takes, all0 = iterations_all;
        int leaving0 = leaving;
        gcb_safepoint();
        /* A forced switch: someone else ran before us.  Near the end the
         * thread we yielded to may find its time up and leave without an
         * iteration (CI saw it under ThreadSanitizer), so that one counts
         * as having run. */
        if (ts.gil_takes != takes0) {
            atomic_fetch_add(&yields, 1);
            if (iterations_all == all0 && leaving == leaving0)
                atomic_fetch_add(&switch_without_other, 1);
        }
    }
    gcb_frame_pop(f);
    leaving++;
    gcb_gil_drop(&ts);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void test_exclusion_and_switching(void)
{
    runtime_up(1000000); /* 1 ms */
    uint64_t end = gcb_now_ns() + 300000000ull;
    pthread_t th[NWORKERS];
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&th[i], NULL, worker, &end);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(th[i], NULL);
    gcb_gil_stats_t st;
    gcb_gil_stats(&st);
    CHECK_EQ_I(atomic_load(&overlap), 0);
    CHECK_EQ_I(atomic_load(&switch_without_other), 0);
    CHECK(atomic_load(&yields) > 0);         /* 300 ms at 1 ms intervals: switches happened */
    CHECK_EQ_U(st.forced_drops, (uint64_t)atomic_load(&yields));
    CHECK(st.drop_requests >= st.forced_drops);
    CHECK(st.handoff_ns.count >= st.forced_drops);
    CHECK(gcb_hot.top == NULL);
    runtime_down();
}

/* --- the drop request comes after the interval ---------------------------- */

static _Atomic int waiter_done, holder_in;
static uint64_t waited_ns;

static void *holder(void *arg)
{
    (void)arg;
    gcb_tstate_t ts;
    memset(&ts, 0, sizeof ts);
    gcb_thread_register(&ts);
    gcb_gil_take(&ts);
    atomic_store(&holder_in, 1);
    while (!atomic_load(&waiter_done)) /* never drops on its own */
        gcb_safepoint();
    gcb_gil_drop(&ts);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void test_interval(void)
{
    const uint64_t interval = 20000000; /* 20 ms */
    runtime_up(interval);
    pthread_t th;
    pthread_create(&th, NULL, holder, NULL);
    while (!atomic_load(&holder_in))
        sched_yield();
    gcb_tstate_t ts;
    memset(&ts, 0, sizeof ts);
    gcb_thread_register(&ts);
    uint64_t t0 = gcb_now_ns();
    gcb_gil_take(&ts);
    waited_ns = gcb_now_ns() - t0;
    atomic_store(&waiter_done, 1);
    gcb_gil_drop(&ts);
    gcb_thread_unregister(&ts);
    pthread_join(th, NULL);
    /* the holder is never asked before one interval passed; after it,
     * one safepoint away (generous bound: the machine is shared) */
    CHECK(waited_ns >= interval);
    CHECK(waited_ns < interval + 2000000000ull);
    gcb_gil_stats_t st;
    gcb_gil_stats(&st);
    CHECK_EQ_U(st.drop_requests, 1);
    CHECK_EQ_U(st.forced_drops, 1);
    runtime_down();
}

/* --- every thread's frames are roots -------------------------------------- */

static _Atomic int phase;
static int seen_a, seen_b, seen_mine;

static void count_roots(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (gcb_is_int(o) && gcb_int_value(o) == 1000001) seen_a++;
    if (gcb_is_int(o) && gcb_int_value(o) == 1000002) seen_b++;
    if (gcb_is_int(o) && gcb_int_value(o) == 1000003) seen_mine++;
}

static void *framed(void *arg)
{
    (void)arg;
    gcb_tstate_t ts;
    memset(&ts, 0, sizeof ts);
    gcb_thread_register(&ts);
    gcb_gil_take(&ts);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_int_new(1000001));
    gcb_local_set(f, 1, gcb_int_new(1000002));
    gcb_gil_drop(&ts);                /* frames saved in ts.top */
    atomic_store(&phase, 1);
    while (atomic_load(&phase) != 2)
        sched_yield();
    gcb_gil_take(&ts);
    gcb_frame_pop(f);
    gcb_gil_drop(&ts);
    gcb_thread_unregister(&ts);
    return NULL;
}

static void test_frames(void)
{
    runtime_up(5000000);
    pthread_t th;
    pthread_create(&th, NULL, framed, NULL);
    while (atomic_load(&phase) != 1)
        sched_yield();
    gcb_tstate_t ts;
    memset(&ts, 0, sizeof ts);
    gcb_thread_register(&ts);
    gcb_gil_take(&ts);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_int_new(1000003));
    gcb_frames_visit(count_roots, NULL);
    CHECK(seen_a == 1 && seen_b == 1 && seen_mine == 1);
    gcb_frame_pop(f);
    gcb_gil_drop(&ts);
    gcb_thread_unregister(&ts);
    atomic_store(&phase, 2);
    pthread_join(th, NULL);
    runtime_down();
}

/* --- whole cells on 2 threads ---------------------------------------------- */

static void test_cells(void)
{
    static const char *const gil2[] = { "mode=gil", "threads=2", "scale=0.03", "switch_interval=0.5", NULL };
    static const char *const gil1[] = { "mode=gil", "scale=0.03", NULL };
    static const char *const one[] = { "scale=0.03", NULL };
    static const char *const wls[] = { "trees", "dicts", "cycles" };
    for (size_t w = 0; w < sizeof wls / sizeof wls[0]; w++) {
        gcb_run_result_t r1 = cell("glibc", "gen", wls[w], gil2, 7);
        uint64_t sum = r1.wl.checksum, ops = r1.wl.ops;
        CHECK_EQ_U(r1.leaked_objects, 0);
        CHECK_EQ_U(r1.threads.n, 2);
        CHECK_EQ_U(r1.threads.t[0].ops + r1.threads.t[1].ops, ops);
        gcb_run_result_t r2 = cell("glibc", "gen", wls[w], gil2, 7);
        CHECK_EQ_U(r2.wl.checksum, sum);
        CHECK_EQ_U(r2.wl.ops, ops);
        uint64_t def = cell("glibc", "gen", wls[w], one, 7).wl.checksum;
        CHECK_EQ_U(cell("glibc", "gen", wls[w], gil1, 7).wl.checksum, def);
        CHECK(sum != def);
    }
    gcb_run_result_t inc = cell("glibc", "incremental", "cycles", gil2, 3);
    CHECK_EQ_U(inc.leaked_objects, 0);
}

int main(void)
{
    test_table();
    test_exclusion_and_switching();
    test_interval();
    test_frames();
    test_cells();
    return gcb_check_exit("test_gil");
}
