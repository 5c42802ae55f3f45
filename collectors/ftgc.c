/*
 * collectors/ftgc.c - CPython 3.14t's free-threaded cycle collector
 * (Python/gc_free_threading.c, read, not copied), for mode=ft.
 *
 * Why.  The free-threaded build replaced the generational collector: no
 * PyGC_Head, no generations, every collection looks at every tracked
 * object with the world stopped.  What that costs in pauses and
 * time-to-safepoint, against gen under the GIL, is the question.
 *
 * When (CPython's trigger).  Each thread counts its container allocations
 * minus frees in `alloc_count` and adds it to the shared `young_count`
 * when it reaches +-512 (LOCAL_ALLOC_COUNT_THRESHOLD), so the shared word
 * is touched once per 512 containers.  After a positive flush the thread
 * asks for its own safepoint when young_count > threshold (2000) and
 * young_count > long_lived_total / 4 (the quadratic-behaviour guard; 3.14's
 * memory gate is not modelled).  The safepoint re-checks and collects if
 * no collection is running (the `collecting` CAS).
 *
 * A collection, the order of gc_collect_internal:
 *   stop #1 (runtime/stw.h; ttsp recorded there, apart from the pause)
 *     young_count = 0; process every delayed free (QSBR, runtime/shared.h:
 *     all due, parked threads are offline); merge every thread's
 *     biased-counting queue (runtime/brc.h: a merged non-container at
 *     count 0 gets one reference and is dropped after the world starts, a
 *     container at 0 is left for the collection to find).  CPython merges
 *     first and defers the delayed drops until the world runs again
 *     (_PyMem_ProcessDelayedNoDealloc); the model drops them in the pause,
 *     before the merge, so the objects they queue are merged in the same
 *     collection;
 *     mark alive (mark_alive=1, 3.14): everything reachable from every
 *     thread's frames is ALIVE and skipped below;
 *     update_refs: gc_refs = the count, minus one per reference from
 *     another tracked object (lazily initialised, as gc_maybe_init_refs);
 *     mark: objects with gc_refs > 0 and what they reach are reachable;
 *     scan: the rest is garbage: merged with one reference more (the
 *     worklist's), counted long_lived_total otherwise;
 *   start; drop the merged non-containers (destructors never run with the
 *   world stopped);
 *   stop #2: handle_resurrected_objects' walk over the garbage (nothing
 *   resurrects without finalizers, but the walk and the pause are
 *   CPython's); start;
 *   delete_garbage: clear each object, drop the worklist's reference:
 *   counting frees the cycles, on the collecting thread.
 *
 * Finding objects: the slot table (collectors/tracked.h) for every
 * allocator, an 8-byte word before each container; the collector's scratch
 * word (gc_refs, ALIVE, UNREACHABLE) is in the slot, so no header word is
 * reused and nothing is restored afterwards (CPython reuses ob_tid and
 * restores it from mimalloc's page; deviations in docs/threads.md).
 *
 * Built into the ft core only; the other binaries keep the descriptor (so
 * `gcbench list` and the matrix's checks know it) with threads = ft, which
 * the harness refuses in their modes before anything runs.
 */
#include "collectors/collector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/pause.h"

static const gcb_param_def_t ftgc_params[] = {
    { "threshold", GCB_PARAM_INT, "2000", 0, 1e9,
      "collect when net container allocations, added up per thread in batches of 512, exceed this "
      "(and a quarter of the containers that survived the last collection); 0: never automatically" },
    { "mark_alive", GCB_PARAM_INT, "1", 0, 1,
      "1: first mark everything reachable from the threads' frames alive and skip it (3.14); 0: as 3.13" },
    { "collect", GCB_PARAM_INT, "1", 0, 1,
      "0: tracked and counted, never collected automatically (gc.disable()); gc.collect() still runs" },
    GCB_PARAM_END
};

static gcb_gc_stats_t st;

static void ftgc_stats(gcb_gc_stats_t *out)
{
    *out = st;
    out->generations = 1;
    out->collections_per_gen[0] = st.collections;
}

#if GCB_RC_MODE == GCB_RC_BIASED

#include "collectors/tracked.h"
#include "runtime/brc.h"
#include "runtime/shared.h"
#include "runtime/stw.h"

/* --- tunables ------------------------------------------------------------ */
/* LOCAL_ALLOC_COUNT_THRESHOLD of Python/gc_free_threading.c. */
#define LOCAL_ALLOC_COUNT_THRESHOLD 512

/* The slot's scratch word while the world is stopped. */
#define ALIVE ((intptr_t)1)
#define UNREACHABLE ((intptr_t)2)
#define REF ((intptr_t)4) /* gc_refs are counted above the two bits */

typedef struct {
    gcb_object_t **v;
    size_t n, cap;
} worklist_t;

static struct {
    int64_t threshold;
    int mark_alive;
    int collect;
    _Atomic int64_t young_count;
    _Atomic int collecting;
    _Atomic int64_t long_lived_total;
} F;

static GCB_TLS int64_t alloc_count;

static void push(worklist_t *w, gcb_object_t *o)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 1024;
        w->v = realloc(w->v, w->cap * sizeof *w->v);
        if (!w->v) {
            fprintf(stderr, "gcbench: ftgc: out of memory growing a worklist to %zu entries\n", w->cap);
            exit(3);
        }
    }
    w->v[w->n++] = o;
}

/* A tracked object the collection looks at: a mortal container. */
static inline gcb_tracked_slot_t *tracked(gcb_object_t *o)
{
    return gcb_is_container(o) && !gcb_is_immortal(o) ? gcb_tracked_slot_of(o) : NULL;
}

/* --- the trigger ---------------------------------------------------------- */

static int should_collect(int64_t count)
{
    return F.threshold > 0 && F.collect && count > F.threshold &&
           count > atomic_load_explicit(&F.long_lived_total, memory_order_relaxed) / 4 &&
           !atomic_load_explicit(&F.collecting, memory_order_relaxed);
}

static void ftgc_on_alloc(gcb_object_t *o)
{
    gcb_tracked_add(o);
    if (++alloc_count >= LOCAL_ALLOC_COUNT_THRESHOLD) {
        int64_t c = atomic_fetch_add_explicit(&F.young_count, alloc_count, memory_order_relaxed) + alloc_count;
        alloc_count = 0;
        if (should_collect(c))
            gcb_safepoint_request(); /* _Py_ScheduleGC: this thread's next safepoint */
    }
}

static void ftgc_on_free(gcb_object_t *o)
{
    gcb_tracked_remove(o);
    if (--alloc_count <= -LOCAL_ALLOC_COUNT_THRESHOLD) {
        atomic_fetch_add_explicit(&F.young_count, alloc_count, memory_order_relaxed);
        alloc_count = 0;
    }
}

/* --- phases with the world stopped ------------------------------------------ */

/* merge_queued_objects' decision for an object whose merged count is 0. */
static void merged_to_zero(gcb_object_t *o, void *arg)
{
    if (tracked(o))
        return; /* garbage the collection will find (gc_refs 0) */
    atomic_fetch_add_explicit(&o->ob_ref_shared, (int64_t)1 << GCB_REF_SHARED_SHIFT, memory_order_relaxed);
    push(arg, o);
}

static void visit_alive(gcb_object_t *child, void *arg)
{
    gcb_tracked_slot_t *s = tracked(child);
    if (s && !(s->gc & ALIVE)) {
        s->gc = ALIVE;
        push(arg, child);
    }
}

/* gc_mark_alive_from_roots: every thread's frames are the roots. */
static void mark_alive(worklist_t *stack)
{
    gcb_frames_visit(visit_alive, stack);
    while (stack->n) {
        gcb_object_t *o = stack->v[--stack->n];
        st.objects_traversed++;
        if (o->type->traverse)
            o->type->traverse(o, visit_alive, stack);
    }
}

static inline void maybe_init_refs(gcb_tracked_slot_t *s, gcb_object_t *o)
{
    if (!(s->gc & (UNREACHABLE | ALIVE)))
        s->gc = (intptr_t)GCB_REFCNT(o) * REF | UNREACHABLE;
}

static void visit_decref(gcb_object_t *child, void *arg)
{
    (void)arg;
    gcb_tracked_slot_t *s = tracked(child);
    if (s && !(s->gc & ALIVE)) {
        maybe_init_refs(s, child);
        s->gc -= REF;
    }
}

static void update_refs(gcb_tracked_slot_t *s, void *arg)
{
    (void)arg;
    gcb_object_t *o = s->obj;
    if (gcb_is_immortal(o))
        s->gc = ALIVE; /* CPython untracks immortals: never garbage, never traversed */
    if (s->gc & ALIVE)
        return;
    maybe_init_refs(s, o);
    st.objects_traversed++;
    if (o->type->traverse)
        o->type->traverse(o, visit_decref, NULL);
}

static void visit_reachable(gcb_object_t *child, void *arg)
{
    gcb_tracked_slot_t *s = tracked(child);
    if (s && (s->gc & UNREACHABLE)) {
        s->gc &= ~UNREACHABLE;
        push(arg, child);
    }
}

/* mark_heap_visitor: a positive gc_refs is a reference from outside. */
static void mark_heap(gcb_tracked_slot_t *s, void *arg)
{
    worklist_t *stack = arg;
    if (!(s->gc & UNREACHABLE) || s->gc < REF)
        return;
    s->gc &= ~UNREACHABLE;
    push(stack, s->obj);
    while (stack->n) {
        gcb_object_t *o = stack->v[--stack->n];
        if (o->type->traverse)
            o->type->traverse(o, visit_reachable, stack);
    }
}

struct scan {
    worklist_t *garbage;
    int64_t survivors;
};

/* scan_heap_visitor: garbage gets the worklist's reference, merged. */
static void scan_heap(gcb_tracked_slot_t *s, void *arg)
{
    struct scan *sc = arg;
    if (s->gc & UNREACHABLE) {
        gcb__brc_explicit_merge(s->obj, 1);
        push(sc->garbage, s->obj);
    } else {
        sc->survivors++;
    }
    s->gc = 0;
}

/* Stop #1's work; returns with the garbage on `garbage` and the
 * non-containers to drop on `drop`. */
static void find_garbage(worklist_t *garbage, worklist_t *drop)
{
    worklist_t stack = { 0 };
    atomic_store_explicit(&F.young_count, 0, memory_order_relaxed);
    gcb__shared_process_all(); /* first: its drops may queue objects to their owners */
    gcb__brc_merge_all_stopped(merged_to_zero, drop);
    if (F.mark_alive)
        mark_alive(&stack);
    gcb_tracked_each(update_refs, NULL);
    gcb_tracked_each(mark_heap, &stack);
    struct scan sc = { garbage, 0 };
    gcb_tracked_each(scan_heap, &sc);
    atomic_store_explicit(&F.long_lived_total, sc.survivors, memory_order_relaxed);
    free(stack.v);
}

/* handle_resurrected_objects' walk: the counts of the garbage, less the
 * references among them and the worklist's own; none is positive without
 * finalizers, so nothing is taken off the list. */
static void visit_decref_garbage(gcb_object_t *child, void *arg)
{
    (void)arg;
    gcb_tracked_slot_t *s = tracked(child);
    if (s && (s->gc & UNREACHABLE))
        s->gc -= REF;
}

static void recheck_garbage(const worklist_t *garbage)
{
    for (size_t i = 0; i < garbage->n; i++)
        gcb_tracked_slot_of(garbage->v[i])->gc = (intptr_t)(GCB_REFCNT(garbage->v[i]) - 1) * REF | UNREACHABLE;
    for (size_t i = 0; i < garbage->n; i++)
        if (garbage->v[i]->type->traverse)
            garbage->v[i]->type->traverse(garbage->v[i], visit_decref_garbage, NULL);
    for (size_t i = 0; i < garbage->n; i++)
        gcb_tracked_slot_of(garbage->v[i])->gc = 0;
}

/* --- a collection --------------------------------------------------------- */

static void collect(void)
{
    int idle = 0;
    if (!atomic_compare_exchange_strong(&F.collecting, &idle, 1))
        return;
    gcb_pause_t p = gcb_pause_begin();
    uint64_t freed0 = gcb_objects_freed();
    worklist_t garbage = { 0 }, drop = { 0 };
    gcb_stw_stop();
    find_garbage(&garbage, &drop);
    gcb_stw_start();
    for (size_t i = 0; i < drop.n; i++)
        gcb__decref(drop.v[i]);
    gcb_stw_stop();
    recheck_garbage(&garbage);
    gcb_stw_start();
    for (size_t i = 0; i < garbage.n; i++) {
        gcb_object_t *o = garbage.v[i];
        if (o->type->clear)
            o->type->clear(o);
        gcb__decref(o);
    }
    st.freed_by_gc += gcb_objects_freed() - freed0;
    st.collections++;
    free(garbage.v);
    free(drop.v);
    gcb_pause_end(p, &st.gc_time_s, &st.pauses);
    atomic_store(&F.collecting, 0);
}

static void ftgc_safepoint(void)
{
    if (should_collect(atomic_load_explicit(&F.young_count, memory_order_relaxed)))
        collect();
}

static void ftgc_collect_full(void) { collect(); }

static int ftgc_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    memset(&st, 0, sizeof st);
    gcb_hist_init(&st.pauses);
    F.threshold = gcb_param_int(p, ftgc_params, "threshold");
    F.mark_alive = (int)gcb_param_int(p, ftgc_params, "mark_alive");
    F.collect = (int)gcb_param_int(p, ftgc_params, "collect");
    atomic_store(&F.young_count, 0);
    atomic_store(&F.collecting, 0);
    atomic_store(&F.long_lived_total, 0);
    alloc_count = 0;
    gcb_tracked_reset(); /* the last run's tables; its objects are gone */
    return 0;
}

/* The tables stay until the next init: the runtime's teardown (after
 * this) still frees containers through on_free (delayed drops). */
static void ftgc_fini(void) {}

#define FTGC_HOOKS .on_alloc = ftgc_on_alloc, .on_free = ftgc_on_free, .safepoint = ftgc_safepoint, \
                   .collect_full = ftgc_collect_full, .ft_prefix = GCB_TRACKED_PREFIX,
#else
static int ftgc_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)p;
    snprintf(err, errlen, "ftgc runs in gcbench-ft only (mode=ft)");
    return -1;
}

static void ftgc_fini(void) {}
#define FTGC_HOOKS
#endif

const gcb_collector_t gcb_collector_ftgc = {
    .name = "ftgc",
    .description = "free-threaded CPython 3.14t's collector: stop-the-world, non-generational, merges and "
                   "delayed frees at collections (mode=ft)",
    .params = ftgc_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .containers_only = 1,
        .threads = GCB_THREADS_FT,
        FTGC_HOOKS
    },
    .init = ftgc_init,
    .fini = ftgc_fini,
    .stats = ftgc_stats,
};
