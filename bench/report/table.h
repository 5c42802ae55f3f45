/*
 * bench/report/table.h - the prepared table of a result set: every cell's
 * statistics computed once, before report.md or any figure is written.
 *
 * Each figure and each table of report.md used to ask the cells model for
 * one cell's median, interval, ratio or U test at a time (and for the
 * same ones again in the next figure).  Here they are computed in one
 * pass (gcb_table_build), over bench/resultdir/cells.h, and the writers
 * only read: the grid of configurations (rows, the set's series order) by
 * workloads (columns), and the same entries by cell.  Nothing here names
 * a backend or a figure.
 */
#ifndef GCB_REPORT_TABLE_H
#define GCB_REPORT_TABLE_H

#include <stddef.h>

#include "bench/resultdir/cells.h"

#define GCB_TABLE_ALPHA 0.05         /* a cell differs from the baseline when the U test's p < this */

/* One metric of one cell. */
typedef struct gcb_tstat {
    size_t n;                        /* ok values */
    double median, lo, hi, coverage; /* the median, its order-statistic 95% CI and that CI's real coverage */
    double min, max;                 /* of the values */
    /* against the cell's baseline cell: the ratio of medians and its 95%
     * interval (Moses, or the range of the runs over the baseline's
     * median: ratio_range), NAN when either has no value */
    double ratio, rlo, rhi;
    int ratio_range;
    /* the two-sided Mann-Whitney U test against the baseline cell (ops/s
     * and peak RSS only): 1 p < GCB_TABLE_ALPHA, 0 not, -1 no value;
     * can 0 when the run counts are too small for any p to reach alpha */
    int differs, can;
    double p;
} gcb_tstat_t;

typedef struct gcb_tcell {
    const gcb_rcell_t *c;
    const gcb_rcell_t *base;         /* its baseline cell (c itself for the baseline), or NULL */
    size_t row, col;                 /* its place in the grid */
    gcb_tstat_t m[GCB_M_COUNT];
} gcb_tcell_t;

typedef struct gcb_table {
    const gcb_rset_t *rs;
    const char *baseline;            /* "ALLOCATOR/COLLECTOR" */
    size_t ncells;
    gcb_tcell_t *cell;               /* one per rs->cells[i], same order */
    size_t nrow, ncol;               /* rs->nseries x rs->nwl */
    size_t *grid;                    /* [row * ncol + col]: index into cell, or GCB_TABLE_NONE */
    size_t *row_any;                 /* per row: a cell of it (they share allocator and collector) */
    size_t *col_base;                /* per column: the workload's heading baseline cell, or GCB_TABLE_NONE */
    size_t *col_any;                 /* per column: its first cell, or GCB_TABLE_NONE */
} gcb_table_t;

#define GCB_TABLE_NONE ((size_t)-1)

/* Compute every cell's statistics.  -1 when out of memory. */
int gcb_table_build(gcb_table_t *T, const gcb_rset_t *rs, const char *baseline);
void gcb_table_free(gcb_table_t *T);

/* The entry drawn at (row, col), or NULL when that configuration did not
 * run on that workload. */
static inline const gcb_tcell_t *gcb_table_at(const gcb_table_t *T, size_t row, size_t col)
{
    size_t i = T->grid[row * T->ncol + col];
    return i == GCB_TABLE_NONE ? NULL : &T->cell[i];
}

/* The entry of a cell of T's set. */
static inline const gcb_tcell_t *gcb_table_of(const gcb_table_t *T, const gcb_rcell_t *c)
{
    return &T->cell[c - T->rs->cells];
}

/* A row's cell (any of them), a column's heading baseline cell and first cell (NULL: none). */
static inline const gcb_rcell_t *gcb_table_row_cell(const gcb_table_t *T, size_t row)
{
    return T->row_any[row] == GCB_TABLE_NONE ? NULL : T->cell[T->row_any[row]].c;
}
static inline const gcb_tcell_t *gcb_table_col_base(const gcb_table_t *T, size_t col)
{
    return T->col_base[col] == GCB_TABLE_NONE ? NULL : &T->cell[T->col_base[col]];
}
static inline const gcb_rcell_t *gcb_table_col_cell(const gcb_table_t *T, size_t col)
{
    return T->col_any[col] == GCB_TABLE_NONE ? NULL : T->cell[T->col_any[col]].c;
}

#endif
