/*
 * util/params.c - parsing and checking `-p key=value` against the tables
 * the chosen components declare (see params.h).
 */
#include "util/params.h"
#include "util/number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The message for a number outside its row's range or not of its form:
 * the range is always stated. */
static int bad_number(const gcb_param_def_t *d, const char *v, const char *form,
                      char *err, size_t errlen)
{
    snprintf(err, errlen, "parameter %s=%s: give %s from %.15g to %.15g", d->name, v, form,
             d->min, d->max);
    return -1;
}

static int check_value(const gcb_param_def_t *d, const char *v, char *err, size_t errlen)
{
    if (d->type == GCB_PARAM_INT) {
        int64_t x;
        if (gcb_parse_int(v, &x) || (double)x < d->min || (double)x > d->max)
            return bad_number(d, v, "a decimal integer (k, M, G: x 1000, 10^6, 10^9)", err, errlen);
    } else if (d->type == GCB_PARAM_DOUBLE) {
        double x;
        if (gcb_parse_double(v, &x) || x < d->min || x > d->max)
            return bad_number(d, v, "a decimal number", err, errlen);
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

static int user_gave(const gcb_params_t *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->kv[i].key, name) == 0)
            return 1;
    return 0;
}

/* The defaults the run will use are checked like user values: a default
 * out of its own range is a programming error caught before anything runs,
 * and a default that names a file (replay's trace) must exist, so its
 * absence is an exit-2 input error too, not a failure half-way. */
static int validate_defaults(const gcb_params_t *p, const gcb_param_def_t *const *tables,
                             char *err, size_t errlen)
{
    for (const gcb_param_def_t *const *t = tables; *t; t++)
        for (const gcb_param_def_t *d = *t; d->name; d++)
            if (!user_gave(p, d->name) && check_value(d, d->def, err, errlen))
                return -1;
    return 0;
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
    return validate_defaults(p, tables, err, errlen);
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

int gcb_param_given(const gcb_params_t *p, const char *name)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->kv[i].key, name) == 0)
            return 1;
    return 0;
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
