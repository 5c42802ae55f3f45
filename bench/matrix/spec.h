/*
 * bench/matrix/spec.h - the matrix spec (allocators x collectors x
 * workloads x parameter axes, and the run settings), read from a spec
 * file or the command line, and its expansion into cells.
 */
#ifndef GCB_SPEC_H
#define GCB_SPEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ "spec.c" */

#define GCB_SPEC_MAX_NAMES 256
#define GCB_SPEC_MAX_AXES 32 /* the default matrix alone has 20: a scale per workload, the threaded part's mode and threads */
#define GCB_SPEC_MAX_VALUES 64

typedef struct gcb_axis {
    char key[64];
    size_t n;
    char *values[GCB_SPEC_MAX_VALUES];
} gcb_axis_t;

typedef struct gcb_spec {
    size_t n_alloc, n_coll, n_wl, n_axes;
    char *allocators[GCB_SPEC_MAX_NAMES];
    char *collectors[GCB_SPEC_MAX_NAMES];
    char *workloads[GCB_SPEC_MAX_NAMES];
    gcb_axis_t axes[GCB_SPEC_MAX_AXES]; /* key "W:KEY": for workload W only, over an axis KEY */
    size_t n_only;
    char *only[GCB_SPEC_MAX_NAMES]; /* "ALLOC/COLL/WL" shell patterns: a cell must match one (none: all) */
    int reps;
    uint64_t seed;            /* the workloads' seed (gcbench run --seed) */
    double timeout_s;         /* per run: CPU limit and wall-clock kill */
    uint64_t mem_limit;       /* per run: RLIMIT_DATA and RSS watch, bytes; 0: none */
    int timeline;             /* 1: runs sample their timeline */
    double budget_s;          /* 0: none; see docs/matrix.md "budget" */
    /* which fields a spec file or the command line set (for overriding) */
    int set_alloc, set_coll, set_wl, set_only, set_reps, set_seed, set_timeout, set_mem, set_timeline, set_budget;
} gcb_spec_t;

/* One cell: allocator x collector x workload x one value of each axis
 * that applies to it (a key applies when the workload or the collector
 * declares it). */
typedef struct gcb_cell {
    char name[1024];          /* canonical: gcb_cell_name */
    const char *alloc, *coll, *wl;
    size_t np;
    const char *keys[GCB_SPEC_MAX_AXES];
    const char *values[GCB_SPEC_MAX_AXES];
} gcb_cell_t;

void gcb_spec_defaults(gcb_spec_t *s);
/* Read a spec file into s (fields it sets are overwritten).  -1 with
 * "FILE:LINE: message" in err. */
int gcb_spec_read_file(gcb_spec_t *s, const char *path, char *err, size_t errlen);
/* Set the allocators/collectors/workloads from a comma list ("all": every
 * one registered).  -1 with a message naming the accepted ones. */
int gcb_spec_set_names(gcb_spec_t *s, char kind, const char *list, char *err, size_t errlen);
/* Add "KEY=V1,V2,..." as an axis (replacing an axis of the same key). */
int gcb_spec_add_axis(gcb_spec_t *s, const char *kv, char *err, size_t errlen);
/* Is there an axis of `key`, or a workload's own one ("W:key")? */
int gcb_spec_has_axis(const gcb_spec_t *s, const char *key);
/* Set the cell patterns from a comma list of "ALLOC/COLL/WL" shell
 * patterns (fnmatch: '*', '?', '[...]'), e.g. "pool/gen/cycles" or
 * "glibc/STAR/cycles" with STAR a '*'.  -1 with a message. */
int gcb_spec_set_only(gcb_spec_t *s, const char *list, char *err, size_t errlen);
/* Set a scalar key as a spec file line would: reps, seed, timeout,
 * mem-limit, timeline, budget.  -1 with a message. */
int gcb_spec_set(gcb_spec_t *s, const char *key, const char *val, char *err, size_t errlen);
/* Expand into cells, checking every parameter against the components of
 * each cell.  -1 with a message.  *cells is malloc'ed. */
int gcb_spec_cells(const gcb_spec_t *s, gcb_cell_t **cells, size_t *n, char *err, size_t errlen);
json_t *gcb_spec_json(const gcb_spec_t *s);
int gcb_spec_from_json(gcb_spec_t *s, json_t *j, char *err, size_t errlen);
/* "4G", "512M", "100k", plain bytes; 0 on success. */
int gcb_parse_size(const char *text, uint64_t *out);
/* The allocator specs "all" means: glibc, every process allocator found,
 * pool and pool+each of them. */
size_t gcb_all_allocators(const char **out, size_t max);


#endif
