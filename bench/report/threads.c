/*
 * bench/report/threads.c - report.md's "Threads" section: for each
 * workload with threaded cells and each threading mode, one row per
 * configuration and thread count with the median ops/s and its interval,
 * the scaling efficiency against the 1-thread cell of the same
 * configuration with its interval (bench/analysis/scaling.h), the
 * cross-thread drops and stop-the-world figures of the median run, and a
 * mark on oversubscribed
 * points (threads > cores); under each mode's heading the bytes of its
 * object header and GC prefix (docs/threads.md, "The object header of
 * each mode, in bytes").  The numbers are the result set's: nothing here
 * names a workload, mode or backend.
 */
#include "bench/report/threads.h"
#include "bench/report/format.h"
#include "bench/analysis/scaling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OVERSUB_MARK "†"

/* Text for a table cell: '|' escaped, line breaks as spaces. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s == '\n' || *s == '\t' ? ' ' : *s, f);
}

/* The rows of one (workload, mode): cells in line order, then by threads. */
typedef struct row {
    const gcb_rcell_t *c;
    char line[GCB_LABEL_MAX];
    long threads;
} row_t;

static int cmp_row(const void *a, const void *b)
{
    const row_t *x = a, *y = b;
    int d = strcmp(x->line, y->line);
    return d ? d : (x->threads > y->threads) - (x->threads < y->threads);
}

static size_t mode_rows(const gcb_rset_t *rs, const char *wl, const char *mode, row_t *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, wl) != 0 || !gcb_scaling_threaded(c) || strcmp(gcb_scaling_mode(c), mode) != 0)
            continue;
        rows[n].c = c;
        rows[n].threads = gcb_scaling_threads(c);
        gcb_scaling_line(c, 1, rows[n].line, sizeof rows[n].line);
        n++;
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    return n;
}

static json_t *tblock(const gcb_rcell_t *c)
{
    return c->median_run ? json_object_get(c->median_run, GCB_K_THREADS) : NULL;
}

/* "Header bytes: 16 per object, + 16 GC prefix per container", from the
 * first row whose median run has a threads block. */
static void header_line(FILE *f, const row_t *rows, size_t n, const char *mode)
{
    for (size_t i = 0; i < n; i++) {
        json_t *tb = tblock(rows[i].c), *h = json_object_get(tb, GCB_K_TH_HEADER),
               *p = json_object_get(tb, GCB_K_TH_PREFIX);
        if (json_is_integer(h) && json_is_integer(p)) {
            fprintf(f, "Bytes per object in mode %s: a %lld-byte object header, plus a %lld-byte GC prefix before "
                       "each container (the record's `threads.object_header_bytes`, `container_prefix_bytes`).\n\n",
                    mode, (long long)json_integer_value(h), (long long)json_integer_value(p));
            return;
        }
    }
}

static void efficiency_text(char *b, size_t n, const gcb_scaling_t *s)
{
    if (s->threads == 1 && s->one == s->c)
        snprintf(b, n, "1 (the 1-thread cell)");
    else if (!s->one)
        snprintf(b, n, "- (no 1-thread cell)");
    else if (isnan(s->eff))
        snprintf(b, n, "-");
    else if (isnan(s->lo))
        snprintf(b, n, "%.3g", s->eff);
    else
        snprintf(b, n, "%.3g (%.3g..%.3g)%s", s->eff, s->lo, s->hi, s->range ? "*" : "");
}

/* Cross-thread drops of the median run, and per op. */
static void drops_text(char *b, size_t n, const gcb_rcell_t *c)
{
    json_t *d = json_object_get(tblock(c), GCB_K_TH_DROPS);
    json_t *ops = c->median_run ? json_object_get(c->median_run, GCB_K_OPS_COUNT) : NULL;
    if (!json_is_integer(d)) {
        snprintf(b, n, "-");
        return;
    }
    double v = (double)json_integer_value(d);
    char h[32];
    gcb_fmt_human(h, sizeof h, v, "");
    if (json_is_integer(ops) && json_integer_value(ops) > 0)
        snprintf(b, n, "%s (%.3g per op)", h, v / (double)json_integer_value(ops));
    else
        snprintf(b, n, "%s", h);
}

/* Stop-the-world of the median run (mode=ft, `threads.stw`): stops, and
 * p99 of the time-to-safepoint and of the pause, apart. */
static void stw_text(char *b, size_t n, const gcb_rcell_t *c)
{
    json_t *s = json_object_get(tblock(c), "stw");
    json_int_t stops = json_integer_value(json_object_get(s, "stops"));
    if (!json_is_object(s) || stops <= 0) {
        snprintf(b, n, "-");
        return;
    }
    snprintf(b, n, "%lld: %.3g / %.3g us", (long long)stops,
             (double)json_integer_value(json_object_get(s, "ttsp_p99_ns")) * 1e-3,
             (double)json_integer_value(json_object_get(s, "pause_p99_ns")) * 1e-3);
}

static void row_line(FILE *f, const gcb_rset_t *rs, const row_t *r, size_t *noversub)
{
    gcb_scaling_t s;
    gcb_scaling_of(rs, r->c, &s);
    char med[32], l[32], h[32], eff[96], drops[64], stw[96];
    double lo = NAN, hi = NAN, cov = 1;
    double v = r->c->n[GCB_M_OPS] ? gcb_rset_median(r->c, GCB_M_OPS, &lo, &hi, &cov) : NAN;
    gcb_fmt_human(med, sizeof med, v, "");
    gcb_fmt_human(l, sizeof l, lo, "");
    gcb_fmt_human(h, sizeof h, hi, "");
    efficiency_text(eff, sizeof eff, &s);
    drops_text(drops, sizeof drops, r->c);
    stw_text(stw, sizeof stw, r->c);
    fputs("| ", f);
    md_cell(f, r->line);
    fprintf(f, " | %ld%s | %s | %s .. %s%s | %s | %s | %s | %zu", r->threads, s.oversubscribed == 1 ? " " OVERSUB_MARK : "",
            med, l, h, cov < 0.95 ? "*" : "", eff, drops, stw, r->c->nok);
    if (r->c->nfail)
        fprintf(f, " + %zu failed", r->c->nfail);
    fputs(" |\n", f);
    *noversub += s.oversubscribed == 1;
}

static void mode_table(FILE *f, const gcb_rset_t *rs, const char *wl, const char *mode, row_t *rows,
                       size_t *noversub)
{
    size_t n = mode_rows(rs, wl, mode, rows);
    if (!n)
        return;
    fprintf(f, "### %s%s%s%s, mode %s\n\n", wl, rows[0].c->wl_params[0] ? " (" : "", rows[0].c->wl_params,
            rows[0].c->wl_params[0] ? ")" : "", mode);
    header_line(f, rows, n, mode);
    fputs("| configuration | threads | ops/s | 95% CI | efficiency (95% CI) | cross-thread drops | "
          "stops: ttsp / pause p99 | runs |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
          f);
    for (size_t i = 0; i < n; i++)
        row_line(f, rs, &rows[i], noversub);
    fputc('\n', f);
}

/* The modes of a workload's threaded cells, in cell order. */
static size_t wl_modes(const gcb_rset_t *rs, const char *wl, const char **modes, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, wl) != 0 || !gcb_scaling_threaded(c))
            continue;
        const char *m = gcb_scaling_mode(c);
        size_t j = 0;
        while (j < n && strcmp(modes[j], m) != 0)
            j++;
        if (j == n && n < max)
            modes[n++] = m;
    }
    return n;
}

static void intro(FILE *f, const gcb_rset_t *rs)
{
    long cores = -1;
    for (size_t i = 0; i < rs->ncells && cores < 0; i++)
        if (gcb_scaling_threaded(&rs->cells[i])) {
            gcb_scaling_t s;
            gcb_scaling_of(rs, &rs->cells[i], &s);
            cores = s.cores;
        }
    fputs("## Threads\n\n", f);
    if (cores > 0)
        fprintf(f, "This machine has **%ld online cores**. ", cores);
    fputs("Scaling efficiency is ops/s at N threads / (N x ops/s at 1 thread) of the same configuration (same "
          "workload, allocator, collector, mode and other parameters): 1 is perfect scaling, 1/N none (one "
          "thread's throughput shared, as under a GIL). Its interval is the 95% Moses interval of the ratio of "
          "ops/s divided by N (starred: too few runs, the range of the N-thread runs over the 1-thread median). "
          "Points marked " OVERSUB_MARK " are oversubscribed: more mutator threads than cores, so the threads "
          "take turns and the efficiency there measures time slicing, not scaling. Cross-thread drops are the "
          "median run's objects whose last reference was dropped on another thread than their builder's; "
          "stops are the median run's stop-the-world pauses (mode=ft: ftgc stops twice a collection) with "
          "the 99th percentile of the time-to-safepoint (request until every thread is parked) and of the "
          "pause apart (docs/results.md, `threads`).\n\n",
          f);
}

void gcb_report_threads_section(FILE *f, const gcb_rset_t *rs)
{
    size_t any = 0;
    for (size_t i = 0; i < rs->ncells; i++)
        any += (size_t)gcb_scaling_threaded(&rs->cells[i]);
    if (!any)
        return;
    row_t *rows = malloc((rs->ncells + 1) * sizeof *rows);
    if (!rows)
        return;
    intro(f, rs);
    size_t noversub = 0;
    for (size_t w = 0; w < rs->nwl; w++) {
        const char *modes[32];
        size_t nm = wl_modes(rs, rs->wl[w], modes, 32);
        for (size_t m = 0; m < nm; m++)
            mode_table(f, rs, rs->wl[w], modes[m], rows, &noversub);
    }
    if (noversub)
        fprintf(f, "%s %zu oversubscribed point%s (threads > cores).\n\n", OVERSUB_MARK, noversub,
                noversub == 1 ? "" : "s");
    free(rows);
}
