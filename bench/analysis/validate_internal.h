/*
 * bench/analysis/validate_internal.h - the gathered pairs validate.c hands
 * to validate_report.c; not part of the interface (that is validate.h).
 */
#ifndef GCB_VALIDATE_INTERNAL_H
#define GCB_VALIDATE_INTERNAL_H

#include <stddef.h>

#include "bench/resultdir/cells.h"

#define VMAX 64                   /* allocators, settings per workload */

typedef struct vset {
    char name[GCB_LABEL_MAX], rest[GCB_LABEL_MAX];
    int collect, t0;
    const gcb_rcell_t *m[VMAX], *py[VMAX];   /* by allocator index */
} vset_t;

typedef struct vwl {
    const char *wl;
    size_t nalloc, nset;
    const char *alloc[VMAX];
    vset_t set[VMAX];
} vwl_t;

/* "validate.c" */
/* Workload wl's model and py: cells of rs, by setting and allocator. */
void gcb__validate_gather(const gcb_rset_t *rs, const char *wl, vwl_t *w);
/* A cell's median ops/s. */
double gcb__validate_med(const gcb_rcell_t *c);
/* "pool > mimalloc > glibc" by median ops/s of the cells in `c`. */
void gcb__validate_ranking(const gcb_rcell_t *const *c, const char *const *names, size_t n, char *out, size_t len);

#endif
