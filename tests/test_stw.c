/*
 * tests/test_stw.c - stop-the-world and thread states (runtime/stw.c)
 * on the ft core (gcbcore_ft), under rc, with real mutator threads.
 *
 * Cases:
 *   parked    2 and 3 threads mutate their own lists between safepoints;
 *             the host stops the world 200 times: every worker is
 *             SUSPENDED, none is inside a mutation (a per-thread flag set
 *             around each one), and none makes progress while stopped
 *             (its operation count is the same after 1 ms); between
 *             stops every worker runs again;
 *   detached  a worker blocked in gcb_blocking_begin is parked without
 *             being waited for (the stop returns while it is blocked;
 *             counted in parked_detached, not parked_at_safepoint); woken
 *             during the stop, its gcb_blocking_end waits until the start;
 *   ttsp      a worker spinning 30 ms between safepoints: the stop's
 *             time-to-safepoint is > 0 and covers its spin (request + ttsp
 *             >= the spin's end), and its park time is the slowest;
 *   stoppers  two workers stop and start the world in a loop while a
 *             third mutates: at most one inside a stop at any time, no
 *             deadlock (a stopper waiting for another is detached).
 * Usage: test_stw [STOPS]   (stops in the parked case, default 200)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "runtime/stw.h"
#include "runtime/threads.h"
#include "tests/check.h"
#include "util/clock.h"
#include "util/params.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "test_stw is compiled against gcbcore_ft"
#endif

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };
enum { NMAX = 4 };

typedef struct worker {
    pthread_t th;
    gcb_tstate_t ts;
    _Atomic int ready, in_mutation;
    _Atomic uint64_t ops;
} worker_t;

static _Atomic int stop_flag;

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    nanosleep(&ts, NULL);
}

/* Mutate an own list between safepoints until stop_flag. */
static void *mutator_main(void *arg)
{
    worker_t *w = arg;
    CHECK(gcb_thread_register(&w->ts) == 0);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    atomic_store(&w->ready, 1);
    while (!atomic_load(&stop_flag)) {
        atomic_store(&w->in_mutation, 1);
        for (int i = 0; i < 16; i++)
            gcb_list_append(gcb_local(f, 0), gcb_int_new(i + 1000));
        while (gcb_list_len(gcb_local(f, 0)) > 8)
            gcb_local_set(f, 1, gcb_list_pop(gcb_local(f, 0)));
        atomic_store(&w->in_mutation, 0);
        atomic_fetch_add(&w->ops, 1);
        gcb_safepoint();
    }
    gcb_frame_pop(f);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_parked(int n, int stops)
{
    worker_t w[NMAX];
    memset(w, 0, sizeof w);
    atomic_store(&stop_flag, 0);
    for (int i = 0; i < n; i++)
        pthread_create(&w[i].th, NULL, mutator_main, &w[i]);
    for (int i = 0; i < n; i++)
        while (!atomic_load(&w[i].ready))
            sleep_ns(100000);
    gcb_stw_stats_t s0, s1;
    gcb_stw_stats(&s0);
    int all_suspended = 1, none_mutating = 1, none_moved = 1, all_ran = 1;
    uint64_t before[NMAX];
    for (int k = 0; k < stops; k++) {
        gcb_stw_stop();
        for (int i = 0; i < n; i++) {
            all_suspended &= gcb_stw_state(w[i].ts.index) == GCB_STW_SUSPENDED;
            none_mutating &= atomic_load(&w[i].in_mutation) == 0;
            before[i] = atomic_load(&w[i].ops);
        }
        if (k % 20 == 0)
            sleep_ns(1000000);
        for (int i = 0; i < n; i++)
            none_moved &= atomic_load(&w[i].ops) == before[i];
        gcb_stw_start();
        for (int i = 0; i < n; i++) {
            uint64_t t0 = gcb_now_ns();
            while (atomic_load(&w[i].ops) == before[i] && gcb_now_ns() - t0 < 2000000000u)
                sleep_ns(20000);
            all_ran &= atomic_load(&w[i].ops) > before[i];
        }
    }
    atomic_store(&stop_flag, 1);
    for (int i = 0; i < n; i++)
        pthread_join(w[i].th, NULL);
    gcb_stw_stats(&s1);
    CHECK(all_suspended);
    CHECK(none_mutating);
    CHECK(none_moved);
    CHECK(all_ran);
    CHECK_EQ_U(s1.stops - s0.stops, (uint64_t)stops);
    CHECK_EQ_U(s1.ttsp_ns.count - s0.ttsp_ns.count, (uint64_t)stops);
    CHECK_EQ_U(s1.pause_ns.count - s0.pause_ns.count, (uint64_t)stops);
    CHECK(s1.parked_at_safepoint + s1.parked_detached - s0.parked_at_safepoint - s0.parked_detached >=
          (uint64_t)(n * stops));
    fprintf(stderr, "test_stw parked: %d threads, %d stops, ttsp p50 %llu ns max %llu ns, %llu parked at safepoints\n",
            n, stops, (unsigned long long)gcb_hist_quantile(&s1.ttsp_ns, 0.5), (unsigned long long)s1.ttsp_ns.max,
            (unsigned long long)(s1.parked_at_safepoint - s0.parked_at_safepoint));
}

/* --- detached ------------------------------------------------------------ */

static pthread_mutex_t bm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bc = PTHREAD_COND_INITIALIZER;
static int released;
static _Atomic int blocked, returned;

static void *blocker_main(void *arg)
{
    worker_t *w = arg;
    CHECK(gcb_thread_register(&w->ts) == 0);
    gcb_blocking_begin();
    pthread_mutex_lock(&bm);
    atomic_store(&blocked, 1);
    while (!released)
        pthread_cond_wait(&bc, &bm);
    pthread_mutex_unlock(&bm);
    gcb_blocking_end();
    atomic_store(&returned, 1);
    gcb_object_t *o = gcb_int_new(123456); /* touches objects only once attached again */
    gcb_release(o);
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_detached(void)
{
    worker_t w;
    memset(&w, 0, sizeof w);
    released = 0;
    atomic_store(&blocked, 0);
    atomic_store(&returned, 0);
    pthread_create(&w.th, NULL, blocker_main, &w);
    while (!atomic_load(&blocked))
        sleep_ns(100000);
    gcb_stw_stats_t s0, s1;
    gcb_stw_stats(&s0);
    gcb_stw_stop(); /* returns although the worker never reaches a safepoint */
    CHECK_EQ_I(gcb_stw_state(w.ts.index), GCB_STW_SUSPENDED);
    pthread_mutex_lock(&bm);
    released = 1;
    pthread_cond_signal(&bc);
    pthread_mutex_unlock(&bm);
    sleep_ns(5000000);
    CHECK_EQ_I(atomic_load(&returned), 0); /* its blocking_end waits for the start */
    gcb_stw_start();
    pthread_join(w.th, NULL);
    CHECK_EQ_I(atomic_load(&returned), 1);
    gcb_stw_stats(&s1);
    CHECK_EQ_U(s1.parked_detached - s0.parked_detached, 1);
    CHECK_EQ_U(s1.parked_at_safepoint - s0.parked_at_safepoint, 0);
    fprintf(stderr, "test_stw detached: parked without waiting, ttsp %llu ns\n",
            (unsigned long long)s1.last_ttsp_ns);
}

/* --- ttsp ------------------------------------------------------------------ */

static _Atomic uint64_t spin_end;
static _Atomic int spinning;

static void *spinner_main(void *arg)
{
    worker_t *w = arg;
    CHECK(gcb_thread_register(&w->ts) == 0);
    uint64_t t0 = gcb_now_ns();
    atomic_store(&spinning, 1);
    while (gcb_now_ns() - t0 < 30000000u)
        ;
    atomic_store(&spin_end, gcb_now_ns());
    gcb_safepoint();
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_ttsp(void)
{
    worker_t w[2];
    memset(w, 0, sizeof w);
    atomic_store(&stop_flag, 0);
    atomic_store(&spinning, 0);
    atomic_store(&spin_end, 0);
    pthread_create(&w[1].th, NULL, mutator_main, &w[1]);
    while (!atomic_load(&w[1].ready))
        sleep_ns(100000);
    pthread_create(&w[0].th, NULL, spinner_main, &w[0]);
    while (!atomic_load(&spinning))
        ;
    gcb_stw_stop();
    gcb_stw_stats_t s;
    gcb_stw_stats(&s);
    uint64_t end = atomic_load(&spin_end);
    uint64_t late = gcb_stw_park_ns(w[0].ts.index), other = gcb_stw_park_ns(w[1].ts.index);
    gcb_stw_start();
    atomic_store(&stop_flag, 1);
    pthread_join(w[0].th, NULL);
    pthread_join(w[1].th, NULL);
    CHECK(end != 0);
    CHECK(s.last_ttsp_ns > 0);
    CHECK(end > s.last_request_ns);                       /* the stop was asked for during the spin */
    CHECK(s.last_request_ns + s.last_ttsp_ns >= end);     /* and waited for its end */
    CHECK(late >= end - s.last_request_ns);
    CHECK(late >= other);                                 /* the spinner was the late one */
    CHECK(s.last_ttsp_ns >= late);
    fprintf(stderr, "test_stw ttsp: spinner parked %llu ns after the request, the other %llu ns; ttsp %llu ns\n",
            (unsigned long long)late, (unsigned long long)other, (unsigned long long)s.last_ttsp_ns);
}

/* --- two stoppers ------------------------------------------------------------ */

static _Atomic int inside, max_inside;

static void *stopper_main(void *arg)
{
    worker_t *w = arg;
    CHECK(gcb_thread_register(&w->ts) == 0);
    for (int k = 0; k < 100; k++) {
        gcb_stw_stop();
        int in = atomic_fetch_add(&inside, 1) + 1;
        if (in > atomic_load(&max_inside))
            atomic_store(&max_inside, in);
        atomic_fetch_sub(&inside, 1);
        gcb_stw_start();
        gcb_safepoint();
    }
    gcb_thread_unregister(&w->ts);
    return NULL;
}

static void test_stoppers(void)
{
    worker_t w[3];
    memset(w, 0, sizeof w);
    atomic_store(&stop_flag, 0);
    atomic_store(&max_inside, 0);
    pthread_create(&w[2].th, NULL, mutator_main, &w[2]);
    pthread_create(&w[0].th, NULL, stopper_main, &w[0]);
    pthread_create(&w[1].th, NULL, stopper_main, &w[1]);
    pthread_join(w[0].th, NULL);
    pthread_join(w[1].th, NULL);
    atomic_store(&stop_flag, 1);
    pthread_join(w[2].th, NULL);
    CHECK_EQ_I(atomic_load(&max_inside), 1);
    fprintf(stderr, "test_stw stoppers: 200 stops from 2 threads, at most %d inside\n", atomic_load(&max_inside));
}

int main(int argc, char **argv)
{
    int stops = argc > 1 ? atoi(argv[1]) : 200;
    char err[256];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    void *actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    gcb_runtime_init(&gcb_alloc_process, actx, &refcounting);
    test_parked(2, stops);
    test_parked(3, stops);
    test_detached();
    test_ttsp();
    test_stoppers();
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    CHECK_EQ_U(c->live_objects, 0);
    gcb_runtime_fini();
    gcb_alloc_process.destroy(actx);
    return gcb_check_exit("test_stw");
}
