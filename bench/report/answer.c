/*
 * bench/report/answer.c - "## Answer", the top of report.md and what
 * scripts/bench prints last: what the matrix found, per workload, in one
 * row, each claim with its margin and whether it is significant.
 *
 *   fastest          the cell with the highest median ops/s, its ratio to
 *                    the runner-up and the Mann-Whitney p of the two
 *   smallest memory  the cell with the lowest median peak RSS, idem
 *   allocators       the allocators under gen (CPython's policy), fastest
 *                    first; ">" between two neighbours: significant at 5%,
 *                    "≈": not resolved by these runs
 *   collectors       the collectors under pool (CPython's allocator), idem
 *
 * Rivals share a threading.  A workload whose cells run at several
 * threadings (mode, threads: bench/analysis/scaling.h's gcb_scaling_mode
 * and gcb_scaling_threads) has one row per threading, "churn_ft
 * (mode=ft, threads=2)", and each column ranks that threading's cells
 * only: a 2-thread cell does twice a 1-thread cell's work on up to twice
 * its CPU, so "fastest" across the two would crown the thread count, not
 * the configuration (the Threads section, threads.c, compares the
 * counts).  Within a row the cells are named without their mode= and
 * threads= words (gcb_scaling_line).  A workload at one threading keeps
 * its one row, named as before, and the text above the table says nothing
 * of threadings unless some workload was split.
 *
 * Then the drift check (drift.c) against the smallest significant margin
 * above, and, where py: cells ran, the model against the interpreter
 * (pool/glibc against pymalloc/malloc), with a pointer to the
 * `gcbench validate` section (bench/analysis/validate.c) for the full one.  The full table stays in
 * "Results per workload" and summary.csv.
 */
#include "bench/report/answer.h"
#include "bench/analysis/scaling.h"
#include "bench/analysis/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_ALPHA 0.05
#define ANSWER_MAX 64
#define ANSWER_MAX_THREADINGS 16   /* threadings of one workload kept (rows) */

/* One threading of a workload: its cells at one mode and thread count. */
typedef struct threading {
    const char *mode; /* gcb_scaling_mode: borrowed from a cell */
    long threads;     /* gcb_scaling_threads */
} threading_t;

static int in_threading(const gcb_rcell_t *c, const threading_t *t)
{
    return gcb_scaling_threads(c) == t->threads && strcmp(gcb_scaling_mode(c), t->mode) == 0;
}

/* The distinct threadings of workload wl's cells, by mode then thread
 * count; returns how many (at most ANSWER_MAX_THREADINGS). */
static size_t threadings(const gcb_rset_t *rs, const char *wl, threading_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, wl) != 0)
            continue;
        threading_t t = { gcb_scaling_mode(c), gcb_scaling_threads(c) };
        size_t j = 0;
        while (j < n && !in_threading(c, &out[j]))
            j++;
        if (j < n || n == ANSWER_MAX_THREADINGS)
            continue;
        for (j = n++; j > 0; j--) { /* insertion: a few threadings */
            int d = strcmp(out[j - 1].mode, t.mode);
            if (d < 0 || (d == 0 && out[j - 1].threads < t.threads))
                break;
            out[j] = out[j - 1];
        }
        out[j] = t;
    }
    return n;
}

/* A cell's name within its row: the series without mode= and threads=
 * (constant within a threading), into buf. */
static const char *label(const gcb_rcell_t *c, char *buf, size_t n)
{
    gcb_scaling_line(c, 1, buf, n);
    return buf;
}

static double med(const gcb_rcell_t *c, gcb_metric_t m)
{
    return c->n[m] ? gcb_median(c->v[m], c->n[m]) : NAN;
}

/* "×1.12 over B (p 0.008)" or "×1.02 over B, not significant (p 0.42)";
 * the smallest significant margin so far into *min_sig. */
static void margin(FILE *f, const gcb_rcell_t *a, const gcb_rcell_t *b, gcb_metric_t m, double *min_sig)
{
    if (!b) {
        fputs("(only configuration)", f);
        return;
    }
    double r = m == GCB_M_RSS ? med(b, m) / med(a, m) : med(a, m) / med(b, m), p;
    int can, sig = gcb_rset_differs(a, b, m, ANSWER_ALPHA, &p, &can);
    char lb[GCB_LABEL_MAX];
    fprintf(f, "×%.3g over %s", r, label(b, lb, sizeof lb));
    if (sig == 1) {
        fprintf(f, " (p %.2g)", p);
        *min_sig = fmin(*min_sig, r - 1);
    } else {
        fprintf(f, ", not significant (p %.2g%s)", p, can ? "" : ": too few runs");
    }
}

/* The cells of workload wl at threading th, best first by metric m (ops:
 * highest); coll / alloc, when given, keep that collector / allocator only. */
static size_t ranked(const gcb_rset_t *rs, const char *wl, const threading_t *th, const char *coll,
                     const char *alloc, gcb_metric_t m, const gcb_rcell_t **out)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->ncells && n < ANSWER_MAX; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strcmp(c->wl, wl) == 0 && c->n[m] && in_threading(c, th) && (!coll || strcmp(c->coll, coll) == 0) &&
            (!alloc || strcmp(c->alloc, alloc) == 0))
            out[n++] = c;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a few cells */
        for (size_t j = i; j > 0; j--) {
            double x = med(out[j], m), y = med(out[j - 1], m);
            if (m == GCB_M_RSS ? x < y : x > y) {
                const gcb_rcell_t *t = out[j];
                out[j] = out[j - 1];
                out[j - 1] = t;
            }
        }
    return n;
}

/* "pool > mimalloc ≈ tcmalloc > glibc": names by `label` (the allocator
 * or the collector; the whole label when a sweep repeats one). */
static void ranking(FILE *f, const gcb_rset_t *rs, const char *wl, const threading_t *th, const char *coll,
                    const char *alloc, double *min_sig)
{
    const gcb_rcell_t *c[ANSWER_MAX];
    size_t n = ranked(rs, wl, th, coll, alloc, GCB_M_OPS, c);
    if (n < 2) {
        fputs("-", f);
        return;
    }
    char lb[GCB_LABEL_MAX];
    for (size_t i = 0; i < n; i++) {
        const char *name = coll ? c[i]->alloc : c[i]->coll;
        for (size_t j = 0; j < n; j++)
            if (j != i && strcmp(coll ? c[j]->alloc : c[j]->coll, name) == 0)
                name = label(c[i], lb, sizeof lb);
        if (i) {
            double p;
            int can, sig = gcb_rset_differs(c[i - 1], c[i], GCB_M_OPS, ANSWER_ALPHA, &p, &can);
            fputs(sig == 1 ? " > " : " ≈ ", f);
            if (sig == 1)
                *min_sig = fmin(*min_sig, med(c[i - 1], GCB_M_OPS) / med(c[i], GCB_M_OPS) - 1);
        }
        fputs(name, f);
    }
}

/* The row of workload wl at threading th; `split`: the workload has
 * several threadings, so the row names its own. */
static void answer_row(FILE *f, const gcb_rset_t *rs, const char *wl, const threading_t *th, int split,
                       double *min_sig)
{
    const gcb_rcell_t *ops[ANSWER_MAX], *rss[ANSWER_MAX];
    size_t no = ranked(rs, wl, th, NULL, NULL, GCB_M_OPS, ops), nr = ranked(rs, wl, th, NULL, NULL, GCB_M_RSS, rss);
    if (!no)
        return;
    char lb[GCB_LABEL_MAX];
    fprintf(f, "| %s", wl);
    if (split)
        fprintf(f, " (mode=%s, threads=%ld)", th->mode, th->threads);
    fprintf(f, " | **%s** ", label(ops[0], lb, sizeof lb));
    margin(f, ops[0], no > 1 ? ops[1] : NULL, GCB_M_OPS, min_sig);
    fputs(" | ", f);
    if (nr) {
        fprintf(f, "**%s** ", label(rss[0], lb, sizeof lb));
        margin(f, rss[0], nr > 1 ? rss[1] : NULL, GCB_M_RSS, min_sig);
    } else {
        fputs("-", f);
    }
    fputs(" | ", f);
    ranking(f, rs, wl, th, "gen", NULL, min_sig);
    fputs(" | ", f);
    ranking(f, rs, wl, th, NULL, "pool", min_sig);
    fputs(" |\n", f);
}

/* Every workload's rows, a row per threading; 1 when some workload had
 * several (the text then says why). */
static void answer_rows(FILE *f, const gcb_rset_t *rs, double *min_sig)
{
    for (size_t w = 0; w < rs->nwl; w++) {
        threading_t th[ANSWER_MAX_THREADINGS];
        size_t n = threadings(rs, rs->wl[w], th);
        for (size_t t = 0; t < n; t++)
            answer_row(f, rs, rs->wl[w], &th[t], n > 1, min_sig);
    }
}

static int any_split(const gcb_rset_t *rs)
{
    threading_t th[ANSWER_MAX_THREADINGS];
    for (size_t w = 0; w < rs->nwl; w++)
        if (threadings(rs, rs->wl[w], th) > 1)
            return 1;
    return 0;
}

static const gcb_rcell_t *cell_of(const gcb_rset_t *rs, const char *wl, const char *alloc, const char *coll)
{
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].wl, wl) == 0 && strcmp(rs->cells[i].alloc, alloc) == 0 &&
            strcmp(rs->cells[i].coll, coll) == 0 && rs->cells[i].n[GCB_M_OPS])
            return &rs->cells[i];
    return NULL;
}

/* One ratio a/b of ops/s in the model and in the interpreter, "-" when a
 * side is missing; 1 when both exist and point the same way. */
static int ratio_pair(FILE *f, const gcb_rset_t *rs, const char *wl, const char *a1, const char *c1, const char *a2,
                      const char *c2)
{
    char py[256];
    snprintf(py, sizeof py, "py:%s", wl);
    const gcb_rcell_t *m1 = cell_of(rs, wl, a1, c1), *m2 = cell_of(rs, wl, a2, c2);
    const gcb_rcell_t *p1 = cell_of(rs, py, a1, c1), *p2 = cell_of(rs, py, a2, c2);
    if (!m1 || !m2 || !p1 || !p2) {
        fputs(" - | - | - |", f);
        return -1;
    }
    double lo, hi, plo, phi;
    const char *how, *phow;
    double rm = gcb_rset_ratio(m1, m2, GCB_M_OPS, &lo, &hi, &how);
    double rp = gcb_rset_ratio(p1, p2, GCB_M_OPS, &plo, &phi, &phow);
    int same = (rm > 1) == (rp > 1);
    fprintf(f, " %.3g (%.3g..%.3g) | %.3g (%.3g..%.3g) | %s |", rm, lo, hi, rp, plo, phi, same ? "yes" : "**no**");
    return same;
}

/* Where py: twins ran: pymalloc/malloc and gc on/off, model and interpreter. */
static void model_vs_interpreter(FILE *f, const gcb_rset_t *rs)
{
    int any = 0;
    for (size_t w = 0; w < rs->nwl; w++)
        any |= strncmp(rs->wl[w], "py:", 3) == 0;
    if (!any)
        return;
    fputs("Model against the interpreter (the py: cells run real CPython, docs/python.md): ops/s ratios with "
          "their 95% intervals; the section \"Model against the interpreter\" below (`gcbench validate DIR`) "
          "gives the full comparison.\n\n"
          "| workload | pool/gen vs glibc/gen: model | CPython (pymalloc vs malloc) | same order |\n"
          "| --- | ---: | ---: | --- |\n", f);
    for (size_t w = 0; w < rs->nwl; w++) {
        const char *wl = rs->wl[w];
        if (strncmp(wl, "py:", 3) != 0)
            continue;
        fprintf(f, "| %s |", wl + 3);
        ratio_pair(f, rs, wl + 3, "pool", "gen", "glibc", "gen");
        fputc('\n', f);
    }
    fputc('\n', f);
}

void gcb_report_answer(FILE *f, const gcb_rset_t *rs)
{
    double min_sig = INFINITY;
    fputs("## Answer\n\n", f);
    fputs("Per workload: the fastest configuration (median ops/s) and the one with the smallest median peak RSS, "
          "each with its margin over the runner-up and the Mann-Whitney p of the two (significant below 0.05); "
          "the allocators under gen (CPython's policy) and the collectors under pool (CPython's allocator), "
          "fastest first, \">\" where the step is significant, \"≈\" where these runs do not resolve it.", f);
    if (any_split(rs))
        fputs(" A workload run at several threadings (mode, threads) has a row per threading, and each row "
              "compares that threading's configurations only: a cell at 2 threads does twice the work of a "
              "cell at 1 thread on up to twice the CPU, so it is no rival of the 1-thread cells; the "
              "[Threads](#threads) section compares the thread counts (scaling).", f);
    fputs("\n\n| workload | fastest | smallest peak RSS | allocators under gen | collectors under pool |\n"
          "| --- | --- | --- | --- | --- |\n", f);
    answer_rows(f, rs, &min_sig);
    fputc('\n', f);
    gcb_drift_t d;
    gcb_report_drift_measure(rs, &d);
    double drift = fmax(isnan(d.ref_spread) ? 0 : d.ref_spread, isnan(d.round_spread) ? 0 : d.round_spread);
    if (isfinite(min_sig) && drift > min_sig)
        fprintf(f, "**Warning: the machine drifted by %.1f%% during the matrix (reference cell and round factor, "
                   "[Drift](#drift-and-steady-state)), more than the smallest significant difference reported "
                   "above (%.1f%%).** Differences of that size may be the machine's; repeat the matrix on a "
                   "quieter machine before trusting them.\n\n",
                drift * 100, min_sig * 100);
    else if (isfinite(min_sig))
        fprintf(f, "Drift: %.1f%% during the matrix, below the smallest significant difference reported above "
                   "(%.1f%%) ([Drift](#drift-and-steady-state)).\n\n",
                drift * 100, min_sig * 100);
    else
        fprintf(f, "Drift: %.1f%% during the matrix; no difference above is significant, so none can be "
                   "checked against it ([Drift](#drift-and-steady-state)).\n\n", drift * 100);
    model_vs_interpreter(f, rs);
}
