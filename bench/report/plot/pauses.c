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

/* The rows of the pause heatmap and what they hold. */
typedef struct hm_pause {
    hm_cell_t *cell;             /* [kept row * ncol + col] */
    size_t *row, nrow;           /* the series kept, in order */
    char *left_out;              /* per series: 1 when no run of it paused */
    size_t count[4], partial, unpaused, cellchars;
    double lo, hi;               /* least and greatest median p99, s */
    char omitted[2048];          /* the series left out, for the data file */
    char nopause[1024];          /* the same, by collector where all of its are, for the key */
} hm_pause_t;

/* A cell from the table: the median p99, its runs' least and greatest,
 * the longest pause (seconds, from the record's ns), and its texts.
 * Returns whether the cell keeps its row (it paused, or every run failed). */
static int pause_cell(const plotter_t *P, size_t s, size_t w, hm_cell_t *h, hm_pause_t *H)
{
    const gcb_tcell_t *t = gcb_table_at(P->T, s, w);
    memset(h, 0, sizeof *h);
    h->median = h->lo = h->hi = h->max = NAN;
    h->kind = !t ? HM_NO_CELL : !t->c->nok ? HM_FAILED : !t->m[GCB_M_P99].n ? HM_NO_VALUE : HM_VALUE;
    int keep = h->kind == HM_FAILED || h->kind == HM_VALUE;
    if (!t)
        return keep;
    h->nok = t->c->nok;
    h->nfail = t->c->nfail;
    h->npaused = t->m[GCB_M_P99].n;
    if (h->kind != HM_VALUE) {
        snprintf(h->text, sizeof h->text, "%s", h->kind == HM_FAILED ? "fail" : "no pauses");
        return keep;
    }
    h->median = t->m[GCB_M_P99].median / 1e9;
    h->lo = t->m[GCB_M_P99].min / 1e9;
    h->hi = t->m[GCB_M_P99].max / 1e9;
    h->max = t->m[GCB_M_PMAX].n ? t->m[GCB_M_PMAX].max / 1e9 : NAN;
    char d[24];
    gcb_fmt_duration2(d, sizeof d, h->median);
    snprintf(h->text, sizeof h->text, "%s%s%s", d, h->npaused < h->nok ? "*" : "", h->nfail ? "!" : "");
    if (!isnan(h->max)) {
        gcb_fmt_duration2(d, sizeof d, h->max);
        snprintf(h->sub, sizeof h->sub, "max %s", d);
    }
    /* the small line is drawn at 8 points: 4/5 of a character */
    size_t chars = strlen(h->text), subchars = (strlen(h->sub) * 4 + 4) / 5;
    chars = subchars > chars ? subchars : chars;
    H->cellchars = chars > H->cellchars ? chars : H->cellchars;
    return keep;
}

/* Every series' row: kept (counted) or left out (named). */
static void pause_rows(const plotter_t *P, hm_pause_t *H)
{
    const gcb_rset_t *rs = P->rs;
    size_t ncol = rs->nwl;
    for (size_t s = 0; s < rs->nseries; s++) {
        hm_cell_t *line = &H->cell[H->nrow * ncol];
        int keep = 0;
        for (size_t w = 0; w < ncol; w++)
            keep |= pause_cell(P, s, w, &line[w], H);
        if (!keep) {
            size_t off = strlen(H->omitted);
            snprintf(H->omitted + off, sizeof H->omitted - off, "%s%s", off ? ", " : "", rs->series[s]);
            H->left_out[s] = 1;
            continue;
        }
        for (size_t w = 0; w < ncol; w++) {
            const hm_cell_t *h = &line[w];
            H->count[h->kind]++;
            H->partial += h->kind == HM_VALUE && h->nfail > 0;
            H->unpaused += h->kind == HM_VALUE && h->npaused < h->nok;
            if (h->kind == HM_VALUE && h->median > 0) {
                H->lo = fmin(H->lo, h->median);
                H->hi = fmax(H->hi, h->median);
            }
        }
        H->row[H->nrow++] = s;
    }
}

/* The rows left out, for the key: a collector none of whose
 * configurations paused by its name alone ("rc"), others one by one. */
static void pause_left_out(const plotter_t *P, hm_pause_t *H)
{
    const gcb_rset_t *rs = P->rs;
    for (size_t s = 0; s < rs->nseries; s++) {
        if (!H->left_out[s])
            continue;
        const char *coll = gcb_table_row_cell(P->T, s)->coll;
        int whole = 1, first = 1;
        for (size_t t = 0; t < rs->nseries; t++)
            if (strcmp(gcb_table_row_cell(P->T, t)->coll, coll) == 0) {
                whole &= H->left_out[t];
                first &= !(t < s && H->left_out[t]);
            }
        if (whole && !first)
            continue;
        size_t off = strlen(H->nopause);
        snprintf(H->nopause + off, sizeof H->nopause - off, "%s%s%s", off ? ", " : "", whole ? coll : rs->series[s],
                 whole ? " (every allocator)" : "");
    }
}

static void pause_dat(const plotter_t *P, FILE *d, const char *stem, const hm_pause_t *H)
{
    const gcb_rset_t *rs = P->rs;
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
            H->omitted[0] ? H->omitted : "(none)");
    gcb__hm_dat_names(d, rs, H->row, H->nrow);
    for (size_t r = 0; r < H->nrow; r++)
        for (size_t w = 0; w < rs->nwl; w++) {
            const hm_cell_t *h = &H->cell[r * rs->nwl + w];
            gcb__hm_dat_open(d, r, w, h->median > 0 ? log10(h->median) : NAN, h->median, h->text);
            fputc(' ', d);
            gcb__dat_str(d, h->sub);
            fprintf(d, " %d", h->kind);
            gcb__dat_num(d, h->max);
            gcb__dat_num(d, h->lo);
            gcb__dat_num(d, h->hi);
            fprintf(d, " %zu %zu %zu", h->npaused, h->nok, h->nfail);
            gcb__hm_dat_close(d, rs->series[H->row[r]], rs->wl[w]);
        }
}

static size_t pause_key(const hm_pause_t *H, char (*key)[512])
{
    size_t nkey = 0;
    snprintf(key[nkey++], sizeof key[0],
             "Each cell: the median over the runs of each run's p99 pause, coloured on a log scale (darker is "
             "longer); under it, the longest pause of any run.");
    if (H->nopause[0])
        snprintf(key[nkey++], sizeof key[0], "No row: %s; no run paused on any workload.", H->nopause);
    if (H->count[HM_NO_VALUE])
        snprintf(key[nkey++], sizeof key[0], "no pauses: no run of the cell collected.");
    if (H->unpaused)
        snprintf(key[nkey++], sizeof key[0], "*: only some ok runs paused; the numbers are of those.");
    if (H->count[HM_FAILED])
        snprintf(key[nkey++], sizeof key[0], "fail: every run of the cell failed.");
    if (H->partial)
        snprintf(key[nkey++], sizeof key[0], "!: some runs failed; the numbers are of the ok runs.");
    if (H->count[HM_NO_CELL])
        snprintf(key[nkey++], sizeof key[0], "blank: the configuration did not run on the workload.");
    return nkey;
}

/* The script after the frame: the colour range (log10 s, clo..chi), the
 * palette, its tics at the powers of 10, and the cells' two texts. */
static void pause_gp(FILE *g, const char *stem, double clo, double chi)
{
    fprintf(g, "# colours: log10 of the p99 pause in seconds, from lo to hi (beyond, the end colours)\n"
               "lo = %g; hi = %g\nset cbrange [lo:hi]\n",
            clo, chi);
    gcb__gp_palette(g, pause_colours, PAUSE_NCOLOURS, 0);
    fputs("set cbtics scale 0.5 (", g);
    for (double x = ceil(clo); x <= chi + 1e-9; x++) {
        unit_t u = gcb_fmt_time_unit(pow(10, x));
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
}

static void pause_caption(const hm_pause_t *H, char *caption, size_t n)
{
    snprintf(caption, n,
             "The median over the runs of each run's 99th-percentile collection pause (the record's gc.pause_ns.p99), "
             "per configuration (row, grouped by collector) and workload (column), printed and coloured on a log "
             "scale, darker is longer; under it, in small text, the longest pause of any run. Within a collector's "
             "block, the rows differ only by allocator.%s%s%s%s%s",
             H->nopause[0] ? " Left out, as no run paused: " : "", H->nopause, H->nopause[0] ? "." : "",
             H->count[HM_NO_VALUE] ? " no pauses: the cell's runs never collected." : "",
             H->count[HM_FAILED] ? " fail: every run of the cell failed." : "");
}

void gcb__fig_gc_pauses_heatmap(plotter_t *P)
{
    const gcb_rset_t *rs = P->rs;
    const char *stem = "gc_pauses_heatmap";
    hm_pause_t H = { .cell = calloc(rs->nseries * rs->nwl + 1, sizeof *H.cell),
                     .row = malloc((rs->nseries + 1) * sizeof *H.row),
                     .left_out = calloc(rs->nseries + 1, 1),
                     .cellchars = strlen("no pauses"), .lo = INFINITY, .hi = 0 };
    pause_rows(P, &H);
    pause_left_out(P, &H);
    FILE *d = NULL, *g = NULL;
    if (!H.count[HM_VALUE])
        gcb__skip(P, "%s: no collection paused in this result directory (%s: no pauses)", stem,
                  H.nopause[0] ? H.nopause : "no configuration");
    if (H.count[HM_VALUE] && gcb__hm_drawable(P, stem, H.nrow, rs->nwl) && (d = gcb__open_file(P, stem, "dat"))) {
        pause_dat(P, d, stem, &H);
        gcb__close_file(P, d, stem, "dat");
        char key[7][512], title[512], caption[1024];
        size_t nkey = pause_key(&H, key);
        hm_frame_t F;
        gcb__hm_layout(P, &F, H.row, H.nrow, HEAD_NAME, GCB_M_P99, H.cellchars, HEATMAP_PAUSE_ROW_PX, key, nkey);
        /* colour range: half decades around the medians, at least one decade */
        double clo = floor(2 * log10(H.lo)) / 2, chi = ceil(2 * log10(H.hi)) / 2;
        chi = chi >= clo + 1 ? chi : clo + 1;
        snprintf(title, sizeof title, "GC pauses: p99 per configuration and workload (median over runs, log colour scale)");
        pause_caption(&H, caption, sizeof caption);
        if ((g = gcb__open_file(P, stem, "gp"))) {
            gcb__hm_begin(g, P, stem, title, &F);
            pause_gp(g, stem, clo, chi);
            if (gcb__close_file(P, g, stem, "gp") == 0)
                gcb__add_figure(P, stem, title, caption);
        }
        gcb__hm_free(&F);
    }
    free(H.left_out);
    free(H.row);
    free(H.cell);
}

/* One bar group of gc_pauses: the pauses of every cell of workload `wl`
 * drawn with collector label `cl` (every allocator pooled): p50 and p99
 * the median over the runs of each run's percentile, max the longest.
 * Returns the runs that paused (0: no row). */
static size_t pause_group(const gcb_rset_t *rs, const char *wl, const char *cl, double out[3])
{
    static const gcb_metric_t ms[3] = { GCB_M_P50, GCB_M_P99, GCB_M_PMAX };
    size_t n = 0, k[3] = { 0, 0, 0 };
    for (size_t j = 0; j < rs->ncells; j++)
        if (strcmp(rs->cells[j].wl, wl) == 0 && strcmp(gcb__coll_label(&rs->cells[j]), cl) == 0)
            n += rs->cells[j].n[GCB_M_P99];
    if (n == 0)
        return 0;
    double *v[3];
    for (int q = 0; q < 3; q++)
        v[q] = malloc(n * sizeof(double) + sizeof(double));
    for (size_t j = 0; j < rs->ncells; j++) {
        const gcb_rcell_t *x = &rs->cells[j];
        if (strcmp(x->wl, wl) != 0 || strcmp(gcb__coll_label(x), cl) != 0)
            continue;
        for (int q = 0; q < 3; q++)
            for (size_t t = 0; t < x->n[ms[q]] && k[q] < n; t++)
                v[q][k[q]++] = x->v[ms[q]][t];
    }
    double mx = 0;
    for (size_t t = 0; t < k[2]; t++)
        mx = v[2][t] > mx ? v[2][t] : mx;
    out[0] = gcb_median(v[0], k[0]);
    out[1] = gcb_median(v[1], k[1]);
    out[2] = k[2] ? mx : NAN;
    for (int q = 0; q < 3; q++)
        free(v[q]);
    return k[1];
}

/* The data file: a row per collector label and workload that paused; the
 * collectors that did not, named in `nopause`.  Returns the rows. */
static size_t pauses_dat(const gcb_rset_t *rs, FILE *d, char *nopause, size_t nn)
{
    fprintf(d, "# gc_pauses.dat - GC pause times per collector and workload (written by gcbench plot from %s)\n",
            rs->dir);
    fprintf(d, "# One row per collector configuration x workload whose runs paused, every allocator pooled.\n"
               "# Columns: label, p50 and p99 in microseconds (median over the runs of the per-run percentile),\n"
               "# max in microseconds (the largest of any run), runs.\n");
    size_t rows = 0, npoff = 0;
    for (size_t w = 0; w < rs->nwl; w++)
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, rs->wl[w]) != 0)
                continue;
            /* first cell of this label in this workload? */
            int first = 1;
            for (size_t j = 0; j < i && first; j++)
                first = !(strcmp(rs->cells[j].wl, c->wl) == 0 &&
                          strcmp(gcb__coll_label(&rs->cells[j]), gcb__coll_label(c)) == 0);
            double q[3];
            size_t runs = first ? pause_group(rs, c->wl, gcb__coll_label(c), q) : 1;
            if (!first)
                continue;
            if (!runs) {
                if (!strstr(nopause, c->coll) && npoff < nn)
                    npoff += (size_t)snprintf(nopause + npoff, nn - npoff, "%s%s", npoff ? ", " : "", c->coll);
                continue;
            }
            fprintf(d, "\"%s\\n%s\"", gcb__coll_label(c), c->wl);
            gcb__dat_num(d, q[0] / 1e3);
            gcb__dat_num(d, q[1] / 1e3);
            gcb__dat_num(d, q[2] / 1e3);
            fprintf(d, " %zu\n", runs);
            rows++;
        }
    return rows;
}

static void pauses_gp(const plotter_t *P, FILE *g, const char *stem, const char *title, size_t rows,
                      const char *nopause)
{
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
}

/* p50, p99 and max pause per collector configuration and workload, every
 * allocator pooled, as bars; under the bar figures' rule (gc_pauses_heatmap
 * shows any number of configurations). */
void gcb__fig_gc_pauses(plotter_t *P)
{
    const char *stem = "gc_pauses";
    FILE *d = NULL, *g = NULL;
    if (!gcb__bars_readable(P, stem) || !(d = gcb__open_file(P, stem, "dat")))
        return;
    char nopause[1024] = "";
    size_t rows = pauses_dat(P->rs, d, nopause, sizeof nopause);
    gcb__close_file(P, d, stem, "dat");
    char title[512], caption[1024];
    snprintf(title, sizeof title, "GC pauses per collector and workload (log scale)");
    snprintf(caption, sizeof caption,
             "Pause times of each collector on each workload, all allocators pooled: p50 and p99 are the median "
             "over runs of each run's percentile, max the longest pause of any run.%s%s%s",
             nopause[0] ? " Collectors with no pause in a workload are left out (" : "", nopause,
             nopause[0] ? ")." : "");
    if ((g = gcb__open_file(P, stem, "gp"))) {
        pauses_gp(P, g, stem, title, rows, nopause);
        if (gcb__close_file(P, g, stem, "gp") == 0)
            gcb__add_figure(P, stem, title, caption);
    }
}
