/*
 * bench/analysis/compare.h - is B different from A, cell by cell, beyond
 * the noise?  The work of `gcbench compare` (bench/cli/cmd_compare.c
 * parses its argv).
 */
#ifndef GCB_COMPARE_H
#define GCB_COMPARE_H

typedef struct gcb_compare_opts {
    double alpha;             /* significance level, (0, 1) */
    double fail_above;        /* percent, [0, 1e6]; NAN: no regression check */
    const char *metric;       /* a dotted metric path (gcb_run_metric) */
    int allow_mixed;          /* compare cells whose runs come from different hosts */
    const char *dir_a;        /* the A directory (the one directory with filters) */
    const char *dir_b;        /* the B directory; NULL with filters */
    const char *filter_a;     /* bench/resultdir/filter.h's language; NULL without */
    const char *filter_b;
} gcb_compare_opts_t;

/* Print the comparison table to stdout and its warnings to stderr.
 * Returns GCB_EXIT_OK, or GCB_EXIT_FAIL when a cell regressed beyond
 * fail_above; bad input (no result directory, a malformed filter or one
 * matching no cell, an unknown metric, no cell in common, mixed hosts)
 * exits 2 with one line. */
int gcb_compare(const gcb_compare_opts_t *o);

#endif
