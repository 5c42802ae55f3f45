/*
 * bench/report/plot/sweep.c - sweep_KEY_WORKLOAD: a swept parameter on x, ops/s and peak RSS on two y axes.
 */
#include "bench/report/plot/figure.h"

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

/* One sweep figure: the values of the key (x, sorted) and the lines (a
 * configuration without the key), each line's cell at each value. */
typedef struct sweep {
    const char *key, *wl;
    char stem[400];
    const char *vals[256];
    size_t nv;
    int numeric;
    char (*lines)[GCB_LABEL_MAX];
    const gcb_rcell_t **line_cell;   /* a cell of each line (its colour, the title's parameters) */
    const gcb_rcell_t **at;          /* [line * nv + value], or NULL */
    size_t nl;
} sweep_t;

static const char *sweep_val(const gcb_rcell_t *c, const char *key)
{
    return json_string_value(json_object_get(c->params, key));
}

/* The key's distinct values on the workload, sorted (numerically when all are numbers). */
static void sweep_values(const gcb_rset_t *rs, sweep_t *X)
{
    X->numeric = 1;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        const char *v = sweep_val(c, X->key);
        if (strcmp(c->wl, X->wl) != 0 || !v)
            continue;
        size_t j = 0;
        while (j < X->nv && strcmp(X->vals[j], v) != 0)
            j++;
        if (j == X->nv && X->nv < 256) {
            X->vals[X->nv++] = v;
            double x;
            X->numeric &= parse_num(v, &x) == 0;
        }
    }
    if (X->nv >= 2)
        qsort(X->vals, X->nv, sizeof *X->vals, X->numeric ? cmp_dbl_str : cmp_str);
}

/* The lines, in series order, and each one's first cell at each value. */
static void sweep_lines(const gcb_rset_t *rs, sweep_t *X)
{
    X->lines = malloc((rs->ncells + 1) * sizeof *X->lines);
    X->line_cell = malloc((rs->ncells + 1) * sizeof *X->line_cell);
    X->at = calloc(rs->ncells * X->nv + 1, sizeof *X->at);
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        const char *v = sweep_val(c, X->key);
        if (strcmp(c->wl, X->wl) != 0 || !v)
            continue;
        char lab[GCB_LABEL_MAX];
        drop_key(lab, sizeof lab, c->series, X->key, v);
        size_t j = 0, k = 0;
        while (j < X->nl && strcmp(X->lines[j], lab) != 0)
            j++;
        if (j == X->nl) {
            snprintf(X->lines[X->nl], sizeof X->lines[0], "%s", lab);
            X->line_cell[X->nl++] = c;
        }
        while (k < X->nv && strcmp(X->vals[k], v) != 0)
            k++;
        if (k < X->nv && !X->at[j * X->nv + k])
            X->at[j * X->nv + k] = c;
    }
}

/* The data file; the x range and the largest RSS interval bound. */
static void sweep_dat(const plotter_t *P, FILE *d, const sweep_t *X, double *xmin, double *xmax, double *rmax)
{
    fprintf(d, "# %s.dat - ops/s and peak RSS against %s, workload %s (written by gcbench plot from %s)\n", X->stem,
            X->key, X->wl, P->rs->dir);
    fprintf(d, "# One block per configuration (gnuplot index 0, 1, ...), one row per value of %s.\n"
               "# Columns: x (%s), ops/s median, 95%% CI low, high, peak RSS bytes median, 95%% CI low, high,\n"
               "# the value as text, ok runs.  CIs: order statistics of the median (the range with < 6 runs).\n",
            X->key, X->numeric ? "the value" : "the value's rank");
    *xmin = INFINITY, *xmax = -INFINITY, *rmax = 0;
    for (size_t l = 0; l < X->nl; l++) {
        fprintf(d, "%s# index %zu: %s\n", l ? "\n\n" : "", l, X->lines[l]);
        for (size_t k = 0; k < X->nv; k++) {
            const gcb_rcell_t *c = X->at[l * X->nv + k];
            if (!c || !c->nok)
                continue;
            const gcb_tcell_t *t = gcb_table_of(P->T, c);
            double x = X->numeric ? strtod(X->vals[k], NULL) : (double)k;
            *xmin = x < *xmin ? x : *xmin;
            *xmax = x > *xmax ? x : *xmax;
            gcb__dat_num(d, x);
            gcb__dat_num(d, t->m[GCB_M_OPS].median);
            gcb__dat_num(d, t->m[GCB_M_OPS].lo);
            gcb__dat_num(d, t->m[GCB_M_OPS].hi);
            gcb__dat_num(d, t->m[GCB_M_RSS].median);
            gcb__dat_num(d, t->m[GCB_M_RSS].lo);
            gcb__dat_num(d, t->m[GCB_M_RSS].hi);
            *rmax = t->m[GCB_M_RSS].hi > *rmax ? t->m[GCB_M_RSS].hi : *rmax;
            fputc(' ', d);
            gcb__dat_str(d, X->vals[k]);
            fprintf(d, " %zu\n", c->nok);
        }
    }
}

static void sweep_gp(const plotter_t *P, FILE *g, const sweep_t *X, const char *title, double xmin, double xmax,
                     double rmax)
{
    gcb__gp_begin(g, P, X->stem, title, MIN_W + 300, clampi(520 + 30 * (int)X->nl, MIN_H, MAX_H));
    fputs("set title ", g);
    gp_str(g, title);
    fputs("\nset xlabel ", g);
    gp_str(g, X->key);
    fputs("\nset ylabel ", g);
    gp_str(g, "ops/s (median; solid lines)");
    unit_t ru = gcb_fmt_byte_unit(rmax);
    fprintf(g, "\n# units: the data file holds bytes\nrdiv = %g; runit = '%s'\n", ru.div, ru.name);
    fputs("set y2label 'peak RSS, '.runit.' (median; dashed lines)'\nset format y '%.1s%c'", g);
    fputs("\nset ytics nomirror\nset y2tics\nset yrange [0:*]\nset y2range [0:*]\nset grid\n"
          "set offsets graph 0.03, graph 0.03, 0, 0\n",
          g);
    gcb__gp_key(g, NULL, gcb__longest_label(X->lines, NULL, X->nl) + strlen(" peak RSS"));
    if (X->numeric && xmin > 0 && xmax / xmin >= LOG_X_SPAN)
        fputs("set logscale x\n", g);
    fprintf(g, "%s\n", X->numeric ? "" : "set xtics ()");
    fputs("plot \\\n", g);
    for (size_t l = 0; l < X->nl; l++) {
        char t[GCB_LABEL_MAX + 32];
        const char *col = gcb__colour_of(P, X->line_cell[l]->alloc);
        for (int ax = 0; ax < 2; ax++) {
            if (l == 0 && ax == 0)
                fprintf(g, "  '%s.dat' index 0", X->stem);
            else
                fprintf(g, "  '' index %zu", l);
            if (ax)
                fputs(" using 1:($5/rdiv):($6/rdiv):($7/rdiv)", g);
            else
                fprintf(g, " using 1:2:3:4%s", X->numeric ? "" : ":xtic(8)");
            fprintf(g, " with yerrorlines axes x1y%d linecolor rgb '%s' dashtype %d pointtype %d title ", ax + 1,
                    col, ax ? 2 : 1, ax ? 6 : 7);
            snprintf(t, sizeof t, "%s %s", X->lines[l], ax ? "peak RSS" : "ops/s");
            gp_str(g, t);
            fputs(l + 1 < X->nl || ax == 0 ? ", \\\n" : "\n", g);
        }
    }
    gp_end(g);
}

/* A swept parameter on x; ops/s (y) and peak RSS (y2), one line pair per
 * configuration. */
static void fig_sweep(plotter_t *P, const char *key, size_t w)
{
    sweep_t X = { .key = key, .wl = P->rs->wl[w] };
    sweep_values(P->rs, &X);
    if (X.nv < 2)
        return;
    sweep_lines(P->rs, &X);
    char sk[128], sw[256];
    gcb__sanitize(sk, sizeof sk, key);
    gcb__sanitize(sw, sizeof sw, X.wl);
    snprintf(X.stem, sizeof X.stem, "sweep_%s_%s", sk, sw);
    size_t nok = 0;
    for (size_t i = 0; i < X.nl * X.nv; i++)
        nok += X.at[i] ? X.at[i]->nok : 0;
    /* no point to draw (every run failed): gnuplot would exit 1 on empty
     * data; the figure is not drawn, saying why, as the others */
    FILE *d = nok ? gcb__open_file(P, X.stem, "dat") : NULL, *g = NULL;
    if (!nok)
        gcb__skip(P, "%s: no ok run in any cell of the sweep of %s on %s", X.stem, key, X.wl);
    if (d) {
        double xmin, xmax, rmax;
        sweep_dat(P, d, &X, &xmin, &xmax, &rmax);
        gcb__close_file(P, d, X.stem, "dat");
        char title[512], caption[1024];
        snprintf(title, sizeof title, "Sweep of %s: %s%s%s", key, X.wl, X.line_cell[0]->wl_params[0] ? " " : "",
                 X.line_cell[0]->wl_params);
        snprintf(caption, sizeof caption,
                 "Workload %s with parameter %s swept: median ops/s (solid, left axis) and median peak RSS (dashed, "
                 "right axis) per configuration; error bars: 95%% CI of the median (the range with fewer than 6 "
                 "runs).",
                 X.wl, key);
        if ((g = gcb__open_file(P, X.stem, "gp"))) {
            sweep_gp(P, g, &X, title, xmin, xmax, rmax);
            if (gcb__close_file(P, g, X.stem, "gp") == 0)
                gcb__add_figure(P, X.stem, title, caption);
        }
    }
    free(X.lines);
    free(X.line_cell);
    free(X.at);
}

void gcb__fig_sweeps(plotter_t *P)
{
    for (size_t k = 0; k < P->rs->nsweep; k++)
        for (size_t w = 0; w < P->rs->nwl; w++)
            fig_sweep(P, P->rs->sweep[k], w);
}
