/*
 * bench/matrix/spec.c - the matrix spec: which allocators, collectors, workloads
 * and parameter values, how many repetitions, which limits.  Read from a
 * spec file (docs/matrix.md), the command line, or run.json on --resume,
 * and expanded into cells.
 *
 * Names are checked against the registries here, once, so a typo is an
 * exit-2 error before anything runs; "all" enumerates the registries, so
 * a collector added on another branch joins the default matrix by itself.
 */
#include "bench/matrix/spec.h"
#include "bench/cell/cell.h"
#include "bench/cell/python.h"
#include "util/number.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The ranges of the scalar keys (every message states them). */
#define GCB_SPEC_MAX_REPS    100000
#define GCB_SPEC_MIN_TIMEOUT 0.001
#define GCB_SPEC_MAX_TIMEOUT 1e6
#define GCB_SPEC_MIN_MEM     (UINT64_C(1) << 20)
#define GCB_SPEC_MAX_MEM     (UINT64_C(1) << 50)
#define GCB_SPEC_MAX_BUDGET  1e7

/* Under AddressSanitizer the default is no memory limit: its shadow map is
 * a private writable reservation of terabytes, which RLIMIT_DATA counts, so
 * any limit would fail every run in its first instruction.  An explicit
 * --mem-limit is still honoured (and fails the same way: the user asked). */
#if defined(__SANITIZE_ADDRESS__)
#define GCB_SPEC_DEFAULT_LIMITED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GCB_SPEC_DEFAULT_LIMITED 0
#endif
#endif
#ifndef GCB_SPEC_DEFAULT_LIMITED
#define GCB_SPEC_DEFAULT_LIMITED 1
#endif

void gcb_spec_defaults(gcb_spec_t *s)
{
    memset(s, 0, sizeof *s);
    s->reps = 5;
    s->seed = 1;
    s->timeout_s = 120;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    s->mem_limit = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 4 * 3 : 0;
    if (!GCB_SPEC_DEFAULT_LIMITED)
        s->mem_limit = 0;
    s->timeline = 1;
}

size_t gcb_all_allocators(const char **out, size_t max)
{
    static char names[32][80];
    size_t n = 0, k = 0;
    for (size_t i = 0; i < gcb_process_allocator_count && n < max; i++)
        if (gcb_process_allocators[i].in_default && gcb_process_allocator_available(&gcb_process_allocators[i]))
            out[n++] = gcb_process_allocators[i].name;
    if (n < max)
        out[n++] = "pool";
    for (size_t i = 1; i < gcb_process_allocator_count && n < max && k < 32; i++)
        if (gcb_process_allocators[i].in_default && gcb_process_allocators[i].library[0]) {
            snprintf(names[k], sizeof names[k], "pool+%s", gcb_process_allocators[i].name);
            out[n++] = names[k++];
        }
    return n;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static void registry_list(char kind, char *buf, size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
    if (kind == 'a') {
        const char *all[64];
        size_t k = gcb_all_allocators(all, 64);
        for (size_t i = 0; i < k && off < n; i++)
            off += (size_t)snprintf(buf + off, n - off, " %s", all[i]);
        if (off < n)
            snprintf(buf + off, n - off, ", NAME=/path/lib.so");
    } else if (kind == 'c') {
        for (size_t i = 0; i < gcb_collector_count && off < n; i++)
            off += (size_t)snprintf(buf + off, n - off, " %s", gcb_collectors[i]->name);
    } else {
        for (size_t i = 0; i < gcb_workload_count && off < n; i++)
            off += (size_t)snprintf(buf + off, n - off, " %s", gcb_workloads[i]->name);
        if (off < n)
            snprintf(buf + off, n - off, "%s", gcb_py_names());
    }
}

/* An empty item in a comma list ("glibc,,pool", a leading or trailing
 * comma) is a typo, not a shorter list: strtok_r would skip it silently,
 * so it is refused here first. */
static int empty_item(const char *list, const char *what, char *err, size_t errlen)
{
    size_t n = strlen(list);
    int empty = n == 0 || list[0] == ',' || list[n - 1] == ',' || strstr(list, ",,") != NULL;
    for (const char *c = list; !empty && *c; c++)
        if (*c == ',') {
            const char *q = c + 1;
            while (*q == ' ' || *q == '\t')
                q++;
            empty = *q == ',' || *q == '\0';
        }
    if (empty)
        snprintf(err, errlen, "%s list '%s' has an empty item: separate names by single commas", what, list);
    return empty ? -1 : 0;
}

int gcb_spec_set_names(gcb_spec_t *s, char kind, const char *list, char *err, size_t errlen)
{
    char **dst = kind == 'a' ? s->allocators : kind == 'c' ? s->collectors : s->workloads;
    size_t *n = kind == 'a' ? &s->n_alloc : kind == 'c' ? &s->n_coll : &s->n_wl;
    const char *what = kind == 'a' ? "allocator" : kind == 'c' ? "collector" : "workload";
    if (empty_item(list, what, err, errlen))
        return -1;
    for (size_t i = 0; i < *n; i++)
        free(dst[i]);
    *n = 0;
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *name = trim(tok);
        if (!*name)
            continue;
        if (strcmp(name, "all") == 0) {
            if (kind == 'a') {
                const char *all[64];
                size_t k = gcb_all_allocators(all, 64);
                for (size_t i = 0; i < k && *n < GCB_SPEC_MAX_NAMES; i++)
                    dst[(*n)++] = strdup(all[i]);
            } else if (kind == 'c') {
                for (size_t i = 0; i < gcb_collector_count && *n < GCB_SPEC_MAX_NAMES; i++)
                    dst[(*n)++] = strdup(gcb_collectors[i]->name);
            } else {
                for (size_t i = 0; i < gcb_workload_count && *n < GCB_SPEC_MAX_NAMES; i++)
                    dst[(*n)++] = strdup(gcb_workloads[i]->name);
            }
            continue;
        }
        char canon[128];
        if (kind == 'a') {
            static gcb_alloc_choice_t ch;
            if (gcb_alloc_parse(name, &ch, err, errlen)) {
                rc = -1;
                break;
            }
            snprintf(canon, sizeof canon, "%s", name); /* keep NAME=/path as given */
            if (!strchr(name, '='))
                snprintf(canon, sizeof canon, "%s", ch.name);
        } else if ((kind == 'c' && !gcb_collector_find(name)) || (kind == 'w' && !gcb_cell_workload_find(name))) {
            char acc[1024];
            registry_list(kind, acc, sizeof acc);
            snprintf(err, errlen, "unknown %s '%s'; accepted:%s, all", what, name, acc);
            rc = -1;
            break;
        } else {
            snprintf(canon, sizeof canon, "%s", name);
        }
        int dup = 0;
        for (size_t i = 0; i < *n; i++)
            dup |= strcmp(dst[i], canon) == 0;
        if (dup) {
            snprintf(err, errlen, "%s '%s' is named twice", what, canon);
            rc = -1;
            break;
        }
        if (*n == GCB_SPEC_MAX_NAMES) {
            snprintf(err, errlen, "too many %ss (at most %d)", what, GCB_SPEC_MAX_NAMES);
            rc = -1;
            break;
        }
        dst[(*n)++] = strdup(canon);
    }
    free(copy);
    if (rc == 0 && *n == 0) {
        snprintf(err, errlen, "empty %s list", what);
        rc = -1;
    }
    if (kind == 'a') s->set_alloc = 1;
    else if (kind == 'c') s->set_coll = 1;
    else s->set_wl = 1;
    return rc;
}

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

int gcb_spec_set_only(gcb_spec_t *s, const char *list, char *err, size_t errlen)
{
    if (empty_item(list, "cell pattern", err, errlen))
        return -1;
    for (size_t i = 0; i < s->n_only; i++)
        free(s->only[i]);
    s->n_only = 0;
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
        char *pat = trim(tok);
        const char *sl = strchr(pat, '/');
        if (!sl || !strchr(sl + 1, '/') || strchr(strchr(sl + 1, '/') + 1, '/')) {
            snprintf(err, errlen, "cell pattern '%s': give ALLOCATOR/COLLECTOR/WORKLOAD, each a name or a "
                     "shell pattern (e.g. */gen/*)", pat);
            rc = -1;
        } else if (s->n_only == GCB_SPEC_MAX_NAMES) {
            snprintf(err, errlen, "too many cell patterns (at most %d)", GCB_SPEC_MAX_NAMES);
            rc = -1;
        } else {
            s->only[s->n_only++] = strdup(pat);
        }
    }
    free(copy);
    s->set_only = 1;
    return rc;
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

/* A parameter whose values are file paths (replay's trace=): a value is
 * stored as its absolute path, so the runs - and a --resume from another
 * directory - find the file, and may hold '/'; the cell is named by the
 * file's base name (no '/' in a cell name), so two values of one axis may
 * not share a base name.  Whether the file exists is the parameter's own
 * check (gcb_params_validate), made again at every --resume. */
static int path_param(const char *key) { return strcmp(key, "trace") == 0; }

static char *path_value(const char *v)
{
    if (strcmp(v, "default") == 0)
        return strdup(v);
    char *real = realpath(v, NULL);
    if (real)
        return real;
    if (v[0] == '/')
        return strdup(v);
    char cwd[4096], buf[8192];
    if (!getcwd(cwd, sizeof cwd))
        return strdup(v);
    snprintf(buf, sizeof buf, "%s/%s", cwd, v);
    return strdup(buf);
}

const char *gcb_spec_value_name(const char *key, const char *value)
{
    const char *slash = path_param(key) ? strrchr(value, '/') : NULL;
    return slash ? slash + 1 : value;
}

int gcb_spec_add_axis(gcb_spec_t *s, const char *kv, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        snprintf(err, errlen, "malformed parameter '%s': expected KEY=V1[,V2,...], e.g. -p scale=0.5,1", kv);
        return -1;
    }
    char key[64];
    size_t klen = (size_t)(eq - kv);
    if (klen >= sizeof key) {
        snprintf(err, errlen, "parameter name '%.*s' is too long", (int)klen, kv);
        return -1;
    }
    memcpy(key, kv, klen);
    key[klen] = '\0';
    char *k = trim(key);
    gcb_axis_t ax;
    memset(&ax, 0, sizeof ax);
    snprintf(ax.key, sizeof ax.key, "%s", k);
    for (const char *c = ax.key; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.' || *c == ':')) {
            snprintf(err, errlen, "parameter name '%s': use letters, digits, '_', '-', '.' (and WORKLOAD: "
                     "before it for that workload's own axis)", ax.key);
            return -1;
        }
    if (empty_item(eq + 1, "parameter", err, errlen))
        return -1;
    char *copy = strdup(eq + 1), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *v = trim(tok);
        if (!*v || (strchr(v, '/') && !path_param(ax.key)) || strchr(v, ' ')) {
            snprintf(err, errlen, "parameter '%s': value '%s' is empty or holds '/' or a space", ax.key, v);
            free(copy);
            return -1;
        }
        char *val = path_param(ax.key) ? path_value(v) : strdup(v);
        for (size_t i = 0; i < ax.n; i++)
            if (strcmp(ax.values[i], val) == 0 ||
                strcmp(gcb_spec_value_name(ax.key, ax.values[i]), gcb_spec_value_name(ax.key, val)) == 0) {
                snprintf(err, errlen, "parameter '%s': value '%s' is given twice%s", ax.key, v,
                         strcmp(ax.values[i], val) ? " (two files of one name: the cells would share a name)" : "");
                free(val);
                free(copy);
                return -1;
            }
        if (ax.n == GCB_SPEC_MAX_VALUES) {
            snprintf(err, errlen, "parameter '%s': at most %d values", ax.key, GCB_SPEC_MAX_VALUES);
            free(val);
            free(copy);
            return -1;
        }
        ax.values[ax.n++] = val;
    }
    free(copy);
    if (ax.n == 0) {
        snprintf(err, errlen, "parameter '%s' has no value: give KEY=V1[,V2,...]", ax.key);
        return -1;
    }
    for (size_t i = 0; i < s->n_axes; i++)
        if (strcmp(s->axes[i].key, ax.key) == 0) {
            for (size_t j = 0; j < s->axes[i].n; j++)
                free(s->axes[i].values[j]);
            s->axes[i] = ax;
            return 0;
        }
    if (s->n_axes == GCB_SPEC_MAX_AXES) {
        snprintf(err, errlen, "at most %d parameter axes", GCB_SPEC_MAX_AXES);
        return -1;
    }
    s->axes[s->n_axes++] = ax;
    return 0;
}

int gcb_spec_set(gcb_spec_t *s, const char *key, const char *val, char *err, size_t errlen)
{
    int64_t iv;
    double dv;
    if (strcmp(key, "reps") == 0) {
        if (gcb_opt_int("reps", val, 1, GCB_SPEC_MAX_REPS, &iv, err, errlen))
            return -1;
        s->reps = (int)iv;
        s->set_reps = 1;
    } else if (strcmp(key, "seed") == 0) {
        if (gcb_opt_int("seed", val, 0, INT64_MAX, &iv, err, errlen))
            return -1;
        s->seed = (uint64_t)iv;
        s->set_seed = 1;
    } else if (strcmp(key, "timeout") == 0) {
        if (gcb_opt_double("timeout (seconds)", val, GCB_SPEC_MIN_TIMEOUT, GCB_SPEC_MAX_TIMEOUT, &dv,
                           err, errlen))
            return -1;
        s->timeout_s = dv;
        s->set_timeout = 1;
    } else if (strcmp(key, "mem-limit") == 0) {
        uint64_t b = 0;
        if (strcmp(val, "none") != 0 &&
            gcb_opt_size("mem-limit", val, GCB_SPEC_MIN_MEM, GCB_SPEC_MAX_MEM, &b, err, errlen)) {
            size_t n = strlen(err);
            snprintf(err + n, errlen > n ? errlen - n : 0, ", or none");
            return -1;
        }
        s->mem_limit = b;
        s->set_mem = 1;
    } else if (strcmp(key, "timeline") == 0) {
        if (strcmp(val, "on") == 0 || strcmp(val, "yes") == 0 || strcmp(val, "1") == 0)
            s->timeline = 1;
        else if (strcmp(val, "off") == 0 || strcmp(val, "no") == 0 || strcmp(val, "0") == 0)
            s->timeline = 0;
        else {
            snprintf(err, errlen, "timeline '%s': give on or off", val);
            return -1;
        }
        s->set_timeline = 1;
    } else if (strcmp(key, "budget") == 0) {
        if (gcb_opt_double("budget (seconds, 0: none)", val, 0, GCB_SPEC_MAX_BUDGET, &dv, err, errlen))
            return -1;
        s->budget_s = dv;
        s->set_budget = 1;
    } else {
        snprintf(err, errlen, "unknown key '%s'; accepted: allocators, collectors, workloads, "
                 "only, param NAME, reps, seed, timeout, mem-limit, timeline, budget", key);
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
    char *line = NULL, msg[1024];
    size_t lcap = 0;
    ssize_t len;
    int lineno = 0, rc = 0;
    char seen[32][80];
    size_t nseen = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        lineno++;
        /* a NUL byte would end the line early for every string function */
        if (memchr(line, '\0', (size_t)len)) {
            snprintf(err, errlen, "%s:%d: a NUL byte in the line: a spec is text", path, lineno);
            rc = -1;
            break;
        }
        if (len >= 8192) {
            snprintf(err, errlen, "%s:%d: line too long (at most 8191 bytes)", path, lineno);
            rc = -1;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *t = trim(line);
        if (!*t)
            continue;
        char *eq = strchr(t, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected 'KEY = VALUE' (e.g. 'workloads = intchurn, cycles'), got '%s'",
                     path, lineno, t);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(t), *val = trim(eq + 1);
        if (!*val) {
            snprintf(err, errlen, "%s:%d: '%s' has no value", path, lineno, key);
            rc = -1;
            break;
        }
        int r = 0;
        if (strncmp(key, "param", 5) == 0 && isspace((unsigned char)key[5])) {
            char kv[8192];
            const char *name = trim(key + 5);
            snprintf(kv, sizeof kv, "%s=%s", name, val);
            /* one line per parameter: a second would silently replace the first */
            for (size_t i = 0; i < nseen; i++)
                if (strncmp(seen[i], "param ", 6) == 0 && strcmp(seen[i] + 6, name) == 0) {
                    snprintf(msg, sizeof msg, "'param %s' is set twice (give its values on one line, "
                             "comma-separated)", name);
                    r = -1;
                }
            if (r == 0 && nseen < 32)
                snprintf(seen[nseen++], sizeof seen[0], "param %s", name);
            if (r == 0)
                r = gcb_spec_add_axis(s, kv, msg, sizeof msg);
        } else {
            for (size_t i = 0; i < nseen; i++)
                if (strcmp(seen[i], key) == 0) {
                    snprintf(msg, sizeof msg, "'%s' is set twice", key);
                    r = -1;
                }
            if (r == 0 && nseen < 32)
                snprintf(seen[nseen++], sizeof seen[0], "%s", key);
            if (r == 0) {
                if (strcmp(key, "allocators") == 0)
                    r = gcb_spec_set_names(s, 'a', val, msg, sizeof msg);
                else if (strcmp(key, "collectors") == 0)
                    r = gcb_spec_set_names(s, 'c', val, msg, sizeof msg);
                else if (strcmp(key, "workloads") == 0)
                    r = gcb_spec_set_names(s, 'w', val, msg, sizeof msg);
                else if (strcmp(key, "only") == 0)
                    r = gcb_spec_set_only(s, val, msg, sizeof msg);
                else
                    r = gcb_spec_set(s, key, val, msg, sizeof msg);
            }
        }
        if (r) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "cannot read spec '%s': %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc;
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
    /* sort (key, value) pairs by key, then name them like gcb_cell_name */
    const char **pairs[GCB_SPEC_MAX_AXES];
    const char *kv[GCB_SPEC_MAX_AXES][2];
    for (size_t i = 0; i < c->np; i++) {
        kv[i][0] = c->keys[i];
        kv[i][1] = c->values[i];
        pairs[i] = kv[i];
    }
    qsort(pairs, c->np, sizeof pairs[0], cmp_key);
    /* a user library "NAME=/path/lib.so" is named NAME: no '/' in a name */
    const char *eq = strchr(c->alloc, '=');
    int alen = eq ? (int)(eq - c->alloc) : (int)strlen(c->alloc);
    size_t off = (size_t)snprintf(c->name, sizeof c->name, "%.*s/%s/%s", alen, c->alloc, c->coll, c->wl);
    for (size_t i = 0; i < c->np && off < sizeof c->name; i++)
        off += (size_t)snprintf(c->name + off, sizeof c->name - off, "/%s=%s", pairs[i][0],
                                gcb_spec_value_name(pairs[i][0], pairs[i][1]));
    for (size_t i = 0; i < c->np; i++) {
        c->keys[i] = pairs[i][0];
        c->values[i] = pairs[i][1];
    }
}

int gcb_spec_cells(const gcb_spec_t *s, gcb_cell_t **out, size_t *nout, char *err, size_t errlen)
{
    /* every axis must apply somewhere */
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
    size_t cap = 64, n = 0;
    gcb_cell_t *cells = malloc(cap * sizeof *cells);
    static gcb_params_t params;
    for (size_t a = 0; a < s->n_alloc; a++)
        for (size_t c = 0; c < s->n_coll; c++)
            for (size_t w = 0; w < s->n_wl; w++) {
                const gcb_collector_t *coll = gcb_collector_find(s->collectors[c]);
                const gcb_workload_t *wl = gcb_cell_workload_find(s->workloads[w]);
                size_t applies[GCB_SPEC_MAX_AXES], na = 0, combos = 1;
                if (!only_match(s, s->allocators[a], coll->name, wl->name))
                    continue;
                for (size_t x = 0; x < s->n_axes; x++) {
                    const char *key = axis_bare(s->axes[x].key);
                    if (axis_for(s, &s->axes[x], wl->name) &&
                        (declares(coll->params, key) || declares(wl->params, key) ||
                         declares(gcb_runtime_params, key) || declares(gcb_alloc_params, key) ||
                         declares(gcb_threads_params, key))) {
                        applies[na++] = x;
                        combos *= s->axes[x].n;
                    }
                }
                for (size_t k = 0; k < combos; k++) {
                    if (n == cap) {
                        cap *= 2;
                        cells = realloc(cells, cap * sizeof *cells);
                    }
                    gcb_cell_t *cell = &cells[n];
                    memset(cell, 0, sizeof *cell);
                    cell->alloc = s->allocators[a];
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
                        char kv[4200];
                        snprintf(kv, sizeof kv, "%s=%s", cell->keys[i], cell->values[i]);
                        if (gcb_params_add(&params, kv, err, errlen))
                            goto fail;
                    }
                    const gcb_param_def_t *tables[GCB_RUN_TABLES];
                    gcb_run_tables(wl, coll, tables);
                    char msg[768];
                    if (gcb_params_validate(&params, tables, msg, sizeof msg) ||
                        gcb_cell_threads_check(cell->alloc, coll, wl, &params, msg, sizeof msg)) {
                        snprintf(err, errlen, "%s (workload %s, collector %s)", msg, wl->name, coll->name);
                        goto fail;
                    }
                    cell_name(cell);
                    n++;
                }
            }
    *out = cells;
    *nout = n;
    return 0;
fail:
    free(cells);
    return -1;
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
    json_object_set_new(j, "allocators", names_json(s->allocators, s->n_alloc));
    json_object_set_new(j, "collectors", names_json(s->collectors, s->n_coll));
    json_object_set_new(j, "workloads", names_json(s->workloads, s->n_wl));
    json_t *axes = json_array();
    for (size_t i = 0; i < s->n_axes; i++) {
        json_t *ax = json_object();
        json_object_set_new(ax, "key", json_string(s->axes[i].key));
        json_object_set_new(ax, "values", names_json(s->axes[i].values, s->axes[i].n));
        json_array_append_new(axes, ax);
    }
    json_object_set_new(j, "params", axes);
    if (s->n_only)
        json_object_set_new(j, "only", names_json(s->only, s->n_only));
    json_object_set_new(j, "reps", json_integer(s->reps));
    json_object_set_new(j, "seed", json_integer((json_int_t)s->seed));
    json_object_set_new(j, "timeout_s", json_real(s->timeout_s));
    json_object_set_new(j, "mem_limit_bytes", json_integer((json_int_t)s->mem_limit));
    json_object_set_new(j, "timeline", json_boolean(s->timeline));
    json_object_set_new(j, "budget_s", json_real(s->budget_s));
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
    if (names_from(json_object_get(j, "allocators"), 'a', s, err, errlen) ||
        names_from(json_object_get(j, "collectors"), 'c', s, err, errlen) ||
        names_from(json_object_get(j, "workloads"), 'w', s, err, errlen))
        return -1;
    size_t i, k;
    json_t *ax, *v;
    json_array_foreach(json_object_get(j, "params"), i, ax) {
        char kv[8192];
        size_t off = (size_t)snprintf(kv, sizeof kv, "%s=", json_string_value(json_object_get(ax, "key")));
        json_array_foreach(json_object_get(ax, "values"), k, v)
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
    s->reps = (int)json_integer_value(json_object_get(j, "reps"));
    s->seed = (uint64_t)json_integer_value(json_object_get(j, "seed"));
    s->timeout_s = json_number_value(json_object_get(j, "timeout_s"));
    s->mem_limit = (uint64_t)json_integer_value(json_object_get(j, "mem_limit_bytes"));
    s->timeline = json_is_true(json_object_get(j, "timeline"));
    s->budget_s = json_number_value(json_object_get(j, "budget_s"));
    if (s->reps < 1 || s->timeout_s <= 0) {
        snprintf(err, errlen, "the spec in run.json is incomplete (reps, timeout_s)");
        return -1;
    }
    return 0;
}
