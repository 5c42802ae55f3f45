/*
 * bench/matrix/spec_cells.c - a spec expanded into its cells: allocator x
 * collector x workload x one value of each axis that applies, filtered by
 * the "only" patterns, each cell's parameters checked against the tables
 * of its components and the cell named canonically.
 *
 * Why a file of its own: the expansion is the one place that knows which
 * axis applies to which cell.  An axis KEY applies to a cell when its
 * workload, its collector, the runtime, the allocator layer or the thread
 * settings declare KEY; a workload's own axis "W:KEY" applies to W's cells
 * only and, for them, shadows an axis KEY.  An axis that applies to no
 * cell of the spec is an error, not an ignored setting.
 *
 * Invariants of the cells returned: in the nested order allocator,
 * collector, workload, then the axes' values (the first axis varying
 * fastest); each cell's (key, value) pairs sorted by key, so its name is
 * the one gcb_cell_name gives the same run; every cell passed
 * gcb_params_validate and the thread check, so the runs need not refuse
 * one later.
 */
#include "bench/matrix/spec.h"
#include "bench/cell/cell.h"
#include "bench/cell/python.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An axis "W:KEY" (W may itself hold ':', as py:intchurn) is workload W's
 * own: it applies to W's cells only and, for them, replaces an axis KEY. */
static const char *axis_bare(const char *key)
{
    const char *c = strrchr(key, ':');
    return c ? c + 1 : key;
}

/* Does axis `ax` apply to workload `wl` (unqualified, or qualified by wl)? */
static int axis_for(const gcb_spec_t *s, const gcb_axis_t *ax, const char *wl)
{
    const char *bare = axis_bare(ax->key);
    if (bare != ax->key)
        return strlen(wl) == (size_t)(bare - 1 - ax->key) && strncmp(ax->key, wl, strlen(wl)) == 0;
    for (size_t i = 0; i < s->n_axes; i++) /* shadowed by wl's own axis of the key? */
        if (&s->axes[i] != ax && strcmp(axis_bare(s->axes[i].key), bare) == 0 &&
            axis_bare(s->axes[i].key) != s->axes[i].key && axis_for(s, &s->axes[i], wl))
            return 0;
    return 1;
}

int gcb_spec_has_axis(const gcb_spec_t *s, const char *key)
{
    for (size_t i = 0; i < s->n_axes; i++)
        if (strcmp(axis_bare(s->axes[i].key), key) == 0)
            return 1;
    return 0;
}

/* Is "alloc/coll/wl" selected by the spec's cell patterns? */
static int only_match(const gcb_spec_t *s, const char *alloc, const char *coll, const char *wl)
{
    if (!s->n_only)
        return 1;
    char name[512];
    const char *eq = strchr(alloc, '=');
    snprintf(name, sizeof name, "%.*s/%s/%s", eq ? (int)(eq - alloc) : (int)strlen(alloc), alloc, coll, wl);
    for (size_t i = 0; i < s->n_only; i++)
        if (fnmatch(s->only[i], name, 0) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ expansion */

static int declares(const gcb_param_def_t *t, const char *key)
{
    for (; t && t->name; t++)
        if (strcmp(t->name, key) == 0)
            return 1;
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

static void cell_name(gcb_cell_t *c)
{
    /* the cell's (key, value) pairs sorted by key, as its name lists them */
    const char **pairs[GCB_SPEC_MAX_AXES];
    const char *kv[GCB_SPEC_MAX_AXES][2];
    for (size_t i = 0; i < c->np; i++) {
        kv[i][0] = c->keys[i];
        kv[i][1] = c->values[i];
        pairs[i] = kv[i];
    }
    qsort(pairs, c->np, sizeof pairs[0], cmp_key);
    for (size_t i = 0; i < c->np; i++) {
        c->keys[i] = pairs[i][0];
        c->values[i] = pairs[i][1];
    }
    gcb_cell_name_kv(c->alloc, c->coll, c->wl, c->keys, c->values, c->np, c->name, sizeof c->name);
}

/* Every axis must apply to some cell: an axis of a workload the spec does
 * not run, or of a key nothing chosen declares, is a typo. */
static int check_axes_apply(const gcb_spec_t *s, char *err, size_t errlen)
{
    for (size_t x = 0; x < s->n_axes; x++) {
        const char *key = axis_bare(s->axes[x].key);
        int used = 0, wl_named = 0;
        for (size_t w = 0; w < s->n_wl; w++) {
            if (!axis_for(s, &s->axes[x], s->workloads[w]) && key != s->axes[x].key)
                continue;
            wl_named = 1;
            used |= declares(gcb_cell_workload_find(s->workloads[w])->params, key);
        }
        used |= declares(gcb_threads_params, key); /* run-level: every cell */
        for (size_t c = 0; c < s->n_coll; c++)
            used |= declares(gcb_collector_find(s->collectors[c])->params, key);
        used |= declares(gcb_runtime_params, key) | declares(gcb_alloc_params, key);
        if (!wl_named) {
            snprintf(err, errlen, "parameter '%s' is for workload '%.*s', which the spec does not run",
                     s->axes[x].key, (int)(key - 1 - s->axes[x].key), s->axes[x].key);
            return -1;
        }
        if (!used) {
            snprintf(err, errlen, "parameter '%s' is accepted by none of the chosen workloads and collectors "
                     "(see gcbench list params)", s->axes[x].key);
            return -1;
        }
    }
    return 0;
}

/* The axes that apply to collector x workload, into applies[]; returns
 * how many, and the number of value combinations in *combos. */
static size_t applying_axes(const gcb_spec_t *s, const gcb_collector_t *coll, const gcb_workload_t *wl,
                            size_t *applies, size_t *combos)
{
    size_t na = 0;
    *combos = 1;
    for (size_t x = 0; x < s->n_axes; x++) {
        const char *key = axis_bare(s->axes[x].key);
        if (axis_for(s, &s->axes[x], wl->name) &&
            (declares(coll->params, key) || declares(wl->params, key) || declares(gcb_runtime_params, key) ||
             declares(gcb_alloc_params, key) || declares(gcb_threads_params, key))) {
            applies[na++] = x;
            *combos *= s->axes[x].n;
        }
    }
    return na;
}

/* Fill cell with combination k of the applying axes (the first axis
 * varying fastest), check its parameters against its components, and name
 * it.  -1 with a message. */
static int make_cell(const gcb_spec_t *s, gcb_cell_t *cell, const char *alloc, const gcb_collector_t *coll,
                     const gcb_workload_t *wl, const size_t *applies, size_t na, size_t k,
                     char *err, size_t errlen)
{
    static gcb_params_t params;
    memset(cell, 0, sizeof *cell);
    cell->alloc = alloc;
    cell->coll = coll->name;
    cell->wl = wl->name;
    size_t rest = k;
    params.n = 0;
    for (size_t i = 0; i < na; i++) {
        const gcb_axis_t *ax = &s->axes[applies[i]];
        cell->keys[cell->np] = axis_bare(ax->key);
        cell->values[cell->np] = ax->values[rest % ax->n];
        cell->np++;
        rest /= ax->n;
    }
    for (size_t i = 0; i < cell->np; i++) {
        char kv[GCB_ARG_MAX];
        snprintf(kv, sizeof kv, "%s=%s", cell->keys[i], cell->values[i]);
        if (gcb_params_add(&params, kv, err, errlen))
            return -1;
    }
    const gcb_param_def_t *tables[GCB_RUN_TABLES];
    gcb_run_tables(wl, coll, tables);
    char msg[768];
    if (gcb_params_validate(&params, tables, msg, sizeof msg) ||
        gcb_cell_threads_check(cell->alloc, coll, wl, &params, msg, sizeof msg)) {
        snprintf(err, errlen, "%s (workload %s, collector %s)", msg, wl->name, coll->name);
        return -1;
    }
    cell_name(cell);
    return 0;
}

int gcb_spec_cells(const gcb_spec_t *s, gcb_cell_t **out, size_t *nout, char *err, size_t errlen)
{
    if (check_axes_apply(s, err, errlen))
        return -1;
    size_t cap = 64, n = 0;
    gcb_cell_t *cells = malloc(cap * sizeof *cells);
    for (size_t a = 0; a < s->n_alloc; a++)
        for (size_t c = 0; c < s->n_coll; c++)
            for (size_t w = 0; w < s->n_wl; w++) {
                const gcb_collector_t *coll = gcb_collector_find(s->collectors[c]);
                const gcb_workload_t *wl = gcb_cell_workload_find(s->workloads[w]);
                if (!only_match(s, s->allocators[a], coll->name, wl->name))
                    continue;
                size_t applies[GCB_SPEC_MAX_AXES], combos;
                size_t na = applying_axes(s, coll, wl, applies, &combos);
                for (size_t k = 0; k < combos; k++, n++) {
                    if (n == cap) {
                        cap *= 2;
                        cells = realloc(cells, cap * sizeof *cells);
                    }
                    if (make_cell(s, &cells[n], s->allocators[a], coll, wl, applies, na, k, err, errlen)) {
                        free(cells);
                        return -1;
                    }
                }
            }
    *out = cells;
    *nout = n;
    return 0;
}
