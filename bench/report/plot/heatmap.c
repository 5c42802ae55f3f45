/*
 * bench/report/plot/heatmap.c - the ratio heatmaps (throughput_heatmap, peak_rss_heatmap) and the frame they share with gc_pauses_heatmap.
 */
#include "bench/report/plot/figure.h"

/* Lay out the series `row` (nrow of them, top to bottom) by every
 * workload.  The headings hold what `head` says (the baseline's median of
 * m), and when they name the baseline its row is marked; `cellchars` is
 * the widest text of a cell in characters at 'sans,10', `rowpx` the height
 * of a row.  The key's items are wrapped (and consumed). */
void gcb__hm_layout(const plotter_t *P, hm_frame_t *F, const size_t *row, size_t nrow, heading_t head,
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
        F->rowcoll[r] = gcb__series_cell(rs, s)->coll;
        size_t l = strlen(F->rowlab[r]);
        rowchars = l > rowchars ? l : rowchars;
    }
    F->hdrlines = 1;
    for (size_t w = 0; w < F->ncol; w++) {
        int lines = gcb__wl_heading(P, w, m, head, F->hdr[w], sizeof F->hdr[w]);
        F->hdrlines = lines > F->hdrlines ? lines : F->hdrlines;
        size_t l = gcb__longest_line(F->hdr[w]);
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

/* A grid of one cell is no heatmap (the bars and the tables show that
 * cell), and gnuplot 5.4.4 segfaults drawing one (issue 10): not drawn,
 * with the reason in report.md.  A single row or column draws well. */
int gcb__hm_drawable(plotter_t *P, const char *stem, size_t nrow, size_t ncol)
{
    if (nrow >= 2 || ncol >= 2)
        return 1;
    gcb__skip(P, "%s: a single configuration on a single workload is not drawn as a heatmap (one cell; the "
                 "tables above show it)", stem);
    return 0;
}

void gcb__hm_free(hm_frame_t *F)
{
    free(F->rowlab);
    free(F->rowcoll);
    free(F->hdr);
}

/* A heatmap's data file, after the lines saying what its columns are: the
 * `# row` and `# column` lines naming the series `row` and the workloads. */
void gcb__hm_dat_names(FILE *d, const gcb_rset_t *rs, const size_t *row, size_t nrow)
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
void gcb__hm_dat_open(FILE *d, size_t r, size_t w, double colour, double value, const char *text)
{
    fprintf(d, "%zu %zu", r, w);
    gcb__dat_num(d, colour);
    gcb__dat_num(d, value);
    fputc(' ', d);
    gcb__dat_str(d, text);
}

void gcb__hm_dat_close(FILE *d, const char *series, const char *wl)
{
    fputc(' ', d);
    gcb__dat_str(d, series);
    fputc(' ', d);
    gcb__dat_str(d, wl);
    fputc('\n', d);
}

/* The script up to the colours: the canvas, the title, the grid's place,
 * the headings (x2), the row labels (y), the lines between the collectors'
 * blocks, and the key. */
void gcb__hm_begin(FILE *g, const plotter_t *P, const char *stem, const char *title, const hm_frame_t *F)
{
    gcb__gp_begin(g, P, stem, title, F->w, F->h);
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
void gcb__gp_palette(FILE *g, const char *const *colour, int n, int reversed)
{
    fputs("set palette defined (", g);
    for (int k = 0; k < n; k++)
        fprintf(g, "%g '%s'%s", 2.0 * k / (n - 1) - 1, colour[reversed ? n - 1 - k : k], k + 1 < n ? ", " : ")\n");
}

/* The start of the plot command: the cells of kind 1 filled from the
 * palette (column 3), of kinds 2 and 3 grey with their word (column 5);
 * the caller adds the numbers. */
void gcb__hm_plot_cells(FILE *g, const char *stem)
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
            const gcb_rcell_t *c = gcb__cell_at(rs, rs->wl[w], rs->series[r]);
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
                    gcb__fmt_sig2(h->text, sizeof h->text, h->ratio);
                }
            }
            if (h->kind == HM_FAILED || h->kind == HM_NO_VALUE)
                snprintf(h->text, sizeof h->text, "%s", h->kind == HM_FAILED ? "fail" : "n/a");
            count[h->kind]++;
        }
    if (!count[HM_VALUE]) {
        gcb__skip(P, "%s: no configuration has a %s ratio to %s on any workload", stem, ops ? "ops/s" : "peak RSS", base);
        free(cell);
        return;
    }
    if (!gcb__hm_drawable(P, stem, nrow, ncol)) {
        free(cell);
        return;
    }

    FILE *d = gcb__open_file(P, stem, "dat");
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
    gcb__hm_dat_names(d, rs, row, nrow);
    for (size_t r = 0; r < nrow; r++)
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &cell[r * ncol + w];
            gcb__hm_dat_open(d, r, w, log2(h->ratio), h->ratio, h->text);
            fprintf(d, " %d %d", h->sig, h->kind);
            gcb__dat_num(d, h->p);
            gcb__dat_num(d, h->median);
            fprintf(d, " %zu %zu", h->nok, h->nfail);
            gcb__hm_dat_close(d, rs->series[r], rs->wl[w]);
        }
    gcb__close_file(P, d, stem, "dat");

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
    gcb__hm_layout(P, &F, row, nrow, HEAD_BASE, m, 0, HEATMAP_ROW_PX, key, nkey);
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
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g) {
        gcb__hm_free(&F);
        free(cell);
        return;
    }
    gcb__hm_begin(g, P, stem, title, &F);
    fprintf(g, "# colours: log2 of the ratio from -R to R (ratios 1/2^R to 2^R); beyond, the end colours.\n"
               "# Blue is better: %s ratios for %s.\n"
               "R = %g\nset cbrange [-R:R]\n",
            ops ? "high" : "low", ops ? "ops/s" : "peak RSS", R);
    gcb__gp_palette(g, heat_colours, HEATMAP_NCOLOURS, !ops);
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
    gcb__hm_plot_cells(g, stem);
    fputs("  '' using (hasnum($7) ? $2 : NaN):1:(txt(stringcolumn(5), $6, $11)):(ink($3, $6)) with labels \\\n"
          "     textcolor rgb variable notitle\n",
          g);
    gp_end(g);
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
    gcb__hm_free(&F);
    free(cell);
}

void gcb__fig_throughput_heatmap(plotter_t *P) { fig_heatmap(P, GCB_M_OPS, "throughput"); }
void gcb__fig_peak_rss_heatmap(plotter_t *P) { fig_heatmap(P, GCB_M_RSS, "peak_rss"); }
