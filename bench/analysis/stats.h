/*
 * bench/analysis/stats.h - the statistics of the harness: medians, distribution-free
 * confidence intervals, the Mann-Whitney U test.
 *
 * Benchmark timings are skewed and few (5 repetitions), so everything here
 * is rank based and assumes no distribution:
 *   - the CI of a median comes from order statistics (binomial coverage);
 *   - two samples are compared with the two-sided Mann-Whitney U test,
 *     exact (no ties, both samples <= GCB_MWU_EXACT_MAX) or by the normal
 *     approximation with tie and continuity corrections;
 *   - the CI of a ratio B/A is the Moses (Hodges-Lehmann) interval of the
 *     shift between log(B) and log(A), inverted from the same U
 *     distribution, so it excludes 1 exactly when the test, at the same
 *     level, rejects (up to ties).  docs/matrix.md says why.
 */
#ifndef GCB_STATS_H
#define GCB_STATS_H

#include <stddef.h>

#define GCB_MWU_EXACT_MAX 50

void gcb_sort_doubles(double *x, size_t n);
/* Median of x (not modified); NAN when n == 0. */
double gcb_median(const double *x, size_t n);

/* Order-statistic CI of the median of sorted x: the narrowest
 * [x_(k), x_(n+1-k)] whose coverage is >= level.  When even [min, max]
 * falls short (n < 6 at 95%), that is returned and *achieved says its real
 * coverage (1 - 2^(1-n)).  NAN bounds when n == 0. */
void gcb_median_ci(const double *sorted, size_t n, double level, double *lo, double *hi,
                   double *achieved);

/* Robust coefficient of variation of x (any order): 1.4826 * MAD / median (the
 * MAD scaled to estimate a normal sigma), NAN when n < 2 or the median is
 * 0.  Unlike stdev/mean it is not moved by one wild run, and it is what
 * decides whether a cell is unstable (GCB_UNSTABLE_RCV). */
double gcb_robust_cv(const double *x, size_t n);

/* A cell whose ops/s has a robust CV above this is reported unstable: a
 * spread of 5% leaves a 10% difference unresolved at the default 5
 * repetitions.  pyperf warns in the same spirit (stdev above 10% of the
 * mean); the MAD makes the rule immune to a single outlier. */
#define GCB_UNSTABLE_RCV 0.05

typedef struct gcb_mwu {
    double u;        /* U of sample a: pairs with a > b, ties counting 1/2 */
    double p;        /* two-sided p-value */
    int exact;       /* 1: exact distribution; 0: normal approximation */
    double min_p;    /* smallest two-sided p these sample sizes allow (2 / C(na+nb, na)) */
} gcb_mwu_t;

/* Two-sided Mann-Whitney U test of a against b.  na, nb >= 1. */
void gcb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, gcb_mwu_t *out);

/* P(U <= u) under the null for sizes m, n (exact; m, n <= GCB_MWU_EXACT_MAX). */
double gcb_mwu_cdf_exact(size_t m, size_t n, double u);

/* Ratio b/a of positive samples: the Hodges-Lehmann estimate (median of
 * all b_j / a_i) and the Moses CI at `level`.  Returns 0, or -1 when the
 * sizes are too small for that level (bounds then NAN, estimate set). */
int gcb_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
                 double *est, double *lo, double *hi);

/* Standard normal quantile (inverse CDF). */
double gcb_norm_quantile(double p);

#endif
