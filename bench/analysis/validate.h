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

/* One cell of a collector-cost ratio: its time per operation (1 / its
 * median ops/s) and its collections' share of that time (gc.gc_time_s /
 * wall_s, the median of its runs; 0 when it never collects). */
typedef struct gcb_gc_cell {
    double t_op, g;
} gcb_gc_cell_t;

/* A collector-cost ratio (throughput of the cell that collects more over
 * the one that collects less: gc on/off, threshold 700/2000) carried from
 * the model's two cells to the interpreter's collecting cell.  Each cell's
 * time per operation splits into its collections (G = g t_op) and the
 * rest.  The collections scale by k = G_interp / G_model of the collecting
 * cells (the same objects collected, at the interpreter's cost per
 * object); what else differs between the model's two cells, D = (t_less -
 * G_less) - (t_more - G_more), is added as measured: the faults a leaking
 * heap takes and the locality it loses are memory-management time the
 * interpreter pays alike per operation (docs/validate.md: 7.5 us a fault
 * on both sides, the same leak), not collector time.  So
 *     predicted = (t_i - G_i + k G_less + D) / t_i
 * With D = 0 this is Amdahl's law on the collector's share; when the
 * interpreter's cells are the model's it is the model's ratio.  NAN when a
 * collecting cell has no share or time, or the prediction is not
 * positive. */
double gcb_gc_cost_predict(gcb_gc_cell_t m_more, gcb_gc_cell_t m_less, gcb_gc_cell_t i_more);

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
