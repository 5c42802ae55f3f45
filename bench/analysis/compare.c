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
 */
#include "bench/cli/cli.h"
#include "bench/resultdir/runs.h"
#include "util/params.h"
#include "bench/analysis/stats.h"
#include "bench/cluster/cluster.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char compare_help[] =
    "usage: gcbench compare A B [--alpha P] [--fail-above PCT] [--metric NAME] [--allow-mixed-hosts]\n"
    "       gcbench compare DIR FILTER_A FILTER_B [options]\n"
    "\n"
    "Compare two result directories cell by cell (or, in one directory, the cells that\n"
    "FILTER_A selects with their counterparts that FILTER_B selects; a filter is\n"
    "KEY=VALUE[,KEY=VALUE] over allocator, collector, workload or a parameter, e.g.\n"
    "`gcbench compare results/x allocator=glibc allocator=jemalloc`).\n"
    "\n"
    "For each cell: median of A and of B, ratio B/A, its 95% confidence interval\n"
    "(Moses/Hodges-Lehmann on log values), the two-sided Mann-Whitney U p-value, and\n"
    "'*' when p < alpha; a geometric-mean row at the end.\n"
    "\n"
    "  --alpha P          significance level (default 0.05)\n"
    "  --fail-above PCT   exit 1 if a cell got worse by more than PCT percent and the\n"
    "                     change is significant (or the sample is too small to tell)\n"
    "  --metric NAME      ops_per_sec (default; higher is better), peak_rss_bytes, wall_s,\n"
    "                     user_s, minor_faults, fragmentation, gc.gc_time_s,\n"
    "                     gc.pause_ns.p99, ... (any numeric field; lower is better)\n"
    "  --allow-mixed-hosts compare cells whose runs come from different hosts (refused\n"
    "                     otherwise: a host difference is not an allocator difference)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0, 1 a regression above --fail-above, 2 bad input.\n";

#define die_usage(...) gcb_usage_error("compare", __VA_ARGS__)

/* A filter: up to 8 KEY=VALUE terms. */
typedef struct filter {
    size_t n;
    char key[8][64], val[8][256];
} filter_t;

static int parse_filter(const char *text, filter_t *f)
{
    memset(f, 0, sizeof *f);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        if (!eq || eq == t || !eq[1] || f->n == 8)
            return -1;
        *eq = '\0';
        snprintf(f->key[f->n], sizeof f->key[0], "%s", t);
        snprintf(f->val[f->n], sizeof f->val[0], "%s", eq + 1);
        f->n++;
    }
    return f->n ? 0 : -1;
}

static const char *coord(json_t *line, const char *key)
{
    if (strcmp(key, "allocator") == 0 || strcmp(key, "collector") == 0 || strcmp(key, "workload") == 0)
        return json_string_value(json_object_get(line, key));
    return json_string_value(json_object_get(json_object_get(line, "params"), key));
}

static int matches(const filter_t *f, json_t *line)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *v = coord(line, f->key[i]);
        if (!v || strcmp(v, f->val[i]) != 0)
            return 0;
    }
    return 1;
}

static int dropped(const filter_t *a, const filter_t *b, const char *key)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->key[i], key) == 0)
            return 1;
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->key[i], key) == 0)
            return 1;
    return 0;
}

/* The line's cell name without the filtered coordinates. */
static void rest_key(json_t *line, const filter_t *a, const filter_t *b, char *out, size_t n)
{
    size_t off = 0;
    out[0] = '\0';
    const char *fixed[] = { "allocator", "collector", "workload" };
    for (int i = 0; i < 3; i++)
        if (!dropped(a, b, fixed[i]))
            off += (size_t)snprintf(out + off, n - off, "%s%s", off ? "/" : "", coord(line, fixed[i]) ?: "?");
    /* params: jansson objects iterate in insertion order; sort keys */
    json_t *p = json_object_get(line, "params");
    const char *keys[64];
    size_t nk = 0;
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v) if (nk < 64 && !dropped(a, b, k)) keys[nk++] = k;
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    for (size_t i = 0; i < nk && off < n; i++)
        off += (size_t)snprintf(out + off, n - off, "%s%s=%s", off ? "/" : "", keys[i],
                                json_string_value(json_object_get(p, keys[i])) ?: "");
}

typedef struct group {
    char key[1024];
    size_t n, cap;
    double *v;
    size_t failed;
    gcb_hostset_t hosts;      /* the hosts of its runs (bench/cluster/hosts.c) */
} group_t;

typedef struct groups {
    size_t n, cap;
    group_t *g;
} groups_t;

static group_t *group_get(groups_t *gs, const char *key)
{
    for (size_t i = 0; i < gs->n; i++)
        if (strcmp(gs->g[i].key, key) == 0)
            return &gs->g[i];
    if (gs->n == gs->cap) {
        gs->cap = gs->cap ? 2 * gs->cap : 64;
        gs->g = realloc(gs->g, gs->cap * sizeof *gs->g);
    }
    group_t *g = &gs->g[gs->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    return g;
}

static void group_add(groups_t *gs, const char *key, json_t *line, const char *metric, int *seen)
{
    group_t *g = group_get(gs, key);
    gcb_hostset_add(&g->hosts, line);
    const char *st = json_string_value(json_object_get(line, "status"));
    if (!st || strcmp(st, "ok") != 0) {
        g->failed++;
        return;
    }
    double x = gcb_run_metric(line, metric);
    if (isnan(x))
        return;
    *seen = 1;
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 8;
        g->v = realloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n++] = x;
}

static void load(const char *dir, gcb_runs_t *r)
{
    char err[1024], path[4200];
    snprintf(path, sizeof path, "%s/runs.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        die_usage("'%s' is not a result directory (no runs.jsonl)", dir);
    fclose(f);
    if (gcb_runs_load(dir, r, NULL, err, sizeof err))
        die_usage("%s", err);
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const group_t *)a)->key, ((const group_t *)b)->key);
}

static void fmt_val(char *b, size_t n, double v)
{
    const char *pre[] = { "", "k", "M", "G", "T" };
    int i = 0;
    while (fabs(v) >= 1000 && i < 4) {
        v /= 1000;
        i++;
    }
    snprintf(b, n, "%.4g%s", v, pre[i]);
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

int gcb_cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        { "alpha", required_argument, NULL, 'A' },
        { "fail-above", required_argument, NULL, 'F' },
        { "metric", required_argument, NULL, 'M' },
        { "allow-mixed-hosts", no_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    double alpha = 0.05, fail_above = NAN;
    char err[1024];
    const char *metric = "ops_per_sec";
    int ch, allow_mixed = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'A':
            if (gcb_parse_double(optarg, &alpha) || alpha <= 0 || alpha >= 1)
                die_usage("--alpha '%s': give a decimal number greater than 0 and less than 1, e.g. 0.05", optarg);
            break;
        case 'F':
            if (gcb_opt_double("--fail-above (percent)", optarg, 0, 1e6, &fail_above, err, sizeof err))
                die_usage("%s", err);
            break;
        case 'M': metric = optarg; break;
        case 'H': allow_mixed = 1; break;
        case 'h': fputs(compare_help, stdout); return GCB_EXIT_OK;
        case ':': die_usage("option '%s' needs a value (see gcbench compare --help)", argv[optind - 1]);
        default: die_usage("unknown option '%s' (see gcbench compare --help)", argv[optind - 1]);
        }
    }
    int npos = argc - optind;
    if (npos != 2 && npos != 3)
        die_usage("give two result directories, or one directory and two filters (see gcbench compare --help)");
    int higher_better = strcmp(metric, "ops_per_sec") == 0;

    gcb_runs_t ra, rb;
    groups_t ga = { 0 }, gb = { 0 };
    filter_t fa, fb;
    memset(&fa, 0, sizeof fa);
    memset(&fb, 0, sizeof fb);
    int seen = 0;
    char key[1024];
    const char *label_a, *label_b;
    if (npos == 2) {
        label_a = argv[optind];
        label_b = argv[optind + 1];
        load(label_a, &ra);
        load(label_b, &rb);
        for (size_t i = 0; i < ra.n; i++)
            group_add(&ga, json_string_value(json_object_get(ra.line[i], "cell")), ra.line[i], metric, &seen);
        for (size_t i = 0; i < rb.n; i++)
            group_add(&gb, json_string_value(json_object_get(rb.line[i], "cell")), rb.line[i], metric, &seen);
    } else {
        label_a = argv[optind + 1];
        label_b = argv[optind + 2];
        if (parse_filter(label_a, &fa) || parse_filter(label_b, &fb))
            die_usage("a filter is KEY=VALUE[,KEY=VALUE...], e.g. allocator=glibc or collector=gen,threshold0=700");
        load(argv[optind], &ra);
        rb.n = 0;
        rb.line = NULL;
        for (size_t i = 0; i < ra.n; i++) {
            int ma = matches(&fa, ra.line[i]), mb = matches(&fb, ra.line[i]);
            if (ma && mb)
                die_usage("filters '%s' and '%s' both select cell '%s': make them exclusive", label_a, label_b,
                          json_string_value(json_object_get(ra.line[i], "cell")));
            if (!ma && !mb)
                continue;
            rest_key(ra.line[i], &fa, &fb, key, sizeof key);
            group_add(ma ? &ga : &gb, key, ra.line[i], metric, &seen);
        }
    }
    if (!seen && (ga.n || gb.n))
        die_usage("metric '%s' is in no ok run (e.g. ops_per_sec, peak_rss_bytes, wall_s, gc.gc_time_s)", metric);
    qsort(ga.g, ga.n, sizeof *ga.g, cmp_group);
    size_t host_mixed = 0; /* pairs measured on different hosts: refused unless allowed */
    for (size_t i = 0; i < ga.n; i++)
        for (size_t j = 0; j < gb.n; j++)
            if (strcmp(gb.g[j].key, ga.g[i].key) == 0)
                host_mixed += (size_t)gcb_hosts_check_pair(ga.g[i].key, &ga.g[i].hosts, &gb.g[j].hosts, allow_mixed);

    printf("A: %s\nB: %s\nmetric: %s (%s is better), alpha %.3g\n\n", label_a, label_b, metric,
           higher_better ? "higher" : "lower", alpha);
    printf("%-46s %10s %10s %8s %19s %8s %7s\n", "cell", "A median", "B median", "B/A", "95% CI of B/A", "p", "n A/B");
    size_t common = 0, significant = 0, regressions = 0, underpowered = 0;
    double log_sum = 0, worst_min_p = 0;
    size_t worst_na = 0, worst_nb = 0;
    for (size_t i = 0; i < ga.n; i++) {
        group_t *a = &ga.g[i], *b = NULL;
        for (size_t j = 0; j < gb.n; j++)
            if (strcmp(gb.g[j].key, a->key) == 0)
                b = &gb.g[j];
        if (!b)
            continue;
        if (a->n == 0 || b->n == 0) {
            printf("%-46s %s\n", a->key, "no ok runs on one side: not compared");
            continue;
        }
        common++;
        double ma = gcb_median(a->v, a->n), mb = gcb_median(b->v, b->n);
        double ratio = ma != 0 ? mb / ma : NAN;
        gcb_mwu_t t;
        gcb_mann_whitney(a->v, a->n, b->v, b->n, &t);
        double est, lo = NAN, hi = NAN;
        int positive = 1;
        for (size_t k = 0; k < a->n; k++)
            positive &= a->v[k] > 0;
        for (size_t k = 0; k < b->n; k++)
            positive &= b->v[k] > 0;
        if (positive)
            gcb_ratio_ci(a->v, a->n, b->v, b->n, 0.95, &est, &lo, &hi);
        int sig = t.p < alpha;
        int can = t.min_p < alpha;
        if (!can) {
            underpowered++;
            if (t.min_p > worst_min_p) {
                worst_min_p = t.min_p;
                worst_na = a->n;
                worst_nb = b->n;
            }
        }
        significant += (size_t)sig;
        if (ratio > 0 && isfinite(ratio))
            log_sum += log(ratio);
        double worse_pct = higher_better ? (1 - ratio) * 100 : (ratio - 1) * 100;
        int regressed = !isnan(fail_above) && worse_pct > fail_above && (sig || !can);
        regressions += (size_t)regressed;
        char sa[32], sb[32], ci[48], n[24];
        fmt_val(sa, sizeof sa, ma);
        fmt_val(sb, sizeof sb, mb);
        if (isnan(lo))
            snprintf(ci, sizeof ci, "%s", positive ? "(too few runs)" : "(values <= 0)");
        else
            snprintf(ci, sizeof ci, "[%.3f, %.3f]", lo, hi);
        snprintf(n, sizeof n, "%zu/%zu", a->n, b->n);
        printf("%-46s %10s %10s %8.3f %19s %8.3g %7s %s%s\n", a->key, sa, sb, ratio, ci, t.p, n, sig ? "*" : " ",
               regressed ? " REGRESSION" : "");
    }
    if (common == 0)
        die_usage("A and B have no cell in common");
    double gm = exp(log_sum / (double)common);
    printf("%-46s %10s %10s %8.3f\n", "geomean", "", "", gm);
    printf("\n%zu cells compared, %zu significant at alpha %.3g (about %.1f expected by chance if nothing changed)\n",
           common, significant, alpha, alpha * (double)common);
    if (underpowered)
        fprintf(stderr, "gcbench: compare: warning: %zu cells have too few runs for the U test to reach p < %.3g "
                        "(with %zu and %zu runs the smallest possible p is %.3g); use at least %d repetitions a side\n",
                underpowered, alpha, worst_na, worst_nb, worst_min_p, min_reps(alpha));
    if (host_mixed)
        fprintf(stderr, "gcbench: compare: warning: %zu of the pairs compared were measured on different hosts "
                        "(--allow-mixed-hosts): their differences include the hosts'\n", host_mixed);
    if (regressions) {
        fprintf(stderr, "gcbench: compare: %zu cells regressed by more than %g%%\n", regressions, fail_above);
        return GCB_EXIT_FAIL;
    }
    return GCB_EXIT_OK;
}
