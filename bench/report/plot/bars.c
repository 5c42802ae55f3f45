/*
 * bench/report/plot/bars.c - the bar figures throughput and peak_rss: one group per workload, one bar per configuration, relative to the baseline with 95% CIs.
 */
#include "bench/report/plot/figure.h"

/* ------------------------------------------------------------ figures */

/* The rule of the bar figures (throughput, peak_rss, gc_pauses): drawn
 * with at most BARS_MAX_CONFIGS configurations, or whatever their number
 * with --bars; otherwise not drawn, with the reason (the heatmap of the
 * same name shows them), and the figure's files from an earlier run are
 * removed.  One count for the three figures, so they come and go together. */
int gcb__bars_readable(plotter_t *P, const char *stem)
{
    if (P->nconfigs <= BARS_MAX_CONFIGS || P->o->bars)
        return 1;
    gcb__skip(P, "%s: %zu configurations are too many bars per workload to read (at most %d); %s_heatmap shows them "
            "(--bars draws the bars anyway)",
         stem, P->nconfigs, BARS_MAX_CONFIGS, stem);
    gcb__remove_figure(P, stem);
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
        gcb__skip(P, "%s: no ok run has %s", stem, ops ? "ops/s" : "a peak RSS");
        free(used);
        return;
    }
    if (!gcb__bars_readable(P, stem)) {
        free(used);
        return;
    }
    FILE *d = gcb__open_file(P, stem, "dat");
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
        int lines = gcb__wl_heading(P, w, m, HEAD_NAMED_BASE, label, sizeof label);
        maxlines = lines > maxlines ? lines : maxlines;
        /* the data file keeps \n as two characters; gnuplot turns them
         * into a line break in the tic label */
        fputc('"', d);
        fputs(label, d);
        fputc('"', d);
        for (size_t k = 0; k < nused; k++) {
            const gcb_rcell_t *c = gcb__cell_at(rs, rs->wl[w], rs->series[used[k]]);
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
            gcb__dat_num(d, r);
            gcb__dat_num(d, lo);
            gcb__dat_num(d, hi);
            gcb__dat_num(d, med);
            fprintf(d, " %zu", n);
        }
        fputc('\n', d);
    }
    gcb__close_file(P, d, stem, "dat");

    char title[512], caption[1024];
    snprintf(title, sizeof title, "%s per workload, relative to %s", ops ? "Throughput (ops/s)" : "Peak RSS", base);
    snprintf(caption, sizeof caption,
             "%s of each allocator/collector configuration divided by that of %s on the same workload "
             "(ratio of medians; %s is better). Error bars: 95%% confidence interval of the ratio%s.",
             ops ? "Median ops/s" : "Median peak resident set size", base, ops ? "higher" : "lower",
             ranges ? " (Moses); where too few runs allow none, the range of the runs" : " (Moses)");
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g)
        return;
    size_t nbars = rs->nwl * nused;
    int w = clampi(420 + (int)nbars * 16 + 40 * (int)rs->nwl, MIN_W, MAX_W);
    int h = clampi(220 + 18 * (int)nused + 14 * maxlines, MIN_H, MAX_H);
    gcb__gp_begin(g, P, stem, title, w, h);
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
    gcb__gp_key(g, "allocator/collector", gcb__longest_label(rs->series, used, nused));
    fputs("plot \\\n", g);
    for (size_t k = 0; k < nused; k++) {
        const gcb_rcell_t *c = gcb__series_cell(rs, rs->series[used[k]]);
        size_t col = 2 + 5 * k;
        if (k == 0)
            fprintf(g, "  '%s.dat' using %zu:%zu:%zu:xtic(1) title ", stem, col, col + 1, col + 2);
        else
            fprintf(g, "  '' using %zu:%zu:%zu title ", col, col + 1, col + 2);
        gp_str(g, rs->series[used[k]]);
        fprintf(g, " linecolor rgb '%s' fillstyle %s border linecolor rgb 'black'%s\n", gcb__colour_of(P, c->alloc),
                gcb__fill_of(P, c), k + 1 < nused ? ", \\" : "");
    }
    gp_end(g);
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
    free(used);
}

void gcb__fig_throughput(plotter_t *P) { fig_relative(P, GCB_M_OPS, "throughput"); }
void gcb__fig_peak_rss(plotter_t *P) { fig_relative(P, GCB_M_RSS, "peak_rss"); }
