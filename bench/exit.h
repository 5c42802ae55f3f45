/*
 * bench/exit.h - the exit statuses of every gcbench command, in one place,
 * and the one way any layer reports bad input
 * (docs/architecture.md).  A command's --help lists the ones it can return.
 */
#ifndef GCB_EXIT_H
#define GCB_EXIT_H

enum {
    GCB_EXIT_OK = 0,          /* success */
    GCB_EXIT_FAIL = 1,        /* the run failed, some runs failed, a regression, a file not written */
    GCB_EXIT_USAGE = 2,       /* bad input: one line on stderr, before any work */
    GCB_EXIT_OOM = 3,         /* `gcbench run`: out of memory */
    /* `gcbench plot` and `gcbench report`: the data files, the gnuplot
     * scripts (and report.md) were written, but no figure was drawn because
     * gnuplot is not installed (or GCBENCH_GNUPLOT=none). */
    GCB_EXIT_NOPLOT = 4,
    GCB_EXIT_INTERRUPTED = 130, /* `gcbench matrix`: stopped by SIGINT/SIGTERM (128 + SIGINT) */
};

/* Bad input: "gcbench: COMMAND: message" on one line ("gcbench: message"
 * when command is NULL), exit GCB_EXIT_USAGE.  Every layer that checks a
 * user's input before any work calls it (bench/exit.c), so it lives here
 * and not in cli/: the layers below the commands need no argv code. */
void gcb_usage_error(const char *command, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#endif
