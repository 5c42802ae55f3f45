/*
 * bench/cli/cmd_matrix.c - `gcbench matrix`: its options, read into a
 * gcb_matrix_opts_t for bench/matrix/ (docs/matrix.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/outpath.h"
#include "bench/cli/cli.h"
#include "bench/matrix/matrix.h"
#include "util/number.h"

static const char matrix_help[] =
    "usage: gcbench matrix [--spec FILE] [-a LIST] [-c LIST] [-w LIST] [-p KEY=V1,V2,...]...\n"
    "                      [--reps N] [--out DIR] [--resume DIR] [--timeout SECONDS]\n"
    "                      [--mem-limit SIZE] [--dry-run] [--no-timeline] [--budget SECONDS]\n"
    "                      [--seed N] [--order-seed N] [--full]\n"
    "                      [--shard K/N [--shard-by cell|rep]] [--emit slurm|parallel [--shards N]]\n"
    "\n"
    "Run every allocator x collector x workload x parameter value, each repetition in its\n"
    "own process, and keep the results in OUT/RUN-ID/ (run.json, runs.jsonl, summary.csv).\n"
    "With no --spec, -a or -c: the default matrix (bench/matrix/default.c): every allocator\n"
    "under gen, every collector under pool, every allocator under rc on cycles and trees,\n"
    "a few py: cells, 5 repetitions, each workload at its committed scale (runs of about\n"
    "0.25 s); -w narrows it.  --full: every allocator x collector x workload at those scales.\n"
    "With -a or -c the cross-product of the lists, its scale chosen to fit --budget (270 s).\n"
    "docs/matrix.md documents the spec format, the files and resume.\n"
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
    "      --full          the default matrix's full cross-product (about 20 min on 2 cores)\n"
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

/* An option that names one thing: given twice is ambiguous, exit 2. */
static void set_once(const char **slot, const char *name, const char *val)
{
    if (*slot)
        gcb_usage_error("matrix", "%s given twice ('%s', then '%s'): give it once (a comma list for several)", name,
                        *slot, val);
    *slot = val;
}

/* A spec scalar (--reps, --timeout, ...), each at most once. */
static void scalar(gcb_matrix_opts_t *o, const char *key, const char *val)
{
    for (size_t i = 0; i < o->nscalars; i++)
        if (strcmp(o->scalars[i].key, key) == 0)
            gcb_usage_error("matrix", "--%s given twice ('%s', then '%s'): give it once", key, o->scalars[i].val,
                            val);
    if (o->nscalars == sizeof o->scalars / sizeof o->scalars[0])
        gcb_usage_error("matrix", "too many options");
    o->scalars[o->nscalars++] = (typeof(o->scalars[0])){ key, val };
    o->any_spec_opt = 1;
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
        { "full", no_argument, NULL, 'F' },
        { "shard", required_argument, NULL, GCB_CLUSTER_OPT_SHARD },
        { "shard-by", required_argument, NULL, GCB_CLUSTER_OPT_SHARD_BY },
        { "emit", required_argument, NULL, GCB_CLUSTER_OPT_EMIT },
        { "shards", required_argument, NULL, GCB_CLUSTER_OPT_SHARDS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static gcb_cluster_t co; /* --shard, --emit: bench/cluster */
    static gcb_matrix_opts_t o = { .out = "results", .co = &co };
    int out_set = 0;
    char err[2048];
    static const gcb_cli_spec_t cli_spec = { "matrix", "matrix", matrix_help, ":a:c:w:p:h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &cli_spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'S': set_once(&o.spec_file, "--spec", cli.arg); o.any_spec_opt = 1; break;
        case 'a': set_once(&o.a_list, "-a", cli.arg); o.any_spec_opt = 1; break;
        case 'c': set_once(&o.c_list, "-c", cli.arg); o.any_spec_opt = 1; break;
        case 'w': set_once(&o.w_list, "-w", cli.arg); o.any_spec_opt = 1; break;
        case 'p':
            if (o.nparams == sizeof o.params / sizeof o.params[0])
                gcb_usage_error("matrix", "too many -p options");
            o.params[o.nparams++] = cli.arg;
            o.any_spec_opt = 1;
            break;
        case 'r': scalar(&o, "reps", cli.arg); break;
        case 't': scalar(&o, "timeout", cli.arg); break;
        case 'm': scalar(&o, "mem-limit", cli.arg); break;
        case 'b': scalar(&o, "budget", cli.arg); break;
        case 's': scalar(&o, "seed", cli.arg); break;
        case 'T': scalar(&o, "timeline", "off"); break;
        case 'o':
            if (out_set++)
                gcb_usage_error("matrix", "--out given twice ('%s', then '%s'): give one", o.out, cli.arg);
            o.out = cli.arg;
            break;
        case 'R': set_once(&o.resume, "--resume", cli.arg); break;
        case 'n': o.dry = 1; break;
        case 'F': o.full = 1; o.any_spec_opt = 1; break;
        case 'O': {
            int64_t v;
            if (gcb_opt_int("--order-seed", cli.arg, 0, INT64_MAX, &v, err, sizeof err))
                gcb_usage_error("matrix", "%s", err);
            o.order_seed = (uint64_t)v;
            o.order_seed_set = 1;
            break;
        }
        default: gcb_cluster_option(&co, ch, cli.arg); break; /* GCB_CLUSTER_OPT_* */
        }
    }
    gcb_cli_no_more(&cli);
    gcb_cluster_check(&co);
    /* the spawner forks before the matrix allocates anything (spawner.c) */
    gcb_matrix_spawner_prepare(!co.emit && !o.dry);
    /* the output directory is checked before any work (docs/promises.md) */
    if (!o.resume && gcb_outdir_check("--out", o.out, err, sizeof err))
        gcb_usage_error("matrix", "%s", err);
    return gcb_matrix_run(&o, full_argv);
}
