/*
 * bench/cli/main.c - the `gcbench` command: dispatch to subcommands.
 *
 * Every subcommand answers --help; every usage error exits 2 with one line
 * on stderr saying what is wrong and what is accepted.
 */
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>

#include "bench/cli/cli.h"
#include "util/outpath.h"
#include "bench/cell/cell.h"
#include "bench/cell/python.h"
#include "bench/resultdir/files.h"
#include "config.h"


#define usage_error(...) gcb_usage_error(NULL, __VA_ARGS__)

/* ---------------------------------------------------------------- list */

static const char list_help[] =
    "usage: gcbench list allocators|collectors|workloads|params\n"
    "\n"
    "Print one name and a one-line description per line.\n"
    "  allocators  process allocators found at build time, and the pool\n"
    "  collectors  collection policies (-c)\n"
    "  workloads   workload generators (-w)\n"
    "  params      every -p KEY each workload and collector accepts, with defaults\n";

static void print_params(const char *kind, const char *owner, const gcb_param_def_t *t)
{
    static const char *types[] = { "int", "number", "string" };
    for (; t->name; t++)
        printf("%-9s %-10s %-14s %-6s default %-8s %s\n", kind, owner, t->name, types[t->type], t->def,
               t->description);
}

static int cmd_list(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(list_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? GCB_EXIT_USAGE : GCB_EXIT_OK;
    }
    const char *what = argv[1];
    if (argc > 2)
        usage_error("list takes one argument (allocators, collectors, workloads or params); unexpected '%s'",
                    argv[2]);
    if (strcmp(what, "allocators") == 0) {
        for (size_t i = 0; i < gcb_process_allocator_count; i++) {
            const gcb_process_allocator_t *a = &gcb_process_allocators[i];
            if (gcb_process_allocator_available(a))
                printf("%-14s %s\n", a->name, a->description);
        }
        printf("%-14s %s\n", "pool", "CPython's pymalloc (16-byte classes to 512, 16 KiB pools, 1 MiB arenas) over glibc");
        for (size_t i = 1; i < gcb_process_allocator_count; i++)
            if (gcb_process_allocators[i].in_default && gcb_process_allocators[i].library[0])
                printf("pool+%-9s pymalloc over %s\n", gcb_process_allocators[i].name,
                       gcb_process_allocators[i].name);
        printf("%-14s %s\n", "pool-huge", "pymalloc with CPython 3.15's opt-in huge-page arenas (2 MiB, MAP_HUGETLB else MADV_HUGEPAGE); pool-huge+BASE too");
        printf("%-14s %s\n", "NAME=/path.so", "any malloc shared library, by LD_PRELOAD (pool+NAME=/path.so too); pool+X works for every X above");
        printf("%-14s %s\n", "faulty@N+SPEC", "fault injection: SPEC (any of the above) with its Nth and later allocations failed; N = 0 counts them");
    } else if (strcmp(what, "collectors") == 0) {
        for (size_t i = 0; i < gcb_collector_count; i++)
            printf("%-14s %s\n", gcb_collectors[i]->name, gcb_collectors[i]->description);
    } else if (strcmp(what, "workloads") == 0) {
        for (size_t i = 0; i < gcb_workload_count; i++)
            printf("%-14s %s\n", gcb_workloads[i]->name, gcb_workloads[i]->description);
    } else if (strcmp(what, "params") == 0) {
        for (size_t i = 0; i < gcb_workload_count; i++)
            print_params("workload", gcb_workloads[i]->name, gcb_workloads[i]->params);
        for (size_t i = 0; i < gcb_collector_count; i++)
            print_params("collector", gcb_collectors[i]->name, gcb_collectors[i]->params);
        print_params("runtime", "-", gcb_runtime_params);
        print_params("allocator", "-", gcb_alloc_params);
    } else {
        usage_error("unknown list '%s': choose allocators, collectors, workloads or params", what);
    }
    return GCB_EXIT_OK;
}

/* ----------------------------------------------------------------- run */

static const char run_help[] =
    "usage: gcbench run -a ALLOCATOR -c COLLECTOR -w WORKLOAD [-p KEY=VALUE]... [--seed N] [--json FILE]\n"
    "\n"
    "Run one benchmark cell in this process and print one line of results.\n"
    "A process allocator other than glibc is put under the process with LD_PRELOAD\n"
    "(gcbench re-executes itself), so two allocators never share a process.\n"
    "\n"
    "  -a, --allocator A   glibc, jemalloc, mimalloc, tcmalloc, pool, pool+BASE, pool-huge,\n"
    "                      a -thp variant (glibc-thp, jemalloc-thp, mimalloc-thp), or\n"
    "                      NAME=/path/lib.so (see `gcbench list allocators`)\n"
    "  -c, --collector C   collection policy (see `gcbench list collectors`)\n"
    "  -w, --workload W    workload (see `gcbench list workloads`), or py:NAME: the\n"
    "                      real interpreter running NAME's Python twin (docs/python.md)\n"
    "  -p, --param K=V     a workload or collector parameter; repeatable\n"
    "                      (see `gcbench list params`)\n"
    "      --seed N        workload random seed (default 1)\n"
    "      --json FILE     also write the result record (JSON) to FILE, atomically\n"
    "      --no-timeline   do not sample live bytes and RSS during the run\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 success, 1 the run failed, 2 bad input, 3 out of memory.\n";

static const gcb_collector_t *need_collector(const char *name)
{
    const gcb_collector_t *c = gcb_collector_find(name);
    if (!c) {
        char list[512] = "";
        for (size_t i = 0; i < gcb_collector_count; i++) {
            strcat(list, " ");
            strcat(list, gcb_collectors[i]->name);
        }
        usage_error("unknown collector '%s'; accepted:%s", name, list);
    }
    return c;
}

static const gcb_workload_t *need_workload(const char *name)
{
    const gcb_workload_t *w = gcb_cell_workload_find(name);
    if (!w) {
        char list[1024] = "";
        for (size_t i = 0; i < gcb_workload_count; i++) {
            strcat(list, " ");
            strcat(list, gcb_workloads[i]->name);
        }
        usage_error("unknown workload '%s'; accepted:%s%s", name, list, gcb_py_names());
    }
    return w;
}

static void check_output_path(const char *path)
{
    char err[PATH_MAX + 256];
    if (gcb_outpath_check("--json", path, 1, err, sizeof err))
        usage_error("%s", err);
}

/* An option that names one thing: given twice is ambiguous, exit 2. */
static void run_once(const char **slot, const char *name, const char *val)
{
    if (*slot)
        usage_error("%s given twice ('%s', then '%s'): give it once", name, *slot, val);
    *slot = val;
}

static int cmd_run(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "allocator", required_argument, NULL, 'a' },
        { "collector", required_argument, NULL, 'c' },
        { "workload", required_argument, NULL, 'w' },
        { "param", required_argument, NULL, 'p' },
        { "seed", required_argument, NULL, 's' },
        { "json", required_argument, NULL, 'j' },
        { "no-timeline", no_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *aname = NULL, *cname = NULL, *wname = NULL, *json_path = NULL;
    static gcb_run_config_t cfg;
    char err[1024];
    cfg.seed = 1;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":a:c:w:p:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'a': run_once(&aname, "-a", optarg); break;
        case 'c': run_once(&cname, "-c", optarg); break;
        case 'w': run_once(&wname, "-w", optarg); break;
        case 'p':
            if (gcb_params_add(&cfg.params, optarg, err, sizeof err))
                usage_error("%s", err);
            break;
        case 's': {
            int64_t v;
            if (gcb_opt_int("--seed", optarg, 0, INT64_MAX, &v, err, sizeof err))
                usage_error("%s", err);
            cfg.seed = (uint64_t)v;
            break;
        }
        case 'j': run_once(&json_path, "--json", optarg); break;
        case 'T': cfg.no_timeline = 1; break;
        case 'h': fputs(run_help, stdout); return GCB_EXIT_OK;
        case ':': usage_error("option '%s' needs a value (see gcbench run --help)", argv[optind - 1]);
        default: usage_error("unknown option '%s' (see gcbench run --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s' (see gcbench run --help)", argv[optind]);
    if (!aname || !cname || !wname)
        usage_error("run needs -a ALLOCATOR, -c COLLECTOR and -w WORKLOAD (see gcbench run --help)");
    cfg.coll = need_collector(cname);
    cfg.wl = need_workload(wname);
    if (gcb_alloc_parse(aname, &cfg.alloc, err, sizeof err))
        usage_error("%s", err);
    if (gcb_run_validate(&cfg, err, sizeof err))
        usage_error("%s (workload %s, collector %s)", err, cfg.wl->name, cfg.coll->name);
    if (gcb_py_is(cfg.wl) && gcb_py_validate(&cfg, err, sizeof err))
        usage_error("%s (workload %s)", err, cfg.wl->name);
    if (json_path)
        check_output_path(json_path);
    /* a py: cell's allocator goes under the interpreter, not under gcbench */
    if (!gcb_py_is(cfg.wl) && gcb_preload_ensure(&cfg.alloc, full_argv, err, sizeof err)) {
        fprintf(stderr, "gcbench: %s\n", err);
        return GCB_EXIT_FAIL;
    }

    static gcb_run_result_t res;
    if (gcb_run_cell(&cfg, &res, err, sizeof err)) {
        fprintf(stderr, "gcbench: run failed: %s\n", err);
        return GCB_EXIT_FAIL;
    }
    gcb_record_print_line(stdout, &cfg, &res);
    if (json_path) {
        json_t *rec = gcb_record_json(&cfg, &res);
        int rc = gcb_write_json_atomic(json_path, rec, err, sizeof err);
        json_decref(rec);
        if (rc) {
            fprintf(stderr, "gcbench: %s\n", err);
            return GCB_EXIT_FAIL;
        }
    }
    return GCB_EXIT_OK;
}

/* ---------------------------------------------------------------- main */

static const char main_help[] =
    "usage: gcbench COMMAND [ARGS]   (gcbench COMMAND --help for each)\n"
    "\n"
    "Measure what allocators and garbage-collection policies cost a runtime\n"
    "with Python's object model, in time, memory and pauses.\n"
    "\n"
    "commands:\n"
    "  list      list allocators, collectors, workloads or parameters\n"
    "  run       run one allocator x collector x workload cell\n"
    "  matrix    run a matrix of cells x repetitions, each in its own process\n"
    "  compare   compare two result directories (medians, ratios, CIs, Mann-Whitney U)\n"
    "  merge     combine result directories from several machines\n"
    "  plot      draw the figures of a result directory with gnuplot (PNG and SVG)\n"
    "  report    write a result directory's report.md (tables, failures, figures)\n"
    "  trace     record a program's malloc/free trace (for -w replay)\n"
    "\n"
    "  --version print the version\n";

int main(int argc, char **argv)
{
    if (argc < 2)
        usage_error("no command given; commands: list, run, matrix, compare, merge, plot, report, trace (see gcbench --help)");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_help, stdout);
        return GCB_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("gcbench %s\n", GCB_VERSION);
        return GCB_EXIT_OK;
    }
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, argv);
    if (strcmp(cmd, "trace") == 0)
        return gcb_cmd_trace(argc - 1, argv + 1);
    if (strcmp(cmd, "matrix") == 0)
        return gcb_cmd_matrix(argc - 1, argv + 1, argv);
    if (strcmp(cmd, "compare") == 0)
        return gcb_cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return gcb_cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "plot") == 0)
        return gcb_cmd_plot(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return gcb_cmd_report(argc - 1, argv + 1);
    usage_error("unknown command '%s'; commands: list, run, matrix, compare, merge, plot, report, trace (see gcbench --help)", cmd);
}
