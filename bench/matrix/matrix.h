/*
 * bench/matrix/matrix.h - what the files of `gcbench matrix` share
 * (internal to bench/matrix/): the matrix being run, one run's outcome,
 * the spawner's protocol, the plan's slots and the progress line.
 *
 *   matrix.c     the orchestration: spec, result directory, run.json, the end
 *   plan.c       the order of the runs, --dry-run, the schedule (warm-ups first)
 *   resume.c     --resume: run.json checked, runs.jsonl reconciled and repaired
 *   spawner.c    the small process that forks every run, and its pipe protocol
 *   supervise.c  one run under its limits (CPU, wall clock, RSS), classified
 *   runone.c     one run asked of the spawner, its runs.jsonl line
 *   loop.c       the run loop
 *   progress.c   the progress line and its ETA
 *   budget.c     --budget: calibration runs and the scale chosen
 *   default.c    the default matrix (and --full): cells, scales, reference cell
 */
#ifndef GCB_MATRIX_H
#define GCB_MATRIX_H

#include "bench/exit.h"
#include "bench/matrix/spec.h"
#include "bench/cell/cell.h"
#include "bench/cell/python.h"
#include "bench/resultdir/runs.h"
#include "bench/resultdir/files.h"
#include "bench/analysis/stats.h"
#include "bench/report/report.h"
#include "bench/cluster/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/rng.h"
#include "util/clock.h"

/* --- tunables ------------------------------------------------------------ */
#define DEFAULT_BUDGET_S 270.0      /* default matrix: 4.5 min of the 5 allowed */
#define CALIBRATION_SCALE 0.05      /* scale of the budget's calibration runs */
#define RSS_POLL_MS 20              /* how often the parent checks a run's RSS */
#define STDERR_TAIL 2000            /* bytes of a failed run's stderr kept */
static const double __attribute__((unused)) scale_ladder[] = { 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001 };

#define die_usage(...) gcb_usage_error("matrix", __VA_ARGS__)

/* SIGINT, SIGTERM, SIGHUP: the signal, else 0 (matrix.c's handler) */
extern volatile sig_atomic_t gcb__interrupted;
void gcb__on_signal(int sig);
/* the spawner's pid (spawner.c), 0 before it starts */
extern pid_t gcb__spawner_pid;
/* the spawner's pipes (spawner.c): requests, replies, and the read ends
 * of the runs' record and stderr pipes (the matrix's side, non-blocking) */
extern int gcb__spawner_req_fd, gcb__spawner_rep_fd, gcb__spawner_rec_fd, gcb__spawner_err_fd;
/* the write ends of the record and stderr pipes (the spawner's side) */
extern int gcb__child_rec_fd, gcb__child_err_fd;
/* A run writes its record on this descriptor (the record pipe), so no run
 * writes a file in the result directory (spawner.c). */
#define GCB__RECORD_FD 3
#define GCB__RECORD_PATH "/dev/fd/3"
#define GCB__RECORD_MAX (256u << 20)   /* a longer record is no record */

typedef struct run_outcome {
    int ok;
    const char *kind;          /* failure kind */
    int exit_status, signal;
    double elapsed_s;
    struct rusage ru;
    json_t *record;            /* the run's record when ok */
    char tail[STDERR_TAIL + 1];
} run_outcome_t;

/* one run of the plan: a cell and its repetition (-1: the warm-up) */
typedef struct slot { uint32_t cell; int32_t rep; } slot_t; /* rep -1: warm-up */

typedef struct matrix {
    gcb_spec_t spec;
    gcb_cell_t *cells;
    size_t ncells;
    uint64_t order_seed;
    char dir[4096];
    char exe[4096];
    char host[256];
    int tty;
    gcb_cluster_t *co;         /* --shard, --emit: bench/cluster */
    /* the session (matrix.c's phases fill these in order) */
    int budgeted;              /* the scale is chosen by --budget */
    json_t *runjson;           /* DIR/run.json as it will be written */
    slot_t *order;             /* the plan: every recorded run, in order */
    size_t nplan;
    gcb_runs_t done_runs;      /* runs.jsonl as found (resume) */
    long valid;                /* bytes of runs.jsonl made of complete lines */
    size_t nharness;           /* recorded failures that were the harness's own: run again */
    int created;               /* this session created the directory (removed if it cannot start) */
    int fd;                    /* runs.jsonl, appending */
    slot_t *todo;              /* what this session runs: warm-ups, then runs */
    size_t ntodo, nwarm;
    size_t failed_total, recorded;
    double t_start;
} matrix_t;

typedef struct spawn_req {
    double timeout_s;
    uint64_t mem_limit;
    uint32_t len;              /* bytes of strings that follow: exe, argv... */
} spawn_req_t;

typedef struct spawn_rep {
    char kind[16];             /* "" ok-so-far, or a failure kind */
    int exit_status, signal;
    double elapsed_s;
    struct rusage ru;
    char tail[STDERR_TAIL + 1]; /* the spawner's own failure (fork, wait4), else "" */
} spawn_rep_t;


typedef struct progress {
    size_t done, total, failed;
    double t0;
    double *cell_time;   /* sum of run times per cell */
    uint32_t *cell_n;
    double all_time;
    size_t all_n;
} progress_t;

/* "runone.c" */
char **gcb__run_argv(const matrix_t *m, const gcb_cell_t *c, const char *json_path, const char *scale,
                       char store[][GCB_ARG_MAX], size_t *nstore);
void gcb__run_one(const matrix_t *m, char **argv, run_outcome_t *o);
json_t *gcb__outcome_line(const matrix_t *m, const gcb_cell_t *c, int rep, size_t order, run_outcome_t *o);

/* "supervise.c" */
const char *gcb__signame(int sig);
void gcb__supervise(const spawn_req_t *rq, char *exe, char **argv, spawn_rep_t *o);

/* "spawner.c" */
int gcb__read_full(int fd, void *buf, size_t n);
int gcb__write_full(int fd, const void *buf, size_t n);
int gcb__spawner_start(void);

/* "plan.c" */
slot_t *gcb__plan_order(size_t ncells, int reps, uint64_t seed);
void gcb__shell_quote(FILE *out, const char *s);

/* "progress.c" */
void gcb__progress_show(const matrix_t *m, progress_t *pg, const slot_t *rest, size_t nrest,
                          const char *what, const run_outcome_t *o);

/* "budget.c" */
double gcb__choose_scale(matrix_t *m, json_t *info);

/* "matrix.c": errno says the disk is full (ENOSPC, EDQUOT) */
int gcb__no_space(int e);
/* Stop for a full disk: "no space left on DIR; free space and resume" (exit 1). */
void __attribute__((noreturn)) gcb__die_no_space(const matrix_t *m, const char *what);

/* "default.c": the default matrix (or --full) into the spec; its
 * "default" block (rule, scales, reference cell) into run.json. */
void gcb__default_spec(gcb_spec_t *spec, int full);
void gcb__default_runjson(const matrix_t *m, json_t *rj);

/* "resume.c" */
int gcb__cmp_cell_idx(const void *a, const void *b, void *arg);
long gcb__find_cell(const matrix_t *m, const uint32_t *by_name, const char *name);

/* The options of `gcbench matrix` (bench/cli/cmd_matrix.c); the
 * command-line settings are applied after the spec file. */
typedef struct gcb_matrix_opts {
    const char *spec_file, *out, *resume;
    int dry, order_seed_set, any_spec_opt;
    int full;                  /* --full: the default matrix's cross-product (bench/matrix/default.c) */
    uint64_t order_seed;
    const char *a_list, *c_list, *w_list;
    const char *params[GCB_SPEC_MAX_AXES * 2];
    size_t nparams;
    struct { const char *key, *val; } scalars[16];
    size_t nscalars;
    gcb_cluster_t *co;         /* --shard, --emit (bench/cluster) */
} gcb_matrix_opts_t;

/* "spawner.c": right after the options are read, before the matrix
 * allocates anything (the spawner is forked while the process is small):
 * when want_spawner (not --dry-run, not --emit), record the git commit for
 * the runs and start the spawner; exit 2 when it cannot. */
void gcb_matrix_spawner_prepare(int want_spawner);

/* "matrix.c": run the matrix the options describe (exit status). */
int gcb_matrix_run(const gcb_matrix_opts_t *o, char **full_argv);

/* "plan.c" */
void gcb__spec_from_opts(gcb_spec_t *spec, const gcb_matrix_opts_t *o);
void gcb__plan_cells(matrix_t *m, int resume);
int gcb__dry_run(const matrix_t *m, const char *base);
void gcb__schedule(matrix_t *m, const unsigned char *done);

/* "resume.c" */
void gcb__resume_load(matrix_t *m, const gcb_matrix_opts_t *o);
void gcb__resume_check_context(const matrix_t *m);
unsigned char *gcb__reconcile(matrix_t *m);
/* A recorded failure that was the harness's, not the run's (resume.c). */
int gcb__harness_failure(json_t *line);
void gcb__open_runs(matrix_t *m);

/* "loop.c" */
int gcb__run_loop(matrix_t *m);

#endif
