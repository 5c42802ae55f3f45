/*
 * bench/analysis/compare.c - `gcbench compare`: is B different from A, cell by
 * cell, beyond the noise?
 *
 * For every cell both sides have: the medians, their ratio B/A, the Moses
 * 95% CI of the ratio (the Hodges-Lehmann shift of log values inverted
 * from the Mann-Whitney U distribution) and the two-sided U test's p.
 * Cells with p < alpha are marked.  A last row gives the geometric mean of
 * the ratios.  With k cells compared and no real difference about alpha*k
 * cells are expected to be marked by chance: the row says so, so that one
 * star among twenty is not read as a finding.
 *
 * The runs are grouped into cells once, by bench/resultdir/runs.c's
 * gcb_runs_group (sorted by key: A's and B's groups pair by binary
 * search); with filters a line's key is its cell name without the
 * coordinates the filters fix (bench/resultdir/filter.h).
 */
#include "bench/analysis/compare.h"

#include "bench/analysis/stats.h"
#include "bench/exit.h"
#include "bench/cluster/cluster.h"
#include "bench/resultdir/filter.h"
#include "bench/resultdir/runs.h"
#include "bench/report/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define die_usage(...) gcb_usage_error("compare", __VA_ARGS__)

/* One side's cell: its ok values of the metric, failed runs, hosts. */
typedef struct group {
    const char *key;
    size_t n;
    double *v;
    size_t failed;
    gcb_hostset_t hosts;      /* the hosts of its runs (bench/cluster/hosts.c) */
} group_t;

typedef struct side {
    gcb_groups_t gs;
    size_t n;
    group_t *g;               /* sorted by key */
} side_t;

/* With filters: which side's lines a key function keeps, and both filters
 * (their coordinates are left out of the key). */
typedef struct keyctx {
    const gcb_filter_t *mine, *a, *b;
} keyctx_t;

/* The line's cell name without the filtered coordinates. */
static int rest_key(json_t *line, void *vctx, char *out, size_t n)
{
    const keyctx_t *x = vctx;
    if (!gcb_filter_match_line(x->mine, line))
        return 0;
    size_t off = 0;
    out[0] = '\0';
    static const char *const fixed[] = { GCB_K_ALLOCATOR, GCB_K_COLLECTOR, GCB_K_WORKLOAD };
    for (int i = 0; i < 3; i++)
        if (!gcb_filter_fixes(x->a, fixed[i]) && !gcb_filter_fixes(x->b, fixed[i]))
            off += (size_t)snprintf(out + off, n - off, "%s%s", off ? "/" : "", gcb_run_str(line, fixed[i], "?"));
    /* params: jansson objects iterate in insertion order; sort keys */
    json_t *p = json_object_get(line, GCB_K_PARAMS);
    const char *keys[64];
    size_t nk = 0;
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v) if (nk < 64 && !gcb_filter_fixes(x->a, k) && !gcb_filter_fixes(x->b, k)) keys[nk++] = k;
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    for (size_t i = 0; i < nk && off < n; i++)
        off += (size_t)snprintf(out + off, n - off, "%s%s=%s", off ? "/" : "", keys[i], gcb_run_str(p, keys[i], ""));
    return 1;
}

/* Group `lines` by `key` into s; *seen set when an ok run has the metric. */
static void side_build(side_t *s, const gcb_runs_t *r, gcb_group_key_fn key, void *ctx, const char *metric,
                       int *seen)
{
    gcb_runs_group(r->line, r->n, key, ctx, &s->gs);
    s->n = s->gs.n;
    s->g = calloc(s->n ? s->n : 1, sizeof *s->g);
    for (size_t i = 0; i < s->n; i++) {
        const gcb_group_t *in = &s->gs.g[i];
        group_t *g = &s->g[i];
        g->key = in->key;
        g->v = malloc((in->n ? in->n : 1) * sizeof *g->v);
        for (size_t k = 0; k < in->n; k++) {
            json_t *line = in->line[k];
            gcb_hostset_add(&g->hosts, line);
            if (!gcb_run_ok(line)) {
                g->failed++;
                continue;
            }
            double x = gcb_run_metric(line, metric);
            if (isnan(x))
                continue;
            *seen = 1;
            g->v[g->n++] = x;
        }
    }
}

static void side_free(side_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->g[i].v);
    free(s->g);
    gcb_groups_free(&s->gs);
}

static int cmp_key(const void *k, const void *g) { return strcmp(k, ((const group_t *)g)->key); }

static group_t *side_find(const side_t *s, const char *key)
{
    return bsearch(key, s->g, s->n, sizeof *s->g, cmp_key);
}

static void load(const char *dir, gcb_runs_t *r)
{
    char err[1024], path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/runs.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        die_usage("'%s' is not a result directory (no runs.jsonl)", dir);
    fclose(f);
    if (gcb_runs_load(dir, r, NULL, err, sizeof err))
        die_usage("%s", err);
}

/* The fewest repetitions a side with which the exact test can reach alpha:
 * the smallest two-sided p is 2 / C(2n, n). */
static int min_reps(double alpha)
{
    double c = 2; /* C(2, 1) */
    for (int n = 1; n < 64; n++) {
        if (2 / c < alpha)
            return n;
        c = c * (2 * n + 1) * (2 * n + 2) / ((double)(n + 1) * (n + 1));
    }
    return 64;
}

/* The running totals of the table. */
typedef struct tally {
    size_t common, significant, regressions, underpowered, one_sided;
    double log_sum, worst_min_p;
    size_t worst_na, worst_nb;
} tally_t;

/* One row: A's and B's cell of one key. */
static void compare_row(const gcb_compare_opts_t *o, int higher_better, const group_t *a, const group_t *b,
                        tally_t *t)
{
    if (a->n == 0 || b->n == 0) {
        printf("%-46s %s\n", a->key, "no ok runs on one side: not compared");
        t->one_sided++;
        return;
    }
    t->common++;
    double ma = gcb_median(a->v, a->n), mb = gcb_median(b->v, b->n);
    double ratio = ma != 0 ? mb / ma : NAN;
    gcb_mwu_t u;
    gcb_mann_whitney(a->v, a->n, b->v, b->n, &u);
    double est, lo = NAN, hi = NAN;
    int positive = 1;
    for (size_t k = 0; k < a->n; k++)
        positive &= a->v[k] > 0;
    for (size_t k = 0; k < b->n; k++)
        positive &= b->v[k] > 0;
    if (positive)
        gcb_ratio_ci(a->v, a->n, b->v, b->n, 0.95, &est, &lo, &hi);
    int sig = u.p < o->alpha, can = u.min_p < o->alpha;
    if (!can) {
        t->underpowered++;
        if (u.min_p > t->worst_min_p) {
            t->worst_min_p = u.min_p;
            t->worst_na = a->n;
            t->worst_nb = b->n;
        }
    }
    t->significant += (size_t)sig;
    if (ratio > 0 && isfinite(ratio))
        t->log_sum += log(ratio);
    double worse_pct = higher_better ? (1 - ratio) * 100 : (ratio - 1) * 100;
    int regressed = !isnan(o->fail_above) && worse_pct > o->fail_above && (sig || !can);
    t->regressions += (size_t)regressed;
    char sa[32], sb[32], ci[48], n[24];
    gcb_fmt_si(sa, sizeof sa, ma);
    gcb_fmt_si(sb, sizeof sb, mb);
    if (isnan(lo))
        snprintf(ci, sizeof ci, "%s", positive ? "(too few runs)" : "(values <= 0)");
    else
        snprintf(ci, sizeof ci, "[%.3f, %.3f]", lo, hi);
    snprintf(n, sizeof n, "%zu/%zu", a->n, b->n);
    printf("%-46s %10s %10s %8.3f %19s %8.3g %7s %s%s\n", a->key, sa, sb, ratio, ci, u.p, n,
           sig ? "*" : " ", regressed ? " REGRESSION" : "");
}

/* Group both sides: two directories by cell name, one directory by the
 * cell name without what the filters fix.  Bad input exits 2. */
static void group_sides(const gcb_compare_opts_t *o, gcb_runs_t *ra, gcb_runs_t *rb, side_t *a, side_t *b)
{
    int seen = 0;
    char err[2048];
    gcb_filter_t fa, fb;
    if (o->filter_a && (gcb_filter_parse(o->filter_a, &fa, err, sizeof err) ||
                        gcb_filter_parse(o->filter_b, &fb, err, sizeof err)))
        die_usage("%s", err);
    load(o->dir_a, ra);
    if (!o->filter_a) {
        load(o->dir_b, rb);
        side_build(a, ra, gcb_group_by_cell, NULL, o->metric, &seen);
        side_build(b, rb, gcb_group_by_cell, NULL, o->metric, &seen);
    } else {
        if (fa.pattern || fb.pattern)
            die_usage("compare's filters are KEY=VALUE[,KEY=VALUE...]: a cell-name pattern names no coordinate "
                      "to pair A's cells with B's by");
        size_t na = 0, nb = 0;
        for (size_t i = 0; i < ra->n; i++) {
            int ma = gcb_filter_match_line(&fa, ra->line[i]), mb = gcb_filter_match_line(&fb, ra->line[i]);
            if (ma && mb)
                die_usage("filters '%s' and '%s' both select cell '%s': make them exclusive", o->filter_a,
                          o->filter_b, gcb_run_str(ra->line[i], GCB_K_CELL, ""));
            na += (size_t)ma;
            nb += (size_t)mb;
        }
        if (!na || !nb) {
            gcb_filter_no_match(na ? &fb : &fa, o->dir_a, ra->line, ra->n, err, sizeof err);
            die_usage("%s", err);
        }
        keyctx_t ka = { &fa, &fa, &fb }, kb = { &fb, &fa, &fb };
        side_build(a, ra, rest_key, &ka, o->metric, &seen);
        side_build(b, ra, rest_key, &kb, o->metric, &seen);
    }
    if (!seen && (a->n || b->n))
        die_usage("metric '%s' is in no ok run (e.g. ops_per_sec, peak_rss_bytes, wall_s, gc.gc_time_s)", o->metric);
}

/* Exit 2 when A and B pair no cell, naming what each side holds. */
static void no_common(const gcb_compare_opts_t *o, const gcb_runs_t *ra, const gcb_runs_t *rb, const tally_t *t)
{
    if (t->one_sided)
        die_usage("A and B have %zu cells in common, none with ok runs on both sides", t->one_sided);
    char ha[1100], hb[1100];
    gcb_filter_what_exists(ra->line, ra->n, ha, sizeof ha);
    if (o->filter_a)
        die_usage("the cells of '%s' and '%s' differ in more than the filtered coordinates: none pair up (%s has %s)",
                  o->filter_a, o->filter_b, o->dir_a, ha);
    gcb_filter_what_exists(rb->line, rb->n, hb, sizeof hb);
    die_usage("A and B have no cell in common (A has %s; B has %s)", ha, hb);
}

int gcb_compare(const gcb_compare_opts_t *o)
{
    gcb_runs_t ra = { 0 }, rb = { 0 };
    side_t a = { 0 }, b = { 0 };
    group_sides(o, &ra, &rb, &a, &b);
    int higher_better = strcmp(o->metric, GCB_K_OPS) == 0;
    size_t host_mixed = 0; /* pairs measured on different hosts: refused unless allowed */
    for (size_t i = 0; i < a.n; i++) {
        const group_t *gb = side_find(&b, a.g[i].key);
        if (gb)
            host_mixed += (size_t)gcb_hosts_check_pair(a.g[i].key, &a.g[i].hosts, &gb->hosts, o->allow_mixed);
    }
    const char *label_a = o->filter_a ? o->filter_a : o->dir_a, *label_b = o->filter_b ? o->filter_b : o->dir_b;
    printf("A: %s\nB: %s\nmetric: %s (%s is better), alpha %.3g\n\n", label_a, label_b, o->metric,
           higher_better ? "higher" : "lower", o->alpha);
    printf("%-46s %10s %10s %8s %19s %8s %7s\n", "cell", "A median", "B median", "B/A", "95% CI of B/A", "p", "n A/B");
    tally_t t = { 0 };
    for (size_t i = 0; i < a.n; i++) {
        const group_t *gb = side_find(&b, a.g[i].key);
        if (gb)
            compare_row(o, higher_better, &a.g[i], gb, &t);
    }
    if (t.common == 0)
        no_common(o, &ra, &rb, &t);
    double gm = exp(t.log_sum / (double)t.common);
    printf("%-46s %10s %10s %8.3f\n", "geomean", "", "", gm);
    printf("\n%zu cells compared, %zu significant at alpha %.3g (about %.1f expected by chance if nothing changed)\n",
           t.common, t.significant, o->alpha, o->alpha * (double)t.common);
    if (t.underpowered)
        fprintf(stderr, "gcbench: compare: warning: %zu cells have too few runs for the U test to reach p < %.3g "
                        "(with %zu and %zu runs the smallest possible p is %.3g); use at least %d repetitions a side\n",
                t.underpowered, o->alpha, t.worst_na, t.worst_nb, t.worst_min_p, min_reps(o->alpha));
    if (host_mixed)
        fprintf(stderr, "gcbench: compare: warning: %zu of the pairs compared were measured on different hosts "
                        "(--allow-mixed-hosts): their differences include the hosts'\n", host_mixed);
    int rc = GCB_EXIT_OK;
    if (t.regressions) {
        fprintf(stderr, "gcbench: compare: %zu cells regressed by more than %g%%\n", t.regressions, o->fail_above);
        rc = GCB_EXIT_FAIL;
    }
    side_free(&a);
    side_free(&b);
    gcb_runs_free(&ra);
    if (!o->filter_a)
        gcb_runs_free(&rb);
    return rc;
}
