/*
 * util/params.h - `-p key=value` parameters.
 *
 * Each layer component (workload, collector) declares the parameters it
 * accepts in one table, one row each: name, type, default, range, meaning.
 * The runner checks every user-given key against the union of the tables of
 * the chosen components before anything runs, so a typo is an exit-2 error
 * and never a silently ignored setting.
 */
#ifndef GCB_PARAMS_H
#define GCB_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/number.h"

typedef enum { GCB_PARAM_INT, GCB_PARAM_DOUBLE, GCB_PARAM_STRING } gcb_param_type_t;

typedef struct gcb_param_def {
    const char *name;
    gcb_param_type_t type;
    const char *def;         /* default, as text */
    double min, max;         /* inclusive range for numbers */
    const char *description;
    /* GCB_PARAM_STRING only, optional: the accepted values separated by
     * '|' ("shallow|deep|both"); NULL (left out of an initializer)
     * accepts any string. */
    const char *choices;
    /* Optional: a further check of a value the user gave (a file that must
     * parse, say); 0, or -1 with a one-line message.  Runs at validation,
     * so a bad value is an exit-2 input error before anything runs. */
    int (*check)(const char *value, char *err, size_t errlen);
} gcb_param_def_t;

/* A table ends with a row whose name is NULL. */
#define GCB_PARAM_END { NULL, GCB_PARAM_INT, NULL, 0, 0, NULL }

#define GCB_PARAMS_MAX 64
typedef struct gcb_params {
    size_t n;
    struct { char key[64]; char value[4096]; } kv[GCB_PARAMS_MAX];
} gcb_params_t;

/* Add "key=value" (replacing an earlier value of the same key).
 * -1 with a message when malformed. */
int gcb_params_add(gcb_params_t *p, const char *kv, char *err, size_t errlen);

/* Check every key is declared by one of the NULL-terminated `tables` and
 * every value parses and is in range.  -1 with a one-line message naming the
 * bad key and the accepted ones. */
int gcb_params_validate(const gcb_params_t *p, const gcb_param_def_t *const *tables,
                        char *err, size_t errlen);

/* The value of `name`: the user's, else the table default.  `name` must be
 * in `table` (a programming error aborts). Call after validate. */
int64_t     gcb_param_int(const gcb_params_t *p, const gcb_param_def_t *table, const char *name);
double      gcb_param_double(const gcb_params_t *p, const gcb_param_def_t *table, const char *name);
const char *gcb_param_str(const gcb_params_t *p, const gcb_param_def_t *table, const char *name);

/* Did the user give `name`? */
int gcb_param_given(const gcb_params_t *p, const char *name);

/* The text of row `d`'s value: the user's, else the row's default. */
const char *gcb_param_text(const gcb_params_t *p, const gcb_param_def_t *d);

/* Is `v` one of the '|'-separated `choices`?  (NULL choices: any value.) */
int gcb_param_choice_ok(const char *choices, const char *v);

/* The number parsers (gcb_parse_int, gcb_parse_double) are util/number.h's. */

#endif
