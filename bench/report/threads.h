/*
 * bench/report/threads.h - report.md's "Threads" section (threads.c):
 * scaling efficiency per workload and mode, cross-thread drops, header
 * bytes, oversubscribed points.  report.c calls it with one line.
 */
#ifndef GCB_REPORT_THREADS_H
#define GCB_REPORT_THREADS_H

#include <stdio.h>

#include "bench/resultdir/cells.h"

/* "## Threads", when some cell of the set runs threaded (a `threads` or
 * `mode` parameter); nothing otherwise. */
void gcb_report_threads_section(FILE *f, const gcb_rset_t *rs);

#endif
