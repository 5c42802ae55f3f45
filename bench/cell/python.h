/*
 * bench/cell/python.h - `-w py:NAME` cells: the real CPython interpreter
 * running the Python twin of workload NAME (workloads/python/NAME.py) as
 * the cell's process, recorded in the same record as every other cell
 * (docs/python.md).
 */
#ifndef GCB_CELL_PYTHON_H
#define GCB_CELL_PYTHON_H

#include <stdbool.h>

#include "bench/cell/cell.h"

/* The workload a cell names: "py:NAME" is the twin of NAME (its C
 * parameter table plus `python`, the interpreter), anything else the C
 * workload.  NULL when unknown. */
const gcb_workload_t *gcb_cell_workload_find(const char *name);
/* Is `wl` a py: workload? */
bool gcb_py_is(const gcb_workload_t *wl);
/* The py: names, for error messages: " py:intchurn py:cycles ...". */
const char *gcb_py_names(void);
/* What CPython cannot do of a py: cell's configuration: a collector other
 * than rc and gen, gen parameters other than the thresholds and collect,
 * runtime or allocator parameters, pool-huge, an interpreter not found.
 * -1 with one line (an exit-2 input error). */
int gcb_py_validate(const gcb_run_config_t *cfg, char *err, size_t errlen);
/* Run the twin under the interpreter with the cell's allocator and
 * collector mapped (PYTHONMALLOC, LD_PRELOAD verified inside the
 * interpreter, gc.disable()/gc.set_threshold) and fill `res` from what it
 * measured.  -1 with a message on failure. */
int gcb_py_run_cell(const gcb_run_config_t *cfg, gcb_run_result_t *res, char *err, size_t errlen);

#endif
