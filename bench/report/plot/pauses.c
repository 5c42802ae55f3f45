/*
 * bench/report/plot/pauses.c - the GC pause figures: gc_pauses_heatmap and the gc_pauses bars.
 */
#include "bench/report/plot/figure.h"

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
void gcb__fig_gc_pauses_heatmap(plotter_t *P)
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
            const gcb_rcell_t *c = gcb__cell_at(rs, rs->wl[w], rs->series[s]);
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
            gcb__fmt_duration(t, sizeof t, h->median);
            snprintf(h->text, sizeof h->text, "%s%s%s", t, h->npaused < h->nok ? "*" : "", h->nfail ? "!" : "");
            if (!isnan(h->max)) {
                gcb__fmt_duration(t, sizeof t, h->max);
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
        const char *coll = gcb__series_cell(rs, rs->series[s])->coll;
        int whole = 1, first = 1;
        for (size_t t = 0; t < nser; t++)
            if (strcmp(gcb__series_cell(rs, rs->series[t])->coll, coll) == 0) {
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
        gcb__skip(P, "%s: no collection paused in this result directory (%s: no pauses)", stem,
             nopause[0] ? nopause : "no configuration");
        free(row);
        free(cell);
        return;
    }
    if (!gcb__hm_drawable(P, stem, nrow, ncol)) {
        free(row);
        free(cell);
        return;
    }

    FILE *d = gcb__open_file(P, stem, "dat");
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
    gcb__hm_dat_names(d, rs, row, nrow);
    for (size_t r = 0; r < nrow; r++)
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &cell[r * ncol + w];
            gcb__hm_dat_open(d, r, w, h->median > 0 ? log10(h->median) : NAN, h->median, h->text);
            fputc(' ', d);
            gcb__dat_str(d, h->sub);
            fprintf(d, " %d", h->kind);
            gcb__dat_num(d, h->max);
            gcb__dat_num(d, h->lo);
            gcb__dat_num(d, h->hi);
            fprintf(d, " %zu %zu %zu", h->npaused, h->nok, h->nfail);
            gcb__hm_dat_close(d, rs->series[row[r]], rs->wl[w]);
        }
    gcb__close_file(P, d, stem, "dat");

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
    gcb__hm_layout(P, &F, row, nrow, HEAD_NAME, GCB_M_P99, cellchars, HEATMAP_PAUSE_ROW_PX, key, nkey);
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
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g) {
        gcb__hm_free(&F);
        free(row);
        free(cell);
        return;
    }
    gcb__hm_begin(g, P, stem, title, &F);
    fprintf(g, "# colours: log10 of the p99 pause in seconds, from lo to hi (beyond, the end colours)\n"
               "lo = %g; hi = %g\nset cbrange [lo:hi]\n",
            clo, chi);
    gcb__gp_palette(g, pause_colours, PAUSE_NCOLOURS, 0);
    /* tics at the powers of 10 in the range */
    fputs("set cbtics scale 0.5 (", g);
    for (double x = ceil(clo); x <= chi + 1e-9; x++) {
        unit_t u = gcb__duration_unit(pow(10, x));
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
    gcb__hm_plot_cells(g, stem);
    fprintf(g, "  '' using (hasnum($7) ? $2 : NaN):($1 - %.2f):5:(ink($3)) with labels textcolor rgb variable notitle, \\\n"
               "  '' using (hasnum($7) ? $2 : NaN):($1 + %.2f):6:(subink($3)) with labels font ',8' \\\n"
               "     textcolor rgb variable notitle\n",
            PAUSE_NUM_SHIFT, PAUSE_SUB_SHIFT);
    gp_end(g);
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
    gcb__hm_free(&F);
    free(row);
    free(cell);
}

/* p50, p99 and max pause per collector configuration and workload, every
 * allocator pooled, as bars; under the bar figures' rule (gc_pauses_heatmap
 * shows any number of configurations). */
void gcb__fig_gc_pauses(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *stem = "gc_pauses";
    if (!gcb__bars_readable(P, stem))
        return;
    FILE *d = gcb__open_file(P, stem, "dat");
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
                if (strcmp(rs->cells[j].wl, c->wl) == 0 && strcmp(gcb__coll_label(&rs->cells[j]), gcb__coll_label(c)) == 0)
                    first = 0;
            if (!first)
                continue;
            size_t n = 0;
            for (size_t j = i; j < rs->ncells; j++)
                if (strcmp(rs->cells[j].wl, c->wl) == 0 && strcmp(gcb__coll_label(&rs->cells[j]), gcb__coll_label(c)) == 0)
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
                if (strcmp(x->wl, c->wl) != 0 || strcmp(gcb__coll_label(x), gcb__coll_label(c)) != 0)
                    continue;
                for (int q = 0; q < 3; q++)
                    for (size_t t = 0; t < x->n[ms[q]] && k[q] < n; t++)
                        v[q][k[q]++] = x->v[ms[q]][t];
            }
            double mx = 0;
            for (size_t t = 0; t < k[2]; t++)
                mx = v[2][t] > mx ? v[2][t] : mx;
            char label[1024];
            snprintf(label, sizeof label, "%s\\n%s", gcb__coll_label(c), c->wl);
            fputc('"', d);
            fputs(label, d);
            fputc('"', d);
            gcb__dat_num(d, gcb_median(v[0], k[0]) / 1e3);
            gcb__dat_num(d, gcb_median(v[1], k[1]) / 1e3);
            gcb__dat_num(d, k[2] ? mx / 1e3 : NAN);
            fprintf(d, " %zu\n", k[1]);
            rows++;
            for (int q = 0; q < 3; q++)
                free(v[q]);
        }
    }
    gcb__close_file(P, d, stem, "dat");
    /* collectors that paused somewhere are not "never paused" */
    char title[512], caption[1024];
    snprintf(title, sizeof title, "GC pauses per collector and workload (log scale)");
    snprintf(caption, sizeof caption,
             "Pause times of each collector on each workload, all allocators pooled: p50 and p99 are the median "
             "over runs of each run's percentile, max the longest pause of any run.%s%s%s",
             nopause[0] ? " Collectors with no pause in a workload are left out (" : "", nopause,
             nopause[0] ? ")." : "");
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g)
        return;
    int w = clampi(420 + (int)rows * 60, MIN_W, MAX_W);
    gcb__gp_begin(g, P, stem, title, w, MIN_H);
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
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
}
