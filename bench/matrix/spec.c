/*
 * bench/matrix/spec.c - the matrix spec as a model: which allocators,
 * collectors, workloads and parameter values, how many repetitions, which
 * limits, and the checks each setter makes.  The spec file, run.json and
 * the command line all set a spec through these setters (spec_file.c,
 * bench/cli/cmd_matrix.c), so every source gets the same checks and the
 * same messages; spec_cells.c expands a spec into cells.
 *
 * Names are checked against the registries here, once, so a typo is an
 * exit-2 error before anything runs; "all" enumerates the registries, so
 * a collector added on another branch joins the default matrix by itself.
 *
 * Invariants a setter keeps when it returns 0: every name is registered
 * (or a NAME=/path allocator library) and named once; an axis has 1 to
 * GCB_SPEC_MAX_VALUES distinct values, none empty, none with a space or,
 * but for a path parameter, a '/'; a path parameter's value is absolute
 * (or "default"); axes have distinct keys; every scalar is inside its
 * range below.
 */
#include "bench/matrix/spec.h"
#include "bench/matrix/spec_internal.h"
#include "bench/cell/cell.h"
#include "bench/cell/python.h"
#include "util/number.h"

#include <ctype.h>
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

char *gcb__spec_trim(char *s)
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
        char *name = gcb__spec_trim(tok);
        if (!*name)
            continue;
        if (strcmp(name, "all") == 0) {
            if (kind == 'a') {
                const char *all[64];
                size_t k = gcb_all_allocators(all, 64);
                for (size_t i = 0; i < k && *n < GCB_SPEC_MAX_NAMES; i++)
                    dst[(*n)++] = strdup(all[i]);
            } else if (kind == 'c') {
                /* the collectors of one-thread runs: ftgc (mode=ft only) is named */
                for (size_t i = 0; i < gcb_collector_count && *n < GCB_SPEC_MAX_NAMES; i++)
                    if (gcb_collectors[i]->policy.threads & GCB_THREADS_ONE)
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
        char *pat = gcb__spec_trim(tok);
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

/* A parameter whose values are file paths (replay's trace=): a value is
 * stored as its absolute path, so the runs - and a --resume from another
 * directory - find the file, and may hold '/'; the cell is named by the
 * file's base name (no '/' in a cell name), so two values of one axis may
 * not share a base name.  Whether the file exists is the parameter's own
 * check (gcb_params_validate), made again at every --resume. */
static int path_param(const char *key) { return gcb_cell_path_param(key); }

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
    char *k = gcb__spec_trim(key);
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
        char *v = gcb__spec_trim(tok);
        if (!*v || (strchr(v, '/') && !path_param(ax.key)) || strchr(v, ' ')) {
            snprintf(err, errlen, "parameter '%s': value '%s' is empty or holds '/' or a space", ax.key, v);
            free(copy);
            return -1;
        }
        char *val = path_param(ax.key) ? path_value(v) : strdup(v);
        for (size_t i = 0; i < ax.n; i++)
            if (strcmp(ax.values[i], val) == 0 ||
                strcmp(gcb_cell_value_name(ax.key, ax.values[i]), gcb_cell_value_name(ax.key, val)) == 0) {
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
