/*
 * workloads/mt.h - what the cooperative workloads (prodcons, shared,
 * churn_ft) share: a barrier and a bounded queue of objects whose waits
 * give up the GIL (gcb_blocking_begin/end), and the one-thread entry.
 *
 * Reachability.  An object in a queue must stay visible to every
 * collector (marksweep traces from frames only), so a queue's slots are a
 * runtime list, `ring`, which every thread using the queue holds in one of
 * its frame locals; the C side keeps only indices and, per slot, the index
 * of the thread that built the object (for cross_thread_drops).  An object
 * being put waits in the putter's frame local, never in a C variable.
 *
 * Locking.  q->m guards head, count, open_producers and the ring's slots;
 * it is held only between two points with no safepoint and no blocking
 * call, so a thread never waits for the GIL (or for a stop-the-world)
 * while holding it: the lock order is GIL, then q->m.  A waiter releases
 * q->m before gcb_blocking_begin and takes it again after
 * gcb_blocking_end (wait_until in mt.c).
 *
 * Invariants: 0 <= count <= cap; the slots head .. head+count-1 (mod cap)
 * hold the queued objects in put order, every other slot None.
 */
#ifndef GCB_WORKLOADS_MT_H
#define GCB_WORKLOADS_MT_H

#include <pthread.h>
#include <stdint.h>

#include "runtime/runtime.h"
#include "workloads/workload.h"

typedef struct gcb_wl_barrier {
    pthread_mutex_t m;
    pthread_cond_t c;
    uint32_t n, arrived;
    uint64_t generation;
} gcb_wl_barrier_t;

void gcb_wl_barrier_init(gcb_wl_barrier_t *b, uint32_t n);
void gcb_wl_barrier_destroy(gcb_wl_barrier_t *b);
/* Every one of the n threads waits here until all have arrived. */
void gcb_wl_barrier_wait(gcb_wl_barrier_t *b);

typedef struct gcb_wl_queue {
    pthread_mutex_t m;
    pthread_cond_t not_full, not_empty;
    gcb_object_t *ring;          /* list of cap slots; see the top of the file */
    uint32_t *builder;           /* per slot: the thread that built its object */
    size_t cap, head, count;
    uint32_t open_producers;     /* producers that have not closed yet */
    uint64_t blocked;            /* waits that blocked (statistics) */
} gcb_wl_queue_t;

/* Setup (no objects): cap slots, `producers` putters that will close. */
int gcb_wl_queue_init(gcb_wl_queue_t *q, size_t cap, uint32_t producers);
void gcb_wl_queue_destroy(gcb_wl_queue_t *q);
/* One thread creates the ring (-> new: store it in a frame local) before
 * a barrier; the others take gcb_newref(q->ring) after it. */
gcb_object_t *gcb_wl_queue_ring_new(gcb_wl_queue_t *q);

/* Move the object in local `i` of `f` into the queue (the local becomes
 * None), built by thread `builder`.  put blocks while full; try_put
 * returns -1 at once, and put_timed after waiting up to timeout_ns. */
void gcb_wl_queue_put(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder);
int gcb_wl_queue_try_put(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder);
int gcb_wl_queue_put_timed(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t builder,
                           uint64_t timeout_ns);
/* Move the oldest object into local `i` of `f`; *builder gets its
 * builder.  take blocks while empty and some producer is open, and
 * returns -1 once the queue is empty and closed; try_take returns -1 at
 * once when empty. */
int gcb_wl_queue_take(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder);
int gcb_wl_queue_try_take(gcb_wl_queue_t *q, gcb_frame_t *f, uint32_t i, uint32_t *builder);
/* A producer is done: once all are, takers of an empty queue return -1. */
void gcb_wl_queue_close(gcb_wl_queue_t *q);
/* Is it closed and empty (no object will come any more)? */
int gcb_wl_queue_drained(gcb_wl_queue_t *q);

/* The `run` of a cooperative workload: setup(1), run_thread(0, 1),
 * teardown, as threads=1 does. */
int gcb_wl_coop_run1(const gcb_workload_t *wl, const gcb_params_t *p, uint64_t seed,
                     gcb_workload_result_t *out, char *err, size_t errlen);

#endif
