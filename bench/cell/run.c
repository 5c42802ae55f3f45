/*
 * bench/cell/run.c - one benchmark cell in this process.
 *
 * Order of a run, and why:
 *   1. allocator instance, collector init, runtime init (small ints etc.),
 *      and with -p interp_heap=N the interpreter's stand-in heap, in a
 *      frame of its own below the workload's (runtime/interp_heap.c);
 *   2. the workload, timed (wall: CLOCK_MONOTONIC; user/sys: getrusage);
 *   3. the workload has popped its frames and the stand-in heap's frame
 *      is popped, so nothing is reachable: the collector's final full collection (timed apart), then whatever is
 *      still allocated is the leak, read from the runtime's exact counters;
 *   4. statistics, then teardown.
 * Peak RSS and page faults are the process's (getrusage), which is what a
 * user of the runtime would pay; a harness that forks reads them again
 * from wait4 in the parent.
 *
 * Fault injection (for the harness's own tests, documented in
 * docs/matrix.md): GCBENCH_FAULT="MODE@GLOB[;MODE@GLOB...]" makes every
 * run whose cell name matches the fnmatch GLOB misbehave once the runtime
 * is up: crash (SIGSEGV), oom (allocate until memory runs out), hang (spin
 * on the CPU), sleep (block forever), exit (exit status 1).  Unset, it
 * costs one getenv per run.
 */
#include "bench/cell/cell.h"
#include "bench/cell/python.h"

#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <time.h>

#include "runtime/options.h"
#include "util/clock.h"
#include "util/procfs.h"


/* Peak RSS of this address space.  VmHWM starts afresh at exec, while
 * ru_maxrss keeps the high-water mark of whatever process exec'd us (a
 * big parent makes a small run look big).  0 if unreadable. */
static uint64_t vm_hwm_bytes(void)
{
    uint64_t b = 0;
    return gcb_proc_kib_line("/proc/self/status", "VmHWM", &b) == 0 ? b : 0;
}

/* Anonymous memory backed by transparent huge pages right now
 * (AnonHugePages of smaps_rollup).  It is the proof that a huge-page
 * configuration (pool-huge, an allocator's THP option) took effect: the
 * kernel may refuse the hint, and then the run measured 4 KiB pages.
 * GCB_STAT_UNKNOWN if the kernel does not report it. */
static uint64_t anon_huge_bytes(void)
{
    uint64_t b = 0;
    return gcb_proc_kib_line("/proc/self/smaps_rollup", "AnonHugePages", &b) == 0 ? b : GCB_STAT_UNKNOWN;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

void gcb_run_tables(const gcb_workload_t *wl, const gcb_collector_t *coll,
                    const gcb_param_def_t *out[GCB_RUN_TABLES])
{
    out[0] = wl->params;
    out[1] = coll->params;
    out[2] = gcb_runtime_params;
    out[3] = gcb_alloc_params;
    out[4] = gcb_threads_params;
    out[5] = NULL;
}

int gcb_run_validate(const gcb_run_config_t *cfg, char *err, size_t errlen)
{
    const gcb_param_def_t *tables[GCB_RUN_TABLES];
    gcb_run_tables(cfg->wl, cfg->coll, tables);
    if (gcb_params_validate(&cfg->params, tables, err, errlen))
        return -1;
    return gcb_cell_threads_check(cfg->alloc.name, cfg->coll, cfg->wl, &cfg->params, err, errlen);
}

/* Is the pool allocator (pymalloc, not thread-safe) part of this chain? */
static int uses_pool(const char *alloc)
{
    return strcmp(alloc, "pool") == 0 || strncmp(alloc, "pool+", 5) == 0 || strcmp(alloc, "pool-huge") == 0 ||
           strncmp(alloc, "pool-huge+", 10) == 0;
}

int gcb_cell_threads_check(const char *alloc, const gcb_collector_t *coll, const gcb_workload_t *wl,
                           const gcb_params_t *p, char *err, size_t errlen)
{
    gcb_threads_config_t tc;
    if (gcb_threads_config(p, &tc, err, errlen) || gcb_collector_mode_check(coll, (int)tc.mode, err, errlen))
        return -1;
    if ((tc.mode == GCB_MODE_FT || tc.mode == GCB_MODE_ATOMIC) && uses_pool(alloc)) {
        snprintf(err, errlen, "allocator '%s' under mode=%s: pool is not thread-safe; CPython's free-threaded "
                 "build does not use pymalloc either; use glibc, jemalloc, mimalloc or tcmalloc",
                 alloc, gcb_mode_name(tc.mode));
        return -1;
    }
    if (tc.mode != GCB_MODE_FT && strstr(alloc, "mimalloc-ft")) {
        snprintf(err, errlen, "allocator 'mimalloc-ft' runs under mode=ft only (CPython 3.14t's heaps for its "
                 "free-threaded collector); mode=%s: use mimalloc", gcb_mode_name(tc.mode));
        return -1;
    }
    if (tc.nthreads > 1 && wl->one_copy) {
        snprintf(err, errlen, "workload '%s' runs one copy only; threads=%u is not accepted for it",
                 wl->name, tc.nthreads);
        return -1;
    }
    if (wl->check && wl->check(p, tc.nthreads, err, errlen))
        return -1;
    if (tc.mode != GCB_MODE_DEFAULT && gcb_param_int(p, gcb_runtime_params, "interp_heap") != 0) {
        snprintf(err, errlen, "-p interp_heap is for mode=default (one thread: under mode=%s the frames are "
                 "per thread); give interp_heap=0", gcb_mode_name(tc.mode));
        return -1;
    }
    return gcb_mode_implemented(&tc, err, errlen);
}

/* The fault GCBENCH_FAULT asks of this cell, or NULL. */
static const char *fault_for(const char *cell)
{
    const char *env = getenv("GCBENCH_FAULT");
    if (!env || !*env)
        return NULL;
    static char buf[1024], mode[32];
    snprintf(buf, sizeof buf, "%s", env);
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *at = strchr(tok, '@');
        if (!at)
            continue;
        *at = '\0';
        if (fnmatch(at + 1, cell, 0) == 0) {
            snprintf(mode, sizeof mode, "%s", tok);
            return mode;
        }
    }
    return NULL;
}

static void inject_fault(const char *mode)
{
    fprintf(stderr, "gcbench: GCBENCH_FAULT: injecting '%s'\n", mode);
    if (strcmp(mode, "crash") == 0) {
        raise(SIGSEGV);
    } else if (strcmp(mode, "oom") == 0) {
        gcb_frame_t *f = gcb_frame_push(1);
        gcb_local_set(f, 0, gcb_list_new(0));
        for (;;) /* 8 MiB of item array per list, all kept reachable */
            gcb_list_append(gcb_local(f, 0), gcb_list_new(1u << 20));
    } else if (strcmp(mode, "hang") == 0) {
        for (volatile uint64_t i = 0;; i++)
            ;
    } else if (strcmp(mode, "sleep") == 0) {
        for (;;)
            pause();
    } else if (strcmp(mode, "exit") == 0) {
        exit(GCB_EXIT_FAIL);
    }
    fprintf(stderr, "gcbench: GCBENCH_FAULT: unknown mode '%s' (crash, oom, hang, sleep, exit)\n", mode);
    exit(GCB_EXIT_FAIL);
}

/* Steps 1 of the order above: everything the workload needs before it
 * starts, and the fault injection that goes with a runtime being up. */
static void *cell_setup(const gcb_run_config_t *cfg, gcb_threads_config_t *tc, char *err, size_t errlen)
{
    if (gcb_run_validate(cfg, err, errlen))
        return NULL;
    if (gcb_alloc_configure(&cfg->params, err, errlen) || gcb_runtime_configure(&cfg->params, err, errlen))
        return NULL;
    void *actx = gcb_alloc_instance(&cfg->alloc, err, errlen);
    if (!actx)
        return NULL;
    if (cfg->coll->init(&cfg->params, err, errlen))
        return NULL;
    if (gcb_threads_config(&cfg->params, tc, err, errlen))
        return NULL;
    gcb_policy_t policy = gcb_collector_policy(cfg->coll);
    gcb_runtime_init(cfg->alloc.top, actx, &policy);
    if (tc->mode == GCB_MODE_GIL)
        gcb_gil_init(tc->switch_interval_ns);
    char cell[2048];
    gcb_cell_name(cfg->alloc.name, cfg->coll->name, cfg->wl->name, &cfg->params, cell, sizeof cell);
    const char *fault = fault_for(cell);
    if (fault)
        inject_fault(fault);
    return actx;
}

/* The end of step 1 with -p interp_heap=N: N tracked objects the
 * workload's collections traverse, reachable from a frame of their own
 * (NULL when N is 0).  Threads have frames of their own, so only the
 * default mode takes it. */
static gcb_frame_t *interp_heap_push(const gcb_threads_config_t *tc)
{
    uint64_t n = gcb_runtime_options()->interp_heap;
    if (!n || tc->mode != GCB_MODE_DEFAULT) /* gcb_cell_threads_check refused the second */
        return NULL;
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_interp_heap_fill(gcb_local(f, 0), n);
    return f;
}

/* Step 2: the workload, timed. */
static int cell_workload(const gcb_run_config_t *cfg, const gcb_threads_config_t *tc, gcb_run_result_t *res,
                         char *err, size_t errlen)
{
    gcb_frame_t *heap = interp_heap_push(tc);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    gcb_timeline_start(&res->timeline, !cfg->no_timeline);
    double t0 = gcb_now_s();
    int rc = tc->mode == GCB_MODE_DEFAULT ? cfg->wl->run(&cfg->params, cfg->seed, &res->wl, err, errlen)
                                          : gcb_run_threads(cfg, tc, res, err, errlen);
    double t1 = gcb_now_s();
    gcb_garbage_stop(); /* from here on everything is unreachable by design */
    gcb_timeline_stop(&res->timeline);
    getrusage(RUSAGE_SELF, &ru1);
    res->anon_huge_bytes = anon_huge_bytes();
    if (rc)
        return -1;
    if (gcb_hot.top != heap) {
        snprintf(err, errlen, "workload '%s' left frames pushed", cfg->wl->name);
        return -1;
    }
    if (heap)
        gcb_frame_pop(heap);
    res->wall_s = t1 - t0;
    res->user_s = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime);
    res->sys_s = tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);
    return 0;
}

/* Step 3: the final full collection (timed apart) and the leak. */
static void cell_final_collect(const gcb_run_config_t *cfg, void *actx, gcb_run_result_t *res)
{
    cfg->alloc.top->stats(actx, &res->alloc_stats);
    double c0 = gcb_now_s();
    gcb_gc_collect();
    res->final_collect_s = gcb_now_s() - c0;

    const gcb_rt_counters_t *c = gcb_runtime_counters();
    res->counters = *c;
    res->leaked_objects = c->live_objects;
    res->leaked_bytes = c->live_bytes;
    cfg->coll->stats(&res->gc);
    res->gc.freed_by_rc = c->objects_freed - res->gc.freed_by_gc;
    gcb_garbage_stats_t gst;
    gcb_garbage_get(&gst);
    res->gc.max_garbage_objects = gst.max_objects;
    res->gc.max_garbage_bytes = gst.max_bytes;
    res->gc.garbage_every = gst.every;
    res->gc.garbage_samples = gst.samples;
}

/* Step 4: the process's statistics, then teardown. */
static void cell_process_stats(gcb_run_result_t *res)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    res->peak_rss_bytes = vm_hwm_bytes();
    if (!res->peak_rss_bytes)
        res->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
    res->minor_faults = (uint64_t)ru.ru_minflt;
    res->major_faults = (uint64_t)ru.ru_majflt;
    snprintf(res->alloc_version, sizeof res->alloc_version, "%s", gcb_preload_version());
    snprintf(res->sized_free_entry, sizeof res->sized_free_entry, "%s", gcb_alloc_sized_free_entry());
}

static void cell_teardown(const gcb_run_config_t *cfg, const gcb_threads_config_t *tc, void *actx)
{
    if (cfg->coll->fini)
        cfg->coll->fini();
    if (tc->mode == GCB_MODE_GIL)
        gcb_gil_fini();
    gcb_runtime_fini();
    cfg->alloc.top->destroy(actx);
}

int gcb_run_cell(const gcb_run_config_t *cfg, gcb_run_result_t *res, char *err, size_t errlen)
{
    if (gcb_py_is(cfg->wl))            /* the interpreter as the cell's process */
        return gcb_py_run_cell(cfg, res, err, errlen);
    memset(res, 0, sizeof *res);
    gcb_threads_config_t *tc = &res->threads.cfg;
    void *actx = cell_setup(cfg, tc, err, errlen);
    if (!actx)
        return -1;
    if (cell_workload(cfg, tc, res, err, errlen))
        return -1;
    cell_final_collect(cfg, actx, res);
    cell_process_stats(res);
    cell_teardown(cfg, tc, actx);
    return 0;
}
