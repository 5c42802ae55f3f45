/*
 * runtime/host.h - the runtime as its host sees it: bring it up over an
 * allocator and a collection policy, read its exact counters, sample them
 * during a run, take it down.
 *
 * Why a header apart from runtime/runtime.h.  A workload programs against
 * the object model only and must not see which allocator or policy runs
 * under it; the host (the harness's cell in bench/cell/run.c, a test, a
 * microbenchmark) is the one place where an allocator, a policy and a
 * workload meet.  So the host includes this header, workloads do not.
 * Dependencies point down: allocators/allocator.h and runtime/policy.h,
 * nothing of collectors/.
 */
#ifndef GCB_RUNTIME_HOST_H
#define GCB_RUNTIME_HOST_H

#include <stdint.h>

#include "allocators/allocator.h"
#include "runtime/policy.h"
#include "runtime/runtime.h"

/* Exact counters kept by the runtime: ground truth for leaks and
 * fragmentation.  Bytes are what the runtime asked the allocator for
 * (objects with their GC headers, list item arrays, dict tables), so the
 * figures do not depend on the allocator's rounding. */
#define GCB_RT_COUNTERS(X)                                                  \
    X(objects_allocated, "objects created")                                \
    X(objects_freed, "objects freed")                                      \
    X(bytes_allocated, "bytes requested from the allocator")              \
    X(bytes_freed, "bytes returned to the allocator")                      \
    X(live_objects, "objects currently alive (immortals excluded)")       \
    X(live_bytes, "bytes currently held (immortals excluded)")            \
    X(live_objects_peak, "most objects alive at once")                     \
    X(live_bytes_peak, "most bytes held at once")                          \
    X(immortal_objects, "immortal objects (None, small ints, constants, classes)") \
    X(immortal_bytes, "bytes held by immortal objects")                    \
    X(freelist_bytes, "bytes of dead objects kept on free lists for reuse (-p freelists=cpython)")

typedef struct gcb_rt_counters {
#define GCB_X(name, desc) uint64_t name;
    GCB_RT_COUNTERS(GCB_X)
#undef GCB_X
} gcb_rt_counters_t;

/* --- lifecycle (runtime/runtime.c) ----------------------------------- */

/* Bring the runtime up over an allocator instance and a policy: the
 * runtime copies *policy and installs its non-NULL hooks (a collector's
 * policy for a run comes from gcb_collector_policy(), after the
 * collector's init()).  Aborts on a policy whose `threads` leaves out
 * GCB_THREADS_ONE.  Creates None and the small-int cache. */
void gcb_runtime_init(const gcb_allocator_t *alloc, void *alloc_ctx,
                      const gcb_policy_t *policy);
/* Free the immortals and check nothing else is left (in the runner's
 * order: frames popped, final collection, leak count, then this). */
void gcb_runtime_fini(void);
/* The counters now (a snapshot: call again after more work). */
const gcb_rt_counters_t *gcb_runtime_counters(void);
/* Dead objects kept on the free lists now (runtime/freelist.c). */
uint64_t gcb_freelist_count(void);

/* --- sampling hook (runtime/runtime.c) ------------------------------ */

/* A function the runtime calls every `every_allocs` allocations: objects
 * (from inside gcb__object_alloc) and raw blocks taken through
 * gcb_mem_alloc / gcb_mem_realloc, so a workload that allocates no objects
 * (replay) is sampled too.  It runs with the object model in a consistent
 * state, but not at a safepoint: it must only read counters.  The hot-path
 * cost is one decrement and one predictable branch per allocation.  `fn`
 * NULL turns sampling off.  The harness's timeline (bench/cell/timeline.c) uses
 * it. */
typedef void (*gcb_sampler_fn)(void *arg);
void gcb_runtime_set_sampler(gcb_sampler_fn fn, void *arg, uint64_t every_allocs);
/* The same with a slot: 0 is gcb_runtime_set_sampler's, 1 the garbage
 * sampler's; each keeps its own period. */
#define GCB_SAMPLER_SLOTS 2
void gcb_runtime_set_sampler_slot(int slot, gcb_sampler_fn fn, void *arg, uint64_t every_allocs);

/* --- outstanding garbage (runtime/garbage.c) ------------------------- */

/* With -p garbage_every=K (runtime/options.c) the runtime counts, at the
 * first safepoint after every K allocations, the objects alive but not
 * reachable from the frames and their blocks' bytes, and keeps the
 * largest.  gcb_garbage_stop ends sampling (call it when the workload
 * returns: after that everything is unreachable by design). */
typedef struct gcb_garbage_stats {
    uint64_t every, samples;
    uint64_t max_objects, max_bytes;
} gcb_garbage_stats_t;
void gcb_garbage_stop(void);
void gcb_garbage_get(gcb_garbage_stats_t *out);
/* One reachability count now (at a safepoint): garbage objects and bytes. */
void gcb_garbage_measure(uint64_t *objects, uint64_t *bytes);
/* A mortal object's block: GC header (if it has one) + the object. */
size_t gcb_object_block_size(const gcb_object_t *o);
/* Bytes before each container: the GC header (16), or under ft what the
 * collector asked for (0; ftgc's slot-table word, 8). */
size_t gcb_runtime_container_prefix(void);
uint64_t gcb_runtime_object_bytes(void);

#endif
