/*
 * bench/analysis/validate.c - the model against the interpreter
 * (validate.h; docs/validate.md says what each figure means).
 *
 * A "setting" is what a cell is besides its allocator: its collector, its
 * collect (gen -p collect=0 is gc.disable()), its effective threshold0 and
 * every other parameter but `python`.  Within one workload W, a model cell
 * (W) and a py cell (py:W) are compared only when allocator and setting are
 * equal, so a sweep in the directory never mixes configurations.
 *
 * Targets (issue 12): every ratio against glibc inside CPython's 95% CI, or
 * within GCB_VALIDATE_PP of its median where the CI is narrower; every
 * allocator pair that both resolve (Mann-Whitney p < 0.05) in the same
 * order; the collector ratios the same way.  Spearman's rho is reported,
 * not a target (a fixed guess scores 0.80 on the data).  With a
 * calibration the target is checked on the prediction, else on the
 * model's own ratio.
 */
#include "bench/analysis/validate.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/resultdir/files.h"
#include "config.h"

#define GCB_VALIDATE_PP 0.03      /* 3 percentage points of a ratio */
#define GCB_VALIDATE_MIN_SHARE 0.01  /* shares below 1% of the samples give no prediction */
#define VMAX 64                   /* allocators, settings per workload */

/* ------------------------------------------------------------ Spearman */

static void midranks(const double *v, size_t n, double *r)
{
    for (size_t i = 0; i < n; i++) {
        size_t less = 0, eq = 0;
        for (size_t j = 0; j < n; j++) {
            less += v[j] < v[i];
            eq += v[j] == v[i];
        }
        r[i] = (double)less + (double)(eq + 1) / 2.0;
    }
}

static double pearson(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* Every permutation of ry (Heap's algorithm, iterative): the share whose
 * |rho| reaches the observed one (a 1e-9 slack for rounding). */
static double exact_p(const double *rx, const double *ry, size_t n, double rho)
{
    double y[GCB_SPEARMAN_EXACT_MAX];
    size_t c[GCB_SPEARMAN_EXACT_MAX] = { 0 };
    memcpy(y, ry, n * sizeof *y);
    double hit = 0, all = 0, lim = fabs(rho) - 1e-9;
    for (;;) {
        double r = pearson(rx, y, n);
        all += 1;
        hit += fabs(r) >= lim;
        size_t i = 1;
        while (i < n && c[i] >= i)
            c[i++] = 0;
        if (i >= n)
            break;
        size_t j = (i % 2) ? c[i] : 0;
        double t = y[j];
        y[j] = y[i];
        y[i] = t;
        c[i]++;
    }
    return hit / all;
}

int gcb_spearman(const double *x, const double *y, size_t n, double *rho, double *p)
{
    *rho = *p = NAN;
    if (n < 2 || n > 4096)
        return 0;
    double *rx = malloc(2 * n * sizeof *rx);
    if (!rx)
        return 0;
    double *ry = rx + n;
    midranks(x, n, rx);
    midranks(y, n, ry);
    *rho = pearson(rx, ry, n);
    int exact = 0;
    if (n >= 3 && !isnan(*rho)) {
        if (n <= GCB_SPEARMAN_EXACT_MAX) {
            *p = exact_p(rx, ry, n, *rho);
            exact = 1;
        } else {
            double z = fabs(*rho) * sqrt((double)n - 1);
            *p = erfc(z / sqrt(2.0));
        }
    }
    free(rx);
    return exact;
}

double gcb_amdahl_predict(double r, double s_model, double s_interp)
{
    if (!(s_model > 0 && s_model <= 1 && s_interp > 0 && s_interp <= 1 && r > 0))
        return NAN;
    double d = 1 - s_interp / s_model * (1 - 1 / r);
    return d > 0 ? 1 / d : NAN;
}

/* ----------------------------------------------------------- the cells */

int gcb_validate_has_py(const gcb_rset_t *rs)
{
    for (size_t i = 0; i < rs->nwl; i++)
        if (strncmp(rs->wl[i], "py:", 3) == 0)
            return 1;
    return 0;
}

static const char *param(const gcb_rcell_t *c, const char *key)
{
    const char *v = json_string_value(json_object_get(c->params, key));
    if (!v && c->median_run)
        v = json_string_value(json_object_get(json_object_get(c->median_run, "params_effective"), key));
    return v;
}

/* The setting of a cell: collector, then every parameter but python,
 * sorted; collect=0 shown, collect=1 dropped (the default), threshold0 the
 * effective value of gen cells.  rest: the same without collect and
 * threshold0 (what two settings of a collector comparison share). */
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The setting of a cell: collector, then every parameter but python,
 * collect and threshold0 as key=value, sorted (rest: what two settings of
 * a collector comparison share); then collect=0 when given, else gen's
 * effective threshold0. */
static void setting_of(const gcb_rcell_t *c, char *set, size_t n, char *rest, size_t rn, int *collect, int *t0)
{
    const char *cv = param(c, "collect"), *tv = param(c, "threshold0");
    *collect = !(cv && strcmp(cv, "0") == 0);
    *t0 = strcmp(c->coll, "gen") == 0 && tv ? atoi(tv) : 0;
    const char *keys[64];
    size_t nk = 0, off = 0;
    const char *k;
    json_t *v;
    json_object_foreach(c->params, k, v)
        if (nk < 64 && strcmp(k, "python") && strcmp(k, "collect") && strcmp(k, "threshold0"))
            keys[nk++] = k;
    qsort(keys, nk, sizeof *keys, cmp_str);
    off = (size_t)snprintf(rest, rn, "%s", c->coll);
    for (size_t i = 0; i < nk && off < rn; i++)
        off += (size_t)snprintf(rest + off, rn - off, " %s=%s", keys[i],
                                json_string_value(json_object_get(c->params, keys[i])));
    if (!*collect)
        snprintf(set, n, "%s collect=0", rest);
    else if (*t0)
        snprintf(set, n, "%s threshold0=%d", rest, *t0);
    else
        snprintf(set, n, "%s", rest);
}

typedef struct vset {
    char name[GCB_LABEL_MAX], rest[GCB_LABEL_MAX];
    int collect, t0;
    const gcb_rcell_t *m[VMAX], *py[VMAX];   /* by allocator index */
} vset_t;

typedef struct vwl {
    const char *wl;
    size_t nalloc, nset;
    const char *alloc[VMAX];
    vset_t set[VMAX];
} vwl_t;

static size_t alloc_index(vwl_t *w, const char *a)
{
    for (size_t i = 0; i < w->nalloc; i++)
        if (strcmp(w->alloc[i], a) == 0)
            return i;
    if (w->nalloc < VMAX)
        w->alloc[w->nalloc++] = a;
    return w->nalloc - 1;
}

static vset_t *set_get(vwl_t *w, const gcb_rcell_t *c)
{
    char name[GCB_LABEL_MAX], rest[GCB_LABEL_MAX];
    int collect, t0;
    setting_of(c, name, sizeof name, rest, sizeof rest, &collect, &t0);
    for (size_t i = 0; i < w->nset; i++)
        if (strcmp(w->set[i].name, name) == 0)
            return &w->set[i];
    if (w->nset >= VMAX)
        return NULL;
    vset_t *s = &w->set[w->nset++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->rest, sizeof s->rest, "%s", rest);
    s->collect = collect;
    s->t0 = t0;
    return s;
}

static void gather(const gcb_rset_t *rs, const char *wl, vwl_t *w)
{
    memset(w, 0, sizeof *w);
    w->wl = wl;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        int py = strncmp(c->wl, "py:", 3) == 0;
        if (strcmp(py ? c->wl + 3 : c->wl, wl) != 0 || c->nok == 0)
            continue;
        vset_t *s = set_get(w, c);
        size_t a = alloc_index(w, c->alloc);
        if (s && a < VMAX)
            (py ? s->py : s->m)[a] = c;
    }
}

static double med(const gcb_rcell_t *c)
{
    double lo, hi, cov;
    return gcb_rset_median(c, GCB_M_OPS, &lo, &hi, &cov);
}

/* ------------------------------------------------------- the comparison */

typedef struct vctx {
    FILE *f, *csv;
    int level;
    json_t *cal;                  /* the calibration file, or NULL */
    char interp[96];              /* "CPython 3.11.7" */
    char calnote[8800];
    const char *catkey;           /* the share's categories in the calibration */
    const char *sharewhat;        /* "time" or "instructions" */
    double s_m, s_p;              /* the current workload's shares (NAN: none) */
    size_t r_in, rm_in, r_n;      /* ratios inside (prediction/model alone) of r_n */
    size_t p_same, p_n;           /* pairs both resolve in the same order, of p_n */
    size_t nwl, nbad;
} vctx_t;

static void heading(vctx_t *x, int sub, const char *fmt, const char *a, const char *b)
{
    for (int i = 0; i < x->level + sub; i++)
        fputc('#', x->f);
    fputc(' ', x->f);
    fprintf(x->f, fmt, a, b);
    fputs("\n\n", x->f);
}

static void fmt_r(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.3f", v);
}

/* One ratio pair: model num/den against py num/den.  Counts it. */
static void ratio_row(vctx_t *x, const char *wl, const char *set, const char *kind, const char *label,
                      const gcb_rcell_t *mn, const gcb_rcell_t *md, const gcb_rcell_t *pn, const gcb_rcell_t *pd)
{
    double mlo, mhi, lo, hi;
    const char *mhow, *how;
    double rm = gcb_rset_ratio(mn, md, GCB_M_OPS, &mlo, &mhi, &mhow);
    double rp = gcb_rset_ratio(pn, pd, GCB_M_OPS, &lo, &hi, &how);
    double pred = gcb_amdahl_predict(rm, x->s_m, x->s_p);
    if (isnan(rm) || isnan(rp))
        return;
    int in_m = (rm >= lo && rm <= hi) || fabs(rm - rp) <= GCB_VALIDATE_PP;
    int in_p = !isnan(pred) && ((pred >= lo && pred <= hi) || fabs(pred - rp) <= GCB_VALIDATE_PP);
    int judged = isnan(pred) ? in_m : in_p;
    x->r_n++;
    x->r_in += (size_t)judged;
    x->rm_in += (size_t)in_m;
    char a[32], b[32], c[32], l[32], h[32];
    fmt_r(a, sizeof a, rm);
    fmt_r(b, sizeof b, pred);
    fmt_r(c, sizeof c, rp);
    fmt_r(l, sizeof l, lo);
    fmt_r(h, sizeof h, hi);
    fprintf(x->f, "| %s | %s | %s | %s | %s .. %s (%s) | %s | %s |\n", label, a, b, c, l, h, how,
            in_m ? "yes" : "no", isnan(pred) ? "-" : in_p ? "yes" : "no");
    if (x->csv)
        fprintf(x->csv, "%s,\"%s\",%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n", wl, set, kind, label, a, isnan(pred) ? "" : b, c,
                isnan(lo) ? "" : l, isnan(hi) ? "" : h, how,
                in_m, isnan(pred) ? "" : in_p ? "1" : "0");
}

static void table_head(vctx_t *x, const char *what)
{
    fprintf(x->f, "| %s | model (memory management alone) | predicted for %s | %s | its 95%% CI | model inside | "
                  "prediction inside |\n|---|---|---|---|---|---|---|\n",
            what, x->interp, x->interp);
}

/* "pool > mimalloc > glibc" by median ops/s of the cells in `c`. */
static void ranking(const gcb_rcell_t *const *c, const char *const *names, size_t n, char *out, size_t len)
{
    size_t idx[VMAX], k = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i])
            idx[k++] = i;
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && med(c[idx[j]]) > med(c[idx[j - 1]]); j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    size_t off = 0;
    out[0] = '\0';
    for (size_t i = 0; i < k && off < len; i++)
        off += (size_t)snprintf(out + off, len - off, "%s%s", i ? " > " : "", names[idx[i]]);
}

/* Every allocator pair both sides resolve: in the same order? */
static void pairs(vctx_t *x, const vwl_t *w, const vset_t *s, size_t *same, size_t *both, size_t *npairs)
{
    *same = *both = *npairs = 0;
    for (size_t i = 0; i < w->nalloc; i++)
        for (size_t j = i + 1; j < w->nalloc; j++) {
            if (!s->m[i] || !s->m[j] || !s->py[i] || !s->py[j])
                continue;
            (*npairs)++;
            double p;
            int can;
            if (gcb_rset_differs(s->m[i], s->m[j], GCB_M_OPS, 0.05, &p, &can) != 1 ||
                gcb_rset_differs(s->py[i], s->py[j], GCB_M_OPS, 0.05, &p, &can) != 1)
                continue;
            (*both)++;
            int agree = (med(s->m[i]) > med(s->m[j])) == (med(s->py[i]) > med(s->py[j]));
            *same += (size_t)agree;
            if (x->csv)
                fprintf(x->csv, "%s,\"%s\",pair,%s/%s,,,,,,,%d,\n", w->wl, s->name, w->alloc[i], w->alloc[j], agree);
        }
}

static void alloc_section(vctx_t *x, const vwl_t *w, const vset_t *s)
{
    double mv[VMAX], pv[VMAX];
    const gcb_rcell_t *mc[VMAX] = { 0 }, *pc[VMAX] = { 0 };
    size_t n = 0, glibc = VMAX;
    for (size_t i = 0; i < w->nalloc; i++) {
        if (!s->m[i] || !s->py[i])
            continue;
        mc[i] = s->m[i];
        pc[i] = s->py[i];
        mv[n] = med(s->m[i]);
        pv[n++] = med(s->py[i]);
        if (strcmp(w->alloc[i], "glibc") == 0)
            glibc = i;
    }
    if (n < 2)
        return;
    heading(x, 1, "%s, allocators under %s", w->wl, s->name);
    char rm[1024], rp[1024];
    ranking(mc, w->alloc, w->nalloc, rm, sizeof rm);
    ranking(pc, w->alloc, w->nalloc, rp, sizeof rp);
    double rho, p;
    int exact = gcb_spearman(mv, pv, n, &rho, &p);
    char ps[64];
    if (isnan(p))
        snprintf(ps, sizeof ps, "no p-value with n = %zu", n);
    else
        snprintf(ps, sizeof ps, "%s p = %.3g, n = %zu", exact ? "exact" : "approximate", p, n);
    fprintf(x->f, "Ranking by median ops/s: model %s; %s %s. Spearman's rho = %.2f (%s; reported, not a "
                  "target).\n\n", rm, x->interp, rp, rho, ps);
    if (x->csv)
        fprintf(x->csv, "%s,\"%s\",rank,%zu allocators,%.4f,,,,,%s,,\"%s\"\n", w->wl, s->name, n, rho,
                exact ? "exact" : "approx", ps);
    if (glibc < VMAX) {
        table_head(x, "throughput ratio");
        for (size_t i = 0; i < w->nalloc; i++) {
            if (i == glibc || !mc[i])
                continue;
            char label[256];
            snprintf(label, sizeof label, "%s/glibc", w->alloc[i]);
            ratio_row(x, w->wl, s->name, "ratio", label, mc[i], mc[glibc], pc[i], pc[glibc]);
        }
        fputc('\n', x->f);
    }
    size_t same, both, np;
    pairs(x, w, s, &same, &both, &np);
    x->p_same += same;
    x->p_n += both;
    fprintf(x->f, "Allocator pairs: %zu of %zu resolved on both sides (Mann-Whitney p < 0.05), %zu of them in the "
                  "same order.\n\n", both, np, same);
}

/* gen against gen -p collect=0, and threshold0=700 against 2000, for every
 * allocator with all four cells. */
static void collector_section(vctx_t *x, const vwl_t *w)
{
    int head = 0;
    for (size_t i = 0; i < w->nset; i++)
        for (size_t j = 0; j < w->nset; j++) {
            const vset_t *a = &w->set[i], *b = &w->set[j];
            if (i == j || strcmp(a->rest, b->rest) != 0 || strncmp(a->rest, "gen ", 4) != 0 || !a->collect)
                continue;
            const char *kind;
            if (!b->collect && a->t0 != 700)
                kind = "gc on/off";
            else if (b->collect && a->t0 == 700 && b->t0 == 2000)
                kind = "threshold 700/2000";
            else
                continue;
            if (!head) {
                heading(x, 1, "%s, collector cost%s", w->wl, "");
                table_head(x, "ratio (allocator: setting)");
                head = 1;
            }
            for (size_t k = 0; k < w->nalloc; k++) {
                if (!a->m[k] || !b->m[k] || !a->py[k] || !b->py[k])
                    continue;
                char label[512];
                snprintf(label, sizeof label, "%s: %s", w->alloc[k], kind);
                ratio_row(x, w->wl, a->rest, "collector", label, a->m[k], b->m[k], a->py[k], b->py[k]);
            }
        }
    if (head)
        fputc('\n', x->f);
}

/* ---------------------------------------------------------- calibration */

static const char *py_version(const gcb_rset_t *rs)
{
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strncmp(c->wl, "py:", 3) != 0 || !c->median_run)
            continue;
        json_t *py = json_object_get(json_object_get(c->median_run, "context"), "python");
        const char *v = json_string_value(json_object_get(py, "version"));
        if (v)
            return v;
    }
    return NULL;
}

/* --share: -1 NULL (instructions when the calibration has them), 0 time, 1 instructions */
static int share_pref = -1;

int gcb_validate_set_share(const char *which)
{
    if (!which)
        share_pref = -1;
    else if (strcmp(which, "time") == 0)
        share_pref = 0;
    else if (strcmp(which, "instructions") == 0)
        share_pref = 1;
    else
        return -1;
    return 0;
}

/* Does any workload of the calibration carry instruction shares? */
static int calib_has_instructions(json_t *cal)
{
    const char *k;
    json_t *w;
    json_object_foreach(json_object_get(cal, "workloads"), k, w)
        if (json_is_object(json_object_get(json_object_get(w, "cpython"), "categories_instructions")))
            return 1;
    return 0;
}

static void calib_load(vctx_t *x, const gcb_rset_t *rs, const char *path)
{
    const char *ver = py_version(rs);
    snprintf(x->interp, sizeof x->interp, "CPython %s", ver ? ver : "(version not recorded)");
    char def[4200];
    if (!path && ver) {
        snprintf(def, sizeof def, "%s/data/calibration/cpython-%s.json", GCB_SOURCE_DIR, ver);
        path = def;
    }
    json_error_t je;
    x->cal = path ? json_load_file(path, 0, &je) : NULL;
    if (!x->cal) {
        snprintf(x->calnote, sizeof x->calnote, "No calibration for %s (%s): no prediction; the targets are "
                 "checked on the model's own ratios. Measure one with `scripts/calibrate`.", x->interp,
                 path ? path : "no interpreter version");
        return;
    }
    int instr = share_pref != 0 && calib_has_instructions(x->cal);
    x->catkey = instr ? "categories_instructions" : "categories";
    x->sharewhat = instr ? "instructions" : "time";
    const char *used = instr ? "Share used: instructions (callgrind)." : share_pref == 1 ?
        "Share used: time (perf); the calibration has no instruction shares." : "Share used: time (perf).";
    const char *cv = json_string_value(json_object_get(json_object_get(x->cal, "interpreter"), "version"));
    const char *date = json_string_value(json_object_get(x->cal, "date"));
    if (ver && cv && strcmp(cv, ver) != 0)
        snprintf(x->calnote, sizeof x->calnote, "Calibration %s is for CPython %s, the cells ran %s. %s", path, cv,
                 x->interp, used);
    else
        snprintf(x->calnote, sizeof x->calnote, "Calibration: `%s` (measured %s). Predicted = model ratio "
                 "carried to the interpreter by Amdahl's law with the measured memory-management shares "
                 "(docs/validate.md). %s", path, date ? date : "?", used);
}

/* The share of the time the compared policy touches, from the
 * calibration's categories: for an allocator ratio the allocator's own
 * code and the kernel work it causes (alloc + kernel), for a collector
 * ratio the collector's (gc).  NAN when not calibrated, or below
 * GCB_VALIDATE_MIN_SHARE (a handful of samples: no basis for a ratio of
 * shares; the model's own ratio is judged then). */
static double share(const vctx_t *x, const char *wl, const char *side, int collector)
{
    json_t *w = json_object_get(json_object_get(x->cal, "workloads"), wl);
    if (!x->catkey)
        return NAN;
    json_t *c = json_object_get(json_object_get(w, side), x->catkey);
    json_t *a = json_object_get(c, collector ? "gc" : "alloc"), *k = json_object_get(c, "kernel");
    if (!json_is_number(a) || (!collector && !json_is_number(k)))
        return NAN;
    double v = json_number_value(a) + (collector ? 0 : json_number_value(k));
    return v >= GCB_VALIDATE_MIN_SHARE ? v : NAN;
}

/* ---------------------------------------------------------- the driver */

static void workload(vctx_t *x, const gcb_rset_t *rs, const char *wl)
{
    vwl_t *w = calloc(1, sizeof *w);
    if (!w)
        return;
    gather(rs, wl, w);
    x->s_m = share(x, wl, "model", 0);
    x->s_p = share(x, wl, "cpython", 0);
    double g_m = share(x, wl, "model", 1), g_p = share(x, wl, "cpython", 1);
    size_t r_in = x->r_in, rm_in = x->rm_in, r_n = x->r_n, p_same = x->p_same, p_n = x->p_n;
    heading(x, 0, "%s%s", wl, "");
    if (!isnan(x->s_m) && !isnan(x->s_p)) {
        char gp[32], gm[32]; /* a share below the minimum gives no prediction: said so, not "nan" */
        snprintf(gp, sizeof gp, isnan(g_p) ? "under %.0f%%" : "%.1f%%", 100 * (isnan(g_p) ? GCB_VALIDATE_MIN_SHARE : g_p));
        snprintf(gm, sizeof gm, isnan(g_m) ? "under %.0f%%" : "%.1f%%", 100 * (isnan(g_m) ? GCB_VALIDATE_MIN_SHARE : g_m));
        fprintf(x->f, "Share of the %s (calibration): allocator (alloc + kernel) %.1f%% in %s, %.1f%% in the "
                      "model; collector (gc) %s and %s.\n\n",
                x->sharewhat, 100 * x->s_p, x->interp, 100 * x->s_m, gp, gm);
    }
    int calibrated = !isnan(x->s_m) && !isnan(x->s_p);
    for (size_t i = 0; i < w->nset; i++)
        if (w->set[i].collect)
            alloc_section(x, w, &w->set[i]);
    x->s_m = g_m;
    x->s_p = g_p;
    collector_section(x, w);
    r_in = x->r_in - r_in;
    rm_in = x->rm_in - rm_in;
    r_n = x->r_n - r_n;
    p_same = x->p_same - p_same;
    p_n = x->p_n - p_n;
    const char *v = r_n + p_n == 0 ? "NO DATA" : r_in == r_n && p_same == p_n ? "AGREE" : "DISAGREE";
    x->nwl++;
    x->nbad += strcmp(v, "AGREE") != 0;
    fprintf(x->f, "**verdict %s: %s** - ratios inside the interpreter's CI: %zu of %zu (%s), model alone %zu of %zu; "
                  "pairs both resolve in the same order: %zu of %zu\n\n",
            wl, v, r_in, r_n, calibrated ? "predicted" : "model", rm_in, r_n, p_same, p_n);
    if (x->csv)
        fprintf(x->csv, "%s,,verdict,%s,,,,,,,%zu/%zu,%zu/%zu\n", wl, v, r_in, r_n, p_same, p_n);
    free(w);
}

int gcb_validate_emit(const gcb_rset_t *rs, const char *calibration, FILE *f, int level, FILE *csv, char *err,
                      size_t errlen)
{
    if (!gcb_validate_has_py(rs)) {
        snprintf(err, errlen, "%s has no py: cells (run a matrix with -w W,py:W, or gcbench validate without DIR)",
                 rs->dir);
        return -1;
    }
    vctx_t x;
    memset(&x, 0, sizeof x);
    x.f = f;
    x.csv = csv;
    x.level = level;
    calib_load(&x, rs, calibration);
    fprintf(f, "Every model cell against its py: twin (the same workload, seed, scale and setting in real %s), "
               "ratios of median ops/s with the interpreter's 95%% CI. Target (issue 12): each ratio inside the "
               "CI or within 3 percentage points of its median, each pair both resolve in the same order. %s\n\n",
            x.interp, x.calnote);
    if (csv)
        fputs("workload,setting,kind,what,model,predicted,interpreter,ci_lo,ci_hi,ci_how,model_inside,"
              "predicted_inside\n", csv);
    for (size_t i = 0; i < rs->nwl; i++) {
        const char *wl = rs->wl[i];
        char py[256];
        snprintf(py, sizeof py, "py:%s", wl);
        int has = 0;
        for (size_t j = 0; j < rs->nwl; j++)
            has |= strcmp(rs->wl[j], py) == 0;
        if (strncmp(wl, "py:", 3) != 0 && has)
            workload(&x, rs, wl);
    }
    fprintf(f, "**verdict overall: %s** - %zu of %zu workloads agree; ratios inside %zu of %zu, model alone %zu of "
               "%zu; pairs in the same order %zu of %zu\n\n",
            x.nwl && !x.nbad ? "AGREE" : x.nwl ? "DISAGREE" : "NO DATA", x.nwl - x.nbad, x.nwl, x.r_in, x.r_n,
            x.rm_in, x.r_n, x.p_same, x.p_n);
    if (csv)
        fprintf(csv, "overall,,verdict,%s,,,,,,,%zu/%zu,%zu/%zu\n", x.nwl && !x.nbad ? "AGREE" : "DISAGREE",
                x.r_in, x.r_n, x.p_same, x.p_n);
    json_decref(x.cal);
    return (int)x.nbad;
}

int gcb_validate_write(const gcb_rset_t *rs, const char *calibration, FILE *echo, char *err, size_t errlen)
{
    char *md = NULL, *csv = NULL;
    size_t mdl = 0, csvl = 0;
    FILE *f = open_memstream(&md, &mdl), *c = open_memstream(&csv, &csvl);
    if (!f || !c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fprintf(f, "# gcbench validate: the model against the interpreter\n\nResult directory: `%s`.\n\n", rs->dir);
    int rc = gcb_validate_emit(rs, calibration, f, 2, c, err, errlen);
    fclose(f);
    fclose(c);
    char path[4200];
    if (rc >= 0) {
        snprintf(path, sizeof path, "%s/validate.md", rs->dir);
        if (gcb_write_text_atomic(path, md, err, errlen))
            rc = -1;
        snprintf(path, sizeof path, "%s/validate.csv", rs->dir);
        if (rc >= 0 && gcb_write_text_atomic(path, csv, err, errlen))
            rc = -1;
        if (rc >= 0 && echo)
            fputs(md, echo);
    }
    free(md);
    free(csv);
    return rc;
}

void gcb_validate_report_section(FILE *f, const gcb_rset_t *rs)
{
    if (!gcb_validate_has_py(rs))
        return;
    char err[512];
    fputs("## Model against the interpreter\n\n", f);
    if (gcb_validate_emit(rs, NULL, f, 3, NULL, err, sizeof err) < 0)
        fprintf(f, "Not compared: %s\n\n", err);
    fputs("The same with its CSV: `gcbench validate DIR` (validate.md, validate.csv).\n\n", f);
}
