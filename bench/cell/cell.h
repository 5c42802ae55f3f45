/*
 * bench/cell/cell.h - one cell in this process: its configuration and
 * result, the run (run.c), the record and its one-line summary (record.c),
 * the machine context (context.c).  The timeline is cell/timeline.h.
 */
#ifndef GCB_CELL_H
#define GCB_CELL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "allocators/allocator.h"
#include "collectors/collector.h"
#include "runtime/host.h"
#include "runtime/gil.h"
#include "runtime/options.h"
#include "runtime/threads.h"
#include "workloads/workload.h"
#include "bench/cell/timeline.h"
#include "bench/exit.h"
#include "bench/resultdir/keys.h"   /* GCB_SCHEMA_VERSION, the record's keys */

/* Room for one KEY=VALUE argument of a run: a gcb_params_t entry's name,
 * '=' and its value, which may be a path. */
#define GCB_ARG_MAX GCB_PATH_MAX
_Static_assert(sizeof ((gcb_params_t *)0)->kv[0].key + sizeof ((gcb_params_t *)0)->kv[0].value <= GCB_ARG_MAX,
               "a KEY=VALUE argument must fit GCB_ARG_MAX");

typedef struct gcb_run_config {
    gcb_alloc_choice_t alloc;
    const gcb_collector_t *coll;
    const gcb_workload_t *wl;
    gcb_params_t params;
    uint64_t seed;
    int no_timeline;                   /* 1: no live-bytes/RSS timeline (--no-timeline) */
} gcb_run_config_t;

/* One mutator thread of a threads=N run (bench/cell/threads.c). */
typedef struct gcb_thread_result {
    uint64_t ops;                      /* its copy's ops */
    double wall_s;                     /* its own start to end */
    uint64_t gil_takes, gil_forced_drops;
    double gil_wait_s;                 /* time spent waiting for the GIL */
} gcb_thread_result_t;

/* QSBR's figures for the record's threads block, from gcb_qsbr_stats when
 * the threads are joined (runtime/shared.c; all 0 outside ft and atomic):
 * record name, gcb_qsbr_stats_t field, meaning. */
#define GCB_THREADS_QSBR_COUNTERS(X)                                                              \
    X(qsbr_held_bytes_peak, held_bytes_peak, "most buffer bytes waiting for a grace period at once") \
    X(qsbr_held_bytes_end, held_bytes, "buffer bytes still waiting once the threads were joined")    \
    X(qsbr_deferred, deferred_blocks, "buffers and references queued for a delayed free")           \
    X(qsbr_processed, freed_blocks, "queued buffers and references released after their grace period")

#define GCB_THREADS_RC_SLOW_MAX 16
typedef struct gcb_threads_result {
    gcb_threads_config_t cfg;          /* mode, threads, switch interval */
    uint32_t n;
    gcb_thread_result_t t[GCB_THREADS_MAX];
    gcb_gil_stats_t gil;               /* mode=gil */
#define GCB_X(name, field, desc) uint64_t name;
    GCB_THREADS_QSBR_COUNTERS(GCB_X)
#undef GCB_X
    /* mode=ft: biased counting's slow-path counts, in runtime/brc.h's
     * GCB_BRC_COUNTERS order (bench/cell/threads.c, compiled per core,
     * fills and names them; unused elsewhere) */
    uint64_t rc_slow_paths[GCB_THREADS_RC_SLOW_MAX];
    /* mode=ft: deferred classes' counts, runtime/uniqueid.h's
     * GCB_DEFERRED_COUNTERS order (filled and named the same way) */
    uint64_t deferred_rc[GCB_THREADS_RC_SLOW_MAX];
} gcb_threads_result_t;

typedef struct gcb_run_result {
    gcb_workload_result_t wl;
    double wall_s, user_s, sys_s;      /* the workload only */
    double final_collect_s;            /* the end-of-run full collection */
    uint64_t peak_rss_bytes;
    uint64_t minor_faults, major_faults;
    uint64_t anon_huge_bytes;          /* THP-backed anon memory at the workload's end; GCB_STAT_UNKNOWN: not reported */
    uint64_t leaked_objects, leaked_bytes;
    gcb_rt_counters_t counters;        /* after the final collection */
    gcb_gc_stats_t gc;
    gcb_alloc_stats_t alloc_stats;     /* at the end of the workload, before teardown */
    char alloc_version[64];
    char sized_free_entry[16];         /* gcb_alloc_sized_free_entry() during the run */
    gcb_timeline_t timeline;           /* live bytes and RSS during the workload */
    gcb_threads_result_t threads;      /* the threading mode and each thread's share */
    json_t *python;                    /* py: cells: the interpreter (bench/cell/python.c); else NULL */
} gcb_run_result_t;

/* "run.c" */
/* The -p tables a cell of (wl, coll) accepts, NULL-terminated, in record
 * order: the workload's, the collector's, the runtime's
 * (runtime/options.h), the allocator's (allocators/allocator.h), the
 * threading mode's (runtime/threads.h). */
#define GCB_RUN_TABLES 6
void gcb_run_tables(const gcb_workload_t *wl, const gcb_collector_t *coll,
                    const gcb_param_def_t *out[GCB_RUN_TABLES]);
/* Check the config: every -p key known to the chosen workload or collector
 * and in range.  -1 with a one-line message. */
int gcb_run_validate(const gcb_run_config_t *cfg, char *err, size_t errlen);
/* The run-level threading parameters (runtime/threads.h) of a cell against
 * its allocator, collector and workload: 0, or -1 with one line. */
int gcb_cell_threads_check(const char *alloc, const gcb_collector_t *coll, const gcb_workload_t *wl,
                           const gcb_params_t *p, char *err, size_t errlen);
/* Run one cell in this process (its allocator must already be in effect:
 * see gcb_preload_ensure). -1 with a message on failure. */
int gcb_run_cell(const gcb_run_config_t *cfg, gcb_run_result_t *res, char *err, size_t errlen);
/* "cell/name.c": the cell's name, "allocator/collector/workload[/key=value...]"
 * (the name results, filters, comparisons and GCBENCH_FAULT match on): a
 * user library NAME=/path named NAME, the parameters sorted by key, a path
 * parameter (trace) by its base name.  The matrix names its cells with
 * gcb_cell_name_kv, a run itself with gcb_cell_name. */
void gcb_cell_name(const char *alloc, const char *coll, const char *wl, const gcb_params_t *p,
                   char *buf, size_t n);
void gcb_cell_name_kv(const char *alloc, const char *coll, const char *wl, const char *const *keys,
                      const char *const *values, size_t np, char *buf, size_t n);
/* A parameter value as a name shows it (a trace file by its base name);
 * is the parameter a file path (replay's trace=)? */
const char *gcb_cell_value_name(const char *key, const char *value);
int gcb_cell_path_param(const char *key);

/* "cell/threads.c" */
/* The workload as tc->nthreads copies, one per registered thread, under
 * tc->mode (the runtime and, for gil, the GIL already up); fills res->wl
 * (combined) and res->threads.  -1 with a message if a copy failed. */
int gcb_run_threads(const gcb_run_config_t *cfg, const gcb_threads_config_t *tc, gcb_run_result_t *res,
                    char *err, size_t errlen);
/* Re-execute as the executable of the run's mode (gcbench, gcbench-ft,
 * gcbench-atomic) unless this is it; -1 with a message if that fails. */
int gcb_core_ensure(const gcb_params_t *p, char **argv, char *err, size_t errlen);
/* The record's "threads" object (mode, per-thread ops/s, GIL figures). */
json_t *gcb_threads_json(const gcb_run_result_t *res);

/* "record.c" */
json_t *gcb_record_json(const gcb_run_config_t *cfg, const gcb_run_result_t *res);
/* The one human-readable line of `gcbench run`. */
void gcb_record_print_line(FILE *out, const gcb_run_config_t *cfg, const gcb_run_result_t *res);

/* "context.c" */
/* Machine, compiler, libraries, git commit: the context block of every
 * record and result directory. */
json_t *gcb_context_json(void);

#endif
