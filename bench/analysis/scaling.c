/*
 * bench/analysis/scaling.c - scaling efficiency against the 1-thread cell
 * of the same configuration, and the oversubscription of a point
 * (scaling.h says what each means).
 *
 * Everything is read from the result set: the `threads` and `mode`
 * parameters of the cells, and the threads block of each cell's median
 * run (docs/results.md, "threads"); nothing names a workload or backend.
 */
#include "bench/analysis/scaling.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *param(const gcb_rcell_t *c, const char *key)
{
    return json_string_value(json_object_get(c->params, key));
}

static json_t *threads_block(const gcb_rcell_t *c)
{
    return c->median_run ? json_object_get(c->median_run, GCB_K_THREADS) : NULL;
}

long gcb_scaling_threads(const gcb_rcell_t *c)
{
    const char *s = param(c, "threads");
    if (!s)
        return 1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return end == s || *end || errno || v < 1 ? -1 : v;
}

int gcb_scaling_threaded(const gcb_rcell_t *c)
{
    return param(c, "threads") || param(c, "mode") || json_is_object(threads_block(c));
}

const char *gcb_scaling_mode(const gcb_rcell_t *c)
{
    const char *m = param(c, "mode");
    if (!m)
        m = json_string_value(json_object_get(threads_block(c), GCB_K_TH_MODE));
    return m ? m : "default";
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

size_t gcb_scaling_counts(const gcb_rset_t *rs, const char *wl, long *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *c = &rs->cells[i];
        long t = gcb_scaling_threads(c);
        if (strcmp(c->wl, wl) != 0 || !gcb_scaling_threaded(c) || t < 1)
            continue;
        size_t j = 0;
        while (j < n && out[j] != t)
            j++;
        if (j == n && n < max)
            out[n++] = t;
    }
    qsort(out, n, sizeof *out, cmp_long);
    return n;
}

/* s without the word " key=VALUE" (the whole word: "threads=1" is not
 * removed from "threads=16"). */
static void drop_word(char *s, const char *key)
{
    char pat[80];
    snprintf(pat, sizeof pat, " %s=", key);
    char *at = strstr(s, pat);
    if (!at)
        return;
    char *end = at + strlen(pat);
    end += strcspn(end, " ");
    memmove(at, end, strlen(end) + 1);
}

void gcb_scaling_line(const gcb_rcell_t *c, int drop_mode, char *out, size_t n)
{
    snprintf(out, n, "%s", c->series);
    drop_word(out, "threads");
    if (drop_mode)
        drop_word(out, "mode");
}

/* Do a and b agree on every parameter but `threads`? */
static int same_but_threads(const gcb_rcell_t *a, const gcb_rcell_t *b)
{
    const char *k;
    json_t *v;
    for (int pass = 0; pass < 2; pass++) {
        const gcb_rcell_t *x = pass ? b : a, *y = pass ? a : b;
        json_object_foreach(x->params, k, v) {
            if (strcmp(k, "threads") == 0)
                continue;
            const char *w = json_string_value(json_object_get(y->params, k));
            if (!w || !json_string_value(v) || strcmp(w, json_string_value(v)) != 0)
                return 0;
        }
    }
    return 1;
}

const gcb_rcell_t *gcb_scaling_one(const gcb_rset_t *rs, const gcb_rcell_t *c)
{
    if (gcb_scaling_threads(c) == 1)
        return c;
    for (size_t i = 0; i < rs->ncells; i++) {
        const gcb_rcell_t *o = &rs->cells[i];
        if (gcb_scaling_threads(o) == 1 && strcmp(o->wl, c->wl) == 0 && strcmp(o->alloc, c->alloc) == 0 &&
            strcmp(o->coll, c->coll) == 0 && same_but_threads(o, c))
            return o;
    }
    return NULL;
}

/* The machine's cores and the point's oversubscription, from the median
 * run's threads block (the context's cpu_count when the block is absent). */
static void oversubscription(const gcb_rcell_t *c, gcb_scaling_t *s)
{
    json_t *tb = threads_block(c), *ov = json_object_get(tb, GCB_K_TH_OVERSUB);
    s->oversubscribed = json_is_boolean(ov) ? json_is_true(ov) : -1;
    json_t *cores = json_object_get(tb, GCB_K_TH_CORES);
    if (!json_is_integer(cores) && c->median_run)
        cores = json_object_get(json_object_get(c->median_run, GCB_K_CONTEXT), GCB_K_CPU_COUNT);
    s->cores = json_is_integer(cores) ? (long)json_integer_value(cores) : -1;
    if (s->oversubscribed < 0 && s->cores > 0 && s->threads > 0)
        s->oversubscribed = s->threads > s->cores;
}

void gcb_scaling_of(const gcb_rset_t *rs, const gcb_rcell_t *c, gcb_scaling_t *out)
{
    memset(out, 0, sizeof *out);
    out->c = c;
    out->threads = gcb_scaling_threads(c);
    out->one = out->threads > 0 ? gcb_scaling_one(rs, c) : NULL;
    out->eff = out->lo = out->hi = NAN;
    oversubscription(c, out);
    if (!out->one || !c->n[GCB_M_OPS] || !out->one->n[GCB_M_OPS])
        return;
    const char *how = "";
    double lo, hi, r = gcb_rset_ratio(c, out->one, GCB_M_OPS, &lo, &hi, &how);
    double n = (double)out->threads;
    out->eff = r / n;
    out->lo = lo / n;
    out->hi = hi / n;
    out->range = how && strcmp(how, "range") == 0;
}
