/*
 * bench/report/table.c - the prepared table: every cell's statistics in
 * one pass over the cells model (table.h says why).
 */
#include "bench/report/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/stats.h"

static size_t index_of(const gcb_rset_t *rs, const gcb_rcell_t *c, size_t *col)
{
    *col = GCB_TABLE_NONE;
    for (size_t w = 0; w < rs->nwl && *col == GCB_TABLE_NONE; w++)
        if (strcmp(rs->wl[w], c->wl) == 0)
            *col = w;
    for (size_t s = 0; s < rs->nseries; s++)
        if (strcmp(rs->series[s], c->series) == 0)
            return s;
    return GCB_TABLE_NONE;
}

/* One metric: the median and its CI, the extremes, the ratio to the
 * baseline cell and (ops/s, peak RSS) the U test. */
static void stat_of(gcb_tstat_t *t, const gcb_rcell_t *c, const gcb_rcell_t *base, gcb_metric_t m)
{
    memset(t, 0, sizeof *t);
    t->n = c->n[m];
    t->median = t->lo = t->hi = t->coverage = t->min = t->max = NAN;
    t->ratio = t->rlo = t->rhi = t->p = NAN;
    t->differs = -1;
    if (t->n) {
        t->median = gcb_rset_median(c, m, &t->lo, &t->hi, &t->coverage);
        t->min = t->max = c->v[m][0];
        for (size_t k = 1; k < t->n; k++) {
            t->min = fmin(t->min, c->v[m][k]);
            t->max = fmax(t->max, c->v[m][k]);
        }
    }
    const char *how = "none";
    t->ratio = gcb_rset_ratio(c, base, m, &t->rlo, &t->rhi, &how);
    t->ratio_range = strcmp(how, "range") == 0;
    if ((m == GCB_M_OPS || m == GCB_M_RSS) && base)
        t->differs = gcb_rset_differs(c, base, m, GCB_TABLE_ALPHA, &t->p, &t->can);
}

/* Where each cell is drawn, and each row's and column's cells of note. */
static void place(gcb_table_t *T)
{
    const gcb_rset_t *rs = T->rs;
    for (size_t k = 0; k < T->nrow * T->ncol; k++)
        T->grid[k] = GCB_TABLE_NONE;
    for (size_t r = 0; r < T->nrow; r++)
        T->row_any[r] = GCB_TABLE_NONE;
    for (size_t w = 0; w < T->ncol; w++)
        T->col_base[w] = T->col_any[w] = GCB_TABLE_NONE;
    for (size_t i = 0; i < T->ncells; i++) {
        gcb_tcell_t *t = &T->cell[i];
        if (t->row == GCB_TABLE_NONE || t->col == GCB_TABLE_NONE)
            continue;
        size_t *g = &T->grid[t->row * T->ncol + t->col];
        *g = *g == GCB_TABLE_NONE ? i : *g; /* the first of a (configuration, workload) */
        T->row_any[t->row] = T->row_any[t->row] == GCB_TABLE_NONE ? i : T->row_any[t->row];
        T->col_any[t->col] = T->col_any[t->col] == GCB_TABLE_NONE ? i : T->col_any[t->col];
        if (T->col_base[t->col] == GCB_TABLE_NONE && t->base && strcmp(rs->cells[i].base, T->baseline) == 0)
            T->col_base[t->col] = (size_t)(t->base - rs->cells);
    }
}

int gcb_table_build(gcb_table_t *T, const gcb_rset_t *rs, const char *baseline)
{
    memset(T, 0, sizeof *T);
    T->rs = rs;
    T->baseline = baseline;
    T->ncells = rs->ncells;
    T->nrow = rs->nseries;
    T->ncol = rs->nwl;
    T->cell = calloc(T->ncells + 1, sizeof *T->cell);
    T->grid = malloc((T->nrow * T->ncol + 1) * sizeof *T->grid);
    T->row_any = malloc((T->nrow + 1) * sizeof *T->row_any);
    T->col_base = malloc((T->ncol + 1) * sizeof *T->col_base);
    T->col_any = malloc((T->ncol + 1) * sizeof *T->col_any);
    if (!T->cell || !T->grid || !T->row_any || !T->col_base || !T->col_any) {
        gcb_table_free(T);
        return -1;
    }
    for (size_t i = 0; i < T->ncells; i++) {
        gcb_tcell_t *t = &T->cell[i];
        t->c = &rs->cells[i];
        t->base = gcb_rset_base_cell(rs, t->c, baseline);
        t->row = index_of(rs, t->c, &t->col);
        for (int m = 0; m < GCB_M_COUNT; m++)
            stat_of(&t->m[m], t->c, t->base, (gcb_metric_t)m);
    }
    place(T);
    return 0;
}

void gcb_table_free(gcb_table_t *T)
{
    free(T->cell);
    free(T->grid);
    free(T->row_any);
    free(T->col_base);
    free(T->col_any);
    memset(T, 0, sizeof *T);
}
