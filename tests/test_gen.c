/*
 * tests/test_gen.c - `gen` behaves as CPython's collector, rule by rule.
 * Usage: test_gen [ALLOCATOR]
 *
 *   - presets: the default is CPython 3.14.5+ (2000/10/10, dicts tracked),
 *     cpython=3.13 2000 with lazy dicts, cpython=3.12 700 with lazy dicts,
 *     a threshold given wins;
 *   - the young count: a collection follows the allocation that makes the
 *     net number of new containers exceed threshold0, at the next
 *     safepoint and not inside the allocation; frees count down;
 *   - the schedule of every generation, the 25% long-lived-pending rule
 *     included, equals an independent model of CPython's rules over a run
 *     where every object is kept (so survivors are known exactly), and the
 *     rule really skips full collections in that run;
 *   - tuples whose items are all untracked are untracked (nested ones in
 *     one collection), others are not; a tuple in a cycle is collected;
 *   - untrack_dicts=1: dicts are tracked only once they hold a trackable
 *     key or value and untracked again by a full collection;
 *   - collect=0 (gc.disable()): containers tracked, never collected
 *     automatically, gc.collect() still collects;
 *   - the write barrier is installed with untrack_dicts=1 (every store
 *     calls it) and not without (no store does);
 *   - workloads: checksums equal rc's on intchurn and cycles, nothing leaks
 *     on cycles, and what collections free is exactly the cyclic garbage,
 *     in every generation count;
 *   - -p interp_heap=N (the interpreter's stand-in heap): the same work, N
 *     more objects traversed by every full collection, nothing leaked, and
 *     the stand-in's N + 1 lists freed exactly once.
 */
#include <string.h>

#include "bench/cell/cell.h"
#include "collectors/cycle.h"
#include "runtime/debug.h"
#include "tests/check.h"
#include "tests/cells.h"
#include "tests/oracle.h"

static const char *alloc_name = "glibc";
static gcb_alloc_choice_t choice;
static void *actx;
static const gcb_collector_t *coll;

static void up(const char *cname, const char *const *params)
{
    char err[512];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    for (; params && *params; params++)
        CHECK(gcb_params_add(&p, *params, err, sizeof err) == 0);
    coll = gcb_collector_find(cname);
    CHECK(gcb_alloc_parse(alloc_name, &choice, err, sizeof err) == 0);
    actx = gcb_alloc_instance(&choice, err, sizeof err);
    CHECK(actx != NULL);
    CHECK(coll->init(&p, err, sizeof err) == 0);
    gcb_policy_t policy_ = gcb_collector_policy(coll);
    gcb_runtime_init(choice.top, actx, &policy_);
}

static void down(void)
{
    if (coll->fini)
        coll->fini();
    gcb_runtime_fini();
    choice.top->destroy(actx);
}

static gcb_gc_stats_t stats(void)
{
    static gcb_gc_stats_t s;
    coll->stats(&s);
    return s;
}

static uint64_t young_collections(void) { return stats().collections_per_gen[0]; }

/* Allocate a container, keep it in `keep`, reach a safepoint. */
static void alloc_kept(gcb_object_t *keep)
{
    gcb_list_append(keep, gcb_list_new(0));
    gcb_safepoint();
}

/* The young count under the thresholds `params` give: threshold0 = t. */
static void young_count(const char *const *params, int t)
{
    up("gen", params);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    gcb_gc_collect(); /* counts 0 from here */
    uint64_t c0 = young_collections();

    for (int i = 0; i < t; i++)
        alloc_kept(keep);
    CHECK_EQ_U(young_collections(), c0);         /* t is not more than t */
    gcb_object_t *l = gcb_list_new(0);           /* the (t+1)th */
    CHECK_EQ_U(young_collections(), c0);         /* never inside the allocation */
    CHECK(gcb_hot.pending);
    gcb_list_append(keep, l);
    gcb_safepoint();
    CHECK_EQ_U(young_collections(), c0 + 1);     /* at the next safepoint */

    /* frees count down: 1000 allocated and freed at once leave no trace */
    for (int i = 0; i < 1000; i++) {
        gcb_release(gcb_list_new(0));
        gcb_safepoint();
    }
    CHECK_EQ_U(young_collections(), c0 + 1);
    for (int i = 0; i < t - 1; i++)
        alloc_kept(keep);
    CHECK_EQ_U(young_collections(), c0 + 1);
    /* t+1 allocated, one freed before the safepoint: the count is re-read
     * there (t), so no collection */
    gcb_object_t *a = gcb_list_new(0), *b = gcb_list_new(0);
    gcb_list_append(keep, a);
    gcb_release(b);
    gcb_safepoint();
    CHECK_EQ_U(young_collections(), c0 + 1);
    alloc_kept(keep);
    CHECK_EQ_U(young_collections(), c0 + 2);

    /* atomic objects do not count */
    for (int i = 0; i < 5000; i++) {
        gcb_local_set(f, 1, gcb_int_new(100000 + i));
        gcb_safepoint();
    }
    CHECK_EQ_U(young_collections(), c0 + 2);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    down();
}

static void test_young_count(void)
{
    /* the default is CPython 3.14.5+: 2000; each preset its own; a
     * threshold given wins over the preset */
    young_count(NULL, 2000);
    const char *p312[] = { "cpython=3.12", NULL }, *p313[] = { "cpython=3.13", NULL };
    young_count(p312, 700);
    young_count(p313, 2000);
    const char *mine[] = { "cpython=3.12", "threshold0=300", NULL };
    young_count(mine, 300);

    /* threshold0=0: no automatic collection at all */
    gcb_frame_t *f;
    const char *off[] = { "threshold0=0", NULL };
    up("gen", off);
    f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int i = 0; i < 5000; i++)
        alloc_kept(gcb_local(f, 0));
    CHECK_EQ_U(stats().collections, 0);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(stats().collections, 1);
    down();

    /* collect=0 (gc.disable()): every container tracked, none collected
     * automatically, gc.collect() still frees a cycle */
    const char *disabled[] = { "collect=0", NULL };
    up("gen", disabled);
    f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int i = 0; i < 5000; i++)
        alloc_kept(gcb_local(f, 0));
    CHECK_EQ_U(stats().collections, 0);
    CHECK(gcb_cycle_is_tracked(gcb_local(f, 0)));
    CHECK(gcb_cycle_is_tracked(gcb_list_get(gcb_local(f, 0), 4999)));
    gcb_object_t *c1 = gcb_list_new(0), *c2 = gcb_list_new(0);
    gcb_list_append(c1, gcb_newref(c2));
    gcb_list_append(c2, c1);
    gcb_release(c2); /* c1 <-> c2, only the cycle holds them */
    uint64_t live = gcb_runtime_counters()->live_objects;
    gcb_safepoint();
    CHECK_EQ_U(stats().collections, 0);
    gcb_gc_collect();
    CHECK_EQ_U(stats().collections, 1);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, live - 2);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    down();
}

/* An independent model of CPython's schedule for a run in which every
 * allocated container stays alive: generation sizes are then known exactly
 * and each collection's survivors are everything it looks at. */
typedef struct model {
    int ngen, rule;
    int64_t thr[4], count[4], size[4], pending, total;
    uint64_t collections[4];
} model_t;

static void model_alloc(model_t *m)
{
    m->size[0]++;
    if (++m->count[0] <= m->thr[0])
        return;
    /* a safepoint follows every allocation */
    for (int g = m->ngen - 1; g >= 0; g--) {
        if (m->count[g] <= m->thr[g])
            continue;
        if (m->rule && g == m->ngen - 1 && m->ngen > 1 && m->pending < m->total / 4)
            continue;
        if (g + 1 < m->ngen)
            m->count[g + 1]++;
        int64_t survivors = 0;
        for (int i = 0; i <= g; i++) {
            m->count[i] = 0;
            survivors += m->size[i];
            m->size[i] = 0;
        }
        if (g + 1 < m->ngen) {
            if (g == m->ngen - 2)
                m->pending += survivors;
            m->size[g + 1] += survivors;
        } else {
            m->size[g] = survivors;
            m->pending = 0;
            m->total = survivors;
        }
        m->collections[g]++;
        return;
    }
}

static void test_schedule(const char *const *params, int ngen, const int64_t *thr, int64_t preload, int64_t n,
                          int expect_skips)
{
    up("gen", params);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    gcb_gc_collect();
    for (int64_t i = 0; i < preload; i++)
        gcb_list_append(keep, gcb_list_new(0)); /* no safepoint: stays young */
    gcb_gc_collect(); /* everything in the oldest generation: total = preload + 1 */
    gcb_gc_stats_t before = stats();

    model_t m = { .ngen = ngen, .rule = 1 }, norule;
    for (int i = 0; i < ngen; i++)
        m.thr[i] = thr[i];
    m.size[ngen - 1] = m.total = preload + 1;
    norule = m;
    norule.rule = 0;
    for (int64_t i = 0; i < n; i++) {
        alloc_kept(keep);
        model_alloc(&m);
        model_alloc(&norule);
    }
    gcb_gc_stats_t after = stats();
    for (int g = 0; g < ngen; g++)
        CHECK_EQ_U(after.collections_per_gen[g] - before.collections_per_gen[g], m.collections[g]);
    if (expect_skips)
        CHECK(m.collections[ngen - 1] < norule.collections[ngen - 1]); /* the 25% rule mattered */
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    down();
}

static void test_schedules(void)
{
    /* each preset from an empty heap, against the model with that
     * version's thresholds: 3.14.5+ (the default) and 3.13 2000/10/10,
     * 3.12 700/10/10 */
    static const int64_t t2000[] = { 2000, 10, 10 }, t700[] = { 700, 10, 10 };
    test_schedule(NULL, 3, t2000, 0, 400000, 0);
    const char *p313[] = { "cpython=3.13", NULL }, *p312[] = { "cpython=3.12", NULL };
    test_schedule(p313, 3, t2000, 0, 400000, 0);
    test_schedule(p312, 3, t700, 0, 400000, 0);
    /* a large old generation: full collections wait for 25% of it */
    const char *small[] = { "threshold0=100", "threshold1=2", "threshold2=2", NULL };
    static const int64_t sm[] = { 100, 2, 2 };
    test_schedule(small, 3, sm, 40000, 60000, 1);
    const char *two[] = { "generations=2", "threshold0=50", "threshold1=3", NULL };
    static const int64_t tw[] = { 50, 3 };
    test_schedule(two, 2, tw, 5000, 30000, 1);
    const char *four[] = { "generations=4", "threshold0=40", "threshold1=3", "threshold2=3", "threshold3=2", NULL };
    static const int64_t fo[] = { 40, 3, 3, 2 };
    test_schedule(four, 4, fo, 20000, 60000, 1);
    const char *one[] = { "generations=1", "threshold0=100", NULL };
    static const int64_t on[] = { 100 };
    test_schedule(one, 1, on, 1000, 20000, 0);
}

static void test_tuples(void)
{
    up("gen", NULL);
    gcb_frame_t *f = gcb_frame_push(8);
    gcb_object_t *t1 = gcb_tuple_new(2);
    gcb_tuple_init(t1, 0, gcb_int_new(100000));
    gcb_tuple_init(t1, 1, gcb_str_new("s", 1));
    gcb_local_set(f, 0, t1);
    gcb_object_t *t2 = gcb_tuple_new(1); /* a tuple of an atomic tuple */
    gcb_tuple_init(t2, 0, gcb_newref(t1));
    gcb_local_set(f, 1, t2);
    gcb_object_t *t3 = gcb_tuple_new(1);
    gcb_tuple_init(t3, 0, gcb_list_new(0));
    gcb_local_set(f, 2, t3);
    gcb_object_t *t4 = gcb_tuple_new(1);
    gcb_tuple_init(t4, 0, gcb_dict_new());
    gcb_local_set(f, 3, t4);
    gcb_object_t *t5 = gcb_tuple_new(0);
    gcb_local_set(f, 4, t5);
    CHECK(gcb_cycle_is_tracked(t1) && gcb_cycle_is_tracked(t2) && gcb_cycle_is_tracked(t5));

    /* a young collection (not only full ones) untracks */
    gcb_local_set(f, 5, gcb_list_new(0));
    for (int i = 0; i < 2001; i++) /* past the default preset's threshold0, 2000 */
        alloc_kept(gcb_local(f, 5));
    CHECK(young_collections() >= 1);
    CHECK(!gcb_cycle_is_tracked(t1));
    CHECK(!gcb_cycle_is_tracked(t2)); /* inner before outer: one collection */
    CHECK(gcb_cycle_is_tracked(t3));  /* holds a list */
    CHECK(gcb_cycle_is_tracked(t4));  /* holds a dict */
    CHECK(!gcb_cycle_is_tracked(t5));

    /* a cycle through a tuple: d = {}; d[1] = (d, 1) */
    gcb_object_t *d = gcb_dict_new();
    gcb_local_set(f, 6, d);
    gcb_object_t *t = gcb_tuple_new(2);
    gcb_tuple_init(t, 0, gcb_newref(d));
    gcb_tuple_init(t, 1, gcb_int_new(1));
    gcb_dict_set(d, gcb_int_new(1), t);
    gcb_gc_collect();
    CHECK(gcb_cycle_is_tracked(t)); /* holds a dict: stays */
    gcb_local_set(f, 6, gcb_None);
    gcb_local_set(f, 5, gcb_None);
    gcb_gc_collect();
    gcb_oracle_t o;
    CHECK(gcb_oracle_check_collected(1, "gen tuples", &o) == 0);
    CHECK_EQ_U(o.live, 9); /* t1 + its int and str, t2, t3 + list, t4 + dict, t5 */
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    down();
}

/* Which presets track dicts lazily: 3.12 and 3.13 (until gh-127010),
 * not 3.14; untrack_dicts given wins. */
static void test_dict_presets(void)
{
    static const struct { const char *p1, *p2; int lazy; } cases[] = {
        { NULL, NULL, 0 }, { "cpython=3.14", NULL, 0 }, { "cpython=3.13", NULL, 1 },
        { "cpython=3.12", NULL, 1 }, { "cpython=3.13", "untrack_dicts=0", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *params[] = { cases[i].p1, cases[i].p2, NULL };
        up("gen", params);
        gcb_object_t *d = gcb_dict_new();
        CHECK(gcb_cycle_is_tracked(d) == !cases[i].lazy);
        gcb_release(d);
        down();
    }
}

static void test_lazy_dicts(void)
{
    const char *lazy[] = { "untrack_dicts=1", NULL };
    up("gen", lazy);
    gcb_frame_t *f = gcb_frame_push(4);
    gcb_object_t *d = gcb_dict_new();
    gcb_local_set(f, 0, d);
    CHECK(!gcb_cycle_is_tracked(d));
    gcb_dict_set(d, gcb_int_new(1), gcb_int_new(123456));
    gcb_dict_set(d, gcb_str_new("k", 1), gcb_float_new(1.5));
    CHECK(!gcb_cycle_is_tracked(d)); /* atomic keys and values */
    gcb_object_t *at = gcb_tuple_new(1);
    gcb_tuple_init(at, 0, gcb_int_new(7));
    gcb_local_set(f, 1, at);
    gcb_gc_collect(); /* `at` untracked */
    CHECK(!gcb_cycle_is_tracked(at));
    gcb_dict_set(d, gcb_int_new(2), gcb_newref(at));
    CHECK(!gcb_cycle_is_tracked(d)); /* an untracked tuple cannot become trackable */
    gcb_dict_set(d, gcb_int_new(3), gcb_list_new(0));
    CHECK(gcb_cycle_is_tracked(d));  /* a list may hold anything */
    CHECK(gcb_dict_del(d, gcb_int_new(3)));
    CHECK(gcb_cycle_is_tracked(d));  /* not untracked by a delete ... */
    gcb_gc_collect();
    CHECK(!gcb_cycle_is_tracked(d)); /* ... but by the next full collection */
    gcb_object_t *e = gcb_dict_new();
    gcb_local_set(f, 2, e);
    gcb_dict_set(e, gcb_newref(d), gcb_None); /* a dict as a key: trackable */
    CHECK(gcb_cycle_is_tracked(e));
    /* instance dicts: a cycle a.__dict__ -> b -> b.__dict__ -> a */
    gcb_object_t *cls = gcb_class_new("A"), *name = gcb_str_const("other");
    gcb_object_t *a = gcb_instance_new(cls), *b = gcb_instance_new(cls);
    CHECK(!gcb_cycle_is_tracked(gcb_instance_dict(a)));
    gcb_setattr(a, name, gcb_newref(b));
    gcb_setattr(b, name, a);
    CHECK(gcb_cycle_is_tracked(gcb_instance_dict(a)) && gcb_cycle_is_tracked(gcb_instance_dict(b)));
    gcb_release(b);
    gcb_gc_collect();
    gcb_oracle_t o;
    CHECK(gcb_oracle_check_collected(1, "gen lazy dicts", &o) == 0);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    down();
}

/* The write barrier is installed exactly when untrack_dicts=1 needs it:
 * the runtime's count of barrier calls (check build) stays 0 under the
 * default, and with lazy dicts it counts every store while a cycle through
 * a dict that only a store could track is found and freed. */
static void test_barrier_installed(void)
{
    CHECK(gcb_debug_available());
    for (int lazy = 0; lazy <= 1; lazy++) {
        const char *params[] = { lazy ? "untrack_dicts=1" : "untrack_dicts=0", NULL };
        up("gen", params);
        gcb_frame_t *f = gcb_frame_push(2);
        gcb_object_t *d = gcb_dict_new(), *l = gcb_list_new(0);
        gcb_local_set(f, 0, d);
        gcb_local_set(f, 1, l);
        CHECK(gcb_cycle_is_tracked(d) == !lazy);
        gcb_dict_set(d, gcb_int_new(1), gcb_newref(l)); /* two stores: key and value */
        gcb_list_append(l, gcb_newref(d));               /* one */
        gcb_list_set(l, 0, gcb_newref(d));               /* one */
        CHECK(gcb_dict_del(d, gcb_int_new(1)));          /* one */
        gcb_dict_set(d, gcb_int_new(2), gcb_newref(l));  /* two: d <-> l again */
        CHECK_EQ_U(gcb_debug_barrier_calls(), lazy ? 7 : 0);
        CHECK(gcb_cycle_is_tracked(d)); /* from birth, or through the barrier */
        gcb_frame_pop(f);
        gcb_gc_collect();
        CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0); /* the cycle was seen whole */
        down();
    }
}

static gcb_run_result_t run(const char *cname, const char *wl, const char *const *params, uint64_t seed)
{
    return cell(alloc_name, cname, wl, params, seed);
}

static void test_workloads(void)
{
    const char *churn[] = { "scale=0.05", NULL };
    gcb_run_result_t rc = run("rc", "intchurn", churn, 7);
    gcb_run_result_t g = run("gen", "intchurn", churn, 7);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.wl.ops, rc.wl.ops);
    CHECK_EQ_U(g.leaked_objects, 0);
    CHECK_EQ_U(g.gc.freed_by_gc, 0); /* nothing cyclic: refcounting frees it all */

    static const char *const variants[][6] = {
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "generations=1", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "generations=2", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "generations=4", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=2000", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "untrack_dicts=1", NULL },
    };
    const char *base[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    rc = run("rc", "cycles", base, 3);
    CHECK(rc.leaked_objects > 0);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        g = run("gen", "cycles", variants[v], 3);
        CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
        CHECK_EQ_U(g.leaked_objects, 0);
        CHECK_EQ_U(g.leaked_bytes, 0);
        CHECK_EQ_U(g.gc.freed_by_gc, rc.wl.cyclic_garbage_objects); /* exactly the cycles */
        CHECK_EQ_U(g.gc.freed_by_rc + g.gc.freed_by_gc, g.counters.objects_freed);
        CHECK(g.gc.collections > 1);
        CHECK_EQ_U(g.gc.pauses.count, g.gc.collections);
        CHECK(g.gc.gc_time_s > 0);
        CHECK(g.gc.objects_traversed > 0);
    }
    const char *loc[] = { "scale=0.01", "pool=5000", NULL };
    rc = run("rc", "locals", loc, 2);
    g = run("gen", "locals", loc, 2);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.wl.ops, rc.wl.ops);
    CHECK_EQ_U(g.leaked_objects, 0);

    const char *all[] = { "scale=0.05", "cycle_rate=1", NULL };
    rc = run("rc", "cycles", all, 1);
    g = run("gen", "cycles", all, 1);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.leaked_objects, 0);
    CHECK_EQ_U(rc.leaked_objects, rc.wl.cyclic_garbage_objects);
}

static void test_interp_heap(void)
{
    const char *none[] = { "scale=0.05", NULL };
    const char *heap[] = { "scale=0.05", "interp_heap=5000", NULL };
    gcb_run_result_t a = run("gen", "cycles", none, 3);
    gcb_run_result_t b = run("gen", "cycles", heap, 3);
    CHECK_EQ_U(b.wl.checksum, a.wl.checksum);
    CHECK_EQ_U(b.wl.ops, a.wl.ops);
    CHECK_EQ_U(b.leaked_objects, 0);
    CHECK_EQ_U(b.gc.freed_by_gc, a.gc.freed_by_gc);              /* the stand-in is never garbage */
    CHECK_EQ_U(b.counters.objects_freed, a.counters.objects_freed + 5001); /* 5000 lists and the root */
    uint64_t full = b.gc.collections_per_gen[b.gc.generations - 1];
    CHECK(full >= 3);                                             /* cycles' gc.collect() per round */
    CHECK(b.gc.objects_traversed >= a.gc.objects_traversed + 5000 * full);
    gcb_run_result_t r = run("rc", "cycles", heap, 3);           /* rc: freed with its frame */
    CHECK_EQ_U(r.wl.checksum, a.wl.checksum);
    CHECK_EQ_U(r.leaked_objects, r.wl.cyclic_garbage_objects);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        alloc_name = argv[1];
    char err[512];
    if (gcb_alloc_parse(alloc_name, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    test_young_count();
    test_schedules();
    test_tuples();
    test_dict_presets();
    test_lazy_dicts();
    test_barrier_installed();
    test_workloads();
    test_interp_heap();
    return gcb_check_exit("test_gen");
}
