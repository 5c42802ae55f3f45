/*
 * runtime/stw.c - thread states and stop-the-world (runtime/stw.h has the
 * states, the transitions and the invariant; docs/threads.md the design).
 *
 * Synchronisation.  Each slot's `state` is atomic; the stopper, the
 * starter and a parking thread also hold `m` around their transitions, so
 * a parked thread's wait on `resume` cannot miss the start's broadcast.
 * Two Dekker pairs, both seq_cst:
 *   - detach stores DETACHED then loads `stopping`; the stopper stores
 *     `stopping` then reads the state: either the stopper sees DETACHED
 *     (and parks it with a CAS) or the detacher sees the stop and wakes
 *     the stopper;
 *   - the stopper stores `stopping` then the thread's `pending`; the
 *     thread's safepoint clears `pending` (relaxed, collectors clear it
 *     too) then loads `stopping`.  The clear can hide a request; the
 *     stopper sets `pending` again after each 1 ms timeout (CPython's
 *     loop in stop_the_world), so a hidden request costs at most 1 ms.
 * Objects written by a thread before it parks or detaches are visible to
 * the stopper: its CAS/load of the state reads the thread's seq_cst store.
 */
#include "runtime/stw.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#if GCB_THREADED
#include "runtime/internal.h"
#include "runtime/shared.h"
#endif

typedef struct {
    _Atomic int state;
    int entered;                 /* under m */
    _Atomic int *pending;        /* the thread's gcb_hot.pending (TLS in the threaded cores) */
    uint64_t park_ns;            /* its last park, after the request (under m) */
} slot_t;

static struct {
    pthread_mutex_t m;
    pthread_cond_t stopper;      /* a thread parked or detached */
    pthread_cond_t resume;       /* the world started */
    pthread_mutex_t stop_lock;   /* one stop at a time */
    int cond_ready;
    _Atomic int stopping;
    uint32_t stopper_index;      /* UINT32_MAX: unregistered stopper */
    uint64_t t_request, t_stopped;
    gcb_stw_stats_t st;
    slot_t slot[GCB_THREADS_MAX];
} w = { .m = PTHREAD_MUTEX_INITIALIZER, .stop_lock = PTHREAD_MUTEX_INITIALIZER };

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&w.stopper, &a);
    pthread_cond_init(&w.resume, &a);
    pthread_condattr_destroy(&a);
    gcb_hist_init(&w.st.ttsp_ns);
    gcb_hist_init(&w.st.pause_ns);
    w.stopper_index = UINT32_MAX;
}

static slot_t *self_slot(void)
{
    gcb_tstate_t *t = gcb_tstate_self();
    return t && t->index < GCB_THREADS_MAX ? &w.slot[t->index] : NULL;
}

void gcb_stw_thread_enter(gcb_tstate_t *t)
{
    pthread_once(&once, init_once);
    slot_t *s = &w.slot[t->index];
    pthread_mutex_lock(&w.m);
    s->entered = 1;
    s->pending = &gcb_hot.pending;
    /* a thread entering during a stop is parked from the start */
    atomic_store(&s->state, atomic_load(&w.stopping) ? GCB_STW_SUSPENDED : GCB_STW_DETACHED);
    pthread_mutex_unlock(&w.m);
}

void gcb_stw_thread_leave(gcb_tstate_t *t)
{
    slot_t *s = &w.slot[t->index];
    pthread_mutex_lock(&w.m);
    s->entered = 0;
    s->pending = NULL;
    atomic_store(&s->state, GCB_STW_DETACHED);
    pthread_cond_broadcast(&w.stopper);
    pthread_mutex_unlock(&w.m);
}

int gcb_stw_state(uint32_t index) { return atomic_load(&w.slot[index].state); }

int gcb_stw_requested(void) { return atomic_load_explicit(&w.stopping, memory_order_relaxed); }

void gcb_stw_detach(void)
{
    slot_t *s = self_slot();
    if (!s || atomic_load_explicit(&s->state, memory_order_relaxed) != GCB_STW_ATTACHED)
        return;
    atomic_store(&s->state, GCB_STW_DETACHED);
    if (atomic_load(&w.stopping)) {
        pthread_mutex_lock(&w.m);
        pthread_cond_broadcast(&w.stopper);
        pthread_mutex_unlock(&w.m);
    }
}

void gcb_stw_attach(void)
{
    slot_t *s = self_slot();
    if (!s)
        return;
    for (;;) {
        int e = GCB_STW_DETACHED;
        if (atomic_compare_exchange_strong(&s->state, &e, GCB_STW_ATTACHED) || e == GCB_STW_ATTACHED)
            return;
        pthread_mutex_lock(&w.m);
        while (atomic_load(&s->state) == GCB_STW_SUSPENDED)
            pthread_cond_wait(&w.resume, &w.m);
        pthread_mutex_unlock(&w.m);
    }
}

void gcb__stw_safepoint(void)
{
    slot_t *s = self_slot();
    if (!s || !atomic_load(&w.stopping))
        return;
    pthread_mutex_lock(&w.m);
    int e = GCB_STW_ATTACHED;
    if (!atomic_load(&w.stopping) || !atomic_compare_exchange_strong(&s->state, &e, GCB_STW_SUSPENDED)) {
        pthread_mutex_unlock(&w.m);
        return;
    }
    s->park_ns = gcb_now_ns() - w.t_request;
    w.st.parked_at_safepoint++;
#if GCB_THREADED
    /* what a collector of the stopped world reads of this thread: its
     * frames (gcb_frames_visit walks tstate->top of the others) and its
     * QSBR record offline, as CPython's detach on suspend, so the
     * collector's delayed-free processing finds every block due */
    gcb_tstate_self()->top = gcb_hot.top;
    gcb__shared_detach();
#endif
    pthread_cond_broadcast(&w.stopper);
    while (atomic_load(&s->state) == GCB_STW_SUSPENDED)
        pthread_cond_wait(&w.resume, &w.m);
    pthread_mutex_unlock(&w.m);
    gcb_stw_attach();
#if GCB_THREADED
    gcb__shared_attach();
#endif
}

/* One pass over the other threads, under m: park the detached ones, ask
 * the attached ones.  Returns how many are still attached. */
static uint32_t park_pass(uint64_t now)
{
    uint32_t running = 0;
    for (uint32_t i = 0; i < GCB_THREADS_MAX; i++) {
        slot_t *s = &w.slot[i];
        if (!s->entered || i == w.stopper_index)
            continue;
        int e = GCB_STW_DETACHED;
        if (atomic_compare_exchange_strong(&s->state, &e, GCB_STW_SUSPENDED)) {
            s->park_ns = now - w.t_request;
            w.st.parked_detached++;
        } else if (e == GCB_STW_ATTACHED) {
            atomic_store(s->pending, 1);
            running++;
        }
    }
    return running;
}

void gcb_stw_stop(void)
{
    pthread_once(&once, init_once);
    gcb_stw_detach(); /* waiting for another stopper: detached, so it can stop us */
    pthread_mutex_lock(&w.stop_lock);
    gcb_stw_attach();
    slot_t *me = self_slot();
    pthread_mutex_lock(&w.m);
    w.stopper_index = me ? (uint32_t)(me - w.slot) : UINT32_MAX;
    w.t_request = gcb_now_ns();
    atomic_store(&w.stopping, 1);
    while (park_pass(gcb_now_ns()) > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&w.stopper, &w.m, &ts);
        w.st.waits++;
    }
    w.t_stopped = gcb_now_ns();
    w.st.last_request_ns = w.t_request;
    w.st.last_ttsp_ns = w.t_stopped - w.t_request;
    gcb_hist_add(&w.st.ttsp_ns, w.st.last_ttsp_ns);
    pthread_mutex_unlock(&w.m);
}

void gcb_stw_start(void)
{
    pthread_mutex_lock(&w.m);
    for (uint32_t i = 0; i < GCB_THREADS_MAX; i++) {
        int e = GCB_STW_SUSPENDED;
        if (w.slot[i].entered)
            atomic_compare_exchange_strong(&w.slot[i].state, &e, GCB_STW_DETACHED);
    }
    atomic_store(&w.stopping, 0);
    w.st.last_pause_ns = gcb_now_ns() - w.t_stopped;
    gcb_hist_add(&w.st.pause_ns, w.st.last_pause_ns);
    w.st.stops++;
    w.stopper_index = UINT32_MAX;
    pthread_cond_broadcast(&w.resume);
    pthread_mutex_unlock(&w.m);
    pthread_mutex_unlock(&w.stop_lock);
}

uint64_t gcb_stw_park_ns(uint32_t index)
{
    pthread_mutex_lock(&w.m);
    uint64_t ns = w.slot[index].park_ns;
    pthread_mutex_unlock(&w.m);
    return ns;
}

void gcb_stw_stats(gcb_stw_stats_t *out)
{
    pthread_once(&once, init_once);
    pthread_mutex_lock(&w.m);
    *out = w.st;
    pthread_mutex_unlock(&w.m);
}

void gcb_stw_stats_reset(void)
{
    pthread_once(&once, init_once);
    pthread_mutex_lock(&w.m);
    memset(&w.st, 0, sizeof w.st);
    gcb_hist_init(&w.st.ttsp_ns);
    gcb_hist_init(&w.st.pause_ns);
    pthread_mutex_unlock(&w.m);
}
