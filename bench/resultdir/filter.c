/*
 * bench/resultdir/filter.c - the one filter language (filter.h): parsing,
 * matching a cell or a runs.jsonl line, and the message naming what a
 * directory holds when a filter matches nothing.
 */
#include "bench/resultdir/filter.h"

#include "bench/resultdir/keys.h"
#include "bench/resultdir/runs.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

static const char filter_what[] =
    "give KEY=VALUE[,KEY=VALUE...] over allocator, collector, workload or a parameter "
    "(e.g. allocator=glibc), or a cell-name pattern (e.g. 'glibc/rc/*')";

/* A pattern has '/' or a wildcard before its first '=' (a KEY never has). */
static int is_pattern(const char *t)
{
    size_t key = strcspn(t, "=");
    size_t wild = strcspn(t, "/*?[");
    return wild < key;
}

int gcb_filter_parse(const char *text, gcb_filter_t *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->text = text;
    if (!*text) {
        snprintf(err, errlen, "empty filter: %s", filter_what);
        return -1;
    }
    if (is_pattern(text)) {
        f->pattern = 1;
        return 0;
    }
    const char *t = text;
    for (;;) {
        size_t len = strcspn(t, ",");
        const char *eq = memchr(t, '=', len);
        size_t klen = eq ? (size_t)(eq - t) : 0, vlen = eq ? len - klen - 1 : 0;
        if (!eq || klen == 0 || vlen == 0 || klen >= sizeof f->key[0] || vlen >= sizeof f->val[0] ||
            f->n == GCB_FILTER_MAX_TERMS) {
            snprintf(err, errlen, "filter '%s': %s; at most %d terms", text, filter_what, GCB_FILTER_MAX_TERMS);
            return -1;
        }
        memcpy(f->key[f->n], t, klen);
        memcpy(f->val[f->n], eq + 1, vlen);
        f->n++;
        if (!t[len])
            return 0;
        t += len + 1;
    }
}

int gcb_filter_match(const gcb_filter_t *f, const char *cell, const char *alloc, const char *coll,
                     const char *wl, const json_t *params)
{
    if (f->pattern)
        return cell && fnmatch(f->text, cell, 0) == 0;
    for (size_t i = 0; i < f->n; i++) {
        const char *k = f->key[i], *have;
        if (strcmp(k, GCB_K_ALLOCATOR) == 0)
            have = alloc;
        else if (strcmp(k, GCB_K_COLLECTOR) == 0)
            have = coll;
        else if (strcmp(k, GCB_K_WORKLOAD) == 0)
            have = wl;
        else
            have = gcb_run_str(params, k, NULL);
        if (!have || strcmp(have, f->val[i]) != 0)
            return 0;
    }
    return 1;
}

int gcb_filter_match_line(const gcb_filter_t *f, const json_t *line)
{
    return gcb_filter_match(f, gcb_run_str(line, GCB_K_CELL, NULL), gcb_run_str(line, GCB_K_ALLOCATOR, NULL),
                            gcb_run_str(line, GCB_K_COLLECTOR, NULL), gcb_run_str(line, GCB_K_WORKLOAD, NULL),
                            json_object_get(line, GCB_K_PARAMS));
}

int gcb_filter_fixes(const gcb_filter_t *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->key[i], key) == 0)
            return 1;
    return 0;
}

/* Append `name` to the comma list `list` (of at most `cap` bytes) unless
 * it is there already. */
static void list_add(char *list, size_t cap, const char *name)
{
    if (!name)
        return;
    size_t nl = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += nl)
        if ((p == list || p[-1] == ',') && (p[nl] == ',' || p[nl] == '\0'))
            return;
    size_t have = strlen(list);
    if (have + nl + 2 < cap)
        snprintf(list + have, cap - have, "%s%s", have ? "," : "", name);
}

void gcb_filter_what_exists(json_t *const *lines, size_t n, char *out, size_t outlen)
{
    static const char *const coord[] = { GCB_K_ALLOCATOR, GCB_K_COLLECTOR, GCB_K_WORKLOAD };
    char have[4][256] = { { 0 } };
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++)
            list_add(have[c], sizeof have[c], gcb_run_str(lines[i], coord[c], NULL));
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(lines[i], GCB_K_PARAMS), k, v) list_add(have[3], sizeof have[3], k);
    }
    if (n == 0) {
        snprintf(out, outlen, "no runs");
        return;
    }
    snprintf(out, outlen, "allocator %s; collector %s; workload %s; parameters %s", have[0], have[1], have[2],
             have[3][0] ? have[3] : "(none)");
}

void gcb_filter_no_match(const gcb_filter_t *f, const char *where, json_t *const *lines, size_t n, char *out,
                         size_t outlen)
{
    char have[1100];
    gcb_filter_what_exists(lines, n, have, sizeof have);
    snprintf(out, outlen, "filter '%s' matches no cell of %s; it has %s", f->text, where, have);
}
