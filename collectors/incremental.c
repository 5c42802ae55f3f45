/*
 * collectors/incremental.c - reference counting plus CPython 3.14.0's
 * incremental cycle collector (Python/gc.c of 3.14.0 to 3.14.4; 3.14.5
 * went back to the generational collector of 3.13, which is `gen` with
 * -p threshold0=2000).
 *
 * Why.  A generational collector's full collection looks at every tracked
 * container in one pause: with a large heap that pause is long.  3.14.0
 * replaced the three generations by a young generation and an old one
 * split into two spaces, "visited" and "pending", and collects the old one
 * a slice at a time: every automatic collection is an *increment* that
 * collects the young generation together with a slice of the pending
 * space, sized by work done (allocations) rather than by the heap.  Pauses
 * shrink; the price is that old cyclic garbage waits for the increments to
 * reach it, so the heap holds more garbage.  Memory-pressure reports made
 * CPython revert it; this collector lets the trade-off be measured against
 * `gen`.  The cycle detection itself is collectors/cycle.c, shared with
 * gen and drc (gcb_cycle_collect_region collects any list).
 *
 * The lists and the tags.  Every tracked container is on one list:
 *   young     c.gen[0]: containers allocated since the last increment that
 *             collected (gcb_cycle_alloc appends them; count and threshold0
 *             as in gen);
 *   old[0], old[1]: the old generation's two spaces; old[visited] is the
 *             visited space, old[!visited] the pending one.
 * An old object carries tags in the low bits of its prev word (bits the
 * detector leaves to backends, GCB_CYCLE_PREV_TAGS): OLD and the index of
 * its space.  Young objects carry none.  An object is "visited" iff its tags
 * are OLD|visited; swapping the spaces is flipping `visited`, O(1), which
 * turns every visited object into a pending one without touching it
 * (CPython keeps the space bit in _gc_next; our next word is read untagged
 * by the shared detector, so the bits live in prev).  Unlinking must keep a
 * neighbour's tags, so this file has its own unlink (on_free) and moves.
 *
 * Where each object is, step by step:
 *
 *   step                     young          pending              visited
 *   -----------------------  -------------  -------------------  -----------------------
 *   between steps            new objects    old, not yet looked  looked at this round
 *                                           at this round
 *   mark step (first         what the       what the frames      + everything reachable
 *   increment of a round)    frames reach   reach leaves         from the frames
 *                            leaves
 *   increment: 1 mark        frames' new    -                    + newly reachable
 *              2 form        -> increment   first objects and    (the increment's are
 *                                           their closure ->     tagged visited)
 *                                           increment
 *              3 collect     (empty)        -                    + survivors, tagged
 *              4 if pending  -              <- visited (swap)    empty; next is a mark step
 *                is empty
 *   young collection (gc.collect(0))       young -> detector -> visited
 *   full collection          everything merged onto visited, collected in place, swap
 *
 * The increment: the young list plus, while its size is below work_to_do,
 * the first pending object and everything reachable from it through pending
 * objects (its transitive closure: a cycle lying in the pending space is
 * taken whole).  The detector runs on exactly that set; anything referenced
 * from outside it (the visited space, pending objects not taken, frames)
 * keeps its gc_refs above zero, so any set is a sound increment and the
 * closure is only what makes pending cycles collectable.  While the
 * detector runs, the increment's prev words hold gc_refs (its tags are
 * gone); survivors get the visited tag back as move_unreachable relinks
 * them, and so do cleared objects still alive (freed by the cascade).
 *
 * Marking (3.14.0's mark phase, -p mark_phase=1).  A round's first
 * increment only marks: every young or pending container reachable from
 * the frames moves to the visited space, tagged, and is traversed once
 * (the frames are the only roots here; everything else that is immortal is
 * untracked).  Every later increment marks from the frames again before
 * forming (what became reachable since: mostly young objects).  Marked
 * objects are live, so they skip the detector this round.  What the mark
 * step leaves in pending is unreachable from the frames, that is, garbage
 * (there are no weak references or finalizers to resurrect it), and the
 * round's increments only have garbage to take from pending; but the mark
 * step itself traverses the whole reachable heap in one pause (CPython:
 * "TO DO -- Make this incremental").  With mark_phase=0 (the 3.13 betas'
 * design) there is no marking: pending holds live objects too and an
 * increment's closure can take a whole live structure.
 *
 * Work (CPython's assess_work_to_do and gc_collect_increment):
 *   - count (young) goes up on each container allocation and down on each
 *     free of a tracked one while above zero; past threshold0 the next
 *     safepoint runs an increment;
 *   - an increment adds count + min(heap / (10 * threshold1), 2 * count) to
 *     work_to_do (heap = tracked containers) and resets count; with
 *     work_to_do still negative it does nothing else (skipped: the young
 *     list keeps growing until a later increment takes it whole);
 *   - a mark step subtracts mark_charge per marked object (2 in 3.14.0:
 *     mark_at_start and its caller both subtract, CPython issue 141890),
 *     the per-increment frame marks 1 each, and an increment its size;
 *   - emptying the pending space swaps the spaces and zeroes work_to_do.
 * So a steady heap gets about three times its allocations in work, and one
 * increment takes at most count + 2 * count objects from pending plus the
 * closure of the last one taken.
 *
 * Invariants between steps (gcb_incremental_validate, around every step in
 * debug and check builds):
 *   I1  young holds tagless headers; every header on old[s] has tags OLD|s;
 *       no detector flag anywhere; prev and next links agree;
 *   I2  the counters are exact: clean_n = |young|, old_n[s] = |old[s]|,
 *       and count <= |young|;
 *   I3  mark_phase=0: the phase is always "collect";
 *   I4  right after a swap the visited space is empty.
 * During a region collection clean_n counts the increment (everything
 * there is tagless once update_refs ran) and objects freed with a tag come
 * off old_n; survivors are added to the visited count at the end.  A
 * cleared object still alive is tagged visited on its way there and may
 * die tagged in the same collection: its -1 and the final +1 cancel.
 *
 * Differences from CPython, all small: the whole frame stack is scanned at
 * each increment (CPython stops at the first frame it already scanned this
 * round); young tuples holding only untracked objects are untracked before
 * each mark (CPython: before every increment, and again in the detector);
 * heap is the exact number of tracked containers; a skipped increment is
 * not counted as a collection here (CPython counts it); no finalizers, weak
 * references or permanent generation.
 *
 * Statistics: collections_per_gen = [young collections, increments (mark
 * steps included), full collections]; one pause per step that did work
 * (skipped increments cost a few ns and are left out); objects_traversed =
 * the detector's collected objects plus marked objects; freed_by_gc = what
 * collecting steps freed, cascades included; deferred_peak = the largest
 * pending space left by a mark step (containers unreachable from the frames
 * that the round's increments still have to reach, i.e. garbage held back;
 * 0 with mark_phase=0); deferred_bytes_peak = the most bytes one automatic
 * step released.
 */
#include "collectors/incremental.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/cycle.h"
#include "collectors/pause.h"
#include "config.h"

#define VALIDATE (GCB_DEBUG_CHECKS || GCB_CHECK_BUILD)
#define POISON ((uintptr_t)0xdbdbdbdbdbdbdbdbull)

/* --- tunables and tags ------------------------------------------------------- */

/* CPython's SCAN_RATE_DIVISOR: with threshold1 = 10 an increment adds 1% of
 * the heap to the work. */
#define SCAN_RATE_DIVISOR 10

#define TAG_SPACE ((uintptr_t)1) /* the old space's index */
#define TAG_OLD ((uintptr_t)4)
#define TAGS (TAG_OLD | TAG_SPACE)
#define LINK_BITS ((uintptr_t)7)  /* everything in prev that is not the address */
_Static_assert(TAGS == GCB_CYCLE_PREV_TAGS, "the tags are the bits the detector leaves to backends");
_Static_assert((LINK_BITS & ~(GCB_CYCLE_FLAGS | GCB_CYCLE_PREV_TAGS)) == 0, "prev's low bits: flags and tags");
_Static_assert(SCAN_RATE_DIVISOR > 0, "work parameters");

enum { PHASE_MARK = 0, PHASE_COLLECT = 1 };

static const gcb_param_def_t inc_params[] = {
    { "cpython", GCB_PARAM_STRING, "3.14.0", 0, 0,
      "the CPython whose counting and work rules are the defaults: 3.14.0 (every container allocation counts, "
      "increments take new + min(heap/100, 1.5 x new) plus heap/100 after each), 3.14.1 (3.14.1 to 3.14.4, gh-139951: "
      "only tracked objects count, tuples of untrackable items are not tracked at creation, new + min(heap/100, 2 x new))",
      "3.14.0|3.14.1", NULL },
    { "threshold0", GCB_PARAM_INT, "2000", 0, 1e9,
      "run an increment when net container allocations exceed this (0: no automatic collection; CPython 3.14: 2000)" },
    { "threshold1", GCB_PARAM_INT, "10", 0, 1e9,
      "incremental threshold (gc.set_threshold's second value): each increment adds heap / (10 x this) objects of "
      "old-space work, at most heap_cap times the new objects (values below 2 count as 2)" },
    { "mark_phase", GCB_PARAM_INT, "1", 0, 1,
      "1: a round starts by marking everything reachable from the frames and each increment marks from them first "
      "(3.14.0); 0: no marking (the 3.13 betas' incremental collector)" },
    { "mark_charge", GCB_PARAM_INT, "2", 0, 1000,
      "work charged per object marked by a round's mark step (3.14.0 counts them twice, CPython issue 141890; 1 after the fix)" },
    { "count_tracked", GCB_PARAM_INT, "0", 0, 1,
      "1: the young count counts tracked containers only and a tuple is tracked once it receives an item that may be "
      "tracked (3.14.1+); 0: every container allocation counts, tuples tracked at creation (3.14.0; default: the preset's)" },
    { "heap_cap", GCB_PARAM_DOUBLE, "1.5", 0, 1000,
      "the heap's share of an increment's work is at most this many times the new objects (3.14.0: 1.5, "
      "3.14.1: 2; default: the preset's)" },
    { "heap_work_after", GCB_PARAM_INT, "1", 0, 1,
      "1: each increment adds heap / (10 x threshold1) to the work once more after it ran (3.14.0); 0: not "
      "(3.14.1; default: the preset's)" },
    GCB_PARAM_END
};

/* What each preset changes of the table's defaults (the 3.14.0 column). */
static const struct inc_preset {
    const char *cpython, *count_tracked, *heap_cap, *heap_work_after;
} inc_presets[] = {
    { "3.14.0", "0", "1.5", "1" },
    { "3.14.1", "1", "2", "0" },
};

/* A row's effective text: the user's value, else the preset's, else the
 * table default (as gen's).  init() and the record both read it. */
static const char *inc_param_value(const gcb_params_t *p, const gcb_param_def_t *d)
{
    if (gcb_param_given(p, d->name) || strcmp(d->name, "cpython") == 0)
        return gcb_param_text(p, d);
    const char *want = gcb_param_str(p, inc_params, "cpython");
    for (size_t i = 0; i < sizeof inc_presets / sizeof inc_presets[0]; i++)
        if (strcmp(inc_presets[i].cpython, want) == 0) {
            if (strcmp(d->name, "count_tracked") == 0)
                return inc_presets[i].count_tracked;
            if (strcmp(d->name, "heap_cap") == 0)
                return inc_presets[i].heap_cap;
            if (strcmp(d->name, "heap_work_after") == 0)
                return inc_presets[i].heap_work_after;
        }
    return d->def;
}

static const char *inc_text(const gcb_params_t *p, const char *name)
{
    for (const gcb_param_def_t *d = inc_params; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return inc_param_value(p, d);
    return "0";
}

static int64_t inc_int(const gcb_params_t *p, const char *name)
{
    int64_t v = 0;
    gcb_parse_int(inc_text(p, name), &v);
    return v;
}

static struct {
    gcb_cycle_t c;          /* young list, count, threshold0, the detector's counters */
    gcb_gchead_t old[2];
    int visited;            /* index of the visited space in old[] */
    int phase;
    int64_t work_to_do;
    int64_t clean_n;        /* tagless tracked objects: |young|; during a collection, the increment */
    int64_t old_n[2];       /* |old[s]| */
    /* configuration */
    int64_t scale;
    int mark_phase;
    int64_t mark_charge;
    int count_tracked;      /* 3.14.1: count tracked objects, tuples tracked lazily */
    int64_t heap_cap_x2;    /* twice heap_cap (3 or 4), so the cap stays integer arithmetic */
    int heap_work_after;
} inc;

static struct {
    gcb_incremental_info_t info;   /* step counters and the last increment's sizes */
    int last_was_mark;             /* the step that just ran was a round's mark step */
    uint64_t marked;               /* objects marked, for objects_traversed */
    uint64_t freed_by_gc;
    uint64_t pending_peak;
    uint64_t bytes_peak;
    double gc_time_s;
    gcb_hist_t pauses;
} st;

/* --- list operations that keep tags ------------------------------------------ */

static inline gcb_gchead_t *next_of(const gcb_gchead_t *g) { return (gcb_gchead_t *)g->next; }
static inline uintptr_t tags_of(const gcb_gchead_t *g) { return g->prev & TAGS; }
static inline uintptr_t visited_tag(void) { return TAG_OLD | (uintptr_t)inc.visited; }
static inline gcb_gchead_t *visited_list(void) { return &inc.old[inc.visited]; }
static inline gcb_gchead_t *pending_list(void) { return &inc.old[inc.visited ^ 1]; }

static void list_init(gcb_gchead_t *l) { l->next = l->prev = (uintptr_t)l; }
static int list_empty(const gcb_gchead_t *l) { return l->next == (uintptr_t)l; }

/* Unlink `g`; its neighbours keep their tags (sentinels have none). */
static inline void unlink_keep_tags(gcb_gchead_t *g)
{
    gcb_gchead_t *prev = (gcb_gchead_t *)(g->prev & ~LINK_BITS), *next = next_of(g);
    prev->next = (uintptr_t)next;
    next->prev = (next->prev & TAGS) | (uintptr_t)prev;
}

/* Append `g` to `list` with `tag`. */
static inline void append_tagged(gcb_gchead_t *g, gcb_gchead_t *list, uintptr_t tag)
{
    gcb_gchead_t *last = (gcb_gchead_t *)list->prev;
    g->prev = (uintptr_t)last | tag;
    g->next = (uintptr_t)list;
    last->next = (uintptr_t)g;
    list->prev = (uintptr_t)g;
}

/* Append all of `from` to `to`, tags kept; `from` becomes empty.  O(1). */
static void merge_keep_tags(gcb_gchead_t *from, gcb_gchead_t *to)
{
    if (!list_empty(from)) {
        gcb_gchead_t *tail = (gcb_gchead_t *)to->prev, *first = next_of(from), *last = (gcb_gchead_t *)from->prev;
        tail->next = (uintptr_t)first;
        first->prev = (first->prev & TAGS) | (uintptr_t)tail;
        last->next = (uintptr_t)to;
        to->prev = (uintptr_t)last;
    }
    list_init(from);
}

/* The object behind `g` (tags `t`) leaves its list for the end of `list`,
 * tagged visited; the counters follow it.  `to_increment`: it joins the
 * increment (counted with clean_n, the detector's set), else the visited
 * space. */
static inline void move_to(gcb_gchead_t *g, uintptr_t t, gcb_gchead_t *list, int to_increment)
{
    unlink_keep_tags(g);
    append_tagged(g, list, visited_tag());
    if (t & TAG_OLD)
        inc.old_n[t & TAG_SPACE]--;
    else
        inc.clean_n--;
    if (to_increment)
        inc.clean_n++;
    else
        inc.old_n[inc.visited]++;
}

/* --- hooks (the hot path) ------------------------------------------------------ */

/* Containers only (.containers_only), as in gen.  count_tracked (3.14.1):
 * a tuple is neither tracked nor counted until inc_write_barrier sees an
 * item that may be tracked stored into it (its construction). */
static void inc_on_alloc(gcb_object_t *o)
{
    if (inc.count_tracked && (o->type->flags & GCB_TYPE_TUPLE))
        return;
    gcb_cycle_alloc(&inc.c, o);
    inc.clean_n++;
}

/* Installed only with count_tracked (inc_hooks): CPython 3.14.1 tracks a
 * new tuple only when one of its items may be tracked. */
static void inc_write_barrier(gcb_object_t *c, gcb_object_t *old, gcb_object_t *new_)
{
    (void)old;
    if ((c->type->flags & GCB_TYPE_TUPLE) && !gcb_cycle_is_tracked(c) && gcb_cycle_may_be_tracked(new_)) {
        gcb_cycle_track(&inc.c, c);
        inc.clean_n++;
        if (++inc.c.gen[0].count > inc.c.young_limit)
            gcb_safepoint_request();
    }
}

static unsigned inc_hooks(void)
{
    return GCB_HOOK_ON_ALLOC | GCB_HOOK_ON_FREE | (inc.count_tracked ? GCB_HOOK_WRITE_BARRIER : 0);
}

static void inc_on_free(gcb_object_t *o)
{
    gcb_gchead_t *g = gcb_gchead(o);
    if (!g->next) {
        /* untracked: 3.14.0 counted its allocation, so its free counts down
         * (PyObject_GC_Del); 3.14.1 never counted it */
        if (!inc.count_tracked && inc.c.gen[0].count > 0)
            inc.c.gen[0].count--;
        return;
    }
    uintptr_t t = tags_of(g);
    unlink_keep_tags(g);
    if (t & TAG_OLD)
        inc.old_n[t & TAG_SPACE]--;
    else
        inc.clean_n--;
    if (inc.c.gen[0].count > 0)
        inc.c.gen[0].count--;
}

/* --- marking ------------------------------------------------------------------ */

/* A young or pending container reached from a frame or a marked object
 * joins the visited space (at its end, where the marking walk will reach
 * and traverse it). */
static void visit_mark(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (!gcb_is_container(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    if (!g->next)
        return; /* untracked */
    uintptr_t t = tags_of(g);
    if (t == visited_tag())
        return;
    move_to(g, t, visited_list(), 0);
}

/* Mark everything reachable from the frames that is not visited yet:
 * returns how many objects moved (each was traversed once). */
static uint64_t mark_from_frames(void)
{
    gcb_gchead_t *visited = visited_list();
    gcb_gchead_t *start = (gcb_gchead_t *)visited->prev; /* marked objects go after it */
    int64_t before = inc.old_n[inc.visited];
    gcb_frames_visit(visit_mark, NULL);
    /* Loop invariant: everything between `start` and `g` has been traversed;
     * everything after `g` is marked and not yet traversed. */
    for (gcb_gchead_t *g = next_of(start); g != visited; g = next_of(g)) {
        gcb_object_t *o = gcb_from_gchead(g);
        o->type->traverse(o, visit_mark, NULL);
    }
    uint64_t n = (uint64_t)(inc.old_n[inc.visited] - before);
    st.marked += n;
    return n;
}

static void visit_may_be_tracked(gcb_object_t *o, void *arg)
{
    if (gcb_cycle_may_be_tracked(o))
        *(int *)arg = 1;
}

/* Young tuples that can never be part of a cycle leave the lists before a
 * mark would move them out of the detector's reach (CPython's
 * untrack_tuples; oldest first, so nested tuples go in one pass). */
static void untrack_young_tuples(void)
{
    gcb_gchead_t *young = &inc.c.gen[0].head;
    for (gcb_gchead_t *g = next_of(young); g != young;) {
        gcb_gchead_t *next = next_of(g);
        gcb_object_t *o = gcb_from_gchead(g);
        if (o->type->flags & GCB_TYPE_TUPLE) {
            int any = 0;
            o->type->traverse(o, visit_may_be_tracked, &any);
            if (!any) {
                unlink_keep_tags(g);
                g->next = g->prev = 0;
                inc.clean_n--;
                inc.c.untracked_tuples++;
            }
        }
        g = next;
    }
}

/* --- forming and collecting increments ----------------------------------------- */

/* A pending container reached from the increment joins it. */
static void visit_pull(gcb_object_t *o, void *arg)
{
    if (!gcb_is_container(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    if (!g->next)
        return;
    uintptr_t t = tags_of(g);
    /* young objects are all in the increment already; visited ones stay */
    if (t != (TAG_OLD | (uintptr_t)(inc.visited ^ 1)))
        return;
    move_to(g, t, arg, 1);
}

/* Run the detector on the list `from` (every object counted in clean_n),
 * survivors to the end of the visited space, or in place when from is the
 * visited space itself (full).  Returns objects freed. */
static uint64_t collect_into_visited(gcb_gchead_t *from)
{
    uint64_t freed0 = gcb_objects_freed();
    uint64_t untracked0 = inc.c.untracked_tuples;
    gcb_cycle_collect_region(&inc.c, from, visited_list(), visited_tag(), NULL);
    /* what is left of the set is on the visited list, tagged; see the
     * design block for objects that died tagged */
    inc.old_n[inc.visited] += inc.clean_n - (int64_t)(inc.c.untracked_tuples - untracked0);
    inc.clean_n = 0;
    return gcb_objects_freed() - freed0;
}

/* The pending space is empty: every old object has been looked at this
 * round.  The visited space becomes the pending one. */
static void swap_spaces(void)
{
    inc.visited ^= 1;
    if (VALIDATE && (!list_empty(visited_list()) || inc.old_n[inc.visited])) {
        fprintf(stderr, "gcbench: incremental: the new visited space is not empty after a swap (I4)\n");
        abort();
    }
    inc.work_to_do = 0;
    inc.phase = inc.mark_phase ? PHASE_MARK : PHASE_COLLECT;
    st.info.rounds++;
}

/* CPython's assess_work_to_do: what this increment adds to work_to_do. */
static int64_t assess_work(void)
{
    int64_t young = inc.c.gen[0].count;
    int64_t heap = inc.clean_n + inc.old_n[0] + inc.old_n[1];
    int64_t from_heap = heap / SCAN_RATE_DIVISOR / inc.scale;
    if (from_heap > young * inc.heap_cap_x2 / 2)
        from_heap = young * inc.heap_cap_x2 / 2;
    inc.c.gen[0].count = 0;
    return young + from_heap;
}

/* One increment.  Returns objects freed, or -1 when skipped (no work). */
static int64_t increment(void)
{
    inc.work_to_do += assess_work();
    if (inc.work_to_do < 0) {
        st.info.skipped++;
        return -1;
    }
    st.last_was_mark = inc.phase == PHASE_MARK;
    if (inc.phase == PHASE_MARK) {
        untrack_young_tuples();
        uint64_t marked = mark_from_frames();
        inc.work_to_do -= inc.mark_charge * (int64_t)marked;
        inc.phase = PHASE_COLLECT;
        st.info.marks++;
        st.info.last_marked = marked;
        if (marked > st.info.max_marked)
            st.info.max_marked = marked;
        if ((uint64_t)inc.old_n[inc.visited ^ 1] > st.pending_peak)
            st.pending_peak = (uint64_t)inc.old_n[inc.visited ^ 1];
        return 0;
    }
    if (inc.mark_phase) {
        untrack_young_tuples();
        inc.work_to_do -= (int64_t)mark_from_frames();
    }

    /* the young generation, whole */
    gcb_gchead_t increment;
    list_init(&increment);
    merge_keep_tags(&inc.c.gen[0].head, &increment);
    int64_t young = inc.clean_n, size = young;
    st.info.last_budget = inc.work_to_do;

    /* then pending objects, each with its closure through the pending space */
    gcb_gchead_t *pending = pending_list();
    while (size < inc.work_to_do && !list_empty(pending)) {
        gcb_gchead_t *g = next_of(pending);
        move_to(g, tags_of(g), &increment, 1);
        size++;
        /* Loop invariant: objects between g and h have been traversed and
         * whatever pending object they refer to is now after h. */
        for (gcb_gchead_t *h = g; h != &increment; h = next_of(h)) {
            gcb_object_t *o = gcb_from_gchead(h);
            uint64_t before = (uint64_t)inc.clean_n;
            o->type->traverse(o, visit_pull, &increment);
            size += inc.clean_n - (int64_t)before;
        }
    }
    st.info.last_young = (uint64_t)young;
    if (st.info.last_young > st.info.max_young)
        st.info.max_young = st.info.last_young;
    st.info.last_old = (uint64_t)(size - young);
    if (st.info.last_old > st.info.max_old)
        st.info.max_old = st.info.last_old;

    uint64_t freed = collect_into_visited(&increment);
    inc.work_to_do -= size;
    if (inc.heap_work_after) /* 3.14.0: the heap's share once more, the heap as it is now */
        inc.work_to_do += (inc.clean_n + inc.old_n[0] + inc.old_n[1]) / SCAN_RATE_DIVISOR / inc.scale;
    st.info.increments++;
    if (list_empty(pending))
        swap_spaces();
    return (int64_t)freed;
}

/* gc.collect(0) of 3.14: the young generation alone, survivors to visited. */
static int64_t collect_young(void)
{
    uint64_t freed = collect_into_visited(&inc.c.gen[0].head);
    inc.c.gen[0].count = 0;
    st.info.young_collections++;
    return (int64_t)freed;
}

/* gc.collect(): everything, in place on the visited list; then the spaces
 * swap, so every survivor is pending and the next increment marks. */
static int64_t collect_full(void)
{
    gcb_gchead_t *all = visited_list();
    merge_keep_tags(&inc.c.gen[0].head, all);
    merge_keep_tags(pending_list(), all);
    inc.clean_n += inc.old_n[0] + inc.old_n[1];
    inc.old_n[0] = inc.old_n[1] = 0;
    uint64_t freed = collect_into_visited(all);
    inc.c.gen[0].count = 0;
    swap_spaces();
    st.info.full_collections++;
    return (int64_t)freed;
}

/* --- steps, timing ----------------------------------------------------------- */


static void step(int64_t (*fn)(void), int automatic)
{
    if (VALIDATE)
        gcb_incremental_validate();
    gcb_pause_t pause = gcb_pause_begin();
    uint64_t bytes0 = gcb_bytes_freed();
    int64_t freed = fn();
    if (freed >= 0) {
        uint64_t ns = gcb_pause_end(pause, &st.gc_time_s, &st.pauses);
        if (fn == increment) {
            uint64_t *m = st.last_was_mark ? &st.info.max_mark_ns : &st.info.max_increment_ns;
            if (ns > *m)
                *m = ns;
        }
        st.freed_by_gc += (uint64_t)freed;
        uint64_t bytes = gcb_bytes_freed() - bytes0;
        if (automatic && bytes > st.bytes_peak)
            st.bytes_peak = bytes;
    }
    if (VALIDATE)
        gcb_incremental_validate();
}

static void inc_safepoint(void)
{
    gcb_safepoint_request_clear(); /* re-armed by the next allocation past threshold0 */
    if (inc.c.gen[0].count > inc.c.young_limit)
        step(increment, 1);
}

static void inc_collect_full(void) { step(collect_full, 0); }

void gcb_incremental_collect(int generation)
{
    switch (generation) {
    case 0: step(collect_young, 0); break;
    case 1: step(increment, 0); break;
    default: step(collect_full, 0); break;
    }
}

/* --- lifecycle, statistics, validation ------------------------------------------ */

static int inc_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    memset(&inc, 0, sizeof inc);
    int64_t t0 = inc_int(p, "threshold0");
    gcb_cycle_init(&inc.c, 1, &t0, 0);
    list_init(&inc.old[0]);
    list_init(&inc.old[1]);
    int64_t t1 = inc_int(p, "threshold1");
    inc.scale = t1 < 2 ? 2 : t1;
    inc.mark_phase = (int)inc_int(p, "mark_phase");
    inc.mark_charge = inc_int(p, "mark_charge");
    inc.count_tracked = (int)inc_int(p, "count_tracked");
    double cap = 0;
    gcb_parse_double(inc_text(p, "heap_cap"), &cap);
    inc.heap_cap_x2 = (int64_t)(cap * 2 + 0.5);
    inc.heap_work_after = (int)inc_int(p, "heap_work_after");
    inc.phase = inc.mark_phase ? PHASE_MARK : PHASE_COLLECT;
    memset(&st, 0, sizeof st);
    gcb_hist_init(&st.pauses);
    return 0;
}

static void inc_fini(void) { memset(&inc, 0, sizeof inc); }

static void inc_stats(gcb_gc_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->generations = 3;
    out->collections_per_gen[0] = st.info.young_collections;
    out->collections_per_gen[1] = st.info.increments + st.info.marks;
    out->collections_per_gen[2] = st.info.full_collections;
    out->collections = out->collections_per_gen[0] + out->collections_per_gen[1] + out->collections_per_gen[2];
    out->objects_traversed = inc.c.traversed + st.marked;
    out->freed_by_gc = st.freed_by_gc;
    out->deferred_peak = st.pending_peak;
    out->deferred_bytes_peak = st.bytes_peak;
    out->gc_time_s = st.gc_time_s;
    out->pauses = st.pauses;
}

void gcb_incremental_get_info(gcb_incremental_info_t *out)
{
    *out = st.info;
    out->young = (uint64_t)inc.clean_n;
    out->visited = (uint64_t)inc.old_n[inc.visited];
    out->pending = (uint64_t)inc.old_n[inc.visited ^ 1];
    out->work_to_do = inc.work_to_do;
    out->next_is_mark = inc.phase == PHASE_MARK;
}

static void broken(const char *list, const gcb_gchead_t *g, const char *what)
{
    fprintf(stderr, "gcbench: incremental: %s list broken at header %p: %s\n", list, (const void *)g, what);
    abort();
}

/* I1 for one list; returns its length. */
static uint64_t check_list(const char *name, const gcb_gchead_t *head, uintptr_t tag)
{
    uint64_t n = 0;
    if (head->prev & LINK_BITS)
        broken(name, head, "the sentinel carries tags");
    const gcb_gchead_t *prev = head;
    for (const gcb_gchead_t *g = next_of(head); g != head; g = next_of(g)) {
        if (g->next == POISON || g->prev == POISON)
            broken(name, g, "a freed object is still tracked (poisoned header)");
        if (!g->next || (g->next & LINK_BITS))
            broken(name, g, "next is 0 or carries flag bits");
        if ((g->prev & TAGS) != tag)
            broken(name, g, tag ? "an old object without its space's tags" : "a young object with tags");
        if ((g->prev & ~LINK_BITS) != (uintptr_t)prev || (g->prev & GCB_CYCLE_COLLECTING))
            broken(name, g, "prev is not the previous header (or a detector flag is left)");
        const gcb_object_t *o = gcb_from_gchead((gcb_gchead_t *)g);
        if ((uintptr_t)o->type == POISON)
            broken(name, g, "a freed object is still tracked (poisoned type)");
        if (!(o->type->flags & GCB_TYPE_GC) || o->refcnt < 0)
            broken(name, g, "a non-container or an immortal object is tracked");
        prev = g;
        n++;
    }
    if (head->prev != (uintptr_t)prev)
        broken(name, head, "the sentinel's prev is not the last header");
    return n;
}

uint64_t gcb_incremental_validate(void)
{
    if (inc.c.collecting) {
        fprintf(stderr, "gcbench: incremental: validate during a collection\n");
        abort();
    }
    uint64_t young = check_list("young", &inc.c.gen[0].head, 0);
    uint64_t v = check_list("visited", visited_list(), visited_tag());
    uint64_t p = check_list("pending", pending_list(), TAG_OLD | (uintptr_t)(inc.visited ^ 1));
    if ((int64_t)young != inc.clean_n || (int64_t)v != inc.old_n[inc.visited] ||
        (int64_t)p != inc.old_n[inc.visited ^ 1] || inc.c.gen[0].count > (int64_t)young) {
        fprintf(stderr,
                "gcbench: incremental: counters disagree with the lists: young %llu/%lld, visited %llu/%lld, "
                "pending %llu/%lld, count %lld\n",
                (unsigned long long)young, (long long)inc.clean_n, (unsigned long long)v,
                (long long)inc.old_n[inc.visited], (unsigned long long)p, (long long)inc.old_n[inc.visited ^ 1],
                (long long)inc.c.gen[0].count);
        abort();
    }
    if (!inc.mark_phase && inc.phase != PHASE_COLLECT) {
        fprintf(stderr, "gcbench: incremental: a mark phase with mark_phase=0\n");
        abort();
    }
    return young + v + p;
}

const gcb_collector_t gcb_collector_incremental = {
    .name = "incremental",
    .description = "refcounting + CPython 3.14.0's incremental cycle collector (young + old slices, visited/pending spaces, mark phase)",
    .params = inc_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .containers_only = 1,
        .threads = GCB_THREADS_ONE | GCB_THREADS_GIL,
        .on_alloc = inc_on_alloc,
        .on_free = inc_on_free,
        .write_barrier = inc_write_barrier,
        .safepoint = inc_safepoint,
        .collect_full = inc_collect_full,
    },
    .init = inc_init,
    .fini = inc_fini,
    .hooks = inc_hooks,
    .stats = inc_stats,
    .param_value = inc_param_value,
};
