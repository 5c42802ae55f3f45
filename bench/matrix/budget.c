/*
 * bench/matrix/budget.c - --budget: one calibration run per cell, then the largest scale that fits.
 */
#include "bench/matrix/matrix.h"

/* One calibration run per cell at CALIBRATION_SCALE; choose the largest
 * scale of the ladder whose estimated matrix time fits what is left of the
 * budget.  A cell costs fixed + scale * per_scale seconds a run, fixed
 * being process start and teardown (the smallest non-workload time seen). */
double gcb__choose_scale(matrix_t *m, json_t *info)
{
    size_t n = m->ncells;
    double *el = calloc(n, sizeof *el), *wall = calloc(n, sizeof *wall);
    double t0 = gcb_now_s(), fixed = INFINITY;
    char store[64][GCB_ARG_MAX], cal[32];
    size_t nstore;
    snprintf(cal, sizeof cal, "%g", CALIBRATION_SCALE);
    fprintf(stderr, "gcbench: matrix: calibrating %zu cells at scale %s for the %.0f s budget\n", n, cal,
            m->spec.budget_s);
    for (size_t i = 0; i < n && !gcb__interrupted; i++) {
        run_outcome_t o;
        char **argv = gcb__run_argv(m, &m->cells[i], GCB__RECORD_PATH, cal, store, &nstore);
        gcb__run_one(m, argv, &o);
        el[i] = o.elapsed_s;
        wall[i] = o.ok ? json_number_value(json_object_get(o.record, GCB_K_WALL)) : o.elapsed_s;
        if (o.ok && el[i] - wall[i] < fixed)
            fixed = el[i] - wall[i];
        json_decref(o.record);
    }
    if (!isfinite(fixed))
        fixed = 0.005;
    double spent = gcb_now_s() - t0, left = m->spec.budget_s - spent;
    double chosen = scale_ladder[sizeof scale_ladder / sizeof scale_ladder[0] - 1], est = NAN;
    for (size_t k = 0; k < sizeof scale_ladder / sizeof scale_ladder[0]; k++) {
        double s = scale_ladder[k], total = 0;
        for (size_t i = 0; i < n; i++) {
            double per_scale = fmax(el[i] - fixed, 0) / CALIBRATION_SCALE;
            total += (m->spec.reps + 1) * (fixed + s * per_scale);
        }
        est = total;
        if (total <= left) {
            chosen = s;
            break;
        }
    }
    json_object_set_new(info, GCB_K_BUDGET_S, json_real(m->spec.budget_s));
    json_object_set_new(info, "calibration_scale", json_real(CALIBRATION_SCALE));
    json_object_set_new(info, "calibration_s", json_real(spent));
    json_object_set_new(info, "fixed_cost_per_run_s", json_real(fixed));
    json_object_set_new(info, GCB_K_CHOSEN_SCALE, json_real(chosen));
    json_object_set_new(info, GCB_K_ESTIMATED_S, json_real(est));
    fprintf(stderr, "gcbench: matrix: scale %g (estimated %.0f s + %.0f s calibration%s)\n", chosen, est, spent,
            est > left ? "; over budget even at the smallest scale" : "");
    free(el);
    free(wall);
    return chosen;
}
