/*
 * bench/analysis/validate.h - `gcbench validate`: the model's cells against
 * their py: twins (real CPython) in one result directory (docs/validate.md).
 *
 * Per workload W with both W and py:W cells: the allocator ranking in each,
 * Spearman's rho with its exact p-value, every allocator's throughput
 * ratio to glibc in the model against CPython's (with CPython's 95% CI),
 * the order of every allocator pair both sides resolve, the collector-cost
 * ratios (gen against gen -p collect=0, threshold0=700 against 2000), and a
 * verdict.  With a calibration file (scripts/calibrate) each model ratio
 * also gets an Amdahl prediction for the interpreter it was measured on.
 */
#ifndef GCB_VALIDATE_H
#define GCB_VALIDATE_H

#include <stddef.h>
#include <stdio.h>

#include "bench/resultdir/cells.h"

/* Spearman's rank correlation of x and y (midranks for ties) and its
 * two-sided p-value: exact (every permutation of y's ranks, n <=
 * GCB_SPEARMAN_EXACT_MAX) or the normal approximation z = rho sqrt(n-1).
 * *rho NAN when n < 2 or a side is constant; *p NAN when n < 3.  Returns
 * 1 when p is exact, 0 when approximate. */
#define GCB_SPEARMAN_EXACT_MAX 9
int gcb_spearman(const double *x, const double *y, size_t n, double *rho, double *p);

/* Amdahl: a model throughput ratio r measured where memory management is
 * share s_model of the time, carried to an interpreter where it is
 * s_interp (the rest of the time unchanged): 1 / (1 - s_interp/s_model *
 * (1 - 1/r)).  NAN when a share is not in (0, 1] or the result is not
 * positive. */
double gcb_amdahl_predict(double r, double s_model, double s_interp);

/* The same law for a collector-cost ratio r (throughput of the cell that
 * collects more over the one that collects less: gc on/off, threshold
 * 700/2000), whose shares g_model and g_interp are the collector's share of
 * the time in the numerator cell itself (gc.gc_time_s / wall_s of its
 * runs): the baseline of Amdahl's law is the collecting cell, so this is
 * 1 / gcb_amdahl_predict(1/r, g_model, g_interp) = 1 - g_interp/g_model *
 * (1 - r).  NAN as gcb_amdahl_predict. */
double gcb_gc_cost_predict(double r, double g_model, double g_interp);

/* Does the set hold py: cells? */
int gcb_validate_has_py(const gcb_rset_t *rs);

/* Which share of the calibration the prediction uses: "instructions"
 * (callgrind's), "time" (perf's), or NULL: instructions when the
 * calibration has them, else time.  Holds for every later emit (the
 * report's section too).  Returns -1 for any other value. */
int gcb_validate_set_share(const char *which);

/* Write the comparison as markdown into f, headings at `level` ("#" x
 * level), and when csv != NULL one row per comparison into it.
 * `calibration`: a calibration file, or NULL for data/calibration/
 * cpython-VERSION.json of the py cells' interpreter (absent: no
 * prediction, said in the text).  Returns the number of workloads that
 * disagree, or -1 with a message. */
int gcb_validate_emit(const gcb_rset_t *rs, const char *calibration, FILE *f, int level, FILE *csv, char *err,
                      size_t errlen);

/* DIR/validate.md and DIR/validate.csv, atomically, and the markdown on
 * `echo` (may be NULL).  Returns as gcb_validate_emit. */
int gcb_validate_write(const gcb_rset_t *rs, const char *calibration, FILE *echo, char *err, size_t errlen);

/* report.md's "Model against the interpreter" section: nothing when the
 * set has no py: cells. */
void gcb_validate_report_section(FILE *f, const gcb_rset_t *rs);

#endif
