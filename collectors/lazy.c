/*
 * collectors/lazy.c - reference counting with late reclamation: an object
 * whose count reaches zero is not freed then but put in a buffer, and the
 * buffer is freed in batches at safepoints.
 *
 * Why.  Freeing at the moment of the last decrement puts deallocation (and
 * its cascades) on the mutator's critical path at unpredictable points.
 * Deferring it batches the frees (better locality in the allocator, no
 * cascade in the middle of a store) at the price of memory held by dead
 * objects: Boehm (POPL 2004) shows lazy freeing can blow the heap up, so
 * what this policy holds is reported, not only its time.  It is not a cycle
 * collector: cycles never reach zero and leak exactly as under `rc`
 * (complete = 0).
 *
 * The buffer.  on_zero sets GCB_ZCT_FLAG in the object's refcnt (the
 * "sits in a deferred table" bit drc also uses) and appends it.  The bit
 * matters because a dead object can come back: the intern table holds
 * uncounted references to mortal strings, so gcb_str_intern can hand out a
 * new reference to an interned string whose count already reached zero.
 * With the bit set its count goes FLAG+1 and back to FLAG, which is not
 * zero, so on_zero is not called a second time and the string is never
 * buffered twice.
 *
 * Invariants: every buffered object has GCB_ZCT_FLAG set and appears once;
 * no object outside the buffer has the bit.
 *
 * A batch, at the safepoint after the buffer reached `batch` objects (and
 * for collect_full): for each buffered object, clear the bit; if its count
 * is back above zero it was resurrected and simply leaves the buffer (it
 * will be buffered again when its count next reaches zero); otherwise it
 * is freed with gcb_dealloc.  Children whose counts reach zero during the
 * batch are freed at once, not re-buffered: one batch then reclaims whole
 * dead structures (gcb_dealloc flattens long chains), whereas re-buffering
 * would free a dead chain of n nodes one node per batch, n batches late.
 * Consequence: the memory held is the buffered objects plus everything only
 * they keep alive (a dead list holds its items, a dead instance its
 * __dict__), so the buffered objects' own sizes (type->size + GC header)
 * would understate it.  What a batch releases is measured instead: the
 * runtime's live bytes before the batch minus after it, which is exactly
 * the memory the deferral was holding at that moment (the buffer is at
 * its largest just before a batch).
 *
 * Statistics: collections = batches, pause = one batch; deferred_peak = the
 * most objects buffered at once; deferred_bytes_peak = the most bytes one
 * safepoint-triggered batch released (the final drain of collect_full, which
 * frees whatever the end of the program dropped, is not a cost of the
 * deferral and is left out).  freed_by_gc stays 0: every object is freed
 * because its count reached zero, only later.
 */
#include "collectors/collector.h"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/pause.h"

static const gcb_param_def_t lazy_params[] = {
    { "batch", GCB_PARAM_INT, "1000", 1, 1e9,
      "dead objects buffered before a batch is freed at the next safepoint" },
    GCB_PARAM_END
};

static struct {
    gcb_object_t **buf;
    size_t n, cap;
    size_t batch;
    int draining;              /* inside a batch: zero counts free at once */
    gcb_gc_stats_t st;
} lz;


/* Every buffered object is mortal, carries the deferred bit and appears
 * once (the bit is cleared while counting, then set again). */
static void lazy_validate(void)
{
    size_t i, dup = lz.n;
    for (i = 0; i < lz.n; i++) {
        gcb_object_t *o = lz.buf[i];
        if (gcb_is_immortal(o) || !(o->refcnt & GCB_ZCT_FLAG)) {
            dup = i;
            break;
        }
        o->refcnt &= ~GCB_ZCT_FLAG;
    }
    for (size_t j = 0; j < i; j++)
        lz.buf[j]->refcnt |= GCB_ZCT_FLAG;
    if (dup < lz.n || lz.draining) {
        fprintf(stderr, "gcbench: lazy: buffered object %zu (%p) has no deferred bit or appears twice\n",
                dup, dup < lz.n ? (void *)lz.buf[dup] : NULL);
        abort();
    }
}

static void grow(void)
{
    size_t cap = lz.cap ? 2 * lz.cap : (lz.batch < 1024 ? 1024 : lz.batch + lz.batch / 4);
    gcb_object_t **b = realloc(lz.buf, cap * sizeof *b);
    if (!b) {
        fprintf(stderr, "gcbench: lazy: out of memory growing the buffer to %zu entries\n", cap);
        exit(3);
    }
    lz.buf = b;
    lz.cap = cap;
}

/* --- the hot path -------------------------------------------------------- */

static void lazy_on_zero(gcb_object_t *o)
{
    if (lz.draining) {
        gcb_dealloc(o);
        return;
    }
    o->refcnt = GCB_ZCT_FLAG;
    if (lz.n == lz.cap)
        grow();
    lz.buf[lz.n++] = o;
    if (lz.n >= lz.batch)
        gcb_safepoint_request();
    if (lz.n > lz.st.deferred_peak)
        lz.st.deferred_peak = lz.n;
}

/* --- a batch ------------------------------------------------------------- */

static void drain(int triggered)
{
    if (GCB_DEBUG_CHECKS)
        lazy_validate();
    gcb_pause_t pause = gcb_pause_begin();
    uint64_t bytes0 = gcb_live_bytes();
    lz.draining = 1;
    for (size_t i = 0; i < lz.n; i++) {
        gcb_object_t *o = lz.buf[i];
        o->refcnt &= ~GCB_ZCT_FLAG;
        if (o->refcnt == 0)
            gcb_dealloc(o);
    }
    lz.n = 0;
    lz.draining = 0;
    gcb_pause_end(pause, &lz.st.gc_time_s, &lz.st.pauses);
    uint64_t released = bytes0 - gcb_live_bytes();
    if (triggered && released > lz.st.deferred_bytes_peak)
        lz.st.deferred_bytes_peak = released;
    lz.st.collections++;
    lz.st.collections_per_gen[0]++;
    gcb_safepoint_request_clear();           /* this collection was the work asked for */
}

/* --- the descriptor's hooks ---------------------------------------------- */

static void lazy_safepoint(void)
{
    if (lz.n >= lz.batch)
        drain(1);
}

static void lazy_collect_full(void) { drain(0); }

static void lazy_fini(void)
{
    free(lz.buf);
    lz.buf = NULL;
    lz.n = lz.cap = 0;
}

static int lazy_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    lazy_fini();
    memset(&lz, 0, sizeof lz);
    gcb_hist_init(&lz.st.pauses);
    lz.batch = (size_t)gcb_param_int(p, lazy_params, "batch");
    return 0;
}

static void lazy_stats(gcb_gc_stats_t *out)
{
    *out = lz.st;
    out->generations = 1;
}

const gcb_collector_t gcb_collector_lazy = {
    .name = "lazy",
    .description = "refcounting with frees deferred into batches of `batch` at safepoints; cycles leak as in rc",
    .params = lazy_params,
    .complete = 0,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .threads = GCB_THREADS_ONE | GCB_THREADS_GIL,
        .on_zero = lazy_on_zero,
        .safepoint = lazy_safepoint,
        .collect_full = lazy_collect_full,
    },
    .init = lazy_init,
    .fini = lazy_fini,
    .stats = lazy_stats,
};
