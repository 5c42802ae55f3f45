/*
 * bench/report/drift.c - how far the machine moved while the matrix ran,
 * and whether each workload's runs were long enough to be steady-state.
 *
 * Two measures of drift, both from the recorded runs (no extra run):
 *   - the reference cell (bench/matrix/default.c names it in run.json):
 *     the matrix runs it once per round, each round a random permutation of
 *     all cells, so its runs are spread over the whole matrix at intervals
 *     of about one round; its spread (max - min) / median is what one fixed
 *     configuration measured at different times;
 *   - the round factor: in each round, the median over every cell of that
 *     round's run divided by the cell's median over all rounds.  A round run
 *     while the machine was 10% slower has a factor near 0.9, whatever the
 *     cells; its range over the rounds uses every run of the matrix.
 * A difference the answer reports is suspect when the drift exceeds it:
 * answer.c compares them and warns.  Steady state: the median wall time
 * of a workload's runs against run.json's default.min_run_s (0.2 s).
 */
#include "bench/report/answer.h"
#include "bench/report/format.h"
#include "bench/analysis/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static const gcb_rcell_t *find_cell(const gcb_rset_t *rs, const char *name)
{
    for (size_t i = 0; i < rs->ncells; i++)
        if (strcmp(rs->cells[i].name, name) == 0)
            return &rs->cells[i];
    return NULL;
}

/* The reference: run.json's, else the cell with the most ok runs. */
static const char *reference(const gcb_rset_t *rs)
{
    const char *ref = gcb_json_str(json_object_get(rs->runjson, GCB_K_DEFAULT), GCB_K_DF_REFCELL);
    if (ref[0] && find_cell(rs, ref))
        return ref;
    const gcb_rcell_t *best = NULL;
    for (size_t i = 0; i < rs->ncells; i++)
        if (!best || rs->cells[i].n[GCB_M_OPS] > best->n[GCB_M_OPS])
            best = &rs->cells[i];
    return best ? best->name : NULL;
}

/* The round factors (index: repetition); returns how many rounds have any. */
static size_t round_factors(const gcb_rset_t *rs, double *factor, size_t max)
{
    size_t nr = 0;
    double *vals = malloc((rs->runs.n + 1) * sizeof *vals);
    for (size_t r = 0; r < max; r++) {
        size_t n = 0;
        for (size_t i = 0; i < rs->runs.n; i++) {
            json_t *l = rs->runs.line[i];
            if (!gcb_run_ok(l) || json_integer_value(json_object_get(l, GCB_K_REP)) != (json_int_t)r)
                continue;
            const gcb_rcell_t *c = find_cell(rs, gcb_json_str(l, GCB_K_CELL));
            double v = gcb_run_metric(l, GCB_K_OPS);
            if (!c || c->n[GCB_M_OPS] < 2 || !(v > 0))
                continue;
            vals[n++] = v / gcb_median(c->v[GCB_M_OPS], c->n[GCB_M_OPS]);
        }
        factor[r] = n ? gcb_median(vals, n) : NAN;
        nr += n > 0;
    }
    free(vals);
    return nr;
}

#define DRIFT_MAX_ROUNDS 64

void gcb_report_drift_measure(const gcb_rset_t *rs, gcb_drift_t *d)
{
    memset(d, 0, sizeof *d);
    d->ref_spread = d->round_spread = NAN;
    d->ref = reference(rs);
    const gcb_rcell_t *c = d->ref ? find_cell(rs, d->ref) : NULL;
    if (c) {
        d->nref = c->n[GCB_M_OPS];
        if (d->nref >= 2) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < d->nref; i++) {
                lo = fmin(lo, c->v[GCB_M_OPS][i]);
                hi = fmax(hi, c->v[GCB_M_OPS][i]);
            }
            d->ref_spread = (hi - lo) / gcb_median(c->v[GCB_M_OPS], d->nref);
        }
    }
    double f[DRIFT_MAX_ROUNDS];
    d->nrounds = round_factors(rs, f, DRIFT_MAX_ROUNDS);
    if (d->nrounds >= 2) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t r = 0; r < DRIFT_MAX_ROUNDS; r++)
            if (!isnan(f[r])) {
                lo = fmin(lo, f[r]);
                hi = fmax(hi, f[r]);
            }
        d->round_spread = hi - lo;
    }
}

/* The reference cell's runs in the order they ran. */
static void reference_runs(FILE *f, const gcb_rset_t *rs, const char *ref)
{
    fprintf(f, "Reference cell `%s`, in the order its runs ran:\n\n| repetition | run # in the matrix | ops/s |\n"
               "| ---: | ---: | ---: |\n", ref);
    long last = -1;
    for (;;) { /* ascending order_index, without sorting the lines */
        json_t *next = NULL;
        long best = -1;
        for (size_t i = 0; i < rs->runs.n; i++) {
            json_t *l = rs->runs.line[i];
            long o = (long)json_integer_value(json_object_get(l, GCB_K_ORDER_INDEX));
            if (gcb_run_ok(l) && strcmp(gcb_json_str(l, GCB_K_CELL), ref) == 0 && o > last && (best < 0 || o < best)) {
                best = o;
                next = l;
            }
        }
        if (!next)
            break;
        char v[32];
        gcb_fmt_human(v, sizeof v, gcb_run_metric(next, GCB_K_OPS), "");
        fprintf(f, "| %lld | %ld | %s |\n", (long long)json_integer_value(json_object_get(next, GCB_K_REP)), best,
                v);
        last = best;
    }
    fputc('\n', f);
}

/* Per workload: its scale and the median wall time of its runs. */
static void steady_state(FILE *f, const gcb_rset_t *rs)
{
    json_t *dflt = json_object_get(rs->runjson, GCB_K_DEFAULT);
    double min_s = json_is_number(json_object_get(dflt, GCB_K_DF_MIN_RUN)) ? json_number_value(json_object_get(dflt, GCB_K_DF_MIN_RUN))
                                                                      : 0.2;
    fprintf(f, "Steady state: a run's timed part should last at least %.2g s (shorter runs measure start-up, and "
               "their rankings disagree between identical matrices). Scales: %s.\n\n"
               "| workload | parameters | shortest cell median run | longest | |\n| --- | --- | ---: | ---: | --- |\n",
            min_s, dflt ? gcb_json_str(dflt, GCB_K_DF_SCALE_RULE) : "as given (not the default matrix)");
    for (size_t w = 0; w < rs->nwl; w++) {
        double lo = INFINITY, hi = -INFINITY;
        const char *params = "";
        for (size_t i = 0; i < rs->ncells; i++) {
            const gcb_rcell_t *c = &rs->cells[i];
            if (strcmp(c->wl, rs->wl[w]) != 0 || !c->n[GCB_M_WALL])
                continue;
            double m = gcb_median(c->v[GCB_M_WALL], c->n[GCB_M_WALL]);
            lo = fmin(lo, m);
            hi = fmax(hi, m);
            params = c->wl_params;
        }
        if (!isfinite(lo))
            continue;
        fprintf(f, "| %s | %s | %.3g s | %.3g s | %s |\n", rs->wl[w], params[0] ? params : "-", lo, hi,
                lo < min_s ? "**short: not steady-state**" : "ok");
    }
    fputc('\n', f);
}

void gcb_report_drift_section(FILE *f, const gcb_rset_t *rs)
{
    gcb_drift_t d;
    gcb_report_drift_measure(rs, &d);
    fputs("## Drift and steady state\n\n", f);
    char rs_s[32], rd_s[32];
    snprintf(rs_s, sizeof rs_s, isnan(d.ref_spread) ? "unknown" : "%.1f%%", d.ref_spread * 100);
    snprintf(rd_s, sizeof rd_s, isnan(d.round_spread) ? "unknown" : "%.1f%%", d.round_spread * 100);
    fprintf(f, "The machine's drift during the matrix (bench/report/drift.c): the reference cell's ops/s spread "
               "by **%s** ((max - min) / median of %zu runs spread through the matrix, one per round); the round "
               "factor (each round's median over all cells of run / cell median) moved by **%s** over %zu "
               "rounds (both need 2 repetitions). The answer warns when either exceeds a difference it "
               "reports.\n\n",
            rs_s, d.nref, rd_s, d.nrounds);
    if (d.ref)
        reference_runs(f, rs, d.ref);
    steady_state(f, rs);
}
