/*
 * runtime/gil.h - mode=gil: CPython's global interpreter lock, after
 * Python/ceval_gil.c (take_gil, drop_gil, FORCE_SWITCHING).
 *
 * N mutator threads run one at a time.  A thread holds the GIL while it
 * runs mutator code; the runtime's state (gcb_hot, gcb_rt, the collector's
 * lists, the dealloc queue, the intern table) is touched only by the
 * holder, so refcounts stay plain and every collector runs unchanged, its
 * collections happening at the holder's safepoints while it holds the lock.
 *
 * Handoff (docs/threads.md, "The GIL model"):
 *   - a waiter waits on `cond` for switch_interval; if that wait times out
 *     and no switch happened meanwhile (switch_number unchanged), it sets
 *     the drop request and the holder's gcb_hot.pending;
 *   - the holder's next safepoint sees the request: it drops the GIL
 *     (saving its innermost frame), signals `cond`, and with forced
 *     switching waits on `switch_cond` until another thread has taken the
 *     lock (last_holder != self) before trying to take it back: CPython
 *     3.2's fix for a dropper that re-acquires at once on a multi-core
 *     machine;
 *   - the taker installs its own frames (gcb_hot.top) and clears the
 *     request.
 * Frames are per thread: the holder's are gcb_hot.top, every other
 * registered thread's are its tstate's saved `top`; gcb_frames_visit walks
 * both, so a collection's roots are every thread's frames.
 *
 * Invariants: locked == (holder != NULL); at most one thread is between
 * gcb_gil_take and gcb_gil_drop; drop_request is set only while locked and
 * cleared by every take; gcb_hot.top belongs to the holder (NULL when the
 * lock is free).
 */
#ifndef GCB_RUNTIME_GIL_H
#define GCB_RUNTIME_GIL_H

#include <stdint.h>

#include "runtime/threads.h"
#include "util/hist.h"

typedef struct gcb_gil_stats {
    uint64_t takes;          /* acquisitions (CPython's switch_number) */
    uint64_t switches;       /* takes by a thread other than the last holder */
    uint64_t drop_requests;  /* waits that timed out and asked the holder to drop */
    uint64_t forced_drops;   /* drops at a safepoint because of a request */
    gcb_hist_t handoff_ns;   /* drop request to the taker's return from take, ns */
} gcb_gil_stats_t;

/* Bring the GIL up for a run, after gcb_runtime_init (it installs the gil
 * safepoint: the policy's, then the drop request).  interval_ns is the
 * switch interval (>= 1 us). */
void gcb_gil_init(uint64_t interval_ns);
void gcb_gil_fini(void);
/* Is a GIL in use (between init and fini)? */
int gcb_gil_active(void);

/* Take the lock (blocks); the caller's frames become gcb_hot.top. */
void gcb_gil_take(gcb_tstate_t *t);
/* Give it up (the thread leaves, or blocks: gcb_blocking_begin); its
 * frames are saved in t->top. */
void gcb_gil_drop(gcb_tstate_t *t);
/* Drop and take again at a safepoint, as a drop request asks: another
 * waiting thread runs first (forced switching). */
void gcb_gil_yield(gcb_tstate_t *t);

void gcb_gil_stats(gcb_gil_stats_t *out);

#endif
