/*
 * bench/report/plot/figure.h - what the figure files share (internal to
 * bench/report/plot/): the tunables of the layout, the palettes, the
 * plotter (one `gcbench plot` in progress), the .dat/.gp writer and the
 * number formatters (write.c), the heatmaps' frame (heatmap.c), and one
 * entry point per figure family.  Adding a figure: a fig_NAME in the file
 * of its family (or a new file and a meson line), its prototype here, and
 * its call in plot.c's driver.
 */
#ifndef GCB_PLOT_FIGURE_H
#define GCB_PLOT_FIGURE_H
#include "bench/exit.h"
#include "bench/report/plot/plot.h"
#include "bench/report/report.h"
#include "bench/report/format.h"
#include "bench/report/table.h"
#include "bench/resultdir/files.h"
#include "bench/analysis/stats.h"
#include "util/outpath.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"

/* --- tunables ------------------------------------------------------------ */
#define TIMELINE_MAX_CELLS 16      /* lines in one timeline figure (more are unreadable) */
#define GNUPLOT_CPU_LIMIT_S 120    /* a script that loops is killed */
#define MIN_W 800                  /* canvas, pixels */
#define MAX_W 4000
#define MIN_H 500
#define MAX_H 3000
#define LOG_X_SPAN 20.0            /* a sweep whose values span this factor gets a log x axis */
#define KEY_CHAR_PX 8              /* room for a character of a key (legend) at 'sans,10', where */
#define GNUPLOT_CHAR_PX 7          /*   gnuplot reserves 7 px and pngcairo draws up to 7.8 (digits) */
#define TRADEOFF_NAME_PX 13        /* a line of the names on a trade-off's front (8 points), */
#define TRADEOFF_NAME_CHAR_PX 7    /*   and a character of them */
#define TRADEOFF_KEY_TITLE "collector (95% CIs)"
#define BARS_MAX_CONFIGS GCB_PLOT_BARS_MAX_CONFIGS
#define HEATMAP_ALPHA GCB_TABLE_ALPHA
#define HEATMAP_MAX_LOG2 3.0       /* colour range at most ratios 1/8..8; beyond, the end colours */
#define HEATMAP_CHAR_PX 8          /* layout of the heatmaps at 'sans,10': width of a character
                                      (pngcairo's are 7 px, its digits 7.8), */
#define HEATMAP_LINE_PX 16         /*   height of a line of text, */
#define HEATMAP_ROW_PX 22          /*   of a row, */
#define HEATMAP_MIN_CELL_PX 64     /*   least width of a column ("(0.99)!" fits), */
#define HEATMAP_KEY_LINES 16       /*   most lines of the key under the grid */
#define HEATMAP_PAUSE_ROW_PX 34    /* a row of gc_pauses_heatmap: the p99 at 10 points above the max at 8, */
#define PAUSE_NUM_SHIFT 0.18       /*   their offsets from the row's middle, in rows (down is +) */
#define PAUSE_SUB_SHIFT 0.25
_Static_assert(MIN_W <= MAX_W && MIN_H <= MAX_H, "canvas bounds");
_Static_assert(KEY_CHAR_PX >= GNUPLOT_CHAR_PX, "a key is made wider, never narrower, than gnuplot's");
_Static_assert(HEATMAP_ROW_PX > HEATMAP_LINE_PX, "a row holds its label with room to spare");
_Static_assert(HEATMAP_PAUSE_ROW_PX >= HEATMAP_LINE_PX + 16, "a pause row holds a line at 10 and one at 8 points");
_Static_assert(PAUSE_NUM_SHIFT < 0.5 && PAUSE_SUB_SHIFT < 0.5, "both lines of a pause cell stay in its row");
_Static_assert(HEATMAP_MAX_LOG2 >= 1, "the colour range covers at least 1/2..2");

/* One colour per allocator, one fill (bars) per collector. */
static const char *const __attribute__((unused)) colours[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };
#define NCOLOURS (sizeof colours / sizeof colours[0])
/* One colour per collector where the collectors are compared (the
 * timelines' column (b)): Okabe-Ito without its yellow (too light on white),
 * distinct for the common colour blindnesses and from every allocator's
 * colour above, then two more dark ones. */
static const char *const __attribute__((unused)) coll_colours[] = { "#000000", "#e69f00", "#56b4e9", "#009e73", "#0072b2",
                                            "#d55e00", "#cc79a7", "#999933", "#661100" };
#define NCOLL_COLOURS (sizeof coll_colours / sizeof coll_colours[0])
static const char *const __attribute__((unused)) fills[] = { "solid 0.85", "pattern 4", "pattern 5", "pattern 2",
                                     "solid 0.35", "pattern 6", "pattern 7", "pattern 1" };
#define NFILLS (sizeof fills / sizeof fills[0])
/* The heatmaps' diverging palette (ColorBrewer RdBu, readable with the
 * common colour blindnesses), worse (red) to better (blue). */
static const char *const __attribute__((unused)) heat_colours[] = { "#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7",
                                            "#d1e5f0", "#67a9cf", "#2166ac" };
#define HEATMAP_NCOLOURS ((int)(sizeof heat_colours / sizeof heat_colours[0]))
/* The pause heatmap's sequential palette (ColorBrewer YlOrRd), short to long. */
static const char *const __attribute__((unused)) pause_colours[] = { "#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c",
                                             "#fc4e2a", "#e31a1c", "#bd0026", "#800026" };
#define PAUSE_NCOLOURS ((int)(sizeof pause_colours / sizeof pause_colours[0]))

/* A figure file being written, in memory until its figure is added. */
typedef struct gcb__pending {
    char stem[300], ext[4];
    FILE *f;
    char *buf;
    size_t len;
    int done;                    /* closed without error */
} gcb__pending_t;
#define GCB__NPENDING 2          /* .dat, .gp */

typedef struct plotter {
    const gcb_rset_t *rs;
    const gcb_table_t *T;        /* every cell's statistics (bench/report/table.h) */
    const gcb_plot_opts_t *o;
    gcb_plot_out_t *out;
    const char *who;
    size_t cap;
    int write_failed;
    /* distinct allocators, and collectors with their distinguishing
     * parameters (coll_label), in series order: colour and fill/dash */
    size_t nalloc, ncoll;
    const char *alloc[256], *coll[256];
    size_t nconfigs;             /* configurations with an ok run: the bar figures' rule */
    gcb__pending_t pend[GCB__NPENDING];
} plotter_t;


/* What a workload's heading says after its name and common parameters:
 * nothing (figures with no baseline), or the baseline's median of the
 * metric, the unit of the ratios, with or without the baseline's name. */
typedef enum { HEAD_NAME, HEAD_BASE, HEAD_NAMED_BASE } heading_t;

/* Units a script scales the data file's seconds and bytes into (format.h). */
typedef gcb_unit_t unit_t;

/* ----------------------------------------------------------- heatmaps
 * The ratio heatmaps (fig_heatmap) and the pause heatmap (fig_pause_heatmap)
 * share their frame: the layout, the axes with their labels, the lines
 * between collectors, the key, and the cells' fill. */

/* What a heatmap cell shows (column 7 of every heatmap's data file). */
enum { HM_NO_CELL = 0, HM_VALUE = 1, HM_FAILED = 2, HM_NO_VALUE = 3 };

typedef struct hm_cell {
    int kind;
    size_t nok, nfail;
    double median;       /* the configuration's median of the metric */
    char text[32];       /* the number as printed, "fail", "n/a", "no pauses", or "" */
    /* the ratio heatmaps */
    int sig;             /* 1 p < alpha, 0 not (or too few runs to tell), -1 no ratio */
    double ratio, p;
    /* the pause heatmap, seconds: least and greatest per-run p99, longest pause */
    double lo, hi, max;
    size_t npaused;      /* ok runs that paused */
    char sub[32];        /* the small line under the number */
} hm_cell_t;

/* A heatmap's grid and the texts around it, in pixels of the canvas, so
 * that no two texts overlap: row labels on the left, workload headings on
 * top, the colour box on the right, the key (an item a line, wrapped at
 * words) under the grid.  Rows are series in series order: each
 * collector's configurations form a block, allocators within it. */
typedef struct hm_frame {
    size_t nrow, ncol;
    char (*rowlab)[GCB_LABEL_MAX + 16];
    const char **rowcoll;             /* each row's collector: a line between two blocks */
    char (*hdr)[1024];                /* column headings, lines joined by \n */
    int hdrlines, rowpx, cellw, left, right, top, bottom, w, h;
    char keylines[HEATMAP_KEY_LINES][512];
    size_t nkl;
} hm_frame_t;

/* "write.c" */
void gcb__say(const plotter_t *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gcb__skip(plotter_t *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
gcb_figure_t *gcb__add_figure(plotter_t *P, const char *stem, const char *title, const char *caption);
void gcb__sanitize(char *out, size_t n, const char *s);
FILE *gcb__open_file(plotter_t *P, const char *stem, const char *ext);
int gcb__close_file(plotter_t *P, FILE *f, const char *stem, const char *ext);
void gcb__pending_free(plotter_t *P);
void gcb__remove_figure(const plotter_t *P, const char *stem);
void gcb__dat_str(FILE *f, const char *s);
void gcb__gp_quoted(FILE *f, const char *s, char quote, char escape);
void gcb__dat_num(FILE *f, double v);
size_t gcb__index_of(const char *const *list, size_t n, const char *name);
const char *gcb__coll_label(const gcb_rcell_t *c);
int gcb__wl_heading(const plotter_t *P, size_t w, gcb_metric_t m, heading_t head, char *out, size_t n);
const gcb_rcell_t *gcb__series_cell(const gcb_rset_t *rs, const char *series);
const char *gcb__colour_of(const plotter_t *P, const char *alloc);
const char *gcb__fill_of(const plotter_t *P, const gcb_rcell_t *c);
const char *gcb__coll_colour_of(const plotter_t *P, const gcb_rcell_t *c);
void gcb__gp_begin(FILE *f, const plotter_t *P, const char *stem, const char *what, int w, int h);
void gcb__gp_key(FILE *g, const char *title, size_t chars);
size_t gcb__longest_label(const char (*series)[GCB_LABEL_MAX], const size_t *idx, size_t n);
size_t gcb__longest_line(const char *s);

/* The figures, in drawing order (and report.md's): X(NAME) for a
 * `void gcb__fig_NAME(plotter_t *P)` in the file of its family, which
 * makes every figure of that kind (one per workload, say) or says in
 * gcb__skip why none.  Adding a figure: its file (and meson line) and one
 * line here. */
#define GCB_FIGURES(X)                                                                                                \
    X(throughput)          /* bars.c */                                                                               \
    X(throughput_heatmap)  /* heatmap.c */                                                                            \
    X(peak_rss)            /* bars.c */                                                                               \
    X(peak_rss_heatmap)    /* heatmap.c */                                                                            \
    X(gc_pauses)           /* pauses.c */                                                                             \
    X(gc_pauses_heatmap)   /* pauses.c */                                                                             \
    X(timelines)           /* timeline.c: timeline_WORKLOAD */                                                        \
    X(sweeps)              /* sweep.c: sweep_KEY_WORKLOAD */                                                          \
    X(scaling)             /* scaling.c: scaling_WORKLOAD */                                                          \
    X(tradeoffs)           /* tradeoff.c: tradeoff_WORKLOAD */                                                        \
    X(tradeoff)            /* tradeoff.c: over all workloads */
#define GCB__FIG_DECL(name) void gcb__fig_##name(plotter_t *P);
GCB_FIGURES(GCB__FIG_DECL)
#undef GCB__FIG_DECL

/* "bars.c" */
int gcb__bars_readable(plotter_t *P, const char *stem);

/* "heatmap.c" */
void gcb__hm_layout(const plotter_t *P, hm_frame_t *F, const size_t *row, size_t nrow, heading_t head,
                      gcb_metric_t m, size_t cellchars, int rowpx, char (*key)[512], size_t nkey);
void gcb__hm_free(hm_frame_t *F);
int gcb__hm_drawable(plotter_t *P, const char *stem, size_t nrow, size_t ncol);
void gcb__hm_dat_names(FILE *d, const gcb_rset_t *rs, const size_t *row, size_t nrow);
void gcb__hm_dat_open(FILE *d, size_t r, size_t w, double colour, double value, const char *text);
void gcb__hm_dat_close(FILE *d, const char *series, const char *wl);
void gcb__hm_begin(FILE *g, const plotter_t *P, const char *stem, const char *title, const hm_frame_t *F);
void gcb__gp_palette(FILE *g, const char *const *colour, int n, int reversed);
void gcb__hm_plot_cells(FILE *g, const char *stem);

/* "gnuplot.c" */
int gcb__find_gnuplot(char *out, size_t n, char *why, size_t whylen);
int gcb__draw_begin(plotter_t *P, char *tmp, size_t n);
int gcb__draw(plotter_t *P, gcb_figure_t *f, int logfd, const char *tmp);
void gcb__draw_end(const char *tmp);

/* one-liners of the writer */
/* A string in a script: single quotes, literal except '' for a quote. */
static inline void gp_str(FILE *f, const char *s) { gcb__gp_quoted(f, s, '\'', '\''); }

/* In double quotes, where gnuplot reads the two characters \n as a line
 * break (wl_heading's); \" for a double quote. */
static inline void gp_dstr(FILE *f, const char *s) { gcb__gp_quoted(f, s, '"', '\\'); }

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static inline void gp_end(FILE *f) { fputs("unset output\n}\n", f); }

#endif
