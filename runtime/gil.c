/*
 * runtime/gil.c - the global interpreter lock of mode=gil (runtime/gil.h
 * has the protocol and its invariants; Python/ceval_gil.c the original).
 *
 * One mutex guards every field of `g` but drop_request, which the holder
 * reads at its safepoints without the lock.  Why no lost request: a
 * waiter stores drop_request = 1 and then gcb_hot.pending = 1 (both
 * seq_cst); the holder's slow path stores pending = 0 and then loads
 * drop_request (both seq_cst).  If the holder's clear comes after the
 * waiter's pending store in the single total order, its load comes after
 * the waiter's drop_request store too and sees 1; if before, pending is 1
 * again and the next safepoint comes back here.  A collector that clears
 * pending (gcb_safepoint_request_clear) between the two can still hide a
 * request: the waiter then sets pending again at its next timeout, so a
 * drop is delayed by at most one more interval.
 */
#include "runtime/gil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "runtime/internal.h"
#include "util/clock.h"

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;         /* waiters for the lock */
    pthread_cond_t switch_cond;  /* a forced dropper waiting for someone to take it */
    int active;
    int locked;
    gcb_tstate_t *holder, *last_holder;
    uint64_t switch_number;
    uint64_t interval_ns;
    uint64_t request_ns;         /* when drop_request was set */
    _Atomic int drop_request;
    gcb_gil_stats_t st;
} g = { .mutex = PTHREAD_MUTEX_INITIALIZER };

static void gil_safepoint(void);

void gcb_gil_init(uint64_t interval_ns)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&g.cond, &a);
    pthread_cond_init(&g.switch_cond, &a);
    pthread_condattr_destroy(&a);
    pthread_mutex_lock(&g.mutex);
    g.active = 1;
    g.locked = 0;
    g.holder = g.last_holder = NULL;
    g.switch_number = 0;
    g.interval_ns = interval_ns < 1000 ? 1000 : interval_ns;
    atomic_store(&g.drop_request, 0);
    memset(&g.st, 0, sizeof g.st);
    gcb_hist_init(&g.st.handoff_ns);
    pthread_mutex_unlock(&g.mutex);
    gcb_hot.safepoint = gil_safepoint;
}

void gcb_gil_fini(void)
{
    pthread_mutex_lock(&g.mutex);
    g.active = 0;
    pthread_mutex_unlock(&g.mutex);
    pthread_cond_destroy(&g.cond);
    pthread_cond_destroy(&g.switch_cond);
}

int gcb_gil_active(void)
{
    pthread_mutex_lock(&g.mutex);
    int a = g.active;
    pthread_mutex_unlock(&g.mutex);
    return a;
}

/* Wait on cond for the switch interval; 1 if the wait timed out. */
static int wait_interval(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t ns = (uint64_t)ts.tv_nsec + g.interval_ns;
    ts.tv_sec += (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    return pthread_cond_timedwait(&g.cond, &g.mutex, &ts) != 0;
}

void gcb_gil_take(gcb_tstate_t *t)
{
    uint64_t t0 = gcb_now_ns();
    int waited = 0;
    pthread_mutex_lock(&g.mutex);
    while (g.locked) {
        waited = 1;
        uint64_t saved = g.switch_number;
        int timed_out = wait_interval();
        if (timed_out && g.locked && g.switch_number == saved) {
            if (!atomic_load(&g.drop_request)) {
                g.request_ns = gcb_now_ns();
                g.st.drop_requests++;
                atomic_store(&g.drop_request, 1);
            }
            atomic_store(&gcb_hot.pending, 1); /* the holder's next safepoint */
        }
    }
    g.locked = 1;
    if (g.last_holder != t)
        g.st.switches++;
    g.holder = g.last_holder = t;
    g.switch_number++;
    g.st.takes++;
    if (atomic_load(&g.drop_request)) { /* the request was answered by this take */
        gcb_hist_add(&g.st.handoff_ns, gcb_now_ns() - g.request_ns);
        atomic_store(&g.drop_request, 0);
    }
    gcb_hot.top = t->top;
    t->state = GCB_TSTATE_ATTACHED;
    t->gil_takes++;
    pthread_cond_signal(&g.switch_cond);
    pthread_mutex_unlock(&g.mutex);
    if (waited)
        t->gil_wait_ns += gcb_now_ns() - t0;
}

static void drop(gcb_tstate_t *t, int forced)
{
    pthread_mutex_lock(&g.mutex);
    t->top = gcb_hot.top;
    gcb_hot.top = NULL;
    t->state = GCB_TSTATE_DETACHED;
    g.locked = 0;
    g.holder = NULL;
    pthread_cond_signal(&g.cond);
    if (forced) {
        g.st.forced_drops++;
        t->gil_forced_drops++;
        /* FORCE_SWITCHING: the waiter that asked is still in take's loop,
         * so someone takes the lock; not before then may we retake it. */
        while (g.last_holder == t)
            pthread_cond_wait(&g.switch_cond, &g.mutex);
    }
    pthread_mutex_unlock(&g.mutex);
}

void gcb_gil_drop(gcb_tstate_t *t) { drop(t, 0); }

void gcb_gil_yield(gcb_tstate_t *t)
{
    drop(t, 1);
    gcb_gil_take(t);
}

/* gcb_hot.safepoint under mode=gil: the policy's work, then the switch. */
static void gil_safepoint(void)
{
    atomic_store(&gcb_hot.pending, 0);
    if (gcb_rt.policy.safepoint)
        gcb_rt.policy.safepoint();
    if (atomic_load(&g.drop_request)) {
        gcb_tstate_t *t = gcb_tstate_self();
        if (t)
            gcb_gil_yield(t);
    }
}

void gcb_gil_stats(gcb_gil_stats_t *out)
{
    pthread_mutex_lock(&g.mutex);
    *out = g.st;
    pthread_mutex_unlock(&g.mutex);
}
