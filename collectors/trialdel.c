/*
 * collectors/trialdel.c - reference counting plus synchronous cycle
 * collection by trial deletion (Bacon & Rajan, ECOOP 2001), the way PHP's
 * Zend/zend_gc.c does it.
 *
 * Why.  Refcounting frees everything except cycles.  A cycle can only
 * become garbage through a decrement that leaves some member's count above
 * zero, so the objects decremented to a non-zero count are the only
 * candidates ("possible roots").  Trial deletion then asks of the subgraph
 * reachable from the candidates: if every reference that comes from inside
 * the subgraph were deleted, which counts would drop to zero?  Those
 * objects are referenced only from inside: cyclic garbage.  Unlike CPython
 * this never looks at objects that were not decremented, so its cost is
 * proportional to the candidates' subgraph, not to the heap.
 *
 * Which objects take part.  Only containers (types with GCB_TYPE_GC) can be
 * on a cycle, and only they have the 2-word GC header this file uses.
 * Leaves (int, float, str) are never buffered, coloured or trial-
 * decremented: a leaf referenced by garbage is freed by its count reaching
 * zero when the garbage releases it.  Immortal objects are skipped too.
 *
 * The GC header of a container:
 *     next  slot in the root buffer + 1; 0 = not buffered
 *     prev  colour: BLACK 0 (in use or free; the runtime zeroes the header
 *           at allocation), PURPLE (a buffered possible root), GREY
 *           (trial-deleted), WHITE (garbage candidate)
 *
 * Outside a collection every container is BLACK or PURPLE, and PURPLE <=>
 * buffered.  The root buffer is a dense array: a root freed by refcounting
 * (on_free) is removed by moving the last root into its slot, so the
 * buffer never holds a dangling pointer and its length is the number of
 * possible roots.
 *
 * Trigger.  When a decrement buffers the root_threshold-th root, the
 * collector asks for the next safepoint (gcb_hot.pending); PHP collects
 * inside gc_possible_root, the runtime's safepoint rule defers it to the
 * next safepoint (as CPython 3.12+ does), where every live object is
 * reachable from the frames and no C variable holds an uncounted pointer.
 *
 * One collection, colours per phase:
 *   1. mark: from every PURPLE root, colour GREY and, through
 *      type->traverse, decrement the count of every container child
 *      (one decrement per edge leaving a GREY object), greying the child.
 *      After it a GREY object's count is the number of references from
 *      outside the GREY subgraph (frames, C code, BLACK objects).
 *   2. scan: from every root, a GREY object with count > 0 is externally
 *      referenced: scan-black restores it and everything it reaches (BLACK,
 *      one increment per edge leaving a re-blackened object); a GREY object
 *      with count 0 becomes WHITE (scan-black may still re-blacken it).
 *      Afterwards every object of the subgraph is BLACK or WHITE, and a
 *      WHITE object is referenced only by WHITE objects.
 *   3. collect: every root leaves the buffer (a BLACK root is in use; a
 *      WHITE one is garbage).  The WHITE objects are gathered from the WHITE
 *      roots (every WHITE object is reachable from one through WHITE
 *      objects), recoloured BLACK, and for each edge leaving one the trial
 *      decrement is undone, so every count is true again; each also gets
 *      one extra "hold" reference.
 *   4. free: type->clear on every gathered object drops its references:
 *      leaves may reach zero and are freed by refcounting; BLACK containers
 *      keep a count > 0 (they were externally referenced); gathered objects
 *      keep exactly their hold, so none is freed while another is being
 *      cleared.  Then each hold is dropped and the object deallocated.
 *      Order matters: clearing everything before freeing anything is what
 *      keeps a cleared object from releasing a reference into an already
 *      freed one, and restoring the counts before clearing is what keeps a
 *      BLACK child from being decremented twice (once in trial, once by
 *      clear).
 * While a collection runs, decrements do not buffer (PHP's gc_active): the
 * only decrements are those of phase 4, whose targets are either being
 * freed or externally referenced BLACK objects (Bacon-Rajan free garbage
 * without decrementing its BLACK children at all).
 *
 * Adaptive threshold (-p adaptive=1, PHP 7.3+'s gc_adjust_threshold): a
 * threshold-triggered collection that frees fewer than 100 objects (the
 * buffer held live data) raises the threshold by 10,000, up to 1e9; a
 * productive one lowers it by 10,000, not below root_threshold.  Explicit
 * full collections (gc_collect_cycles(), the runner's last one) leave it
 * alone, as in PHP.
 *
 * Statistics: collections (generation 0 = all of them), pause per
 * collection, objects_traversed = objects greyed (the candidate subgraph),
 * freed_by_gc = objects freed during collections (leaves freed by the
 * cascade included), deferred_peak = the largest root buffer,
 * deferred_bytes_peak = the most bytes one threshold-triggered collection
 * reclaimed (cyclic garbage held until then; explicit collections, such as
 * the runner's final one, are left out).
 */
#include "collectors/collector.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/pause.h"

/* --- tunables (PHP's zend_gc.c values) --------------------------------- */
#define TD_THRESHOLD_DEFAULT 10001     /* GC_THRESHOLD_DEFAULT */
#define TD_THRESHOLD_STEP 10000        /* GC_THRESHOLD_STEP */
#define TD_THRESHOLD_MAX 1000000000    /* GC_THRESHOLD_MAX */
#define TD_THRESHOLD_TRIGGER 100       /* GC_THRESHOLD_TRIGGER: "unproductive" below this */
_Static_assert(TD_THRESHOLD_DEFAULT + TD_THRESHOLD_STEP <= TD_THRESHOLD_MAX, "room to adapt");
_Static_assert(TD_THRESHOLD_TRIGGER < TD_THRESHOLD_DEFAULT, "a full buffer can be productive");

enum { BLACK = 0, PURPLE = 1, GREY = 2, WHITE = 3 };

static const gcb_param_def_t td_params[] = {
    { "root_threshold", GCB_PARAM_INT, "10001", 1, 1e9,
      "possible roots buffered before a collection runs (PHP's GC_THRESHOLD_DEFAULT)" },
    { "adaptive", GCB_PARAM_INT, "0", 0, 1,
      "1: PHP's adaptive threshold (+10,000 after a collection freeing < 100 objects, back toward root_threshold after a productive one)" },
    GCB_PARAM_END
};

/* A growable array of object pointers (collector memory, from the C
 * library like frames: not counted as object memory). */
typedef struct objvec {
    gcb_object_t **items;
    size_t n, cap;
} objvec_t;

static void vec_grow(objvec_t *v)
{
    size_t cap = v->cap ? 2 * v->cap : 1024;
    gcb_object_t **items = realloc(v->items, cap * sizeof *items);
    if (!items) {
        fprintf(stderr, "gcbench: trialdel: out of memory growing a buffer to %zu entries\n", cap);
        exit(3);
    }
    v->items = items;
    v->cap = cap;
}

static inline void vec_push(objvec_t *v, gcb_object_t *o)
{
    if (v->n == v->cap)
        vec_grow(v);
    v->items[v->n++] = o;
}

static void vec_free(objvec_t *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}

static struct {
    objvec_t roots;        /* possible roots: PURPLE, buffered */
    objvec_t stack;        /* mark and scan work list */
    objvec_t black;        /* scan-black work list */
    objvec_t white;        /* the garbage gathered in phase 3 */
    size_t threshold;      /* current trigger */
    size_t base;           /* root_threshold: where the adaptive threshold returns */
    int adaptive;
    int collecting;
    gcb_gc_stats_t st;
} td;

static inline unsigned colour(gcb_object_t *o) { return (unsigned)gcb_gchead(o)->prev; }
static inline void set_colour(gcb_object_t *o, unsigned c) { gcb_gchead(o)->prev = c; }

/* Takes part in cycle collection: a mortal container. */
static inline int candidate(const gcb_object_t *o)
{
    return (o->type->flags & GCB_TYPE_GC) && !gcb_is_immortal(o);
}


/* Outside a collection: every buffer slot holds a live PURPLE container
 * that knows its slot; nothing else is coloured (checked for the roots
 * only: the other objects are not enumerable from here). */
static void trialdel_validate(void)
{
    for (size_t i = 0; i < td.roots.n; i++) {
        gcb_object_t *o = td.roots.items[i];
        if (!candidate(o) || gcb_gchead(o)->next != i + 1 || colour(o) != PURPLE || o->refcnt <= 0) {
            fprintf(stderr, "gcbench: trialdel: root buffer slot %zu (%p) is inconsistent\n", i, (void *)o);
            abort();
        }
    }
    if (td.collecting || td.stack.n || td.black.n || td.white.n) {
        fprintf(stderr, "gcbench: trialdel: collection state left behind\n");
        abort();
    }
}

/* --- the hot path -------------------------------------------------------- */

static void td_on_decref_live(gcb_object_t *o)
{
    if (!(o->type->flags & GCB_TYPE_GC))
        return;
    gcb_gchead_t *h = gcb_gchead(o);
    if (h->next || td.collecting)      /* already PURPLE, or phase 4 */
        return;
    h->prev = PURPLE;
    vec_push(&td.roots, o);
    h->next = td.roots.n;
    if (td.roots.n >= td.threshold)
        gcb_safepoint_request();
    if (td.roots.n > td.st.deferred_peak)
        td.st.deferred_peak = td.roots.n;
}

/* A buffered root freed by refcounting leaves the buffer: the last root
 * moves into its slot. */
static void td_on_free(gcb_object_t *o)
{
    if (!(o->type->flags & GCB_TYPE_GC))
        return;
    gcb_gchead_t *h = gcb_gchead(o);
    if (!h->next)
        return;
    size_t slot = h->next - 1;
    gcb_object_t *last = td.roots.items[--td.roots.n];
    td.roots.items[slot] = last;
    gcb_gchead(last)->next = slot + 1;
    h->next = 0;
    h->prev = BLACK;
}

/* --- phase 1: mark grey ---------------------------------------------------- */

static void grey_visit(gcb_object_t *c, void *arg)
{
    (void)arg;
    if (!candidate(c))
        return;
    c->refcnt--;
    if (colour(c) != GREY) {
        set_colour(c, GREY);
        vec_push(&td.stack, c);
    }
}

static void mark_roots(void)
{
    for (size_t i = 0; i < td.roots.n; i++) {
        gcb_object_t *r = td.roots.items[i];
        if (colour(r) != PURPLE)       /* greyed from an earlier root */
            continue;
        set_colour(r, GREY);
        vec_push(&td.stack, r);
        while (td.stack.n) {
            gcb_object_t *o = td.stack.items[--td.stack.n];
            td.st.objects_traversed++;
            o->type->traverse(o, grey_visit, NULL);
        }
    }
}

/* --- phase 2: scan --------------------------------------------------------- */

static void black_visit(gcb_object_t *c, void *arg)
{
    (void)arg;
    if (!candidate(c))
        return;
    c->refcnt++;
    if (colour(c) != BLACK) {
        set_colour(c, BLACK);
        vec_push(&td.black, c);
    }
}

static void scan_black(gcb_object_t *o)
{
    set_colour(o, BLACK);
    vec_push(&td.black, o);
    while (td.black.n) {
        gcb_object_t *p = td.black.items[--td.black.n];
        p->type->traverse(p, black_visit, NULL);
    }
}

static void scan_visit(gcb_object_t *c, void *arg)
{
    (void)arg;
    if (candidate(c) && colour(c) == GREY)
        vec_push(&td.stack, c);
}

static void scan_roots(void)
{
    for (size_t i = 0; i < td.roots.n; i++) {
        vec_push(&td.stack, td.roots.items[i]);
        while (td.stack.n) {
            gcb_object_t *o = td.stack.items[--td.stack.n];
            if (colour(o) != GREY)
                continue;
            if (o->refcnt > 0) {
                scan_black(o);
            } else {
                set_colour(o, WHITE);
                o->type->traverse(o, scan_visit, NULL);
            }
        }
    }
}

/* --- phase 3: collect white ------------------------------------------------ */

/* An edge leaving a WHITE object: undo its trial decrement; gather a WHITE
 * child (BLACK again, plus the hold reference). */
static void white_visit(gcb_object_t *c, void *arg)
{
    (void)arg;
    if (!candidate(c))
        return;
    c->refcnt++;
    if (colour(c) == WHITE) {
        set_colour(c, BLACK);
        c->refcnt++;
        vec_push(&td.white, c);
    }
}

static void collect_roots(void)
{
    for (size_t i = 0; i < td.roots.n; i++) {
        gcb_object_t *r = td.roots.items[i];
        gcb_gchead(r)->next = 0;
        if (colour(r) == WHITE) {
            r->refcnt++;
            vec_push(&td.white, r);
        }
        set_colour(r, BLACK);
    }
    td.roots.n = 0;
    for (size_t i = 0; i < td.white.n; i++) {
        gcb_object_t *w = td.white.items[i];
        w->type->traverse(w, white_visit, NULL);
    }
}

/* --- phase 4: free --------------------------------------------------------- */

static void free_white(void)
{
    for (size_t i = 0; i < td.white.n; i++) {
        gcb_object_t *w = td.white.items[i];
        w->type->clear(w);
    }
    for (size_t i = 0; i < td.white.n; i++) {
        gcb_object_t *w = td.white.items[i];
        if (GCB_DEBUG_CHECKS && w->refcnt != 1) {
            fprintf(stderr, "gcbench: trialdel: garbage %s %p has count %lld after clearing, not 1\n",
                    w->type->name, (void *)w, (long long)w->refcnt);
            abort();
        }
        w->refcnt = 0;
        gcb_dealloc(w);
    }
    td.white.n = 0;
}

static void adjust_threshold(uint64_t freed)
{
    if (freed < TD_THRESHOLD_TRIGGER) {
        size_t t = td.threshold + TD_THRESHOLD_STEP;
        td.threshold = t > TD_THRESHOLD_MAX ? TD_THRESHOLD_MAX : t;
    } else if (td.threshold > td.base) {
        td.threshold = td.threshold - td.base > TD_THRESHOLD_STEP ? td.threshold - TD_THRESHOLD_STEP : td.base;
    }
}

static void collect(int triggered)
{
    if (GCB_DEBUG_CHECKS)
        trialdel_validate();
    gcb_pause_t pause = gcb_pause_begin();
    uint64_t freed0 = gcb_objects_freed(), bytes0 = gcb_live_bytes();
    td.collecting = 1;
    mark_roots();
    scan_roots();
    collect_roots();
    free_white();
    td.collecting = 0;
    uint64_t freed = gcb_objects_freed() - freed0;
    uint64_t reclaimed = bytes0 - gcb_live_bytes();
    gcb_pause_end(pause, &td.st.gc_time_s, &td.st.pauses);

    td.st.collections++;
    td.st.collections_per_gen[0]++;
    td.st.freed_by_gc += freed;
    if (triggered && reclaimed > td.st.deferred_bytes_peak)
        td.st.deferred_bytes_peak = reclaimed;
    if (triggered && td.adaptive)
        adjust_threshold(freed);
    gcb_safepoint_request_clear();           /* this collection was the work asked for */
    if (GCB_DEBUG_CHECKS)
        trialdel_validate();
}

/* --- the descriptor's hooks ---------------------------------------------- */

static void td_safepoint(void)
{
    if (td.roots.n >= td.threshold)
        collect(1);
}

static void td_collect_full(void) { collect(0); }

static void td_fini(void)
{
    vec_free(&td.roots);
    vec_free(&td.stack);
    vec_free(&td.black);
    vec_free(&td.white);
}

static int td_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    td_fini();
    memset(&td, 0, sizeof td);
    gcb_hist_init(&td.st.pauses);
    td.base = td.threshold = (size_t)gcb_param_int(p, td_params, "root_threshold");
    td.adaptive = (int)gcb_param_int(p, td_params, "adaptive");
    return 0;
}

static void td_stats(gcb_gc_stats_t *out)
{
    *out = td.st;
    out->generations = 1;
}

const gcb_collector_t gcb_collector_trialdel = {
    .name = "trialdel",
    .description = "refcounting + Bacon-Rajan trial deletion of buffered possible roots (PHP's cycle collector)",
    .params = td_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .threads = GCB_THREADS_ONE | GCB_THREADS_GIL,
        .on_free = td_on_free,
        .on_decref_live = td_on_decref_live,
        .safepoint = td_safepoint,
        .collect_full = td_collect_full,
    },
    .init = td_init,
    .fini = td_fini,
    .stats = td_stats,
};
