/*
 * bench/cell/name.c - the one cell namer.
 *
 * A cell's name is "allocator/collector/workload[/key=value...]": what
 * results, filters, comparisons, resume and GCBENCH_FAULT match on, so the
 * matrix (which names the cells it plans) and the run (which names itself
 * for fault injection) must spell it alike.  The rules:
 *   - a user library "NAME=/path/lib.so" is named NAME (no '/' in a name's
 *     first component);
 *   - parameters sorted by key (byte order), so a name does not depend on
 *     the order of the -p options;
 *   - a path parameter (trace) is named by its file's base name: the
 *     matrix refuses two files of one base name on one axis.
 */
#include "bench/cell/cell.h"

#include <stdio.h>
#include <string.h>

int gcb_cell_path_param(const char *key) { return strcmp(key, "trace") == 0; }

const char *gcb_cell_value_name(const char *key, const char *value)
{
    const char *slash = gcb_cell_path_param(key) ? strrchr(value, '/') : NULL;
    return slash ? slash + 1 : value;
}

void gcb_cell_name_kv(const char *alloc, const char *coll, const char *wl, const char *const *keys,
                      const char *const *values, size_t np, char *buf, size_t n)
{
    const char *eq = strchr(alloc, '=');
    int alen = eq ? (int)(eq - alloc) : (int)strlen(alloc);
    size_t off = (size_t)snprintf(buf, n, "%.*s/%s/%s", alen, alloc, coll, wl);
    /* parameters in key order: selection sort over the few there are */
    const char *last = NULL;
    for (size_t k = 0; k < np && off < n; k++) {
        size_t best = np;
        for (size_t i = 0; i < np; i++)
            if ((!last || strcmp(keys[i], last) > 0) && (best == np || strcmp(keys[i], keys[best]) < 0))
                best = i;
        if (best == np)
            break;
        off += (size_t)snprintf(buf + off, n - off, "/%s=%s", keys[best], gcb_cell_value_name(keys[best], values[best]));
        last = keys[best];
    }
}

void gcb_cell_name(const char *alloc, const char *coll, const char *wl, const gcb_params_t *p, char *buf, size_t n)
{
    const char *keys[GCB_PARAMS_MAX], *values[GCB_PARAMS_MAX];
    for (size_t i = 0; i < p->n; i++) {
        keys[i] = p->kv[i].key;
        values[i] = p->kv[i].value;
    }
    gcb_cell_name_kv(alloc, coll, wl, keys, values, p->n, buf, n);
}
