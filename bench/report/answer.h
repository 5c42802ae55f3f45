/*
 * bench/report/answer.h - the main job's answer at the top of report.md
 * (answer.c) and its drift and steady-state section (drift.c): the parts of
 * the report that say what the matrix found and how far to trust it.
 * report.c calls each section with one line.
 */
#ifndef GCB_REPORT_ANSWER_H
#define GCB_REPORT_ANSWER_H

#include <stdio.h>

#include "bench/resultdir/cells.h"

/* What the machine did during the matrix (drift.c). */
typedef struct gcb_drift {
    const char *ref;        /* the reference cell (run.json's default.reference_cell, else the cell with most runs) */
    size_t nref;            /* its ok runs */
    double ref_spread;      /* (max - min) / median of its ops/s over the matrix; NAN with < 2 runs */
    size_t nrounds;         /* rounds (repetitions) with runs */
    double round_spread;    /* max - min over rounds of the median, over cells, of run / cell median */
} gcb_drift_t;

/* Measure the drift of the set's runs.  Never fails (NAN when unknown). */
void gcb_report_drift_measure(const gcb_rset_t *rs, gcb_drift_t *d);

/* "## Answer": per workload the fastest and the smallest-memory
 * configuration with their margins and significance, the allocator
 * ranking under gen, the collector ranking under pool, the drift warning,
 * and the model against the interpreter where py: cells ran. */
void gcb_report_answer(FILE *f, const gcb_rset_t *rs);

/* "## Drift and steady state": the reference cell's runs through the
 * matrix, the per-round factor, each workload's run time against the
 * steady-state minimum. */
void gcb_report_drift_section(FILE *f, const gcb_rset_t *rs);

#endif
