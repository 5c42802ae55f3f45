/*
 * collectors/cycle.h - the CPython-style cycle detector shared by `gen`
 * (refcounting + generational cycle collection), `drc` (deferred
 * refcounting, whose cycles it also finds) and `incremental` (CPython
 * 3.14.0's increments, collected through gcb_cycle_collect_region).
 * collectors/cycle.c has the design block: how the two GC-header words are
 * used in each phase.
 *
 * A backend owns one gcb_cycle_t, calls gcb_cycle_alloc / gcb_cycle_free
 * from its on_alloc / on_free hooks (inline: they are the hot path), asks
 * gcb_cycle_due() at safepoints and runs gcb_cycle_collect().  What a
 * pause covers and attributing frees to collections are the backend's
 * business: they differ (a drc pause includes reconciling its zero-count
 * table); the timing itself is collectors/pause.h's.
 */
#ifndef GCB_CYCLE_H
#define GCB_CYCLE_H

#include <stdint.h>

#include "collectors/collector.h"
#include "runtime/object.h"

/* --- GC header encoding (the collector owns both words) ---------------------
 *   next: address of the next header in the object's generation list, 0
 *         when the object is not tracked; during a collection bit 0 marks
 *         an object on the unreachable list (CPython's NEXT_MASK_UNREACHABLE).
 *   prev: address of the previous header; during a collection, for the
 *         objects being collected, gc_refs << GCB_CYCLE_REFS_SHIFT with
 *         GCB_CYCLE_COLLECTING set (CPython's PREV_MASK_COLLECTING).
 *   prev tags: bits 0 and 2 of prev (GCB_CYCLE_PREV_TAGS) belong to the
 *         backend between collections, for objects it does not collect
 *         (`incremental` keeps its old-space bits there); gen and drc never
 *         set them.  A backend using them must preserve a neighbour's tags
 *         when it unlinks (the plain gcb_cycle_untrack does not).
 * Headers are at least 8-byte aligned, so the low three bits of an address
 * are free. */
#define GCB_CYCLE_UNREACHABLE ((uintptr_t)1)  /* in next */
#define GCB_CYCLE_COLLECTING ((uintptr_t)2)   /* in prev */
#define GCB_CYCLE_FLAGS ((uintptr_t)3)        /* every flag bit of prev */
#define GCB_CYCLE_PREV_TAGS ((uintptr_t)5)    /* the backend's bits of prev */
#define GCB_CYCLE_REFS_SHIFT 2

typedef struct gcb_cycle_gen {
    gcb_gchead_t head;   /* sentinel of a circular doubly linked list */
    int64_t threshold;   /* collect when count > threshold */
    int64_t count;       /* gen 0: net container allocations; gen g>0: collections of gen g-1 */
} gcb_cycle_gen_t;

typedef struct gcb_cycle {
    /* configuration (gcb_cycle_init) */
    int ngen;                 /* 1..GCB_GC_MAX_GENERATIONS */
    int stack_uncounted;      /* drc: frame slots are not in refcounts, add them to gc_refs */
    int lazy_dicts;           /* dicts tracked only once they hold a trackable value (pre-3.13) */
    int64_t young_limit;      /* threshold0, or INT64_MAX when automatic collection is off */
    /* state */
    gcb_cycle_gen_t gen[GCB_GC_MAX_GENERATIONS];
    int64_t long_lived_total;    /* survivors of the last full collection */
    int64_t long_lived_pending;  /* objects promoted into the oldest generation since */
    int collecting;
    /* statistics */
    uint64_t collections[GCB_GC_MAX_GENERATIONS];
    uint64_t traversed;          /* objects whose traverse ran in subtract_refs */
    uint64_t unreachable;        /* objects found unreachable (and cleared) */
    uint64_t untracked_tuples, untracked_dicts;
} gcb_cycle_t;

enum {
    GCB_CYCLE_STACK_UNCOUNTED = 1 << 0,
    GCB_CYCLE_LAZY_DICTS = 1 << 1,
};

/* thresholds[g] for g < ngen; threshold[0] == 0 turns automatic collection
 * off (as gc.set_threshold(0)). */
void gcb_cycle_init(gcb_cycle_t *c, int ngen, const int64_t *thresholds, unsigned flags);

/* The generation an automatic collection should collect now, or -1: the
 * oldest whose count exceeds its threshold, except that the oldest is
 * skipped while fewer than 25% of its objects arrived since the last full
 * collection (CPython's long-lived-pending rule; off with one generation). */
int gcb_cycle_due(const gcb_cycle_t *c);

/* Collect `generation` and every younger one.  Unreachable objects are
 * cleared (type->clear) so that their counts fall and the backend's on_zero
 * frees or tables them.  Returns how many objects were found unreachable.
 * Must run at a safepoint. */
uint64_t gcb_cycle_collect(gcb_cycle_t *c, int generation);

/* Collect the containers on the list `from` as one set, whatever
 * generation they came from (CPython 3.14's gc_collect_region; the
 * incremental collector forms its increments by hand).  Survivors, and
 * unreachable objects still alive after their clear (freed later by the
 * cascade), end on `to` with `tag` (a subset of GCB_CYCLE_PREV_TAGS) OR-ed
 * into their prev words; `from` is left empty.  from == to collects in place
 * and promises that every tracked container is on `from` (a full
 * collection: the first two phases fuse).  Objects on `from` may carry
 * tags; objects on other lists keep theirs.  The generation counters and
 * the 25% rule are left alone, and the lists are not validated: that is the
 * caller's business.  Returns how many objects were found unreachable;
 * *survivors (if not NULL) gets how many were kept.  Must run at a
 * safepoint. */
uint64_t gcb_cycle_collect_region(gcb_cycle_t *c, gcb_gchead_t *from, gcb_gchead_t *to, uintptr_t tag,
                                  uint64_t *survivors);

/* Check every generation list (links both ways, no collection bits left,
 * only live containers, the tracked/untracked rules).  Returns the number
 * of tracked objects; prints what is wrong and aborts on a broken list. */
uint64_t gcb_cycle_validate(const gcb_cycle_t *c);

/* --- the hot path ---------------------------------------------------------- */

static inline int gcb_cycle_is_tracked(const gcb_object_t *o)
{
    return ((const gcb_gchead_t *)o - 1)->next != 0;
}

/* Append to the young generation. */
static inline void gcb_cycle_track(gcb_cycle_t *c, gcb_object_t *o)
{
    gcb_gchead_t *g = gcb_gchead(o), *head = &c->gen[0].head;
    gcb_gchead_t *last = (gcb_gchead_t *)head->prev;
    g->prev = (uintptr_t)last;
    g->next = (uintptr_t)head;
    last->next = (uintptr_t)g;
    head->prev = (uintptr_t)g;
}

/* Unlink from whatever generation list holds it.  Only outside the
 * gc_refs phases of a collection (lists are plain then). */
static inline void gcb_cycle_untrack(gcb_object_t *o)
{
    gcb_gchead_t *g = gcb_gchead(o);
    gcb_gchead_t *prev = (gcb_gchead_t *)g->prev, *next = (gcb_gchead_t *)g->next;
    prev->next = (uintptr_t)next;
    next->prev = (uintptr_t)prev;
    g->next = g->prev = 0;
}

/* A container was allocated: track it (dicts wait for a trackable value
 * when lazy_dicts), count it, and ask for the next safepoint once the
 * young count exceeds threshold0 (never inside the allocation). */
static inline void gcb_cycle_alloc(gcb_cycle_t *c, gcb_object_t *o)
{
    if (!(c->lazy_dicts && (o->type->flags & GCB_TYPE_DICT)))
        gcb_cycle_track(c, o);
    if (++c->gen[0].count > c->young_limit)
        gcb_safepoint_request();
}

/* A container is being freed. */
static inline void gcb_cycle_free(gcb_cycle_t *c, gcb_object_t *o)
{
    if (gcb_cycle_is_tracked(o))
        gcb_cycle_untrack(o);
    if (c->gen[0].count > 0)
        c->gen[0].count--;
}

/* Could `o` ever be part of a cycle, now or later?  Atomic objects never;
 * a tuple only while tracked (its items are fixed); any other container
 * always, even untracked (a lazy dict can become tracked).  CPython's
 * _PyObject_GC_MAY_BE_TRACKED. */
static inline int gcb_cycle_may_be_tracked(const gcb_object_t *o)
{
    uint32_t flags = o->type->flags;
    if (!(flags & GCB_TYPE_GC))
        return 0;
    if (flags & GCB_TYPE_TUPLE)
        return gcb_cycle_is_tracked(o);
    return 1;
}

/* The lazy-dict write barrier: an untracked dict that receives a value
 * which may be tracked becomes tracked (CPython's MAINTAIN_TRACKING). */
static inline void gcb_cycle_dict_store(gcb_cycle_t *c, gcb_object_t *d, gcb_object_t *v)
{
    if (v && (d->type->flags & GCB_TYPE_DICT) && !gcb_cycle_is_tracked(d) && gcb_cycle_may_be_tracked(v))
        gcb_cycle_track(c, d);
}

#endif
