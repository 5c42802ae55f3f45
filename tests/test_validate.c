/*
 * tests/test_validate.c - the statistics of `gcbench validate`
 * (bench/analysis/validate.c): Spearman's rho and its exact permutation
 * p-value against values counted by hand for n = 3..6 (the number of
 * permutations whose rho is at least as extreme, over n!), ties by
 * midranks, the normal approximation past GCB_SPEARMAN_EXACT_MAX, and the
 * Amdahl prediction.
 */
#include <math.h>

#include "bench/analysis/validate.h"
#include "tests/check.h"

#define NEAR(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

static void one(const double *x, const double *y, size_t n, double rho, double p, int exact)
{
    double r, pv;
    int e = gcb_spearman(x, y, n, &r, &pv);
    CHECK_EQ_I(e, exact);
    NEAR(r, rho, 1e-9);
    NEAR(pv, p, 1e-9);
}

int main(void)
{
    const double id[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    const double rev[] = { 6, 5, 4, 3, 2, 1 };
    /* rho = 1: only the identity and its reverse are as extreme: 2/n! */
    one(id, id, 3, 1.0, 2.0 / 6, 1);
    one(id, id, 4, 1.0, 2.0 / 24, 1);
    one(id, id, 5, 1.0, 2.0 / 120, 1);
    one(id, id, 6, 1.0, 2.0 / 720, 1);
    one(id, rev, 6, -1.0, 2.0 / 720, 1);
    /* n = 3, one swap: rho = 0.5, every permutation has |rho| >= 0.5 */
    const double s3[] = { 2, 1, 3 };
    one(id, s3, 3, 0.5, 1.0, 1);
    /* n = 4, one adjacent swap (sum d^2 = 2): rho = 0.8; 1 + 3 permutations
     * reach it on each side: 8/24 */
    const double s4[] = { 1, 3, 2, 4 };
    one(id, s4, 4, 0.8, 8.0 / 24, 1);
    /* n = 5, one adjacent swap: rho = 0.9, (1 + 4) a side: 10/120 (the
     * tables' one-sided 0.0417); two disjoint swaps: rho = 0.8, (1 + 4 + 3)
     * a side: 16/120 (one-sided 0.0667) */
    const double s5a[] = { 2, 1, 3, 4, 5 }, s5b[] = { 2, 1, 4, 3, 5 };
    one(id, s5a, 5, 0.9, 10.0 / 120, 1);
    one(id, s5b, 5, 0.8, 16.0 / 120, 1);
    /* n = 6, one adjacent swap: rho = 1 - 12/210, (1 + 5) a side: 12/720 */
    const double s6[] = { 1, 2, 4, 3, 5, 6 };
    one(id, s6, 6, 1 - 12.0 / 210, 12.0 / 720, 1);
    /* ties: midranks 1, 2.5, 2.5, 4 against 1..4: rho = 4.5 / sqrt(5 * 4.5) */
    const double t4[] = { 1, 2, 2, 4 };
    double r, p;
    gcb_spearman(id, t4, 4, &r, &p);
    NEAR(r, 4.5 / sqrt(22.5), 1e-9);
    /* past the exact limit: z = rho sqrt(n - 1) */
    one(id, id, 10, 1.0, erfc(3.0 / sqrt(2.0)), 0);
    /* n = 2: rho, no p-value */
    gcb_spearman(id, id, 2, &r, &p);
    NEAR(r, 1.0, 1e-12);
    CHECK(isnan(p));
    /* a constant side has no rho */
    const double k[] = { 3, 3, 3, 3 };
    gcb_spearman(id, k, 4, &r, &p);
    CHECK(isnan(r));
    /* Amdahl: r = 1.5 where memory management is 60% of the time saves
     * (1 - 1/1.5) / 0.6 = 5/9 of it; at 20% that is 1/9 of the time */
    NEAR(gcb_amdahl_predict(1.5, 0.6, 0.2), 1.125, 1e-12);
    NEAR(gcb_amdahl_predict(1.2, 0.5, 0.5), 1.2, 1e-12);   /* equal shares: the model's ratio */
    NEAR(gcb_amdahl_predict(0.8, 0.4, 0.1), 1 / (1 + 0.25 * 0.25), 1e-12);
    CHECK(isnan(gcb_amdahl_predict(1.5, 0, 0.2)));
    CHECK(isnan(gcb_amdahl_predict(10, 0.1, 1.0)));        /* would save more than all the time */
    /* a collector cost, cells as {time per op, collections' share}: the
     * interpreter's cells the model's: the model's ratio */
    gcb_gc_cell_t on = { 1.0, 0.4 }, off = { 0.6, 0 };
    NEAR(gcb_gc_cost_predict(on, off, on), 0.6, 1e-12);
    /* the off cell saves exactly the collections (D = 0): Amdahl on the
     * collector's share, 1 - 0.2 at the interpreter's 20% */
    NEAR(gcb_gc_cost_predict(on, off, (gcb_gc_cell_t){ 2.0, 0.2 }), 0.8, 1e-12);
    /* cycles at scale 0.3 (docs/validate.md, CPU ms): the leaking cell's
     * 54.7 ms of faults are added as measured, not scaled as collector time
     * (which gave 5.5: 1 - 0.64/0.45 * (1 - 63/15.1)) */
    NEAR(gcb_gc_cost_predict((gcb_gc_cell_t){ 15.1, 0.45 }, (gcb_gc_cell_t){ 63.0, 0 }, (gcb_gc_cell_t){ 126.4, 0.64 }),
         (126.4 * 0.36 + 63.0 - 15.1 * 0.55) / 126.4, 1e-12);
    /* threshold 700/2000: the less-collecting cell's collections scale by
     * k = G_i / G_m = 1.0 / 0.4; D = (0.8 - 0.16) - (1 - 0.4) = 0.04 */
    NEAR(gcb_gc_cost_predict(on, (gcb_gc_cell_t){ 0.8, 0.2 }, (gcb_gc_cell_t){ 2.0, 0.5 }),
         (2.0 - 1.0 + 2.5 * 0.16 + 0.04) / 2.0, 1e-12);
    CHECK(isnan(gcb_gc_cost_predict((gcb_gc_cell_t){ 1.0, 0 }, off, on)));   /* no collections to scale */
    CHECK(isnan(gcb_gc_cost_predict(on, off, (gcb_gc_cell_t){ 1.0, 0 })));
    /* the less-collecting run would take no time */
    CHECK(isnan(gcb_gc_cost_predict((gcb_gc_cell_t){ 1.0, 0.5 }, (gcb_gc_cell_t){ 0.2, 0 }, (gcb_gc_cell_t){ 0.5, 0.5 })));
    return gcb_check_exit("validate");
}
