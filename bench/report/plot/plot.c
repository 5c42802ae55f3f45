/*
 * bench/report/plot/plot.c - `gcbench plot`: the figures of a result directory, drawn
 * by gnuplot.
 *
 * For every figure two files are written into the plot directory
 * (DIR/plots by default): NAME.dat, the numbers, with comment lines saying
 * what each column is, and NAME.gp, a gnuplot script that reads NAME.dat
 * and writes NAME.png (pngcairo) and NAME.svg.  gnuplot is then run once
 * per script.  The scripts change to their own directory first, so a user
 * can edit one and re-run it by hand from anywhere (`gnuplot DIR/plots/NAME.gp`).
 * Without gnuplot the data files and scripts are still written, and the
 * command says so and exits GCB_EXIT_NOPLOT (docs/plots.md).
 *
 * The figures (docs/plots.md shows each):
 *   throughput, peak_rss   one group per workload, one bar per configuration,
 *                          relative to the baseline cell of that workload,
 *                          95% CI of the ratio as error bars; like gc_pauses,
 *                          only up to BARS_MAX_CONFIGS configurations or with
 *                          --bars (more bars are unreadable: the heatmaps
 *                          replace them);
 *   throughput_heatmap,    the same ratios as a grid, configurations (rows)
 *   peak_rss_heatmap       by workloads (columns), each cell coloured on a
 *                          log2 scale and labelled with its ratio, in
 *                          parentheses when the U test does not tell it from
 *                          the baseline; readable at any size, always drawn;
 *   gc_pauses              p50, p99 and max pause per collector (and the
 *                          parameters that tell its cells apart) per workload,
 *                          log scale, allocators pooled (a bar figure);
 *   gc_pauses_heatmap      median p99 pause (and the longest) of every
 *                          configuration that paused on every workload, log
 *                          colour scale; drawn whenever a run paused
 *                          (fig_pause_heatmap says why this design);
 *   timeline_WORKLOAD      live bytes and RSS over time, one line per cell,
 *                          (a) allocators under the baseline's collector and
 *                          (b) collectors under its allocator side by side,
 *                          each coloured by what it compares (fig_timeline
 *                          says why);
 *   sweep_KEY_WORKLOAD     a swept parameter on x, ops/s and peak RSS on two
 *                          y axes (only when the directory has a sweep);
 *   tradeoff_WORKLOAD      peak RSS against time, one point per cell, the
 *                          Pareto front drawn;
 *   tradeoff               the same over all workloads: geometric means of
 *                          time and RSS relative to the baseline.
 * gnuplot is found through GCBENCH_GNUPLOT (a path; "none" or empty: act
 * as if absent), then the path meson found (config.h GCB_GNUPLOT), then
 * PATH.  It runs with fork/exec, in the plot directory, its output
 * appended to gnuplot.log there.
 */
#include "bench/cli/cli.h"
#include "bench/report/plot/plot.h"
#include "bench/report/report.h"
#include "bench/resultdir/files.h"
#include "bench/analysis/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
#define BARS_MAX_CONFIGS 12        /* configurations the bar figures (throughput, peak_rss,
                                      gc_pauses) take; with more only the heatmaps are drawn,
                                      unless --bars */
#define HEATMAP_ALPHA 0.05         /* a cell differs from the baseline when the U test's p < this */
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
static const char *const colours[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };
#define NCOLOURS (sizeof colours / sizeof colours[0])
/* One colour per collector where the collectors are compared (the
 * timelines' column (b)): Okabe-Ito without its yellow (too light on white),
 * distinct for the common colour blindnesses and from every allocator's
 * colour above, then two more dark ones. */
static const char *const coll_colours[] = { "#000000", "#e69f00", "#56b4e9", "#009e73", "#0072b2",
                                            "#d55e00", "#cc79a7", "#999933", "#661100" };
#define NCOLL_COLOURS (sizeof coll_colours / sizeof coll_colours[0])
static const char *const fills[] = { "solid 0.85", "pattern 4", "pattern 5", "pattern 2",
                                     "solid 0.35", "pattern 6", "pattern 7", "pattern 1" };
#define NFILLS (sizeof fills / sizeof fills[0])
/* The heatmaps' diverging palette (ColorBrewer RdBu, readable with the
 * common colour blindnesses), worse (red) to better (blue). */
static const char *const heat_colours[] = { "#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7",
                                            "#d1e5f0", "#67a9cf", "#2166ac" };
#define HEATMAP_NCOLOURS ((int)(sizeof heat_colours / sizeof heat_colours[0]))
/* The pause heatmap's sequential palette (ColorBrewer YlOrRd), short to long. */
static const char *const pause_colours[] = { "#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c",
                                             "#fc4e2a", "#e31a1c", "#bd0026", "#800026" };
#define PAUSE_NCOLOURS ((int)(sizeof pause_colours / sizeof pause_colours[0]))

typedef struct plotter {
    const gcb_rset_t *rs;
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
} plotter_t;

static void say(const plotter_t *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const plotter_t *P, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gcbench: %s: ", P->who);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void skip(plotter_t *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skip(plotter_t *P, const char *fmt, ...)
{
    if (P->out->nskipped == sizeof P->out->skipped / sizeof P->out->skipped[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->out->skipped[P->out->nskipped++], sizeof P->out->skipped[0], fmt, ap);
    va_end(ap);
}

static gcb_figure_t *add_figure(plotter_t *P, const char *stem, const char *title, const char *caption)
{
    if (P->out->n == P->cap) {
        P->cap = P->cap ? 2 * P->cap : 32;
        P->out->fig = realloc(P->out->fig, P->cap * sizeof *P->out->fig);
    }
    gcb_figure_t *f = &P->out->fig[P->out->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->stem, sizeof f->stem, "%s", stem);
    snprintf(f->title, sizeof f->title, "%s", title);
    snprintf(f->caption, sizeof f->caption, "%s", caption);
    return f;
}

/* A file name part from a workload or parameter name. */
static void sanitize(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; *s && i + 1 < n; s++)
        out[i++] = (char)((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                                  *s == '-' || *s == '.'
                              ? *s
                              : '_');
    out[i] = '\0';
}

static FILE *open_file(plotter_t *P, const char *stem, const char *ext)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s.%s", P->out->outdir, stem, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        say(P, "cannot write '%s': %s", path, strerror(errno));
        P->write_failed = 1;
    }
    return f;
}

static int close_file(plotter_t *P, FILE *f, const char *stem, const char *ext)
{
    if (ferror(f) | (fclose(f) != 0)) {
        say(P, "cannot write '%s/%s.%s'", P->out->outdir, stem, ext);
        P->write_failed = 1;
        return -1;
    }
    return 0;
}

/* A figure not drawn this time (bars the heatmap replaces): its files from
 * an earlier `gcbench plot` would otherwise stand beside the new ones and
 * be taken for current.  Removed only when its script is one gcbench plot
 * wrote (gp_begin's second line), so a user's own files of that name stay. */
static void remove_figure(const plotter_t *P, const char *stem)
{
    char path[4400], head[512] = "";
    snprintf(path, sizeof path, "%s/%s.gp", P->out->outdir, stem);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(head, 1, sizeof head - 1, f);
    head[n] = '\0';
    fclose(f);
    if (!strstr(head, "# Written by `gcbench plot` from "))
        return;
    static const char *const ext[] = { "dat", "gp", "png", "svg" };
    for (size_t e = 0; e < sizeof ext / sizeof ext[0]; e++) {
        snprintf(path, sizeof path, "%s/%s.%s", P->out->outdir, stem, ext[e]);
        if (unlink(path) != 0 && errno != ENOENT)
            say(P, "warning: cannot remove '%s': %s", path, strerror(errno));
    }
}

/* A string in a data file: double quotes (gnuplot reads it as one column). */
static void dat_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

/* A string in a script between `quote`s, each one inside preceded by `escape`. */
static void gp_quoted(FILE *f, const char *s, char quote, char escape)
{
    fputc(quote, f);
    for (; *s; s++) {
        if (*s == quote)
            fputc(escape, f);
        fputc(*s, f);
    }
    fputc(quote, f);
}

/* A string in a script: single quotes, literal except '' for a quote. */
static void gp_str(FILE *f, const char *s) { gp_quoted(f, s, '\'', '\''); }

/* In double quotes, where gnuplot reads the two characters \n as a line
 * break (wl_heading's); \" for a double quote. */
static void gp_dstr(FILE *f, const char *s) { gp_quoted(f, s, '"', '\\'); }

static void dat_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs(" ?", f);
    else
        fprintf(f, " %.6g", v);
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static size_t index_of(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return i;
    return 0;
}

/* The style group of a cell (and the group its pauses belong to): collector plus the parameters that
 * tell the workload's cells apart (the series without its allocator). */
static const char *coll_label(const gcb_rcell_t *c)
{
    const char *slash = strchr(c->series, '/');
    return slash ? slash + 1 : c->series;
}

/* The cell of workload `wl` drawn as configuration `series`, or NULL. */
static const gcb_rcell_t *cell_at(const gcb_rset_t *rs, const char *wl, const char *series)
{
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].wl, wl) == 0 && strcmp(rs->cells[i].series, series) == 0)
            return &rs->cells[i];
    return NULL;
}

/* What a workload's heading says after its name and common parameters:
 * nothing (figures with no baseline), or the baseline's median of the
 * metric, the unit of the ratios, with or without the baseline's name. */
typedef enum { HEAD_NAME, HEAD_BASE, HEAD_NAMED_BASE } heading_t;

/* A workload's heading under (bars) or above (heatmap) its group: its
 * name, the parameters its cells share, and what `head` adds ("glibc/rc:
 * 83 M ops/s" named, "83 M ops/s" not).  Lines joined by the two characters
 * \n, which gnuplot reads as a line break in a data file's string and a
 * double-quoted one.  Returns the number of lines. */
static int wl_heading(const plotter_t *P, size_t w, gcb_metric_t m, heading_t head, char *out, size_t n)
{
    const gcb_rset_t *rs = P->rs;
    const char *base = P->o->baseline;
    const gcb_rcell_t *bc = NULL, *any = NULL;
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].wl, rs->wl[w]) == 0) {
            any = any ? any : &rs->cells[i];
            if (!bc && strcmp(rs->cells[i].base, base) == 0)
                bc = gcb_rset_base_cell(rs, &rs->cells[i], base);
        }
    size_t off = (size_t)snprintf(out, n, "%s", rs->wl[w]);
    int lines = 1;
    if (any && any->wl_params[0] && off < n) {
        off += (size_t)snprintf(out + off, n - off, "\\n%s", any->wl_params);
        lines++;
    }
    if (off >= n || head == HEAD_NAME)
        return lines;
    int named = head == HEAD_NAMED_BASE;
    if (bc && bc->n[m]) {
        char hv[64];
        gcb_rset_human(hv, sizeof hv, gcb_median(bc->v[m], bc->n[m]), m == GCB_M_RSS ? "B" : "");
        snprintf(out + off, n - off, "\\n%s%s%s%s", named ? base : "", named ? ": " : "", hv,
                 m == GCB_M_OPS ? " ops/s" : "");
    } else {
        snprintf(out + off, n - off, "\\n(no %s %s)", base, bc ? "value" : "cell");
    }
    return lines + 1;
}

/* Any cell drawn as `series` (they share allocator and collector). */
static const gcb_rcell_t *series_cell(const gcb_rset_t *rs, const char *series)
{
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].series, series) == 0)
            return &rs->cells[i];
    return NULL;
}

static const char *colour_of(const plotter_t *P, const char *alloc)
{
    return colours[index_of(P->alloc, P->nalloc, alloc) % NCOLOURS];
}

static const char *fill_of(const plotter_t *P, const gcb_rcell_t *c)
{
    return fills[index_of(P->coll, P->ncoll, coll_label(c)) % NFILLS];
}

/* A collector (with its parameters) in the timelines' collector column. */
static const char *coll_colour_of(const plotter_t *P, const gcb_rcell_t *c)
{
    return coll_colours[index_of(P->coll, P->ncoll, coll_label(c)) % NCOLL_COLOURS];
}

/* Units a script scales the data file's seconds and bytes into. */
typedef struct unit {
    double div;
    const char *name;
} unit_t;

static unit_t time_unit(double max_s)
{
    if (max_s < 1e-3)
        return (unit_t){ 1e-6, "us" };
    if (max_s < 1)
        return (unit_t){ 1e-3, "ms" };
    return (unit_t){ 1, "s" };
}

static unit_t byte_unit(double max_b)
{
    if (max_b < 1048576)
        return (unit_t){ 1024, "KiB" };
    if (max_b < 1073741824.0)
        return (unit_t){ 1048576, "MiB" };
    return (unit_t){ 1073741824.0, "GiB" };
}

/* The script's opening: where it comes from, how to re-run it, the
 * change to its own directory, and the loop over the two formats.  The
 * body follows; gp_end closes the loop. */
static void gp_begin(FILE *f, const plotter_t *P, const char *stem, const char *what, int w, int h)
{
    fprintf(f, "# %s.gp - %s\n", stem, what);
    fprintf(f, "# Written by `gcbench plot` from %s; the numbers are in %s.dat (its\n", P->rs->dir, stem);
    fprintf(f, "# comment lines say what each column is).  Edit freely and re-run with\n");
    fprintf(f, "#   gnuplot %s.gp\n", stem);
    fprintf(f, "# from any directory: it changes to its own, reads %s.dat and writes\n", stem);
    fprintf(f, "# %s.png and %s.svg.  `gcbench plot` overwrites this file.\n\n", stem, stem);
    fprintf(f, "_gp_d = ARG0; _gp_i = strlen(_gp_d)\n"
               "while (_gp_i > 0 && _gp_d[_gp_i:_gp_i] ne \"/\") { _gp_i = _gp_i - 1 }\n"
               "if (_gp_i > 1) { cd _gp_d[1:_gp_i-1] }\n"
               "if (_gp_i == 1) { cd \"/\" }\n\n");
    fprintf(f, "set encoding utf8\nset datafile missing '?'\n");
    fprintf(f, "do for [fmt in \"png svg\"] {\n");
    fprintf(f, "if (fmt eq \"png\") { set terminal pngcairo size %d,%d noenhanced font 'sans,10' }\n", w, h);
    fprintf(f, "if (fmt eq \"svg\") { set terminal svg size %d,%d noenhanced font 'sans,10' background '#ffffff' }\n",
            w, h);
    fprintf(f, "set output '%s.'.fmt\n", stem);
}

static void gp_end(FILE *f) { fputs("unset output\n}\n", f); }

/* A key (legend) right of the plot, entries after their samples, under
 * `title` (NULL: none), made wide enough for `chars` characters, its
 * longest entry or title: gnuplot reserves 7 px a character where pngcairo
 * draws up to 8 (digits 7.8), and a key too narrow is cut at the canvas's
 * edge. */
static void gp_key(FILE *g, const char *title, size_t chars)
{
    fputs("set key outside right top vertical Left reverse", g);
    if (title) {
        fputs(" title ", g);
        gp_str(g, title);
        chars = strlen(title) > chars ? strlen(title) : chars;
    }
    fprintf(g, " noenhanced width %zu\n", chars * (KEY_CHAR_PX - GNUPLOT_CHAR_PX) / GNUPLOT_CHAR_PX + 1);
}

/* The longest of the series labels `series[idx[k]]` (idx NULL: series[k]), k < n. */
static size_t longest_label(const char (*series)[GCB_LABEL_MAX], const size_t *idx, size_t n)
{
    size_t best = 0;
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(series[idx ? idx[k] : k]);
        best = l > best ? l : best;
    }
    return best;
}

/* ------------------------------------------------------------ figures */

/* The rule of the bar figures (throughput, peak_rss, gc_pauses): drawn
 * with at most BARS_MAX_CONFIGS configurations, or whatever their number
 * with --bars; otherwise not drawn, with the reason (the heatmap of the
 * same name shows them), and the figure's files from an earlier run are
 * removed.  One count for the three figures, so they come and go together. */
static int bars_readable(plotter_t *P, const char *stem)
{
    if (P->nconfigs <= BARS_MAX_CONFIGS || P->o->bars)
        return 1;
    skip(P, "%s: %zu configurations are too many bars per workload to read (at most %d); %s_heatmap shows them "
            "(--bars draws the bars anyway)",
         stem, P->nconfigs, BARS_MAX_CONFIGS, stem);
    remove_figure(P, stem);
    return 0;
}

/* Bars relative to the baseline: throughput (ops/s) and peak RSS. */
static void fig_relative(plotter_t *P, gcb_metric_t m, const char *stem)
{
    const gcb_rset_t *rs = P->rs;
    const char *base = P->o->baseline;
    int ops = m == GCB_M_OPS;
    /* series that have a value somewhere */
    size_t *used = malloc((rs->nseries + 1) * sizeof *used), nused = 0;
    for (size_t s = 0; s < rs->nseries; s++)
        for (size_t i = 0; i < rs->ncells; i++)
            if (strcmp(rs->cells[i].series, rs->series[s]) == 0 && rs->cells[i].n[m]) {
                used[nused++] = s;
                break;
            }
    if (!nused) {
        skip(P, "%s: no ok run has %s", stem, ops ? "ops/s" : "a peak RSS");
        free(used);
        return;
    }
    if (!bars_readable(P, stem)) {
        free(used);
        return;
    }
    FILE *d = open_file(P, stem, "dat");
    if (!d) {
        free(used);
        return;
    }
    fprintf(d, "# %s.dat - %s per workload relative to the baseline %s (written by gcbench plot from %s)\n", stem,
            ops ? "ops/s" : "peak RSS", base, rs->dir);
    fprintf(d, "# One row per workload.  Column 1: the workload, its common parameters and the baseline's median.\n"
               "# Then 5 columns per configuration: median / baseline median, 95%% interval low, high (Moses CI\n"
               "# of the ratio; with too few runs for it, the range of the runs over the baseline median),\n"
               "# the configuration's median (%s), ok runs.  '?' = no value.\n",
            ops ? "ops/s" : "bytes");
    for (size_t k = 0; k < nused; k++)
        fprintf(d, "# configuration %zu (columns %zu-%zu): %s\n", k + 1, 2 + 5 * k, 6 + 5 * k, rs->series[used[k]]);
    int ranges = 0, maxlines = 1;
    for (size_t w = 0; w < rs->nwl; w++) {
        char label[1024];
        int lines = wl_heading(P, w, m, HEAD_NAMED_BASE, label, sizeof label);
        maxlines = lines > maxlines ? lines : maxlines;
        /* the data file keeps \n as two characters; gnuplot turns them
         * into a line break in the tic label */
        fputc('"', d);
        fputs(label, d);
        fputc('"', d);
        for (size_t k = 0; k < nused; k++) {
            const gcb_rcell_t *c = cell_at(rs, rs->wl[w], rs->series[used[k]]);
            double lo = NAN, hi = NAN, r = NAN, med = NAN;
            const char *how = "none";
            size_t n = 0;
            if (c) {
                r = gcb_rset_ratio(c, gcb_rset_base_cell(rs, c, base), m, &lo, &hi, &how);
                med = c->n[m] ? gcb_median(c->v[m], c->n[m]) : NAN;
                n = c->n[m];
            }
            ranges |= strcmp(how, "range") == 0;
            if (isnan(r))
                lo = hi = NAN;
            if (isnan(lo))
                lo = hi = r;
            dat_num(d, r);
            dat_num(d, lo);
            dat_num(d, hi);
            dat_num(d, med);
            fprintf(d, " %zu", n);
        }
        fputc('\n', d);
    }
    close_file(P, d, stem, "dat");

    char title[512], caption[1024];
    snprintf(title, sizeof title, "%s per workload, relative to %s", ops ? "Throughput (ops/s)" : "Peak RSS", base);
    snprintf(caption, sizeof caption,
             "%s of each allocator/collector configuration divided by that of %s on the same workload "
             "(ratio of medians; %s is better). Error bars: 95%% confidence interval of the ratio%s.",
             ops ? "Median ops/s" : "Median peak resident set size", base, ops ? "higher" : "lower",
             ranges ? " (Moses); where too few runs allow none, the range of the runs" : " (Moses)");
    FILE *g = open_file(P, stem, "gp");
    if (!g)
        return;
    size_t nbars = rs->nwl * nused;
    int w = clampi(420 + (int)nbars * 16 + 40 * (int)rs->nwl, MIN_W, MAX_W);
    int h = clampi(220 + 18 * (int)nused + 14 * maxlines, MIN_H, MAX_H);
    gp_begin(g, P, stem, title, w, h);
    fputs("set title ", g);
    gp_str(g, title);
    fputs("\nset ylabel ", g);
    gp_str(g, ops ? "ops/s / baseline's (higher is better)" : "peak RSS / baseline's (lower is better)");
    fputs("\nset xlabel ", g);
    gp_str(g, "workload (and the baseline's median)");
    /* below the tic labels, which are several lines high */
    fprintf(g, " offset 0, %d", 1 - maxlines);
    fprintf(g, "\nset style data histogram\nset style histogram errorbars gap 2 lw 1\n"
               "set boxwidth 0.9 relative\nset yrange [0:*]\nset grid ytics\n"
               "set bmargin %d\n"
               "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb 'gray40' front\n",
            4 + maxlines);
    gp_key(g, "allocator/collector", longest_label(rs->series, used, nused));
    fputs("plot \\\n", g);
    for (size_t k = 0; k < nused; k++) {
        const gcb_rcell_t *c = series_cell(rs, rs->series[used[k]]);
        size_t col = 2 + 5 * k;
        if (k == 0)
            fprintf(g, "  '%s.dat' using %zu:%zu:%zu:xtic(1) title ", stem, col, col + 1, col + 2);
        else
            fprintf(g, "  '' using %zu:%zu:%zu title ", col, col + 1, col + 2);
        gp_str(g, rs->series[used[k]]);
        fprintf(g, " linecolor rgb '%s' fillstyle %s border linecolor rgb 'black'%s\n", colour_of(P, c->alloc),
                fill_of(P, c), k + 1 < nused ? ", \\" : "");
    }
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
    free(used);
}

/* A number to two significant digits without an exponent, as a heatmap
 * cell prints it: 0.093, 0.93, 1.2, 12, 150. */
static void fmt_sig2(char *buf, size_t n, double r)
{
    snprintf(buf, n, "%.2g", r);
    double v = strtod(buf, NULL);
    int dec = v > 0 ? 1 - (int)floor(log10(v)) : 0;
    snprintf(buf, n, "%.*f", dec < 0 ? 0 : dec, v);
}

/* The unit a duration of `s` seconds reads best in: 160 ns, 12 µs, 1.9 ms. */
static unit_t duration_unit(double s)
{
    static const unit_t units[] = { { 1, "s" }, { 1e-3, "ms" }, { 1e-6, "µs" }, { 1e-9, "ns" } };
    size_t u = 0;
    while (u + 1 < sizeof units / sizeof units[0] && s < units[u].div)
        u++;
    return units[u];
}

/* A duration in seconds to two significant digits in its unit, rounded
 * first so that 999.7 µs prints as 1.0 ms. */
static void fmt_duration(char *buf, size_t n, double s)
{
    char t[16]; /* "%.2g" of any double, "990" at most once in its unit */
    snprintf(t, sizeof t, "%.2g", s);
    double v = strtod(t, NULL);
    unit_t u = duration_unit(v);
    fmt_sig2(t, sizeof t, v / u.div);
    snprintf(buf, n, "%s %s", t, u.name);
}

/* The longest line of a heading whose lines are joined by \n. */
static size_t longest_line(const char *s)
{
    size_t best = 0, cur = 0;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            cur = 0;
            s++;
            continue;
        }
        best = ++cur > best ? cur : best;
    }
    return best;
}

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

/* Lay out the series `row` (nrow of them, top to bottom) by every
 * workload.  The headings hold what `head` says (the baseline's median of
 * m), and when they name the baseline its row is marked; `cellchars` is
 * the widest text of a cell in characters at 'sans,10', `rowpx` the height
 * of a row.  The key's items are wrapped (and consumed). */
static void hm_layout(const plotter_t *P, hm_frame_t *F, const size_t *row, size_t nrow, heading_t head,
                      gcb_metric_t m, size_t cellchars, int rowpx, char (*key)[512], size_t nkey)
{
    const gcb_rset_t *rs = P->rs;
    memset(F, 0, sizeof *F);
    F->nrow = nrow;
    F->ncol = rs->nwl;
    F->rowpx = rowpx;
    F->rowlab = malloc((nrow + 1) * sizeof *F->rowlab);
    F->rowcoll = malloc((nrow + 1) * sizeof *F->rowcoll);
    F->hdr = malloc((F->ncol + 1) * sizeof *F->hdr);
    size_t rowchars = 0, colchars = cellchars;
    for (size_t r = 0; r < nrow; r++) {
        const char *s = rs->series[row[r]];
        int base = head != HEAD_NAME && strcmp(s, P->o->baseline) == 0;
        snprintf(F->rowlab[r], sizeof F->rowlab[r], "%s%s", s, base ? " (baseline)" : "");
        F->rowcoll[r] = series_cell(rs, s)->coll;
        size_t l = strlen(F->rowlab[r]);
        rowchars = l > rowchars ? l : rowchars;
    }
    F->hdrlines = 1;
    for (size_t w = 0; w < F->ncol; w++) {
        int lines = wl_heading(P, w, m, head, F->hdr[w], sizeof F->hdr[w]);
        F->hdrlines = lines > F->hdrlines ? lines : F->hdrlines;
        size_t l = longest_line(F->hdr[w]);
        colchars = l > colchars ? l : colchars;
    }
    F->cellw = (int)colchars * HEATMAP_CHAR_PX + 14;
    F->cellw = F->cellw < HEATMAP_MIN_CELL_PX ? HEATMAP_MIN_CELL_PX : F->cellw;
    F->left = 24 + (int)rowchars * HEATMAP_CHAR_PX;
    F->right = 150;
    F->w = F->left + (int)F->ncol * F->cellw + F->right;
    F->w = F->w < MIN_W ? MIN_W : F->w;
    size_t perline = (size_t)(F->w - 40) / HEATMAP_CHAR_PX;
    for (size_t k = 0; k < nkey; k++) {
        size_t cur = 0;
        for (char *save = NULL, *word = strtok_r(key[k], " ", &save); word; word = strtok_r(NULL, " ", &save)) {
            if (cur == 0 || cur + 1 + strlen(word) > perline) {
                if (F->nkl == HEATMAP_KEY_LINES)
                    break;
                cur = (size_t)snprintf(F->keylines[F->nkl++], sizeof F->keylines[0], "%s", word);
            } else {
                cur += (size_t)snprintf(F->keylines[F->nkl - 1] + cur, sizeof F->keylines[0] - cur, " %s", word);
            }
        }
    }
    F->top = 40 + F->hdrlines * HEATMAP_LINE_PX + 10;
    F->bottom = 20 + (int)F->nkl * HEATMAP_LINE_PX;
    F->h = clampi(F->top + (int)nrow * rowpx + F->bottom, 300, 32000);
}

static void hm_free(hm_frame_t *F)
{
    free(F->rowlab);
    free(F->rowcoll);
    free(F->hdr);
}

/* A heatmap's data file, after the lines saying what its columns are: the
 * `# row` and `# column` lines naming the series `row` and the workloads. */
static void hm_dat_names(FILE *d, const gcb_rset_t *rs, const size_t *row, size_t nrow)
{
    for (size_t r = 0; r < nrow; r++)
        fprintf(d, "# row %zu: %s\n", r, rs->series[row[r]]);
    for (size_t w = 0; w < rs->nwl; w++)
        fprintf(d, "# column %zu: %s\n", w, rs->wl[w]);
}

/* A cell's line opens with its row and column, the number its colour
 * comes from (column 3), its value (4) and the text printed in it (5); the
 * figure's own columns follow, and hm_dat_close ends it with the
 * configuration and the workload. */
static void hm_dat_open(FILE *d, size_t r, size_t w, double colour, double value, const char *text)
{
    fprintf(d, "%zu %zu", r, w);
    dat_num(d, colour);
    dat_num(d, value);
    fputc(' ', d);
    dat_str(d, text);
}

static void hm_dat_close(FILE *d, const char *series, const char *wl)
{
    fputc(' ', d);
    dat_str(d, series);
    fputc(' ', d);
    dat_str(d, wl);
    fputc('\n', d);
}

/* The script up to the colours: the canvas, the title, the grid's place,
 * the headings (x2), the row labels (y), the lines between the collectors'
 * blocks, and the key. */
static void hm_begin(FILE *g, const plotter_t *P, const char *stem, const char *title, const hm_frame_t *F)
{
    gp_begin(g, P, stem, title, F->w, F->h);
    fputs("set title ", g);
    gp_str(g, title);
    /* gnuplot leaves room for one line of x2 tic labels, the headings have more */
    fprintf(g, " offset 0, %d font ',11'", F->hdrlines - 1);
    fprintf(g, "\n# the grid, in pixels of the %dx%d canvas: row labels, headings, colour box, key\n", F->w, F->h);
    fprintf(g, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n", (double)F->left / F->w,
            1 - (double)F->right / F->w);
    fprintf(g, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n", 1 - (double)F->top / F->h,
            (double)F->bottom / F->h);
    fprintf(g, "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\nunset border\nunset xtics\n", F->ncol - 1,
            F->nrow - 1);
    fputs("set link x2\nset x2tics scale 0 (", g);
    for (size_t c = 0; c < F->ncol; c++) {
        gp_dstr(g, F->hdr[c]);
        fprintf(g, " %zu%s", c, c + 1 < F->ncol ? ", " : ")\n");
    }
    fputs("set ytics scale 0 (", g);
    for (size_t r = 0; r < F->nrow; r++) {
        gp_str(g, F->rowlab[r]);
        fprintf(g, " %zu%s", r, r + 1 < F->nrow ? ", " : ")\n");
    }
    for (size_t r = 1; r < F->nrow; r++)
        if (strcmp(F->rowcoll[r - 1], F->rowcoll[r]) != 0)
            fprintf(g, "set arrow from -0.5, %zu.5 to %zu.5, %zu.5 nohead linewidth 2 linecolor rgb 'black' front\n",
                    r - 1, F->ncol - 1, r - 1);
    fputs("# the key, under the grid\n", g);
    for (size_t k = 0; k < F->nkl; k++) {
        fprintf(g, "set label %zu ", k + 1);
        gp_str(g, F->keylines[k]);
        fprintf(g, " at screen %.5f, screen %.5f left\n", 10.0 / F->w,
                (double)(F->bottom - 14 - (int)k * HEATMAP_LINE_PX) / F->h);
    }
}

/* `set palette defined` from n colours spread over the colour range, in
 * order or reversed. */
static void gp_palette(FILE *g, const char *const *colour, int n, int reversed)
{
    fputs("set palette defined (", g);
    for (int k = 0; k < n; k++)
        fprintf(g, "%g '%s'%s", 2.0 * k / (n - 1) - 1, colour[reversed ? n - 1 - k : k], k + 1 < n ? ", " : ")\n");
}

/* The start of the plot command: the cells of kind 1 filled from the
 * palette (column 3), of kinds 2 and 3 grey with their word (column 5);
 * the caller adds the numbers. */
static void hm_plot_cells(FILE *g, const char *stem)
{
    fputs("set style fill solid 1 border linecolor rgb 'white'\n"
          "# column 7: 1 a number, 2 every run failed, 3 no value, 0 no such cell (left blank)\n"
          "hasnum(kind) = kind == 1\nnonum(kind) = kind == 2 || kind == 3\n",
          g);
    fprintf(g, "plot '%s.dat' using (hasnum($7) ? $2 : NaN):1:(0.5):(0.5):3 with boxxy fillcolor palette notitle, \\\n",
            stem);
    fputs("  '' using (nonum($7) ? $2 : NaN):1:(0.5):(0.5) with boxxy fillcolor rgb '#d0d0d0' notitle, \\\n"
          "  '' using (nonum($7) ? $2 : NaN):1:5 with labels textcolor rgb '#303030' notitle, \\\n",
          g);
}

/* The heatmap of a metric relative to the baseline: one row per
 * configuration in series order (collector, then allocator), one column
 * per workload.  A cell is coloured by the log2 of its ratio of medians,
 * in a diverging palette centred at 1 whose "better" end is blue for both
 * metrics, and the ratio is printed in it: in parentheses when the U test
 * does not tell it from the baseline.  A cell with no ok run says "fail";
 * none is given a number it does not have. */
static void fig_heatmap(plotter_t *P, gcb_metric_t m, const char *figure)
{
    const gcb_rset_t *rs = P->rs;
    const char *base = P->o->baseline;
    int ops = m == GCB_M_OPS;
    size_t nrow = rs->nseries, ncol = rs->nwl;
    char stem[256];
    snprintf(stem, sizeof stem, "%s_heatmap", figure);
    hm_cell_t *cell = calloc(nrow * ncol + 1, sizeof *cell);
    size_t count[4] = { 0 }, partial = 0, untestable = 0;
    double maxl = 0;
    for (size_t r = 0; r < nrow; r++)
        for (size_t w = 0; w < ncol; w++) {
            hm_cell_t *h = &cell[r * ncol + w];
            const gcb_rcell_t *c = cell_at(rs, rs->wl[w], rs->series[r]);
            h->ratio = h->p = h->median = NAN;
            h->sig = -1;
            h->kind = !c ? HM_NO_CELL : !c->nok ? HM_FAILED : HM_VALUE;
            if (c) {
                h->nok = c->nok;
                h->nfail = c->nfail;
                h->median = c->n[m] ? gcb_median(c->v[m], c->n[m]) : NAN;
            }
            if (h->kind == HM_VALUE) {
                const gcb_rcell_t *b = gcb_rset_base_cell(rs, c, base);
                double lo, hi;
                const char *how;
                h->ratio = gcb_rset_ratio(c, b, m, &lo, &hi, &how);
                if (!(h->ratio > 0) || isinf(h->ratio)) {
                    h->kind = HM_NO_VALUE;
                    h->ratio = NAN;
                } else {
                    int can;
                    h->sig = gcb_rset_differs(c, b, m, HEATMAP_ALPHA, &h->p, &can) == 1;
                    untestable += c != b && !can;
                    partial += c->nfail > 0;
                    double l = fabs(log2(h->ratio));
                    maxl = l > maxl ? l : maxl;
                    fmt_sig2(h->text, sizeof h->text, h->ratio);
                }
            }
            if (h->kind == HM_FAILED || h->kind == HM_NO_VALUE)
                snprintf(h->text, sizeof h->text, "%s", h->kind == HM_FAILED ? "fail" : "n/a");
            count[h->kind]++;
        }
    if (!count[HM_VALUE]) {
        skip(P, "%s: no configuration has a %s ratio to %s on any workload", stem, ops ? "ops/s" : "peak RSS", base);
        free(cell);
        return;
    }

    FILE *d = open_file(P, stem, "dat");
    if (!d) {
        free(cell);
        return;
    }
    fprintf(d, "# %s.dat - %s of each configuration on each workload relative to the baseline %s\n"
               "# (written by gcbench plot from %s)\n",
            stem, ops ? "ops/s" : "peak RSS", base, rs->dir);
    fprintf(d, "# One line per cell of the grid.  Columns: 1 row (0 = top), 2 column (the workload),\n"
               "# 3 log2 of the ratio, 4 the ratio: the configuration's median / the baseline's median on the\n"
               "# workload, 5 the text in the cell (the ratio to 2 significant digits, 'fail': every run failed,\n"
               "# 'n/a': no value to compare, '': no such cell), 6 significant: 1 the two-sided Mann-Whitney U\n"
               "# test against the baseline's runs gives p < %g, 0 it does not (or there are too few runs for it\n"
               "# to), -1 no ratio, 7 kind: 1 ratio, 2 every run failed, 3 no value, 0 no such cell, 8 the U test's\n"
               "# p, 9 the configuration's median (%s), 10 ok runs, 11 failed runs, 12 the configuration,\n"
               "# 13 the workload.  '?' = no value.\n",
            HEATMAP_ALPHA, ops ? "ops/s" : "bytes");
    size_t *row = malloc((nrow + 1) * sizeof *row);
    for (size_t r = 0; r < nrow; r++)
        row[r] = r;
    hm_dat_names(d, rs, row, nrow);
    for (size_t r = 0; r < nrow; r++)
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &cell[r * ncol + w];
            hm_dat_open(d, r, w, log2(h->ratio), h->ratio, h->text);
            fprintf(d, " %d %d", h->sig, h->kind);
            dat_num(d, h->p);
            dat_num(d, h->median);
            fprintf(d, " %zu %zu", h->nok, h->nfail);
            hm_dat_close(d, rs->series[r], rs->wl[w]);
        }
    close_file(P, d, stem, "dat");

    char key[6][512];
    size_t nkey = 0;
    snprintf(key[nkey++], sizeof key[0],
             "Colour: the ratio on a log scale, blue better, red worse (%s is better).", ops ? "more ops/s" : "less RSS");
    snprintf(key[nkey++], sizeof key[0],
             "(1.0) in parentheses: not significantly different from %s (two-sided Mann-Whitney U test, p >= %g)%s.",
             base, HEATMAP_ALPHA, untestable ? ", or too few runs for the test to tell" : "");
    if (count[HM_FAILED])
        snprintf(key[nkey++], sizeof key[0], "fail: every run of the cell failed.");
    if (partial)
        snprintf(key[nkey++], sizeof key[0], "!: some runs failed; the ratio is of the ok runs.");
    if (count[HM_NO_VALUE])
        snprintf(key[nkey++], sizeof key[0], "n/a: no value to compare (no ok run of %s on the workload, or none "
                                             "measured %s).", base, ops ? "ops/s" : "peak RSS");
    if (count[HM_NO_CELL])
        snprintf(key[nkey++], sizeof key[0], "blank: the configuration did not run on the workload.");
    hm_frame_t F;
    hm_layout(P, &F, row, nrow, HEAD_BASE, m, 0, HEATMAP_ROW_PX, key, nkey);
    free(row);
    /* colour range: the largest |log2 ratio|, in halves, within [1, HEATMAP_MAX_LOG2] */
    double R = ceil(maxl * 2) / 2;
    R = R < 1 ? 1 : R > HEATMAP_MAX_LOG2 ? HEATMAP_MAX_LOG2 : R;

    char title[512], caption[1024];
    snprintf(title, sizeof title, "%s relative to %s, per configuration and workload",
             ops ? "Throughput (ops/s)" : "Peak RSS", base);
    snprintf(caption, sizeof caption,
             "%s of each allocator/collector configuration (row) on each workload (column) divided by that of %s "
             "on the same workload, printed in the cell and coloured on a log scale centred at 1: blue is better "
             "(%s), red worse. In parentheses: not significantly different from %s (two-sided Mann-Whitney U test, "
             "p >= %g, as `gcbench compare`)%s%s.",
             ops ? "Median ops/s" : "Median peak resident set size", base, ops ? "more ops/s" : "less memory", base,
             HEATMAP_ALPHA, count[HM_FAILED] ? "; fail: every run of the cell failed" : "",
             partial ? "; !: some runs failed" : "");
    FILE *g = open_file(P, stem, "gp");
    if (!g) {
        hm_free(&F);
        free(cell);
        return;
    }
    hm_begin(g, P, stem, title, &F);
    fprintf(g, "# colours: log2 of the ratio from -R to R (ratios 1/2^R to 2^R); beyond, the end colours.\n"
               "# Blue is better: %s ratios for %s.\n"
               "R = %g\nset cbrange [-R:R]\n",
            ops ? "high" : "low", ops ? "ops/s" : "peak RSS", R);
    gp_palette(g, heat_colours, HEATMAP_NCOLOURS, !ops);
    fputs("set cbtics scale 0.5 (", g);
    /* tics at powers of 2 (and their square roots in a narrow range) */
    double step = R <= 1.5 ? 0.5 : 1, x0 = -floor(R / step) * step;
    for (double x = x0; x <= -x0 + 1e-9; x += step) {
        char t[16];
        snprintf(t, sizeof t, "%.3g", exp2(x));
        gp_str(g, t);
        fprintf(g, " %g%s", x, x + step <= -x0 + 1e-9 ? ", " : ")\n");
    }
    fputs("set cblabel ", g);
    char cbl[GCB_LABEL_MAX + 64];
    snprintf(cbl, sizeof cbl, "%s / %s's (log scale)", ops ? "ops/s" : "peak RSS", base);
    gp_str(g, cbl);
    fputs("\n# the text: white on the dark ends, black elsewhere; not significant: in parentheses and greyer;\n"
          "# ! when some runs failed\n"
          "ink(l, sig) = abs(l) > 0.6 * R ? (sig == 1 ? 0xffffff : 0xe8e8e8) : (sig == 1 ? 0x000000 : 0x5a5a5a)\n"
          "txt(s, sig, nfail) = (sig == 1 ? s : '('.s.')').(nfail > 0 ? '!' : '')\n",
          g);
    hm_plot_cells(g, stem);
    fputs("  '' using (hasnum($7) ? $2 : NaN):1:(txt(stringcolumn(5), $6, $11)):(ink($3, $6)) with labels \\\n"
          "     textcolor rgb variable notitle\n",
          g);
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
    hm_free(&F);
    free(cell);
}

/* gc_pauses_heatmap: how long each collector pauses on each workload, and
 * whether the allocator changes it.
 *
 * Design.  A grid like the ratio heatmaps, not small multiples: one row
 * per configuration, one column per workload, each cell the median over
 * the runs of each run's p99 pause, printed to 2 significant digits in
 * ns, µs, ms or s and coloured on a log scale (the collectors' pauses
 * span five decades, 160 ns to 16 ms in the reference run), with the
 * longest pause of any run in small text under it.  Rows are grouped by
 * collector, allocators within each block (the series order): the
 * collectors are what a reader compares, so each block is one policy, and
 * whether the allocator changes its pauses reads as the spread of colours
 * inside the block (a uniform block: it does not).  Grouping by allocator
 * would scatter one collector's rows over eight blocks.  The rows are in
 * the order of throughput_heatmap and peak_rss_heatmap, so a
 * configuration's pauses stand where its throughput and memory do.  Small
 * multiples (one panel of bars per collector) would need an axis per
 * panel to show both gen's 1 µs and lazy's 16 ms, which hides the very
 * comparison between collectors, and would not print the numbers.
 *
 * No made-up numbers: configurations none of whose runs paused (rc never
 * collects) are left out and named in the key; in a row kept, a cell
 * whose ok runs never paused says "no pauses" and one whose runs all
 * failed "fail", on grey; a configuration that did not run on a workload
 * leaves its cell blank.  The palette is sequential, light for short and
 * dark for long, as a pause has no neutral value to diverge from. */
static void fig_pause_heatmap(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *stem = "gc_pauses_heatmap";
    size_t nser = rs->nseries, ncol = rs->nwl;
    hm_cell_t *cell = calloc(nser * ncol + 1, sizeof *cell);
    size_t *row = malloc((nser + 1) * sizeof *row), nrow = 0;
    size_t count[4] = { 0 }, partial = 0, unpaused = 0, cellchars = strlen("no pauses");
    double lo = INFINITY, hi = 0;
    char omitted[2048] = "";
    char *left_out = calloc(nser + 1, 1);
    for (size_t s = 0; s < nser; s++) {
        hm_cell_t *line = &cell[nrow * ncol];
        int keep = 0;
        for (size_t w = 0; w < ncol; w++) {
            hm_cell_t *h = &line[w];
            const gcb_rcell_t *c = cell_at(rs, rs->wl[w], rs->series[s]);
            memset(h, 0, sizeof *h);
            h->median = h->lo = h->hi = h->max = NAN;
            h->kind = !c ? HM_NO_CELL : !c->nok ? HM_FAILED : !c->n[GCB_M_P99] ? HM_NO_VALUE : HM_VALUE;
            keep |= h->kind == HM_FAILED || h->kind == HM_VALUE;
            if (!c)
                continue;
            h->nok = c->nok;
            h->nfail = c->nfail;
            h->npaused = c->n[GCB_M_P99];
            if (h->kind != HM_VALUE) {
                snprintf(h->text, sizeof h->text, "%s", h->kind == HM_FAILED ? "fail" : "no pauses");
                continue;
            }
            /* seconds, from the record's ns */
            h->median = gcb_median(c->v[GCB_M_P99], c->n[GCB_M_P99]) / 1e9;
            h->lo = INFINITY;
            h->hi = 0;
            for (size_t k = 0; k < c->n[GCB_M_P99]; k++) {
                h->lo = fmin(h->lo, c->v[GCB_M_P99][k] / 1e9);
                h->hi = fmax(h->hi, c->v[GCB_M_P99][k] / 1e9);
            }
            for (size_t k = 0; k < c->n[GCB_M_PMAX]; k++)
                h->max = isnan(h->max) ? c->v[GCB_M_PMAX][k] / 1e9 : fmax(h->max, c->v[GCB_M_PMAX][k] / 1e9);
            char t[24];
            fmt_duration(t, sizeof t, h->median);
            snprintf(h->text, sizeof h->text, "%s%s%s", t, h->npaused < h->nok ? "*" : "", h->nfail ? "!" : "");
            if (!isnan(h->max)) {
                fmt_duration(t, sizeof t, h->max);
                snprintf(h->sub, sizeof h->sub, "max %s", t);
            }
            /* the small line is drawn at 8 points: 4/5 of a character */
            size_t chars = strlen(h->text), subchars = (strlen(h->sub) * 4 + 4) / 5;
            chars = subchars > chars ? subchars : chars;
            cellchars = chars > cellchars ? chars : cellchars;
        }
        if (!keep) {
            size_t off = strlen(omitted);
            snprintf(omitted + off, sizeof omitted - off, "%s%s", off ? ", " : "", rs->series[s]);
            left_out[s] = 1;
            continue;
        }
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &line[w];
            count[h->kind]++;
            partial += h->kind == HM_VALUE && h->nfail > 0;
            unpaused += h->kind == HM_VALUE && h->npaused < h->nok;
            if (h->kind == HM_VALUE && h->median > 0) {
                lo = fmin(lo, h->median);
                hi = fmax(hi, h->median);
            }
        }
        row[nrow++] = s;
    }
    /* the rows left out, for the key: a collector none of whose
     * configurations paused by its name alone ("rc"), others one by one */
    char nopause[1024] = "";
    for (size_t s = 0; s < nser; s++) {
        if (!left_out[s])
            continue;
        const char *coll = series_cell(rs, rs->series[s])->coll;
        int whole = 1, first = 1;
        for (size_t t = 0; t < nser; t++)
            if (strcmp(series_cell(rs, rs->series[t])->coll, coll) == 0) {
                whole &= left_out[t];
                first &= !(t < s && left_out[t]);
            }
        if (whole && !first)
            continue;
        size_t off = strlen(nopause);
        snprintf(nopause + off, sizeof nopause - off, "%s%s%s", off ? ", " : "", whole ? coll : rs->series[s],
                 whole ? " (every allocator)" : "");
    }
    free(left_out);
    if (!count[HM_VALUE]) {
        skip(P, "%s: no collection paused in this result directory (%s: no pauses)", stem,
             nopause[0] ? nopause : "no configuration");
        free(row);
        free(cell);
        return;
    }

    FILE *d = open_file(P, stem, "dat");
    if (!d) {
        free(row);
        free(cell);
        return;
    }
    fprintf(d, "# %s.dat - GC pauses of each configuration on each workload (written by gcbench plot from %s)\n",
            stem, rs->dir);
    fprintf(d, "# One line per cell of the grid.  Columns: 1 row (0 = top), 2 column (the workload),\n"
               "# 3 log10 of the p99 pause, 4 the p99 pause: the median over the ok runs that paused of each\n"
               "# run's gc.pause_ns.p99, in seconds, 5 the text in the cell (the p99 pause to 2 significant\n"
               "# digits; * when only some ok runs paused, ! when some runs failed; 'fail': every run failed,\n"
               "# 'no pauses': no ok run paused, '': no such cell), 6 the small text under it, 7 kind: 1 pauses,\n"
               "# 2 every run failed, 3 no run paused, 0 no such cell, 8 the longest pause of any ok run\n"
               "# (gc.pause_ns.max, s), 9 and 10 the least and greatest per-run p99 (s), 11 ok runs that paused,\n"
               "# 12 ok runs, 13 failed runs, 14 the configuration, 15 the workload.  '?' = no value.\n"
               "# Configurations with no pause on any workload have no row: %s\n",
            omitted[0] ? omitted : "(none)");
    hm_dat_names(d, rs, row, nrow);
    for (size_t r = 0; r < nrow; r++)
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &cell[r * ncol + w];
            hm_dat_open(d, r, w, h->median > 0 ? log10(h->median) : NAN, h->median, h->text);
            fputc(' ', d);
            dat_str(d, h->sub);
            fprintf(d, " %d", h->kind);
            dat_num(d, h->max);
            dat_num(d, h->lo);
            dat_num(d, h->hi);
            fprintf(d, " %zu %zu %zu", h->npaused, h->nok, h->nfail);
            hm_dat_close(d, rs->series[row[r]], rs->wl[w]);
        }
    close_file(P, d, stem, "dat");

    char key[7][512];
    size_t nkey = 0;
    snprintf(key[nkey++], sizeof key[0],
             "Each cell: the median over the runs of each run's p99 pause, coloured on a log scale (darker is "
             "longer); under it, the longest pause of any run.");
    if (nopause[0])
        snprintf(key[nkey++], sizeof key[0], "No row: %s; no run paused on any workload.", nopause);
    if (count[HM_NO_VALUE])
        snprintf(key[nkey++], sizeof key[0], "no pauses: no run of the cell collected.");
    if (unpaused)
        snprintf(key[nkey++], sizeof key[0], "*: only some ok runs paused; the numbers are of those.");
    if (count[HM_FAILED])
        snprintf(key[nkey++], sizeof key[0], "fail: every run of the cell failed.");
    if (partial)
        snprintf(key[nkey++], sizeof key[0], "!: some runs failed; the numbers are of the ok runs.");
    if (count[HM_NO_CELL])
        snprintf(key[nkey++], sizeof key[0], "blank: the configuration did not run on the workload.");
    hm_frame_t F;
    hm_layout(P, &F, row, nrow, HEAD_NAME, GCB_M_P99, cellchars, HEATMAP_PAUSE_ROW_PX, key, nkey);
    /* colour range: half decades around the medians, at least one decade */
    double clo = floor(2 * log10(lo)) / 2, chi = ceil(2 * log10(hi)) / 2;
    chi = chi >= clo + 1 ? chi : clo + 1;

    char title[512], caption[1024];
    snprintf(title, sizeof title, "GC pauses: p99 per configuration and workload (median over runs, log colour scale)");
    snprintf(caption, sizeof caption,
             "The median over the runs of each run's 99th-percentile collection pause (the record's gc.pause_ns.p99), "
             "per configuration (row, grouped by collector) and workload (column), printed and coloured on a log "
             "scale, darker is longer; under it, in small text, the longest pause of any run. Within a collector's "
             "block, the rows differ only by allocator.%s%s%s%s%s",
             nopause[0] ? " Left out, as no run paused: " : "", nopause, nopause[0] ? "." : "",
             count[HM_NO_VALUE] ? " no pauses: the cell's runs never collected." : "",
             count[HM_FAILED] ? " fail: every run of the cell failed." : "");
    FILE *g = open_file(P, stem, "gp");
    if (!g) {
        hm_free(&F);
        free(row);
        free(cell);
        return;
    }
    hm_begin(g, P, stem, title, &F);
    fprintf(g, "# colours: log10 of the p99 pause in seconds, from lo to hi (beyond, the end colours)\n"
               "lo = %g; hi = %g\nset cbrange [lo:hi]\n",
            clo, chi);
    gp_palette(g, pause_colours, PAUSE_NCOLOURS, 0);
    /* tics at the powers of 10 in the range */
    fputs("set cbtics scale 0.5 (", g);
    for (double x = ceil(clo); x <= chi + 1e-9; x++) {
        unit_t u = duration_unit(pow(10, x));
        char t[32];
        snprintf(t, sizeof t, "%g %s", pow(10, x) / u.div, u.name);
        gp_str(g, t);
        fprintf(g, " %g%s", x, x + 1 <= chi + 1e-9 ? ", " : ")\n");
    }
    fputs("set cblabel 'p99 pause (log scale)'\n"
          "# the text: white on the dark end, black elsewhere; the longest pause smaller and lighter\n"
          "dark(l) = (l - lo) / (hi - lo) > 0.6\n"
          "ink(l) = dark(l) ? 0xffffff : 0x000000\nsubink(l) = dark(l) ? 0xf0f0f0 : 0x505050\n",
          g);
    hm_plot_cells(g, stem);
    fprintf(g, "  '' using (hasnum($7) ? $2 : NaN):($1 - %.2f):5:(ink($3)) with labels textcolor rgb variable notitle, \\\n"
               "  '' using (hasnum($7) ? $2 : NaN):($1 + %.2f):6:(subink($3)) with labels font ',8' \\\n"
               "     textcolor rgb variable notitle\n",
            PAUSE_NUM_SHIFT, PAUSE_SUB_SHIFT);
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
    hm_free(&F);
    free(row);
    free(cell);
}

/* p50, p99 and max pause per collector configuration and workload, every
 * allocator pooled, as bars; under the bar figures' rule (gc_pauses_heatmap
 * shows any number of configurations). */
static void fig_pauses(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *stem = "gc_pauses";
    if (!bars_readable(P, stem))
        return;
    FILE *d = open_file(P, stem, "dat");
    if (!d)
        return;
    fprintf(d, "# gc_pauses.dat - GC pause times per collector and workload (written by gcbench plot from %s)\n",
            rs->dir);
    fprintf(d, "# One row per collector configuration x workload whose runs paused, every allocator pooled.\n"
               "# Columns: label, p50 and p99 in microseconds (median over the runs of the per-run percentile),\n"
               "# max in microseconds (the largest of any run), runs.\n");
    size_t rows = 0;
    char nopause[1024] = "";
    size_t npoff = 0;
    for (size_t w = 0; w < rs->nwl; w++) {
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, rs->wl[w]) != 0)
                continue;
            /* first cell of this label in this workload? */
            int first = 1;
            for (size_t j = 0; j < i && first; j++)
                if (strcmp(rs->cells[j].wl, c->wl) == 0 && strcmp(coll_label(&rs->cells[j]), coll_label(c)) == 0)
                    first = 0;
            if (!first)
                continue;
            size_t n = 0;
            for (size_t j = i; j < rs->ncells; j++)
                if (strcmp(rs->cells[j].wl, c->wl) == 0 && strcmp(coll_label(&rs->cells[j]), coll_label(c)) == 0)
                    n += rs->cells[j].n[GCB_M_P99];
            if (n == 0) {
                if (!strstr(nopause, c->coll) && npoff < sizeof nopause)
                    npoff += (size_t)snprintf(nopause + npoff, sizeof nopause - npoff, "%s%s", npoff ? ", " : "",
                                              c->coll);
                continue;
            }
            double *v[3];
            size_t k[3] = { 0, 0, 0 };
            gcb_metric_t ms[3] = { GCB_M_P50, GCB_M_P99, GCB_M_PMAX };
            for (int q = 0; q < 3; q++)
                v[q] = malloc(n * sizeof(double) + sizeof(double));
            for (size_t j = i; j < rs->ncells; j++) {
                const gcb_rcell_t *x = &rs->cells[j];
                if (strcmp(x->wl, c->wl) != 0 || strcmp(coll_label(x), coll_label(c)) != 0)
                    continue;
                for (int q = 0; q < 3; q++)
                    for (size_t t = 0; t < x->n[ms[q]] && k[q] < n; t++)
                        v[q][k[q]++] = x->v[ms[q]][t];
            }
            double mx = 0;
            for (size_t t = 0; t < k[2]; t++)
                mx = v[2][t] > mx ? v[2][t] : mx;
            char label[1024];
            snprintf(label, sizeof label, "%s\\n%s", coll_label(c), c->wl);
            fputc('"', d);
            fputs(label, d);
            fputc('"', d);
            dat_num(d, gcb_median(v[0], k[0]) / 1e3);
            dat_num(d, gcb_median(v[1], k[1]) / 1e3);
            dat_num(d, k[2] ? mx / 1e3 : NAN);
            fprintf(d, " %zu\n", k[1]);
            rows++;
            for (int q = 0; q < 3; q++)
                free(v[q]);
        }
    }
    close_file(P, d, stem, "dat");
    /* collectors that paused somewhere are not "never paused" */
    char title[512], caption[1024];
    snprintf(title, sizeof title, "GC pauses per collector and workload (log scale)");
    snprintf(caption, sizeof caption,
             "Pause times of each collector on each workload, all allocators pooled: p50 and p99 are the median "
             "over runs of each run's percentile, max the longest pause of any run.%s%s%s",
             nopause[0] ? " Collectors with no pause in a workload are left out (" : "", nopause,
             nopause[0] ? ")." : "");
    FILE *g = open_file(P, stem, "gp");
    if (!g)
        return;
    int w = clampi(420 + (int)rows * 60, MIN_W, MAX_W);
    gp_begin(g, P, stem, title, w, MIN_H);
    fputs("set title ", g);
    gp_str(g, title);
    fputs("\nset ylabel ", g);
    gp_str(g, "pause (microseconds, log scale)");
    fputs("\nset xlabel ", g);
    gp_str(g, "collector (and parameters) / workload");
    fputs(" offset 0, -1", g);
    if (rows == 0) {
        fputs("\nset label 1 ", g);
        char msg[1200];
        snprintf(msg, sizeof msg, "no collection paused in this result directory (%s: no pauses)",
                 nopause[0] ? nopause : "no collector");
        gp_str(g, msg);
        fputs(" at graph 0.5, graph 0.5 center\nset logscale y\nset xrange [0:1]\nset yrange [1:1000]\n"
              "unset xtics\nplot NaN notitle\n",
              g);
    } else {
        fputs("\nset style data histogram\nset style histogram clustered gap 2\n"
              "set style fill solid 0.85 border linecolor rgb 'black'\nset logscale y\nset grid ytics mytics\n"
              "set key outside right top vertical title 'pause' noenhanced\nset bmargin 6\n",
              g);
        fprintf(g, "plot '%s.dat' using 2:xtic(1) title 'p50' linecolor rgb '%s', \\\n", stem, colours[0]);
        fprintf(g, "  '' using 3 title 'p99' linecolor rgb '%s', \\\n", colours[1]);
        fprintf(g, "  '' using 4 title 'max' linecolor rgb '%s'\n", colours[3]);
    }
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
}

/* Live bytes and RSS over time, per workload: timeline_WORKLOAD.
 *
 * Design.  One line per cell told apart by colour alone stops working past
 * half a dozen lines, and one figure mixing two comparisons (every
 * allocator under rc, and glibc under every collector) had to give one of
 * them a single colour and tell its lines apart by dashes only, which
 * nobody can read.  So the figure holds two comparisons side by side, each
 * a column of two panels on the same time axis (live bytes above, RSS
 * below), and each uses colour for the thing it compares:
 *   (a) every allocator under the baseline's collector, coloured by
 *       allocator (the bar figures' colours, `colours`);
 *   (b) every collector under the baseline's allocator, coloured by
 *       collector from a palette of its own (`coll_colours`, Okabe-Ito:
 *       distinct for the common colour blindnesses, none of them an
 *       allocator's colour, so (a) and (b) are never confused).
 * One figure rather than two: the reader sees both comparisons at once on
 * one time axis, and the report keeps one figure per workload.  Within a
 * column, each line also gets its own dash pattern and point marker (by
 * its place in the column), so the figure reads in grey and two lines that
 * lie on each other still show both markers; the markers of successive
 * lines are staggered along the line for the same reason.  The y axes are
 * each panel's own: (b) compares collectors with each other, and the
 * baseline cell, drawn in both columns, is the bridge between them.  The
 * key sits right of each column's top panel and serves both of its panels
 * (the margins are fixed in screen coordinates, so the two panels of a
 * column align and nothing of the key reaches the next column).
 *
 * A column with a single line is left out (it is the baseline cell, drawn
 * in the other); cells in neither column (pool under gen, say) are not
 * drawn (the caption says so; --timeline draws them).  With --timeline the chosen
 * cells make one column, coloured by allocator when they share a
 * collector, by collector when they share an allocator, else line by
 * line. */
#define TL_MAX_PANELS 2
typedef enum { TL_BY_ALLOC, TL_BY_COLL, TL_BY_LINE } tl_colour_by_t;
typedef struct tl_panel {
    char what[256];          /* "allocators under rc", ... (the column's title after its letter) */
    tl_colour_by_t by;
    size_t n;
    const gcb_rcell_t *c[TIMELINE_MAX_CELLS];
} tl_panel_t;

/* A line's second and third cues, by its place in its column. */
static const char *const tl_dashes[] = { "1", "(10,5)", "(3,4)", "(14,4,3,4)", "(6,3,2,3,2,3)", "(18,6)",
                                         "(2,6)", "(10,3,3,3,3,3)" };
#define TL_NDASHES (sizeof tl_dashes / sizeof tl_dashes[0])
static const int tl_points[] = { 7, 5, 9, 13, 6, 4, 8, 12, 11, 1, 2 };
#define TL_NPOINTS (sizeof tl_points / sizeof tl_points[0])
_Static_assert(TL_NDASHES * TL_NPOINTS >= TIMELINE_MAX_CELLS, "a column's lines differ in dash or marker");
#define TL_MARKS 6               /* point markers along each line */
#define TL_COL_W 560             /* a column's plot area, pixels, */
#define TL_PANEL_H 330           /*   a panel's, */
#define TL_LEFT_PX 80            /*   room for the y tics and label, */
#define TL_TOP_PX 70             /*   for the figure's and the column's titles, */
#define TL_MID_PX 40             /*   between the two panels, */
#define TL_BOTTOM_PX 60          /*   under the lower panel (tics, label) */

static const char *tl_colour(const plotter_t *P, const tl_panel_t *p, size_t k)
{
    switch (p->by) {
    case TL_BY_ALLOC: return colour_of(P, p->c[k]->alloc);
    case TL_BY_COLL: return coll_colour_of(P, p->c[k]);
    default: return colours[k % NCOLOURS];
    }
}

/* A line's name in its column's key: what the column compares (the
 * allocator with the parameters that tell the cells apart, or the
 * collector with them), the whole series when it compares cells. */
static void tl_label(const tl_panel_t *p, size_t k, char *out, size_t n)
{
    const gcb_rcell_t *c = p->c[k];
    const char *params = strchr(coll_label(c), ' ');
    if (p->by == TL_BY_ALLOC)
        snprintf(out, n, "%s%s", c->alloc, params ? params : "");
    else if (p->by == TL_BY_COLL)
        snprintf(out, n, "%s", coll_label(c));
    else
        snprintf(out, n, "%s", c->series);
}

static int tl_add(tl_panel_t *p, const gcb_rcell_t *c)
{
    if (p->n == TIMELINE_MAX_CELLS)
        return -1;
    p->c[p->n++] = c;
    return 0;
}

static int has_timeline(const gcb_rcell_t *c)
{
    return json_array_size(json_object_get(json_object_get(c->median_run, "timeline"), "points")) > 0;
}

static void fig_timeline(plotter_t *P, size_t w, size_t *matched)
{
    const gcb_rset_t *rs = P->rs;
    const char *wl = rs->wl[w];
    tl_panel_t pan[TL_MAX_PANELS];
    memset(pan, 0, sizeof pan);
    size_t npan = 0, dropped = 0, neither = 0;
    char balloc[GCB_LABEL_MAX], bcoll[GCB_LABEL_MAX];
    snprintf(balloc, sizeof balloc, "%s", P->o->baseline);
    char *slash = strchr(balloc, '/');
    snprintf(bcoll, sizeof bcoll, "%s", slash ? slash + 1 : "");
    if (slash)
        *slash = '\0';
    if (P->o->ntimeline == 0) {
        /* (a) allocators under the baseline's collector, (b) collectors under its allocator */
        tl_panel_t *a = &pan[0], *b = &pan[1];
        a->by = TL_BY_ALLOC;
        b->by = TL_BY_COLL;
        snprintf(a->what, sizeof a->what, "allocators under %s", bcoll);
        snprintf(b->what, sizeof b->what, "collectors under %s", balloc);
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, wl) != 0 || !has_timeline(c))
                continue;
            int ina = strcmp(c->coll, bcoll) == 0, inb = strcmp(c->alloc, balloc) == 0;
            neither += !ina && !inb;
            if ((ina && tl_add(a, c)) | (inb && tl_add(b, c)))
                dropped++;
        }
        /* a column of one line repeats a line of the other */
        if (a->n < 2 && b->n >= 2)
            pan[0] = pan[1], b->n = 0;
        npan = pan[0].n > 0 ? 1 : 0;
        npan += pan[1].n >= 2;
    }
    if (npan == 0) {
        /* the chosen cells, or (no cell of the baseline's allocator or collector) every cell */
        tl_panel_t *p = &pan[0];
        memset(p, 0, sizeof *p);
        neither = 0;
        dropped = 0;
        const char *a0 = NULL, *c0 = NULL;
        int same_a = 1, same_c = 1;
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, wl) != 0)
                continue;
            int want = P->o->ntimeline == 0;
            for (size_t k = 0; k < P->o->ntimeline && !want; k++)
                want = gcb_rset_match(c, P->o->timeline[k]);
            if (!want)
                continue;
            (*matched)++;
            if (!has_timeline(c))
                continue;
            if (tl_add(p, c)) {
                dropped++;
                continue;
            }
            same_a &= !a0 || strcmp(a0, c->alloc) == 0;
            same_c &= !c0 || strcmp(c0, c->coll) == 0;
            a0 = c->alloc;
            c0 = c->coll;
        }
        if (p->n > 1 && same_c) {
            p->by = TL_BY_ALLOC;
            snprintf(p->what, sizeof p->what, "allocators under %s", c0);
        } else if (p->n > 1 && same_a) {
            p->by = TL_BY_COLL;
            snprintf(p->what, sizeof p->what, "collectors under %s", a0);
        } else {
            p->by = TL_BY_LINE;
            snprintf(p->what, sizeof p->what, "%s", P->o->ntimeline ? "cells chosen with --timeline" : "every cell");
        }
        npan = p->n > 0;
    }
    char sw[256], stem[300];
    sanitize(sw, sizeof sw, wl);
    snprintf(stem, sizeof stem, "timeline_%s", sw);
    if (!npan) {
        if (P->o->ntimeline == 0)
            skip(P, "%s: no ok run of workload %s has a timeline (made with --no-timeline, or every run failed)",
                 stem, wl);
        return;
    }
    /* the data file: each cell drawn once (the baseline cell serves both columns) */
    const gcb_rcell_t *cell[TL_MAX_PANELS * TIMELINE_MAX_CELLS];
    size_t ncell = 0, idx[TL_MAX_PANELS][TIMELINE_MAX_CELLS];
    /* one time axis for the figure; bytes in each column's own unit (its own y range) */
    double tmax = 0, lmax[TL_MAX_PANELS] = { 0 }, rmax[TL_MAX_PANELS] = { 0 };
    for (size_t j = 0; j < npan; j++)
        for (size_t k = 0; k < pan[j].n; k++) {
            size_t i = 0;
            while (i < ncell && cell[i] != pan[j].c[k])
                i++;
            idx[j][k] = i;
            if (i == ncell)
                cell[ncell++] = pan[j].c[k];
            size_t q;
            json_t *pt;
            json_array_foreach(json_object_get(json_object_get(pan[j].c[k]->median_run, "timeline"), "points"), q, pt)
            {
                double t = json_number_value(json_array_get(pt, 0));
                double lb = json_number_value(json_array_get(pt, 2)), rb = json_number_value(json_array_get(pt, 4));
                tmax = t > tmax ? t : tmax;
                lmax[j] = lb > lmax[j] ? lb : lmax[j];
                rmax[j] = rb > rmax[j] ? rb : rmax[j];
            }
        }
    unit_t tu = time_unit(tmax);
    FILE *d = open_file(P, stem, "dat");
    if (!d)
        return;
    fprintf(d, "# %s.dat - live bytes and RSS during workload %s (written by gcbench plot from %s)\n", stem, wl,
            rs->dir);
    fprintf(d, "# One block per cell (gnuplot index 0, 1, ...), from the run with the median ops/s.\n"
               "# Columns: time since the workload started (s), objects allocated so far,\n"
               "# live bytes (the runtime's exact count), live objects, RSS bytes (/proc/self/statm).\n");
    for (size_t j = 0; j < npan; j++)
        fprintf(d, "# panel %c: %s\n", (int)('a' + j), pan[j].what);
    size_t npts[TL_MAX_PANELS * TIMELINE_MAX_CELLS];
    for (size_t k = 0; k < ncell; k++) {
        json_t *run = cell[k]->median_run;
        fprintf(d, "%s# index %zu: %s (cell %s, repetition %lld)\n", k ? "\n\n" : "", k, cell[k]->series,
                cell[k]->name, (long long)json_integer_value(json_object_get(run, "repetition")));
        size_t i;
        json_t *p;
        json_t *pts = json_object_get(json_object_get(run, "timeline"), "points");
        npts[k] = json_array_size(pts);
        json_array_foreach(pts, i, p)
        {
            for (size_t c = 0; c < 5; c++)
                dat_num(d, json_number_value(json_array_get(p, c)));
            fputc('\n', d);
        }
    }
    close_file(P, d, stem, "dat");

    const gcb_rcell_t *any = cell[0];
    char title[512], caption[1400], cols[600] = "";
    snprintf(title, sizeof title, "Live bytes and RSS over time: %s%s%s", wl, any->wl_params[0] ? " " : "",
             any->wl_params);
    for (size_t j = 0; j < npan; j++)
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s(%c) %s, coloured by %s", j ? "; " : "",
                 (int)('a' + j), pan[j].what,
                 pan[j].by == TL_BY_ALLOC ? "allocator" : pan[j].by == TL_BY_COLL ? "collector" : "cell");
    snprintf(caption, sizeof caption,
             "Workload %s: the runtime's live bytes (top) and the process's resident set (bottom) while the "
             "workload runs, one line per cell (the run with the median ops/s): %s%s%s.",
             wl, cols, neither ? "; cells of neither the baseline's allocator nor its collector are not drawn "
                                 "(choose them with --timeline)" : "",
             dropped ? "; more cells matched than fit, choose some with --timeline" : "");
    if (dropped)
        skip(P, "%s: %zu more cells not drawn (at most %d lines a column; choose with --timeline)", stem, dropped,
             TIMELINE_MAX_CELLS);

    /* the canvas: per column its plot area, its key right of it */
    int keypx[TL_MAX_PANELS], colpx[TL_MAX_PANELS], W = 0;
    size_t most = 0;
    for (size_t j = 0; j < npan; j++) {
        size_t chars = 0;
        for (size_t k = 0; k < pan[j].n; k++) {
            char lab[GCB_LABEL_MAX];
            tl_label(&pan[j], k, lab, sizeof lab);
            chars = strlen(lab) > chars ? strlen(lab) : chars;
        }
        keypx[j] = 90 + (int)chars * KEY_CHAR_PX;
        colpx[j] = TL_LEFT_PX + TL_COL_W + keypx[j];
        W += colpx[j];
        most = pan[j].n > most ? pan[j].n : most;
    }
    /* the key (at most 16 lines of 17 px) may run down beside the lower panel */
    int H = TL_TOP_PX + 2 * TL_PANEL_H + TL_MID_PX + TL_BOTTOM_PX;
    H = H > TL_TOP_PX + 20 + 17 * (int)most ? H : TL_TOP_PX + 20 + 17 * (int)most;
    FILE *g = open_file(P, stem, "gp");
    if (!g)
        return;
    gp_begin(g, P, stem, title, W, H);
    fputs("set multiplot title ", g);
    gp_str(g, title);
    fprintf(g, "\n# units: the data file holds seconds and bytes; live (l) and RSS (r) per column\n"
               "tdiv = %g; tunit = '%s'\n",
            tu.div, tu.name);
    for (size_t j = 0; j < npan; j++) {
        unit_t lu = byte_unit(lmax[j]), ru = byte_unit(rmax[j]);
        fprintf(g, "ldiv_%c = %g; lunit_%c = '%s'; rdiv_%c = %g; runit_%c = '%s'\n", (int)('a' + j), lu.div,
                (int)('a' + j), lu.name, (int)('a' + j), ru.div, (int)('a' + j), ru.name);
    }
    fprintf(g, "set grid\nset yrange [0:*]\nset xrange [0:%g/tdiv]\nset offsets 0, 0, graph 0.03, 0\n", tmax);
    int x0 = 0;
    for (size_t j = 0; j < npan; j++) {
        const tl_panel_t *p = &pan[j];
        double l = (double)(x0 + TL_LEFT_PX) / W, r = (double)(x0 + TL_LEFT_PX + TL_COL_W) / W;
        fprintf(g, "set lmargin at screen %.4f; set rmargin at screen %.4f\n", l, r);
        for (int row = 0; row < 2; row++) {
            int top = TL_TOP_PX + row * (TL_PANEL_H + TL_MID_PX);
            fprintf(g, "# panel %c %s: %s\n", (int)('a' + j), row ? "rss" : "live", p->what);
            fprintf(g, "set tmargin at screen %.4f; set bmargin at screen %.4f\n", 1 - (double)top / H,
                    1 - (double)(top + TL_PANEL_H) / H);
            if (row == 0) {
                char head[300];
                snprintf(head, sizeof head, "(%c) %s", (int)('a' + j), p->what);
                fputs("set title ", g);
                gp_str(g, head);
                fputs(" font ',11'\nset format x ''\nunset xlabel\n", g);
                fprintf(g, "set key at screen %.4f, screen %.4f left top vertical Left reverse noenhanced "
                           "samplen 4 spacing 1.2 width 1 title ",
                        (double)(x0 + TL_LEFT_PX + TL_COL_W + 15) / W, 1 - (double)top / H);
                gp_str(g, p->by == TL_BY_ALLOC ? "allocator" : p->by == TL_BY_COLL ? "collector" : "cell");
                fprintf(g, "\nset ylabel 'live bytes, '.lunit_%c\n", (int)('a' + j));
            } else {
                fprintf(g, "unset title\nunset key\nset format x '%% h'\n"
                           "set xlabel 'time since the workload started, '.tunit\nset ylabel 'RSS, '.runit_%c\n",
                        (int)('a' + j));
            }
            fputs("plot \\\n", g);
            for (size_t k = 0; k < p->n; k++) {
                size_t i = idx[j][k];
                size_t every = npts[i] / TL_MARKS ? npts[i] / TL_MARKS : 1;
                size_t first = every * (2 * k + 1) / (2 * p->n); /* staggered: < every */
                const char *col = tl_colour(P, p, k), *dt = tl_dashes[k % TL_NDASHES];
                int pt = tl_points[k % TL_NPOINTS];
                char y[32];
                snprintf(y, sizeof y, row ? "($5/rdiv_%c)" : "($3/ldiv_%c)", (int)('a' + j));
                if (k == 0)
                    fprintf(g, "  '%s.dat'", stem);
                else
                    fputs("  ''", g);
                fprintf(g, " index %zu using ($1/tdiv):%s with lines linewidth 1.6 linecolor rgb '%s' "
                           "dashtype %s notitle, \\\n",
                        i, y, col, dt);
                fprintf(g, "  '' index %zu every %zu::%zu using ($1/tdiv):%s with points pointtype %d "
                           "pointsize 1.1 linecolor rgb '%s' notitle",
                        i, every, first, y, pt, col);
                if (row == 1) { /* the upper panel's key serves both */
                    fputs(k + 1 < p->n ? ", \\\n" : "\n", g);
                    continue;
                }
                fprintf(g, ", \\\n  NaN with linespoints linewidth 1.6 linecolor rgb '%s' dashtype %s pointtype %d "
                           "pointsize 1.1 title ",
                        col, dt, pt);
                char lab[GCB_LABEL_MAX];
                tl_label(p, k, lab, sizeof lab);
                gp_str(g, lab);
                fputs(k + 1 < p->n ? ", \\\n" : "\n", g);
            }
        }
        x0 += colpx[j];
    }
    fputs("unset multiplot\n", g);
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
}

static int parse_num(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno)
        return -1;
    *out = v;
    return 0;
}

/* The series label without " key=value". */
static void drop_key(char *out, size_t n, const char *series, const char *key, const char *val)
{
    char pat[256];
    snprintf(pat, sizeof pat, " %s=%s", key, val);
    const char *at = strstr(series, pat);
    while (at && at[strlen(pat)] && at[strlen(pat)] != ' ')
        at = strstr(at + 1, pat);
    if (!at) {
        snprintf(out, n, "%s", series);
        return;
    }
    snprintf(out, n, "%.*s%s", (int)(at - series), series, at + strlen(pat));
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static int cmp_dbl_str(const void *a, const void *b)
{
    double x = strtod(*(const char *const *)a, NULL), y = strtod(*(const char *const *)b, NULL);
    return x < y ? -1 : x > y;
}

/* A swept parameter on x; ops/s (y) and peak RSS (y2), one line pair per
 * configuration. */
static void fig_sweep(plotter_t *P, const char *key, size_t w)
{
    const gcb_rset_t *rs = P->rs;
    const char *wl = rs->wl[w];
    const char *vals[256];
    size_t nv = 0;
    int numeric = 1;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        const char *v = json_string_value(json_object_get(c->params, key));
        if (strcmp(c->wl, wl) != 0 || !v)
            continue;
        size_t j = 0;
        while (j < nv && strcmp(vals[j], v) != 0)
            j++;
        if (j == nv && nv < 256) {
            vals[nv++] = v;
            double x;
            numeric &= parse_num(v, &x) == 0;
        }
    }
    if (nv < 2)
        return;
    qsort(vals, nv, sizeof *vals, numeric ? cmp_dbl_str : cmp_str);
    /* lines: labels without the key, in series order */
    char (*lines)[GCB_LABEL_MAX] = malloc(rs->ncells * sizeof *lines);
    const gcb_rcell_t **line_cell = malloc(rs->ncells * sizeof *line_cell);
    size_t nl = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        const char *v = json_string_value(json_object_get(c->params, key));
        if (strcmp(c->wl, wl) != 0 || !v)
            continue;
        char lab[GCB_LABEL_MAX];
        drop_key(lab, sizeof lab, c->series, key, v);
        size_t j = 0;
        while (j < nl && strcmp(lines[j], lab) != 0)
            j++;
        if (j == nl) {
            snprintf(lines[nl], sizeof lines[nl], "%s", lab);
            line_cell[nl++] = c;
        }
    }
    char sk[128], sw[256], stem[400];
    sanitize(sk, sizeof sk, key);
    sanitize(sw, sizeof sw, wl);
    snprintf(stem, sizeof stem, "sweep_%s_%s", sk, sw);
    FILE *d = open_file(P, stem, "dat");
    if (!d) {
        free(lines);
        free(line_cell);
        return;
    }
    fprintf(d, "# %s.dat - ops/s and peak RSS against %s, workload %s (written by gcbench plot from %s)\n", stem,
            key, wl, rs->dir);
    fprintf(d, "# One block per configuration (gnuplot index 0, 1, ...), one row per value of %s.\n"
               "# Columns: x (%s), ops/s median, 95%% CI low, high, peak RSS bytes median, 95%% CI low, high,\n"
               "# the value as text, ok runs.  CIs: order statistics of the median (the range with < 6 runs).\n",
            key, numeric ? "the value" : "the value's rank");
    double xmin = INFINITY, xmax = -INFINITY, rmax = 0;
    for (size_t l = 0; l < nl; l++) {
        fprintf(d, "%s# index %zu: %s\n", l ? "\n\n" : "", l, lines[l]);
        for (size_t k = 0; k < nv; k++) {
            const gcb_rcell_t *c = NULL;
            for (size_t i = 0; i < rs->ncells && !c; i++) {
                const gcb_rcell_t *x = &rs->cells[i];
                const char *v = json_string_value(json_object_get(x->params, key));
                char lab[GCB_LABEL_MAX];
                if (strcmp(x->wl, wl) != 0 || !v || strcmp(v, vals[k]) != 0)
                    continue;
                drop_key(lab, sizeof lab, x->series, key, v);
                if (strcmp(lab, lines[l]) == 0)
                    c = x;
            }
            if (!c || !c->nok)
                continue;
            double x = numeric ? strtod(vals[k], NULL) : (double)k;
            xmin = x < xmin ? x : xmin;
            xmax = x > xmax ? x : xmax;
            double lo, hi;
            dat_num(d, x);
            dat_num(d, gcb_rset_median(c, GCB_M_OPS, &lo, &hi, NULL));
            dat_num(d, lo);
            dat_num(d, hi);
            dat_num(d, gcb_rset_median(c, GCB_M_RSS, &lo, &hi, NULL));
            dat_num(d, lo);
            dat_num(d, hi);
            rmax = hi > rmax ? hi : rmax;
            fputc(' ', d);
            dat_str(d, vals[k]);
            fprintf(d, " %zu\n", c->nok);
        }
    }
    close_file(P, d, stem, "dat");
    char title[512], caption[1024];
    snprintf(title, sizeof title, "Sweep of %s: %s%s%s", key, wl, line_cell[0]->wl_params[0] ? " " : "",
             line_cell[0]->wl_params);
    snprintf(caption, sizeof caption,
             "Workload %s with parameter %s swept: median ops/s (solid, left axis) and median peak RSS (dashed, "
             "right axis) per configuration; error bars: 95%% CI of the median (the range with fewer than 6 runs).",
             wl, key);
    FILE *g = open_file(P, stem, "gp");
    if (!g) {
        free(lines);
        free(line_cell);
        return;
    }
    gp_begin(g, P, stem, title, MIN_W + 300, clampi(520 + 30 * (int)nl, MIN_H, MAX_H));
    fputs("set title ", g);
    gp_str(g, title);
    fputs("\nset xlabel ", g);
    gp_str(g, key);
    fputs("\nset ylabel ", g);
    gp_str(g, "ops/s (median; solid lines)");
    unit_t ru = byte_unit(rmax);
    fprintf(g, "\n# units: the data file holds bytes\nrdiv = %g; runit = '%s'\n", ru.div, ru.name);
    fputs("set y2label 'peak RSS, '.runit.' (median; dashed lines)'\nset format y '%.1s%c'", g);
    fputs("\nset ytics nomirror\nset y2tics\nset yrange [0:*]\nset y2range [0:*]\nset grid\n"
          "set offsets graph 0.03, graph 0.03, 0, 0\n",
          g);
    gp_key(g, NULL, longest_label(lines, NULL, nl) + strlen(" peak RSS"));
    if (numeric && xmin > 0 && xmax / xmin >= LOG_X_SPAN)
        fputs("set logscale x\n", g);
    fprintf(g, "%s\n", numeric ? "" : "set xtics ()");
    fputs("plot \\\n", g);
    for (size_t l = 0; l < nl; l++) {
        char t[GCB_LABEL_MAX + 32];
        const char *col = colour_of(P, line_cell[l]->alloc);
        for (int ax = 0; ax < 2; ax++) {
            if (l == 0 && ax == 0)
                fprintf(g, "  '%s.dat' index 0", stem);
            else
                fprintf(g, "  '' index %zu", l);
            if (ax)
                fputs(" using 1:($5/rdiv):($6/rdiv):($7/rdiv)", g);
            else
                fprintf(g, " using 1:2:3:4%s", numeric ? "" : ":xtic(8)");
            fprintf(g, " with yerrorlines axes x1y%d linecolor rgb '%s' dashtype %d pointtype %d title ", ax + 1,
                    col, ax ? 2 : 1, ax ? 6 : 7);
            snprintf(t, sizeof t, "%s %s", lines[l], ax ? "peak RSS" : "ops/s");
            gp_str(g, t);
            fputs(l + 1 < nl || ax == 0 ? ", \\\n" : "\n", g);
        }
    }
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
    free(lines);
    free(line_cell);
}

/* Points (x, y) and the Pareto front of "lower is better" in both. */
typedef struct point {
    char label[GCB_LABEL_MAX];
    const char *group;     /* collector and its parameters: the colour */
    const char *alloc;
    double x, xlo, xhi, y, ylo, yhi;
    int front;
} point_t;

static int cmp_point_x(const void *a, const void *b)
{
    const point_t *p = *(const point_t *const *)a, *q = *(const point_t *const *)b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->y < q->y ? -1 : p->y > q->y);
}

static void pareto(point_t *pt, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pt[i].front = 1;
        for (size_t j = 0; j < n && pt[i].front; j++)
            if (j != i && pt[j].x <= pt[i].x && pt[j].y <= pt[i].y && (pt[j].x < pt[i].x || pt[j].y < pt[i].y))
                pt[i].front = 0;
    }
}

/* A plot's frame in pixels of the canvas and its ranges, fixed in the
 * script, so that a position in data units has a known pixel. */
typedef struct frame {
    int left, right, top, bottom, w, h;
    double x0, x1, y0, y1;
} frame_t;

static double frame_px(const frame_t *F, double x) { return F->left + (x - F->x0) / (F->x1 - F->x0) * (F->w - F->left - F->right); }
static double frame_py(const frame_t *F, double y) { return F->top + (F->y1 - y) / (F->y1 - F->y0) * (F->h - F->top - F->bottom); }

/* The names of the Pareto front's points (f, nf of them, by x), placed
 * so that no two overlap, as `set label`s in graph coordinates on a white
 * ground.  Each name wants its point's height.  Names that would overlap
 * form a block, one line apart, centred on the mean of the heights they
 * want (and kept inside the plot); blocks that then overlap merge, until
 * none do.  A name stands right of its point, or left of it where it would
 * leave the plot; one moved off its point's height gets a thin line to it. */
static void tradeoff_names(FILE *g, const frame_t *F, point_t *const *f, size_t nf)
{
    double pw = F->w - F->left - F->right, ph = F->h - F->top - F->bottom;
    double *y = malloc((nf + 1) * sizeof *y);
    size_t *ord = malloc((nf + 1) * sizeof *ord);
    for (size_t i = 0; i < nf; i++) {
        y[i] = frame_py(F, f[i]->y);
        ord[i] = i;
    }
    /* by height, top first (insertion sort: a front has few points) */
    for (size_t i = 1; i < nf; i++)
        for (size_t j = i; j > 0 && y[ord[j]] < y[ord[j - 1]]; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    const double lh = TRADEOFF_NAME_PX, first = F->top + lh, last = F->top + ph - lh / 2;
    /* blocks, top to bottom: the first name, how many, the sum of the heights wanted, the top */
    size_t *bfirst = malloc((nf + 1) * sizeof *bfirst), *bn = malloc((nf + 1) * sizeof *bn), nb = 0;
    double *bsum = malloc((nf + 1) * sizeof *bsum), *btop = malloc((nf + 1) * sizeof *btop);
    for (size_t k = 0; k < nf; k++) {
        bfirst[nb] = k;
        bn[nb] = 1;
        bsum[nb] = y[ord[k]];
        btop[nb] = fmin(fmax(y[ord[k]], first), last);
        nb++;
        /* invariant: blocks 0 .. nb-2 do not overlap; merge the last into the one above while they do */
        while (nb > 1 && btop[nb - 2] + (double)bn[nb - 2] * lh > btop[nb - 1]) {
            nb--;
            bn[nb - 1] += bn[nb];
            bsum[nb - 1] += bsum[nb];
            double n = (double)bn[nb - 1], top = bsum[nb - 1] / n - (n - 1) * lh / 2;
            btop[nb - 1] = fmax(first, fmin(top, last - (n - 1) * lh));
        }
    }
    double *slot = malloc((nf + 1) * sizeof *slot);
    for (size_t b = 0; b < nb; b++)
        for (size_t j = 0; j < bn[b]; j++)
            slot[bfirst[b] + j] = btop[b] + (double)j * lh;
    free(bfirst);
    free(bn);
    free(bsum);
    free(btop);
    fputs("set style textbox opaque noborder margins 1, 0\n", g);
    for (size_t k = 0; k < nf; k++) {
        const point_t *p = f[ord[k]];
        double px = frame_px(F, p->x), py = y[ord[k]];
        double tw = (double)strlen(p->label) * TRADEOFF_NAME_CHAR_PX;
        int right = px + 8 + tw <= F->left + pw - 2 || px - 8 - tw < F->left + 2;
        double lx = right ? px + 8 : px - 8;
        fprintf(g, "set label %zu ", 100 + k);
        gp_str(g, p->label);
        fprintf(g, " at graph %.5f, graph %.5f %s font ',8' boxed front\n", (lx - F->left) / pw, 1 - (slot[k] - F->top) / ph,
                right ? "left" : "right");
        if (fabs(slot[k] - py) > 3)
            fprintf(g, "set arrow %zu from graph %.5f, graph %.5f to first %.6g/xdiv, first %.6g/ydiv nohead "
                       "linewidth 0.5 linecolor rgb 'gray50' front\n",
                    100 + k, (lx + (right ? -2 : 2) - F->left) / pw, 1 - (slot[k] - F->top) / ph, p->x, p->y);
    }
    free(slot);
    free(ord);
    free(y);
}

/* xlabel and ylabel name the data file's units; the axes show the data
 * divided by xu.div and yu.div, named xu.name and yu.name ("" for ratios). */
static void write_tradeoff(plotter_t *P, const char *stem, point_t *pt, size_t n, const char *title,
                           const char *caption, const char *xlabel, const char *ylabel, const char *what, unit_t xu,
                           unit_t yu)
{
    pareto(pt, n);
    FILE *d = open_file(P, stem, "dat");
    if (!d)
        return;
    fprintf(d, "# %s.dat - %s (written by gcbench plot from %s)\n", stem, what, P->rs->dir);
    fprintf(d, "# index 0, one row per point: label, x, x low, x high, y, y low, y high, on the Pareto front (1/0),\n"
               "#   colour group (0, 1, ...: the collector and its parameters), the group's name\n"
               "#   x: %s; y: %s\n"
               "# index 1: the Pareto front (no other point is both faster and smaller), by x: x, y\n",
            xlabel, ylabel);
    const char *groups[256];
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < ng && strcmp(groups[k], pt[i].group) != 0)
            k++;
        if (k == ng && ng < 256)
            groups[ng++] = pt[i].group;
    }
    for (size_t i = 0; i < n; i++) {
        dat_str(d, pt[i].label);
        dat_num(d, pt[i].x);
        dat_num(d, pt[i].xlo);
        dat_num(d, pt[i].xhi);
        dat_num(d, pt[i].y);
        dat_num(d, pt[i].ylo);
        dat_num(d, pt[i].yhi);
        size_t k = 0;
        while (k < ng && strcmp(groups[k], pt[i].group) != 0)
            k++;
        fprintf(d, " %d %zu ", pt[i].front, k);
        dat_str(d, pt[i].group);
        fputc('\n', d);
    }
    fputs("\n\n# index 1: the Pareto front\n", d);
    point_t **f = malloc((n + 1) * sizeof *f);
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        if (pt[i].front)
            f[nf++] = &pt[i];
    qsort(f, nf, sizeof *f, cmp_point_x);
    for (size_t i = 0; i < nf; i++) {
        dat_num(d, f[i]->x);
        dat_num(d, f[i]->y);
        fputc('\n', d);
    }
    close_file(P, d, stem, "dat");
    FILE *g = open_file(P, stem, "gp");
    if (!g) {
        free(f);
        return;
    }
    /* The frame in pixels and the ranges in the data file's units, fixed
     * so that the names of the front can be placed (tradeoff_names). */
    size_t keychars = strlen("Pareto front");
    for (size_t k = 0; k < ng; k++)
        keychars = strlen(groups[k]) > keychars ? strlen(groups[k]) : keychars;
    /* the key: its title or its entries after their samples */
    size_t keypx = (size_t)KEY_CHAR_PX * (keychars + 6 > strlen(TRADEOFF_KEY_TITLE) ? keychars + 6 : strlen(TRADEOFF_KEY_TITLE));
    frame_t F = { .left = 90, .right = 40 + (int)keypx, .top = 50, .bottom = 70 };
    F.w = clampi(F.left + 720 + F.right, MIN_W, MAX_W);
    F.h = MIN_H + 100;
    double xmin = INFINITY, xmax = -INFINITY, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        double xs[3] = { pt[i].x, pt[i].xlo, pt[i].xhi }, ys[3] = { pt[i].y, pt[i].ylo, pt[i].yhi };
        for (int k = 0; k < 3; k++) {
            if (!isnan(xs[k])) {
                xmin = fmin(xmin, xs[k]);
                xmax = fmax(xmax, xs[k]);
            }
            if (!isnan(ys[k]))
                ymax = fmax(ymax, ys[k]);
        }
    }
    double span = xmax > xmin ? xmax - xmin : fabs(xmax) > 0 ? fabs(xmax) / 10 : 1;
    F.x0 = xmin - 0.05 * span;
    F.x1 = xmax + 0.15 * span;
    F.y0 = 0;
    F.y1 = ymax > 0 ? ymax * 1.1 : 1;
    gp_begin(g, P, stem, title, F.w, F.h);
    fputs("set title ", g);
    gp_str(g, title);
    fprintf(g, "\n# units of the axes (the data file: %s; %s)\nxdiv = %g; xunit = '%s'; ydiv = %g; yunit = '%s'\n",
            xlabel, ylabel, xu.div, xu.name, yu.div, yu.name);
    fputs("set xlabel ", g);
    gp_str(g, xlabel);
    fputs(xu.name[0] ? ".', '.xunit\nset ylabel " : "\nset ylabel ", g);
    gp_str(g, ylabel);
    fputs(yu.name[0] ? ".', '.yunit\n" : "\n", g);
    fputs("set grid\n", g);
    gp_key(g, TRADEOFF_KEY_TITLE, keychars);
    fprintf(g, "# the frame, in pixels of the %dx%d canvas, and the ranges (data file units over xdiv, ydiv):\n"
               "# the names of the front are placed for them\n",
            F.w, F.h);
    fprintf(g, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n", (double)F.left / F.w,
            1 - (double)F.right / F.w);
    fprintf(g, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n", 1 - (double)F.top / F.h,
            (double)F.bottom / F.h);
    fprintf(g, "set xrange [%.6g/xdiv:%.6g/xdiv]\nset yrange [%.6g/ydiv:%.6g/ydiv]\n", F.x0, F.x1, F.y0, F.y1);
    fputs("# names beside the points on the Pareto front, a thin line to each moved off its point's height;\n"
          "# to name every point instead, add to the plot\n"
          "#   '' index 0 using ($2/xdiv):($5/ydiv):1 with labels left offset char 0.6 font ',8' notitle\n",
          g);
    tradeoff_names(g, &F, f, nf);
    free(f);
    for (size_t k = 0; k < ng; k++) {
        if (k == 0)
            fprintf(g, "plot '%s.dat' index 0", stem);
        else
            fputs("  '' index 0", g);
        fprintf(g, " using ($9 == %zu ? $2/xdiv : NaN):($5/ydiv):($3/xdiv):($4/xdiv):($6/ydiv):($7/ydiv) "
                   "with xyerrorbars pointtype 7 pointsize 0.8 linecolor rgb '%s' title ",
                k, colours[index_of(P->coll, P->ncoll, groups[k]) % NCOLOURS]);
        gp_str(g, groups[k]);
        fputs(", \\\n", g);
    }
    fprintf(g, "  '' index 1 using ($1/xdiv):($2/ydiv) with steps linewidth 2 linecolor rgb '%s' title 'Pareto front', "
               "\\\n",
            colours[3]);
    fprintf(g, "  '' index 1 using ($1/xdiv):($2/ydiv) with points pointtype 6 pointsize 1.6 linecolor rgb '%s' "
               "notitle\n",
            colours[3]);
    gp_end(g);
    if (close_file(P, g, stem, "gp") == 0)
        add_figure(P, stem, title, caption);
}

static void fig_tradeoff_wl(plotter_t *P, size_t w)
{
    const gcb_rset_t *rs = P->rs;
    point_t *pt = calloc(rs->ncells + 1, sizeof *pt);
    size_t n = 0;
    const gcb_rcell_t *any = NULL;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, rs->wl[w]) != 0 || !c->n[GCB_M_WALL] || !c->n[GCB_M_RSS])
            continue;
        any = c;
        point_t *p = &pt[n++];
        snprintf(p->label, sizeof p->label, "%s", c->series);
        p->group = coll_label(c);
        p->alloc = c->alloc;
        p->x = gcb_rset_median(c, GCB_M_WALL, &p->xlo, &p->xhi, NULL);
        p->y = gcb_rset_median(c, GCB_M_RSS, &p->ylo, &p->yhi, NULL);
    }
    char sw[256], stem[300], title[512], caption[1024];
    sanitize(sw, sizeof sw, rs->wl[w]);
    snprintf(stem, sizeof stem, "tradeoff_%s", sw);
    if (!n) {
        skip(P, "%s: no ok run of workload %s", stem, rs->wl[w]);
        free(pt);
        return;
    }
    snprintf(title, sizeof title, "Time-memory trade-off: %s%s%s (lower left is better)", rs->wl[w],
             any->wl_params[0] ? " " : "", any->wl_params);
    snprintf(caption, sizeof caption,
             "Workload %s: one point per configuration, median workload time against median peak RSS, with "
             "95%% CIs of the medians; the line joins the configurations no other beats on both.",
             rs->wl[w]);
    double xmax = 0, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        xmax = pt[i].xhi > xmax ? pt[i].xhi : xmax;
        ymax = pt[i].yhi > ymax ? pt[i].yhi : ymax;
    }
    write_tradeoff(P, stem, pt, n, title, caption, "workload time (median)", "peak RSS (median)",
                   "peak RSS against time per configuration, in seconds and bytes", time_unit(xmax), byte_unit(ymax));
    free(pt);
}

/* Over all workloads: geometric means of time and RSS relative to the
 * baseline, for the configurations present in every workload. */
static void fig_tradeoff_all(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *base = P->o->baseline;
    point_t *pt = calloc(rs->nseries + 1, sizeof *pt);
    size_t n = 0, nw_used = 0;
    for (size_t s = 0; s < rs->nseries; s++) {
        double lt = 0, lr = 0;
        size_t k = 0;
        int complete = 1;
        const char *alloc = NULL;
        for (size_t w = 0; w < rs->nwl && complete; w++) {
            const gcb_rcell_t *c = cell_at(rs, rs->wl[w], rs->series[s]);
            const gcb_rcell_t *b = c ? gcb_rset_base_cell(rs, c, base) : NULL;
            if (!b || !b->n[GCB_M_WALL] || !b->n[GCB_M_RSS]) /* workload without a baseline: not counted */
                continue;
            if (!c || !c->n[GCB_M_WALL] || !c->n[GCB_M_RSS]) {
                complete = 0;
                break;
            }
            alloc = c->alloc;
            lt += log(gcb_median(c->v[GCB_M_WALL], c->n[GCB_M_WALL]) / gcb_median(b->v[GCB_M_WALL], b->n[GCB_M_WALL]));
            lr += log(gcb_median(c->v[GCB_M_RSS], c->n[GCB_M_RSS]) / gcb_median(b->v[GCB_M_RSS], b->n[GCB_M_RSS]));
            k++;
        }
        if (!complete || !k)
            continue;
        nw_used = k > nw_used ? k : nw_used;
        point_t *p = &pt[n++];
        snprintf(p->label, sizeof p->label, "%s", rs->series[s]);
        p->group = strchr(rs->series[s], '/') ? strchr(rs->series[s], '/') + 1 : rs->series[s];
        p->alloc = alloc;
        p->x = p->xlo = p->xhi = exp(lt / (double)k);
        p->y = p->ylo = p->yhi = exp(lr / (double)k);
    }
    if (!n) {
        skip(P, "tradeoff: no configuration has ok runs on every workload with a %s cell", base);
        free(pt);
        return;
    }
    char title[512], caption[1024], xl[256], yl[256];
    snprintf(title, sizeof title, "Time-memory trade-off over %zu workload%s, relative to %s", nw_used,
             nw_used == 1 ? "" : "s", base);
    snprintf(caption, sizeof caption,
             "One point per configuration with ok runs on every workload: geometric mean over the workloads of "
             "its median time and median peak RSS, each divided by %s's on the same workload; the line joins "
             "the configurations no other beats on both.",
             base);
    snprintf(xl, sizeof xl, "workload time relative to %s (geometric mean)", base);
    snprintf(yl, sizeof yl, "peak RSS relative to %s (geometric mean)", base);
    write_tradeoff(P, "tradeoff", pt, n, title, caption, xl, yl,
                   "relative time and peak RSS per configuration, geometric means over workloads", (unit_t){ 1, "" },
                   (unit_t){ 1, "" });
    free(pt);
}

/* ------------------------------------------------------------ gnuplot */

static int find_gnuplot(char *out, size_t n, char *why, size_t whylen)
{
    const char *env = getenv("GCBENCH_GNUPLOT");
    if (env) {
        if (!*env || strcmp(env, "none") == 0) {
            snprintf(why, whylen, "GCBENCH_GNUPLOT=%s turns gnuplot off", *env ? env : "\"\"");
            return -1;
        }
        if (access(env, X_OK) == 0) {
            snprintf(out, n, "%s", env);
            return 0;
        }
        snprintf(why, whylen, "GCBENCH_GNUPLOT='%s' is not an executable", env);
        return -1;
    }
    if (GCB_GNUPLOT[0] && access(GCB_GNUPLOT, X_OK) == 0) {
        snprintf(out, n, "%s", GCB_GNUPLOT);
        return 0;
    }
    const char *path = getenv("PATH");
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, n, "%s/gnuplot", *d ? d : ".");
        if (access(out, X_OK) == 0)
            return 0;
    }
    out[0] = '\0';
    snprintf(why, whylen, "gnuplot is not installed (not at '%s' found at build time, not in PATH)",
             GCB_GNUPLOT[0] ? GCB_GNUPLOT : "-");
    return -1;
}

static int nonempty(const char *dir, const char *stem, const char *ext)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s.%s", dir, stem, ext);
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Run gnuplot on STEM.gp in the plot directory; 0 when both images exist. */
static int draw(plotter_t *P, gcb_figure_t *f, int logfd)
{
    char script[320];
    snprintf(script, sizeof script, "%s.gp", f->stem);
    dprintf(logfd, "== gnuplot %s\n", script);
    for (int e = 0; e < 2; e++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s.%s", P->out->outdir, f->stem, e ? "svg" : "png");
        unlink(path);
    }
    pid_t pid = fork();
    if (pid < 0) {
        say(P, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (chdir(P->out->outdir) != 0)
            _exit(127);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        struct rlimit rl = { GNUPLOT_CPU_LIMIT_S, GNUPLOT_CPU_LIMIT_S + 1 };
        setrlimit(RLIMIT_CPU, &rl);
        unsetenv("LD_PRELOAD");
        execl(P->out->gnuplot, "gnuplot", script, (char *)NULL);
        dprintf(2, "cannot execute %s: %s\n", P->out->gnuplot, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && nonempty(P->out->outdir, f->stem, "png") &&
             nonempty(P->out->outdir, f->stem, "svg");
    if (!ok) {
        if (WIFSIGNALED(status))
            say(P, "gnuplot was killed by signal %d on %s/%s", WTERMSIG(status), P->out->outdir, script);
        else
            say(P, "gnuplot failed on %s/%s (exit %d); its messages are in %s/gnuplot.log", P->out->outdir, script,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1, P->out->outdir);
        return -1;
    }
    f->drawn = 1;
    return 0;
}

int gcb_plot(const gcb_rset_t *rs, const gcb_plot_opts_t *o, gcb_plot_out_t *out, const char *who)
{
    memset(out, 0, sizeof *out);
    plotter_t P = { .rs = rs, .o = o, .out = out, .who = who };
    if (o->outdir)
        snprintf(out->outdir, sizeof out->outdir, "%s", o->outdir);
    else
        snprintf(out->outdir, sizeof out->outdir, "%s/plots", rs->dir);
    if (gcb_mkdir_p(out->outdir) != 0 || !gcb_dir_writable(out->outdir)) {
        say(&P, "cannot create or write the plot directory '%s': %s", out->outdir, strerror(errno ? errno : EACCES));
        return GCB_EXIT_FAIL;
    }
    /* style indices: allocators and collectors in the order of the series */
    for (size_t s = 0; s < rs->nseries; s++) {
        for (size_t i = 0; i < rs->ncells; i++)
            if (strcmp(rs->cells[i].series, rs->series[s]) == 0 && rs->cells[i].nok) {
                P.nconfigs++;
                break;
            }
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->series, rs->series[s]) != 0)
                continue;
            size_t k = 0;
            while (k < P.nalloc && strcmp(P.alloc[k], c->alloc) != 0)
                k++;
            if (k == P.nalloc && P.nalloc < 256)
                P.alloc[P.nalloc++] = c->alloc;
            k = 0;
            while (k < P.ncoll && strcmp(P.coll[k], coll_label(c)) != 0)
                k++;
            if (k == P.ncoll && P.ncoll < 256)
                P.coll[P.ncoll++] = coll_label(c);
            break;
        }
    }

    fig_relative(&P, GCB_M_OPS, "throughput");
    fig_heatmap(&P, GCB_M_OPS, "throughput");
    fig_relative(&P, GCB_M_RSS, "peak_rss");
    fig_heatmap(&P, GCB_M_RSS, "peak_rss");
    fig_pauses(&P);
    fig_pause_heatmap(&P);
    size_t matched = 0;
    for (size_t w = 0; w < rs->nwl; w++)
        fig_timeline(&P, w, &matched);
    if (o->ntimeline && !matched)
        say(&P, "warning: no cell matches --timeline %s%s: no timeline drawn", o->timeline[0],
            o->ntimeline > 1 ? " (or the others)" : "");
    for (size_t k = 0; k < rs->nsweep; k++)
        for (size_t w = 0; w < rs->nwl; w++)
            fig_sweep(&P, rs->sweep[k], w);
    for (size_t w = 0; w < rs->nwl; w++)
        fig_tradeoff_wl(&P, w);
    fig_tradeoff_all(&P);

    char why[512];
    if (find_gnuplot(out->gnuplot, sizeof out->gnuplot, why, sizeof why) != 0) {
        out->gnuplot_missing = 1;
        out->gnuplot[0] = '\0';
        say(&P, "no figure drawn: %s.  The data files and gnuplot scripts are in %s; install gnuplot "
                "(Debian: gnuplot-nox) and run `gcbench plot %s` again, or `gnuplot FILE.gp` for each script",
            why, out->outdir, rs->dir);
        return P.write_failed ? GCB_EXIT_FAIL : GCB_EXIT_NOPLOT;
    }
    char logpath[4400];
    snprintf(logpath, sizeof logpath, "%s/gnuplot.log", out->outdir);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        say(&P, "cannot write '%s': %s", logpath, strerror(errno));
        return GCB_EXIT_FAIL;
    }
    /* the log must reach gnuplot across exec */
    int fl = fcntl(logfd, F_GETFD);
    fcntl(logfd, F_SETFD, fl & ~FD_CLOEXEC);
    for (size_t i = 0; i < out->n; i++)
        if (draw(&P, &out->fig[i], logfd) != 0)
            out->failed++;
    close(logfd);
    return P.write_failed || out->failed ? GCB_EXIT_FAIL : GCB_EXIT_OK;
}

void gcb_plot_out_free(gcb_plot_out_t *out)
{
    free(out->fig);
    out->fig = NULL;
    out->n = 0;
}

/* ---------------------------------------------------------- the command */

#define HELP_STR_(x) #x
#define HELP_STR(x) HELP_STR_(x) /* a tunable's value in the help */

static const char plot_help[] =
    "usage: gcbench plot DIR [--baseline ALLOCATOR/COLLECTOR] [--timeline FILTER]... [--bars]\n"
    "                        [--out PLOTDIR]\n"
    "\n"
    "Draw the figures of a result directory with gnuplot, each as PNG and SVG, into\n"
    "DIR/plots (or PLOTDIR): throughput and peak RSS per workload relative to the\n"
    "baseline, GC pause percentiles per collector, live bytes and RSS over time,\n"
    "parameter sweeps (when DIR has one), and the time-memory trade-off with its\n"
    "Pareto front.  Beside each figure: NAME.dat (the numbers) and NAME.gp (the\n"
    "script; edit it and run `gnuplot NAME.gp` to redraw).  docs/plots.md.\n"
    "\n"
    "Throughput and peak RSS are drawn twice: throughput_heatmap and peak_rss_heatmap,\n"
    "always (one row per allocator/collector configuration, one column per workload,\n"
    "each cell the ratio of medians to the baseline's, blue better, red worse, in\n"
    "parentheses when a Mann-Whitney U test gives p >= " HELP_STR(HEATMAP_ALPHA) ", 'fail' when every run\n"
    "failed), and throughput and peak_rss, bars with 95% CIs, only when there are at\n"
    "most " HELP_STR(BARS_MAX_CONFIGS) " configurations (more bars are unreadable; the heatmaps replace them).\n"
    "GC pauses likewise: gc_pauses_heatmap whenever a run paused (one row per\n"
    "configuration that paused, grouped by collector, one column per workload, each\n"
    "cell the median p99 pause over the runs and the longest pause, log colour\n"
    "scale), and gc_pauses, p50, p99 and max bars per collector, under the same rule.\n"
    "\n"
    "  --baseline A/C      the configuration ratios are relative to (default glibc/rc,\n"
    "                      or the first one when DIR has no glibc/rc cell)\n"
    "  --timeline FILTER   cells whose timeline is drawn; repeatable.  A shell pattern\n"
    "                      over cell names ('glibc/*/cycles/*') or KEY=VALUE[,KEY=VALUE]\n"
    "                      over allocator, collector, workload, parameters\n"
    "                      (default: two comparisons side by side, (a) every allocator\n"
    "                      under the baseline's collector, coloured by allocator, and\n"
    "                      (b) every collector under its allocator, coloured by\n"
    "                      collector; the chosen cells make one column)\n"
    "      --bars          draw the bar figures (throughput, peak_rss, gc_pauses) whatever\n"
    "                      the number of configurations\n"
    "      --out PLOTDIR   write the figures there instead of DIR/plots\n"
    "  -h, --help          this text\n"
    "\n"
    "gnuplot: $GCBENCH_GNUPLOT (a path, or none), else the one found at build time, else PATH.\n"
    "Exit status: 0 every figure drawn, 1 gnuplot failed on a figure or a file could not be\n"
    "written, 2 bad input, 4 no gnuplot: data files and scripts written, no figure drawn.\n";

size_t gcb_plot_drawn(const gcb_plot_out_t *out)
{
    size_t drawn = 0;
    for (size_t i = 0; i < out->n; i++)
        drawn += (size_t)out->fig[i].drawn;
    return drawn;
}

void gcb_plot_cli_timeline(gcb_plot_opts_t *o, const char *filter, const char *command)
{
    char err[2048];
    if (gcb_rset_filter_check(filter, err, sizeof err))
        gcb_usage_error(command, "--timeline: %s", err);
    if (o->ntimeline == GCB_PLOT_MAX_FILTERS)
        gcb_usage_error(command, "--timeline: at most %d filters", GCB_PLOT_MAX_FILTERS);
    o->timeline[o->ntimeline++] = filter;
}

void gcb_plot_cli_load(const char *dir, const char *baseline, const char *command, gcb_rset_t *rs,
                       char *base, size_t baselen, char *note, size_t notelen)
{
    char err[2048];
    if (gcb_rset_load(dir, rs, err, sizeof err))
        gcb_usage_error(command, "%s", err);
    if (gcb_rset_baseline(rs, baseline, base, baselen, note, notelen, err, sizeof err))
        gcb_usage_error(command, "%s", err);
}

#define die_usage(...) gcb_usage_error("plot", __VA_ARGS__)

int gcb_cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        { "baseline", required_argument, NULL, 'b' },
        { "timeline", required_argument, NULL, 't' },
        { "out", required_argument, NULL, 'o' },
        { "bars", no_argument, NULL, 'B' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gcb_plot_opts_t o;
    memset(&o, 0, sizeof o);
    const char *baseline = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'b': baseline = optarg; break;
        case 't': gcb_plot_cli_timeline(&o, optarg, "plot"); break;
        case 'o': o.outdir = optarg; break;
        case 'B': o.bars = 1; break;
        case 'h': fputs(plot_help, stdout); return GCB_EXIT_OK;
        case ':': die_usage("option '%s' needs a value (see gcbench plot --help)", argv[optind - 1]);
        default: die_usage("unknown option '%s' (see gcbench plot --help)", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        die_usage("give one result directory (see gcbench plot --help)");
    gcb_rset_t rs;
    char base[GCB_LABEL_MAX], note[512];
    gcb_plot_cli_load(argv[optind], baseline, "plot", &rs, base, sizeof base, note, sizeof note);
    if (note[0])
        fprintf(stderr, "gcbench: plot: note: %s\n", note);
    o.baseline = base;
    gcb_plot_out_t out;
    int rc = gcb_plot(&rs, &o, &out, "plot");
    size_t drawn = gcb_plot_drawn(&out);
    for (size_t i = 0; i < out.nskipped; i++)
        fprintf(stderr, "gcbench: plot: not drawn: %s\n", out.skipped[i]);
    if (!out.gnuplot_missing)
        fprintf(stderr, "gcbench: plot: %zu of %zu figures drawn in %s\n", drawn, out.n, out.outdir);
    gcb_plot_out_free(&out);
    gcb_rset_free(&rs);
    return rc;
}
