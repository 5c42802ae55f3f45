/*
 * collectors/drc.c - deferred reference counting (Deutsch & Bobrow, CACM
 * 1976) with CPython's cycle detector for cycles.
 *
 * Why.  Most reference-count traffic in an interpreter is on locals: every
 * `x = y`, every argument passed, every temporary.  Under deferred counting
 * (GCB_COUNT_HEAP, runtime/object.h) only references from the heap
 * (container slots) are counted; storing into a frame local is a plain
 * store.  The price: a count of zero no longer means garbage, since locals
 * may still hold the object.  Such objects wait in a zero-count table (ZCT)
 * until a reconciliation scans the frames.
 *
 * Invariants (between safepoint actions):
 *   Z1  every live mortal object whose heap count is 0 is in the ZCT;
 *   Z2  an object is in the ZCT at most once, exactly while its refcnt has
 *       GCB_ZCT_FLAG set (then refcnt == GCB_ZCT_FLAG means count 0, and a
 *       decrement to "zero" does not call on_zero again);
 *   Z3  objects are freed only by reconcile(), never by a count operation.
 * New objects start with count 0, so on_alloc enters every one (Z1); on_zero
 * enters an object whose count fell to 0 without the flag.
 *
 * Reconciliation (when the ZCT holds zct_size more entries than the last
 * one left, or before a cycle collection):
 *   1. every frame slot's object gets one count (stack references count
 *      for the duration, the classic trick);
 *   2. one pass over the ZCT, which grows while it runs: an entry whose
 *      count is still 0 is garbage and is freed now - its children's heap
 *      decrements push newly zero children onto the end of the ZCT, so a
 *      whole dead structure goes in the same pass, without recursion; an
 *      entry with a count (heap or, from step 1, stack) leaves the ZCT;
 *   3. the frame slots' counts are dropped again; an object that returns to
 *      0 is held only by frames and re-enters the ZCT (Z1).
 * Afterwards the ZCT holds exactly the zero-count objects referenced from
 * frames, so the next threshold is that many plus zct_size (a frame with
 * many zero-count locals must not make every safepoint reconcile).
 *
 * Cycles.  Containers are tracked in CPython's generations exactly as under
 * `gen` (collectors/cycle.c, shared code) with one difference: counts leave
 * out frame slots, so an object held only by a local would look
 * unreferenced.  The detector is run with GCB_CYCLE_STACK_UNCOUNTED, which
 * adds one to gc_refs for every frame slot holding a collected object;
 * gc_refs is then the number of references from outside the collected set,
 * stack references included, and the detector's proof holds unchanged.  A
 * cycle collection runs after a reconciliation (which frees the acyclic
 * garbage first, so the collection has less to traverse and the young
 * count reflects real survivors) and, when it cleared something, is
 * followed by another, which frees what the clearing released: clearing
 * only drops counts, it frees nothing under deferred counting (Z3).
 *
 * Which list an object is on: in the ZCT while its heap count is 0 (or
 * until the next reconciliation after it rose); a container additionally on
 * its generation's list from allocation to free, as under `gen`.
 *
 * Statistics: `collections` counts reconciliations plus cycle collections,
 * collections_per_gen the cycle collections only; one pause per safepoint
 * action (reconciliation, or reconciliation + cycle collection +
 * reconciliation); freed_by_gc is what the reconciliations following cycle
 * collections freed; deferred_peak the largest ZCT, deferred_bytes_peak the
 * most bytes one reconciliation released (memory that pure refcounting
 * would have returned earlier).  The ZCT itself is interpreter memory from
 * the C library, not object memory.
 */
#include "collectors/cycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/pause.h"

static const gcb_param_def_t drc_params[] = {
    { "zct_size", GCB_PARAM_INT, "10000", 1, 1e9,
      "reconcile when the zero-count table grew by this many entries since the last reconciliation" },
    { "threshold0", GCB_PARAM_INT, "700", 0, 1e9, "cycle collection of generation 0 when net container allocations exceed this (0: none automatic)" },
    { "threshold1", GCB_PARAM_INT, "10", 0, 1e9, "collect generation 1 after more than this many generation-0 collections" },
    { "threshold2", GCB_PARAM_INT, "10", 0, 1e9, "collect generation 2 after more than this many generation-1 collections (and the 25% rule)" },
    { "threshold3", GCB_PARAM_INT, "10", 0, 1e9, "the same for generation 3 (generations=4 only)" },
    { "generations", GCB_PARAM_INT, "3", 1, GCB_GC_MAX_GENERATIONS, "number of generations of the cycle detector" },
    GCB_PARAM_END
};

static gcb_cycle_t cyc;

static struct {
    gcb_object_t **zct;
    size_t n, cap;
    size_t limit;          /* reconcile when n reaches this */
    size_t zct_size;
} z;

static struct {
    uint64_t reconciliations;
    uint64_t freed_by_gc;
    uint64_t zct_peak;
    uint64_t bytes_peak;
    double gc_time_s;
    gcb_hist_t pauses;
} st;

/* --- the table ---------------------------------------------------------------- */

static void zct_grow(void) __attribute__((noinline, cold));
static void zct_grow(void)
{
    size_t cap = z.cap ? 2 * z.cap : 4096;
    gcb_object_t **p = realloc(z.zct, cap * sizeof *p);
    if (!p) {
        fprintf(stderr, "gcbench: drc: out of memory growing the zero-count table to %zu entries\n", cap);
        exit(3);
    }
    z.zct = p;
    z.cap = cap;
}

static inline void zct_push(gcb_object_t *o)
{
    o->refcnt |= GCB_ZCT_FLAG;
    if (__builtin_expect(z.n == z.cap, 0))
        zct_grow();
    z.zct[z.n++] = o;
    if (z.n >= z.limit)
        gcb_safepoint_request();
}

/* --- hooks -------------------------------------------------------------------- */

static void drc_on_alloc(gcb_object_t *o)
{
    if (o->type->flags & GCB_TYPE_GC)
        gcb_cycle_alloc(&cyc, o);
    zct_push(o); /* count 0 from birth: Z1 */
}

static void drc_on_zero(gcb_object_t *o) { zct_push(o); }

static void drc_on_free(gcb_object_t *o)
{
    if (GCB_CHECK_BUILD && o->refcnt != 0) {
        fprintf(stderr, "gcbench: drc: %s at %p freed outside a reconciliation (refcnt %lld)\n",
                o->type->name, (void *)o, (long long)o->refcnt);
        abort();
    }
    if (o->type->flags & GCB_TYPE_GC)
        gcb_cycle_free(&cyc, o);
}

/* --- reconciliation -------------------------------------------------------------- */

static void stack_count(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (o->refcnt >= 0)
        o->refcnt++;
}

static void stack_uncount(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (o->refcnt >= 0 && --o->refcnt == 0)
        zct_push(o); /* held by frames only: Z1 */
}

/* Returns the objects freed. */
static uint64_t reconcile(void)
{
    uint64_t freed0 = gcb_objects_freed(), bytes0 = gcb_bytes_freed();
    if (z.n > st.zct_peak) /* what was held back (entries the pass adds are freed at once) */
        st.zct_peak = z.n;
    z.limit = SIZE_MAX; /* pushes during the pass must not ask for another one */
    gcb_frames_visit(stack_count, NULL);
    /* z.n grows while frees push children: they are handled in this pass */
    for (size_t i = 0; i < z.n; i++) {
        gcb_object_t *o = z.zct[i];
        if (o->refcnt == GCB_ZCT_FLAG) {
            o->refcnt = 0;
            o->type->dealloc(o);
        } else {
            o->refcnt &= ~GCB_ZCT_FLAG;
        }
    }
    z.n = 0;
    gcb_frames_visit(stack_uncount, NULL);
    z.limit = z.n + z.zct_size;
    st.reconciliations++;
    uint64_t bytes = gcb_bytes_freed() - bytes0;
    if (bytes > st.bytes_peak)
        st.bytes_peak = bytes;
    return gcb_objects_freed() - freed0;
}


/* One pause: reconcile; then the cycle collection that is due (or, for
 * collect_full, of the oldest generation); then, if it cleared anything,
 * reconcile again to free what the clearing released. */
static void pause_run(int full)
{
    gcb_pause_t pause = gcb_pause_begin();
    reconcile();
    /* Checked after the frees: the young count is then net of them, as it
     * would be under immediate counting. */
    int g = full ? cyc.ngen - 1 : gcb_cycle_due(&cyc);
    if (g >= 0 && gcb_cycle_collect(&cyc, g) > 0)
        st.freed_by_gc += reconcile();
    gcb_pause_end(pause, &st.gc_time_s, &st.pauses);
}

static void drc_safepoint(void)
{
    if (z.n >= z.limit || gcb_cycle_due(&cyc) >= 0)
        pause_run(0);
}

static void drc_collect_full(void) { pause_run(1); }

/* --- lifecycle and statistics ---------------------------------------------------- */

static int drc_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    int64_t t[GCB_GC_MAX_GENERATIONS];
    static const char *const names[] = { "threshold0", "threshold1", "threshold2", "threshold3" };
    _Static_assert(GCB_GC_MAX_GENERATIONS == 4, "one threshold parameter per generation");
    for (int i = 0; i < GCB_GC_MAX_GENERATIONS; i++)
        t[i] = gcb_param_int(p, drc_params, names[i]);
    gcb_cycle_init(&cyc, (int)gcb_param_int(p, drc_params, "generations"), t, GCB_CYCLE_STACK_UNCOUNTED);
    memset(&st, 0, sizeof st);
    gcb_hist_init(&st.pauses);
    free(z.zct);
    memset(&z, 0, sizeof z);
    z.zct_size = (size_t)gcb_param_int(p, drc_params, "zct_size");
    z.limit = z.zct_size;
    return 0;
}

static void drc_fini(void)
{
    free(z.zct);
    memset(&z, 0, sizeof z);
    cyc = (gcb_cycle_t){ 0 };
}

static void drc_stats(gcb_gc_stats_t *out)
{
    memset(out, 0, sizeof *out);
    out->generations = cyc.ngen;
    out->collections = st.reconciliations;
    for (int i = 0; i < cyc.ngen; i++) {
        out->collections_per_gen[i] = cyc.collections[i];
        out->collections += cyc.collections[i];
    }
    out->objects_traversed = cyc.traversed;
    out->freed_by_gc = st.freed_by_gc;
    out->deferred_peak = st.zct_peak;
    out->deferred_bytes_peak = st.bytes_peak;
    out->gc_time_s = st.gc_time_s;
    out->pauses = st.pauses;
}

const gcb_collector_t gcb_collector_drc = {
    .name = "drc",
    .description = "deferred refcounting (Deutsch-Bobrow): locals uncounted, zero-count table reconciled at safepoints; CPython's cycle detector",
    .params = drc_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_HEAP,
        .threads = GCB_THREADS_ONE | GCB_THREADS_GIL,
        .on_alloc = drc_on_alloc,
        .on_free = drc_on_free,
        .on_zero = drc_on_zero,
        .safepoint = drc_safepoint,
        .collect_full = drc_collect_full,
    },
    .init = drc_init,
    .fini = drc_fini,
    .stats = drc_stats,
};
