/*
 * collectors/rc.c - pure reference counting.
 *
 * Every stack and heap reference is counted; an object is freed the moment
 * its count reaches zero (through gcb_dealloc, which flattens deep
 * chains).  Nothing else: a cycle keeps its own counts above zero forever,
 * so cyclic garbage leaks, and the runner's end-of-run count of live
 * objects is exactly that leak.  This is the baseline every other policy
 * is compared with, and CPython with `gc.disable()`.
 */
#include "collectors/collector.h"

#include <string.h>

static const gcb_param_def_t rc_params[] = { GCB_PARAM_END };

static int rc_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)p; (void)err; (void)errlen;
    return 0;
}

static void rc_stats(gcb_gc_stats_t *out)
{
    memset(out, 0, sizeof *out);
    gcb_hist_init(&out->pauses);
    out->generations = 0;
}

const gcb_collector_t gcb_collector_rc = {
    .name = "rc",
    .description = "pure reference counting: freed at zero, cycles leak (and are counted)",
    .params = rc_params,
    .complete = 0,
    .policy = {
        .mode = GCB_COUNT_ALL,
        .threads = GCB_THREADS_ALL,
    },
    .init = rc_init,
    .stats = rc_stats,
};
