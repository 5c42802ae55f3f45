/*
 * collectors/pause.h - timing one pause, the same way in every collector.
 *
 * Why one helper.  A pause is the stretch of a safepoint (or of
 * gc.collect()) during which the mutator waits for the collector: a
 * collection, an increment, a reconciliation, a batch of frees.  Its
 * length goes into two figures of gcb_gc_stats_t: the total time in
 * collections (gc_time_s) and the pause histogram (pauses, in ns), and
 * every collector must measure it with the same clock and add it the same
 * way, or their figures would not compare.  So a collector brackets its
 * pause with gcb_pause_begin()/gcb_pause_end() and never reads the clock
 * itself.
 *
 * Invariants: the clock is CLOCK_MONOTONIC (util/clock.h); each call of
 * gcb_pause_end adds exactly one sample to the histogram and the same
 * duration, in seconds, to the total, so the histogram's count is the
 * number of pauses and its sum (ns) is the total (s) times 1e9, up to
 * floating-point rounding.
 */
#ifndef GCB_COLLECTORS_PAUSE_H
#define GCB_COLLECTORS_PAUSE_H

#include <stdint.h>

#include "util/clock.h"
#include "util/hist.h"

typedef struct gcb_pause {
    uint64_t t0;   /* gcb_now_ns() at the start */
} gcb_pause_t;

static inline gcb_pause_t gcb_pause_begin(void)
{
    gcb_pause_t p = { gcb_now_ns() };
    return p;
}

/* End the pause begun as `p`: add its length to *gc_time_s (seconds) and
 * to the histogram *pauses (ns).  Returns the length in ns. */
static inline uint64_t gcb_pause_end(gcb_pause_t p, double *gc_time_s, gcb_hist_t *pauses)
{
    uint64_t ns = gcb_now_ns() - p.t0;
    gcb_hist_add(pauses, ns);
    *gc_time_s += (double)ns * 1e-9;
    return ns;
}

#endif
