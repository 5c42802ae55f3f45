/*
 * bench/report/plot/scaling.c - scaling_WORKLOAD: throughput against the
 * number of mutator threads, one line per configuration (allocator,
 * collector, mode and the other swept parameters), with the scaling
 * efficiency on the right axis (bench/analysis/scaling.h).
 *
 * Drawn for each workload whose threaded cells ran at two or more thread
 * counts.  Oversubscribed points (threads > the machine's cores, as the
 * runs recorded it) are drawn as open rings around the point and lie in a
 * grey region that begins halfway between the last point that fits the
 * cores and the first that does not; the key says how many cores.
 */
#include "bench/report/plot/figure.h"
#include "bench/analysis/scaling.h"

typedef struct scaling_fig {
    const char *wl;
    char stem[400];
    long counts[GCB_SCALING_MAX_COUNTS];
    size_t nc;
    char (*lines)[GCB_LABEL_MAX];
    const gcb_rcell_t **line_cell;   /* a cell of each line (its colour) */
    const gcb_rcell_t **at;          /* [line * nc + count], or NULL */
    size_t nl;
    long cores;                      /* -1 unknown */
    double shade_from;               /* x where the oversubscribed region begins; NAN none */
} scaling_fig_t;

static size_t count_index(const scaling_fig_t *X, long t)
{
    size_t k = 0;
    while (k < X->nc && X->counts[k] != t)
        k++;
    return k;
}

/* The lines in series order and each one's cell at each thread count;
 * the cores and where the oversubscribed region starts. */
static int scaling_lines(const plotter_t *P, scaling_fig_t *X)
{
    const gcb_rset_t *rs = P->rs;
    X->lines = malloc((rs->ncells + 1) * sizeof *X->lines);
    X->line_cell = malloc((rs->ncells + 1) * sizeof *X->line_cell);
    X->at = calloc(rs->ncells * X->nc + 1, sizeof *X->at);
    if (!X->lines || !X->line_cell || !X->at)
        return -1;
    long fits = 0, over = 0;
    X->cores = -1;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, X->wl) != 0 || !gcb_scaling_threaded(c))
            continue;
        size_t k = count_index(X, gcb_scaling_threads(c)), j = 0;
        if (k == X->nc)
            continue;
        char lab[GCB_LABEL_MAX];
        gcb_scaling_line(c, 0, lab, sizeof lab);
        while (j < X->nl && strcmp(X->lines[j], lab) != 0)
            j++;
        if (j == X->nl) {
            snprintf(X->lines[X->nl], sizeof X->lines[0], "%s", lab);
            X->line_cell[X->nl++] = c;
        }
        if (!X->at[j * X->nc + k])
            X->at[j * X->nc + k] = c;
        gcb_scaling_t s;
        gcb_scaling_of(rs, c, &s);
        X->cores = s.cores > 0 ? s.cores : X->cores;
        if (s.oversubscribed == 1 && (!over || X->counts[k] < over))
            over = X->counts[k];
        if (s.oversubscribed == 0 && X->counts[k] > fits)
            fits = X->counts[k];
    }
    X->shade_from = over ? (fits && fits < over ? (fits + over) / 2.0 : over - 0.5) : NAN;
    return 0;
}

/* The data file: one block per line, a row per thread count. */
static void scaling_dat(const plotter_t *P, FILE *d, const scaling_fig_t *X, double *emax)
{
    fprintf(d, "# %s.dat - ops/s and scaling efficiency against mutator threads, workload %s (written by gcbench "
               "plot from %s)\n",
            X->stem, X->wl, P->rs->dir);
    fputs("# One block per configuration (gnuplot index 0, 1, ...), one row per thread count.\n"
          "# Columns: threads, ops/s median, 95% CI low, high (order statistics of the median; the range with < 6\n"
          "# runs), efficiency = ops/s / (threads x the 1-thread median), its 95% interval low, high (Moses, or\n"
          "# the range; NaN without a 1-thread cell), oversubscribed (1: threads > cores, 0 not, -1 unknown), ok runs.\n",
          d);
    *emax = 1;
    for (size_t l = 0; l < X->nl; l++) {
        fprintf(d, "%s# index %zu: %s\n", l ? "\n\n" : "", l, X->lines[l]);
        for (size_t k = 0; k < X->nc; k++) {
            const gcb_rcell_t *c = X->at[l * X->nc + k];
            if (!c || !c->nok)
                continue;
            const gcb_tcell_t *t = gcb_table_of(P->T, c);
            gcb_scaling_t s;
            gcb_scaling_of(P->rs, c, &s);
            gcb__dat_num(d, (double)X->counts[k]);
            gcb__dat_num(d, t->m[GCB_M_OPS].median);
            gcb__dat_num(d, t->m[GCB_M_OPS].lo);
            gcb__dat_num(d, t->m[GCB_M_OPS].hi);
            gcb__dat_num(d, s.eff);
            gcb__dat_num(d, s.lo);
            gcb__dat_num(d, s.hi);
            *emax = isfinite(s.hi) && s.hi > *emax ? s.hi : *emax;
            fprintf(d, " %d %zu\n", s.oversubscribed, c->nok);
        }
    }
}

static void scaling_axes(FILE *g, const scaling_fig_t *X, double emax)
{
    fputs("\nset xlabel 'mutator threads'\nset ylabel 'ops/s (median; solid lines)'\n"
          "set y2label 'scaling efficiency (dashed lines; 1 = perfect)'\nset format y '%.1s%c'\n"
          "set ytics nomirror\nset y2tics\nset yrange [0:*]\n",
          g);
    fprintf(g, "set y2range [0:%g]\nset grid\nset offsets graph 0.03, graph 0.03, 0, 0\n", ceil(emax * 11) / 10);
    if (X->counts[X->nc - 1] / X->counts[0] >= 8)
        fputs("set logscale x 2\n", g);
    fputs("set xtics (", g);
    for (size_t k = 0; k < X->nc; k++)
        fprintf(g, "%s%ld", k ? ", " : "", X->counts[k]);
    fputs(")\n", g);
    if (!isnan(X->shade_from)) {
        fprintf(g, "set object 1 rect from first %g, graph 0 to graph 1, graph 1 behind fillcolor rgb '#e8e8e8' "
                   "fillstyle solid 1.0 noborder\n",
                X->shade_from);
        fprintf(g, "set label 1 'oversubscribed: threads > %ld cores' at graph 0.99, graph 0.97 right font ',9'\n",
                X->cores);
    }
}

/* Point shapes per mode (the line's cell's, in order of appearance): the
 * ops/s line filled, the efficiency line the same shape open, so that two
 * modes under one allocator (one colour) stay apart. */
static const int mode_pt_filled[] = { 7, 9, 11, 13, 5 }, mode_pt_open[] = { 6, 8, 10, 12, 4 };
#define NMODE_PT (sizeof mode_pt_filled / sizeof mode_pt_filled[0])

static size_t mode_slot(const scaling_fig_t *X, size_t l)
{
    const char *seen[64];
    size_t n = 0, j = 0;
    for (size_t i = 0; i <= l; i++) {
        const char *m = gcb_scaling_mode(X->line_cell[i]);
        for (j = 0; j < n && strcmp(seen[j], m) != 0; j++)
            ;
        if (j == n && n < 64)
            seen[n++] = m;
    }
    return j % NMODE_PT;
}

static void scaling_gp(const plotter_t *P, FILE *g, const scaling_fig_t *X, const char *title, double emax)
{
    gcb__gp_begin(g, P, X->stem, title, MIN_W + 300, clampi(520 + 30 * (int)X->nl, MIN_H, MAX_H));
    fputs("set title ", g);
    gp_str(g, title);
    scaling_axes(g, X, emax);
    gcb__gp_key(g, NULL, gcb__longest_label(X->lines, NULL, X->nl) + strlen(" efficiency"));
    fputs("plot \\\n", g);
    for (size_t l = 0; l < X->nl; l++) {
        const char *col = gcb__colour_of(P, X->line_cell[l]->alloc);
        size_t ms = mode_slot(X, l);
        char t[GCB_LABEL_MAX + 32];
        for (int ax = 0; ax < 3; ax++) {
            if (l == 0 && ax == 0)
                fprintf(g, "  '%s.dat' index 0", X->stem);
            else
                fprintf(g, "  '' index %zu", l);
            if (ax == 0)
                fprintf(g, " using 1:2:3:4 with yerrorlines axes x1y1 dashtype 1 pointtype %d", mode_pt_filled[ms]);
            else if (ax == 1)
                fprintf(g, " using 1:5:6:7 with yerrorlines axes x1y2 dashtype 2 pointtype %d", mode_pt_open[ms]);
            else /* a ring around each oversubscribed ops/s point */
                fputs(" using 1:($8 == 1 ? $2 : 1/0) with points axes x1y1 pointtype 6 pointsize 2.2", g);
            fprintf(g, " linecolor rgb '%s' ", col);
            if (ax == 2) {
                fputs("notitle", g);
            } else {
                fputs("title ", g);
                snprintf(t, sizeof t, "%s %s", X->lines[l], ax ? "efficiency" : "ops/s");
                gp_str(g, t);
            }
            fputs(l + 1 < X->nl || ax < 2 ? ", \\\n" : "\n", g);
        }
    }
    gp_end(g);
}

static void fig_scaling(plotter_t *P, size_t w)
{
    scaling_fig_t X = { .wl = P->rs->wl[w] };
    X.nc = gcb_scaling_counts(P->rs, X.wl, X.counts, GCB_SCALING_MAX_COUNTS);
    if (X.nc < 2)
        return;
    if (scaling_lines(P, &X) == 0 && X.nl) {
        char sw[256];
        gcb__sanitize(sw, sizeof sw, X.wl);
        snprintf(X.stem, sizeof X.stem, "scaling_%s", sw);
        FILE *d = gcb__open_file(P, X.stem, "dat"), *g = NULL;
        double emax;
        if (d) {
            scaling_dat(P, d, &X, &emax);
            if (gcb__close_file(P, d, X.stem, "dat") == 0 && (g = gcb__open_file(P, X.stem, "gp"))) {
                char title[GCB_LABEL_MAX + 64], caption[1024], cores[64] = "";
                snprintf(title, sizeof title, "Scaling: %s%s%s", X.wl, X.line_cell[0]->wl_params[0] ? " " : "",
                         X.line_cell[0]->wl_params);
                if (X.cores > 0)
                    snprintf(cores, sizeof cores, " (this machine: %ld cores)", X.cores);
                snprintf(caption, sizeof caption,
                         "Workload %s at each thread count: median ops/s (solid, left axis) and scaling efficiency "
                         "ops/s / (threads x the 1-thread median) (dashed, right axis) per configuration; error bars: "
                         "95%% CIs (the range with fewer than 6 runs). Ringed points and the grey region: "
                         "oversubscribed, more threads than cores%s.",
                         X.wl, cores);
                scaling_gp(P, g, &X, title, emax);
                if (gcb__close_file(P, g, X.stem, "gp") == 0)
                    gcb__add_figure(P, X.stem, title, caption);
            }
        }
    }
    free(X.lines);
    free(X.line_cell);
    free(X.at);
}

void gcb__fig_scaling(plotter_t *P)
{
    for (size_t w = 0; w < P->rs->nwl; w++)
        fig_scaling(P, w);
}
