/*
 * bench/matrix/spec_file.c - the spec's two stored forms: the spec file a
 * user writes (docs/matrix.md: "KEY = VALUE" lines, '#' comments) and the
 * spec block of run.json, which a --resume or a merge reads back.
 *
 * Both forms go through the setters of spec.c, so a spec read back passes
 * the same checks, and is named the same, as the spec first written; the
 * file adds only what is about lines: a line number in every message
 * ("FILE:LINE: message"), text only (no NUL byte), at most 8191 bytes a
 * line, and each key - each "param NAME" - set once, since a second line
 * would silently replace the first.
 *
 * Invariant: gcb_spec_json then gcb_spec_from_json gives back an equal
 * spec (the same names, axes, patterns and scalars), which --resume relies
 * on to rebuild the very cells of the first run.
 */
#include "bench/matrix/spec.h"
#include "bench/matrix/spec_internal.h"
#include "bench/resultdir/keys.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ spec file */

/* The keys (and "param NAME"s) a file has set so far. */
typedef struct spec_seen {
    char keys[32][80];
    size_t n;
} spec_seen_t;

/* Was `entry` set before?  If not, it is remembered (while there is room). */
static int seen_before(spec_seen_t *seen, const char *entry)
{
    for (size_t i = 0; i < seen->n; i++)
        if (strcmp(seen->keys[i], entry) == 0)
            return 1;
    if (seen->n < 32)
        snprintf(seen->keys[seen->n++], sizeof seen->keys[0], "%s", entry);
    return 0;
}

/* "param NAME = V1,V2": one axis, on one line. */
static int apply_param(gcb_spec_t *s, spec_seen_t *seen, const char *name, const char *val,
                       char *msg, size_t msglen)
{
    char kv[8192], entry[8200];
    snprintf(kv, sizeof kv, "%s=%s", name, val);
    snprintf(entry, sizeof entry, "param %s", name);
    if (seen_before(seen, entry)) {
        snprintf(msg, msglen, "'param %s' is set twice (give its values on one line, comma-separated)", name);
        return -1;
    }
    return gcb_spec_add_axis(s, kv, msg, msglen);
}

/* One "KEY = VALUE" of a spec file, through the setter of KEY. */
static int apply_key(gcb_spec_t *s, spec_seen_t *seen, char *key, const char *val, char *msg, size_t msglen)
{
    if (strncmp(key, "param", 5) == 0 && isspace((unsigned char)key[5]))
        return apply_param(s, seen, gcb__spec_trim(key + 5), val, msg, msglen);
    if (seen_before(seen, key)) {
        snprintf(msg, msglen, "'%s' is set twice", key);
        return -1;
    }
    if (strcmp(key, "allocators") == 0)
        return gcb_spec_set_names(s, 'a', val, msg, msglen);
    if (strcmp(key, "collectors") == 0)
        return gcb_spec_set_names(s, 'c', val, msg, msglen);
    if (strcmp(key, "workloads") == 0)
        return gcb_spec_set_names(s, 'w', val, msg, msglen);
    if (strcmp(key, "only") == 0)
        return gcb_spec_set_only(s, val, msg, msglen);
    return gcb_spec_set(s, key, val, msg, msglen);
}

/* Line `lineno` of spec file `path` (len bytes, as getline read it): blank,
 * a comment, or a setting.  -1 with "FILE:LINE: message" in err. */
static int read_line(gcb_spec_t *s, spec_seen_t *seen, const char *path, int lineno, char *line, size_t len,
                     char *err, size_t errlen)
{
    /* a NUL byte would end the line early for every string function */
    if (memchr(line, '\0', len)) {
        snprintf(err, errlen, "%s:%d: a NUL byte in the line: a spec is text", path, lineno);
        return -1;
    }
    if (len >= 8192) {
        snprintf(err, errlen, "%s:%d: line too long (at most 8191 bytes)", path, lineno);
        return -1;
    }
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *t = gcb__spec_trim(line);
    if (!*t)
        return 0;
    char *eq = strchr(t, '=');
    if (!eq) {
        snprintf(err, errlen, "%s:%d: expected 'KEY = VALUE' (e.g. 'workloads = intchurn, cycles'), got '%s'",
                 path, lineno, t);
        return -1;
    }
    *eq = '\0';
    char *key = gcb__spec_trim(t), *val = gcb__spec_trim(eq + 1);
    if (!*val) {
        snprintf(err, errlen, "%s:%d: '%s' has no value", path, lineno, key);
        return -1;
    }
    char msg[1024];
    if (apply_key(s, seen, key, val, msg, sizeof msg)) {
        snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
        return -1;
    }
    return 0;
}

int gcb_spec_read_file(gcb_spec_t *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read spec '%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    int lineno = 0, rc = 0;
    spec_seen_t seen = { .n = 0 };
    while (rc == 0 && (len = getline(&line, &lcap, f)) > 0)
        rc = read_line(s, &seen, path, ++lineno, line, (size_t)len, err, errlen);
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "cannot read spec '%s': %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc;
}

/* ----------------------------------------------------------------- JSON */

static json_t *names_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

json_t *gcb_spec_json(const gcb_spec_t *s)
{
    json_t *j = json_object();
    json_object_set_new(j, GCB_K_SP_ALLOCATORS, names_json(s->allocators, s->n_alloc));
    json_object_set_new(j, GCB_K_SP_COLLECTORS, names_json(s->collectors, s->n_coll));
    json_object_set_new(j, GCB_K_SP_WORKLOADS, names_json(s->workloads, s->n_wl));
    json_t *axes = json_array();
    for (size_t i = 0; i < s->n_axes; i++) {
        json_t *ax = json_object();
        json_object_set_new(ax, GCB_K_SP_KEY, json_string(s->axes[i].key));
        json_object_set_new(ax, GCB_K_SP_VALUES, names_json(s->axes[i].values, s->axes[i].n));
        json_array_append_new(axes, ax);
    }
    json_object_set_new(j, GCB_K_SP_AXES, axes);
    if (s->n_only)
        json_object_set_new(j, "only", names_json(s->only, s->n_only));
    json_object_set_new(j, GCB_K_SP_REPS, json_integer(s->reps));
    json_object_set_new(j, GCB_K_SEED, json_integer((json_int_t)s->seed));
    json_object_set_new(j, GCB_K_SP_TIMEOUT, json_real(s->timeout_s));
    json_object_set_new(j, GCB_K_SP_MEMLIMIT, json_integer((json_int_t)s->mem_limit));
    json_object_set_new(j, GCB_K_TIMELINE, json_boolean(s->timeline));
    json_object_set_new(j, GCB_K_BUDGET_S, json_real(s->budget_s));
    return j;
}

static int names_from(json_t *a, char kind, gcb_spec_t *s, char *err, size_t errlen)
{
    if (!json_is_array(a) || json_array_size(a) == 0) {
        snprintf(err, errlen, "the spec in run.json lacks its %c list", kind);
        return -1;
    }
    size_t len = 0;
    char list[8192] = "";
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return -1;
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "," : "", json_string_value(v));
    }
    return gcb_spec_set_names(s, kind, list, err, errlen);
}

int gcb_spec_from_json(gcb_spec_t *s, json_t *j, char *err, size_t errlen)
{
    gcb_spec_defaults(s);
    if (!json_is_object(j)) {
        snprintf(err, errlen, "run.json has no spec");
        return -1;
    }
    if (names_from(json_object_get(j, GCB_K_SP_ALLOCATORS), 'a', s, err, errlen) ||
        names_from(json_object_get(j, GCB_K_SP_COLLECTORS), 'c', s, err, errlen) ||
        names_from(json_object_get(j, GCB_K_SP_WORKLOADS), 'w', s, err, errlen))
        return -1;
    size_t i, k;
    json_t *ax, *v;
    json_array_foreach(json_object_get(j, GCB_K_SP_AXES), i, ax) {
        char kv[8192];
        size_t off = (size_t)snprintf(kv, sizeof kv, "%s=", json_string_value(json_object_get(ax, GCB_K_SP_KEY)));
        json_array_foreach(json_object_get(ax, GCB_K_SP_VALUES), k, v)
            off += (size_t)snprintf(kv + off, sizeof kv - off, "%s%s", k ? "," : "", json_string_value(v));
        if (gcb_spec_add_axis(s, kv, err, errlen))
            return -1;
    }
    json_t *only = json_object_get(j, "only");
    if (json_array_size(only)) {
        char list[16384];
        size_t off = 0;
        json_array_foreach(only, i, v)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? "," : "", json_string_value(v));
        if (off >= sizeof list || gcb_spec_set_only(s, list, err, errlen))
            return -1;
    }
    s->reps = (int)json_integer_value(json_object_get(j, GCB_K_SP_REPS));
    s->seed = (uint64_t)json_integer_value(json_object_get(j, GCB_K_SEED));
    s->timeout_s = json_number_value(json_object_get(j, GCB_K_SP_TIMEOUT));
    s->mem_limit = (uint64_t)json_integer_value(json_object_get(j, GCB_K_SP_MEMLIMIT));
    s->timeline = json_is_true(json_object_get(j, GCB_K_TIMELINE));
    s->budget_s = json_number_value(json_object_get(j, GCB_K_BUDGET_S));
    if (s->reps < 1 || s->timeout_s <= 0) {
        snprintf(err, errlen, "the spec in run.json is incomplete (reps, timeout_s)");
        return -1;
    }
    return 0;
}
