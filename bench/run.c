/*
 * bench/run.c - one benchmark cell in this process.
 *
 * Order of a run, and why:
 *   1. allocator instance, collector init, runtime init (small ints etc.);
 *   2. the workload, timed (wall: CLOCK_MONOTONIC; user/sys: getrusage);
 *   3. the workload has popped its frames, so nothing is reachable: the
 *      collector's final full collection (timed apart), then whatever is
 *      still allocated is the leak, read from the runtime's exact counters;
 *   4. statistics, then teardown.
 * Peak RSS and page faults are the process's (getrusage), which is what a
 * user of the runtime would pay; a harness that forks reads them again
 * from wait4 in the parent.
 */
#include "bench/bench.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

int gcb_run_validate(const gcb_run_config_t *cfg, char *err, size_t errlen)
{
    const gcb_param_def_t *tables[] = { cfg->wl->params, cfg->coll->params, NULL };
    return gcb_params_validate(&cfg->params, tables, err, errlen);
}

int gcb_run_cell(const gcb_run_config_t *cfg, gcb_run_result_t *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (gcb_run_validate(cfg, err, errlen))
        return -1;
    void *actx = gcb_alloc_instance(&cfg->alloc, err, errlen);
    if (!actx)
        return -1;
    if (cfg->coll->init(&cfg->params, err, errlen))
        return -1;
    gcb_runtime_init(cfg->alloc.top, actx, cfg->coll);

    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_s();
    int rc = cfg->wl->run(&cfg->params, cfg->seed, &res->wl, err, errlen);
    double t1 = now_s();
    getrusage(RUSAGE_SELF, &ru1);
    if (rc)
        return -1;
    if (gcb_hot.top) {
        snprintf(err, errlen, "workload '%s' left frames pushed", cfg->wl->name);
        return -1;
    }
    res->wall_s = t1 - t0;
    res->user_s = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime);
    res->sys_s = tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);

    cfg->alloc.top->stats(actx, &res->alloc_stats);
    double c0 = now_s();
    if (cfg->coll->collect_full)
        cfg->coll->collect_full();
    res->final_collect_s = now_s() - c0;

    const gcb_rt_counters_t *c = gcb_runtime_counters();
    res->counters = *c;
    res->leaked_objects = c->live_objects;
    res->leaked_bytes = c->live_bytes;
    cfg->coll->stats(&res->gc);
    res->gc.freed_by_rc = c->objects_freed - res->gc.freed_by_gc;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    res->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
    res->minor_faults = (uint64_t)ru.ru_minflt;
    res->major_faults = (uint64_t)ru.ru_majflt;
    snprintf(res->alloc_version, sizeof res->alloc_version, "%s", gcb_preload_version());

    if (cfg->coll->fini)
        cfg->coll->fini();
    gcb_runtime_fini();
    cfg->alloc.top->destroy(actx);
    return 0;
}
