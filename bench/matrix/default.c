/*
 * bench/matrix/default.c - the default matrix: what `gcbench matrix` and
 * scripts/bench run when no --spec, -a or -c is given, and its full
 * cross-product (--full).  A change to the default touches this file only.
 *
 * What it holds: the configurations a runtime designer compares first.
 *   - every allocator under CPython's own policy (gen): glibc, each process
 *     allocator found at build time, pool (`pool+BASE` only in --full);
 *   - every collector under CPython's own allocator (pool);
 *   - the cross-product where it is informative: every allocator under rc
 *     (no collector touching the heap) on the two workloads whose collections
 *     traverse most of it (cycles, trees), so a reader sees whether the
 *     allocator ranking under gen is the allocator's or the collector's;
 *   - a few py: cells (the real interpreter, docs/python.md) when python3 is
 *     on PATH: pymalloc and malloc under gen on the seed idioms (intchurn,
 *     cycles), at their C workload's scale, since `gcbench validate` pairs a
 *     model cell with the twin of equal settings (scale included).  The
 *     interpreter is 4-8x slower per unit of scale, so these 4 cells cost
 *     about 40 s of the 5 minutes;
 *   - a small threaded part (issue 13): per-thread churn (churn_ft) and
 *     cross-thread frees (prodcons) at 1 and 2 threads under the
 *     free-threaded model (mode=ft) with rc and with ftgc (CPython 3.14t's
 *     stop-the-world cycle collector, next to counting alone), allocators
 *     glibc, mimalloc and mimalloc-ft (CPython 3.14t's heaps) when mimalloc
 *     was found: 24 cells, so the report has its Threads section and
 *     scaling figures (and the Answer a row per thread count, answer.c).
 *     Not gil or atomic, not shared: ft is the mode a runtime designer
 *     asks about in 2026, and 2 cores give the curve two points only
 *     (docs/performance.md section 8 has the whole sweep).
 * --full: every allocator (pool+BASE too) x every collector x every C
 * workload, at the same scales (about 20 minutes on 2 cores); the threads
 * workloads there at their default mode and one thread.
 *
 * The scale of each workload comes from a committed table, not from a
 * measurement at run time: one run of the workload under pool/gen is
 * given GCB_DEFAULT_TARGET_S of CPU in its timed part, from the workload's
 * measured CPU seconds per unit of scale (`scripts/calibrate-default`
 * measures them again).  Why committed rather than measured per machine:
 * the scale is then identical from run to run and from machine to machine
 * (two main jobs, on one machine or two, do the same work and compare
 * cell by cell), it costs no calibration time, and the momentary load
 * cannot move it (the old --budget calibration chose 0.05 on a busy
 * machine: 10-20 ms runs whose rankings disagreed between identical runs).
 * A machine much faster than the table's makes shorter runs; the report's
 * steady-state section measures every workload's run time and warns below
 * GCB_DEFAULT_MIN_RUN_S.  run.json's "default" block records the rule,
 * each workload's scale and where it came from.
 */
#include "bench/matrix/matrix.h"

/* --- the definition ------------------------------------------------------ */
#define GCB_DEFAULT_TARGET_S 0.25   /* CPU seconds of a pool/gen run's timed part */
#define GCB_DEFAULT_MIN_RUN_S 0.2   /* below this a run is not steady-state (report warns) */
#define GCB_DEFAULT_REFERENCE "pool/gen/intchurn" /* the drift cell (docs/matrix.md "Drift") */
/* The report's baseline: CPython's own configuration, present on every
 * workload of the default (glibc/rc, the baseline elsewhere, is not). */
#define GCB_DEFAULT_BASELINE "pool/gen"
_Static_assert(GCB_DEFAULT_TARGET_S > GCB_DEFAULT_MIN_RUN_S, "the target must leave headroom");

/* CPU seconds per unit of scale of one pool/gen run (user + sys of the
 * whole process, the slope between scale S/4 and S, best of 3), measured
 * by scripts/calibrate-default on the development machine (2-core AMD
 * EPYC VM, 2026-12-03, under load 12: the slope of CPU time, not wall time,
 * so the load changes it little).  The threaded part's workloads
 * (churn_ft, prodcons; 2026-12-04, load 13) are measured under glibc/rc
 * at mode=ft and one thread, since pool is refused under mode=ft; their
 * 2-thread cells run the same scale (churn_ft: a copy per thread, so twice
 * the CPU in the same wall time on 2 cores).  A workload not listed runs at
 * its own default scale (1). */
static const struct { const char *wl; double cpu_s_per_scale; } scale_table[] = {
    { "intchurn", 0.119 },  { "cycles", 0.0487 },    { "strings", 0.151 },   { "aliasing", 0.112 },
    { "slicing", 0.111 },   { "copies", 0.0875 },    { "dicts", 0.178 },     { "trees", 0.0881 },
    { "traversal", 0.531 }, { "replay", 0.118 },     { "lifetimes", 0.174 }, { "locals", 0.539 },
    { "churn_ft", 0.0893 }, { "prodcons", 0.0736 },
};

/* Workloads of the registry left to --full: shared asks about
 * contention on shared counts and QSBR (docs/threads.md), not what the
 * threaded part below compares, and the 5 minutes hold 14 workloads. */
static const char *const full_only_wl[] = { "shared" };

/* The threaded part: these workloads run only these cells (each allocator
 * under each collector, every value of each axis), not the gen and pool
 * rows.  An allocator not found at build time is left out (mimalloc-ft
 * needs mimalloc).  ftgc runs under mode=ft only: it is added to the
 * default's collector list ("all" leaves it out) and named only here. */
static const char *const thr_wl[] = { "churn_ft", "prodcons" };
static const char *const thr_alloc[] = { "glibc", "mimalloc", "mimalloc-ft" };
static const char *const thr_coll[] = { "rc", "ftgc" };
static const char *const thr_axes[][2] = { { "mode", "ft" }, { "threads", "1,2" } };

/* Collectors whose cross-product with every allocator is in the default,
 * and on which workloads. */
static const char *const cross_coll = "rc";
static const char *const cross_wl[] = { "cycles", "trees" };
/* py: cells: the twins run, and their allocator/collector pairs. */
static const char *const py_wl[] = { "py:intchurn", "py:cycles" };
static const char *const py_pairs[] = { "pool/gen", "glibc/gen" };

static json_t *default_info; /* run.json's "default" block, NULL when the default is not in use */

/* The scale for workload wl: target / slope, rounded up to 2 significant
 * digits (so the run lasts at least the target).  0: not in the table. */
static double table_scale(const char *wl, double *slope)
{
    if (strncmp(wl, "py:", 3) == 0) /* a twin at its C workload's scale: validate pairs equal settings */
        wl += 3;
    for (size_t i = 0; i < sizeof scale_table / sizeof scale_table[0]; i++)
        if (strcmp(scale_table[i].wl, wl) == 0) {
            *slope = scale_table[i].cpu_s_per_scale;
            double s = GCB_DEFAULT_TARGET_S / *slope, mag = pow(10, floor(log10(s)) - 1);
            return ceil(s / mag - 1e-9) * mag;
        }
    return 0;
}

static int python_on_path(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : ""), *save = NULL, exe[GCB_PATH_MAX];
    int found = 0;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        snprintf(exe, sizeof exe, "%s/python3", d);
        found = access(exe, X_OK) == 0;
    }
    free(copy);
    return found;
}

static int named(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

static int threaded_wl(const char *wl)
{
    return named(thr_wl, sizeof thr_wl / sizeof thr_wl[0], wl);
}

static void set_or_die(gcb_spec_t *s, char kind, const char *list)
{
    char err[2048];
    int r = kind == 'o' ? gcb_spec_set_only(s, list, err, sizeof err) : gcb_spec_set_names(s, kind, list, err, sizeof err);
    if (r)
        die_usage("the default matrix: %s", err);
}

/* The lists: allocators (plain ones, or all), collectors, workloads (C,
 * and the py: twins when python3 is found), unless the command line gave them. */
static void default_lists(gcb_spec_t *s, int full)
{
    char list[8192];
    size_t off = 0;
    const char *all[64];
    size_t n = gcb_all_allocators(all, 64);
    for (size_t i = 0; i < n; i++)
        if (full || !strchr(all[i], '+'))
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", off ? "," : "", all[i]);
    if (!full && named(all, n, "mimalloc")) /* the threaded part's; not in "all" (mode=ft only) */
        off += (size_t)snprintf(list + off, sizeof list - off, ",mimalloc-ft");
    set_or_die(s, 'a', list);
    set_or_die(s, 'c', full ? "all" : "all,ftgc"); /* ftgc: the threaded part's (mode=ft only) */
    if (s->n_wl)
        return;
    off = 0;
    for (size_t i = 0; i < gcb_workload_count; i++) {
        int skip = 0;
        for (size_t k = 0; !full && k < sizeof full_only_wl / sizeof full_only_wl[0]; k++)
            skip |= strcmp(full_only_wl[k], gcb_workloads[i]->name) == 0;
        if (!skip)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", off ? "," : "", gcb_workloads[i]->name);
    }
    for (size_t i = 0; !full && python_on_path() && i < sizeof py_wl / sizeof py_wl[0]; i++)
        off += (size_t)snprintf(list + off, sizeof list - off, ",%s", py_wl[i]);
    set_or_die(s, 'w', list);
}

/* Append the pattern "A/C/W" to the comma list. */
static void add_pattern(char *list, size_t cap, size_t *off, const char *a, const char *c, const char *w)
{
    *off += (size_t)snprintf(list + *off, cap - *off, "%s%s/%s/%s", *off ? "," : "", a, c, w);
    if (*off >= cap)
        die_usage("the default matrix: too many cell patterns");
}

/* Append "pool/C/W" for every collector C of the list that runs one
 * thread (not ftgc, in the list for the threaded part). */
static void add_pool_row(const gcb_spec_t *s, char *list, size_t cap, size_t *off, const char *wl)
{
    for (size_t c = 0; c < s->n_coll; c++) {
        const gcb_collector_t *coll = gcb_collector_find(s->collectors[c]);
        if (coll && (coll->policy.threads & GCB_THREADS_ONE))
            add_pattern(list, cap, off, "pool", coll->name, wl);
    }
}

/* The cell patterns: per C workload W, each allocator under gen and any
 * collector under pool (and the cross-product rows), per threaded
 * workload its allocators under each of thr_coll, per py: workload its
 * pairs.  The allocators and collectors are named one by one, not as
 * "*": mimalloc-ft and ftgc, in the lists for the threaded part, run
 * under mode=ft only and would make every "*" row a cell that refuses to
 * run. */
static void default_only(gcb_spec_t *s)
{
    static char list[32768];
    size_t off = 0;
    const char *const *al = (const char *const *)s->allocators;
    for (size_t w = 0; w < s->n_wl; w++) {
        const char *wl = s->workloads[w];
        if (strncmp(wl, "py:", 3) == 0) {
            for (size_t p = 0; p < sizeof py_pairs / sizeof py_pairs[0]; p++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s/%s", off ? "," : "", py_pairs[p], wl);
            continue;
        }
        if (threaded_wl(wl)) {
            for (size_t a = 0; a < sizeof thr_alloc / sizeof thr_alloc[0]; a++)
                for (size_t c = 0; c < sizeof thr_coll / sizeof thr_coll[0]; c++)
                    if (named(al, s->n_alloc, thr_alloc[a]))
                        add_pattern(list, sizeof list, &off, thr_alloc[a], thr_coll[c], wl);
            continue;
        }
        int cross = named(cross_wl, sizeof cross_wl / sizeof cross_wl[0], wl);
        for (size_t a = 0; a < s->n_alloc; a++)
            if (strcmp(al[a], "mimalloc-ft") != 0) {
                add_pattern(list, sizeof list, &off, al[a], "gen", wl);
                if (cross)
                    add_pattern(list, sizeof list, &off, al[a], cross_coll, wl);
            }
        add_pool_row(s, list, sizeof list, &off, wl);
    }
    set_or_die(s, 'o', list);
}

/* Does an axis KEY already apply to workload wl (given on the command
 * line, unqualified or as "wl:KEY")? */
static int has_axis_for(const gcb_spec_t *s, const char *wl, const char *key)
{
    size_t nw = strlen(wl);
    for (size_t i = 0; i < s->n_axes; i++) {
        const char *k = s->axes[i].key;
        if (strcmp(k, key) == 0 || (strncmp(k, wl, nw) == 0 && k[nw] == ':' && strcmp(k + nw + 1, key) == 0))
            return 1;
    }
    return 0;
}

/* The threaded part's axes, as each threaded workload's own ("W:mode=ft",
 * "W:threads=1,2"), unless the command line gave that key. */
static void default_thr_axes(gcb_spec_t *s)
{
    for (size_t w = 0; w < s->n_wl; w++) {
        if (!threaded_wl(s->workloads[w]))
            continue;
        for (size_t k = 0; k < sizeof thr_axes / sizeof thr_axes[0]; k++) {
            char kv[512], err[2048];
            if (has_axis_for(s, s->workloads[w], thr_axes[k][0]))
                continue;
            snprintf(kv, sizeof kv, "%s:%s=%s", s->workloads[w], thr_axes[k][0], thr_axes[k][1]);
            if (gcb_spec_add_axis(s, kv, err, sizeof err))
                die_usage("the default matrix: %s", err);
        }
    }
}

/* One "W:scale=X" axis per workload from the table; the reasons into info. */
static void default_scales(gcb_spec_t *s, json_t *info)
{
    json_t *scales = json_object();
    for (size_t w = 0; w < s->n_wl; w++) {
        double slope = NAN, sc = table_scale(s->workloads[w], &slope);
        json_t *row = json_object();
        char kv[512], err[2048];
        if (sc > 0) {
            snprintf(kv, sizeof kv, "%s:scale=%.2g", s->workloads[w], sc);
            if (gcb_spec_add_axis(s, kv, err, sizeof err))
                die_usage("the default matrix: %s", err);
            json_object_set_new(row, "scale", json_real(atof(strchr(kv, '=') + 1)));
            json_object_set_new(row, "cpu_s_per_scale", json_real(slope));
            json_object_set_new(row, "source", json_string("committed table (bench/matrix/default.c)"));
        } else {
            json_object_set_new(row, "scale", json_null());
            json_object_set_new(row, "source", json_string("not in the table: the workload's default scale"));
        }
        json_object_set_new(scales, s->workloads[w], row);
    }
    json_object_set_new(info, "scales", scales);
}

void gcb__default_spec(gcb_spec_t *s, int full)
{
    json_t *info = default_info = json_object();
    json_object_set_new(info, "definition", json_string("bench/matrix/default.c"));
    json_object_set_new(info, "matrix", json_string(full ? "full" : "default"));
    if (!full)
        json_object_set_new(info, GCB_K_DF_BASELINE, json_string(GCB_DEFAULT_BASELINE));
    default_lists(s, full);
    if (!full) {
        default_only(s);
        default_thr_axes(s);
    }
    int own_scale = !gcb_spec_has_axis(s, "scale") && !(s->set_budget && s->budget_s > 0);
    json_object_set_new(info, "target_cpu_s", json_real(GCB_DEFAULT_TARGET_S));
    json_object_set_new(info, GCB_K_DF_MIN_RUN, json_real(GCB_DEFAULT_MIN_RUN_S));
    if (own_scale) {
        json_object_set_new(info, GCB_K_DF_SCALE_RULE,
                            json_string("per workload: the committed CPU seconds per unit of scale of a pool/gen "
                                        "run, scale = target / slope rounded up to 2 digits; identical on every "
                                        "run and machine, never measured at run time"));
        default_scales(s, info);
        if (!s->set_budget)
            s->budget_s = 0;
    } else {
        json_object_set_new(info, GCB_K_DF_SCALE_RULE, json_string(gcb_spec_has_axis(s, "scale")
                                                                ? "given on the command line (-p scale)"
                                                                : "chosen by --budget (docs/matrix.md)"));
    }
}

/* run.json's "default" block, with the reference cell of the drift
 * section: the first GCB_DEFAULT_REFERENCE cell, else the first pool/gen one. */
void gcb__default_runjson(const matrix_t *m, json_t *rj)
{
    if (!default_info)
        return;
    const char *ref = NULL;
    for (size_t pass = 0; pass < 2 && !ref; pass++)
        for (size_t i = 0; i < m->ncells && !ref; i++) {
            const char *want = pass ? "pool/gen/" : GCB_DEFAULT_REFERENCE;
            size_t n = strlen(want);
            if (strncmp(m->cells[i].name, want, n) == 0 && (pass || m->cells[i].name[n] == '/' || !m->cells[i].name[n]))
                ref = m->cells[i].name;
        }
    json_object_set_new(default_info, GCB_K_DF_REFCELL, ref ? json_string(ref) : json_null());
    json_object_set(rj, GCB_K_DEFAULT, default_info);
}
