/*
 * bench/matrix/progress.c - the progress line: done, failed, elapsed and ETA from per-cell means.
 */
#include "bench/matrix/matrix.h"
#include "bench/report/format.h"

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
    gcb_fmt_clock(el, sizeof el, gcb_now_s() - pg->t0);
    gcb_fmt_clock(et, sizeof et, eta);
    if (m->tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %3.0f%%  elapsed %s  ETA %s  failed %zu  %s", pg->done, pg->total,
                pg->total ? 100.0 * (double)pg->done / (double)pg->total : 100.0, el, et, pg->failed, what);
        if (o && !o->ok)
            fprintf(stderr, "\n  %s: failed (%s%s%s)\n", what, o->kind, o->signal ? ", " : "",
                    o->signal ? gcb__signame(o->signal) : "");
    } else if (o) {
        if (o->ok)
            fprintf(stderr, "[%zu/%zu] %s: ok %.3g ops/s (%.2f s) elapsed %s ETA %s\n", pg->done, pg->total, what,
                    json_number_value(json_object_get(o->record, GCB_K_OPS)), o->elapsed_s, el, et);
        else
            fprintf(stderr, "[%zu/%zu] %s: FAILED (%s%s%s) elapsed %s ETA %s\n", pg->done, pg->total, what, o->kind,
                    o->signal ? ", " : "", o->signal ? gcb__signame(o->signal) : "", el, et);
    }
    fflush(stderr);
}
