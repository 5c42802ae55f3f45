/*
 * bench/trace/tracegen.c - the program meson records the default replay trace
 * from (build/default.gcbtrace): the strings, dicts and trees workloads at
 * small scale on the process malloc with pure refcounting, in this
 * process.  It links the runtime and runs the cells directly (no
 * LD_PRELOAD check, which would re-exec away from the recorder).  Always
 * buildable, so the replay workload has a trace on every machine, and
 * deterministic: the same requests wherever it runs.
 *
 *     tracegen                       the default cells
 *     tracegen WORKLOAD [K=V ...]    one cell (to compare a workload's
 *                                    allocation stream with a CPython trace)
 */
#include <stdio.h>
#include <string.h>

#include "bench/cell/cell.h"

static int run_one(const char *wl, char **kv, int nkv)
{
    static gcb_run_config_t cfg;
    static gcb_run_result_t res;
    char err[512];
    memset(&cfg, 0, sizeof cfg);
    cfg.seed = 1;
    cfg.coll = gcb_collector_find("rc");
    cfg.wl = gcb_workload_find(wl);
    if (gcb_alloc_parse("glibc", &cfg.alloc, err, sizeof err) || !cfg.wl) {
        fprintf(stderr, "tracegen: unknown workload '%s'\n", wl);
        return 2;
    }
    for (int k = 0; k < nkv; k++)
        if (gcb_params_add(&cfg.params, kv[k], err, sizeof err)) {
            fprintf(stderr, "tracegen: %s\n", err);
            return 2;
        }
    if (gcb_run_cell(&cfg, &res, err, sizeof err)) {
        fprintf(stderr, "tracegen: %s: %s\n", wl, err);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return run_one(argv[1], argv + 2, argc - 2);
    static const char *const cells[][3] = {
        { "strings", "scale=0.1", NULL },
        { "dicts", "scale=0.1", NULL },
        { "trees", "variant=binarytrees", "depth=12" },
        { "copies", "scale=0.2", NULL },
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        static gcb_run_config_t cfg;
        static gcb_run_result_t res;
        char err[512];
        memset(&cfg, 0, sizeof cfg);
        if (gcb_alloc_parse("glibc", &cfg.alloc, err, sizeof err))
            goto fail;
        cfg.coll = gcb_collector_find("rc");
        cfg.wl = gcb_workload_find(cells[i][0]);
        cfg.seed = 1;
        for (int k = 1; k < 3; k++)
            if (cells[i][k] && gcb_params_add(&cfg.params, cells[i][k], err, sizeof err))
                goto fail;
        if (!cfg.wl || gcb_run_cell(&cfg, &res, err, sizeof err))
            goto fail;
        continue;
    fail:
        fprintf(stderr, "tracegen: %s: %s\n", cells[i][0], err);
        return 1;
    }
    return 0;
}
