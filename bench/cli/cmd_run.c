/*
 * bench/cli/cmd_run.c - `gcbench run`: one cell in this process (under its
 * process allocator: gcbench re-executes itself with LD_PRELOAD), one line
 * of results, and the record with --json.
 */
#include <inttypes.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/cell/cell.h"
#include "bench/cell/python.h"
#include "bench/cli/cli.h"
#include "bench/resultdir/files.h"
#include "util/number.h"
#include "util/outpath.h"

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
        gcb_usage_error(NULL, "unknown collector '%s'; accepted:%s", name, list);
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
        gcb_usage_error(NULL, "unknown workload '%s'; accepted:%s%s", name, list, gcb_py_names());
    }
    return w;
}

static void check_output_path(const char *path)
{
    char err[PATH_MAX + 256];
    if (gcb_outpath_check("--json", path, 1, err, sizeof err))
        gcb_usage_error(NULL, "%s", err);
}

/* An option that names one thing: given twice is ambiguous, exit 2. */
static void run_once(const char **slot, const char *name, const char *val)
{
    if (*slot)
        gcb_usage_error(NULL, "%s given twice ('%s', then '%s'): give it once", name, *slot, val);
    *slot = val;
}

int gcb_cmd_run(int argc, char **argv, char **full_argv)
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
    static const gcb_cli_spec_t spec = { "run", NULL, run_help, ":a:c:w:p:h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'a': run_once(&aname, "-a", cli.arg); break;
        case 'c': run_once(&cname, "-c", cli.arg); break;
        case 'w': run_once(&wname, "-w", cli.arg); break;
        case 'p':
            if (gcb_params_add(&cfg.params, cli.arg, err, sizeof err))
                gcb_usage_error(NULL, "%s", err);
            break;
        case 's': {
            int64_t v;
            if (gcb_opt_int("--seed", cli.arg, 0, INT64_MAX, &v, err, sizeof err))
                gcb_usage_error(NULL, "%s", err);
            cfg.seed = (uint64_t)v;
            break;
        }
        case 'j': run_once(&json_path, "--json", cli.arg); break;
        case 'T': cfg.no_timeline = 1; break;
        }
    }
    gcb_cli_no_more(&cli);
    if (!aname || !cname || !wname)
        gcb_usage_error(NULL, "run needs -a ALLOCATOR, -c COLLECTOR and -w WORKLOAD (see gcbench run --help)");
    cfg.coll = need_collector(cname);
    cfg.wl = need_workload(wname);
    if (gcb_alloc_parse(aname, &cfg.alloc, err, sizeof err))
        gcb_usage_error(NULL, "%s", err);
    if (gcb_run_validate(&cfg, err, sizeof err))
        gcb_usage_error(NULL, "%s (workload %s, collector %s)", err, cfg.wl->name, cfg.coll->name);
    if (gcb_py_is(cfg.wl) && gcb_py_validate(&cfg, err, sizeof err))
        gcb_usage_error(NULL, "%s (workload %s)", err, cfg.wl->name);
    if (json_path)
        check_output_path(json_path);
    /* a py: cell's allocator goes under the interpreter, not under gcbench */
    if (!gcb_py_is(cfg.wl) && (gcb_core_ensure(&cfg.params, full_argv, err, sizeof err) ||
                               gcb_preload_ensure(&cfg.alloc, full_argv, err, sizeof err))) {
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
