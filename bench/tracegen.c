/*
 * bench/tracegen.c - the program meson records the default replay trace
 * from (build/default.gcbtrace): the strings, dicts and trees workloads at
 * small scale on the process malloc with pure refcounting, in this
 * process.  It links the runtime and runs the cells directly (no
 * LD_PRELOAD check, which would re-exec away from the recorder).  Always
 * buildable, so the replay workload has a trace on every machine, and
 * deterministic: the same requests wherever it runs.
 */
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"

int main(void)
{
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
