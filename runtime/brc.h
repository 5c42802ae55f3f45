/*
 * runtime/brc.h - biased reference counting's slow paths for mode=ft
 * (docs/threads.md, "Biased reference counting (mode=ft)"; the model of
 * CPython's Python/brc.c and the shared-count half of Objects/object.c).
 * Compiled only into the ft core (gcbcore_ft); runtime/brc.c has the
 * states of ob_ref_shared and the invariants.
 *
 * runtime/object.h's inline paths call:
 *   gcb__decref_shared     a decrement by a thread that does not own the
 *                          object (_Py_DecRefShared / _Py_DecRefSharedIsDead);
 *   gcb__merge_zero_local  the owner's local count reached 0 while the
 *                          shared word is not 0 (_Py_MergeZeroLocalRefcount).
 * The runtime calls:
 *   gcb__brc_thread_enter / gcb__brc_thread_leave  from gcb__thread_enter /
 *                          gcb__thread_leave (register / unregister): the
 *                          thread's queue enters the owner table; at leave
 *                          it is drained before the thread leaves it
 *                          (_Py_brc_remove_thread);
 *   gcb__brc_safepoint     from the safepoint slow path: merge what other
 *                          threads queued (_Py_brc_merge_refcounts).
 */
#ifndef GCB_RUNTIME_BRC_H
#define GCB_RUNTIME_BRC_H

#include <stdint.h>

#include "runtime/object.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "runtime/brc.h is the ft core's (GCB_RC_MODE == GCB_RC_BIASED)"
#endif

/* The slow paths' counts, summed over threads (per-thread deltas, added
 * into the totals when a thread leaves and when they are read).  Balance
 * once every thread has left: queued == merges + exit_merges + gc_merges. */
#define GCB_BRC_COUNTERS(X)                                                                          \
    X(shared_decrefs, "decrements by a thread that does not own the object (a CAS on ob_ref_shared)") \
    X(queued, "objects queued to their owner: shared count 0, not merged (the queue holds the reference)") \
    X(merges, "queued objects merged by their owner at a safepoint")                                 \
    X(exit_merges, "queued objects merged by their owner while it left the thread table")            \
    X(orphan_merges, "objects merged at once by the dropper: their owner had left (or never registered)") \
    X(zero_local_merges, "owner's local count reached 0 with shared references left: set MERGED")     \
    X(dropper_frees, "objects freed by a thread that did not own them (MERGED reaching 0, orphans)")   \
    X(gc_merges, "queued objects merged by the collector with the world stopped (ftgc)")              \
    X(cross_thread_drops, "last references dropped by a non-owner (freed by the dropper or by the owner's merge)")

typedef struct gcb_brc_counters {
#define GCB_X(name, desc) uint64_t name;
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
} gcb_brc_counters_t;

/* The totals now: every thread that left, plus the caller's own deltas
 * (other running threads' deltas are missing until they leave). */
void gcb_brc_counters(gcb_brc_counters_t *out);
/* Objects queued to registered thread `index` and not merged yet (tests). */
uint64_t gcb_brc_queue_length(uint32_t index);

/* ob_ref_shared's state bits (the low two; CPython's _Py_REF_*) are
 * runtime/object.h's GCB_REF_DEFAULT .. GCB_REF_MERGED. */

/* "brc.c" (object.h declares gcb__decref_shared and gcb__merge_zero_local) */
void gcb__brc_thread_enter(void);
void gcb__brc_thread_leave(void);
void gcb__brc_safepoint(void);

/* For the free-threaded collector (collectors/ftgc.c), world stopped:
 *   gcb__brc_explicit_merge   fold o's local count (plus extra) into its
 *                             shared word as MERGED; the merged count
 *                             (_Py_ExplicitMergeRefcount).  Also the
 *                             owner's and the orphan dropper's merge;
 *   gcb__brc_merge_all_stopped  merge every thread's queue; zero(o, arg)
 *                             for each object whose merged count is 0
 *                             (the caller frees or keeps it). */
int64_t gcb__brc_explicit_merge(gcb_object_t *o, int64_t extra);
void gcb__brc_merge_all_stopped(void (*zero)(gcb_object_t *o, void *arg), void *arg);

#endif
