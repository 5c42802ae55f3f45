/*
 * runtime/stw.h - thread states and stop-the-world for the threaded cores
 * (docs/threads.md, "Safepoints, thread states and stop-the-world"; the
 * model of CPython's Python/pystate.c: tstate_try_attach,
 * _PyThreadState_Suspend, stop_the_world, park_detached_threads).
 *
 * States of a registered thread (its slot, indexed by tstate->index):
 *   ATTACHED   running mutator code: it may touch objects;
 *   DETACHED   blocked or idle (gcb_blocking_begin): touches no object;
 *   SUSPENDED  parked by a stop-the-world: touches no object.
 * Transitions, and who makes them:
 *   DETACHED  -> ATTACHED   the thread itself (CAS; gcb_stw_attach)
 *   ATTACHED  -> DETACHED   the thread itself (gcb_stw_detach)
 *   ATTACHED  -> SUSPENDED  the thread itself, at a safepoint, when a stop
 *                           is requested (gcb__stw_safepoint)
 *   DETACHED  -> SUSPENDED  the stopper (CAS): parked without being woken
 *   SUSPENDED -> DETACHED   the starter (gcb_stw_start), then the thread
 *                           re-attaches when it runs again.
 * Invariant while the world is stopped (between gcb_stw_stop() returning
 * and gcb_stw_start()): every registered thread but the stopper is
 * SUSPENDED, so none runs mutator code and none can attach.
 *
 * The stopper waits (a condition variable, 1 ms timeouts as CPython's
 * PyEvent_WaitTimed loop, re-asking attached threads at each) until every
 * other registered thread is SUSPENDED.  Two figures per stop:
 *   ttsp   time-to-safepoint, request -> every thread parked;
 *   pause  every thread parked -> start (the stopper's work).
 * One stop at a time: a second stopper waits for the first's start,
 * detached meanwhile (CPython locks stw->mutex detaching), so two
 * collections asked for at once do not deadlock.
 *
 * Unregistered callers (a test's host thread) may stop the world too; they
 * are not waited for by anyone.  In the default core (one thread, or gil
 * where the lock already excludes the others) nothing here is used.
 */
#ifndef GCB_RUNTIME_STW_H
#define GCB_RUNTIME_STW_H

#include <stdint.h>

#include "runtime/threads.h"
#include "util/hist.h"

enum {
    GCB_STW_DETACHED = 0,
    GCB_STW_ATTACHED = 1,
    GCB_STW_SUSPENDED = 2,
};

/* The calling thread enters (after registering) and leaves (before
 * unregistering) the stop-the-world protocol; enter leaves it DETACHED. */
void gcb_stw_thread_enter(gcb_tstate_t *t);
void gcb_stw_thread_leave(gcb_tstate_t *t);
/* Detach / attach the calling registered thread (no-ops when it is not
 * registered).  Attach waits while a stop holds it SUSPENDED. */
void gcb_stw_detach(void);
void gcb_stw_attach(void);
/* The state of registered thread `index` now, and how long after the
 * last stop's request it parked (tests; the record's "who was late"). */
int gcb_stw_state(uint32_t index);
uint64_t gcb_stw_park_ns(uint32_t index);

/* Stop every other registered thread at a safepoint or detached, and
 * start them again.  Calls pair on the same thread. */
void gcb_stw_stop(void);
void gcb_stw_start(void);
/* Is a stop requested or in force?  (Relaxed; the safepoint's test.) */
int gcb_stw_requested(void);

/* The safepoint slow path's part: park if a stop is requested. */
void gcb__stw_safepoint(void);

typedef struct gcb_stw_stats {
    uint64_t stops;
    uint64_t waits;           /* 1 ms timeouts the stoppers waited through */
    uint64_t parked_at_safepoint;   /* threads that parked themselves */
    uint64_t parked_detached;       /* detached threads marked SUSPENDED by a stopper */
    gcb_hist_t ttsp_ns;       /* one sample per stop */
    gcb_hist_t pause_ns;      /* one sample per stop */
    uint64_t last_request_ns;  /* gcb_now_ns() of the last stop's request */
    uint64_t last_ttsp_ns, last_pause_ns;
} gcb_stw_stats_t;

void gcb_stw_stats(gcb_stw_stats_t *out);
void gcb_stw_stats_reset(void);

#endif
