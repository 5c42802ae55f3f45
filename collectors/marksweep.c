/*
 * collectors/marksweep.c - tracing only: no reference counts, a
 * non-moving mark-sweep collection when the heap has grown by a factor.
 *
 * Why.  This is the tracing baseline of the time-memory trade-off (Hertz &
 * Berger, OOPSLA 2005: a tracing collector needs several times the live
 * heap to match explicit freeing).  The mutator pays nothing per reference
 * (GCB_COUNT_NONE: incref, decref and barriers are no-ops) and garbage,
 * cyclic or not, is held until the next collection: memory for time.
 *
 * Enumerating the heap.  The collector asks for a GC header on every object
 * (head_on_all), leaves included, and links every mortal object into one
 * list through it in on_alloc (immortal objects never reach on_alloc and
 * are never freed before teardown).  Header words:
 *     next  the next object's header in the all-objects list (0 ends it)
 *     prev  mark bit: 1 = reached in the current collection, else 0
 *
 * Invariants outside a collection: the list holds exactly the mortal
 * objects (nobjects of them), every mark bit is 0.  During the mark phase,
 * an object with its bit set is either on the mark stack or has had all
 * its children marked ("grey" = set and on the stack, "black" = set and
 * traversed, "white" = clear); when the stack is empty, every object
 * reachable from the frames is black.
 *
 * One collection, at a safepoint (so every live object is reachable from a
 * frame local and no C variable holds anything else):
 *   1. mark: gcb_frames_visit marks each local; an explicit stack (never
 *      recursion: a million-long chain must not overflow the C stack)
 *      then traverses marked containers through type->traverse.  Leaves
 *      (no traverse) are marked and not pushed.
 *   2. sweep: one walk of the list; a marked object is unmarked and kept,
 *      an unmarked one is unlinked and freed with gcb_dealloc.  Its type's
 *      dealloc "releases" its children, which under GCB_COUNT_NONE is a
 *      no-op (gcb__heap_release does nothing), so freeing in any order is
 *      safe and nothing is freed twice; list, dict and str deallocs free
 *      their item arrays and key tables, and an interned mortal string
 *      removes itself from the intern table, whose references are
 *      uncounted and so are not roots.
 *
 * Trigger.  The runtime's live_bytes (objects, GC headers, item arrays,
 * key tables) is read in on_alloc; once it exceeds
 *     max(min_heap, heap_factor x live bytes after the last collection)
 * the next safepoint collects.  heap_factor is the heap multiple of the
 * Hertz-Berger and MMTk sweeps; min_heap keeps a tiny live set from
 * collecting all the time.
 *
 * Statistics: objects_traversed = objects marked, freed_by_gc = objects
 * swept, deferred_peak / deferred_bytes_peak = the most objects / bytes
 * one heap-triggered collection freed (garbage held back until it ran;
 * explicit collections, such as the runner's final one, are left out).
 */
#include "collectors/collector.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/pause.h"

static const gcb_param_def_t ms_params[] = {
    { "heap_factor", GCB_PARAM_DOUBLE, "2.0", 1.0, 1e6,
      "collect when live bytes exceed this multiple of the live bytes after the last collection" },
    { "min_heap", GCB_PARAM_INT, "4194304", 0, 1e15,
      "never collect (except explicitly) below this many live bytes" },
    GCB_PARAM_END
};

#define MARKED ((uintptr_t)1)

static struct {
    gcb_gchead_t *all;         /* the all-objects list, newest first */
    uint64_t nobjects;         /* objects on it */
    uint64_t trigger;          /* live bytes at which on_alloc asks for a collection */
    uint64_t live_after;       /* live bytes after the last collection */
    double heap_factor;
    uint64_t min_heap;
    gcb_object_t **stack;      /* mark stack (C library memory) */
    size_t nstack, capstack;
    gcb_gc_stats_t st;
} ms;


static void set_trigger(void)
{
    double t = ms.heap_factor * (double)ms.live_after;
    ms.trigger = t > (double)ms.min_heap ? (uint64_t)t : ms.min_heap;
}

/* Outside a collection: the list has nobjects mortal objects, none marked. */
static void marksweep_validate(void)
{
    uint64_t n = 0;
    for (gcb_gchead_t *h = ms.all; h; h = (gcb_gchead_t *)h->next, n++) {
        gcb_object_t *o = gcb_from_gchead(h);
        if (h->prev != 0 || gcb_is_immortal(o) || !o->type || !o->type->dealloc) {
            fprintf(stderr, "gcbench: marksweep: object %p on the list is marked, immortal or corrupt\n",
                    (void *)o);
            abort();
        }
    }
    if (n != ms.nobjects || ms.nstack) {
        fprintf(stderr, "gcbench: marksweep: list has %llu objects, expected %llu\n",
                (unsigned long long)n, (unsigned long long)ms.nobjects);
        abort();
    }
}

/* --- the hot path -------------------------------------------------------- */

static void ms_on_alloc(gcb_object_t *o)
{
    gcb_gchead_t *h = gcb_gchead(o);
    h->next = (uintptr_t)ms.all;
    ms.all = h;
    ms.nobjects++;
    if (gcb_live_bytes() > ms.trigger)
        gcb_safepoint_request();
}

/* --- mark ---------------------------------------------------------------- */

static void push(gcb_object_t *o)
{
    if (ms.nstack == ms.capstack) {
        size_t cap = ms.capstack ? 2 * ms.capstack : 4096;
        gcb_object_t **s = realloc(ms.stack, cap * sizeof *s);
        if (!s) {
            fprintf(stderr, "gcbench: marksweep: out of memory growing the mark stack to %zu\n", cap);
            exit(3);
        }
        ms.stack = s;
        ms.capstack = cap;
    }
    ms.stack[ms.nstack++] = o;
}

static void mark_visit(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (gcb_is_immortal(o))
        return;
    gcb_gchead_t *h = gcb_gchead(o);
    if (h->prev)
        return;
    h->prev = MARKED;
    ms.st.objects_traversed++;
    if (o->type->traverse)
        push(o);
}

static void mark(void)
{
    gcb_frames_visit(mark_visit, NULL);
    while (ms.nstack) {
        gcb_object_t *o = ms.stack[--ms.nstack];
        o->type->traverse(o, mark_visit, NULL);
    }
}

/* --- sweep --------------------------------------------------------------- */

static uint64_t sweep(void)
{
    uint64_t freed = 0;
    uintptr_t *link = (uintptr_t *)&ms.all;
    while (*link) {
        gcb_gchead_t *h = (gcb_gchead_t *)*link;
        if (h->prev) {
            h->prev = 0;
            link = &h->next;
        } else {
            *link = h->next;
            gcb_dealloc(gcb_from_gchead(h));
            freed++;
        }
    }
    ms.nobjects -= freed;
    return freed;
}

static void collect(int triggered)
{
    if (GCB_DEBUG_CHECKS)
        marksweep_validate();
    gcb_pause_t pause = gcb_pause_begin();
    uint64_t bytes0 = gcb_live_bytes();
    mark();
    uint64_t freed = sweep();
    ms.live_after = gcb_live_bytes();
    set_trigger();
    gcb_pause_end(pause, &ms.st.gc_time_s, &ms.st.pauses);

    ms.st.collections++;
    ms.st.collections_per_gen[0]++;
    ms.st.freed_by_gc += freed;
    if (triggered && freed > ms.st.deferred_peak)
        ms.st.deferred_peak = freed;
    if (triggered && bytes0 - ms.live_after > ms.st.deferred_bytes_peak)
        ms.st.deferred_bytes_peak = bytes0 - ms.live_after;
    gcb_safepoint_request_clear();           /* this collection was the work asked for */
    if (GCB_DEBUG_CHECKS)
        marksweep_validate();
}

/* --- the descriptor's hooks ---------------------------------------------- */

static void ms_safepoint(void)
{
    if (gcb_live_bytes() > ms.trigger)
        collect(1);
}

static void ms_collect_full(void) { collect(0); }

static void ms_fini(void)
{
    free(ms.stack);
    ms.stack = NULL;
    ms.nstack = ms.capstack = 0;
}

static int ms_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    ms_fini();
    memset(&ms, 0, sizeof ms);
    gcb_hist_init(&ms.st.pauses);
    ms.heap_factor = gcb_param_double(p, ms_params, "heap_factor");
    ms.min_heap = (uint64_t)gcb_param_int(p, ms_params, "min_heap");
    set_trigger();
    return 0;
}

static void ms_stats(gcb_gc_stats_t *out)
{
    *out = ms.st;
    out->generations = 1;
}

const gcb_collector_t gcb_collector_marksweep = {
    .name = "marksweep",
    .description = "tracing only, no refcounts: mark from the frames and sweep when the heap grows by heap_factor",
    .params = ms_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_NONE,
        .head_on_all = 1,
        .threads = GCB_THREADS_ONE | GCB_THREADS_GIL,
        .on_alloc = ms_on_alloc,
        .safepoint = ms_safepoint,
        .collect_full = ms_collect_full,
    },
    .init = ms_init,
    .fini = ms_fini,
    .stats = ms_stats,
};
