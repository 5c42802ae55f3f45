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
#include "bench/cli/cli.h"
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
#include <getopt.h>
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

#include "bench/resultdir/lock.h"
#include "util/outpath.h"
#include "util/rng.h"
#include "util/clock.h"

/* --- tunables ------------------------------------------------------------ */
#define DEFAULT_BUDGET_S 270.0      /* default matrix: 4.5 min of the 5 allowed */
#define CALIBRATION_SCALE 0.05      /* scale of the budget's calibration runs */
#define RSS_POLL_MS 20              /* how often the parent checks a run's RSS */
#define STDERR_TAIL 2000            /* bytes of a failed run's stderr kept */
static const double scale_ladder[] = { 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001 };

static const char matrix_help[] =
    "usage: gcbench matrix [--spec FILE] [-a LIST] [-c LIST] [-w LIST] [-p KEY=V1,V2,...]...\n"
    "                      [--reps N] [--out DIR] [--resume DIR] [--timeout SECONDS]\n"
    "                      [--mem-limit SIZE] [--dry-run] [--no-timeline] [--budget SECONDS]\n"
    "                      [--seed N] [--order-seed N]\n"
    "                      [--shard K/N [--shard-by cell|rep]] [--emit slurm|parallel [--shards N]]\n"
    "\n"
    "Run every allocator x collector x workload x parameter value, each repetition in its\n"
    "own process, and keep the results in OUT/RUN-ID/ (run.json, runs.jsonl, summary.csv).\n"
    "With no arguments: the default matrix (every allocator found x every collector x every\n"
    "workload, 5 repetitions), its scale chosen to fit --budget (270 s).  docs/matrix.md\n"
    "documents the spec format, the files and resume.\n"
    "\n"
    "  --spec FILE         read the axes and settings from FILE (options below override it)\n"
    "  -a, --allocators L  comma list of allocators, or all (see gcbench list allocators)\n"
    "  -c, --collectors L  comma list of collectors, or all\n"
    "  -w, --workloads L   comma list of workloads, or all\n"
    "  -p, --param K=V,..  a parameter; several values make a sweep axis; repeatable\n"
    "      --reps N        recorded repetitions per cell (default 5), after 1 warm-up\n"
    "      --out DIR       where the result directory is created (default results)\n"
    "      --resume DIR    finish the interrupted matrix in DIR (a result directory)\n"
    "      --timeout S     per run: CPU and wall-clock limit in seconds (default 120)\n"
    "      --mem-limit SZ  per run: data-segment limit and RSS watch, e.g. 2G, or none\n"
    "                      (default 3/4 of physical memory)\n"
    "      --dry-run       print one shell command per recorded run and exit\n"
    "      --no-timeline   runs do not sample their live-bytes/RSS timeline\n"
    "      --budget S      when no scale is given: pick the largest scale (<= 1) whose\n"
    "                      estimated total time fits S seconds (0: workloads' default)\n"
    "      --seed N        the workloads' random seed (default 1)\n"
    "      --order-seed N  seed of the run order (default: from the clock; recorded)\n"
    "      --shard K/N     run only shard K (from 0) of N of the plan, into OUT/shard-K-of-N\n"
    "                      (needs --order-seed; no budget); docs/cluster.md\n"
    "      --shard-by B    cell (default: a cell's runs on one machine) or rep (every\n"
    "                      machine runs every cell, for some of the repetitions)\n"
    "      --emit ENGINE   write a Slurm array script (slurm) or a GNU parallel command\n"
    "                      file (parallel) running the shards, and merge.sh, into OUT\n"
    "      --shards N      shards for --emit (default 4)\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 every run ok, 1 some runs failed (recorded), 2 bad input, 130 interrupted.\n";

#define die_usage(...) gcb_usage_error("matrix", __VA_ARGS__)


static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

/* ------------------------------------------------------------- one run */

typedef struct run_outcome {
    int ok;
    const char *kind;          /* failure kind */
    int exit_status, signal;
    double elapsed_s;
    struct rusage ru;
    json_t *record;            /* the run's record when ok */
    char tail[STDERR_TAIL + 1];
} run_outcome_t;

typedef struct matrix {
    gcb_spec_t spec;
    gcb_cell_t *cells;
    size_t ncells;
    uint64_t order_seed;
    char dir[4096];
    char exe[4096];
    char host[256];
    int tty;
} matrix_t;

/* argv of `gcbench run` for a cell; strings live in `store`. */
static char **run_argv(const matrix_t *m, const gcb_cell_t *c, const char *json_path, const char *scale,
                       char store[][4200], size_t *nstore)
{
    static char *argv[64];
    size_t n = 0;
    *nstore = 0;
#define ARG(s) (argv[n++] = (char *)(s))
#define STORE(...) (snprintf(store[*nstore], 4200, __VA_ARGS__), store[(*nstore)++])
    ARG("gcbench");
    ARG("run");
    ARG("-a");
    ARG(c->alloc);
    ARG("-c");
    ARG(c->coll);
    ARG("-w");
    ARG(c->wl);
    int scale_given = 0;
    for (size_t i = 0; i < c->np; i++) {
        ARG("-p");
        ARG(STORE("%s=%s", c->keys[i], c->values[i]));
        scale_given |= strcmp(c->keys[i], "scale") == 0;
    }
    if (scale && !scale_given) {
        ARG("-p");
        ARG(STORE("scale=%s", scale));
    }
    ARG("--seed");
    ARG(STORE("%llu", (unsigned long long)m->spec.seed));
    if (json_path) {
        ARG("--json");
        ARG(json_path);
    }
    if (!m->spec.timeline)
        ARG("--no-timeline");
    argv[n] = NULL;
#undef ARG
#undef STORE
    return argv;
}

static uint64_t child_rss(pid_t pid)
{
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long long size, res;
    if (sscanf(buf, "%llu %llu", &size, &res) != 2)
        return 0;
    return (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void read_tail(const char *path, char *out, size_t n)
{
    out[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    off_t size = lseek(fd, 0, SEEK_END);
    off_t start = size > (off_t)(n - 1) ? size - (off_t)(n - 1) : 0;
    ssize_t r = pread(fd, out, n - 1, start);
    close(fd);
    out[r > 0 ? r : 0] = '\0';
    if (start > 0) { /* begin at a line start */
        char *nl = strchr(out, '\n');
        if (nl)
            memmove(out, nl + 1, strlen(nl + 1) + 1);
    }
}

static const char *signame(int sig)
{
    static char buf[32];
    const char *abbrev = sigabbrev_np(sig);
    snprintf(buf, sizeof buf, "SIG%s", abbrev ? abbrev : "?");
    return buf;
}

/* --- the spawner ------------------------------------------------------- *
 * A run's peak RSS, as wait4 reports it, can never be below the RSS of
 * the process that forked it (the kernel keeps the high-water mark of the
 * pre-exec image).  So runs are not forked by the matrix process, whose
 * RSS grows with what it holds, but by a spawner forked first thing, while
 * the process is as small as a starting `gcbench run`.  The matrix sends
 * it one request per run through a pipe and gets the outcome back. */

typedef struct spawn_req {
    double timeout_s;
    uint64_t mem_limit;
    uint32_t len;              /* bytes of strings that follow: exe, json, err, argv..., "" */
} spawn_req_t;

typedef struct spawn_rep {
    char kind[16];             /* "" ok-so-far, or a failure kind */
    int exit_status, signal;
    double elapsed_s;
    struct rusage ru;
    char tail[STDERR_TAIL + 1];
} spawn_rep_t;

static int spawner_req_fd = -1, spawner_rep_fd = -1;
static pid_t spawner_pid;

static int read_full(int fd, void *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = read(fd, (char *)buf + off, n - off);
        if (r < 0 && errno == EINTR) {
            if (interrupted && spawner_pid > 0)
                kill(spawner_pid, SIGINT);
            continue;
        }
        if (r <= 0)
            return -1;
        off += (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, (const char *)buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* In the spawner: run one process and watch it. */
static void supervise(const spawn_req_t *rq, char *exe, char **argv, const char *err_path, spawn_rep_t *o)
{
    memset(o, 0, sizeof *o);
    o->exit_status = -1;
    pid_t parent = getpid();
    double t0 = gcb_now_s();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(o->kind, sizeof o->kind, "spawn");
        snprintf(o->tail, sizeof o->tail, "fork: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        struct rlimit rl;
        rl.rlim_cur = (rlim_t)ceil(rq->timeout_s);
        rl.rlim_max = rl.rlim_cur + 2;
        setrlimit(RLIMIT_CPU, &rl);
        if (rq->mem_limit) {
            rl.rlim_cur = rl.rlim_max = (rlim_t)rq->mem_limit;
            setrlimit(RLIMIT_DATA, &rl);
        }
        rl.rlim_cur = rl.rlim_max = 0;
        setrlimit(RLIMIT_CORE, &rl);
        int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(exe, argv);
        fprintf(stderr, "exec %s: %s\n", exe, strerror(errno));
        _exit(127);
    }
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    const char *killed = NULL;
    int status = 0;
    for (;;) {
        pid_t w = wait4(pid, &status, WNOHANG, &o->ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            snprintf(o->kind, sizeof o->kind, "spawn");
            snprintf(o->tail, sizeof o->tail, "wait4: %s", strerror(errno));
            if (pidfd >= 0)
                close(pidfd);
            return;
        }
        double t = gcb_now_s();
        if (!killed) {
            if (interrupted)
                killed = "interrupted";
            else if (t - t0 > rq->timeout_s)
                killed = "timeout";
            else if (rq->mem_limit && child_rss(pid) > rq->mem_limit)
                killed = "memory";
            if (killed) {
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
            }
        }
        if (pidfd >= 0) {
            struct pollfd p = { .fd = pidfd, .events = POLLIN };
            poll(&p, 1, RSS_POLL_MS);
        } else {
            struct timespec ts = { 0, 2 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    kill(-pid, SIGKILL); /* anything the run left in its group */
    o->elapsed_s = gcb_now_s() - t0;
    double cpu = (double)o->ru.ru_utime.tv_sec + (double)o->ru.ru_utime.tv_usec * 1e-6 +
                 (double)o->ru.ru_stime.tv_sec + (double)o->ru.ru_stime.tv_usec * 1e-6;
    if (WIFSIGNALED(status)) {
        o->signal = WTERMSIG(status);
        if (killed)
            snprintf(o->kind, sizeof o->kind, "%s", killed);
        else if (o->signal == SIGXCPU || (o->signal == SIGKILL && cpu >= rq->timeout_s))
            snprintf(o->kind, sizeof o->kind, "timeout");
        else
            snprintf(o->kind, sizeof o->kind, "crash");
    } else {
        o->exit_status = WEXITSTATUS(status);
        if (killed)
            snprintf(o->kind, sizeof o->kind, "%s", killed);
        else if (o->exit_status == GCB_EXIT_OOM)
            snprintf(o->kind, sizeof o->kind, "oom");
        else if (o->exit_status != 0)
            snprintf(o->kind, sizeof o->kind, "exit");
    }
    if (o->kind[0])
        read_tail(err_path, o->tail, sizeof o->tail);
}

static void spawner_main(int req_fd, int rep_fd)
{
    static char buf[256 * 1024];
    for (;;) {
        spawn_req_t rq;
        if (read_full(req_fd, &rq, sizeof rq) || rq.len > sizeof buf || read_full(req_fd, buf, rq.len))
            _exit(0); /* the matrix is gone or done */
        char *strs[80];
        size_t n = 0;
        for (char *p = buf; p < buf + rq.len && n < 79; p += strlen(p) + 1)
            strs[n++] = p;
        strs[n] = NULL;
        /* exe, json (unused here), err, then argv */
        static spawn_rep_t o;
        supervise(&rq, strs[0], strs + 3, strs[2], &o);
        interrupted = 0;
        if (write_full(rep_fd, &o, sizeof o))
            _exit(0);
    }
}

/* Fork the spawner now, while this process is small.  0 or -1. */
static int spawner_start(void)
{
    int req[2], rep[2];
    if (pipe2(req, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
        return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        close(req[1]);
        close(rep[0]);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        spawner_main(req[0], rep[1]);
        _exit(0);
    }
    close(req[0]);
    close(rep[1]);
    spawner_req_fd = req[1];
    spawner_rep_fd = rep[0];
    spawner_pid = pid;
    return 0;
}

/* Run one process: `argv` of gcbench run; record in json_path. */
static void run_one(const matrix_t *m, char **argv, const char *json_path, const char *err_path,
                    run_outcome_t *o)
{
    memset(o, 0, sizeof *o);
    o->exit_status = -1;
    unlink(json_path);
    static char buf[256 * 1024];
    size_t len = 0;
    const char *head[] = { m->exe, json_path, err_path };
    for (int i = 0; i < 3; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", head[i]) + 1;
    for (char **a = argv; *a && len < sizeof buf; a++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", *a) + 1;
    spawn_req_t rq = { m->spec.timeout_s, m->spec.mem_limit, (uint32_t)len };
    static spawn_rep_t rep;
    if (spawner_pid <= 0 || write_full(spawner_req_fd, &rq, sizeof rq) || write_full(spawner_req_fd, buf, len) ||
        read_full(spawner_rep_fd, &rep, sizeof rep)) {
        /* not the run's fault: stop, the matrix can be resumed */
        fprintf(stderr, "\ngcbench: matrix: the spawner process is gone (%s); finish with: gcbench matrix --resume %s\n",
                strerror(errno), m->dir);
        exit(GCB_EXIT_FAIL);
    }
    static char kind[16];
    snprintf(kind, sizeof kind, "%s", rep.kind);
    o->exit_status = rep.exit_status;
    o->signal = rep.signal;
    o->elapsed_s = rep.elapsed_s;
    o->ru = rep.ru;
    memcpy(o->tail, rep.tail, sizeof o->tail);
    if (kind[0]) {
        o->kind = kind;
        return;
    }
    json_error_t jerr;
    o->record = json_load_file(json_path, 0, &jerr);
    unlink(json_path);
    if (!o->record || !json_is_object(o->record)) {
        json_decref(o->record);
        o->record = NULL;
        o->kind = "no-record";
        read_tail(err_path, o->tail, sizeof o->tail);
        return;
    }
    o->ok = 1;
    unlink(err_path);
}

static json_t *outcome_line(const matrix_t *m, const gcb_cell_t *c, int rep, size_t order, run_outcome_t *o)
{
    json_t *line = o->record ? o->record : json_object();
    o->record = NULL;
    if (!o->ok) {
        json_object_set_new(line, "schema_version", json_integer(GCB_SCHEMA_VERSION));
        const char *eq = strchr(c->alloc, '=');
        char aname[128];
        snprintf(aname, sizeof aname, "%.*s", eq ? (int)(eq - c->alloc) : (int)strlen(c->alloc), c->alloc);
        json_object_set_new(line, "allocator", json_string(aname));
        json_object_set_new(line, "collector", json_string(c->coll));
        json_object_set_new(line, "workload", json_string(c->wl));
        json_t *p = json_object();
        for (size_t i = 0; i < c->np; i++)
            json_object_set_new(p, c->keys[i], json_string(c->values[i]));
        json_object_set_new(line, "params", p);
        json_object_set_new(line, "seed", json_integer((json_int_t)m->spec.seed));
        json_t *f = json_object();
        json_object_set_new(f, "kind", json_string(o->kind));
        json_object_set_new(f, "exit_status", o->exit_status >= 0 ? json_integer(o->exit_status) : json_null());
        json_object_set_new(f, "signal", o->signal ? json_integer(o->signal) : json_null());
        json_object_set_new(f, "signal_name", o->signal ? json_string(signame(o->signal)) : json_null());
        json_object_set_new(f, "stderr_tail", json_string(o->tail));
        json_object_set_new(line, "failure", f);
    }
    json_object_set_new(line, "cell", json_string(c->name));
    json_object_set_new(line, "repetition", json_integer(rep));
    json_object_set_new(line, "status", json_string(o->ok ? "ok" : "failed"));
    json_object_set_new(line, "order_index", json_integer((json_int_t)order));
    json_object_set_new(line, "host", json_string(m->host));
    json_t *pr = json_object();
    json_object_set_new(pr, "peak_rss_bytes", json_integer((json_int_t)o->ru.ru_maxrss * 1024));
    json_object_set_new(pr, "minor_faults", json_integer((json_int_t)o->ru.ru_minflt));
    json_object_set_new(pr, "major_faults", json_integer((json_int_t)o->ru.ru_majflt));
    json_object_set_new(pr, "user_s", json_real((double)o->ru.ru_utime.tv_sec + o->ru.ru_utime.tv_usec * 1e-6));
    json_object_set_new(pr, "sys_s", json_real((double)o->ru.ru_stime.tv_sec + o->ru.ru_stime.tv_usec * 1e-6));
    json_object_set_new(pr, "elapsed_s", json_real(o->elapsed_s));
    json_object_set_new(line, "process", pr);
    return line;
}

/* ---------------------------------------------------------------- plan */

typedef struct slot { uint32_t cell; int32_t rep; } slot_t; /* rep -1: warm-up */

/* Recorded runs in order: `reps` rounds, each a random permutation. */
static slot_t *plan_order(size_t ncells, int reps, uint64_t seed)
{
    slot_t *p = malloc(ncells * (size_t)reps * sizeof *p);
    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    for (int r = 0; r < reps; r++) {
        slot_t *round = p + (size_t)r * ncells;
        for (size_t i = 0; i < ncells; i++)
            round[i] = (slot_t){ (uint32_t)i, r };
        for (size_t i = ncells; i > 1; i--) {
            size_t j = gcb_rng_below(&rng, i);
            slot_t t = round[i - 1];
            round[i - 1] = round[j];
            round[j] = t;
        }
    }
    return p;
}

static void shell_quote(FILE *out, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%") == strlen(s)) {
        fputs(s, out);
        return;
    }
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else
            fputc(*s, out);
    }
    fputc('\'', out);
}

/* ------------------------------------------------------------ progress */

static void fmt_dur(char *b, size_t n, double s)
{
    if (s < 0 || isnan(s) || isinf(s))
        snprintf(b, n, "?");
    else if (s < 3600)
        snprintf(b, n, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(b, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
}

typedef struct progress {
    size_t done, total, failed;
    double t0;
    double *cell_time;   /* sum of run times per cell */
    uint32_t *cell_n;
    double all_time;
    size_t all_n;
} progress_t;

static double estimate(const progress_t *pg, uint32_t cell)
{
    if (pg->cell_n[cell])
        return pg->cell_time[cell] / pg->cell_n[cell];
    return pg->all_n ? pg->all_time / (double)pg->all_n : NAN;
}

static void progress_show(const matrix_t *m, progress_t *pg, const slot_t *rest, size_t nrest,
                          const char *what, const run_outcome_t *o)
{
    double eta = 0;
    for (size_t i = 0; i < nrest; i++)
        eta += estimate(pg, rest[i].cell);
    char el[32], et[32];
    fmt_dur(el, sizeof el, gcb_now_s() - pg->t0);
    fmt_dur(et, sizeof et, eta);
    if (m->tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %3.0f%%  elapsed %s  ETA %s  failed %zu  %s", pg->done, pg->total,
                pg->total ? 100.0 * (double)pg->done / (double)pg->total : 100.0, el, et, pg->failed, what);
        if (o && !o->ok)
            fprintf(stderr, "\n  %s: failed (%s%s%s)\n", what, o->kind, o->signal ? ", " : "",
                    o->signal ? signame(o->signal) : "");
    } else if (o) {
        if (o->ok)
            fprintf(stderr, "[%zu/%zu] %s: ok %.3g ops/s (%.2f s) elapsed %s ETA %s\n", pg->done, pg->total, what,
                    json_number_value(json_object_get(o->record, "ops_per_sec")), o->elapsed_s, el, et);
        else
            fprintf(stderr, "[%zu/%zu] %s: FAILED (%s%s%s) elapsed %s ETA %s\n", pg->done, pg->total, what, o->kind,
                    o->signal ? ", " : "", o->signal ? signame(o->signal) : "", el, et);
    }
    fflush(stderr);
}

/* --------------------------------------------------------------- budget */

/* One calibration run per cell at CALIBRATION_SCALE; choose the largest
 * scale of the ladder whose estimated matrix time fits what is left of the
 * budget.  A cell costs fixed + scale * per_scale seconds a run, fixed
 * being process start and teardown (the smallest non-workload time seen). */
static double choose_scale(matrix_t *m, json_t *info)
{
    size_t n = m->ncells;
    double *el = calloc(n, sizeof *el), *wall = calloc(n, sizeof *wall);
    double t0 = gcb_now_s(), fixed = INFINITY;
    char jpath[4200], epath[4200], store[64][4200], cal[32];
    size_t nstore;
    snprintf(cal, sizeof cal, "%g", CALIBRATION_SCALE);
    snprintf(jpath, sizeof jpath, "%s/tmp/calibration.json", m->dir);
    snprintf(epath, sizeof epath, "%s/tmp/calibration.err", m->dir);
    fprintf(stderr, "gcbench: matrix: calibrating %zu cells at scale %s for the %.0f s budget\n", n, cal,
            m->spec.budget_s);
    for (size_t i = 0; i < n && !interrupted; i++) {
        run_outcome_t o;
        char **argv = run_argv(m, &m->cells[i], jpath, cal, store, &nstore);
        run_one(m, argv, jpath, epath, &o);
        el[i] = o.elapsed_s;
        wall[i] = o.ok ? json_number_value(json_object_get(o.record, "wall_s")) : o.elapsed_s;
        if (o.ok && el[i] - wall[i] < fixed)
            fixed = el[i] - wall[i];
        json_decref(o.record);
    }
    if (!isfinite(fixed))
        fixed = 0.005;
    double spent = gcb_now_s() - t0, left = m->spec.budget_s - spent;
    double chosen = scale_ladder[sizeof scale_ladder / sizeof scale_ladder[0] - 1], est = NAN;
    for (size_t k = 0; k < sizeof scale_ladder / sizeof scale_ladder[0]; k++) {
        double s = scale_ladder[k], total = 0;
        for (size_t i = 0; i < n; i++) {
            double per_scale = fmax(el[i] - fixed, 0) / CALIBRATION_SCALE;
            total += (m->spec.reps + 1) * (fixed + s * per_scale);
        }
        est = total;
        if (total <= left) {
            chosen = s;
            break;
        }
    }
    json_object_set_new(info, "budget_s", json_real(m->spec.budget_s));
    json_object_set_new(info, "calibration_scale", json_real(CALIBRATION_SCALE));
    json_object_set_new(info, "calibration_s", json_real(spent));
    json_object_set_new(info, "fixed_cost_per_run_s", json_real(fixed));
    json_object_set_new(info, "chosen_scale", json_real(chosen));
    json_object_set_new(info, "estimated_s", json_real(est));
    fprintf(stderr, "gcbench: matrix: scale %g (estimated %.0f s + %.0f s calibration%s)\n", chosen, est, spent,
            est > left ? "; over budget even at the smallest scale" : "");
    free(el);
    free(wall);
    return chosen;
}

/* ---------------------------------------------------------------- main */

static int cmp_cell_idx(const void *a, const void *b, void *arg)
{
    const gcb_cell_t *c = arg;
    return strcmp(c[*(const uint32_t *)a].name, c[*(const uint32_t *)b].name);
}

static long find_cell(const matrix_t *m, const uint32_t *by_name, const char *name)
{
    size_t lo = 0, hi = m->ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->cells[by_name[mid]].name, name);
        if (c == 0)
            return by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* An option that names one thing: given twice is ambiguous, exit 2. */
static void set_once(const char **slot, const char *name, const char *val)
{
    if (*slot)
        die_usage("%s given twice ('%s', then '%s'): give it once (a comma list for several)", name, *slot, val);
    *slot = val;
}

int gcb_cmd_matrix(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "spec", required_argument, NULL, 'S' },
        { "allocators", required_argument, NULL, 'a' },
        { "collectors", required_argument, NULL, 'c' },
        { "workloads", required_argument, NULL, 'w' },
        { "param", required_argument, NULL, 'p' },
        { "reps", required_argument, NULL, 'r' },
        { "out", required_argument, NULL, 'o' },
        { "resume", required_argument, NULL, 'R' },
        { "timeout", required_argument, NULL, 't' },
        { "mem-limit", required_argument, NULL, 'm' },
        { "dry-run", no_argument, NULL, 'n' },
        { "no-timeline", no_argument, NULL, 'T' },
        { "budget", required_argument, NULL, 'b' },
        { "seed", required_argument, NULL, 's' },
        { "order-seed", required_argument, NULL, 'O' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static matrix_t m;
    gcb_spec_t *spec = &m.spec;
    static gcb_cluster_t co; /* --shard, --emit: bench/cluster */
    gcb_cluster_args(&co, &argc, argv);
    int want_spawner = !co.emit;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--dry-run") == 0 || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            want_spawner = 0;
    if (want_spawner) {
        /* runs must not fork git (see context.c): ask it once, here */
        json_t *ctx = gcb_context_json();
        const char *commit = json_string_value(json_object_get(ctx, "git_commit"));
        if (commit)
            setenv("GCBENCH_GIT_COMMIT", commit, 1);
        json_decref(ctx);
    }
    if (want_spawner && spawner_start() != 0)
        die_usage("cannot start the spawner process: %s", strerror(errno));
    char err[2048];
    const char *spec_file = NULL, *out = "results", *resume = NULL;
    int out_set = 0;
    int dry = 0, order_seed_set = 0, any_spec_opt = 0;
    /* command-line settings are applied after the spec file: keep them */
    const char *a_list = NULL, *c_list = NULL, *w_list = NULL;
    const char *params[GCB_SPEC_MAX_AXES * 2];
    size_t nparams = 0;
    struct { const char *key, *val; } scalars[16];
    size_t nscalars = 0;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":a:c:w:p:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'S': set_once(&spec_file, "--spec", optarg); any_spec_opt = 1; break;
        case 'a': set_once(&a_list, "-a", optarg); any_spec_opt = 1; break;
        case 'c': set_once(&c_list, "-c", optarg); any_spec_opt = 1; break;
        case 'w': set_once(&w_list, "-w", optarg); any_spec_opt = 1; break;
        case 'p':
            if (nparams == sizeof params / sizeof params[0])
                die_usage("too many -p options");
            params[nparams++] = optarg;
            any_spec_opt = 1;
            break;
        case 'r': scalars[nscalars++] = (typeof(scalars[0])){ "reps", optarg }; any_spec_opt = 1; break;
        case 't': scalars[nscalars++] = (typeof(scalars[0])){ "timeout", optarg }; any_spec_opt = 1; break;
        case 'm': scalars[nscalars++] = (typeof(scalars[0])){ "mem-limit", optarg }; any_spec_opt = 1; break;
        case 'b': scalars[nscalars++] = (typeof(scalars[0])){ "budget", optarg }; any_spec_opt = 1; break;
        case 's': scalars[nscalars++] = (typeof(scalars[0])){ "seed", optarg }; any_spec_opt = 1; break;
        case 'T': scalars[nscalars++] = (typeof(scalars[0])){ "timeline", "off" }; any_spec_opt = 1; break;
        case 'o':
            if (out_set++)
                die_usage("--out given twice ('%s', then '%s'): give one", out, optarg);
            out = optarg;
            break;
        case 'R':
            if (resume)
                die_usage("--resume given twice ('%s', then '%s'): give one", resume, optarg);
            resume = optarg;
            break;
        case 'n': dry = 1; break;
        case 'O': {
            int64_t v;
            if (gcb_opt_int("--order-seed", optarg, 0, INT64_MAX, &v, err, sizeof err))
                die_usage("%s", err);
            m.order_seed = (uint64_t)v;
            order_seed_set = 1;
            break;
        }
        case 'h': fputs(matrix_help, stdout); return GCB_EXIT_OK;
        case ':': die_usage("option '%s' needs a value (see gcbench matrix --help)", argv[optind - 1]);
        default: die_usage("unknown option '%s' (see gcbench matrix --help)", argv[optind - 1]);
        }
        if (nscalars == sizeof scalars / sizeof scalars[0])
            die_usage("too many options");
        for (size_t i = 0; nscalars && i + 1 < nscalars; i++)
            if (strcmp(scalars[i].key, scalars[nscalars - 1].key) == 0)
                die_usage("--%s given twice ('%s', then '%s'): give it once", scalars[i].key, scalars[i].val,
                          scalars[nscalars - 1].val);
    }
    if (optind < argc)
        die_usage("unexpected argument '%s' (see gcbench matrix --help)", argv[optind]);

    /* the spec: defaults, then the file, then the command line */
    gcb_spec_defaults(spec);
    if (spec_file && gcb_spec_read_file(spec, spec_file, err, sizeof err))
        die_usage("%s", err);
    if (a_list && gcb_spec_set_names(spec, 'a', a_list, err, sizeof err))
        die_usage("-a: %s", err);
    if (c_list && gcb_spec_set_names(spec, 'c', c_list, err, sizeof err))
        die_usage("-c: %s", err);
    if (w_list && gcb_spec_set_names(spec, 'w', w_list, err, sizeof err))
        die_usage("-w: %s", err);
    for (size_t i = 0; i < nparams; i++)
        if (gcb_spec_add_axis(spec, params[i], err, sizeof err))
            die_usage("-p: %s", err);
    for (size_t i = 0; i < nscalars; i++)
        if (gcb_spec_set(spec, scalars[i].key, scalars[i].val, err, sizeof err))
            die_usage("%s", err);
    if (!spec->n_alloc)
        gcb_spec_set_names(spec, 'a', "all", err, sizeof err);
    if (!spec->n_coll)
        gcb_spec_set_names(spec, 'c', "all", err, sizeof err);
    if (!spec->n_wl)
        gcb_spec_set_names(spec, 'w', "all", err, sizeof err);
    if (!spec_file && !spec->set_budget)
        spec->budget_s = DEFAULT_BUDGET_S;
    gcb_cluster_spec(&co, spec, order_seed_set, resume != NULL);

    if (!resume && gcb_outdir_check("--out", out, err, sizeof err))
        die_usage("%s", err);

    /* --resume: the spec and order seed come from run.json */
    json_t *runjson = NULL;
    if (resume) {
        if (spec_file || a_list || c_list || w_list || nparams || nscalars || order_seed_set) {
            /* allowed only if it is the same spec */
        }
        char path[4200];
        snprintf(path, sizeof path, "%s/run.json", resume);
        json_error_t jerr;
        runjson = json_load_file(path, 0, &jerr);
        if (!runjson)
            die_usage("--resume '%s': cannot read %s: %s", resume, path, jerr.text);
        if (json_integer_value(json_object_get(runjson, "matrix_format")) != GCB_MATRIX_FORMAT ||
            json_integer_value(json_object_get(runjson, "schema_version")) != GCB_SCHEMA_VERSION)
            die_usage("--resume '%s': written by an incompatible gcbench (format %lld, schema %lld; this one "
                      "reads format %d, schema %d)", resume,
                      (long long)json_integer_value(json_object_get(runjson, "matrix_format")),
                      (long long)json_integer_value(json_object_get(runjson, "schema_version")),
                      GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
        if (json_object_get(runjson, "merged_from"))
            die_usage("--resume '%s': a merged directory cannot be resumed", resume);
        gcb_cluster_resume(&co, runjson, resume);
        static gcb_spec_t stored;
        if (gcb_spec_from_json(&stored, json_object_get(runjson, "spec"), err, sizeof err))
            die_usage("--resume '%s': incompatible spec in run.json: %s", resume, err);
        if (any_spec_opt) {
            /* the user restated the spec: it must be the one stored (the
             * budget's chosen scale is part of the stored spec, so compare
             * the user's with the stored one minus that axis) */
            json_t *mine = gcb_spec_json(spec), *theirs = gcb_spec_json(&stored);
            json_t *bud = json_object_get(runjson, "budget");
            if (json_is_object(bud) && !gcb_spec_has_axis(spec, "scale")) {
                json_t *axes = json_object_get(theirs, "params");
                size_t i;
                json_t *ax;
                json_array_foreach(axes, i, ax) if (strcmp(json_string_value(json_object_get(ax, "key")), "scale") == 0) {
                    json_array_remove(axes, i);
                    break;
                }
            }
            int same = json_equal(mine, theirs);
            json_decref(mine);
            json_decref(theirs);
            if (!same)
                die_usage("--resume '%s': the spec given differs from the one in its run.json (give --resume alone)",
                          resume);
        }
        if (order_seed_set &&
            (uint64_t)json_integer_value(json_object_get(runjson, "order_seed")) != m.order_seed)
            die_usage("--resume '%s': --order-seed differs from the recorded one", resume);
        *spec = stored;
        m.order_seed = (uint64_t)json_integer_value(json_object_get(runjson, "order_seed"));
        snprintf(m.dir, sizeof m.dir, "%s", resume);
        if (!gcb_dir_writable(m.dir))
            die_usage("--resume '%s': the directory is not writable", resume);
    } else if (!order_seed_set) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        m.order_seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
        m.order_seed &= (1ull << 53) - 1; /* exact in JSON readers that use doubles */
    }

    if (gcb_spec_cells(spec, &m.cells, &m.ncells, err, sizeof err))
        die_usage("%s", err);
    if (m.ncells == 0)
        die_usage("the spec selects no cell");
    ssize_t el = readlink("/proc/self/exe", m.exe, sizeof m.exe - 1);
    if (el <= 0)
        die_usage("cannot find this program's path: %s", strerror(errno));
    m.exe[el] = '\0';
    m.tty = isatty(2);
    snprintf(m.host, sizeof m.host, "%s", gcb_host_name());
    int budgeted = !resume && spec->budget_s > 0 && !gcb_spec_has_axis(spec, "scale");
    int any_scale = 0;
    for (size_t w = 0; w < spec->n_wl; w++)
        for (const gcb_param_def_t *d = gcb_cell_workload_find(spec->workloads[w])->params; d && d->name; d++)
            any_scale |= strcmp(d->name, "scale") == 0;
    budgeted &= any_scale;

    slot_t *order = plan_order(m.ncells, spec->reps, m.order_seed);
    size_t nplan = m.ncells * (size_t)spec->reps;
    gcb_shard_prepare(&co, spec, m.ncells, m.order_seed);
    if (co.emit)
        return gcb_cluster_emit(&co, spec, m.ncells, m.order_seed, out, m.exe);

    if (dry) {
        char jpath[4200], store[64][4200];
        size_t nstore;
        const char *base = resume ? m.dir : out;
        if (budgeted)
            fprintf(stderr, "gcbench: matrix: --dry-run: the budget's scale is chosen when the matrix runs; "
                            "these commands use the workloads' default scale\n");
        fprintf(stderr, "gcbench: matrix: %zu cells x %d repetitions = %zu runs (order seed %llu)\n", m.ncells,
                spec->reps, nplan, (unsigned long long)m.order_seed);
        gcb_shard_describe(&co, stderr, nplan);
        for (size_t i = 0; i < nplan; i++) {
            const gcb_cell_t *c = &m.cells[order[i].cell];
            if (!gcb_shard_owns(&co, order[i].cell, order[i].rep))
                continue;
            snprintf(jpath, sizeof jpath, "%s/dry-run/run-%06zu-c%u-r%d.json", base, i, order[i].cell, order[i].rep);
            char **av = run_argv(&m, c, jpath, NULL, store, &nstore);
            shell_quote(stdout, m.exe);
            for (char **a = av + 1; *a; a++) {
                fputc(' ', stdout);
                shell_quote(stdout, *a);
            }
            fputc('\n', stdout);
        }
        return GCB_EXIT_OK;
    }

    /* the result directory */
    if (!resume) {
        if (gcb_mkdir_p(out) != 0 || !gcb_dir_writable(out))
            die_usage("--out '%s': cannot create or write the directory (%s)", out, strerror(errno ? errno : EACCES));
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        char id[64];
        strftime(id, sizeof id, "%Y%m%d-%H%M%S", &tm);
        int fixed = gcb_shard_dir_name(&co, id, sizeof id);
        for (int k = 1;; k++) {
            if (k == 1)
                snprintf(m.dir, sizeof m.dir, "%s/%s", out, id);
            else
                snprintf(m.dir, sizeof m.dir, "%s/%s-%d", out, id, k);
            if (mkdir(m.dir, 0755) == 0)
                break;
            if (fixed && errno == EEXIST)
                die_usage("'%s' exists: finish that shard with gcbench matrix --resume %s", m.dir, m.dir);
            if (errno != EEXIST || k > 1000)
                die_usage("--out '%s': cannot create '%s': %s", out, m.dir, strerror(errno));
        }
    }
    /* one matrix per directory, for its whole life (bench/resultdir/lock.h) */
    if (gcb_resultdir_lock(m.dir, err, sizeof err))
        die_usage("%s", err);
    char path[4200];
    snprintf(path, sizeof path, "%s/tmp", m.dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die_usage("cannot create '%s': %s", path, strerror(errno));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    double t_start = gcb_now_s();
    if (!resume) {
        runjson = json_object();
        json_object_set_new(runjson, "matrix_format", json_integer(GCB_MATRIX_FORMAT));
        json_object_set_new(runjson, "schema_version", json_integer(GCB_SCHEMA_VERSION));
        const char *slash = strrchr(m.dir, '/');
        json_object_set_new(runjson, "run_id", json_string(slash ? slash + 1 : m.dir));
        json_object_set_new(runjson, "context", gcb_context_json());
        json_t *cmd = json_array();
        for (char **a = full_argv; *a; a++)
            json_array_append_new(cmd, json_string(*a));
        json_object_set_new(runjson, "command_line", cmd);
        json_object_set_new(runjson, "order_seed", json_integer((json_int_t)m.order_seed));
        time_t now = time(NULL);
        char ts[64];
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
        json_object_set_new(runjson, "started", json_string(ts));
        if (budgeted) {
            json_t *info = json_object();
            char scale[32];
            snprintf(scale, sizeof scale, "scale=%g", choose_scale(&m, info));
            json_object_set_new(runjson, "budget", info);
            if (interrupted)
                die_usage("interrupted during calibration; nothing recorded in %s", m.dir);
            if (gcb_spec_add_axis(spec, scale, err, sizeof err) ||
                gcb_spec_cells(spec, &m.cells, &m.ncells, err, sizeof err))
                die_usage("%s", err);
        }
        json_object_set_new(runjson, "spec", gcb_spec_json(spec));
        json_object_set_new(runjson, "cells", json_integer((json_int_t)m.ncells));
        json_object_set_new(runjson, "runs_planned", json_integer((json_int_t)nplan));
        gcb_shard_runjson(&co, runjson, nplan);
        snprintf(path, sizeof path, "%s/run.json", m.dir);
        if (gcb_write_json_atomic(path, runjson, err, sizeof err))
            die_usage("%s", err);
    } else {
        const char *commit = json_string_value(json_object_get(json_object_get(runjson, "context"), "git_commit"));
        json_t *ctx = gcb_context_json();
        const char *mine = json_string_value(json_object_get(ctx, "git_commit"));
        if (commit && mine && strcmp(commit, mine) != 0)
            fprintf(stderr, "gcbench: warning: %s was started by gcbench %s, this is %s: "
                            "the runs of one matrix may come from different code\n", m.dir, commit, mine);
        const char *host = json_string_value(json_object_get(json_object_get(runjson, "context"), "host"));
        if (host && strcmp(host, m.host) != 0)
            die_usage("--resume '%s': started on host '%s', this is '%s': results from two machines would "
                      "mix in its cells (run the rest here into a new directory and use gcbench merge)",
                      m.dir, host, m.host);
        json_decref(ctx);
    }

    /* what is already recorded */
    gcb_runs_t done_runs;
    long valid = 0;
    if (gcb_runs_load(m.dir, &done_runs, &valid, err, sizeof err))
        die_usage("%s", err);
    uint32_t *by_name = malloc(m.ncells * sizeof *by_name);
    for (size_t i = 0; i < m.ncells; i++)
        by_name[i] = (uint32_t)i;
    qsort_r(by_name, m.ncells, sizeof *by_name, cmp_cell_idx, m.cells);
    unsigned char *done = calloc(nplan, 1);
    for (size_t i = 0; i < done_runs.n; i++) {
        const char *cell = json_string_value(json_object_get(done_runs.line[i], "cell"));
        json_int_t rep = json_integer_value(json_object_get(done_runs.line[i], "repetition"));
        long ci = find_cell(&m, by_name, cell);
        if (ci < 0 || rep < 0 || rep >= spec->reps || !gcb_shard_owns(&co, (size_t)ci, (int)rep))
            die_usage("--resume '%s': runs.jsonl holds run '%s' repetition %lld, which is not in this matrix's spec",
                      m.dir, cell, (long long)rep);
        if (done[(size_t)ci * spec->reps + rep])
            fprintf(stderr, "gcbench: warning: %s: run '%s' repetition %lld is recorded twice\n", m.dir, cell,
                    (long long)rep);
        done[(size_t)ci * spec->reps + rep] = 1;
    }
    for (size_t i = 0; i < nplan; i++) /* other shards' runs are not this one's to do */
        if (!gcb_shard_owns(&co, order[i].cell, order[i].rep))
            done[(size_t)order[i].cell * spec->reps + order[i].rep] = 1;
    snprintf(path, sizeof path, "%s/runs.jsonl", m.dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        die_usage("cannot write '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > valid) {
        /* cut a truncated last line off, so the next line starts clean */
        if (ftruncate(fd, valid) != 0)
            die_usage("cannot repair '%s': %s", path, strerror(errno));
        fsync(fd);
    }

    /* the schedule: warm-ups of the cells with runs to do, then the runs */
    size_t ntodo = 0;
    slot_t *todo = malloc((nplan + m.ncells) * sizeof *todo);
    unsigned char *needs = calloc(m.ncells, 1);
    for (size_t i = 0; i < nplan; i++)
        if (!done[(size_t)order[i].cell * spec->reps + order[i].rep])
            needs[order[i].cell] = 1;
    for (size_t i = 0; i < m.ncells; i++) /* warm-ups in the first round's order */
        if (needs[order[i].cell])
            todo[ntodo++] = (slot_t){ order[i].cell, -1 };
    size_t nwarm = ntodo;
    for (size_t i = 0; i < nplan; i++)
        if (!done[(size_t)order[i].cell * spec->reps + order[i].rep])
            todo[ntodo++] = order[i];
    size_t already = gcb_shard_runs(&co, nplan) - (ntodo - nwarm);
    fprintf(stderr, "gcbench: matrix: %zu cells x %d repetitions = %zu runs%s%zu to do (+%zu warm-ups), "
                    "order seed %llu, results in %s\n",
            m.ncells, spec->reps, nplan, already ? ", " : ": ", ntodo - nwarm, nwarm,
            (unsigned long long)m.order_seed, m.dir);
    gcb_shard_describe(&co, stderr, nplan);
    if (already)
        fprintf(stderr, "gcbench: matrix: resuming: %zu runs already recorded are kept\n", already);

    progress_t pg = { 0 };
    pg.total = ntodo;
    pg.t0 = t_start;
    pg.cell_time = calloc(m.ncells, sizeof *pg.cell_time);
    pg.cell_n = calloc(m.ncells, sizeof *pg.cell_n);
    size_t failed_total = 0, recorded = 0;
    for (size_t i = 0; i < done_runs.n; i++) {
        const char *st_ = json_string_value(json_object_get(done_runs.line[i], "status"));
        failed_total += !(st_ && strcmp(st_, "ok") == 0);
    }
    char jpath[4200], epath[4200], store[64][4200], what[1200];
    size_t nstore;
    for (size_t k = 0; k < ntodo && !interrupted; k++) {
        slot_t s = todo[k];
        const gcb_cell_t *c = &m.cells[s.cell];
        size_t plan_index = 0;
        if (s.rep >= 0)
            for (size_t i = 0; i < nplan; i++)
                if (order[i].cell == s.cell && order[i].rep == s.rep) {
                    plan_index = i;
                    break;
                }
        snprintf(jpath, sizeof jpath, "%s/tmp/run.json", m.dir);
        snprintf(epath, sizeof epath, "%s/tmp/run.err", m.dir);
        if (s.rep < 0)
            snprintf(what, sizeof what, "%s warm-up", c->name);
        else
            snprintf(what, sizeof what, "%s rep %d", c->name, s.rep);
        if (m.tty)
            progress_show(&m, &pg, todo + k, ntodo - k, what, NULL);
        run_outcome_t o;
        char **av = run_argv(&m, c, jpath, NULL, store, &nstore);
        run_one(&m, av, jpath, epath, &o);
        if (interrupted && !o.ok) {
            json_decref(o.record);
            break; /* killed by us: not a result */
        }
        pg.done++;
        pg.cell_time[s.cell] += o.elapsed_s;
        pg.cell_n[s.cell]++;
        pg.all_time += o.elapsed_s;
        pg.all_n++;
        if (s.rep >= 0) {
            if (!o.ok) {
                pg.failed++;
                failed_total++;
            }
            json_t *line = outcome_line(&m, c, s.rep, plan_index, &o);
            int wrc = gcb_append_line(fd, line);
            recorded += wrc == 0;
            o.record = line; /* for progress_show */
            if (wrc) {
                fprintf(stderr, "\ngcbench: matrix: cannot append to %s/runs.jsonl: %s\n", m.dir, strerror(errno));
                return GCB_EXIT_FAIL;
            }
        } else if (!o.ok) {
            fprintf(stderr, "%sgcbench: matrix: warm-up of %s failed (%s): %s\n", m.tty ? "\n" : "", c->name,
                    o.kind, o.tail);
        }
        progress_show(&m, &pg, todo + k + 1, ntodo - k - 1, what, &o);
        json_decref(o.record);
    }
    close(fd);
    if (m.tty)
        fputc('\n', stderr);
    if (interrupted) {
        fprintf(stderr, "gcbench: matrix: interrupted (%s); %zu runs recorded in this session; finish with: gcbench matrix --resume %s\n",
                strsignal(interrupted), recorded, m.dir);
        return 130;
    }

    /* summary and the finished run.json */
    gcb_runs_t all;
    if (gcb_runs_load(m.dir, &all, NULL, err, sizeof err) == 0) {
        if (gcb_summary_write(m.dir, &all, err, sizeof err))
            fprintf(stderr, "gcbench: matrix: %s\n", err);
        gcb_summary_print(stdout, &all);
        gcb_runs_free(&all);
    }
    time_t now = time(NULL);
    char ts[64];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
    json_object_set_new(runjson, "finished", json_string(ts));
    json_object_set_new(runjson, "runs_failed", json_integer((json_int_t)failed_total));
    json_object_set_new(runjson, "last_session_s", json_real(gcb_now_s() - t_start));
    snprintf(path, sizeof path, "%s/run.json", m.dir);
    if (gcb_write_json_atomic(path, runjson, err, sizeof err))
        fprintf(stderr, "gcbench: matrix: %s\n", err);
    snprintf(path, sizeof path, "%s/tmp", m.dir);
    char p2[4300];
    snprintf(p2, sizeof p2, "%s/run.err", path);
    unlink(p2);
    rmdir(path);
    char el_s[32];
    fmt_dur(el_s, sizeof el_s, gcb_now_s() - t_start);
    fprintf(stderr, "gcbench: matrix: %zu runs, %zu failed, in %s; results in %s\n", gcb_shard_runs(&co, nplan),
            failed_total, el_s,
            m.dir);
    gcb_report_after_matrix(m.dir); /* report.md and the figures (bench/report/report.c) */
    gcb_runs_free(&done_runs);
    return failed_total ? GCB_EXIT_FAIL : GCB_EXIT_OK;
}
