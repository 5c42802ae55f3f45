/*
 * bench/analysis/scaling.h - scaling efficiency of a threads sweep: a
 * cell at N mutator threads against the same configuration at 1 thread
 * (docs/threads.md, "Metrics and where each is counted").
 *
 *     efficiency(N) = ops_per_sec(N) / (N x ops_per_sec(1))
 *
 * 1 is perfect scaling (N threads do N times the work per second), 1/N is
 * none (one thread's throughput shared out, as under a GIL).  "The same
 * configuration" is the same workload, allocator and collector and every
 * parameter equal except `threads` (mode included: a gil cell scales
 * against gil's 1-thread cell).  A cell without a `threads` parameter
 * counts as 1 thread.  The interval is the ratio's (bench/resultdir/cells.h
 * gcb_rset_ratio: the Moses 95% CI of ops/s(N) / ops/s(1) with 4+ runs a
 * side, else the range of N's runs over 1's median) divided by N.
 *
 * A point is oversubscribed when its runs asked for more mutator threads
 * than the machine has online cores (the record's threads.oversubscribed,
 * bench/cell/threads.c): the threads then take turns on the cores, and
 * the efficiency there measures time slicing, not scaling.
 */
#ifndef GCB_SCALING_H
#define GCB_SCALING_H

#include <stddef.h>

#include "bench/resultdir/cells.h"

#define GCB_SCALING_MAX_COUNTS 64   /* distinct thread counts of a workload kept */

typedef struct gcb_scaling {
    const gcb_rcell_t *c;           /* the cell at N threads */
    const gcb_rcell_t *one;         /* the same configuration at 1 thread, or NULL */
    long threads;                   /* N */
    double eff, lo, hi;             /* efficiency and its 95% interval; NAN without `one` or values */
    int range;                      /* 1: the interval is the range of the runs (too few for the CI) */
    int oversubscribed;             /* 1 threads > cores, 0 not, -1 no record says */
    long cores;                     /* the machine's online cores per the record (else the context), -1 unknown */
} gcb_scaling_t;

/* The thread count of a cell: its `threads` parameter, 1 when absent, -1
 * when not a positive integer. */
long gcb_scaling_threads(const gcb_rcell_t *c);

/* Does the cell run threaded (a `threads` or `mode` parameter, or a
 * threads block in its median run)? */
int gcb_scaling_threaded(const gcb_rcell_t *c);

/* The cell's threading mode: its `mode` parameter, else the median run's
 * threads.mode, else "default". */
const char *gcb_scaling_mode(const gcb_rcell_t *c);

/* The distinct thread counts of the threaded cells of workload wl, sorted
 * ascending, at most max; returns how many. */
size_t gcb_scaling_counts(const gcb_rset_t *rs, const char *wl, long *out, size_t max);

/* The configuration a cell belongs to without its thread count: its
 * series label with " threads=V" removed (and " mode=V" too when
 * drop_mode), so the cells of one scaling line share it. */
void gcb_scaling_line(const gcb_rcell_t *c, int drop_mode, char *out, size_t n);

/* c's 1-thread cell in rs (itself when c runs 1 thread), or NULL. */
const gcb_rcell_t *gcb_scaling_one(const gcb_rset_t *rs, const gcb_rcell_t *c);

/* c's scaling point.  Never fails: unknown parts are NAN / -1. */
void gcb_scaling_of(const gcb_rset_t *rs, const gcb_rcell_t *c, gcb_scaling_t *out);

#endif
