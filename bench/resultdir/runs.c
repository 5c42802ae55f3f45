/*
 * bench/resultdir/runs.c - result directories: reading runs.jsonl, writing lines
 * durably, summary.csv, and the per-cell table printed after a matrix.
 *
 * Durability: a runs.jsonl line is one write() of a complete line followed
 * by fsync, so after a kill the file is a sequence of complete lines,
 * possibly followed by one truncated line, which readers skip with a
 * warning and --resume cuts off.  Every other file is written whole to a
 * temporary name, fsynced and renamed over the old one.
 */
#include "bench/resultdir/runs.h"
#include "bench/resultdir/files.h"
#include "bench/analysis/stats.h"
#include "bench/report/format.h"

#define GCB_STR_(x) #x
#define GCB_STR(x) GCB_STR_(x)

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int gcb_append_line(int fd, json_t *obj)
{
    char *text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return -1;
    size_t len = strlen(text);
    char *line = malloc(len + 2);
    memcpy(line, text, len);
    line[len] = '\n';
    free(text);
    size_t off = 0;
    int rc = 0;
    while (off < len + 1) {
        ssize_t w = write(fd, line + off, len + 1 - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
    free(line);
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    return rc;
}

/* The metrics a reader computes with: when present (and not null, the
 * writer's "unknown") each must be a number >= 0. */
static const char *const checked_metrics[] = {
    GCB_K_OPS, GCB_K_WALL, GCB_K_USER, GCB_K_SYS, GCB_K_RSS, GCB_K_MINFLT, GCB_K_MAJFLT,
    "final_collect_s", "live_bytes_peak", "fragmentation", "leaked_objects", "leaked_bytes",
    GCB_K_GC ".collections", GCB_K_GC "." GCB_K_GC_TIME, GCB_K_GC "." GCB_K_PAUSES ".count",
    GCB_K_GC "." GCB_K_PAUSES ".p50", GCB_K_GC "." GCB_K_PAUSES ".p99", GCB_K_GC "." GCB_K_PAUSES ".max",
    GCB_K_GC ".freed_by_rc", GCB_K_GC ".freed_by_gc", GCB_K_PROCESS "." GCB_K_ELAPSED,
    GCB_K_PROCESS "." GCB_K_RSS, GCB_K_PROCESS "." GCB_K_MINFLT, GCB_K_PROCESS "." GCB_K_MAJFLT,
};

static json_t *at_path(json_t *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
        o = json_object_get(o, tok);
    return o;
}

/* Why a parsed line is not a valid record, or NULL when it is one. */
static const char *record_invalid(json_t *j)
{
    if (!json_is_object(j))
        return "not a JSON object";
    if (json_integer_value(json_object_get(j, GCB_K_SCHEMA)) != GCB_SCHEMA_VERSION ||
        !json_is_integer(json_object_get(j, GCB_K_SCHEMA)))
        return "not a record of schema_version " GCB_STR(GCB_SCHEMA_VERSION);
    if (!json_is_string(json_object_get(j, GCB_K_CELL)) || !json_is_integer(json_object_get(j, GCB_K_REP)) ||
        json_integer_value(json_object_get(j, GCB_K_REP)) < 0)
        return "no cell or repetition";
    const char *st = gcb_run_str(j, GCB_K_STATUS, "");
    if (strcmp(st, GCB_STATUS_OK) != 0 && strcmp(st, GCB_STATUS_FAILED) != 0)
        return "status neither ok nor failed";
    for (size_t i = 0; i < sizeof checked_metrics / sizeof checked_metrics[0]; i++) {
        json_t *v = at_path(j, checked_metrics[i]);
        if (v && !json_is_null(v) && (!json_is_number(v) || !(json_number_value(v) >= 0)))
            return "a metric that is not a number >= 0";
    }
    return NULL;
}

static void runs_push(gcb_runs_t *runs, size_t *cap, json_t *j)
{
    if (runs->n == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        runs->line = realloc(runs->line, *cap * sizeof *runs->line);
    }
    runs->line[runs->n++] = j;
}

/* Read the lines of `f`; invalid ones skipped (see runs.h). */
static void read_lines(FILE *f, const char *path, gcb_runs_t *runs, long *valid_bytes, long **lineno_of)
{
    size_t cap = 0, lcap = 0;
    char *line = NULL;
    ssize_t len;
    long pos = 0, lineno = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        lineno++;
        int complete = line[len - 1] == '\n';
        json_error_t jerr;
        json_t *j = complete ? json_loadb(line, (size_t)len, 0, &jerr) : NULL;
        const char *why = !complete ? "truncated (incomplete last)" : !j ? "malformed" : record_invalid(j);
        if (why) {
            if (!complete || !j)
                fprintf(stderr, "gcbench: warning: %s:%ld: %s line skipped\n", path, lineno, why);
            else
                fprintf(stderr, "gcbench: warning: %s:%ld: invalid line skipped (%s)\n", path, lineno, why);
            json_decref(j);
            if (!complete)
                break;
            runs->invalid++;
        } else {
            size_t before = runs->n;
            runs_push(runs, &cap, j);
            *lineno_of = realloc(*lineno_of, cap * sizeof **lineno_of);
            (*lineno_of)[before] = lineno;
        }
        pos += len;
        if (valid_bytes)
            *valid_bytes = pos;
    }
    free(line);
}
typedef struct line_at {
    json_t *j;
    long lineno;
    size_t idx;
} line_at_t;

static int cmp_line_at(const void *a, const void *b)
{
    const line_at_t *x = a, *y = b;
    int c = strcmp(gcb_run_str(x->j, GCB_K_CELL, ""), gcb_run_str(y->j, GCB_K_CELL, ""));
    if (c)
        return c;
    long long rx = gcb_run_rep(x->j), ry = gcb_run_rep(y->j);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* A (cell, repetition) recorded again is counted once: the first line is
 * kept, each later one dropped with a warning. */
static void drop_duplicates(gcb_runs_t *runs, const char *path, const long *lineno)
{
    line_at_t *v = malloc((runs->n + 1) * sizeof *v);
    for (size_t i = 0; i < runs->n; i++)
        v[i] = (line_at_t){ runs->line[i], lineno[i], i };
    qsort(v, runs->n, sizeof *v, cmp_line_at);
    char *drop = calloc(runs->n + 1, 1);
    for (size_t i = 1; i < runs->n; i++) {
        size_t first = i - 1;
        while (first > 0 && drop[v[first].idx])
            first--;
        if (strcmp(gcb_run_str(v[i].j, GCB_K_CELL, ""), gcb_run_str(v[first].j, GCB_K_CELL, "")) != 0 ||
            gcb_run_rep(v[i].j) != gcb_run_rep(v[first].j))
            continue;
        fprintf(stderr, "gcbench: warning: %s:%ld: repetition %lld of cell '%s' is recorded again (first at line %ld): "
                        "counted once\n",
                path, v[i].lineno, gcb_run_rep(v[i].j), gcb_run_str(v[i].j, GCB_K_CELL, ""), v[first].lineno);
        drop[v[i].idx] = 1;
        runs->duplicates++;
    }
    size_t k = 0;
    for (size_t i = 0; i < runs->n; i++) {
        if (drop[i])
            json_decref(runs->line[i]);
        else
            runs->line[k++] = runs->line[i];
    }
    runs->n = k;
    free(drop);
    free(v);
}

static int runs_read(const char *dir, gcb_runs_t *runs, long *valid_bytes, int keep_dups, char *err, size_t errlen)
{
    memset(runs, 0, sizeof *runs);
    if (valid_bytes)
        *valid_bytes = 0;
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/runs.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    /* a shared lock while reading: the matrix appends each line under an
     * exclusive one, so this reads whole lines only (docs/promises.md) */
    flock(fileno(f), LOCK_SH);
    long *lineno = NULL;
    read_lines(f, path, runs, valid_bytes, &lineno);
    fclose(f);
    if (!keep_dups)
        drop_duplicates(runs, path, lineno);
    free(lineno);
    return 0;
}

int gcb_runs_load(const char *dir, gcb_runs_t *runs, long *valid_bytes, char *err, size_t errlen)
{
    return runs_read(dir, runs, valid_bytes, 0, err, errlen);
}

int gcb_runs_load_all(const char *dir, gcb_runs_t *runs, char *err, size_t errlen)
{
    return runs_read(dir, runs, NULL, 1, err, errlen);
}

int gcb_runjson_load(const char *dir, json_t **out, char *err, size_t errlen)
{
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/run.json", dir);
    *out = NULL;
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        snprintf(err, errlen, "'%s' is missing: not a result directory of gcbench matrix, or a damaged one", path);
        return -1;
    }
    json_error_t jerr;
    *out = json_load_file(path, 0, &jerr);
    if (!*out || !json_is_object(*out)) {
        snprintf(err, errlen, "'%s' is unreadable or not a JSON object (%s): a damaged result directory", path,
                 *out ? "not an object" : jerr.text);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    json_t *fmt = json_object_get(*out, GCB_K_FORMAT), *schema = json_object_get(*out, GCB_K_SCHEMA);
    if (!json_is_integer(fmt) || json_integer_value(fmt) != GCB_MATRIX_FORMAT || !json_is_integer(schema) ||
        json_integer_value(schema) != GCB_SCHEMA_VERSION) {
        snprintf(err, errlen, "'%s' is not a run.json this gcbench reads (matrix_format %lld, schema_version %lld; "
                 "it reads %d and %d)", path, (long long)json_integer_value(fmt),
                 (long long)json_integer_value(schema), GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int gcb_run_ok(const json_t *line)
{
    return strcmp(gcb_run_str(line, GCB_K_STATUS, ""), GCB_STATUS_OK) == 0;
}

const char *gcb_run_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

long long gcb_run_rep(const json_t *line)
{
    json_t *r = json_object_get(line, GCB_K_REP);
    return json_is_integer(r) ? (long long)json_integer_value(r) : -1;
}

/* ---------------------------------------------------------------- groups */

typedef struct keyed {
    const char *key;
    json_t *line;
    size_t idx;
} keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    long long rx = gcb_run_rep(x->line), ry = gcb_run_rep(y->line);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int gcb_group_by_cell(json_t *line, void *ctx, char *key, size_t keylen)
{
    (void)ctx;
    snprintf(key, keylen, "%s", gcb_run_str(line, GCB_K_CELL, ""));
    return 1;
}

#define GCB_GROUP_KEY_MAX 1024

void gcb_runs_group(json_t *const *lines, size_t n, gcb_group_key_fn keyfn, void *ctx, gcb_groups_t *out)
{
    memset(out, 0, sizeof *out);
    out->keys__ = malloc(n * GCB_GROUP_KEY_MAX + 1);
    keyed_t *v = malloc((n + 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char *k = out->keys__ + m * GCB_GROUP_KEY_MAX;
        if (keyfn(lines[i], ctx, k, GCB_GROUP_KEY_MAX))
            v[m++] = (keyed_t){ k, lines[i], i };
    }
    qsort(v, m, sizeof *v, cmp_keyed);
    out->lines__ = malloc((m + 1) * sizeof *out->lines__);
    out->g = malloc((m + 1) * sizeof *out->g);
    for (size_t i = 0; i < m; i++) {
        out->lines__[i] = v[i].line;
        if (i == 0 || strcmp(v[i].key, v[i - 1].key) != 0)
            out->g[out->n++] = (gcb_group_t){ v[i].key, &out->lines__[i], 0 };
        out->g[out->n - 1].n++;
    }
    free(v);
}

void gcb_groups_free(gcb_groups_t *g)
{
    free(g->g);
    free(g->lines__);
    free(g->keys__);
    memset(g, 0, sizeof *g);
}

void gcb_runs_free(gcb_runs_t *runs)
{
    for (size_t i = 0; i < runs->n; i++)
        json_decref(runs->line[i]);
    free(runs->line);
    memset(runs, 0, sizeof *runs);
}

double gcb_run_metric(json_t *line, const char *metric)
{
    if (strcmp(metric, GCB_K_RSS) == 0 || strcmp(metric, GCB_K_MINFLT) == 0 ||
        strcmp(metric, GCB_K_MAJFLT) == 0) {
        json_t *v = json_object_get(json_object_get(line, GCB_K_PROCESS), metric);
        if (json_is_number(v))
            return json_number_value(v);
    }
    json_t *cur = at_path(line, metric);
    return json_is_number(cur) ? json_number_value(cur) : NAN;
}

/* ---------------------------------------------------------------- cells */

/* The ok values of a metric in lines [i, j). */
static size_t values(json_t *const *v, size_t i, size_t j, const char *metric, double *out)
{
    size_t n = 0;
    for (size_t k = i; k < j; k++) {
        if (!gcb_run_ok(v[k]))
            continue;
        double x = gcb_run_metric(v[k], metric);
        if (!isnan(x))
            out[n++] = x;
    }
    return n;
}

static const struct { const char *column, *path; } median_cols[] = {
    { "wall_s", GCB_K_WALL },
    { "user_s", GCB_K_USER },
    { "sys_s", GCB_K_SYS },
    { "elapsed_s", GCB_K_PROCESS "." GCB_K_ELAPSED },
    { "minor_faults", GCB_K_MINFLT },
    { "major_faults", GCB_K_MAJFLT },
    { "live_bytes_peak", "live_bytes_peak" },
    { "fragmentation", "fragmentation" },
    { "leaked_objects", "leaked_objects" },
    { "leaked_bytes", "leaked_bytes" },
    { "final_collect_s", "final_collect_s" },
    { "gc_collections", GCB_K_GC ".collections" },
    { "gc_time_s", GCB_K_GC "." GCB_K_GC_TIME },
    { "pause_p50_ns", GCB_K_GC "." GCB_K_PAUSES ".p50" },
    { "pause_p99_ns", GCB_K_GC "." GCB_K_PAUSES ".p99" },
    { "pause_max_ns", GCB_K_GC "." GCB_K_PAUSES ".max" },
    { "freed_by_rc", GCB_K_GC ".freed_by_rc" },
    { "freed_by_gc", GCB_K_GC ".freed_by_gc" },
};

static void csv_num(char **buf, size_t *len, size_t *cap, double v)
{
    char tmp[64];
    if (isnan(v))
        snprintf(tmp, sizeof tmp, ",");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(tmp, sizeof tmp, ",%.0f", v);
    else
        snprintf(tmp, sizeof tmp, ",%.6g", v);
    size_t l = strlen(tmp);
    while (*len + l + 1 > *cap) {
        *cap *= 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, tmp, l + 1);
    *len += l;
}

static void csv_str(char **buf, size_t *len, size_t *cap, const char *s, int first)
{
    size_t l = strlen(s) * 2 + 4;
    while (*len + l + 1 > *cap) {
        *cap *= 2;
        *buf = realloc(*buf, *cap);
    }
    char *p = *buf + *len;
    if (!first)
        *p++ = ',';
    int quote = strpbrk(s, ",\"\n") != NULL;
    if (quote)
        *p++ = '"';
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            *p++ = '"';
        *p++ = *c;
    }
    if (quote)
        *p++ = '"';
    *p = '\0';
    *len = (size_t)(p - *buf);
}

typedef struct csv {
    char *buf;
    size_t len, cap;
} csv_t;

static void csv_eol(csv_t *c)
{
    csv_str(&c->buf, &c->len, &c->cap, "", 1);
    c->buf[c->len++] = '\n';
    c->buf[c->len] = '\0';
}

static void summary_head(csv_t *c)
{
    csv_str(&c->buf, &c->len, &c->cap, "cell", 1);
    const char *head[] = { "allocator", "collector", "workload", "params", "runs_ok", "runs_failed", "ci_level",
                           "ops_per_sec_median", "ops_per_sec_min", "ops_per_sec_max", "ops_per_sec_ci_low",
                           "ops_per_sec_ci_high", "peak_rss_bytes_median", "peak_rss_bytes_min",
                           "peak_rss_bytes_max", "peak_rss_bytes_ci_low", "peak_rss_bytes_ci_high",
                           "ops_per_sec_rcv", "unstable" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_str(&c->buf, &c->len, &c->cap, head[i], 0);
    for (size_t i = 0; i < sizeof median_cols / sizeof median_cols[0]; i++) {
        char col[96];
        snprintf(col, sizeof col, "%s_median", median_cols[i].column);
        csv_str(&c->buf, &c->len, &c->cap, col, 0);
    }
    csv_eol(c);
}

/* One cell's row: its coordinates, run counts, the CI columns, the medians. */
static void summary_row(csv_t *c, const gcb_group_t *g, double *x)
{
    json_t *first = g->line[0];
    size_t ok = 0;
    for (size_t k = 0; k < g->n; k++)
        ok += (size_t)gcb_run_ok(g->line[k]);
    csv_str(&c->buf, &c->len, &c->cap, g->key, 1);
    csv_str(&c->buf, &c->len, &c->cap, gcb_run_str(first, GCB_K_ALLOCATOR, ""), 0);
    csv_str(&c->buf, &c->len, &c->cap, gcb_run_str(first, GCB_K_COLLECTOR, ""), 0);
    csv_str(&c->buf, &c->len, &c->cap, gcb_run_str(first, GCB_K_WORKLOAD, ""), 0);
    char params[2048] = "";
    size_t po = 0;
    const char *k;
    json_t *pv;
    json_object_foreach(json_object_get(first, GCB_K_PARAMS), k, pv)
        po += (size_t)snprintf(params + po, sizeof params - po, "%s%s=%s", po ? ";" : "", k, json_string_value(pv) ?: "");
    csv_str(&c->buf, &c->len, &c->cap, params, 0);
    csv_num(&c->buf, &c->len, &c->cap, (double)ok);
    csv_num(&c->buf, &c->len, &c->cap, (double)(g->n - ok));
    double level = NAN, rcv = NAN;
    const char *ci_metrics[] = { GCB_K_OPS, GCB_K_RSS };
    double stats[2][5];
    for (int m = 0; m < 2; m++) {
        size_t n = values(g->line, 0, g->n, ci_metrics[m], x);
        gcb_sort_doubles(x, n);
        double lo, hi, ach;
        gcb_median_ci(x, n, 0.95, &lo, &hi, &ach);
        stats[m][0] = gcb_median(x, n);
        stats[m][1] = n ? x[0] : NAN;
        stats[m][2] = n ? x[n - 1] : NAN;
        stats[m][3] = lo;
        stats[m][4] = hi;
        if (m == 0) {
            level = n ? ach : NAN;
            rcv = gcb_robust_cv(x, n);
        }
    }
    csv_num(&c->buf, &c->len, &c->cap, isnan(level) ? NAN : floor(level * 10000 + 0.5) / 10000);
    for (int m = 0; m < 2; m++)
        for (int s = 0; s < 5; s++)
            csv_num(&c->buf, &c->len, &c->cap, stats[m][s]);
    csv_num(&c->buf, &c->len, &c->cap, isnan(rcv) ? NAN : floor(rcv * 10000 + 0.5) / 10000);
    csv_num(&c->buf, &c->len, &c->cap, isnan(rcv) ? NAN : (double)(rcv > GCB_UNSTABLE_RCV));
    for (size_t col = 0; col < sizeof median_cols / sizeof median_cols[0]; col++) {
        size_t n = values(g->line, 0, g->n, median_cols[col].path, x);
        csv_num(&c->buf, &c->len, &c->cap, gcb_median(x, n));
    }
    csv_eol(c);
}

int gcb_summary_write(const char *dir, const gcb_runs_t *runs, char *err, size_t errlen)
{
    csv_t c = { malloc(8192), 0, 8192 };
    c.buf[0] = '\0';
    summary_head(&c);
    gcb_groups_t gs;
    gcb_runs_group(runs->line, runs->n, gcb_group_by_cell, NULL, &gs);
    double *x = malloc((runs->n + 1) * sizeof *x);
    for (size_t i = 0; i < gs.n; i++)
        summary_row(&c, &gs.g[i], x);
    free(x);
    gcb_groups_free(&gs);
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    int rc = gcb_write_text_atomic(path, c.buf, err, errlen);
    free(c.buf);
    return rc;
}

void gcb_summary_print(FILE *out, const gcb_runs_t *runs)
{
    gcb_groups_t gs;
    gcb_runs_group(runs->line, runs->n, gcb_group_by_cell, NULL, &gs);
    double *x = malloc((runs->n + 1) * sizeof *x);
    size_t cells = 0, unstable = 0;
    double worst = 0;
    const char *worst_cell = "";
    fprintf(out, "%-48s %12s %25s %12s %6s\n", "cell", "ops/s", "95% CI (median)", "peak RSS", "n");
    for (size_t g = 0; g < gs.n; g++) {
        json_t *const *v = gs.g[g].line;
        const char *cell = gs.g[g].key;
        size_t i = 0, j = gs.g[g].n, ok = 0;
        for (size_t k = 0; k < j; k++)
            ok += (size_t)gcb_run_ok(v[k]);
        size_t n = values(v, i, j, GCB_K_OPS, x);
        gcb_sort_doubles(x, n);
        double lo, hi, ach, rcv = gcb_robust_cv(x, n);
        gcb_median_ci(x, n, 0.95, &lo, &hi, &ach);
        int shaky = rcv > GCB_UNSTABLE_RCV;     /* false for NAN */
        cells++;
        unstable += (size_t)shaky;
        if (shaky && rcv > worst) {
            worst = rcv;
            worst_cell = cell;
        }
        char med[32], l[32], h[32], rss[32], ci[80], cnt[32];
        gcb_fmt_human_aligned(med, sizeof med, gcb_median(x, n), "");
        gcb_fmt_human_aligned(l, sizeof l, lo, "");
        gcb_fmt_human_aligned(h, sizeof h, hi, "");
        snprintf(ci, sizeof ci, n ? "%s .. %s%s" : "-", l, h, n && ach < 0.95 ? "*" : "");
        n = values(v, i, j, GCB_K_RSS, x);
        gcb_fmt_human_aligned(rss, sizeof rss, gcb_median(x, n), "B");
        snprintf(cnt, sizeof cnt, "%zu", ok);
        if (j - i > ok)
            snprintf(cnt, sizeof cnt, "%zu+%zuF", ok, j - i - ok);
        fprintf(out, "%-48s %12s %25s %12s %6s%s\n", cell, ok ? med : "-", ci, ok ? rss : "-", cnt,
                shaky ? " !" : "");
    }
    fprintf(out, "(median of the ok runs; CI: order statistics of the median, * = below 95%% "
                 "coverage with this few runs; nF = failed runs; ! = unstable)\n");
    fflush(out);   /* the warning follows the table it is about */
    if (unstable)
        fprintf(stderr,
                "gcbench: warning: %zu of %zu cells are unstable (ops/s spread, 1.4826*MAD/median, above %.0f%%; "
                "worst %s at %.0f%%): differences smaller than about twice that are not resolved; "
                "re-run on a quieter machine or with more --reps\n",
                unstable, cells, GCB_UNSTABLE_RCV * 100, worst_cell, worst * 100);
    free(x);
    gcb_groups_free(&gs);
}
