/*
 * runtime/policy.h - what the runtime needs from a collection policy, and
 * what a policy may read back of the runtime.
 *
 * Why here.  The runtime calls the policy on every allocation, free, count
 * change, container store and safepoint, so the runtime owns the shape of
 * that call: a small const struct of flags and function pointers
 * (SQLite's sqlite3_mem_methods shape, without a context argument because
 * there is one runtime per process).  A collector (collectors/collector.h)
 * is one way to produce a gcb_policy_t: its descriptor carries one, and
 * gcb_collector_policy() hands out the copy a run installs.  A test can
 * write a policy by hand.  Dependencies point one way: collectors/ include
 * this header, runtime/ includes nothing of collectors/.
 *
 * The runtime's promises to a policy:
 *   - on_alloc(o) is called once per new object after its header is set and
 *     its fields are valid (containers hold None), before it is returned;
 *   - on_free(o) is called once per object just before its memory goes back
 *     to the allocator, after its references were dropped;
 *   - with containers_only set, both are called for containers (GCB_TYPE_GC)
 *     only, so atomic objects cost no hook call;
 *   - with head_on_all set, every object gets a GC header, not only
 *     containers (a tracing policy must enumerate every object);
 *   - on_zero(o) is called when a counted reference count drops to 0 (the
 *     policy decides: free now, defer, or table it); NULL means
 *     gcb_dealloc, free at once;
 *   - on_decref_live(o) is called when a decrement leaves the count above 0;
 *   - write_barrier(c, old, new) is called when a setter stores into a slot
 *     of container c (list append and set, dict set, tuple init), before
 *     old (NULL for a new slot) is released, and when a dict entry is
 *     deleted (new NULL); a list made by slicing is filled without it;
 *   - safepoint() runs only from gcb_safepoint(), when the policy set
 *     gcb_hot.pending, with every live object reachable from the frames;
 *     the runtime clears gcb_hot.pending before calling it;
 *   - collect_full() is gc.collect(): workloads reach it through
 *     gcb_gc_collect() (runtime/runtime.h), under the safepoint rule.
 * A NULL hook costs nothing on the hot path: the runtime tests the pointer
 * it copied, never calls through an empty slot.  The runtime copies the
 * policy at gcb_runtime_init, so the caller's struct may be a temporary.
 *
 * Threads (docs/threads.md, runtime/threads.h).  `threads` lists the
 * threading modes a policy supports, as GCB_THREADS_* bits: bit m is
 * GCB_MODE_BIT(m) of runtime/threads.h's gcb_thread_mode_t.  The harness
 * refuses a run whose mode the collector leaves out (exit 2,
 * gcb_collector_mode_check); gcb_runtime_init aborts on a policy that runs
 * in none of the modes of the core it was linked into (default/gil, ft,
 * atomic).  A free-threaded collector reaches the other threads through
 * runtime/stw.h (stop-the-world), runtime/brc.h (merge queues) and
 * runtime/shared.h (QSBR), not through hooks here.
 */
#ifndef GCB_RUNTIME_POLICY_H
#define GCB_RUNTIME_POLICY_H

#include <stdint.h>

#include "runtime/object.h"

/* Threading modes, as bits of gcb_policy_t.threads. */
enum {
    GCB_THREADS_ONE = 1u << 0,    /* mode=default: one mutator thread */
    GCB_THREADS_GIL = 1u << 1,    /* mode=gil: N threads, one at a time under the GIL */
    GCB_THREADS_FT = 1u << 2,     /* mode=ft: free-threaded, biased counting */
    GCB_THREADS_ATOMIC = 1u << 3, /* mode=atomic: every count change atomic */
    GCB_THREADS_ALL = (1u << 4) - 1,
};

typedef struct gcb_policy {
    gcb_count_mode_t mode;    /* which references change counts (runtime/object.h) */
    int head_on_all;          /* every object gets a GC header */
    int containers_only;      /* on_alloc/on_free only for containers */
    unsigned threads;         /* GCB_THREADS_* modes supported; must include the core's (runtime.c) */
    /* ft core only (no PyGC_Head there): bytes the runtime reserves, zeroed,
     * before each container for the collector (ftgc's slot pointer,
     * collectors/tracked.h); ignored by the other cores, whose containers
     * have the 16-byte GC header. */
    unsigned ft_prefix;

    void (*on_alloc)(gcb_object_t *o);
    void (*on_free)(gcb_object_t *o);
    void (*on_zero)(gcb_object_t *o);
    void (*on_decref_live)(gcb_object_t *o);
    void (*write_barrier)(gcb_object_t *c, gcb_object_t *old, gcb_object_t *new_);
    void (*safepoint)(void);
    /* A full collection; NULL: the policy has none (pure refcounting). */
    void (*collect_full)(void);
} gcb_policy_t;

/* --- what a policy may read of the runtime (runtime/runtime.c) -------- */

/* Policies do not include runtime/runtime.h; these are the views of its
 * exact counters a policy needs: the bytes held by mortal objects and their
 * buffers (heap-budget triggers), and the objects and bytes returned to the
 * allocator so far (a policy attributes frees to its collections by reading
 * them before and after, leaves freed by the cascade included). */
uint64_t gcb_live_bytes(void);
uint64_t gcb_objects_freed(void);
uint64_t gcb_bytes_freed(void);

#endif
