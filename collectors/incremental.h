/*
 * collectors/incremental.h - what tests and tools may ask the `incremental`
 * collector (collectors/incremental.c) beyond the collector interface:
 * CPython 3.14.0's gc.collect(generation) and a snapshot of its state.
 * Benchmark runs use only the gcb_collector_t descriptor.
 */
#ifndef GCB_INCREMENTAL_H
#define GCB_INCREMENTAL_H

#include <stdint.h>

typedef struct gcb_incremental_info {
    /* the lists now (exact counters) */
    uint64_t young, visited, pending;
    int64_t work_to_do;
    int next_is_mark;             /* the next increment is a round's mark step */
    /* steps so far */
    uint64_t rounds;              /* pending space emptied: spaces swapped */
    uint64_t increments;          /* increments that collected (young + old slice) */
    uint64_t marks;               /* mark steps (first increment of a round) */
    uint64_t skipped;             /* increments skipped: work_to_do was negative */
    uint64_t young_collections, full_collections;
    /* the last increment that collected */
    int64_t last_budget;          /* work_to_do when it started taking old objects */
    uint64_t last_young;          /* young objects it collected */
    uint64_t max_young;           /* the largest last_young so far */
    uint64_t last_old;            /* objects it took from the pending space (slices + closure) */
    uint64_t max_old;             /* the largest last_old so far */
    uint64_t last_marked, max_marked;  /* objects marked by a round's mark step */
    uint64_t max_mark_ns, max_increment_ns;  /* the longest mark step and increment */
} gcb_incremental_info_t;

/* CPython 3.14.0's gc.collect(generation): 0 collects the young generation
 * only (survivors join the visited space), 1 runs one increment (what
 * automatic collections do; before 3.14 it collected generations 0 and 1),
 * 2 collects everything (= collect_full).  Timed and counted as steps. */
void gcb_incremental_collect(int generation);

void gcb_incremental_get_info(gcb_incremental_info_t *out);

/* Check the lists, tags and counters (aborts with a message when broken);
 * returns the number of tracked objects.  Run automatically around every
 * step in debug and check builds. */
uint64_t gcb_incremental_validate(void);

#endif
