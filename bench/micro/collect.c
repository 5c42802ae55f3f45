/*
 * bench/micro/collect.c - what one collection costs, per object.
 *
 *   gc_young/gen/survivors/N   N new containers (empty lists held by a
 *                              root list) met by one young collection,
 *                              which traverses and promotes them
 *   gc_young/gen/garbage/N     N new containers in 2-cycles, unreachable:
 *                              the young collection finds and frees them
 *   gc_full/COLL/N             a full collection (collect_full: gc.collect())
 *                              with N live tracked containers in the heap,
 *                              repeated on the same steady heap; for gen, drc
 *                              and every other built-in collector that has one
 *   zct/drc/garbage/N          one reconciliation of a zero-count table of N
 *                              dead objects (ints created and dropped)
 *   zct/drc/mixed/N            one reconciliation of 2N entries: N new objects
 *                              now held by a list (they leave the table) and
 *                              the N they replaced (freed)
 * One iteration is one collection (reconciliation); the setup of each is
 * outside the clock (PauseTiming).  `per_object` is seconds per object
 * (per table entry for zct): the time divided by N (2N for mixed).
 * `collections` counts what the collector did per iteration: a benchmark
 * whose collection did not happen is reported as an error, never as a
 * fast collection.
 *
 * The policies are driven through their parameters only (no private
 * entry point): threshold0 = N - 1 makes the young collection follow the
 * N-th allocation, huge older thresholds keep it young; threshold0 = 0
 * turns automatic collections off for gc_full; zct_size sets when the
 * reconciliation runs.  A collector that is not built in (gen and drc
 * arrive with another branch) is reported with SkipWithError.
 */
#include "bench/micro/micro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t young_n[] = { 100, 1000, 10000 };
static const int64_t full_n[] = { 10000, 100000 };
static const int64_t zct_n[] = { 1000, 10000 };
#define HUGE_THRESHOLD "1000000000"

typedef struct gc_case {
    const char *coll;
    int kind;              /* young: 0 survivors, 1 garbage; zct: 0 garbage, 1 mixed */
} gc_case_t;

static const gcb_collector_t *need(gcb_micro_state_t *st, const char *name)
{
    const gcb_collector_t *c = gcb_collector_find(name);
    if (!c) {
        char msg[256];
        snprintf(msg, sizeof msg, "collector '%s' is not built into this gcbench", name);
        gcb_micro_skip_with_error(st, msg);
    }
    return c;
}

static void finish(gcb_micro_state_t *st, gcb__micro_rt_t *m, uint64_t before, int64_t per_iteration, int must)
{
    int64_t it = gcb_micro_iterations(st);
    uint64_t done = gcb__micro_collections(m) - before;
    gcb_micro_items_processed(st, it * per_iteration);
    gcb_micro_counter(st, "per_object", (double)per_iteration, GCB_MICRO_SECONDS_PER_ITEM);
    gcb_micro_counter(st, "collections", (double)done, GCB_MICRO_AVG_ITERATIONS);
    gcb__micro_rt_down(m, st);
    if (must && it > 0 && done < (uint64_t)it)
        gcb_micro_skip_with_error(st, "fewer collections ran than iterations: the parameters did not trigger them");
}

static void bm_young(gcb_micro_state_t *st, void *arg)
{
    const gc_case_t *c = arg;
    const gcb_collector_t *coll = need(st, c->coll);
    if (!coll)
        return;
    int64_t n = gcb_micro_range(st, 0);
    char t0[64], err[512];
    snprintf(t0, sizeof t0, "threshold0=%lld", (long long)(n - 1));
    const char *params[] = { t0, "threshold1=" HUGE_THRESHOLD, "threshold2=" HUGE_THRESHOLD,
                             "threshold3=" HUGE_THRESHOLD, NULL };
    gcb__micro_rt_t m;
    if (gcb__micro_rt_up(&m, coll, params, 1, err, sizeof err)) {
        gcb_micro_skip_with_error(st, err);
        return;
    }
    gcb_object_t *root = gcb_list_new((size_t)n);
    gcb_local_set(m.frame, 0, root);
    gcb_safepoint();
    gcb__micro_rt_mark(&m);
    uint64_t before = gcb__micro_collections(&m);
    while (gcb_micro_keep_running(st)) {
        gcb_micro_pause(st);
        if (c->kind == 0) {
            for (int64_t i = 0; i < n; i++)
                gcb_list_set(root, (size_t)i, gcb_list_new(0));
        } else {
            for (int64_t i = 0; i < n / 2; i++) {
                gcb_object_t *a = gcb_list_new(0), *b = gcb_list_new(0);
                gcb_list_append(a, gcb_newref(b));
                gcb_list_append(b, gcb_newref(a));
                gcb_release(a);
                gcb_release(b);
            }
        }
        gcb_micro_resume(st);
        gcb_safepoint(); /* the young collection */
        if (c->kind == 0) {
            gcb_micro_pause(st);
            for (int64_t i = 0; i < n; i++)
                gcb_list_set(root, (size_t)i, gcb_newref(gcb_None));
            gcb_micro_resume(st);
        }
    }
    finish(st, &m, before, c->kind == 0 ? n : n / 2 * 2, 1);
}

static void bm_full(gcb_micro_state_t *st, void *arg)
{
    const gc_case_t *c = arg;
    const gcb_collector_t *coll = need(st, c->coll);
    if (!coll)
        return;
    if (!coll->policy.collect_full) {
        gcb_micro_skip_with_error(st, "this collector has no full collection");
        return;
    }
    int64_t n = gcb_micro_range(st, 0);
    const char *params[] = { "threshold0=0", "zct_size=" HUGE_THRESHOLD, NULL };
    gcb__micro_rt_t m;
    char err[512];
    if (gcb__micro_rt_up(&m, coll, params, 1, err, sizeof err)) {
        gcb_micro_skip_with_error(st, err);
        return;
    }
    gcb_object_t *root = gcb_list_new((size_t)n);
    gcb_local_set(m.frame, 0, root);
    for (int64_t i = 0; i < n; i++)
        gcb_list_set(root, (size_t)i, gcb_list_new(0));
    coll->policy.collect_full(); /* steady state: everything in the oldest generation */
    gcb__micro_rt_mark(&m);
    uint64_t before = gcb__micro_collections(&m);
    while (gcb_micro_keep_running(st))
        coll->policy.collect_full();
    /* gen and drc must count each; for the others `collections` reports what they did */
    int must = strcmp(c->coll, "gen") == 0 || strcmp(c->coll, "drc") == 0;
    finish(st, &m, before, n, must);
}

static void bm_zct(gcb_micro_state_t *st, void *arg)
{
    const gc_case_t *c = arg;
    const gcb_collector_t *coll = need(st, c->coll);
    if (!coll)
        return;
    int64_t n = gcb_micro_range(st, 0);
    char zs[64], err[512];
    snprintf(zs, sizeof zs, "zct_size=%lld", (long long)(c->kind == 0 ? n : 2 * n));
    const char *params[] = { zs, "threshold0=0", NULL };
    gcb__micro_rt_t m;
    if (gcb__micro_rt_up(&m, coll, params, 1, err, sizeof err)) {
        gcb_micro_skip_with_error(st, err);
        return;
    }
    gcb_object_t *root = gcb_list_new((size_t)n);
    gcb_local_set(m.frame, 0, root);
    int64_t v = 1 << 20;
    /* two rounds before the clock, so the table starts in its steady state */
    for (int round = 0; round < 2; round++) {
        for (int64_t i = 0; i < n; i++) {
            if (c->kind == 0)
                gcb_release(gcb_int_new(v++));
            else
                gcb_list_set(root, (size_t)i, gcb_int_new(v++));
        }
        gcb_safepoint();
    }
    gcb__micro_rt_mark(&m);
    uint64_t before = gcb__micro_collections(&m);
    while (gcb_micro_keep_running(st)) {
        gcb_micro_pause(st);
        for (int64_t i = 0; i < n; i++) {
            if (c->kind == 0)
                gcb_release(gcb_int_new(v++));
            else
                gcb_list_set(root, (size_t)i, gcb_int_new(v++));
        }
        gcb_micro_resume(st);
        gcb_safepoint(); /* the reconciliation */
    }
    finish(st, &m, before, c->kind == 0 ? n : 2 * n, 1);
}

static void reg(const char *name, gcb_micro_fn fn, gc_case_t *c, const int64_t *ns, size_t nn)
{
    gcb_micro_bench_t *b = gcb_micro_register(name, fn, c);
    gcb_micro_unit(b, "us");
    for (size_t i = 0; i < nn; i++)
        gcb_micro_arg(b, ns[i]);
}

void gcb__micro_register_collect(void)
{
    static gc_case_t young[2] = { { "gen", 0 }, { "gen", 1 } };
    static gc_case_t zct[2] = { { "drc", 0 }, { "drc", 1 } };
    reg("gc_young/gen/survivors", bm_young, &young[0], young_n, sizeof young_n / sizeof young_n[0]);
    reg("gc_young/gen/garbage", bm_young, &young[1], young_n, sizeof young_n / sizeof young_n[0]);
    /* full collections: gen and drc always (skipped when absent), then
     * every other collector built in that has one */
    gc_case_t *full = calloc(gcb_collector_count + 2, sizeof *full);
    size_t nf = 0;
    full[nf++].coll = "gen";
    full[nf++].coll = "drc";
    for (size_t i = 0; i < gcb_collector_count; i++)
        if (gcb_collectors[i]->policy.collect_full && strcmp(gcb_collectors[i]->name, "gen") != 0 &&
            strcmp(gcb_collectors[i]->name, "drc") != 0)
            full[nf++].coll = gcb_collectors[i]->name;
    for (size_t i = 0; i < nf; i++) {
        char name[256];
        snprintf(name, sizeof name, "gc_full/%s", full[i].coll);
        reg(name, bm_full, &full[i], full_n, sizeof full_n / sizeof full_n[0]);
    }
    reg("zct/drc/garbage", bm_zct, &zct[0], zct_n, sizeof zct_n / sizeof zct_n[0]);
    reg("zct/drc/mixed", bm_zct, &zct[1], zct_n, sizeof zct_n / sizeof zct_n[0]);
}
