/*
 * util/hist.h - log-linear histogram of non-negative integers (pause
 * times in ns).  Bounded memory whatever the number of samples, relative
 * error of a reported percentile at most 1/GCB_HIST_SUB (6.25%), exact min,
 * max, count and sum.  Values are grouped by the position of their highest
 * bit (the "log" part) and each group is split into GCB_HIST_SUB equal
 * buckets (the "linear" part), as HdrHistogram does.
 */
#ifndef GCB_HIST_H
#define GCB_HIST_H

#include <stdint.h>

#define GCB_HIST_SUB_BITS 4
#define GCB_HIST_SUB (1u << GCB_HIST_SUB_BITS)
#define GCB_HIST_GROUPS (64 - GCB_HIST_SUB_BITS + 1)
#define GCB_HIST_BUCKETS (GCB_HIST_GROUPS * GCB_HIST_SUB)

typedef struct gcb_hist {
    uint64_t count, sum, min, max;
    uint64_t buckets[GCB_HIST_BUCKETS];
} gcb_hist_t;

void gcb_hist_init(gcb_hist_t *h);
void gcb_hist_add(gcb_hist_t *h, uint64_t v);
/* Value at quantile q in [0,1]: the upper bound of the bucket holding the
 * q-th sample, clamped to [min, max].  0 when empty. */
uint64_t gcb_hist_quantile(const gcb_hist_t *h, double q);

#endif
