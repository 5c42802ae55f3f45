/*
 * util/hist.c - log-linear histogram (see hist.h for the error bound).
 *
 * Bucket index: values below GCB_HIST_SUB map to themselves (group 0 is
 * exact); a larger value whose top bit is b lands in group b-SUB_BITS+1 at
 * the sub-bucket given by the SUB_BITS bits below the top bit.
 */
#include "util/hist.h"

#include <string.h>

static unsigned bucket_of(uint64_t v)
{
    if (v < GCB_HIST_SUB)
        return (unsigned)v;
    unsigned top = 63u - (unsigned)__builtin_clzll(v);
    unsigned group = top - GCB_HIST_SUB_BITS + 1;
    unsigned sub = (unsigned)(v >> (top - GCB_HIST_SUB_BITS)) & (GCB_HIST_SUB - 1);
    return group * GCB_HIST_SUB + sub;
}

/* Largest value that falls in bucket i. */
static uint64_t bucket_upper(unsigned i)
{
    unsigned group = i / GCB_HIST_SUB, sub = i % GCB_HIST_SUB;
    if (group == 0)
        return sub;
    unsigned shift = group - 1;
    uint64_t lower = ((uint64_t)(GCB_HIST_SUB + sub)) << shift;
    return lower + ((uint64_t)1 << shift) - 1;
}

void gcb_hist_init(gcb_hist_t *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

void gcb_hist_add(gcb_hist_t *h, uint64_t v)
{
    h->buckets[bucket_of(v)]++;
    h->count++;
    h->sum += v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

uint64_t gcb_hist_quantile(const gcb_hist_t *h, double q)
{
    if (h->count == 0)
        return 0;
    if (q <= 0)
        return h->min;
    if (q >= 1)
        return h->max;
    /* rank of the sample wanted, 1-based, nearest-rank definition */
    uint64_t rank = (uint64_t)(q * (double)h->count);
    if ((double)rank < q * (double)h->count)
        rank++;
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < GCB_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t up = bucket_upper(i);
            if (up > h->max)
                up = h->max;
            if (up < h->min)
                up = h->min;
            return up;
        }
    }
    return h->max;
}
