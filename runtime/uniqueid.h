/*
 * runtime/uniqueid.h - deferred and per-thread reference counting of
 * classes under mode=ft (docs/threads.md, "Biased reference counting",
 * the deferred objects; plan commit 11).  The model of CPython 3.14t's
 * Python/uniqueid.c, _PyObject_SetDeferredRefcount (Objects/object.c) and
 * _Py_INCREF_TYPE / _Py_DECREF_TYPE (Include/internal/pycore_object.h).
 * Compiled only into the ft core (gcbcore_ft); in the other cores classes
 * stay immortal.
 *
 * A class made under ft (gcb_class_new) gets:
 *   - a unique id from one runtime-wide pool (a mutex, a table indexed by
 *     id - 1, free entries on a list, so a dead class's id is reused by the
 *     next class): id 0 means "none";
 *   - the DEFERRED bit in ob_gc_bits and GCB_REF_DEFERRED added to its
 *     shared count (CPython's _Py_REF_DEFERRED, PY_SSIZE_T_MAX / 8): no
 *     reference operation can bring the count to 0, so no refcount path
 *     frees it, only a collector, which subtracts the bias first
 *     (gcb__deferred_disable).  Its bytes are counted apart from live, as
 *     an immortal's are in the other cores, so leak figures do not change.
 * An instance's reference to its class (its type pointer) is counted in
 * the calling thread's per-thread array, refcounts[id - 1], an int64 that
 * may go negative (a consumer frees what a producer made), never in the
 * class header: the inline paths below, taken by runtime/instance.c.
 * Growing the array, and the cases without an array (an unregistered
 * thread; an id disabled), are the slow path.  As CPython, a decrement
 * whose index is beyond the thread's array decrements the class itself
 * (_Py_THREAD_DECREF_OBJECT does not grow): a thread that only frees
 * instances pays the shared decrement.
 *
 * The class's true count is local + shared - GCB_REF_DEFERRED plus every
 * thread's array entry.  gcb__deferred_merge_thread adds a thread's array
 * into the classes' ob_ref_shared and zeroes it (each registered thread's
 * at its leave, gcb__thread_leave); gcb__deferred_merge_all merges every
 * registered thread's, for the stop-the-world collector (ftgc) with the
 * world stopped (_PyObject_MergePerThreadRefcounts in gc_collect_internal).
 * Under rc no collector runs: a class whose merged count is 0 is garbage
 * that stays allocated (counted, zero_unfreed) until runtime teardown
 * (gcb__deferred_fini) frees every class left.
 *
 * Invariants: entry i of the pool holds a class iff that class's id is
 * i + 1, DEFERRED is set and the bias is in its shared count; a thread's
 * array entry is non-zero only for an id in use; an id is released only
 * when every array's entry for it is 0 (a collector merges every array
 * with the world stopped, then disables; teardown runs after every thread
 * left).
 */
#ifndef GCB_RUNTIME_UNIQUEID_H
#define GCB_RUNTIME_UNIQUEID_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/object.h"
#include "runtime/threads.h"

#if GCB_RC_MODE != GCB_RC_BIASED
#error "runtime/uniqueid.h is the ft core's (GCB_RC_MODE == GCB_RC_BIASED)"
#endif

/* ob_gc_bits: CPython's _PyGC_BITS_DEFERRED (1 << 6). */
#define GCB_GC_BIT_DEFERRED (1u << 6)
/* The bias in count units (shifted by GCB_REF_SHARED_SHIFT in the word):
 * CPython's _Py_REF_DEFERRED, half the largest shared count. */
#define GCB_REF_DEFERRED (INT64_MAX / 8)

/* The counts, summed over threads (per-thread deltas added into the totals
 * when a thread leaves and when they are read).  Balance once every thread
 * has left: array_increfs - array_decrefs == the sum of merged entries'
 * values (merged_sum). */
#define GCB_DEFERRED_COUNTERS(X)                                                                         \
    X(ids_assigned, "classes given a unique id and made deferred")                                        \
    X(ids_reused, "ids taken from the free list (a dead class's)")                                        \
    X(ids_released, "ids given back (a class freed by a collector or at teardown)")                       \
    X(array_increfs, "instance creations counted in the thread's array: a class incref saved")            \
    X(array_decrefs, "instance frees counted in the thread's array: a class decref saved")                \
    X(saved_shared, "of those, by a thread not owning the class: an atomic RMW on its ob_ref_shared saved") \
    X(direct_increfs, "instance creations that counted on the class itself (no array: unregistered thread)") \
    X(direct_decrefs, "instance frees that counted on the class itself (id beyond the thread's array, or none)") \
    X(array_grows, "per-thread arrays grown to the pool's size (_PyObject_ThreadIncrefSlow)")              \
    X(thread_merges, "per-thread arrays merged into the classes (a thread's leave, or merge_all)")         \
    X(merged_entries, "non-zero array entries added into a class's ob_ref_shared")                         \
    X(zero_unfreed, "classes seen with a merged count of 0 and left allocated (only a collector frees them)") \
    X(teardown_frees, "deferred classes freed by runtime teardown")                                       \
    X(collector_disables, "deferred classes handed back to plain counting by a collector (gcb__deferred_disable)") \
    X(dealloc_refused, "deferred classes whose dealloc was reached and refused (0 while the bias holds)")

typedef struct gcb_deferred_counters {
#define GCB_X(name, desc) uint64_t name;
    GCB_DEFERRED_COUNTERS(GCB_X)
#undef GCB_X
    int64_t merged_sum; /* sum of the merged entries' values (a check, not a figure) */
} gcb_deferred_counters_t;

/* The totals now: every thread that left, plus the caller's own deltas. */
void gcb_deferred_counters(gcb_deferred_counters_t *out);
/* A deferred class's count with the bias taken out, as merged so far
 * (every thread's unmerged array entries are missing). */
int64_t gcb_deferred_refcount(const gcb_object_t *o);
/* Its unique id (0: none) and whether it is deferred. */
uint32_t gcb_deferred_id(const gcb_object_t *o);
int gcb_is_deferred(const gcb_object_t *o);
/* Ids in use now. */
uint32_t gcb_deferred_live(void);

/* --- the per-thread arrays: the hot path of instance creation/free ------ */

typedef struct gcb__refcounts {
    int64_t *v;   /* v[id - 1]: this thread's net references to class id */
    size_t n;     /* entries; 0 for a thread without an array */
} gcb__refcounts_t;

/* The calling thread's array: its slot while registered, else an empty
 * one, so the fast test below fails and the slow path counts directly. */
extern GCB_TLS gcb__refcounts_t *gcb__refcounts;
extern GCB_TLS gcb_deferred_counters_t gcb__dtc;

void gcb__type_incref_slow(gcb_object_t *cls, size_t idx) __attribute__((cold, noinline));
void gcb__type_decref_slow(gcb_object_t *cls) __attribute__((cold, noinline));

/* _Py_INCREF_TYPE: an instance of cls was made on this thread.  The index
 * is id - 1 compared unsigned, so id 0 (none) takes the slow path. */
static inline void gcb__type_incref(gcb_object_t *cls, uint32_t id)
{
    gcb__refcounts_t *r = gcb__refcounts;
    size_t idx = (size_t)id - 1;
    if (__builtin_expect(idx < r->n, 1)) {
        r->v[idx]++;
        gcb__dtc.array_increfs++;
        gcb__dtc.saved_shared += atomic_load_explicit(&cls->ob_tid, memory_order_relaxed) != gcb_thread_id();
    } else {
        gcb__type_incref_slow(cls, idx);
    }
}

/* _Py_DECREF_TYPE: an instance of cls was freed on this thread (call it
 * after the instance's memory is gone). */
static inline void gcb__type_decref(gcb_object_t *cls, uint32_t id)
{
    gcb__refcounts_t *r = gcb__refcounts;
    size_t idx = (size_t)id - 1;
    if (__builtin_expect(idx < r->n, 1)) {
        r->v[idx]--;
        gcb__dtc.array_decrefs++;
        gcb__dtc.saved_shared += atomic_load_explicit(&cls->ob_tid, memory_order_relaxed) != gcb_thread_id();
    } else {
        gcb__type_decref_slow(cls);
    }
}

/* --- the runtime's and the collector's entry points --------------------- */

/* gcb_class_new: assign cls an id, mark it DEFERRED, add the bias, count
 * its bytes apart from live.  `id_field` is where the class keeps its id
 * (cleared by gcb__deferred_disable).  The id. */
uint32_t gcb__deferred_enable(gcb_object_t *cls, uint32_t *id_field);
/* Add thread t's array into the classes and zero it (t's own thread, or
 * any thread while t is stopped); at its leave, gcb__deferred_thread_leave
 * merges and frees the array. */
void gcb__deferred_merge_thread(gcb_tstate_t *t);
/* Every registered thread's array, merged: for ftgc, with the world
 * stopped.  Also counts classes whose merged count is now 0 (exact here). */
void gcb__deferred_merge_all(void);
/* For a collector that found cls unreachable, every array merged and the
 * world stopped (CPython's disable_deferred_refcounting): clear DEFERRED,
 * subtract the bias and merge the count into the shared word as MERGED
 * (merge_refcount(op, 0): ob_tid 0, local 0), release the id (instance
 * frees from now on count on the class itself) and count its bytes as
 * live again.  The drop that then leaves it at 0, on any thread, frees
 * it through its dealloc (runtime/instance.c's class_dealloc). */
void gcb__deferred_disable(gcb_object_t *cls);
/* A class's dealloc: 1 (counted, not to be freed) if it is still
 * DEFERRED, else 0. */
int gcb__deferred_refuse(gcb_object_t *cls);
/* A class is being freed (its dealloc): give its id back if it has one. */
void gcb__deferred_release(gcb_object_t *cls, uint32_t *id_field);

/* "runtime.c": gcb__thread_enter / gcb__thread_leave (the latter after
 * everything that may free instances on the thread); gcb_runtime_fini. */
void gcb__deferred_thread_enter(void);
void gcb__deferred_thread_leave(void);
void gcb__deferred_fini(void);

#endif
