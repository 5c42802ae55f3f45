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
    gcb__sanitize(sk, sizeof sk, key);
    gcb__sanitize(sw, sizeof sw, wl);
    snprintf(stem, sizeof stem, "sweep_%s_%s", sk, sw);
    FILE *d = gcb__open_file(P, stem, "dat");
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
            gcb__dat_num(d, x);
            gcb__dat_num(d, gcb_rset_median(c, GCB_M_OPS, &lo, &hi, NULL));
            gcb__dat_num(d, lo);
            gcb__dat_num(d, hi);
            gcb__dat_num(d, gcb_rset_median(c, GCB_M_RSS, &lo, &hi, NULL));
            gcb__dat_num(d, lo);
            gcb__dat_num(d, hi);
            rmax = hi > rmax ? hi : rmax;
            fputc(' ', d);
            gcb__dat_str(d, vals[k]);
            fprintf(d, " %zu\n", c->nok);
        }
    }
    gcb__close_file(P, d, stem, "dat");
    char title[512], caption[1024];
    snprintf(title, sizeof title, "Sweep of %s: %s%s%s", key, wl, line_cell[0]->wl_params[0] ? " " : "",
             line_cell[0]->wl_params);
    snprintf(caption, sizeof caption,
             "Workload %s with parameter %s swept: median ops/s (solid, left axis) and median peak RSS (dashed, "
             "right axis) per configuration; error bars: 95%% CI of the median (the range with fewer than 6 runs).",
             wl, key);
    FILE *g = gcb__open_file(P, stem, "gp");
    if (!g) {
        free(lines);
        free(line_cell);
        return;
    }
    gcb__gp_begin(g, P, stem, title, MIN_W + 300, clampi(520 + 30 * (int)nl, MIN_H, MAX_H));
    fputs("set title ", g);
    gp_str(g, title);
    fputs("\nset xlabel ", g);
    gp_str(g, key);
    fputs("\nset ylabel ", g);
    gp_str(g, "ops/s (median; solid lines)");
    unit_t ru = gcb__byte_unit(rmax);
    fprintf(g, "\n# units: the data file holds bytes\nrdiv = %g; runit = '%s'\n", ru.div, ru.name);
    fputs("set y2label 'peak RSS, '.runit.' (median; dashed lines)'\nset format y '%.1s%c'", g);
    fputs("\nset ytics nomirror\nset y2tics\nset yrange [0:*]\nset y2range [0:*]\nset grid\n"
          "set offsets graph 0.03, graph 0.03, 0, 0\n",
          g);
    gcb__gp_key(g, NULL, gcb__longest_label(lines, NULL, nl) + strlen(" peak RSS"));
    if (numeric && xmin > 0 && xmax / xmin >= LOG_X_SPAN)
        fputs("set logscale x\n", g);
    fprintf(g, "%s\n", numeric ? "" : "set xtics ()");
    fputs("plot \\\n", g);
    for (size_t l = 0; l < nl; l++) {
        char t[GCB_LABEL_MAX + 32];
        const char *col = gcb__colour_of(P, line_cell[l]->alloc);
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
    if (gcb__close_file(P, g, stem, "gp") == 0)
        gcb__add_figure(P, stem, title, caption);
    free(lines);
    free(line_cell);
}

void gcb__fig_sweeps(plotter_t *P)
{
    for (size_t k = 0; k < P->rs->nsweep; k++)
        for (size_t w = 0; w < P->rs->nwl; w++)
            fig_sweep(P, P->rs->sweep[k], w);
}
