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
} gcb_workload_t;

extern const gcb_workload_t *const gcb_workloads[];
extern const size_t gcb_workload_count;
const gcb_workload_t *gcb_workload_find(const char *name);

#endif
