/*
 * bench/micro/summary.c - gcbench-micro-summary: read Google Benchmark JSON
 * files (gcbench-micro --benchmark_format=json or --benchmark_out=FILE),
 * check them, and print the medians.
 *
 *   gcbench-micro-summary [--real] FILE...        table of every benchmark:
 *       median CPU time (--real: wall-clock time) per iteration over its
 *       repetitions (ns), min .. max, repetitions,
 *       per_object when reported, or the error it was skipped with; then
 *       ns per allocate/free pair by size (rows) and allocator (columns),
 *       with how many times faster the pool is than each other allocator
 *   gcbench-micro-summary --expect NAME... FILE...
 *       exit 1 unless every NAME is a benchmark of the files (measured or
 *       skipped with an error); --expect-ok NAME also requires it measured
 *
 * It reads what Google Benchmark writes, not a format of ours, so its
 * own tools/compare.py works on the same files.  Exit status: 0, 1 an
 * expectation failed, 2 a file is missing or is not Google Benchmark JSON.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/stats.h"

typedef struct bench {
    char name[256];
    double *t;         /* times of the iteration runs, ns */
    double *po;        /* their per_object counters, seconds (NAN when absent) */
    size_t n, cap;
    char error[256];
} bench_t;

static bench_t *bs;
static size_t nbs, capbs;

static bench_t *find(const char *name)
{
    for (size_t i = 0; i < nbs; i++)
        if (strcmp(bs[i].name, name) == 0)
            return &bs[i];
    return NULL;
}

static bench_t *get(const char *name)
{
    bench_t *found = find(name);
    if (found)
        return found;
    if (nbs == capbs) {
        capbs = capbs ? 2 * capbs : 256;
        bs = realloc(bs, capbs * sizeof *bs);
    }
    bench_t *b = &bs[nbs++];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name);
    return b;
}

static double to_ns(double v, const char *unit)
{
    if (!unit || strcmp(unit, "ns") == 0)
        return v;
    if (strcmp(unit, "us") == 0)
        return v * 1e3;
    if (strcmp(unit, "ms") == 0)
        return v * 1e6;
    if (strcmp(unit, "s") == 0)
        return v * 1e9;
    return NAN;
}

static const char *time_key = "cpu_time";

static int load(const char *path)
{
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    if (!root) {
        fprintf(stderr, "gcbench-micro-summary: %s: not JSON (%s, line %d)\n", path, e.text, e.line);
        return -1;
    }
    json_t *list = json_object_get(root, "benchmarks");
    if (!json_is_object(json_object_get(root, "context")) || !json_is_array(list)) {
        fprintf(stderr, "gcbench-micro-summary: %s: no \"context\" object or \"benchmarks\" array: not Google "
                        "Benchmark JSON\n",
                path);
        json_decref(root);
        return -1;
    }
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b)
    {
        const char *type = json_string_value(json_object_get(b, "run_type"));
        if (type && strcmp(type, "iteration") != 0)
            continue; /* aggregates: recomputed from the runs */
        const char *name = json_string_value(json_object_get(b, "run_name"));
        if (!name)
            name = json_string_value(json_object_get(b, "name"));
        if (!name)
            continue;
        bench_t *x = get(name);
        if (json_is_true(json_object_get(b, "error_occurred"))) {
            const char *m = json_string_value(json_object_get(b, "error_message"));
            snprintf(x->error, sizeof x->error, "%s", m ? m : "error");
            continue;
        }
        double t = to_ns(json_number_value(json_object_get(b, time_key)),
                         json_string_value(json_object_get(b, "time_unit")));
        if (x->n == x->cap) {
            x->cap = x->cap ? 2 * x->cap : 8;
            x->t = realloc(x->t, x->cap * sizeof *x->t);
            x->po = realloc(x->po, x->cap * sizeof *x->po);
        }
        json_t *po = json_object_get(b, "per_object");
        x->po[x->n] = json_is_number(po) ? json_number_value(po) : NAN;
        x->t[x->n++] = t;
    }
    json_decref(root);
    return 0;
}

static double median_of(const bench_t *b) { return gcb_median(b->t, b->n); }

/* One pivot table: rows = sizes (ascending), columns = allocators (in the
 * order the files list them), and the pool column the ratios are against. */
typedef struct pivot {
    const char *prefix;
    char cols[16][128];
    size_t nc;
    long sizes[128];
    size_t ns;
    int pool; /* index into cols, or -1 */
} pivot_t;

/* Columns and rows from the names PREFIX/ALLOC/SIZE of measured benchmarks. */
static void pivot_axes(pivot_t *pv)
{
    size_t pl = strlen(pv->prefix);
    for (size_t i = 0; i < nbs; i++) {
        if (strncmp(bs[i].name, pv->prefix, pl) != 0 || bs[i].name[pl] != '/' || !bs[i].n)
            continue;
        const char *a = bs[i].name + pl + 1, *slash = strrchr(a, '/');
        if (!slash)
            continue;
        char alloc[128];
        snprintf(alloc, sizeof alloc, "%.*s", (int)(slash - a), a);
        long size = strtol(slash + 1, NULL, 10);
        size_t c = 0;
        while (c < pv->nc && strcmp(pv->cols[c], alloc) != 0)
            c++;
        if (c == pv->nc && pv->nc < 16)
            snprintf(pv->cols[pv->nc++], sizeof pv->cols[0], "%s", alloc);
        size_t s = 0;
        while (s < pv->ns && pv->sizes[s] != size)
            s++;
        if (s == pv->ns && pv->ns < 128)
            pv->sizes[pv->ns++] = size;
    }
    for (size_t i = 1; i < pv->ns; i++)
        for (size_t j = i; j > 0 && pv->sizes[j - 1] > pv->sizes[j]; j--) {
            long t = pv->sizes[j];
            pv->sizes[j] = pv->sizes[j - 1];
            pv->sizes[j - 1] = t;
        }
    /* the pool column the ratios are against: "pool", else the first pool+X */
    pv->pool = -1;
    for (size_t c = 0; c < pv->nc; c++)
        if (strcmp(pv->cols[c], "pool") == 0)
            pv->pool = (int)c;
    for (size_t c = 0; c < pv->nc && pv->pool < 0; c++)
        if (strncmp(pv->cols[c], "pool", 4) == 0)
            pv->pool = (int)c;
}

/* Does column C get a "times the pool" ratio column? */
static int pivot_ratio_col(const pivot_t *pv, size_t c)
{
    return pv->pool >= 0 && (int)c != pv->pool && strncmp(pv->cols[c], "pool", 4) != 0;
}

static void pivot_header(const pivot_t *pv)
{
    printf("\n%s: ns per allocate/free pair (median of repetitions)\n%6s", pv->prefix, "size");
    for (size_t c = 0; c < pv->nc; c++)
        printf(" %14s", pv->cols[c]);
    for (size_t c = 0; c < pv->nc; c++)
        if (pivot_ratio_col(pv, c))
            printf(" %14.14s", pv->cols[c]);
    printf("\n");
    if (pv->pool >= 0) {
        printf("%6s", "");
        for (size_t c = 0; c < pv->nc; c++)
            printf(" %14s", "");
        for (size_t c = 0; c < pv->nc; c++)
            if (pivot_ratio_col(pv, c))
                printf(" %14s", "/ pool");
        printf("\n");
    }
}

/* Row S: the medians, then the ratios to the pool; the logs of the ratios
 * on 16..256 bytes are summed into LSUM/LCOUNT for the geometric mean. */
static void pivot_row(const pivot_t *pv, size_t s, double lsum[16], size_t lcount[16])
{
    printf("%6ld", pv->sizes[s]);
    double v[16];
    for (size_t c = 0; c < pv->nc; c++) {
        char name[300];
        snprintf(name, sizeof name, "%s/%s/%ld", pv->prefix, pv->cols[c], pv->sizes[s]);
        bench_t *b = find(name);
        v[c] = b && b->n ? median_of(b) : NAN;
        if (isnan(v[c]))
            printf(" %14s", "-");
        else
            printf(" %14.2f", v[c]);
    }
    for (size_t c = 0; c < pv->nc; c++)
        if (pivot_ratio_col(pv, c)) {
            double r = v[c] / v[pv->pool];
            printf(" %13.2fx", r);
            if (pv->sizes[s] >= 16 && pv->sizes[s] <= 256 && r > 0 && isfinite(r)) {
                lsum[c] += log(r);
                lcount[c]++;
            }
        }
    printf("\n");
}

/* ns per pair: rows = sizes, columns = allocators, for one prefix. */
static void pivot(const char *prefix)
{
    pivot_t pv = { .prefix = prefix };
    pivot_axes(&pv);
    if (!pv.nc)
        return;
    pivot_header(&pv);
    double lsum[16] = { 0 };
    size_t lcount[16] = { 0 };
    for (size_t s = 0; s < pv.ns; s++)
        pivot_row(&pv, s, lsum, lcount);
    if (pv.pool >= 0)
        for (size_t c = 0; c < pv.nc; c++)
            if (lcount[c])
                printf("%s is %.2fx faster than %s on 16..256 bytes (geometric mean of %zu sizes)\n",
                       pv.cols[pv.pool], exp(lsum[c] / (double)lcount[c]), pv.cols[c], lcount[c]);
}

int main(int argc, char **argv)
{
    const char *expect[512];
    int expect_ok[512];
    size_t ne = 0;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--expect") == 0 || strcmp(argv[i], "--expect-ok") == 0) && i + 1 < argc) {
            if (ne < 512) {
                expect_ok[ne] = strcmp(argv[i], "--expect-ok") == 0;
                expect[ne++] = argv[i + 1];
            }
            i++;
            continue;
        }
        if (strcmp(argv[i], "--real") == 0) {
            time_key = "real_time";
            continue;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts("usage: gcbench-micro-summary [--real] [--expect NAME | --expect-ok NAME]... FILE.json...\n"
                 "Medians of the CPU time per iteration (--real: of the wall-clock time).");
            return 0;
        }
        if (load(argv[i]))
            return 2;
        nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "gcbench-micro-summary: give Google Benchmark JSON files (see --help)\n");
        return 2;
    }
    if (ne) {
        int bad = 0;
        for (size_t k = 0; k < ne; k++) {
            bench_t *b = find(expect[k]);
            if (!b) {
                fprintf(stderr, "gcbench-micro-summary: expected benchmark '%s' is missing\n", expect[k]);
                bad = 1;
            } else if (expect_ok[k] && (!b->n || b->error[0] || !(median_of(b) > 0))) {
                fprintf(stderr, "gcbench-micro-summary: benchmark '%s' was not measured%s%s\n", expect[k],
                        b->error[0] ? ": " : "", b->error);
                bad = 1;
            }
        }
        if (!bad)
            printf("%zu benchmarks in %d file(s); all %zu expected ones present\n", nbs, nfiles, ne);
        return bad;
    }
    printf("%s per iteration, median of the repetitions\n",
           strcmp(time_key, "cpu_time") == 0 ? "CPU time" : "wall-clock time");
    printf("%-44s %12s %25s %5s %12s\n", "benchmark", "median ns", "min .. max", "n", "ns/object");
    for (size_t i = 0; i < nbs; i++) {
        bench_t *b = &bs[i];
        if (!b->n) {
            printf("%-44s %s\n", b->name, b->error[0] ? b->error : "(no measurement)");
            continue;
        }
        double mn = b->t[0], mx = b->t[0];
        for (size_t k = 1; k < b->n; k++) {
            mn = b->t[k] < mn ? b->t[k] : mn;
            mx = b->t[k] > mx ? b->t[k] : mx;
        }
        char range[64], po[32] = "";
        snprintf(range, sizeof range, "%.4g .. %.4g", mn, mx);
        if (!isnan(b->po[0]))
            snprintf(po, sizeof po, "%.3g", gcb_median(b->po, b->n) * 1e9);
        printf("%-44s %12.4g %25s %5zu %12s\n", b->name, median_of(b), range, b->n, po);
    }
    pivot("alloc_free");
    pivot("alloc_free_burst");
    return 0;
}
