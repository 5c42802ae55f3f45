/*
 * tests/brc_delta.h - biased counting's counters (runtime/brc.h) across
 * one step of a test on the ft core: brc_mark() before, brc_delta() after
 * every worker of the step has left (a running thread's deltas are not in
 * the totals yet).  Header-only, for test_brc and test_deferred.
 */
#ifndef GCB_TESTS_BRC_DELTA_H
#define GCB_TESTS_BRC_DELTA_H

#include "runtime/brc.h"

static gcb_brc_counters_t brc_mark_at;

static void brc_mark(void) { gcb_brc_counters(&brc_mark_at); }

static gcb_brc_counters_t brc_delta(void)
{
    gcb_brc_counters_t b;
    gcb_brc_counters(&b);
#define GCB_X(name, desc) b.name -= brc_mark_at.name;
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
    return b;
}

#endif
