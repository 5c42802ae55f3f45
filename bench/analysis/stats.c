/*
 * bench/analysis/stats.c - see stats.h.  Rank statistics, no distribution assumed.
 */
#include "bench/analysis/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void gcb_sort_doubles(double *x, size_t n) { qsort(x, n, sizeof *x, cmp_double); }

double gcb_median(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double *c = malloc(n * sizeof *c);
    memcpy(c, x, n * sizeof *c);
    gcb_sort_doubles(c, n);
    double m = n % 2 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    free(c);
    return m;
}

double gcb_robust_cv(const double *x, size_t n)
{
    if (n < 2)
        return NAN;
    double med = gcb_median(x, n);
    if (med == 0 || isnan(med))
        return NAN;
    double *dev = malloc(n * sizeof *dev);
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(x[i] - med);
    double mad = gcb_median(dev, n);
    free(dev);
    return 1.4826 * mad / fabs(med);
}

/* P(Bin(n, 1/2) <= k) */
static double binom_half_cdf(size_t n, size_t k)
{
    double p = 0, term = pow(0.5, (double)n); /* C(n,0) / 2^n */
    for (size_t i = 0; i <= k && i <= n; i++) {
        p += term;
        term = term * (double)(n - i) / (double)(i + 1);
    }
    return p;
}

void gcb_median_ci(const double *s, size_t n, double level, double *lo, double *hi, double *achieved)
{
    if (n == 0) {
        *lo = *hi = NAN;
        *achieved = 0;
        return;
    }
    /* coverage of [x_(k), x_(n+1-k)] (1-based) is 1 - 2 P(Bin <= k-1) */
    size_t best = 1;
    double cov = 1 - 2 * binom_half_cdf(n, 0);
    for (size_t k = 2; 2 * k <= n + 1; k++) {
        double c = 1 - 2 * binom_half_cdf(n, k - 1);
        if (c < level)
            break;
        best = k;
        cov = c;
    }
    if (n == 1)
        cov = 0;
    *lo = s[best - 1];
    *hi = s[n - best];
    *achieved = cov;
}

double gcb_norm_quantile(double p)
{
    /* bisection on the CDF: slow but exact to double precision, and it is
     * called a handful of times per comparison */
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    double lo = -40, hi = 40;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (0.5 * erfc(-mid / sqrt(2.0)) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* The exact null distribution of U for sizes m, n: counts[u] for u in
 * 0..m*n, normalised to probabilities.  The largest element of an
 * arrangement of i a's and j b's is either an a (beating all j b's) or a
 * b, so f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u). */
static double *mwu_exact_pmf(size_t m, size_t n)
{
    size_t w = m * n + 1;
    double *prev = calloc((n + 1) * w, sizeof *prev); /* f(i-1, *, *) */
    double *cur = calloc((n + 1) * w, sizeof *cur);
    for (size_t j = 0; j <= n; j++)
        prev[j * w] = 1; /* i = 0: one arrangement, U = 0 */
    for (size_t i = 1; i <= m; i++) {
        memset(cur, 0, (n + 1) * w * sizeof *cur);
        cur[0] = 1; /* j = 0 */
        for (size_t j = 1; j <= n; j++) {
            double *c = cur + j * w, *left = cur + (j - 1) * w, *up = prev + j * w;
            size_t umax = i * j;
            for (size_t u = 0; u <= umax; u++)
                c[u] = left[u] + (u >= j ? up[u - j] : 0);
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    double *pmf = malloc(w * sizeof *pmf);
    double total = 0;
    for (size_t u = 0; u < w; u++)
        total += prev[n * w + u];
    for (size_t u = 0; u < w; u++)
        pmf[u] = prev[n * w + u] / total;
    free(prev);
    free(cur);
    return pmf;
}

double gcb_mwu_cdf_exact(size_t m, size_t n, double u)
{
    if (u < 0)
        return 0;
    double *pmf = mwu_exact_pmf(m, n);
    double c = 0;
    for (size_t k = 0; k <= m * n && (double)k <= u + 1e-9; k++)
        c += pmf[k];
    free(pmf);
    return c > 1 ? 1 : c;
}

static double log_choose(size_t n, size_t k) { return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0); }

void gcb_mann_whitney(const double *a, size_t na, const double *b, size_t nb, gcb_mwu_t *out)
{
    memset(out, 0, sizeof *out);
    double u = 0;
    int ties = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            if (a[i] > b[j])
                u += 1;
            else if (a[i] == b[j]) {
                u += 0.5;
                ties = 1;
            }
        }
    out->u = u;
    out->min_p = fmin(1, 2 * exp(-log_choose(na + nb, na)));
    /* ties inside one sample matter for the variance too */
    size_t N = na + nb;
    double *all = malloc(N * sizeof *all);
    memcpy(all, a, na * sizeof *all);
    memcpy(all + na, b, nb * sizeof *all);
    gcb_sort_doubles(all, N);
    double tie_sum = 0;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        while (j < N && all[j] == all[i])
            j++;
        double t = (double)(j - i);
        if (t > 1) {
            tie_sum += t * t * t - t;
            ties = 1;
        }
        i = j;
    }
    free(all);

    double mn = (double)na * (double)nb;
    if (!ties && na <= GCB_MWU_EXACT_MAX && nb <= GCB_MWU_EXACT_MAX) {
        double *pmf = mwu_exact_pmf(na, nb);
        double lo = 0, hi = 0;
        size_t uu = (size_t)llround(u);
        for (size_t k = 0; k <= (size_t)mn; k++) {
            if (k <= uu)
                lo += pmf[k];
            if (k >= uu)
                hi += pmf[k];
        }
        free(pmf);
        out->p = fmin(1, 2 * fmin(lo, hi));
        out->exact = 1;
        return;
    }
    double Nd = (double)N;
    double var = mn / 12.0 * ((Nd + 1) - tie_sum / (Nd * (Nd - 1)));
    if (var <= 0) {
        out->p = 1; /* every value equal */
        return;
    }
    double z = (fabs(u - mn / 2) - 0.5) / sqrt(var);
    if (z < 0)
        z = 0;
    out->p = fmin(1, erfc(z / sqrt(2.0)));
}

int gcb_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level, double *est,
                 double *lo, double *hi)
{
    size_t mn = na * nb;
    double *d = malloc(mn * sizeof *d);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            d[i * nb + j] = log(b[j]) - log(a[i]);
    gcb_sort_doubles(d, mn);
    *est = exp(mn % 2 ? d[mn / 2] : 0.5 * (d[mn / 2 - 1] + d[mn / 2]));
    /* C: the largest c with P(U <= c) <= alpha/2; CI = [D_(C+1), D_(mn-C)] */
    double half_alpha = (1 - level) / 2;
    long c = -1;
    if (na <= GCB_MWU_EXACT_MAX && nb <= GCB_MWU_EXACT_MAX) {
        double *pmf = mwu_exact_pmf(na, nb);
        double cum = 0;
        for (size_t k = 0; k <= mn; k++) {
            cum += pmf[k];
            if (cum > half_alpha + 1e-12)
                break;
            c = (long)k;
        }
        free(pmf);
    } else {
        double sd = sqrt((double)mn * (double)(na + nb + 1) / 12.0);
        c = (long)floor((double)mn / 2 - 0.5 + gcb_norm_quantile(half_alpha) * sd);
    }
    int rc = 0;
    if (c < 0) {
        *lo = *hi = NAN;
        rc = -1;
    } else {
        *lo = exp(d[c]);
        *hi = exp(d[mn - 1 - (size_t)c]);
    }
    free(d);
    return rc;
}
