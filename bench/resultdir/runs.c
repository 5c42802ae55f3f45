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

int gcb_runs_load(const char *dir, gcb_runs_t *runs, long *valid_bytes, char *err, size_t errlen)
{
    memset(runs, 0, sizeof *runs);
    if (valid_bytes)
        *valid_bytes = 0;
    char path[4200];
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
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long pos = 0, lineno = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        lineno++;
        int complete = line[len - 1] == '\n';
        json_error_t jerr;
        json_t *j = complete ? json_loadb(line, (size_t)len, 0, &jerr) : NULL;
        if (!j || !json_is_object(j) || !json_is_string(json_object_get(j, "cell")) ||
            !json_is_integer(json_object_get(j, "repetition"))) {
            fprintf(stderr, "gcbench: warning: %s:%ld: %s line skipped\n", path, lineno,
                    complete ? "malformed" : "truncated (incomplete last)");
            json_decref(j);
            if (!complete)
                break;
            pos += len;
            if (valid_bytes)
                *valid_bytes = pos;
            continue;
        }
        pos += len;
        if (valid_bytes)
            *valid_bytes = pos;
        if (runs->n == cap) {
            cap = cap ? 2 * cap : 256;
            runs->line = realloc(runs->line, cap * sizeof *runs->line);
        }
        runs->line[runs->n++] = j;
    }
    free(line);
    fclose(f);
    return 0;
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
    if (strcmp(metric, "peak_rss_bytes") == 0 || strcmp(metric, "minor_faults") == 0 ||
        strcmp(metric, "major_faults") == 0) {
        json_t *v = json_object_get(json_object_get(line, "process"), metric);
        if (json_is_number(v))
            return json_number_value(v);
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s", metric);
    json_t *cur = line;
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
        cur = json_object_get(cur, tok);
    return json_is_number(cur) ? json_number_value(cur) : NAN;
}

/* ---------------------------------------------------------------- cells */

static int cmp_line_cell(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "cell")), json_string_value(json_object_get(y, "cell")));
    if (c)
        return c;
    json_int_t rx = json_integer_value(json_object_get(x, "repetition"));
    json_int_t ry = json_integer_value(json_object_get(y, "repetition"));
    return rx < ry ? -1 : rx > ry;
}

/* Lines sorted by cell then repetition (a copy of the pointer array). */
static json_t **sorted_lines(const gcb_runs_t *runs)
{
    json_t **v = malloc((runs->n + 1) * sizeof *v);
    memcpy(v, runs->line, runs->n * sizeof *v);
    qsort(v, runs->n, sizeof *v, cmp_line_cell);
    return v;
}

static int is_ok(json_t *line)
{
    const char *st = json_string_value(json_object_get(line, "status"));
    return st && strcmp(st, "ok") == 0;
}

/* The ok values of a metric in lines [i, j). */
static size_t values(json_t **v, size_t i, size_t j, const char *metric, double *out)
{
    size_t n = 0;
    for (size_t k = i; k < j; k++) {
        if (!is_ok(v[k]))
            continue;
        double x = gcb_run_metric(v[k], metric);
        if (!isnan(x))
            out[n++] = x;
    }
    return n;
}

static const struct { const char *column, *path; } median_cols[] = {
    { "wall_s", "wall_s" },
    { "user_s", "user_s" },
    { "sys_s", "sys_s" },
    { "elapsed_s", "process.elapsed_s" },
    { "minor_faults", "minor_faults" },
    { "major_faults", "major_faults" },
    { "live_bytes_peak", "live_bytes_peak" },
    { "fragmentation", "fragmentation" },
    { "leaked_objects", "leaked_objects" },
    { "leaked_bytes", "leaked_bytes" },
    { "final_collect_s", "final_collect_s" },
    { "gc_collections", "gc.collections" },
    { "gc_time_s", "gc.gc_time_s" },
    { "pause_p50_ns", "gc.pause_ns.p50" },
    { "pause_p99_ns", "gc.pause_ns.p99" },
    { "pause_max_ns", "gc.pause_ns.max" },
    { "freed_by_rc", "gc.freed_by_rc" },
    { "freed_by_gc", "gc.freed_by_gc" },
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

int gcb_summary_write(const char *dir, const gcb_runs_t *runs, char *err, size_t errlen)
{
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    buf[0] = '\0';
    csv_str(&buf, &len, &cap, "cell", 1);
    const char *head[] = { "allocator", "collector", "workload", "params", "runs_ok", "runs_failed", "ci_level",
                           "ops_per_sec_median", "ops_per_sec_min", "ops_per_sec_max", "ops_per_sec_ci_low",
                           "ops_per_sec_ci_high", "peak_rss_bytes_median", "peak_rss_bytes_min",
                           "peak_rss_bytes_max", "peak_rss_bytes_ci_low", "peak_rss_bytes_ci_high",
                           "ops_per_sec_rcv", "unstable" };
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        csv_str(&buf, &len, &cap, head[i], 0);
    for (size_t i = 0; i < sizeof median_cols / sizeof median_cols[0]; i++) {
        char col[96];
        snprintf(col, sizeof col, "%s_median", median_cols[i].column);
        csv_str(&buf, &len, &cap, col, 0);
    }
    csv_str(&buf, &len, &cap, "", 1);
    buf[len++] = '\n';
    buf[len] = '\0';

    json_t **v = sorted_lines(runs);
    double *x = malloc((runs->n + 1) * sizeof *x);
    for (size_t i = 0; i < runs->n;) {
        const char *cell = json_string_value(json_object_get(v[i], "cell"));
        size_t j = i;
        size_t ok = 0;
        while (j < runs->n && strcmp(json_string_value(json_object_get(v[j], "cell")), cell) == 0) {
            ok += (size_t)is_ok(v[j]);
            j++;
        }
        csv_str(&buf, &len, &cap, cell, 1);
        csv_str(&buf, &len, &cap, json_string_value(json_object_get(v[i], "allocator")) ?: "", 0);
        csv_str(&buf, &len, &cap, json_string_value(json_object_get(v[i], "collector")) ?: "", 0);
        csv_str(&buf, &len, &cap, json_string_value(json_object_get(v[i], "workload")) ?: "", 0);
        char params[2048] = "";
        size_t po = 0;
        const char *k;
        json_t *pv;
        json_object_foreach(json_object_get(v[i], "params"), k, pv)
            po += (size_t)snprintf(params + po, sizeof params - po, "%s%s=%s", po ? ";" : "", k,
                                   json_string_value(pv) ?: "");
        csv_str(&buf, &len, &cap, params, 0);
        csv_num(&buf, &len, &cap, (double)ok);
        csv_num(&buf, &len, &cap, (double)(j - i - ok));
        double level = NAN, rcv = NAN;
        const char *ci_metrics[] = { "ops_per_sec", "peak_rss_bytes" };
        double stats[2][5];
        for (int m = 0; m < 2; m++) {
            size_t n = values(v, i, j, ci_metrics[m], x);
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
        csv_num(&buf, &len, &cap, isnan(level) ? NAN : floor(level * 10000 + 0.5) / 10000);
        for (int m = 0; m < 2; m++)
            for (int s = 0; s < 5; s++)
                csv_num(&buf, &len, &cap, stats[m][s]);
        csv_num(&buf, &len, &cap, isnan(rcv) ? NAN : floor(rcv * 10000 + 0.5) / 10000);
        csv_num(&buf, &len, &cap, isnan(rcv) ? NAN : (double)(rcv > GCB_UNSTABLE_RCV));
        for (size_t c = 0; c < sizeof median_cols / sizeof median_cols[0]; c++) {
            size_t n = values(v, i, j, median_cols[c].path, x);
            csv_num(&buf, &len, &cap, gcb_median(x, n));
        }
        csv_str(&buf, &len, &cap, "", 1);
        buf[len++] = '\n';
        buf[len] = '\0';
        i = j;
    }
    free(x);
    free(v);
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    int rc = gcb_write_text_atomic(path, buf, err, errlen);
    free(buf);
    return rc;
}

static void human(char *b, size_t n, double v, const char *unit)
{
    const char *pre[] = { "", "k", "M", "G", "T" };
    int i = 0;
    double div = strcmp(unit, "B") == 0 ? 1024 : 1000;
    while (fabs(v) >= div && i < 4) {
        v /= div;
        i++;
    }
    snprintf(b, n, "%.3g %s%s%s", v, pre[i], strcmp(unit, "B") == 0 && i ? "i" : "", unit);
}

void gcb_summary_print(FILE *out, const gcb_runs_t *runs)
{
    json_t **v = sorted_lines(runs);
    double *x = malloc((runs->n + 1) * sizeof *x);
    size_t cells = 0, unstable = 0;
    double worst = 0;
    const char *worst_cell = "";
    fprintf(out, "%-48s %12s %25s %12s %6s\n", "cell", "ops/s", "95% CI (median)", "peak RSS", "n");
    for (size_t i = 0; i < runs->n;) {
        const char *cell = json_string_value(json_object_get(v[i], "cell"));
        size_t j = i, ok = 0;
        while (j < runs->n && strcmp(json_string_value(json_object_get(v[j], "cell")), cell) == 0)
            ok += (size_t)is_ok(v[j++]);
        size_t n = values(v, i, j, "ops_per_sec", x);
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
        human(med, sizeof med, gcb_median(x, n), "");
        human(l, sizeof l, lo, "");
        human(h, sizeof h, hi, "");
        snprintf(ci, sizeof ci, n ? "%s .. %s%s" : "-", l, h, n && ach < 0.95 ? "*" : "");
        n = values(v, i, j, "peak_rss_bytes", x);
        human(rss, sizeof rss, gcb_median(x, n), "B");
        snprintf(cnt, sizeof cnt, "%zu%s", ok, j - i > ok ? "" : "");
        if (j - i > ok)
            snprintf(cnt, sizeof cnt, "%zu+%zuF", ok, j - i - ok);
        fprintf(out, "%-48s %12s %25s %12s %6s%s\n", cell, ok ? med : "-", ci, ok ? rss : "-", cnt,
                shaky ? " !" : "");
        i = j;
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
    free(v);
}
