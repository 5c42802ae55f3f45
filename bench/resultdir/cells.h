/*
 * bench/resultdir/cells.h - a result directory's runs grouped into cells,
 * each with its values per metric, its labels (series, baseline) and its
 * statistics (median, CI, ratio to the baseline, significance); the filter
 * language over cells.
 *
 * Everything here enumerates what the result directory holds (allocators,
 * collectors, workloads, parameters): nothing is named in the code, so
 * backends added to the registries appear in the figures and tables
 * without a change here.
 */
#ifndef GCB_CELLS_H
#define GCB_CELLS_H

#include <jansson.h>
#include <stddef.h>

#include "bench/resultdir/runs.h"

/* parameters taking >= 2 values within some workload, at most (as many
 * as a spec has axes: bench/matrix/spec.h GCB_SPEC_MAX_AXES) */
#define GCB_CELLS_MAX_SWEEP 32

/* The figures a cell contributes, from its ok runs. */
typedef enum {
    GCB_M_OPS,      /* ops_per_sec */
    GCB_M_RSS,      /* peak RSS, bytes (the parent's wait4 when recorded) */
    GCB_M_WALL,     /* wall_s of the workload */
    GCB_M_P50,      /* gc.pause_ns.p50, runs that paused only */
    GCB_M_P99,      /* gc.pause_ns.p99, idem */
    GCB_M_PMAX,     /* gc.pause_ns.max, idem */
    GCB_M_GC_SHARE, /* gc.gc_time_s / wall_s: the run's share of time in collections */
    GCB_M_COUNT
} gcb_metric_t;

#define GCB_LABEL_MAX 512

typedef struct gcb_rcell {
    const char *name;                /* the cell name (borrowed from a runs.jsonl line) */
    const char *alloc, *coll, *wl;
    json_t *params;                  /* borrowed: the cell's -p parameters */
    /* allocator/collector, then " key=value" for every parameter that takes
     * several values (or is absent in some cells) within the workload: the
     * bar, line or point a cell is drawn as; the same label in two
     * workloads is the same configuration */
    char series[GCB_LABEL_MAX];
    char base[GCB_LABEL_MAX];        /* allocator/collector alone */
    char wl_params[GCB_LABEL_MAX];   /* parameters common to the workload's cells: "scale=0.5" */
    size_t nok, nfail;
    double *v[GCB_M_COUNT];          /* ok values of each metric (missing ones left out) */
    size_t n[GCB_M_COUNT];
    json_t *median_run;              /* the ok run with the median ops/s (lower median), or NULL */
} gcb_rcell_t;

typedef struct gcb_rset {
    char dir[4096];
    json_t *runjson;                 /* DIR/run.json, or NULL when absent */
    gcb_runs_t runs;
    size_t ncells;
    gcb_rcell_t *cells;              /* sorted: workload, then series order */
    size_t nwl;
    const char **wl;                 /* workloads in the order of the spec (else by name) */
    size_t nseries;
    char (*series)[GCB_LABEL_MAX];   /* every series label, in drawing order */
    size_t nsweep;
    char sweep[GCB_CELLS_MAX_SWEEP][64]; /* parameters taking >= 2 values within some workload */
    size_t runs_ok, runs_failed;
} gcb_rset_t;

/* Load DIR (run.json, which must exist and be of this format; runs.jsonl).  -1 with a message when DIR
 * is not a result directory or holds no run. */
int gcb_rset_load(const char *dir, gcb_rset_t *rs, char *err, size_t errlen);
void gcb_rset_free(gcb_rset_t *rs);
/* runs.jsonl lines the load skipped as invalid, and repeated (cell,
 * repetition) lines it counted once (the report can show them). */
size_t gcb_rset_invalid_lines(const gcb_rset_t *rs);
size_t gcb_rset_duplicate_lines(const gcb_rset_t *rs);

/* Resolve the baseline "ALLOCATOR/COLLECTOR" into `out`.  `requested` NULL:
 * glibc/rc when the directory has it, else the first series' (a note in
 * `note`).  -1 with a message (listing what the directory holds) when an
 * explicitly requested baseline is absent or malformed. */
int gcb_rset_baseline(const gcb_rset_t *rs, const char *requested, char *out, size_t outlen, char *note,
                      size_t notelen, char *err, size_t errlen);

/* The baseline cell for `c`: same workload, allocator/collector `baseline`,
 * and among several (a sweep) the one agreeing with c on most parameters.
 * NULL when the workload has no baseline cell. */
const gcb_rcell_t *gcb_rset_base_cell(const gcb_rset_t *rs, const gcb_rcell_t *c, const char *baseline);

/* Ratio of medians c/base for a metric, with a 95% interval: the Moses CI
 * of the ratio when both sides have enough runs (*how = "ci"), else the
 * range of c's runs over base's median (*how = "range"); NAN when either
 * side has no value.  Returns the ratio. */
double gcb_rset_ratio(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double *lo, double *hi,
                      const char **how);

/* Is c's metric different from base's?  The two-sided Mann-Whitney U test
 * of `gcbench compare` (bench/analysis/stats.c) on the two cells' ok values: 1 when
 * p < alpha, 0 when not, -1 when either side has no value (*p NAN).
 * *can is 0 when the run counts are too small for any p to reach alpha
 * (3 runs a side never can at 0.05). */
int gcb_rset_differs(const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m, double alpha, double *p,
                     int *can);

/* Median and 95% order-statistic CI of a cell's metric (NAN when none);
 * *coverage is the CI's real coverage (below 0.95 with fewer than 6 runs). */
double gcb_rset_median(const gcb_rcell_t *c, gcb_metric_t m, double *lo, double *hi, double *coverage);

/* The context block: run.json's, a merged directory's first source's, or
 * the first run's.  Borrowed; may be NULL. */
json_t *gcb_rset_context(const gcb_rset_t *rs);

/* Does a cell match a filter (bench/resultdir/filter.h's language)?  0
 * for a malformed one (check it with gcb_filter_parse first). */
int gcb_rset_match(const gcb_rcell_t *c, const char *filter);


#endif
