/*
 * bench/cli/cmd_validate.c - `gcbench validate [DIR]`: the model against
 * real CPython (bench/analysis/validate.c; docs/validate.md).
 *
 * With DIR it reads a result directory; without, it runs one first: a
 * `gcbench matrix` (this same executable) of -a ALLOCATORS -c gen over
 * every workload W and its twin py:W, interleaved in one random order, so
 * the model's and the interpreter's cells see the same machine.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bench/analysis/validate.h"
#include "bench/cli/cli.h"

static const char validate_help[] =
    "usage: gcbench validate DIR [--calibration FILE] [--share time|instructions]\n"
    "       gcbench validate [-a L] [-w L] [-p K=V]... [--reps N] [--gc-cost] [--thresholds]\n"
    "                        [--out DIR] [--calibration FILE] [--share time|instructions]\n"
    "\n"
    "Compare the model's cells with their py: twins (the real interpreter): per workload the\n"
    "allocator ranking in each, Spearman's rho with its exact p-value, every allocator's\n"
    "throughput ratio to glibc in the model, predicted for the interpreter (Amdahl, from\n"
    "the calibration) and measured in it with its 95% CI, whether each lies inside that CI\n"
    "(or within 3 points of its median), whether each allocator pair both resolve is in the\n"
    "same order, the collector-cost ratios, and a verdict per workload and overall.\n"
    "Writes DIR/validate.md and DIR/validate.csv and prints the markdown.\n"
    "\n"
    "Without DIR it first runs a matrix of -a x gen x (W and py:W for each -w):\n"
    "  -a, --allocators L  allocators (default glibc,pool,mimalloc)\n"
    "  -w, --workloads L   C workloads with a twin (default intchurn,cycles,trees,dicts)\n"
    "  -p, --param K=V     passed to the matrix (default scale=0.05); repeatable\n"
    "      --reps N        repetitions per cell (default 5)\n"
    "      --gc-cost       also gen -p collect=0 (gc.disable()): the gc on/off ratios\n"
    "      --thresholds    also threshold0=700 against 2000\n"
    "      --out DIR       where the result directory is created (default results)\n"
    "      --calibration F the calibration file (default data/calibration/cpython-VERSION.json\n"
    "                      of the cells' interpreter; scripts/calibrate writes it)\n"
    "      --share S       the calibration's share the prediction uses: instructions\n"
    "                      (callgrind) or time (perf); default instructions when the\n"
    "                      calibration has them, else time\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 compared (whatever the verdict: it is in the output), 1 the matrix or\n"
    "the files failed, 2 bad input (not a result directory, no py: cells).\n";

#define die_usage(...) gcb_usage_error("validate", __VA_ARGS__)
#define MAXARGS 64

typedef struct vopts {
    const char *alloc, *wl, *reps, *out, *cal, *share;
    const char *params[16];
    int nparams, gc_cost, thresholds;
} vopts_t;

/* The newest entry of `out` that was not there before (the matrix names
 * its result directory by the clock). */
static int newest_dir(const char *out, char *dir, size_t n)
{
    DIR *d = opendir(out);
    if (!d)
        return -1;
    struct dirent *e;
    char best[256] = "";
    /* only result directories (they hold a run.json): a user's own files
     * in --out (notes, logs) may sort after the matrix's RUN-ID */
    while ((e = readdir(d))) {
        char rj[GCB_PATH_MAX];
        snprintf(rj, sizeof rj, "%s/%s/run.json", out, e->d_name);
        if (e->d_name[0] != '.' && strcmp(e->d_name, best) > 0 && access(rj, F_OK) == 0)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    closedir(d);
    if (!best[0])
        return -1;
    snprintf(dir, n, "%s/%s", out, best);
    return 0;
}

static int run_matrix(const vopts_t *o, char *dir, size_t n)
{
    static char wl[4096];
    char *ws = strdup(o->wl), *save = NULL;
    size_t off = 0;
    for (char *t = strtok_r(ws, ",", &save); t; t = strtok_r(NULL, ",", &save))
        off += (size_t)snprintf(wl + off, sizeof wl - off, "%s%s,py:%s", off ? "," : "", t, t);
    free(ws);
    const char *av[MAXARGS];
    int ac = 0;
    static char self[4096];
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    self[l > 0 ? l : 0] = '\0';
    const char *fixed[] = { self, "matrix", "-a", o->alloc, "-c", "gen", "-w", wl, "--reps", o->reps, "--out",
                            o->out, "--no-timeline" };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        av[ac++] = fixed[i];
    for (int i = 0; i < o->nparams; i++) {
        av[ac++] = "-p";
        av[ac++] = o->params[i];
    }
    if (o->gc_cost) {
        av[ac++] = "-p";
        av[ac++] = "collect=1,0";
    }
    if (o->thresholds) {
        av[ac++] = "-p";
        av[ac++] = "threshold0=700,2000";
    }
    av[ac] = NULL;
    char before[4096] = "";
    newest_dir(o->out, before, sizeof before);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);   /* the matrix's table on stderr: stdout is validate.md */
        execv(self, (char **)av);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "gcbench: validate: the matrix failed (status %d)\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return WIFEXITED(st) && WEXITSTATUS(st) == GCB_EXIT_USAGE ? GCB_EXIT_USAGE : GCB_EXIT_FAIL;
    }
    if (newest_dir(o->out, dir, n) || strcmp(dir, before) == 0) {
        fprintf(stderr, "gcbench: validate: no new result directory in %s\n", o->out);
        return GCB_EXIT_FAIL;
    }
    return GCB_EXIT_OK;
}

int gcb_cmd_validate(int argc, char **argv, char **full_argv)
{
    (void)full_argv;
    static const struct option opts[] = {
        { "allocators", required_argument, NULL, 'a' },
        { "workloads", required_argument, NULL, 'w' },
        { "param", required_argument, NULL, 'p' },
        { "reps", required_argument, NULL, 'r' },
        { "out", required_argument, NULL, 'o' },
        { "calibration", required_argument, NULL, 'C' },
        { "share", required_argument, NULL, 'S' },
        { "gc-cost", no_argument, NULL, 'G' },
        { "thresholds", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    vopts_t o = { "glibc,pool,mimalloc", "intchurn,cycles,trees,dicts", "5", "results", NULL, NULL, { 0 }, 0, 0, 0 };
    int run_opts = 0;
    static const gcb_cli_spec_t spec = { "validate", "validate", validate_help, ":a:w:p:h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        run_opts += ch != 'C' && ch != 'S';
        switch (ch) {
        case 'a': o.alloc = cli.arg; break;
        case 'w': o.wl = cli.arg; break;
        case 'r': o.reps = cli.arg; break;
        case 'o': o.out = cli.arg; break;
        case 'C': o.cal = cli.arg; break;
        case 'S': o.share = cli.arg; break;
        case 'G': o.gc_cost = 1; break;
        case 'T': o.thresholds = 1; break;
        case 'p':
            if (o.nparams >= 16)
                die_usage("at most 16 -p options");
            o.params[o.nparams++] = cli.arg;
            break;
        }
    }
    if (argc - cli.optind > 1)
        die_usage("give at most one result directory (see gcbench validate --help)");
    if (gcb_validate_set_share(o.share))
        die_usage("--share '%s': want time or instructions", o.share);
    if (o.cal && access(o.cal, R_OK) != 0)
        die_usage("--calibration '%s': cannot read it", o.cal);
    char dir[GCB_PATH_MAX];
    if (argc - cli.optind == 1) {
        if (run_opts)
            die_usage("DIR reads a result directory: -a, -w, -p, --reps, --out, --gc-cost and --thresholds "
                      "are for running one (see gcbench validate --help)");
        snprintf(dir, sizeof dir, "%s", argv[cli.optind]);
    } else {
        if (o.nparams == 0)
            o.params[o.nparams++] = "scale=0.05";
        int rc = run_matrix(&o, dir, sizeof dir);
        if (rc != GCB_EXIT_OK)
            return rc;
    }
    gcb_rset_t rs;
    char err[2048];
    if (gcb_rset_load(dir, &rs, err, sizeof err))
        die_usage("%s", err);
    if (!gcb_validate_has_py(&rs)) {
        gcb_rset_free(&rs);
        die_usage("%s has no py: cells (run a matrix with -w W,py:W, or gcbench validate without DIR)", dir);
    }
    int bad = gcb_validate_write(&rs, o.cal, stdout, err, sizeof err);
    if (bad < 0)
        fprintf(stderr, "gcbench: validate: %s\n", err);
    else
        fprintf(stderr, "gcbench: validate: %s/validate.md and validate.csv written; %d workload(s) disagree\n",
                rs.dir, bad);
    gcb_rset_free(&rs);
    return bad < 0 ? GCB_EXIT_FAIL : GCB_EXIT_OK;
}
