/*
 * bench/matrix/progress.c - the progress line: done, failed, elapsed and ETA from per-cell means.
 */
#include "bench/matrix/matrix.h"

void gcb__fmt_dur(char *b, size_t n, double s)
{
    if (s < 0 || isnan(s) || isinf(s))
        snprintf(b, n, "?");
    else if (s < 3600)
        snprintf(b, n, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(b, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
}


static double estimate(const progress_t *pg, uint32_t cell)
{
    if (pg->cell_n[cell])
        return pg->cell_time[cell] / pg->cell_n[cell];
    return pg->all_n ? pg->all_time / (double)pg->all_n : NAN;
}

void gcb__progress_show(const matrix_t *m, progress_t *pg, const slot_t *rest, size_t nrest,
                          const char *what, const run_outcome_t *o)
{
    double eta = 0;
    for (size_t i = 0; i < nrest; i++)
        eta += estimate(pg, rest[i].cell);
    char el[32], et[32];
    gcb__fmt_dur(el, sizeof el, gcb_now_s() - pg->t0);
    gcb__fmt_dur(et, sizeof et, eta);
    if (m->tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %3.0f%%  elapsed %s  ETA %s  failed %zu  %s", pg->done, pg->total,
                pg->total ? 100.0 * (double)pg->done / (double)pg->total : 100.0, el, et, pg->failed, what);
        if (o && !o->ok)
            fprintf(stderr, "\n  %s: failed (%s%s%s)\n", what, o->kind, o->signal ? ", " : "",
                    o->signal ? gcb__signame(o->signal) : "");
    } else if (o) {
        if (o->ok)
            fprintf(stderr, "[%zu/%zu] %s: ok %.3g ops/s (%.2f s) elapsed %s ETA %s\n", pg->done, pg->total, what,
                    json_number_value(json_object_get(o->record, "ops_per_sec")), o->elapsed_s, el, et);
        else
            fprintf(stderr, "[%zu/%zu] %s: FAILED (%s%s%s) elapsed %s ETA %s\n", pg->done, pg->total, what, o->kind,
                    o->signal ? ", " : "", o->signal ? gcb__signame(o->signal) : "", el, et);
    }
    fflush(stderr);
}
