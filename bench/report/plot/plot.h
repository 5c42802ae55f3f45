/*
 * bench/report/plot/plot.h - the figures of a result directory: each
 * figure's data file (.dat) and gnuplot script (.gp), then gnuplot draws
 * them as PNG and SVG (`gcbench plot`, docs/plots.md).
 */
#ifndef GCB_PLOT_H
#define GCB_PLOT_H

#include <stddef.h>

#include "bench/resultdir/cells.h"

#define GCB_PLOT_MAX_FILTERS 16
#define GCB_PLOT_BARS_MAX_CONFIGS 12 /* configurations the bar figures (throughput, peak_rss,
                                        gc_pauses) take; with more only the heatmaps are drawn,
                                        unless --bars */
#define GCB_PLOT_HEATMAP_ALPHA 0.05  /* a cell differs from the baseline when the U test's p < this */

typedef struct gcb_plot_opts {
    const char *baseline;            /* resolved "ALLOCATOR/COLLECTOR" */
    const char *outdir;              /* NULL: DIR/plots */
    int bars;                        /* --bars: the bar figures whatever the number of configurations */
    size_t ntimeline;
    const char *timeline[GCB_PLOT_MAX_FILTERS]; /* none: every cell of each workload (up to a cap) */
} gcb_plot_opts_t;

typedef struct gcb_figure {
    char stem[256];                  /* file name without extension, in the plot directory */
    char title[512];
    char caption[1024];              /* what it shows, for report.md */
    int drawn;                       /* PNG and SVG written by gnuplot */
} gcb_figure_t;

typedef struct gcb_plot_out {
    char outdir[4096];
    size_t n;
    gcb_figure_t *fig;
    size_t nskipped;
    char skipped[32][512];           /* figures not made and why */
    int gnuplot_missing;             /* no gnuplot: scripts and data only */
    char gnuplot[4096];              /* the gnuplot run, "" when none */
    size_t failed;                   /* scripts gnuplot failed on */
} gcb_plot_out_t;

/* Write every figure's data file and gnuplot script into the plot
 * directory and draw them.  Returns an exit status (0, 1, GCB_EXIT_NOPLOT)
 * and fills `out`; messages go to stderr prefixed with `who`. */
int gcb_plot(const gcb_rset_t *rs, const gcb_plot_opts_t *o, gcb_plot_out_t *out, const char *who);
void gcb_plot_out_free(gcb_plot_out_t *out);
/* May the figures be written where `o` says (--out, else DIR/plots)?
 * util/outpath.c's rule, for a command to check before any work; -1 with
 * a message.  gcb_plot checks again (exit status 2). */
int gcb_plot_check(const gcb_rset_t *rs, const gcb_plot_opts_t *o, char *err, size_t errlen);
/* How many figures gnuplot drew. */
size_t gcb_plot_drawn(const gcb_plot_out_t *out);

#endif
