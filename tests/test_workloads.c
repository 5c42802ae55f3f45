/*
 * tests/test_workloads.c - every workload keeps the reference conventions
 * the collectors rely on, and is deterministic.
 *
 * For each workload at a small scale:
 *   - under rc: two runs with one seed give the same ops and checksum; the
 *     leak is exactly cyclic_garbage_objects (0 for the acyclic ones);
 *   - under `paranoid`, a test-only tracing collector (nothing counted,
 *     every object on one list) that marks from the frames and sweeps
 *     everything else at every 7th safepoint and at every gc.collect(),
 *     poisoning what it frees: the same ops and checksum as under rc, and
 *     nothing left at the end.  A workload that holds an object it still
 *     needs only in a C variable across a safepoint, or keeps it reachable
 *     from nothing, loses it here and its checksum changes (or it crashes).
 * Usage: test_workloads [ALLOCATOR]
 */
#include <stdlib.h>
#include <string.h>

#include "bench/cell/cell.h"
#include "tests/check.h"

/* ------------------------------------------------ the paranoid collector */

static gcb_gchead_t all;          /* list head: every mortal object */
static uint64_t safepoints, collections, freed;
static gcb_object_t **stack;
static size_t depth, cap;

#define MARK ((uintptr_t)1)

static void link_obj(gcb_object_t *o)
{
    gcb_gchead_t *h = gcb_gchead(o);
    h->prev = (uintptr_t)&all;
    h->next = all.next;
    ((gcb_gchead_t *)all.next)->prev = (uintptr_t)h;
    all.next = (uintptr_t)h;
}

static void unlink_obj(gcb_object_t *o)
{
    gcb_gchead_t *h = gcb_gchead(o);
    gcb_gchead_t *n = (gcb_gchead_t *)(h->next & ~MARK), *p = (gcb_gchead_t *)h->prev;
    p->next = (p->next & MARK) | (uintptr_t)n;
    n->prev = (uintptr_t)p;
}

static void push(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (gcb_is_immortal(o))
        return;
    gcb_gchead_t *h = gcb_gchead(o);
    if (h->next & MARK)
        return;
    h->next |= MARK;
    if (depth == cap) {
        cap = cap ? 2 * cap : 4096;
        stack = realloc(stack, cap * sizeof *stack);
        if (!stack)
            abort();
    }
    stack[depth++] = o;
}

static void full(void)
{
    collections++;
    gcb_frames_visit(push, NULL);
    while (depth) {
        gcb_object_t *o = stack[--depth];
        if (o->type->traverse)
            o->type->traverse(o, push, NULL);
    }
    for (gcb_gchead_t *h = (gcb_gchead_t *)all.next, *next; h != &all; h = next) {
        next = (gcb_gchead_t *)(h->next & ~MARK);
        if (h->next & MARK) {
            h->next &= ~MARK;
        } else {
            gcb_object_t *o = gcb_from_gchead(h);
            o->type->dealloc(o);        /* nothing counted: frees this object only */
        }
    }
}

static int p_init(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)p; (void)err; (void)errlen;
    all.next = all.prev = (uintptr_t)&all;
    safepoints = collections = freed = 0;
    return 0;
}
static void p_on_alloc(gcb_object_t *o) { link_obj(o); gcb_hot.pending = 1; }
static void p_on_free(gcb_object_t *o)
{
    unlink_obj(o);
    freed++;
    memset(o, 0xdb, o->type->size(o));   /* a later use reads a garbage type */
}
static void p_on_zero(gcb_object_t *o) { (void)o; abort(); /* nothing is counted */ }
static void p_safepoint(void)
{
    gcb_hot.pending = 1;                 /* come back at the next one */
    if (++safepoints % 7 == 0)
        full();
}
static void p_stats(gcb_gc_stats_t *out)
{
    memset(out, 0, sizeof *out);
    gcb_hist_init(&out->pauses);
    out->collections = collections;
    out->freed_by_gc = freed;
}

static const gcb_param_def_t no_params[] = { GCB_PARAM_END };
static const gcb_collector_t paranoid = {
    .name = "paranoid",
    .description = "test only: mark from the frames and sweep at every 7th safepoint",
    .params = no_params,
    .complete = 1,
    .policy = {
        .mode = GCB_COUNT_NONE,
        .head_on_all = 1,
        .threads = GCB_THREADS_ONE,
        .on_alloc = p_on_alloc,
        .on_free = p_on_free,
        .on_zero = p_on_zero,
        .safepoint = p_safepoint,
        .collect_full = full,
    },
    .init = p_init,
    .stats = p_stats,
};

/* ---------------------------------------------------------------- runs */

static gcb_run_result_t run(const char *alloc, const gcb_collector_t *coll, const char *wl,
                            const char *const *params, uint64_t seed)
{
    static gcb_run_config_t cfg;
    static gcb_run_result_t res;
    char err[512];
    memset(&cfg, 0, sizeof cfg);
    CHECK(gcb_alloc_parse(alloc, &cfg.alloc, err, sizeof err) == 0);
    cfg.coll = coll;
    cfg.wl = gcb_workload_find(wl);
    cfg.seed = seed;
    for (; params && *params; params++)
        CHECK(gcb_params_add(&cfg.params, *params, err, sizeof err) == 0);
    int rc = gcb_run_cell(&cfg, &res, err, sizeof err);
    if (rc)
        fprintf(stderr, "%s under %s failed: %s\n", wl, coll->name, err);
    CHECK(rc == 0);
    return res;
}

/* Small but complete configurations: every code path of each workload. */
static const struct {
    const char *wl;
    const char *params[6];
} cases[] = {
    { "intchurn", { "scale=0.01" } },
    { "locals", { "scale=0.01", "pool=1000" } },
    { "cycles", { "scale=0.01", "cycle_rate=0.5", "ring_every=500", "rings=10" } },
    { "cycles", { "scale=0.005", "cycle_rate=1", "ring_every=300", "keep_every=3" } },
    { "strings", { "scale=0.01", "max_len=2000", "window=32", "names=16" } },
    { "aliasing", { "scale=0.01", "list_len=5", "holders=8" } },
    { "slicing", { "scale=0.005", "length=70", "keep=9", "rebuild_every=97" } },
    { "copies", { "scale=0.05", "copy=both", "depth=4", "breadth=4" } },
    { "copies", { "scale=0.05", "copy=deep", "share_rate=0.5", "dict_rate=0.7" } },
    { "dicts", { "scale=0.01", "keys=300", "reset_every=1500", "groups=40", "group_max=9" } },
    { "trees", { "variant=gcbench", "depth=8", "scale=0.05" } },
    { "trees", { "variant=binarytrees", "depth=8", "scale=0.25" } },
    { "traversal", { "scale=0.05", "levels=120", "churn=500" } },
    { "lifetimes", { "scale=0.02", "dist=pareto", "link_rate=0.5", "survivor_rate=0.05" } },
    { "lifetimes", { "scale=0.02", "dist=exponential", "mean=3000" } },
    { "replay", { "scale=0.001" } },
    /* the threaded workloads on one thread (tests/threads.sh runs them on N) */
    { "prodcons", { "scale=0.01", "object_mix=mixed" } },
    { "shared", { "scale=0.01", "write_fraction=0.2" } },
    { "churn_ft", { "scale=0.01", "share=0.5" } },
};

int main(int argc, char **argv)
{
    const char *alloc = argc > 1 ? argv[1] : "glibc";
    char err[512];
    gcb_alloc_choice_t choice;
    if (gcb_alloc_parse(alloc, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    const gcb_collector_t *rc = gcb_collector_find("rc");
    bool seen[64] = { false };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *wl = cases[i].wl;
        const char *const *ps = cases[i].params;
        fprintf(stderr, "%s", wl);
        for (const char *const *q = ps; *q; q++)
            fprintf(stderr, " %s", *q);
        fputc('\n', stderr);
        for (size_t k = 0; k < gcb_workload_count; k++)
            if (strcmp(gcb_workloads[k]->name, wl) == 0)
                seen[k] = true;

        gcb_run_result_t a = run(alloc, rc, wl, ps, 7);
        gcb_run_result_t b = run(alloc, rc, wl, ps, 7);
        CHECK(a.wl.ops > 0);
        CHECK_EQ_U(a.wl.ops, b.wl.ops);                   /* deterministic */
        CHECK_EQ_U(a.wl.checksum, b.wl.checksum);
        CHECK_EQ_U(a.leaked_objects, a.wl.cyclic_garbage_objects);   /* rc: exactly the cycles leak */
        if (a.wl.cyclic_garbage_objects == 0)
            CHECK_EQ_U(a.leaked_bytes, 0);

        gcb_run_result_t c = run(alloc, &paranoid, wl, ps, 7);
        CHECK_EQ_U(c.wl.ops, a.wl.ops);                   /* same program under tracing */
        CHECK_EQ_U(c.wl.checksum, a.wl.checksum);
        CHECK_EQ_U(c.leaked_objects, 0);                  /* a complete collector frees all */
        CHECK_EQ_U(c.leaked_bytes, 0);
        if (strcmp(wl, "replay") != 0)
            CHECK(c.gc.collections > 0);
    }
    for (size_t k = 0; k < gcb_workload_count; k++)
        if (!seen[k]) {
            fprintf(stderr, "workload %s has no case here\n", gcb_workloads[k]->name);
            CHECK(seen[k]);
        }
    return gcb_check_exit("test_workloads");
}
