/*
 * bench/resultdir/cells.c - a result directory seen as cells, for the figures and
 * the report: each cell's ok values per metric, its representative run,
 * and the labels it is drawn under.
 *
 * Labels.  A figure groups by workload and draws one bar (line, point) per
 * configuration.  A configuration is the allocator/collector pair plus the
 * parameters that tell cells of one workload apart: a parameter that takes
 * several values within the workload, or is set in some of its cells and
 * not in others (a sweep of a gen-only threshold leaves the rc cells
 * without it).  Parameters every cell of the workload shares (the scale the
 * budget chose) are the workload's, printed once beside its name.
 *
 * Order.  Workloads, collectors and allocators in the order of the spec in
 * run.json (what the user asked for; the registries' order for `all`),
 * names unknown to the spec (a merged directory) after them by name.
 * Series sort by collector, then allocator, so the bars of one collector
 * stand together and the colours (one per allocator) repeat in each block.
 */
#include "bench/resultdir/cells.h"
#include "bench/resultdir/filter.h"
#include "bench/matrix/spec.h"
#include "bench/analysis/stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_KEYS 64

static const char *const metric_path[GCB_M_COUNT] = {
    [GCB_M_OPS] = GCB_K_OPS,
    [GCB_M_RSS] = GCB_K_RSS,
    [GCB_M_WALL] = GCB_K_WALL,
    [GCB_M_P50] = GCB_K_GC "." GCB_K_PAUSES ".p50",
    [GCB_M_P99] = GCB_K_GC "." GCB_K_PAUSES ".p99",
    [GCB_M_PMAX] = GCB_K_GC "." GCB_K_PAUSES ".max",
    [GCB_M_GC_SHARE] = NULL,   /* derived: run_metric() */
};

/* Metric m of one ok run: a record field, or for the collection share the
 * collector's time inside the workload's wall time over that wall time
 * (the model's collectors and the py: cells' gc.callbacks both write
 * gc.gc_time_s).  A model cell's gc.gc_time_s also holds the final
 * collection (bench/cell/run.c reads the collector's statistics after it),
 * which runs after the clock stops and is timed apart as final_collect_s:
 * it is taken out, or a gc.disable() cell (gen -p collect=0), whose final
 * collection frees its whole leak, would show a share of 10-20% in
 * collections it never made inside its timing. */
static double run_metric(json_t *line, int m)
{
    if (m != GCB_M_GC_SHARE)
        return gcb_run_metric(line, metric_path[m]);
    double g = gcb_run_metric(line, GCB_K_GC "." GCB_K_GC_TIME), w = gcb_run_metric(line, GCB_K_WALL);
    double f = gcb_run_metric(line, "final_collect_s");
    if (f > 0)
        g = g > f ? g - f : 0;
    return w > 0 && g >= 0 ? g / w : NAN;
}


/* Rank of `name` in the spec list `key` of run.json (or of the first
 * merged source); names not found rank after all listed ones. */
static size_t spec_rank(json_t *runjson, const char *key, const char *name)
{
    json_t *spec = json_object_get(runjson, GCB_K_SPEC);
    if (!spec)
        spec = json_object_get(json_array_get(json_object_get(runjson, GCB_K_MERGED_FROM), 0), GCB_K_SPEC);
    json_t *list = json_object_get(spec, key);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (json_is_string(v) && strcmp(json_string_value(v), name) == 0) return i;
    return 100000;
}

/* Sort context for cells and series. */
static json_t *sort_runjson;
static const gcb_rset_t *sort_rs;

static size_t wl_index(const gcb_rset_t *rs, const char *wl)
{
    for (size_t i = 0; i < rs->nwl; i++)
        if (strcmp(rs->wl[i], wl) == 0)
            return i;
    return rs->nwl;
}

static int cmp_series_of(const gcb_rcell_t *x, const gcb_rcell_t *y)
{
    size_t cx = spec_rank(sort_runjson, GCB_K_SP_COLLECTORS, x->coll), cy = spec_rank(sort_runjson, GCB_K_SP_COLLECTORS, y->coll);
    if (cx != cy)
        return cx < cy ? -1 : 1;
    int c = strcmp(x->coll, y->coll);
    if (c)
        return c;
    size_t ax = spec_rank(sort_runjson, GCB_K_SP_ALLOCATORS, x->alloc), ay = spec_rank(sort_runjson, GCB_K_SP_ALLOCATORS, y->alloc);
    if (ax != ay)
        return ax < ay ? -1 : 1;
    c = strcmp(x->alloc, y->alloc);
    if (c)
        return c;
    return strcmp(x->series, y->series);
}

static int cmp_cell(const void *a, const void *b)
{
    const gcb_rcell_t *x = a, *y = b;
    size_t wx = wl_index(sort_rs, x->wl), wy = wl_index(sort_rs, y->wl);
    if (wx != wy)
        return wx < wy ? -1 : 1;
    return cmp_series_of(x, y);
}

static int cmp_wl(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t rx = spec_rank(sort_runjson, GCB_K_SP_WORKLOADS, x), ry = spec_rank(sort_runjson, GCB_K_SP_WORKLOADS, y);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x, y);
}

static void cell_values(gcb_rcell_t *c, json_t *const *lines, size_t nlines)
{
    for (int m = 0; m < GCB_M_COUNT; m++) {
        c->v[m] = malloc((nlines + 1) * sizeof(double));
        c->n[m] = 0;
    }
    for (size_t k = 0; k < nlines; k++) {
        if (!gcb_run_ok(lines[k])) {
            c->nfail++;
            continue;
        }
        c->nok++;
        double paused = gcb_run_metric(lines[k], GCB_K_GC "." GCB_K_PAUSES ".count");
        for (int m = 0; m < GCB_M_COUNT; m++) {
            if ((m == GCB_M_P50 || m == GCB_M_P99 || m == GCB_M_PMAX) && !(paused > 0))
                continue;
            double x = run_metric(lines[k], m);
            if (!isnan(x))
                c->v[m][c->n[m]++] = x;
        }
    }
    /* the representative run: lower median of ops/s among ok runs */
    double *ops = malloc((nlines + 1) * sizeof *ops);
    size_t n = 0;
    for (size_t k = 0; k < nlines; k++)
        if (gcb_run_ok(lines[k]) && !isnan(gcb_run_metric(lines[k], GCB_K_OPS)))
            ops[n++] = gcb_run_metric(lines[k], GCB_K_OPS);
    if (n) {
        gcb_sort_doubles(ops, n);
        double want = ops[(n - 1) / 2];
        for (size_t k = 0; k < nlines && !c->median_run; k++)
            if (gcb_run_ok(lines[k]) && gcb_run_metric(lines[k], GCB_K_OPS) == want)
                c->median_run = lines[k];
    }
    free(ops);
}

/* Labels of the cells of one workload (see the block at the top). */
static void label_workload(gcb_rset_t *rs, const char *wl)
{
    const char *keys[MAX_KEYS];
    size_t nk = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        if (strcmp(rs->cells[i].wl, wl) != 0)
            continue;
        const char *k;
        json_t *v;
        json_object_foreach(rs->cells[i].params, k, v)
        {
            size_t j = 0;
            while (j < nk && strcmp(keys[j], k) != 0)
                j++;
            if (j == nk && nk < MAX_KEYS)
                keys[nk++] = k;
        }
    }
    /* sort keys by name so labels read the same everywhere */
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    int varying[MAX_KEYS] = { 0 };
    for (size_t j = 0; j < nk; j++) {
        const char *first = NULL;
        int seen = 0;
        size_t distinct = 0;
        const char *vals[GCB_SPEC_MAX_VALUES];
        for (size_t i = 0; i < rs->ncells; i++) {
            if (strcmp(rs->cells[i].wl, wl) != 0)
                continue;
            const char *v = json_string_value(json_object_get(rs->cells[i].params, keys[j]));
            if (!seen) {
                first = v;
                seen = 1;
            } else if ((first == NULL) != (v == NULL) || (first && v && strcmp(first, v) != 0)) {
                varying[j] = 1;
            }
            if (v) {
                size_t d = 0;
                while (d < distinct && strcmp(vals[d], v) != 0)
                    d++;
                if (d == distinct && distinct < GCB_SPEC_MAX_VALUES)
                    vals[distinct++] = v;
            }
        }
        if (distinct >= 2) {
            size_t s = 0;
            while (s < rs->nsweep && strcmp(rs->sweep[s], keys[j]) != 0)
                s++;
            if (s == rs->nsweep && rs->nsweep < GCB_CELLS_MAX_SWEEP)
                snprintf(rs->sweep[rs->nsweep++], sizeof rs->sweep[0], "%s", keys[j]);
        }
    }
    for (size_t i = 0; i < rs->ncells; i++) {
        gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, wl) != 0)
            continue;
        size_t off = (size_t)snprintf(c->series, sizeof c->series, "%s/%s", c->alloc, c->coll);
        snprintf(c->base, sizeof c->base, "%s/%s", c->alloc, c->coll);
        size_t woff = 0;
        c->wl_params[0] = '\0';
        for (size_t j = 0; j < nk; j++) {
            const char *v = json_string_value(json_object_get(c->params, keys[j]));
            if (!v)
                continue;
            if (varying[j] && off < sizeof c->series)
                off += (size_t)snprintf(c->series + off, sizeof c->series - off, " %s=%s", keys[j], v);
            else if (!varying[j] && woff < sizeof c->wl_params)
                woff += (size_t)snprintf(c->wl_params + woff, sizeof c->wl_params - woff, "%s%s=%s",
                                         woff ? " " : "", keys[j], v);
        }
    }
}

/* The cells, one per group of lines of one cell name, and the workloads
 * in the order first met. */
static void make_cells(gcb_rset_t *rs)
{
    gcb_groups_t gs;
    gcb_runs_group(rs->runs.line, rs->runs.n, gcb_group_by_cell, NULL, &gs);
    rs->cells = calloc(gs.n + 1, sizeof *rs->cells);
    rs->wl = calloc(gs.n + 1, sizeof *rs->wl);
    for (size_t i = 0; i < gs.n; i++) {
        json_t *first = gs.g[i].line[0];
        gcb_rcell_t *c = &rs->cells[rs->ncells++];
        c->name = gcb_json_str(first, GCB_K_CELL);
        c->alloc = gcb_json_str(first, GCB_K_ALLOCATOR);
        c->coll = gcb_json_str(first, GCB_K_COLLECTOR);
        c->wl = gcb_json_str(first, GCB_K_WORKLOAD);
        c->params = json_object_get(first, GCB_K_PARAMS);
        cell_values(c, gs.g[i].line, gs.g[i].n);
        rs->runs_ok += c->nok;
        rs->runs_failed += c->nfail;
        size_t w = 0;
        while (w < rs->nwl && strcmp(rs->wl[w], c->wl) != 0)
            w++;
        if (w == rs->nwl)
            rs->wl[rs->nwl++] = c->wl;
    }
    gcb_groups_free(&gs);
}

/* The series, in drawing order: one representative cell per label. */
static void make_series(gcb_rset_t *rs)
{
    const gcb_rcell_t **rep = malloc((rs->ncells + 1) * sizeof *rep);
    size_t nrep = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        size_t s = 0;
        while (s < nrep && strcmp(rep[s]->series, rs->cells[i].series) != 0)
            s++;
        if (s == nrep)
            rep[nrep++] = &rs->cells[i];
    }
    for (size_t i = 1; i < nrep; i++)
        for (size_t j = i; j > 0 && cmp_series_of(rep[j - 1], rep[j]) > 0; j--) {
            const gcb_rcell_t *t = rep[j];
            rep[j] = rep[j - 1];
            rep[j - 1] = t;
        }
    rs->series = malloc((nrep + 1) * sizeof *rs->series);
    rs->nseries = nrep;
    for (size_t i = 0; i < nrep; i++)
        snprintf(rs->series[i], sizeof rs->series[i], "%s", rep[i]->series);
    free(rep);
}

int gcb_rset_load(const char *dir, gcb_rset_t *rs, char *err, size_t errlen)
{
    memset(rs, 0, sizeof *rs);
    snprintf(rs->dir, sizeof rs->dir, "%s", dir);
    for (size_t l = strlen(rs->dir); l > 1 && rs->dir[l - 1] == '/'; l--)
        rs->dir[l - 1] = '\0';
    char path[GCB_PATH_MAX];
    struct stat st;
    dir = rs->dir;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a directory (give a result directory of gcbench matrix)", dir);
        return -1;
    }
    snprintf(path, sizeof path, "%s/runs.jsonl", dir);
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "'%s' is not a result directory (no runs.jsonl)", dir);
        return -1;
    }
    if (gcb_runjson_load(dir, &rs->runjson, err, errlen) || gcb_runs_load(dir, &rs->runs, NULL, err, errlen))
        return -1;
    if (rs->runs.n == 0) {
        snprintf(err, errlen, "'%s' holds no recorded run yet", dir);
        return -1;
    }
    make_cells(rs);
    sort_runjson = rs->runjson;
    sort_rs = rs;
    qsort(rs->wl, rs->nwl, sizeof *rs->wl, cmp_wl);
    for (size_t w = 0; w < rs->nwl; w++)
        label_workload(rs, rs->wl[w]);
    qsort(rs->cells, rs->ncells, sizeof *rs->cells, cmp_cell);
    make_series(rs);
    return 0;
}

size_t gcb_rset_invalid_lines(const gcb_rset_t *rs) { return rs->runs.invalid; }
size_t gcb_rset_duplicate_lines(const gcb_rset_t *rs) { return rs->runs.duplicates; }

void gcb_rset_free(gcb_rset_t *rs)
{
    for (size_t i = 0; i < rs->ncells; i++)
        for (int m = 0; m < GCB_M_COUNT; m++)
            free(rs->cells[i].v[m]);
    free(rs->cells);
    free(rs->wl);
    free(rs->series);
    json_decref(rs->runjson);
    gcb_runs_free(&rs->runs);
    memset(rs, 0, sizeof *rs);
}

int gcb_rset_baseline(const gcb_rset_t *rs, const char *requested, char *out, size_t outlen, char *note,
                      size_t notelen, char *err, size_t errlen)
{
    note[0] = '\0';
    /* the default matrix names its own (bench/matrix/default.c: pool/gen, CPython's configuration) */
    const char *dflt = json_string_value(json_object_get(json_object_get(rs->runjson, GCB_K_DEFAULT), GCB_K_DF_BASELINE));
    const char *want = requested ? requested : dflt ? dflt : "glibc/rc";
    if (requested) {
        const char *slash = strchr(requested, '/');
        if (!slash || slash == requested || !slash[1] || strchr(slash + 1, '/')) {
            snprintf(err, errlen, "--baseline '%s': give ALLOCATOR/COLLECTOR, e.g. glibc/rc", requested);
            return -1;
        }
    }
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].base, want) == 0 && rs->cells[i].nok) {
            snprintf(out, outlen, "%s", want);
            return 0;
        }
    /* the pairs the directory holds, for the message or the fallback */
    char have[2048] = "";
    size_t off = 0, nhave = 0;
    const char *first = NULL;
    for (size_t s = 0; s < rs->nseries; s++) {
        const gcb_rcell_t *c = NULL;
        for (size_t i = 0; i < rs->ncells && !c; i++)
            if (strcmp(rs->cells[i].series, rs->series[s]) == 0 && rs->cells[i].nok)
                c = &rs->cells[i];
        if (!c || (off && strstr(have, c->base)))
            continue;
        if (!first)
            first = c->base;
        if (off < sizeof have)
            off += (size_t)snprintf(have + off, sizeof have - off, "%s%s", nhave++ ? ", " : "", c->base);
    }
    if (requested) {
        snprintf(err, errlen, "--baseline '%s': no ok run of that allocator/collector in %s; it has: %s", requested,
                 rs->dir, nhave ? have : "no ok run at all");
        return -1;
    }
    if (!first) {
        snprintf(out, outlen, "%s", want);
        snprintf(note, notelen, "no cell has an ok run, so nothing is relative to anything");
        return 0;
    }
    snprintf(out, outlen, "%s", first);
    snprintf(note, notelen, "the default baseline glibc/rc is not in this directory; %s is used instead", first);
    return 0;
}

const gcb_rcell_t *gcb_rset_base_cell(const gcb_rset_t *rs, const gcb_rcell_t *c, const char *baseline)
{
    const gcb_rcell_t *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *b = &rs->cells[i];
        if (strcmp(b->wl, c->wl) != 0 || strcmp(b->base, baseline) != 0)
            continue;
        int score = 0;
        const char *k;
        json_t *v;
        json_object_foreach(b->params, k, v)
        {
            const char *cv = json_string_value(json_object_get(c->params, k));
            if (cv && json_string_value(v) && strcmp(cv, json_string_value(v)) == 0)
                score++;
        }
        if (score > best_score) {
            best = b;
            best_score = score;
        }
    }
    return best;
}

double gcb_rset_median(const gcb_rcell_t *c, gcb_metric_t m, double *lo, double *hi, double *coverage)
{
    size_t n = c->n[m];
    double *x = malloc((n + 1) * sizeof *x);
    memcpy(x, c->v[m], n * sizeof *x);
    gcb_sort_doubles(x, n);
    double l, h, cov;
    gcb_median_ci(x, n, 0.95, &l, &h, &cov);
    double med = gcb_median(x, n);
    free(x);
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
    if (coverage)
        *coverage = cov;
    return med;
}

double gcb_rset_ratio(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double *lo, double *hi,
                      const char **how)
{
    *lo = *hi = NAN;
    *how = "none";
    if (!c || !base || c->n[m] == 0 || base->n[m] == 0)
        return NAN;
    double mb = gcb_median(base->v[m], base->n[m]), mc = gcb_median(c->v[m], c->n[m]);
    if (!(mb > 0))
        return NAN;
    int positive = 1;
    for (size_t i = 0; i < c->n[m]; i++)
        positive &= c->v[m][i] > 0;
    for (size_t i = 0; i < base->n[m]; i++)
        positive &= base->v[m][i] > 0;
    double est;
    if (positive && gcb_ratio_ci(base->v[m], base->n[m], c->v[m], c->n[m], 0.95, &est, lo, hi) == 0) {
        *how = "ci";
        return mc / mb;
    }
    double mn = c->v[m][0], mx = c->v[m][0];
    for (size_t i = 1; i < c->n[m]; i++) {
        mn = c->v[m][i] < mn ? c->v[m][i] : mn;
        mx = c->v[m][i] > mx ? c->v[m][i] : mx;
    }
    *lo = mn / mb;
    *hi = mx / mb;
    *how = "range";
    return mc / mb;
}

int gcb_rset_differs(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double alpha, double *p,
                     int *can)
{
    *p = NAN;
    *can = 0;
    if (!c || !base || c->n[m] == 0 || base->n[m] == 0)
        return -1;
    gcb_mwu_t t;
    gcb_mann_whitney(base->v[m], base->n[m], c->v[m], c->n[m], &t);
    *p = t.p;
    *can = t.min_p < alpha;
    return t.p < alpha;
}

json_t *gcb_rset_context(const gcb_rset_t *rs)
{
    json_t *ctx = json_object_get(rs->runjson, GCB_K_CONTEXT);
    if (!ctx)
        ctx = json_object_get(json_array_get(json_object_get(rs->runjson, GCB_K_MERGED_FROM), 0), GCB_K_CONTEXT);
    for (size_t i = 0; !ctx && i < rs->runs.n; i++)
        ctx = json_object_get(rs->runs.line[i], GCB_K_CONTEXT);
    return ctx;
}

int gcb_rset_match(const gcb_rcell_t *c, const char *filter)
{
    gcb_filter_t f;
    char err[8];
    if (gcb_filter_parse(filter, &f, err, sizeof err))
        return 0;
    return gcb_filter_match(&f, c->name, c->alloc, c->coll, c->wl, c->params);
}
