/*
 * util/params.c - parsing and checking `-p key=value` against the tables
 * the chosen components declare (see params.h).
 */
#include "util/params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gcb_parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s)
        return -1;
    /* accept k/M/G suffixes (powers of 1000 for counts) */
    if (*end == 'k' || *end == 'K') { v *= 1000; end++; }
    else if (*end == 'M') { v *= 1000000; end++; }
    else if (*end == 'G') { v *= 1000000000; end++; }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int gcb_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int gcb_params_add(gcb_params_t *p, const char *kv, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        snprintf(err, errlen, "malformed parameter '%s': expected KEY=VALUE, e.g. -p scale=2", kv);
        return -1;
    }
    size_t klen = (size_t)(eq - kv);
    if (klen >= sizeof p->kv[0].key) {
        snprintf(err, errlen, "parameter name '%.*s' is too long", (int)klen, kv);
        return -1;
    }
    if (strlen(eq + 1) >= sizeof p->kv[0].value) {
        snprintf(err, errlen, "value of parameter '%.*s' is too long", (int)klen, kv);
        return -1;
    }
    if (eq[1] == '\0') {
        snprintf(err, errlen, "parameter '%.*s' has an empty value: give KEY=VALUE", (int)klen, kv);
        return -1;
    }
    size_t i;
    for (i = 0; i < p->n; i++)
        if (strlen(p->kv[i].key) == klen && memcmp(p->kv[i].key, kv, klen) == 0)
            break;
    if (i == p->n) {
        if (p->n == GCB_PARAMS_MAX) {
            snprintf(err, errlen, "too many parameters (at most %d)", GCB_PARAMS_MAX);
            return -1;
        }
        p->n++;
        memcpy(p->kv[i].key, kv, klen);
        p->kv[i].key[klen] = '\0';
    }
    strcpy(p->kv[i].value, eq + 1);
    return 0;
}

static const gcb_param_def_t *find_def(const gcb_param_def_t *table, const char *name)
{
    for (; table && table->name; table++)
        if (strcmp(table->name, name) == 0)
            return table;
    return NULL;
}

static int check_value(const gcb_param_def_t *d, const char *v, char *err, size_t errlen)
{
    if (d->type == GCB_PARAM_INT) {
        int64_t x;
        if (gcb_parse_int(v, &x)) {
            snprintf(err, errlen, "parameter %s=%s: not an integer", d->name, v);
            return -1;
        }
        if ((double)x < d->min || (double)x > d->max) {
            snprintf(err, errlen, "parameter %s=%s: out of range [%.15g, %.15g]", d->name, v, d->min, d->max);
            return -1;
        }
    } else if (d->type == GCB_PARAM_DOUBLE) {
        double x;
        if (gcb_parse_double(v, &x)) {
            snprintf(err, errlen, "parameter %s=%s: not a number", d->name, v);
            return -1;
        }
        if (x < d->min || x > d->max) {
            snprintf(err, errlen, "parameter %s=%s: out of range [%.15g, %.15g]", d->name, v, d->min, d->max);
            return -1;
        }
    } else if (d->type == GCB_PARAM_STRING && !gcb_param_choice_ok(d->choices, v)) {
        snprintf(err, errlen, "parameter %s=%s: choose one of %s", d->name, v, d->choices);
        return -1;
    }
    if (d->check && d->check(v, err, errlen))
        return -1;
    return 0;
}

int gcb_param_choice_ok(const char *choices, const char *v)
{
    if (!choices)
        return 1;
    size_t n = strlen(v);
    for (const char *c = choices;;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && memcmp(c, v, n) == 0)
            return 1;
        if (!bar)
            return 0;
        c = bar + 1;
    }
}

int gcb_params_validate(const gcb_params_t *p, const gcb_param_def_t *const *tables,
                        char *err, size_t errlen)
{
    for (size_t i = 0; i < p->n; i++) {
        const gcb_param_def_t *d = NULL;
        for (const gcb_param_def_t *const *t = tables; *t && !d; t++)
            d = find_def(*t, p->kv[i].key);
        if (!d) {
            size_t off = (size_t)snprintf(err, errlen, "unknown parameter '%s'; accepted here:", p->kv[i].key);
            int any = 0;
            for (const gcb_param_def_t *const *t = tables; *t; t++)
                for (const gcb_param_def_t *r = *t; r->name; r++)
                    if (off < errlen) {
                        off += (size_t)snprintf(err + off, errlen - off, " %s", r->name);
                        any = 1;
                    }
            if (!any && off < errlen)
                snprintf(err + off, errlen - off, " none");
            return -1;
        }
        if (check_value(d, p->kv[i].value, err, errlen))
            return -1;
    }
    return 0;
}

static const char *raw(const gcb_params_t *p, const gcb_param_def_t *table, const char *name,
                       gcb_param_type_t want)
{
    const gcb_param_def_t *d = find_def(table, name);
    if (!d || d->type != want) {
        fprintf(stderr, "gcbench: internal error: parameter '%s' not declared as read\n", name);
        abort();
    }
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->kv[i].key, name) == 0)
            return p->kv[i].value;
    return d->def;
}

const char *gcb_param_text(const gcb_params_t *p, const gcb_param_def_t *d)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->kv[i].key, d->name) == 0)
            return p->kv[i].value;
    return d->def;
}

int64_t gcb_param_int(const gcb_params_t *p, const gcb_param_def_t *table, const char *name)
{
    int64_t v = 0;
    if (gcb_parse_int(raw(p, table, name, GCB_PARAM_INT), &v))
        abort(); /* defaults are checked by tests; user values by validate */
    return v;
}

double gcb_param_double(const gcb_params_t *p, const gcb_param_def_t *table, const char *name)
{
    double v = 0;
    if (gcb_parse_double(raw(p, table, name, GCB_PARAM_DOUBLE), &v))
        abort();
    return v;
}

const char *gcb_param_str(const gcb_params_t *p, const gcb_param_def_t *table, const char *name)
{
    return raw(p, table, name, GCB_PARAM_STRING);
}
