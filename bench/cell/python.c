/*
 * bench/cell/python.c - `-w py:NAME` cells: the real interpreter as the
 * cell's process (docs/python.md).
 *
 * A py: workload is a descriptor like any other (name "py:NAME", the C
 * workload's parameter table plus `python`, its ops unit), so the spec,
 * the matrix, the record, report, plot and compare need no case of their
 * own; only gcb_run_cell hands it here instead of running it in-process.
 *
 * The cell:
 *   1. maps the configuration onto what CPython lets a user choose, and
 *      refuses the rest before any work (gcb_py_validate):
 *        allocator  pool -> PYTHONMALLOC=pymalloc; glibc -> PYTHONMALLOC=malloc;
 *                   jemalloc, mimalloc, tcmalloc, NAME=/path.so (and pool+X)
 *                   -> the same plus LD_PRELOAD of X, with X's load-time
 *                   switch (a -thp variant) in the environment;
 *                   pool-huge is refused (CPython 3.15's arenas);
 *        collector  rc -> gc.disable(); gen -> gc.set_threshold(threshold0,
 *                   threshold1, threshold2) as the record's effective values
 *                   (the cpython= preset's when not given), or gc.disable()
 *                   with collect=0
 *                   (tracked, never collected: what gc.disable() is);
 *                   others, and gen's generations/threshold3/untrack_dicts
 *                   are refused;
 *        the model's runtime and allocator parameters (freelists,
 *                   instance_layout, sized_free) do not apply: they are
 *                   ignored and recorded (context.python.ignored_params),
 *                   so a matrix axis over them runs its py cells as the
 *                   interpreter is, once per value (docs/python.md);
 *   2. runs `PYTHON workloads/python/gcbtwin.py -w NAME ...` in a child
 *      (its process group is the cell's, so a matrix timeout kills it),
 *      with PYTHONHASHSEED=0 so every run hashes, and so allocates, alike;
 *      the twin checks inside the interpreter (dladdr of malloc) that the
 *      library meant to serve malloc does, and fails otherwise;
 *   3. reads the twin's JSON into the result: ops, checksum, wall/user/sys
 *      of the timed part, peak RSS and faults (the interpreter's own
 *      VmHWM and getrusage; wait4's only where the JSON lacks them, as
 *      they include the twin's recording child), every collection's pause
 *      into the same histogram as a C collector's; the runtime's exact
 *      counters do not exist in the interpreter and stay 0; the
 *      interpreter's version and build flags go into the record's
 *      context.python.
 */
#include "bench/cell/python.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "allocators/allocator.h"
#include "config.h"
#include "runtime/options.h"

/* Workloads with a twin: every one but replay (docs/workloads.md says why). */
static const char *const twin_names[] = {
    "intchurn", "cycles", "strings", "aliasing", "slicing", "copies",
    "dicts", "trees", "traversal", "lifetimes", "locals",
};
#define N_TWINS (sizeof twin_names / sizeof twin_names[0])
#define MAX_ROWS 48

typedef struct py_twin {
    gcb_workload_t wl;
    char name[64];
    gcb_param_def_t params[MAX_ROWS];
} py_twin_t;

static py_twin_t twins[N_TWINS];
static size_t n_twins;
static char names_list[512];

static int py_run_unused(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err,
                         size_t errlen)
{
    (void)p; (void)seed; (void)out;
    snprintf(err, errlen, "py: workloads run through gcb_py_run_cell");
    return -1;
}

static const gcb_param_def_t python_row = {
    "python", GCB_PARAM_STRING, "python3", 0, 0,
    "py: cells: the interpreter, a path or a name looked up on PATH"
};

static void twins_init(void)
{
    if (n_twins)
        return;
    for (size_t i = 0; i < N_TWINS; i++) {
        const gcb_workload_t *c = gcb_workload_find(twin_names[i]);
        if (!c)
            continue;
        py_twin_t *t = &twins[n_twins++];
        snprintf(t->name, sizeof t->name, "py:%s", c->name);
        size_t r = 0;
        for (const gcb_param_def_t *d = c->params; d->name && r < MAX_ROWS - 2; d++)
            t->params[r++] = *d;
        t->params[r++] = python_row;
        t->params[r] = (gcb_param_def_t)GCB_PARAM_END;
        t->wl = *c;
        t->wl.name = t->name;
        t->wl.params = t->params;
        t->wl.run = py_run_unused;
        size_t off = strlen(names_list);
        snprintf(names_list + off, sizeof names_list - off, " %s", t->name);
    }
}

const gcb_workload_t *gcb_cell_workload_find(const char *name)
{
    if (strncmp(name, "py:", 3) != 0)
        return gcb_workload_find(name);
    twins_init();
    for (size_t i = 0; i < n_twins; i++)
        if (strcmp(twins[i].name, name) == 0)
            return &twins[i].wl;
    return NULL;
}

bool gcb_py_is(const gcb_workload_t *wl) { return wl && wl->run == py_run_unused; }

const char *gcb_py_names(void)
{
    twins_init();
    return names_list;
}

/* ------------------------------------------------------------ mapping */

static bool in_table(const gcb_param_def_t *t, const char *key)
{
    for (; t && t->name; t++)
        if (strcmp(t->name, key) == 0)
            return true;
    return false;
}

/* The interpreter: a path as given, or the first `name` on PATH. */
static int find_python(const char *name, char *out, size_t n)
{
    if (strchr(name, '/')) {
        snprintf(out, n, "%s", name);
        return access(out, X_OK);
    }
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        snprintf(out, n, "%s/%s", *dir ? dir : ".", name);
        if (access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

int gcb_py_validate(const gcb_run_config_t *cfg, char *err, size_t errlen)
{
    const char *c = cfg->coll->name;
    if (strcmp(c, "rc") != 0 && strcmp(c, "gen") != 0) {
        snprintf(err, errlen, "collector '%s' has no CPython setting: py: cells take rc (gc.disable()) or gen "
                 "(gc.set_threshold)", c);
        return -1;
    }
    if (strncmp(cfg->alloc.name, "pool-huge", 9) == 0) {
        snprintf(err, errlen, "allocator '%s' has no CPython setting: py: cells take glibc, pool (pymalloc), "
                 "jemalloc, mimalloc, tcmalloc, NAME=/path.so and pool+X", cfg->alloc.name);
        return -1;
    }
    static const char *const gen_ok[] = { "threshold0", "threshold1", "threshold2", "collect", "cpython", NULL };
    for (size_t i = 0; i < cfg->params.n; i++) {
        const char *k = cfg->params.kv[i].key;
        if (in_table(cfg->wl->params, k) || in_table(gcb_runtime_params, k) || in_table(gcb_alloc_params, k))
            continue;
        bool ok = false;
        for (int g = 0; gen_ok[g] && strcmp(c, "gen") == 0; g++)
            ok |= strcmp(gen_ok[g], k) == 0;
        if (!ok) {
            snprintf(err, errlen, "parameter '%s' has no CPython setting: py: cells take the workload's, python, "
                     "and gen's threshold0..2, collect and cpython (its thresholds)", k);
            return -1;
        }
    }
    char py[4096];
    const char *name = gcb_param_str(&cfg->params, cfg->wl->params, "python");
    if (find_python(name, py, sizeof py)) {
        snprintf(err, errlen, "python=%s: no such executable%s (give -p python=PATH)", name,
                 strchr(name, '/') ? "" : " on PATH");
        return -1;
    }
    return 0;
}

/* A collector parameter's effective value (a preset such as gen's
 * cpython= sets other rows' defaults: the value the record writes). */
static long long coll_int(const gcb_run_config_t *cfg, const char *name)
{
    for (const gcb_param_def_t *d = cfg->coll->params; d->name; d++)
        if (strcmp(d->name, name) == 0) {
            const char *v = cfg->coll->param_value ? cfg->coll->param_value(&cfg->params, d) : NULL;
            return v ? strtoll(v, NULL, 0) : (long long)gcb_param_int(&cfg->params, cfg->coll->params, name);
        }
    return 0;
}

/* --gc argument of the twin for the cell's collector. */
static void gc_setting(const gcb_run_config_t *cfg, char *out, size_t n)
{
    if (strcmp(cfg->coll->name, "rc") == 0 || coll_int(cfg, "collect") == 0)
        snprintf(out, n, "off");
    else
        snprintf(out, n, "%lld,%lld,%lld", coll_int(cfg, "threshold0"), coll_int(cfg, "threshold1"),
                 coll_int(cfg, "threshold2"));
}

/* ------------------------------------------------------------ the run */

typedef struct py_argv {
    char *v[GCB_PARAMS_MAX * 2 + 24];
    char buf[GCB_PARAMS_MAX][GCB_ARG_MAX];
    char gc[96], seed[32];
    int n;
} py_argv_t;

static void build_argv(const gcb_run_config_t *cfg, const char *py, const char *twin, const char *json,
                       py_argv_t *a)
{
    static char script[4096];
    snprintf(script, sizeof script, "%s/workloads/python/gcbtwin.py", GCB_SOURCE_DIR);
    a->n = 0;
    a->v[a->n++] = (char *)py;
    a->v[a->n++] = script;
    a->v[a->n++] = "-w";
    a->v[a->n++] = (char *)twin;
    for (size_t i = 0; i < cfg->params.n; i++) {
        const char *k = cfg->params.kv[i].key;
        if (strcmp(k, "python") == 0 || !in_table(cfg->wl->params, k))
            continue;
        snprintf(a->buf[i], sizeof a->buf[i], "%s=%s", k, cfg->params.kv[i].value);
        a->v[a->n++] = "-p";
        a->v[a->n++] = a->buf[i];
    }
    snprintf(a->seed, sizeof a->seed, "%llu", (unsigned long long)cfg->seed);
    gc_setting(cfg, a->gc, sizeof a->gc);
    a->v[a->n++] = "--seed";
    a->v[a->n++] = a->seed;
    a->v[a->n++] = "--gc";
    a->v[a->n++] = a->gc;
    a->v[a->n++] = "--json";
    a->v[a->n++] = (char *)json;
    a->v[a->n++] = "--check-malloc";
    a->v[a->n++] = cfg->alloc.preload[0] ? (char *)cfg->alloc.preload : "libc.so";
    a->v[a->n] = NULL;
}

/* In the child: the allocator's environment, then exec the interpreter. */
static void exec_twin(const gcb_run_config_t *cfg, py_argv_t *a)
{
    bool pool = strncmp(cfg->alloc.name, "pool", 4) == 0;
    setenv("PYTHONMALLOC", pool ? "pymalloc" : "malloc", 1);
    setenv("PYTHONHASHSEED", "0", 1);
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    unsetenv("PYTHONSTARTUP");
    if (cfg->alloc.preload[0])
        setenv("LD_PRELOAD", cfg->alloc.preload, 1);
    else
        unsetenv("LD_PRELOAD");
    if (cfg->alloc.env[0]) {
        char kv[128];
        snprintf(kv, sizeof kv, "%s", cfg->alloc.env);
        char *eq = strchr(kv, '=');
        if (eq) {
            *eq = '\0';
            setenv(kv, eq + 1, 1);
        }
    }
    int null = open("/dev/null", O_WRONLY);   /* the twin's own summary line: gcbench prints the cell's */
    if (null >= 0)
        dup2(null, STDOUT_FILENO);
    execv(a->v[0], a->v);
    fprintf(stderr, "gcbench: cannot run %s: %s\n", a->v[0], strerror(errno));
    _exit(127);
}

static uint64_t jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

static double jreal(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : 0.0;
}

/* The twin's measurements into the result. */
static int read_twin(json_t *j, const struct rusage *ru, gcb_run_result_t *res, char *err, size_t errlen)
{
    const char *sum = json_string_value(json_object_get(j, "checksum"));
    json_t *gc = json_object_get(j, "gc");
    if (!sum || !json_is_object(gc)) {
        snprintf(err, errlen, "the twin's JSON has no checksum or gc block");
        return -1;
    }
    res->wl.ops = jint(j, "ops");
    res->wl.checksum = strtoull(sum, NULL, 16);
    res->wl.cyclic_garbage_objects = jint(j, "cyclic_garbage_objects");
    res->wall_s = jreal(j, "wall_s");
    res->user_s = jreal(j, "user_s");
    res->sys_s = jreal(j, "sys_s");
    uint64_t hwm = jint(j, "peak_rss_bytes"), maxrss = (uint64_t)ru->ru_maxrss * 1024;
    res->peak_rss_bytes = hwm ? hwm : maxrss;
    /* the interpreter's own faults (getrusage RUSAGE_SELF at its end):
     * wait4's include the children it reaped, and --rng replay's
     * recording pass is one (gcbtwin.py's record_draws_apart) */
    json_t *mf = json_object_get(j, "minor_faults");
    res->minor_faults = json_is_integer(mf) ? jint(j, "minor_faults") : (uint64_t)ru->ru_minflt;
    res->major_faults = json_is_integer(mf) ? jint(j, "major_faults") : (uint64_t)ru->ru_majflt;
    res->anon_huge_bytes = GCB_STAT_UNKNOWN;
    res->gc.collections = jint(gc, "collections");
    res->gc.freed_by_gc = jint(gc, "freed_by_gc");
    res->gc.gc_time_s = jreal(gc, "gc_time_s");
    json_t *per = json_object_get(gc, "collections_per_generation");
    res->gc.generations = (int)json_array_size(per);
    for (int g = 0; g < res->gc.generations && g < GCB_GC_MAX_GENERATIONS; g++)
        res->gc.collections_per_gen[g] = (uint64_t)json_integer_value(json_array_get(per, (size_t)g));
    gcb_hist_init(&res->gc.pauses);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(gc, "pauses_ns"), i, v)
        gcb_hist_add(&res->gc.pauses, (uint64_t)json_integer_value(v));
    json_t *py = json_object_get(j, "python");
    const char *lib = json_string_value(json_object_get(py, "malloc_library"));
    const char *pm = json_string_value(json_object_get(py, "pythonmalloc"));
    char libbuf[4096];
    snprintf(libbuf, sizeof libbuf, "%s", lib ? lib : "?");
    snprintf(res->alloc_version, sizeof res->alloc_version, "%s over %s", pm ? pm : "?", basename(libbuf));
    gcb_alloc_stats_t *as = &res->alloc_stats;   /* the interpreter's allocator is not asked */
    as->allocated = as->active = as->resident = as->mapped = as->arenas = as->arenas_freed = GCB_STAT_UNKNOWN;
    res->python = json_incref(py);
    return 0;
}

/* The model's parameters the interpreter has no switch for: recorded. */
static void record_ignored(const gcb_run_config_t *cfg, json_t *py)
{
    json_t *ig = json_object();
    for (size_t i = 0; i < cfg->params.n; i++) {
        const char *k = cfg->params.kv[i].key;
        if (!in_table(cfg->wl->params, k) && (in_table(gcb_runtime_params, k) || in_table(gcb_alloc_params, k)))
            json_object_set_new(ig, k, json_string(cfg->params.kv[i].value));
    }
    if (py && json_object_size(ig))
        json_object_set(py, "ignored_params", ig);
    json_decref(ig);
}

int gcb_py_run_cell(const gcb_run_config_t *cfg, gcb_run_result_t *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (gcb_run_validate(cfg, err, errlen) || gcb_py_validate(cfg, err, errlen))
        return -1;
    char py[4096], json[64];
    find_python(gcb_param_str(&cfg->params, cfg->wl->params, "python"), py, sizeof py);
    snprintf(json, sizeof json, "/tmp/gcbench-py-%d.json", (int)getpid());
    static py_argv_t a;
    build_argv(cfg, py, cfg->wl->name + 3, json, &a);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0)
        exec_twin(cfg, &a);
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "wait4: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        unlink(json);
        snprintf(err, errlen, "the interpreter %s (%s) %s %d", py, cfg->wl->name,
                 WIFEXITED(st) ? "exited with status" : "was killed by signal",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        return -1;
    }
    json_error_t jerr;
    json_t *j = json_load_file(json, 0, &jerr);
    unlink(json);
    if (!j) {
        snprintf(err, errlen, "the twin's JSON: %s", jerr.text);
        return -1;
    }
    int rc = read_twin(j, &ru, res, err, errlen);
    if (rc == 0)
        record_ignored(cfg, res->python);
    json_decref(j);
    return rc;
}
