/*
 * workloads/workload.h - what the program does.
 *
 * A workload drives the runtime API only (runtime/runtime.h), as a Python
 * program drives the interpreter.  Each backend file exports one
 * gcb_workload_t (listed in workloads/registry.c), and docs/workloads.md
 * quotes the Python each one models.
 *
 * Contract:
 *   - deterministic: the same parameters and seed give the same sequence of
 *     runtime operations, the same `ops` and the same `checksum`, under
 *     every allocator and collector;
 *   - the checksum is computed from the values the program computed and
 *     from its live data at the end, so a collector that frees a live
 *     object or corrupts one changes it;
 *   - it pushes its own frames and pops them all before returning, and
 *     calls gcb_safepoint() often (at least once per outer iteration), with
 *     everything it still needs reachable from a frame local.
 */
#ifndef GCB_WORKLOAD_H
#define GCB_WORKLOAD_H

#include <stdint.h>

#include "util/params.h"

typedef struct gcb_workload_result {
    uint64_t ops;        /* units of work done; the unit is the workload's ops_unit */
    uint64_t checksum;
    /* Objects the workload made unreachable while they were part of a
     * reference cycle: exactly what pure refcounting must leak. */
    uint64_t cyclic_garbage_objects;
    /* Cooperative workloads: objects whose last reference the workload
     * dropped on a thread other than the one that built them (prodcons'
     * consumed items, churn_ft's handed-over ones).  Exact: counted by the
     * workload, which knows who built each object; under refcounting each
     * is a cross-thread free of that object (docs/threads.md). */
    uint64_t cross_thread_drops;
} gcb_workload_result_t;

typedef struct gcb_workload {
    const char *name;
    const char *description;
    const char *ops_unit;
    const gcb_param_def_t *params;
    /* 1: the workload cannot run as threads=N copies, one per thread
     * (docs/threads.md: replay replays one trace); threads > 1 is refused. */
    int one_copy;
    /* Returns 0, or -1 with a message in err (bad parameter combination). */
    int (*run)(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
               char *err, size_t errlen);

    /* Cooperative workloads (prodcons, shared, churn_ft): the threads of a
     * run share data instead of each running a copy.  With run_thread set,
     * a threads=N run (bench/cell/threads.c) calls check(p, N) at
     * validation (bad combinations are exit 2 before anything runs),
     * setup(p, N) on the spawning thread before any mutator starts (no
     * objects: only the workload's own synchronisation), run_thread(p,
     * seed, t, N) on each thread t, and teardown() after they are joined.
     * Thread t's operations depend on (seed, t) only; its checksum is its
     * share of an order-independent sum, so the run's checksum is the plain
     * sum of the threads' (mod 2^64), its ops the sum of theirs.  `run` is
     * the one-thread entry (mode=default): setup(1), run_thread(0, 1),
     * teardown (gcb_wl_coop_run1, workloads/mt.h). */
    int (*check)(const gcb_params_t *p, uint32_t nthreads, char *err, size_t errlen);
    int (*setup)(const gcb_params_t *p, uint32_t nthreads, char *err, size_t errlen);
    int (*run_thread)(const gcb_params_t *p, uint64_t seed, uint32_t t, uint32_t nthreads,
                      gcb_workload_result_t *out, char *err, size_t errlen);
    void (*teardown)(void);
} gcb_workload_t;

extern const gcb_workload_t *const gcb_workloads[];
extern const size_t gcb_workload_count;
const gcb_workload_t *gcb_workload_find(const char *name);

#endif
