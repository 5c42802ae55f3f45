/*
 * bench/report.h - what a result directory shows a reader: its cells with
 * their statistics (resultset.c), the figures (plot.c, `gcbench plot`) and
 * report.md (report.c, `gcbench report`, and the end of `gcbench matrix`).
 *
 * Everything here enumerates what the result directory holds (allocators,
 * collectors, workloads, parameters): nothing is named in the code, so
 * backends added to the registries appear in the figures and tables
 * without a change here.
 */
#ifndef GCB_REPORT_H
#define GCB_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "bench/harness.h"

/* `gcbench plot` and `gcbench report`: the data files, the gnuplot scripts
 * (and report.md) were written, but no figure was drawn because gnuplot is
 * not installed (or GCBENCH_GNUPLOT=none).  Other statuses: 0 every figure
 * drawn, 1 gnuplot failed on some figure or a file could not be written,
 * 2 bad input. */
#define GCB_EXIT_NOPLOT 4

/* "report.c", "plot.c": the subcommands (argv[0] is the subcommand name). */
int gcb_cmd_plot(int argc, char **argv);
int gcb_cmd_report(int argc, char **argv);

/* The last act of `gcbench matrix`: figures and DIR/report.md with the
 * default options.  Prints one line on stderr; never fails the matrix. */
void gcb_report_after_matrix(const char *dir);

/* ------------------------------------------------------- "resultset.c" */

/* The figures a cell contributes, from its ok runs. */
typedef enum {
    GCB_M_OPS,      /* ops_per_sec */
    GCB_M_RSS,      /* peak RSS, bytes (the parent's wait4 when recorded) */
    GCB_M_WALL,     /* wall_s of the workload */
    GCB_M_P50,      /* gc.pause_ns.p50, runs that paused only */
    GCB_M_P99,      /* gc.pause_ns.p99, idem */
    GCB_M_PMAX,     /* gc.pause_ns.max, idem */
    GCB_M_COUNT
} gcb_metric_t;

#define GCB_LABEL_MAX 512

typedef struct gcb_rcell {
    const char *name;                /* the cell name (borrowed from a runs.jsonl line) */
    const char *alloc, *coll, *wl;
    json_t *params;                  /* borrowed: the cell's -p parameters */
    /* allocator/collector, then " key=value" for every parameter that takes
     * several values (or is absent in some cells) within the workload: the
     * bar, line or point a cell is drawn as; the same label in two
     * workloads is the same configuration */
    char series[GCB_LABEL_MAX];
    char base[GCB_LABEL_MAX];        /* allocator/collector alone */
    char wl_params[GCB_LABEL_MAX];   /* parameters common to the workload's cells: "scale=0.5" */
    size_t nok, nfail;
    double *v[GCB_M_COUNT];          /* ok values of each metric (missing ones left out) */
    size_t n[GCB_M_COUNT];
    json_t *median_run;              /* the ok run with the median ops/s (lower median), or NULL */
} gcb_rcell_t;

typedef struct gcb_rset {
    char dir[4096];
    json_t *runjson;                 /* DIR/run.json, or NULL when absent */
    gcb_runs_t runs;
    size_t ncells;
    gcb_rcell_t *cells;              /* sorted: workload, then series order */
    size_t nwl;
    const char **wl;                 /* workloads in the order of the spec (else by name) */
    size_t nseries;
    char (*series)[GCB_LABEL_MAX];   /* every series label, in drawing order */
    size_t nsweep;
    char sweep[GCB_SPEC_MAX_AXES][64]; /* parameters taking >= 2 values within some workload */
    size_t runs_ok, runs_failed;
} gcb_rset_t;

/* Load DIR (run.json if present, runs.jsonl).  -1 with a message when DIR
 * is not a result directory or holds no run. */
int gcb_rset_load(const char *dir, gcb_rset_t *rs, char *err, size_t errlen);
void gcb_rset_free(gcb_rset_t *rs);

/* Resolve the baseline "ALLOCATOR/COLLECTOR" into `out`.  `requested` NULL:
 * glibc/rc when the directory has it, else the first series' (a note in
 * `note`).  -1 with a message (listing what the directory holds) when an
 * explicitly requested baseline is absent or malformed. */
int gcb_rset_baseline(const gcb_rset_t *rs, const char *requested, char *out, size_t outlen, char *note,
                      size_t notelen, char *err, size_t errlen);

/* The baseline cell for `c`: same workload, allocator/collector `baseline`,
 * and among several (a sweep) the one agreeing with c on most parameters.
 * NULL when the workload has no baseline cell. */
const gcb_rcell_t *gcb_rset_base_cell(const gcb_rset_t *rs, const gcb_rcell_t *c, const char *baseline);

/* Ratio of medians c/base for a metric, with a 95% interval: the Moses CI
 * of the ratio when both sides have enough runs (*how = "ci"), else the
 * range of c's runs over base's median (*how = "range"); NAN when either
 * side has no value.  Returns the ratio. */
double gcb_rset_ratio(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double *lo, double *hi,
                      const char **how);

/* Is c's metric different from base's?  The two-sided Mann-Whitney U test
 * of `gcbench compare` (bench/stats.c) on the two cells' ok values: 1 when
 * p < alpha, 0 when not, -1 when either side has no value (*p NAN).
 * *can is 0 when the run counts are too small for any p to reach alpha
 * (3 runs a side never can at 0.05). */
int gcb_rset_differs(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double alpha, double *p,
                     int *can);

/* Median and 95% order-statistic CI of a cell's metric (NAN when none);
 * *coverage is the CI's real coverage (below 0.95 with fewer than 6 runs). */
double gcb_rset_median(const gcb_rcell_t *c, gcb_metric_t m, double *lo, double *hi, double *coverage);

/* The context block: run.json's, a merged directory's first source's, or
 * the first run's.  Borrowed; may be NULL. */
json_t *gcb_rset_context(const gcb_rset_t *rs);

/* Does a cell match a filter?  A filter with '/' or a wildcard (*?[) is a
 * shell pattern over cell names; otherwise KEY=VALUE[,KEY=VALUE...] over
 * allocator, collector, workload and parameters. */
int gcb_rset_match(const gcb_rcell_t *c, const char *filter);
/* Is the filter well formed?  -1 with a message. */
int gcb_rset_filter_check(const char *filter, char *err, size_t errlen);

/* "75.8 M" (unit "") or "2.15 MiB" (unit "B", powers of 1024); "-" for NAN. */
void gcb_rset_human(char *buf, size_t n, double v, const char *unit);

/* ------------------------------------------------------------ "plot.c" */

#define GCB_PLOT_MAX_FILTERS 16

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
/* How many figures gnuplot drew. */
size_t gcb_plot_drawn(const gcb_plot_out_t *out);

/* Shared by `gcbench plot` and `gcbench report` (bad input exits 2 with
 * "gcbench: COMMAND: ..."): add a --timeline filter; load a result
 * directory and resolve the baseline ("" note when the default applied
 * as asked). */
void gcb_plot_cli_timeline(gcb_plot_opts_t *o, const char *filter, const char *command);
void gcb_plot_cli_load(const char *dir, const char *baseline, const char *command, gcb_rset_t *rs,
                       char *base, size_t baselen, char *note, size_t notelen);

/* ---------------------------------------------------------- "report.c" */

/* Write DIR/report.md (atomically) from the set and the figures made
 * (`plots` NULL: none).  -1 with a message. */
int gcb_report_write(const gcb_rset_t *rs, const char *baseline, const char *baseline_note,
                     const gcb_plot_out_t *plots, char *err, size_t errlen);

#endif
