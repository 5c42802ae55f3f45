/*
 * bench/analysis/validate_report.c - the model against the interpreter,
 * second half: the pairs validate.c gathered, judged against the targets
 * and printed as markdown sections and CSV rows, with the calibration that
 * carries a model ratio to the interpreter, and the verdicts
 * (docs/validate.md).
 *
 * Invariants: a ratio is counted (r_n) only when both sides have one; it
 * is judged on the prediction when there is one, else on the model's own
 * ratio, and the markdown and the CSV row say which; a workload agrees
 * only when every counted ratio and every pair both sides resolve agree;
 * the counters of vctx_t only grow, so a workload's share is the
 * difference across its section.
 */
#include "bench/analysis/validate.h"
#include "bench/analysis/validate_internal.h"
#include "bench/analysis/stats.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/resultdir/files.h"
#include "config.h"

#define GCB_VALIDATE_PP 0.03      /* 3 percentage points of a ratio */
#define GCB_VALIDATE_MIN_SHARE 0.01  /* shares below 1% of the samples give no prediction */

/* ------------------------------------------------------- the comparison */

typedef struct vctx {
    FILE *f, *csv;
    int level;
    json_t *cal;                  /* the calibration file, or NULL */
    char interp[96];              /* "CPython 3.11.7" */
    char calnote[8800];
    const char *catkey;           /* the share's categories in the calibration */
    const char *sharewhat;        /* "time" or "instructions" */
    double s_m, s_p;              /* the shares of the current ratio (NAN: none) */
    int gc_ratio;                 /* the current ratio is a collector cost (gc_predict) */
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

/* A cell's collections' share of its time, median of its runs (0 when
 * not recorded: a cell that never collects). */
static double gc_share_raw(const gcb_rcell_t *c)
{
    return c->n[GCB_M_GC_SHARE] ? gcb_median(c->v[GCB_M_GC_SHARE], c->n[GCB_M_GC_SHARE]) : 0;
}

/* The collector-cost prediction from the three cells it needs: the
 * collecting cells' shares are x's (NAN below GCB_VALIDATE_MIN_SHARE, so
 * no prediction), the model's less-collecting cell's its own. */
static double gc_predict(const vctx_t *x, const gcb_rcell_t *m_more, const gcb_rcell_t *m_less,
                         const gcb_rcell_t *i_more)
{
    gcb_gc_cell_t mm = { 1 / gcb__validate_med(m_more), x->s_m };
    gcb_gc_cell_t ml = { 1 / gcb__validate_med(m_less), gc_share_raw(m_less) };
    gcb_gc_cell_t im = { 1 / gcb__validate_med(i_more), x->s_p };
    return gcb_gc_cost_predict(mm, ml, im);
}

/* One ratio pair: model num/den against py num/den.  Counts it. */
static void ratio_row(vctx_t *x, const char *wl, const char *set, const char *kind, const char *label,
                      const gcb_rcell_t *mn, const gcb_rcell_t *md, const gcb_rcell_t *pn, const gcb_rcell_t *pd)
{
    double mlo, mhi, lo, hi;
    const char *mhow, *how;
    double rm = gcb_rset_ratio(mn, md, GCB_M_OPS, &mlo, &mhi, &mhow);
    double rp = gcb_rset_ratio(pn, pd, GCB_M_OPS, &lo, &hi, &how);
    double pred = x->gc_ratio ? gc_predict(x, mn, md, pn) : gcb_amdahl_predict(rm, x->s_m, x->s_p);
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
            int agree = (gcb__validate_med(s->m[i]) > gcb__validate_med(s->m[j])) == (gcb__validate_med(s->py[i]) > gcb__validate_med(s->py[j]));
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
        mv[n] = gcb__validate_med(s->m[i]);
        pv[n++] = gcb__validate_med(s->py[i]);
        if (strcmp(w->alloc[i], "glibc") == 0)
            glibc = i;
    }
    if (n < 2)
        return;
    heading(x, 1, "%s, allocators under %s", w->wl, s->name);
    char rm[1024], rp[1024];
    gcb__validate_ranking(mc, w->alloc, w->nalloc, rm, sizeof rm);
    gcb__validate_ranking(pc, w->alloc, w->nalloc, rp, sizeof rp);
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

/* A cell's share of its time in collections, median of its runs; NAN
 * below GCB_VALIDATE_MIN_SHARE (no basis for a ratio of shares).  Taken
 * from the cell, not the calibration: the collector's share depends on the
 * scale (the live heap a full collection walks grows with it; gc.callbacks
 * in CPython 3.11.7 on cycles: 26% at scale 0.02, 50% at 0.2, 51% at 1; on
 * trees 0%, 0.8%, 15%), so only a share measured at the compared cells'
 * own scale carries their ratio. */
static double gc_share(const gcb_rcell_t *c)
{
    double v = gc_share_raw(c);
    return v >= GCB_VALIDATE_MIN_SHARE ? v : NAN;
}

/* " glibc: gc on/off 45.1% and 53.4%;" appended to the section's note. */
static void note_gc_share(const vctx_t *x, const char *label, size_t *off, char *buf, size_t len)
{
    char m[32], p[32];
    snprintf(m, sizeof m, isnan(x->s_m) ? "under %.0f%%" : "%.1f%%", 100 * (isnan(x->s_m) ? GCB_VALIDATE_MIN_SHARE : x->s_m));
    snprintf(p, sizeof p, isnan(x->s_p) ? "under %.0f%%" : "%.1f%%", 100 * (isnan(x->s_p) ? GCB_VALIDATE_MIN_SHARE : x->s_p));
    if (*off < len)
        *off += (size_t)snprintf(buf + *off, len - *off, "%s %s %s and %s", *off ? ";" : "", label, m, p);
}

/* gen against gen -p collect=0, and threshold0=700 against 2000, for every
 * allocator with all four cells. */
static void collector_section(vctx_t *x, const vwl_t *w)
{
    int head = 0;
    char shares[4096] = "";
    size_t off = 0;
    x->gc_ratio = 1;
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
                x->s_m = gc_share(a->m[k]);
                x->s_p = gc_share(a->py[k]);
                note_gc_share(x, label, &off, shares, sizeof shares);
                ratio_row(x, w->wl, a->rest, "collector", label, a->m[k], b->m[k], a->py[k], b->py[k]);
            }
        }
    x->gc_ratio = 0;
    if (head)
        fprintf(x->f, "\nThe prediction's shares are the collecting cell's own: its collections' time over its wall "
                      "time (the model's collector; gc.callbacks in %s), median of its runs, model and "
                      "interpreter:%s.\n\n", x->interp, shares);
}

/* ---------------------------------------------------------- calibration */

static const char *py_version(const gcb_rset_t *rs)
{
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        if (strncmp(c->wl, "py:", 3) != 0 || !c->median_run)
            continue;
        json_t *py = json_object_get(json_object_get(c->median_run, GCB_K_CONTEXT), GCB_K_PYTHON);
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
    char def[GCB_PATH_MAX];
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

/* The share of the time an allocator ratio touches, from the
 * calibration's categories: the allocator's own code and the kernel work
 * it causes (alloc + kernel).  NAN when not calibrated, or below
 * GCB_VALIDATE_MIN_SHARE (a handful of samples: no basis for a ratio of
 * shares; the model's own ratio is judged then).  The calibration's gc
 * category is not used: a collector ratio takes its cells' own share
 * (gc_share). */
static double share(const vctx_t *x, const char *wl, const char *side)
{
    json_t *w = json_object_get(json_object_get(x->cal, "workloads"), wl);
    if (!x->catkey)
        return NAN;
    json_t *c = json_object_get(json_object_get(w, side), x->catkey);
    json_t *a = json_object_get(c, "alloc"), *k = json_object_get(c, "kernel");
    if (!json_is_number(a) || !json_is_number(k))
        return NAN;
    double v = json_number_value(a) + json_number_value(k);
    return v >= GCB_VALIDATE_MIN_SHARE ? v : NAN;
}

/* ---------------------------------------------------------- the driver */

static void workload(vctx_t *x, const gcb_rset_t *rs, const char *wl)
{
    vwl_t *w = calloc(1, sizeof *w);
    if (!w)
        return;
    gcb__validate_gather(rs, wl, w);
    x->s_m = share(x, wl, "model");
    x->s_p = share(x, wl, "cpython");
    size_t r_in = x->r_in, rm_in = x->rm_in, r_n = x->r_n, p_same = x->p_same, p_n = x->p_n;
    heading(x, 0, "%s%s", wl, "");
    if (!isnan(x->s_m) && !isnan(x->s_p))
        fprintf(x->f, "Share of the %s (calibration): allocator (alloc + kernel) %.1f%% in %s, %.1f%% in the "
                      "model.\n\n", x->sharewhat, 100 * x->s_p, x->interp, 100 * x->s_m);
    int calibrated = !isnan(x->s_m) && !isnan(x->s_p);
    for (size_t i = 0; i < w->nset; i++)
        if (w->set[i].collect)
            alloc_section(x, w, &w->set[i]);
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
    char path[GCB_PATH_MAX];
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

