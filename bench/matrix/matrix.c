/*
 * bench/matrix/matrix.c - `gcbench matrix`: every cell x repetition in its own
 * process, limited, measured from outside, recorded durably, resumable.
 *
 * A run is a fork/exec of this very binary as `gcbench run ... --json TMP`
 * (which re-execs itself under LD_PRELOAD for its allocator), so a run of
 * the matrix measures exactly what a user's `gcbench run` measures, and a
 * crash, a leak or an allocator's address-space reservation stays in its
 * own process.  In the parent:
 *   - limits: RLIMIT_CPU (timeout, SIGXCPU then SIGKILL) and a wall-clock
 *     SIGKILL at the same timeout, for a run that sleeps; memory by
 *     RLIMIT_DATA, which counts the private writable mappings malloc makes
 *     but not PROT_NONE reservations (RLIMIT_AS would refuse jemalloc's and
 *     mimalloc's reserves), backed by a watch of the RSS every 20 ms;
 *   - PR_SET_PDEATHSIG: a run dies with its matrix, never orphaned;
 *   - wait4's rusage gives peak RSS and faults of the whole run.
 * Order: one unrecorded warm-up per cell, then `reps` rounds, each a fresh
 * random permutation of the cells (seeded, the seed recorded), so drift in
 * the machine spreads evenly over the cells.
 * Durability: runs.jsonl gets one complete line per run, fsynced; the line
 * is the commit point, so a matrix killed at any instant resumes without
 * losing or repeating a recorded run (docs/matrix.md, "Resume").
 */
#include "bench/matrix/matrix.h"
#include "bench/resultdir/lock.h"
#include "bench/report/format.h"
#include <sys/statvfs.h>

volatile sig_atomic_t gcb__interrupted;
void gcb__on_signal(int sig) { gcb__interrupted = sig; }

int gcb__no_space(int e) { return e == ENOSPC || e == EDQUOT; }

/* A directory this session created and cannot start in: removed, so a
 * full disk at start leaves nothing behind (the lock file is the only
 * thing in it before run.json). */
static void remove_new_dir(const matrix_t *m)
{
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/.gcbench.lock", m->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/run.json", m->dir);
    unlink(path);
    rmdir(m->dir);
}

void gcb__die_no_space(const matrix_t *m, const char *what)
{
    if (m->created) {
        remove_new_dir(m);
        fprintf(stderr, "gcbench: matrix: no space left on %s (%s); free space and run it again: nothing was run\n",
                m->dir, what);
    } else {
        fprintf(stderr, "%sgcbench: matrix: no space left on %s (%s); free space and resume: gcbench matrix "
                        "--resume %s\n", m->tty ? "\n" : "", m->dir, what, m->dir);
    }
    exit(GCB_EXIT_FAIL);
}

/* A new result directory OUT/RUN-ID (RUN-ID the local time, -2, -3 ... when
 * taken), unless resuming; then its lock.  The runs write no file in it
 * (their records come through a pipe, spawner.c). */
static void make_dir(matrix_t *m, const gcb_matrix_opts_t *o)
{
    const char *out = o->out;
    if (!o->resume) {
        if (gcb_mkdir_p(out) != 0 || !gcb_dir_writable(out)) {
            if (gcb__no_space(errno)) {
                snprintf(m->dir, sizeof m->dir, "%s", out);
                gcb__die_no_space(m, "creating the directory");
            }
            die_usage("--out '%s': cannot create or write the directory (%s)", out, strerror(errno ? errno : EACCES));
        }
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        char id[64];
        strftime(id, sizeof id, "%Y%m%d-%H%M%S", &tm);
        int fixed = gcb_shard_dir_name(m->co, id, sizeof id);
        for (int k = 1;; k++) {
            if (k == 1)
                snprintf(m->dir, sizeof m->dir, "%s/%s", out, id);
            else
                snprintf(m->dir, sizeof m->dir, "%s/%s-%d", out, id, k);
            if (mkdir(m->dir, 0755) == 0)
                break;
            if (fixed && errno == EEXIST)
                die_usage("'%s' exists: finish that shard with gcbench matrix --resume %s", m->dir, m->dir);
            if (gcb__no_space(errno)) {
                snprintf(m->dir, sizeof m->dir, "%s", out);
                gcb__die_no_space(m, "creating the result directory");
            }
            if (errno != EEXIST || k > 1000)
                die_usage("--out '%s': cannot create '%s': %s", out, m->dir, strerror(errno));
        }
        m->created = 1;
    }
    /* one matrix per directory, for its whole life (bench/resultdir/lock.h) */
    char err[2048];
    if (gcb_resultdir_lock(m->dir, err, sizeof err)) {
        if (gcb__no_space(errno))
            gcb__die_no_space(m, "creating its lock file");
        if (m->created)
            remove_new_dir(m);
        die_usage("%s", err);
    }
}

static void on_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = gcb__on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The budget's calibration, when it applies: the scale chosen becomes an
 * axis of the spec, and the cells are expanded again. */
static void apply_budget(matrix_t *m)
{
    char err[2048];
    json_t *info = json_object();
    char scale[32];
    snprintf(scale, sizeof scale, "scale=%g", gcb__choose_scale(m, info));
    json_object_set_new(m->runjson, GCB_K_BUDGET, info);
    if (gcb__interrupted)
        die_usage("interrupted during calibration; nothing recorded in %s", m->dir);
    if (gcb_spec_add_axis(&m->spec, scale, err, sizeof err) ||
        gcb_spec_cells(&m->spec, &m->cells, &m->ncells, err, sizeof err))
        die_usage("%s", err);
}

/* A new matrix's run.json, written before the first run. */
static void runjson_new(matrix_t *m, char **full_argv)
{
    json_t *rj = m->runjson = json_object();
    json_object_set_new(rj, GCB_K_FORMAT, json_integer(GCB_MATRIX_FORMAT));
    json_object_set_new(rj, GCB_K_SCHEMA, json_integer(GCB_SCHEMA_VERSION));
    const char *slash = strrchr(m->dir, '/');
    json_object_set_new(rj, GCB_K_RUN_ID, json_string(slash ? slash + 1 : m->dir));
    json_object_set_new(rj, GCB_K_CONTEXT, gcb_context_json());
    json_t *cmd = json_array();
    for (char **a = full_argv; *a; a++)
        json_array_append_new(cmd, json_string(*a));
    json_object_set_new(rj, GCB_K_COMMAND, cmd);
    json_object_set_new(rj, GCB_K_ORDER_SEED, json_integer((json_int_t)m->order_seed));
    time_t now = time(NULL);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
    json_object_set_new(rj, GCB_K_STARTED, json_string(ts));
    if (m->budgeted)
        apply_budget(m);
    gcb__default_runjson(m, rj); /* the default matrix's rule and scales (bench/matrix/default.c) */
    json_object_set_new(rj, GCB_K_SPEC, gcb_spec_json(&m->spec));
    json_object_set_new(rj, GCB_K_CELLS, json_integer((json_int_t)m->ncells));
    json_object_set_new(rj, GCB_K_RUNS_PLANNED, json_integer((json_int_t)m->nplan));
    gcb_shard_runjson(m->co, rj, m->nplan);
    char path[GCB_PATH_MAX], err[2048];
    snprintf(path, sizeof path, "%s/run.json", m->dir);
    if (gcb_write_json_atomic(path, rj, err, sizeof err)) {
        if (gcb__no_space(errno))
            gcb__die_no_space(m, "writing run.json");
        remove_new_dir(m);
        fprintf(stderr, "gcbench: matrix: %s\n", err);
        exit(GCB_EXIT_FAIL);
    }
    m->created = 0; /* started: from now on a full disk is resumed, never removed */
}

/* Is the file system of `dir` full (no block left for an unprivileged
 * writer)?  The advice after unwritten files follows the cause: "free
 * space" only when that is it (issue 10). */
static int dir_full(const char *dir)
{
    struct statvfs v;
    return statvfs(dir, &v) == 0 && v.f_bavail == 0;
}

/* The end: summary.csv and the printed table, the finished run.json, the
 * tmp/ an older gcbench left, the last line, report.md and the figures.
 * Exit 1 when some run failed or a file promised was not written. */
static int finish(matrix_t *m)
{
    char err[2048], path[GCB_PATH_MAX];
    int unwritten = 0;
    gcb_runs_t all;
    if (gcb_runs_load(m->dir, &all, NULL, err, sizeof err) == 0) {
        if (gcb_summary_write(m->dir, &all, err, sizeof err)) {
            fprintf(stderr, "gcbench: matrix: %s\n", err);
            unwritten = 1;
        }
        gcb_summary_print(stdout, &all);
        gcb_runs_free(&all);
    } else {
        fprintf(stderr, "gcbench: matrix: %s\n", err);
        unwritten = 1;
    }
    time_t now = time(NULL);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
    json_object_set_new(m->runjson, GCB_K_FINISHED, json_string(ts));
    json_object_set_new(m->runjson, GCB_K_RUNS_FAILED, json_integer((json_int_t)m->failed_total));
    json_object_set_new(m->runjson, GCB_K_LAST_SESSION, json_real(gcb_now_s() - m->t_start));
    snprintf(path, sizeof path, "%s/run.json", m->dir);
    if (gcb_write_json_atomic(path, m->runjson, err, sizeof err)) {
        fprintf(stderr, "gcbench: matrix: %s\n", err);
        unwritten = 1;
    }
    static const char *const legacy[] = { "run.json", "run.err", "calibration.json", "calibration.err" };
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        snprintf(path, sizeof path, "%s/tmp/%s", m->dir, legacy[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/tmp", m->dir);
    rmdir(path);
    char el_s[32];
    gcb_fmt_clock(el_s, sizeof el_s, gcb_now_s() - m->t_start);
    fprintf(stderr, "gcbench: matrix: %zu runs, %zu failed, in %s; results in %s\n", gcb_shard_runs(m->co, m->nplan), m->failed_total,
            el_s, m->dir);
    if (gcb_report_after_matrix(m->dir)) /* report.md and the figures (bench/report/report.c) */
        unwritten = 1;
    gcb_runs_free(&m->done_runs);
    if (unwritten)
        fprintf(stderr, "gcbench: matrix: the runs are recorded, but some files were not written (above); "
                        "%s write them with: gcbench report %s\n",
                dir_full(m->dir) ? "free space and" : "fix the cause above, then", m->dir);
    return m->failed_total || unwritten ? GCB_EXIT_FAIL : GCB_EXIT_OK;
}

int gcb_matrix_run(const gcb_matrix_opts_t *o, char **full_argv)
{
    static matrix_t m;
    m.co = o->co;
    m.order_seed = o->order_seed;
    gcb__spec_from_opts(&m.spec, o);
    if (o->resume) {
        gcb__resume_load(&m, o);
    } else if (!o->order_seed_set) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        m.order_seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
        m.order_seed &= (1ull << 53) - 1; /* exact in JSON readers that use doubles */
    }
    gcb__plan_cells(&m, o->resume != NULL);
    if (m.co->emit)
        return gcb_cluster_emit(m.co, &m.spec, m.ncells, m.order_seed, o->out, m.exe);
    if (o->dry)
        return gcb__dry_run(&m, o->resume ? m.dir : o->out);
    make_dir(&m, o);
    on_signals();
    m.t_start = gcb_now_s();
    if (!o->resume)
        runjson_new(&m, full_argv);
    else
        gcb__resume_check_context(&m);
    unsigned char *done = gcb__reconcile(&m);
    gcb__open_runs(&m);
    gcb__schedule(&m, done);
    int rc = gcb__run_loop(&m);
    if (rc >= 0)
        return rc;
    return finish(&m);
}
