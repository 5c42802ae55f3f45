/*
 * collectors/cycle.c - CPython's cycle detector (Modules/gcmodule.c 3.8-3.12,
 * Python/gc.c), shared by `gen`, `drc` and `incremental`.
 *
 * Why.  Reference counting frees everything except cycles: in a cycle each
 * member holds a count on the next, so no count reaches zero.  The detector
 * finds groups of containers whose every reference comes from inside the
 * group, without knowing the roots: an object referenced from outside the
 * collected set has a count larger than the number of references the set
 * holds to it.  Nothing here marks from the frames (under `gen` the counts
 * already include every frame slot); the detector needs only the counts,
 * type->traverse and type->clear.
 *
 * The lists.  Every tracked container is on exactly one circular, doubly
 * linked list of GC headers with a sentinel: the list of its generation.
 * New containers are appended to generation 0; survivors of a collection of
 * generation g move to the end of g+1 (the oldest keeps its own).  Atomic
 * objects (int, float, str) have no header and are never tracked; a tuple
 * whose items are all untracked is untracked during a collection (its items
 * can never change); with lazy_dicts a dict is tracked only once it holds
 * something that may be tracked, and untracked again by full collections.
 *
 * The two header words in each phase of one collection of generation g
 * (generations 0..g are first merged into the list `young`):
 *
 *   phase            young objects: next / prev          unreachable list
 *   ---------------  ----------------------------------  --------------------
 *   between          list links / list links             -
 *   update_refs      links / refcount<<2 | COLLECTING     -
 *   subtract_refs    links / gc_refs<<2 | COLLECTING      -
 *   move_unreachable left of cursor: links / links       next|UNREACHABLE /
 *                    right: links / gc_refs|COLLECTING    prev|COLLECTING
 *   clean-up         links / links                       links / links
 *
 * (In a full collection every tracked object is collected, so update_refs
 * and subtract_refs fuse into one walk: update_and_subtract_refs.)
 *
 * gcb_cycle_collect_region runs the same phases on any list a backend
 * assembled (`incremental`'s young generation plus a slice of its old one).
 * Objects outside the collected set may carry the backend's tags in prev
 * (bits 0 and 2, never COLLECTING), so every test of "being collected"
 * reads COLLECTING only; survivors get the caller's tag back as
 * move_unreachable relinks them, and so do the objects delete_garbage moves
 * to the older list.
 *
 * update_refs copies each count into gc_refs (under drc, whose counts leave
 * out frame slots, the frame slots are added: see below); subtract_refs
 * visits every reference held by a young object and decrements the target's
 * gc_refs if it is young (COLLECTING set), so gc_refs ends as the number of
 * references from outside young.  move_unreachable scans young once: an
 * object with gc_refs > 0 is reachable, loses COLLECTING, gets its prev link
 * back and has its referents marked (gc_refs 0 -> 1, or moved back from the
 * unreachable list to the end of young, which the scan will reach); an
 * object with gc_refs == 0 moves, tentatively, to the unreachable list.
 * Loop invariant: every object left of the cursor is reachable from outside
 * young and has been traversed; every object on the unreachable list has not
 * been reached from anything left of the cursor.  While the scan runs young
 * is singly linked (prev holds gc_refs); only the sentinel's prev (the tail)
 * is kept exact, for the appends.
 *
 * Deleting garbage.  Clearing one unreachable object drops its references;
 * that can free other unreachable objects, which unlink themselves from the
 * unreachable list (on_free -> gcb_cycle_free) while we walk it.  So, as
 * CPython's delete_garbage, we never hold a cursor into the list: we always
 * take its first element, hold a count on it while its clear runs, and if
 * it is still first afterwards (still alive) move it to the older
 * generation, where it dies when its count falls (gen) or at the next
 * reconciliation (drc).
 *
 * Stack references (drc).  Under deferred counting a count is only the
 * number of heap references: an object held only by frame locals has count
 * 0 and sits in the zero-count table.  Such an object is reachable, so with
 * stack_uncounted update_refs adds one to gc_refs per frame slot that holds
 * it (gcb_frames_visit) before subtract_refs: gc_refs then counts exactly
 * the references from outside the collected set, as under full counting,
 * and the proof of move_unreachable carries over unchanged.  Without this
 * term a cycle held only by a local would be cleared while in use.
 */
#include "collectors/cycle.h"

#include <stdio.h>
#include <stdlib.h>

#include "config.h"

/* Validate the lists around every collection in debug and check builds. */
#define VALIDATE (GCB_DEBUG_CHECKS || GCB_CHECK_BUILD)
#define POISON ((uintptr_t)0xdbdbdbdbdbdbdbdbull)

_Static_assert(_Alignof(gcb_gchead_t) >= 8, "three low bits of header addresses are flags and tags");
_Static_assert((GCB_CYCLE_PREV_TAGS & GCB_CYCLE_COLLECTING) == 0, "backend tags never look like COLLECTING");
_Static_assert(GCB_GC_MAX_GENERATIONS >= 1 && GCB_GC_MAX_GENERATIONS <= 8, "generation count");

#define REFS_ONE ((uintptr_t)1 << GCB_CYCLE_REFS_SHIFT)

static inline gcb_gchead_t *next_of(const gcb_gchead_t *g) { return (gcb_gchead_t *)g->next; }
static inline uintptr_t refs_of(const gcb_gchead_t *g) { return g->prev >> GCB_CYCLE_REFS_SHIFT; }
static inline int collecting(const gcb_gchead_t *g) { return (g->prev & GCB_CYCLE_COLLECTING) != 0; }
static inline int is_gc(const gcb_object_t *o) { return (o->type->flags & GCB_TYPE_GC) != 0; }

/* --- plain list operations (no flag bits anywhere) -------------------------- */

static void list_init(gcb_gchead_t *l) { l->next = l->prev = (uintptr_t)l; }
static int list_empty(const gcb_gchead_t *l) { return l->next == (uintptr_t)l; }

static void list_append(gcb_gchead_t *node, gcb_gchead_t *list)
{
    gcb_gchead_t *last = (gcb_gchead_t *)list->prev;
    node->prev = (uintptr_t)last;
    node->next = (uintptr_t)list;
    last->next = (uintptr_t)node;
    list->prev = (uintptr_t)node;
}

static void list_unlink(gcb_gchead_t *node)
{
    gcb_gchead_t *prev = (gcb_gchead_t *)node->prev, *next = (gcb_gchead_t *)node->next;
    prev->next = (uintptr_t)next;
    next->prev = (uintptr_t)prev;
}

/* Append `from` to `to`; `from` becomes empty.  O(1). */
static void list_merge(gcb_gchead_t *from, gcb_gchead_t *to)
{
    if (!list_empty(from)) {
        gcb_gchead_t *tail = (gcb_gchead_t *)to->prev;
        gcb_gchead_t *first = (gcb_gchead_t *)from->next, *last = (gcb_gchead_t *)from->prev;
        tail->next = (uintptr_t)first;
        first->prev = (uintptr_t)tail;
        last->next = (uintptr_t)to;
        to->prev = (uintptr_t)last;
    }
    list_init(from);
}

/* --- setup and scheduling ---------------------------------------------------- */

void gcb_cycle_init(gcb_cycle_t *c, int ngen, const int64_t *thresholds, unsigned flags)
{
    *c = (gcb_cycle_t){ 0 };
    c->ngen = ngen < 1 ? 1 : ngen > GCB_GC_MAX_GENERATIONS ? GCB_GC_MAX_GENERATIONS : ngen;
    c->stack_uncounted = (flags & GCB_CYCLE_STACK_UNCOUNTED) != 0;
    c->lazy_dicts = (flags & GCB_CYCLE_LAZY_DICTS) != 0;
    for (int i = 0; i < GCB_GC_MAX_GENERATIONS; i++) {
        list_init(&c->gen[i].head);
        c->gen[i].threshold = i < c->ngen ? thresholds[i] : 0;
    }
    c->young_limit = thresholds[0] > 0 ? thresholds[0] : INT64_MAX;
}

int gcb_cycle_due(const gcb_cycle_t *c)
{
    if (c->young_limit == INT64_MAX)
        return -1; /* threshold0 == 0: automatic collection is off */
    for (int i = c->ngen - 1; i >= 0; i--) {
        if (c->gen[i].count > c->gen[i].threshold) {
            /* A full collection costs time proportional to everything
             * tracked; doing one only once the objects promoted since the
             * last one reach 25% of its survivors keeps the total cost
             * linear in allocations (von Löwis, 2008).  With a single
             * generation nothing is ever promoted: the rule does not apply. */
            if (i == c->ngen - 1 && c->ngen > 1 && c->long_lived_pending < c->long_lived_total / 4)
                continue;
            return i;
        }
    }
    return -1;
}

/* --- the phases -------------------------------------------------------------- */

static uint64_t update_refs(gcb_gchead_t *young)
{
    uint64_t n = 0;
    for (gcb_gchead_t *g = next_of(young); g != young; g = next_of(g)) {
        gcb_object_t *o = gcb_from_gchead(g);
        g->prev = ((uintptr_t)GCB_REFCNT(o) << GCB_CYCLE_REFS_SHIFT) | GCB_CYCLE_COLLECTING;
        n++;
    }
    return n;
}

/* drc: a frame slot is a reference from outside every generation. */
static void visit_stack_ref(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (!is_gc(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    if (collecting(g))
        g->prev += REFS_ONE;
}

static void visit_decref(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (!is_gc(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    if (collecting(g)) {
        if (VALIDATE && refs_of(g) == 0) {
            fprintf(stderr, "gcbench: cycle: %s at %p has more references from its generation than its count\n",
                    o->type->name, (void *)o);
            abort();
        }
        g->prev -= REFS_ONE;
    }
}

static void subtract_refs(gcb_gchead_t *young)
{
    for (gcb_gchead_t *g = next_of(young); g != young; g = next_of(g)) {
        gcb_object_t *o = gcb_from_gchead(g);
        o->type->traverse(o, visit_decref, NULL);
    }
}

/* Full collections: every tracked container is in `young` (all generations
 * were merged), so "being collected" is simply "tracked", and update_refs
 * and subtract_refs fuse into one walk of the list: an object's gc_refs is
 * set from its count the first time it is touched, as the walk reaches it
 * or as a referrer visits it, whichever comes first, and decremented for
 * each reference from a tracked object.  Same gc_refs, one pass fewer over
 * every header (the walk is memory-bound). */
static inline void init_refs(gcb_gchead_t *g, const gcb_object_t *o)
{
    if (!collecting(g))
        g->prev = ((uintptr_t)GCB_REFCNT(o) << GCB_CYCLE_REFS_SHIFT) | GCB_CYCLE_COLLECTING;
}

static void visit_decref_full(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (!is_gc(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    if (!g->next)
        return; /* untracked */
    init_refs(g, o);
    if (VALIDATE && refs_of(g) == 0) {
        fprintf(stderr, "gcbench: cycle: %s at %p has more references from tracked objects than its count\n",
                o->type->name, (void *)o);
        abort();
    }
    g->prev -= REFS_ONE;
}

static uint64_t update_and_subtract_refs(gcb_gchead_t *young)
{
    uint64_t n = 0;
    for (gcb_gchead_t *g = next_of(young); g != young; g = next_of(g)) {
        gcb_object_t *o = gcb_from_gchead(g);
        init_refs(g, o);
        o->type->traverse(o, visit_decref_full, NULL);
        n++;
    }
    return n;
}

/* `o` is referenced by an object move_unreachable found reachable. */
static void visit_reachable(gcb_object_t *o, void *arg)
{
    if (!is_gc(o))
        return;
    gcb_gchead_t *g = gcb_gchead(o);
    /* Not being collected (older generation, untracked), or already
     * scanned (left of the cursor: COLLECTING was cleared). */
    if (!collecting(g))
        return;
    gcb_gchead_t *young = arg;
    if (g->next & GCB_CYCLE_UNREACHABLE) {
        /* Moved to unreachable earlier but reachable after all: unlink it
         * by hand (the flag bits defeat the list helpers; prev->next keeps
         * its UNREACHABLE bit) and append it to young, which the scan will
         * reach again.  young's sentinel prev is its exact tail. */
        gcb_gchead_t *prev = (gcb_gchead_t *)(g->prev & ~GCB_CYCLE_FLAGS);
        gcb_gchead_t *next = (gcb_gchead_t *)(g->next & ~GCB_CYCLE_UNREACHABLE);
        prev->next = g->next;
        next->prev = (next->prev & GCB_CYCLE_FLAGS) | (uintptr_t)prev;
        gcb_gchead_t *last = (gcb_gchead_t *)young->prev;
        last->next = (uintptr_t)g;
        g->next = (uintptr_t)young;
        young->prev = (uintptr_t)g;
        g->prev = REFS_ONE | GCB_CYCLE_COLLECTING;
    } else if (refs_of(g) == 0) {
        /* Right of the cursor, not scanned yet: tell the scan it is reachable. */
        g->prev = REFS_ONE | GCB_CYCLE_COLLECTING;
    }
    /* else gc_refs > 0: the scan will find it reachable by itself. */
}

static void visit_may_be_tracked(gcb_object_t *o, void *arg)
{
    if (gcb_cycle_may_be_tracked(o))
        *(int *)arg = 1;
}

/* A tuple or (lazy) dict none of whose referents may ever be tracked cannot
 * be part of a cycle while that stays so (CPython's _PyTuple_MaybeUntrack,
 * _PyDict_MaybeUntrack).  Keys count too: our dicts take any key. */
static int all_atomic(gcb_object_t *o)
{
    int any = 0;
    o->type->traverse(o, visit_may_be_tracked, &any);
    return !any;
}

/* Returns the number of objects left in young (the survivors), whose prev
 * words get `tag` (0 for gen and drc; see gcb_cycle_collect_region). */
static uint64_t move_unreachable(gcb_cycle_t *c, gcb_gchead_t *young, gcb_gchead_t *unreachable, uintptr_t tag)
{
    gcb_gchead_t *prev = young; /* last object known reachable: the cursor's left */
    gcb_gchead_t *g = next_of(young);
    uint64_t kept = 0;
    while (g != young) {
        if (refs_of(g)) {
            gcb_object_t *o = gcb_from_gchead(g);
            /* traverse may append to young: read g->next only afterwards */
            o->type->traverse(o, visit_reachable, young);
            if ((o->type->flags & GCB_TYPE_TUPLE) && all_atomic(o)) {
                /* untrack now (CPython <= 3.7 did it here; 3.8+ in a
                 * separate pass over the survivors, same result for
                 * inner-before-outer tuples) */
                prev->next = g->next;
                g->next = g->prev = 0;
                c->untracked_tuples++;
            } else {
                g->prev = (uintptr_t)prev | tag; /* a link again; COLLECTING cleared */
                prev = g;
                kept++;
            }
        } else {
            /* Tentatively unreachable.  young stays singly linked here, so
             * only prev->next needs fixing.  Every node of the unreachable
             * list, and (harmlessly, repaired below) its sentinel's next,
             * carries UNREACHABLE in next. */
            prev->next = g->next;
            gcb_gchead_t *last = (gcb_gchead_t *)unreachable->prev;
            last->next = GCB_CYCLE_UNREACHABLE | (uintptr_t)g;
            g->prev = (uintptr_t)last | GCB_CYCLE_COLLECTING;
            g->next = GCB_CYCLE_UNREACHABLE | (uintptr_t)unreachable;
            unreachable->prev = (uintptr_t)g;
        }
        g = next_of(prev);
    }
    young->prev = (uintptr_t)prev;
    unreachable->next &= ~GCB_CYCLE_UNREACHABLE;
    return kept;
}

/* Make the unreachable list a plain list again; returns its length. */
static uint64_t finish_unreachable(gcb_gchead_t *unreachable)
{
    uint64_t n = 0;
    for (gcb_gchead_t *g = next_of(unreachable); g != unreachable;) {
        gcb_gchead_t *next = (gcb_gchead_t *)(g->next & ~GCB_CYCLE_UNREACHABLE);
        g->next = (uintptr_t)next;
        g->prev &= ~GCB_CYCLE_FLAGS;
        g = next;
        n++;
    }
    return n;
}

/* Full collections only (lazy_dicts): a dict holding nothing that may be
 * tracked leaves the lists until a store makes it trackable again.  Only
 * in full collections, or dicts being built would be untracked and
 * re-tracked over and over (CPython issue #14775). */
static uint64_t untrack_dicts(gcb_gchead_t *list)
{
    uint64_t n = 0;
    for (gcb_gchead_t *g = next_of(list); g != list;) {
        gcb_gchead_t *next = next_of(g);
        gcb_object_t *o = gcb_from_gchead(g);
        if ((o->type->flags & GCB_TYPE_DICT) && all_atomic(o)) {
            list_unlink(g);
            g->next = g->prev = 0;
            n++;
        }
        g = next;
    }
    return n;
}

static void delete_garbage(gcb_gchead_t *collectable, gcb_gchead_t *old, uintptr_t tag)
{
    while (!list_empty(collectable)) {
        gcb_gchead_t *g = next_of(collectable);
        gcb_object_t *o = gcb_from_gchead(g);
        /* The count held across clear keeps `o` itself alive while its
         * references go; dropping it afterwards may free it (gen), which
         * unlinks it from `collectable`. */
        gcb__incref(o);
        o->type->clear(o);
        gcb__decref(o);
        if (next_of(collectable) == g) {
            /* still alive: a later count drop or reconciliation frees it */
            list_unlink(g);
            list_append(g, old);
            g->prev |= tag;
        }
    }
}

/* The collection proper: find what on `young` is unreachable from outside
 * it, leave the survivors on `old` (young == old: in place, and then every
 * tracked object is on young, which allows the fused first pass), clear
 * the garbage.  Survivors and garbage still alive after its clear end on
 * `old` with `tag` in their prev words.  Returns the garbage count;
 * *kept gets the survivors (untracked dicts excluded). */
static uint64_t collect_list(gcb_cycle_t *c, gcb_gchead_t *young, gcb_gchead_t *old, uintptr_t tag, uint64_t *kept)
{
    if (young == old) {
        c->traversed += update_and_subtract_refs(young);
    } else {
        c->traversed += update_refs(young);
        subtract_refs(young);
    }
    if (c->stack_uncounted) /* after every gc_refs is set; additions commute */
        gcb_frames_visit(visit_stack_ref, NULL);
    gcb_gchead_t unreachable;
    list_init(&unreachable);
    uint64_t survivors = move_unreachable(c, young, &unreachable, tag);

    if (young != old) {
        gcb_gchead_t *first = next_of(young);
        list_merge(young, old);
        if (tag && first != young)
            first->prev |= tag; /* list_merge relinked it */
    } else if (c->lazy_dicts) {
        uint64_t n = untrack_dicts(young);
        c->untracked_dicts += n;
        survivors -= n;
    }

    uint64_t garbage = finish_unreachable(&unreachable);
    c->unreachable += garbage;
    delete_garbage(&unreachable, old, tag);
    *kept = survivors;
    return garbage;
}

uint64_t gcb_cycle_collect(gcb_cycle_t *c, int generation)
{
    if (VALIDATE)
        gcb_cycle_validate(c);
    if (generation < 0 || generation >= c->ngen || c->collecting) {
        fprintf(stderr, "gcbench: cycle: bad collection request (generation %d of %d, collecting %d)\n",
                generation, c->ngen, c->collecting);
        abort();
    }
    c->collecting = 1;

    /* counters: collecting g resets 0..g and counts one more collection of
     * g towards g+1 */
    if (generation + 1 < c->ngen)
        c->gen[generation + 1].count++;
    for (int i = 0; i <= generation; i++)
        c->gen[i].count = 0;
    for (int i = 0; i < generation; i++)
        list_merge(&c->gen[i].head, &c->gen[generation].head);
    gcb_gchead_t *young = &c->gen[generation].head;
    gcb_gchead_t *old = generation + 1 < c->ngen ? &c->gen[generation + 1].head : young;

    uint64_t survivors;
    uint64_t garbage = collect_list(c, young, old, 0, &survivors);
    if (young != old) {
        if (generation == c->ngen - 2)
            c->long_lived_pending += (int64_t)survivors;
    } else {
        c->long_lived_pending = 0;
        c->long_lived_total = (int64_t)survivors;
    }

    c->collections[generation]++;
    c->collecting = 0;
    if (VALIDATE)
        gcb_cycle_validate(c);
    return garbage;
}

uint64_t gcb_cycle_collect_region(gcb_cycle_t *c, gcb_gchead_t *from, gcb_gchead_t *to, uintptr_t tag,
                                  uint64_t *survivors)
{
    if (c->collecting || (tag & ~GCB_CYCLE_PREV_TAGS)) {
        fprintf(stderr, "gcbench: cycle: bad region collection (collecting %d, tag %#lx)\n", c->collecting,
                (unsigned long)tag);
        abort();
    }
    c->collecting = 1;
    uint64_t kept;
    uint64_t garbage = collect_list(c, from, to, tag, &kept);
    c->collecting = 0;
    if (survivors)
        *survivors = kept;
    return garbage;
}

/* --- validation -------------------------------------------------------------- */

static void broken(const char *what, int gen, const gcb_gchead_t *g)
{
    fprintf(stderr, "gcbench: cycle: generation %d list broken at header %p: %s\n", gen, (const void *)g, what);
    abort();
}

uint64_t gcb_cycle_validate(const gcb_cycle_t *c)
{
    uint64_t total = 0;
    for (int i = 0; i < GCB_GC_MAX_GENERATIONS; i++) {
        const gcb_gchead_t *head = &c->gen[i].head;
        if (i >= c->ngen) {
            if (!list_empty(head))
                broken("a generation beyond the configured ones holds objects", i, head);
            continue;
        }
        const gcb_gchead_t *prev = head;
        const gcb_gchead_t *g = (const gcb_gchead_t *)head->next;
        while (g != head) {
            if (g->next == POISON || g->prev == POISON)
                broken("a freed object is still tracked (poisoned header)", i, g);
            if (!g->next)
                broken("an untracked header is linked in", i, g);
            if ((g->next & GCB_CYCLE_UNREACHABLE) || (g->prev & GCB_CYCLE_FLAGS))
                broken("collection bits left in a header", i, g);
            if (g->prev != (uintptr_t)prev)
                broken("prev does not point at the previous header", i, g);
            const gcb_object_t *o = gcb_from_gchead((gcb_gchead_t *)g);
            if ((uintptr_t)o->type == POISON)
                broken("a freed object is still tracked (poisoned type)", i, g);
            if (!(o->type->flags & GCB_TYPE_GC))
                broken("a non-container is tracked", i, g);
            if (o->refcnt < 0)
                broken("an immortal object is tracked", i, g);
            prev = g;
            g = (const gcb_gchead_t *)g->next;
            total++;
        }
        if (head->prev != (uintptr_t)prev)
            broken("the sentinel's prev is not the last header", i, head);
    }
    return total;
}
