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
#include "bench/report/plot/figure.h"

int gcb_plot_check(const gcb_rset_t *rs, const gcb_plot_opts_t *o, char *err, size_t errlen)
{
    char dir[GCB_PATH_MAX];
    if (o->outdir)
        snprintf(dir, sizeof dir, "%s", o->outdir);
    else
        snprintf(dir, sizeof dir, "%s/plots", rs->dir);
    return gcb_outdir_check(o->outdir ? "--out" : "the plot directory", dir, err, errlen);
}

/* The plot directory: --out or DIR/plots, checked by util/outpath.c's
 * rule before any figure is made (an input error, exit 2), then created. */
static int plot_dir(plotter_t *P)
{
    gcb_plot_out_t *out = P->out;
    char err[4600];
    if (P->o->outdir)
        snprintf(out->outdir, sizeof out->outdir, "%s", P->o->outdir);
    else
        snprintf(out->outdir, sizeof out->outdir, "%s/plots", P->rs->dir);
    if (gcb_plot_check(P->rs, P->o, err, sizeof err) != 0) {
        gcb__say(P, "%s", err);
        return GCB_EXIT_USAGE;
    }
    if (gcb_mkdir_p(out->outdir) != 0 || !gcb_dir_writable(out->outdir)) {
        gcb__say(P, "cannot create or write the plot directory '%s': %s", out->outdir, strerror(errno ? errno : EACCES));
        return GCB_EXIT_FAIL;
    }
    return GCB_EXIT_OK;
}

static void add_unique(const char **list, size_t *n, const char *name)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp(list[k], name) == 0)
            return;
    if (*n < 256)
        list[(*n)++] = name;
}

/* Style indices: allocators and collectors in the order of the series,
 * and the configurations with an ok run (the bar figures' rule). */
static void plot_styles(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    for (size_t s = 0; s < rs->nseries; s++) {
        for (size_t i = 0; i < rs->ncells; i++)
            if (strcmp(rs->cells[i].series, rs->series[s]) == 0 && rs->cells[i].nok) {
                P->nconfigs++;
                break;
            }
        const gcb_rcell_t *c = gcb__series_cell(rs, rs->series[s]);
        if (c) {
            add_unique(P->alloc, &P->nalloc, c->alloc);
            add_unique(P->coll, &P->ncoll, gcb__coll_label(c));
        }
    }
}

/* The figures, in the order of report.md: figure.h's GCB_FIGURES. */
static void (*const figures[])(plotter_t *) = {
#define GCB__FIG_ENTRY(name) gcb__fig_##name,
    GCB_FIGURES(GCB__FIG_ENTRY)
#undef GCB__FIG_ENTRY
};

/* gnuplot on every script written; the status of the whole command. */
static int plot_draw(plotter_t *P)
{
    gcb_plot_out_t *out = P->out;
    char why[512];
    if (gcb__find_gnuplot(out->gnuplot, sizeof out->gnuplot, why, sizeof why) != 0) {
        out->gnuplot_missing = 1;
        out->gnuplot[0] = '\0';
        gcb__say(P, "no figure drawn: %s.  The data files and gnuplot scripts are in %s; install gnuplot "
                "(Debian: gnuplot-nox) and run `gcbench plot %s` again, or `gnuplot FILE.gp` for each script",
            why, out->outdir, P->rs->dir);
        return P->write_failed ? GCB_EXIT_FAIL : GCB_EXIT_NOPLOT;
    }
    if (!out->n)
        return P->write_failed ? GCB_EXIT_FAIL : GCB_EXIT_OK;
    char logpath[GCB_PATH_MAX], tmp[GCB_PATH_MAX];
    snprintf(logpath, sizeof logpath, "%s/gnuplot.log", out->outdir);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        gcb__say(P, "cannot write '%s': %s; no figure drawn", logpath, strerror(errno));
        return GCB_EXIT_FAIL;
    }
    if (gcb__draw_begin(P, tmp, sizeof tmp) != 0) {
        close(logfd);
        return GCB_EXIT_FAIL;
    }
    /* the log must reach gnuplot across exec */
    int fl = fcntl(logfd, F_GETFD);
    fcntl(logfd, F_SETFD, fl & ~FD_CLOEXEC);
    for (size_t i = 0; i < out->n; i++)
        if (gcb__draw(P, &out->fig[i], logfd, tmp) != 0)
            out->failed++;
    /* a log with nothing in it (a full disk) is not left as a 0-byte file */
    struct stat st;
    if (fstat(logfd, &st) == 0 && st.st_size == 0)
        unlink(logpath);
    close(logfd);
    gcb__draw_end(tmp);
    return P->write_failed || out->failed ? GCB_EXIT_FAIL : GCB_EXIT_OK;
}

int gcb_plot(const gcb_rset_t *rs, const gcb_plot_opts_t *o, gcb_plot_out_t *out, const char *who)
{
    memset(out, 0, sizeof *out);
    plotter_t P = { .rs = rs, .o = o, .out = out, .who = who };
    int rc = plot_dir(&P);
    if (rc != GCB_EXIT_OK)
        return rc;
    gcb_table_t T;
    if (gcb_table_build(&T, rs, o->baseline) != 0) {
        gcb__say(&P, "out of memory");
        return GCB_EXIT_FAIL;
    }
    P.T = &T;
    plot_styles(&P);
    for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++)
        figures[k](&P);
    gcb__pending_free(&P);
    gcb_table_free(&T);
    P.T = NULL;
    return plot_draw(&P);
}
void gcb_plot_out_free(gcb_plot_out_t *out)
{
    free(out->fig);
    out->fig = NULL;
    out->n = 0;
}
