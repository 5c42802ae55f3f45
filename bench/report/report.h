/*
 * bench/report/report.h - report.md: the context, a table per workload,
 * the failed runs and the figures (`gcbench report`, and the end of
 * `gcbench matrix`).
 */
#ifndef GCB_REPORT_H
#define GCB_REPORT_H

#include <stddef.h>

#include "bench/report/plot/plot.h"

/* The last act of `gcbench matrix`: figures and DIR/report.md with the
 * default options.  Prints one line on stderr; 0, or -1 when the report or
 * a figure promised could not be written (the matrix then exits 1). */
int gcb_report_after_matrix(const char *dir);

/* May DIR/report.md (and, unless `no_plots`, DIR/plots) be written?
 * util/outpath.c's rule, checked before any work; -1 with a message. */
int gcb_report_check(const char *dir, int no_plots, char *err, size_t errlen);

/* Write DIR/report.md (atomically) from the set and the figures made
 * (`plots` NULL: none).  -1 with a message. */
int gcb_report_write(const gcb_rset_t *rs, const char *baseline, const char *baseline_note,
                     const gcb_plot_out_t *plots, char *err, size_t errlen);

#endif
