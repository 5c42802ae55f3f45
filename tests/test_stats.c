/*
 * tests/test_stats.c - the harness's statistics against values computed
 * independently (R's documented wilcox.test examples, brute-force
 * enumeration) and by simulation: an A/A comparison marks about alpha of
 * the cells, and the confidence intervals cover the true value at least
 * as often as they claim.
 */
#include <math.h>

#include "bench/analysis/stats.h"
#include "tests/check.h"
#include "util/rng.h"

#define NEAR(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

static double gauss(gcb_rng_t *r)
{
    double u = gcb_rng_double(r), v = gcb_rng_double(r);
    return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

static void known_values(void)
{
    gcb_mwu_t t;
    /* complete separation, 5 vs 5: p = 2 / C(10,5) */
    double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
    gcb_mann_whitney(a, 5, b, 5, &t);
    NEAR(t.u, 0, 0);
    CHECK(t.exact);
    NEAR(t.p, 2.0 / 252, 1e-12);
    NEAR(t.min_p, 2.0 / 252, 1e-12);
    gcb_mann_whitney(b, 5, a, 5, &t);
    NEAR(t.u, 25, 0);
    NEAR(t.p, 2.0 / 252, 1e-12);

    /* R: wilcox.test(x, y, alternative = "g") gives W = 35, p = 0.1272;
     * two-sided exact p = 0.2544 (checked by enumerating all C(15,5)) */
    double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
    double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
    gcb_mann_whitney(x, 10, y, 5, &t);
    NEAR(t.u, 35, 0);
    CHECK(t.exact);
    NEAR(t.p, 0.2544122544, 1e-9);

    /* ties in y: normal approximation with tie and continuity corrections,
     * R's wilcox.test(x, y) (W = 58, p-value = 0.1329) */
    double x2[] = { 1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30 };
    double y2[] = { 0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29 };
    gcb_mann_whitney(x2, 9, y2, 9, &t);
    NEAR(t.u, 58, 0);
    CHECK(!t.exact);
    NEAR(t.p, 0.1329194582, 1e-8);

    /* the exact null distribution is symmetric about mn/2 */
    NEAR(gcb_mwu_cdf_exact(5, 5, 12), 0.5, 1e-12);
    NEAR(gcb_mwu_cdf_exact(4, 6, 0), 1.0 / 210, 1e-12);
    NEAR(gcb_mwu_cdf_exact(3, 3, 9), 1.0, 1e-12);

    /* all equal: no evidence at all */
    double e[] = { 2, 2, 2 };
    gcb_mann_whitney(e, 3, e, 3, &t);
    NEAR(t.p, 1, 0);

    /* medians and their CI */
    double m[] = { 5, 1, 3, 2, 4 };
    NEAR(gcb_median(m, 5), 3, 0);
    NEAR(gcb_median(m, 4), 2.5, 0);
    double s[] = { 1, 2, 3, 4, 5 }, lo, hi, ach;
    gcb_median_ci(s, 5, 0.95, &lo, &hi, &ach);
    NEAR(lo, 1, 0);
    NEAR(hi, 5, 0);
    NEAR(ach, 1 - 2.0 / 32, 1e-12);
    double s10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    gcb_median_ci(s10, 10, 0.95, &lo, &hi, &ach);
    NEAR(lo, 2, 0); /* [x_(2), x_(9)]: coverage 1 - 2*11/1024 = 0.9785 */
    NEAR(hi, 9, 0);
    NEAR(ach, 1 - 22.0 / 1024, 1e-12);

    /* robust CV: 1.4826 * MAD / median; one wild run does not move it */
    NEAR(gcb_robust_cv(s, 5), 1.4826 / 3, 1e-12);
    double wild[] = { 10, 10, 10, 10, 100 };
    NEAR(gcb_robust_cv(wild, 5), 0, 0);
    CHECK(isnan(gcb_robust_cv(s, 1)));

    /* ratio CI: B exactly 2x A gives estimate 2; too few runs: no CI */
    double ra[] = { 1, 1.1, 1.2, 1.3, 1.4 }, rb[] = { 2, 2.2, 2.4, 2.6, 2.8 }, est;
    CHECK(gcb_ratio_ci(ra, 5, rb, 5, 0.95, &est, &lo, &hi) == 0);
    NEAR(est, 2, 1e-12);
    CHECK(lo <= 2 && hi >= 2 && lo > 1);
    CHECK(gcb_ratio_ci(ra, 3, rb, 3, 0.95, &est, &lo, &hi) == -1);
    CHECK(isnan(lo));

    NEAR(gcb_norm_quantile(0.975), 1.959963985, 1e-8);
    NEAR(gcb_norm_quantile(0.5), 0, 1e-12);
}

/* A/A: both samples from one distribution.  The fraction of cells with
 * p < alpha must be about alpha (at most alpha, since the exact test is
 * conservative at the attainable levels), and the ratio CI must cover 1
 * at least 95% of the time.  n = 5 (the default reps) and n = 12 (normal
 * approximation with ties excluded: exact too, up to 50). */
static void simulate(size_t n, size_t trials, double true_ratio)
{
    gcb_rng_t r;
    gcb_rng_seed(&r, 12345 + n);
    size_t sig = 0, cover = 0, ci_ok = 0, med_cover = 0;
    double a[64], b[64];
    for (size_t t = 0; t < trials; t++) {
        for (size_t i = 0; i < n; i++) {
            a[i] = 1e6 * exp(0.05 * gauss(&r));              /* median 1e6 */
            b[i] = true_ratio * 1e6 * exp(0.05 * gauss(&r));
        }
        gcb_mwu_t mw;
        gcb_mann_whitney(a, n, b, n, &mw);
        sig += mw.p < 0.05;
        double est, lo, hi;
        if (gcb_ratio_ci(a, n, b, n, 0.95, &est, &lo, &hi) == 0) {
            ci_ok++;
            cover += lo <= true_ratio && true_ratio <= hi;
        }
        gcb_sort_doubles(a, n);
        double mlo, mhi, ach;
        gcb_median_ci(a, n, 0.95, &mlo, &mhi, &ach);
        med_cover += mlo <= 1e6 && 1e6 <= mhi;
    }
    double rate = (double)sig / trials, cov = (double)cover / ci_ok, mcov = (double)med_cover / trials;
    double se = sqrt(0.05 * 0.95 / trials);
    fprintf(stderr, "n=%zu ratio=%.2f: significant %.4f, ratio CI coverage %.4f, median CI coverage %.4f\n", n,
            true_ratio, rate, cov, mcov);
    CHECK(ci_ok == trials);
    CHECK(cov >= 0.95 - 4 * se);
    if (true_ratio == 1) {
        CHECK(rate <= 0.05 + 4 * se);
        CHECK(rate >= 0.01); /* and not useless */
    } else {
        CHECK(rate > 0.9);   /* a 10% shift with 5% noise is found */
    }
    double nominal = n >= 6 ? 0.95 : 1 - 2 * pow(0.5, (double)n);
    CHECK(mcov >= nominal - 4 * sqrt(nominal * (1 - nominal) / trials) - 0.01);
}

int main(void)
{
    known_values();
    simulate(5, 4000, 1.0);
    simulate(12, 4000, 1.0);
    simulate(40, 1000, 1.0);
    simulate(8, 2000, 1.1);
    return gcb_check_exit("stats");
}
