/*
 * tests/cells.h - helpers for collector tests: run a whole benchmark cell
 * (allocator x collector x workload) in this process, or bring a runtime
 * up over a collector so a test can drive the object model by hand.
 * Include after tests/check.h.
 */
#ifndef GCB_TEST_CELLS_H
#define GCB_TEST_CELLS_H

#include <string.h>

#include "bench/cell/cell.h"

/* One cell; every CHECK failure is reported, the result returned. */
static inline gcb_run_result_t cell(const char *alloc, const char *coll, const char *wl,
                                    const char *const *params, uint64_t seed)
{
    static gcb_run_config_t cfg;
    static gcb_run_result_t res;
    char err[512];
    memset(&cfg, 0, sizeof cfg);
    CHECK(gcb_alloc_parse(alloc, &cfg.alloc, err, sizeof err) == 0);
    cfg.coll = gcb_collector_find(coll);
    cfg.wl = gcb_workload_find(wl);
    CHECK(cfg.coll != NULL && cfg.wl != NULL);
    cfg.seed = seed;
    for (; params && *params; params++)
        CHECK(gcb_params_add(&cfg.params, *params, err, sizeof err) == 0);
    int rc = gcb_run_cell(&cfg, &res, err, sizeof err);
    if (rc)
        fprintf(stderr, "run %s/%s/%s failed: %s\n", alloc, coll, wl, err);
    CHECK(rc == 0);
    return res;
}

/* Exit 2 unless the allocator can be used (re-executes under LD_PRELOAD
 * when it names a process allocator). */
static inline void cells_alloc_ready(const char *alloc, char **argv)
{
    char err[512];
    gcb_alloc_choice_t choice;
    if (gcb_alloc_parse(alloc, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
}

/* A runtime driven by hand. */
typedef struct manual {
    gcb_alloc_choice_t choice;
    void *actx;
    const gcb_collector_t *coll;
} manual_t;

static inline void manual_start(manual_t *m, const char *alloc, const char *coll, const char *const *params)
{
    char err[512];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    for (; params && *params; params++)
        CHECK(gcb_params_add(&p, *params, err, sizeof err) == 0);
    CHECK(gcb_alloc_parse(alloc, &m->choice, err, sizeof err) == 0);
    m->coll = gcb_collector_find(coll);
    CHECK(m->coll != NULL);
    const gcb_param_def_t *tables[] = { m->coll->params, NULL };
    CHECK(gcb_params_validate(&p, tables, err, sizeof err) == 0);
    m->actx = gcb_alloc_instance(&m->choice, err, sizeof err);
    CHECK(m->actx != NULL);
    CHECK(m->coll->init(&p, err, sizeof err) == 0);
    gcb_policy_t policy_ = gcb_collector_policy(m->coll);
    gcb_runtime_init(m->choice.top, m->actx, &policy_);
}

static inline gcb_gc_stats_t manual_stats(const manual_t *m)
{
    gcb_gc_stats_t s;
    m->coll->stats(&s);
    return s;
}

/* Frames must be popped; runs the final collection, returns what leaked. */
static inline uint64_t manual_stop(manual_t *m)
{
    if (m->coll->policy.collect_full)
        gcb_gc_collect();
    uint64_t leaked = gcb_runtime_counters()->live_objects;
    if (m->coll->fini)
        m->coll->fini();
    gcb_runtime_fini();
    m->choice.top->destroy(m->actx);
    return leaked;
}

#endif
