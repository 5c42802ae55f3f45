/*
 * tests/test_reach.c - a collector never frees what the frames reach, and
 * a complete one frees everything else: checked against tests/reach.h,
 * which knows nothing of the collector.
 *
 * A seeded random program mutates a graph of every container type (list,
 * dict, tuple, class instances and their __dict__s) and leaf type (big
 * ints, floats, strings, interned strings) through the runtime API only:
 * create, store into a local or a slot, overwrite, pop, delete, clear,
 * move a child into a local, drop, with safepoints in between so
 * collections run mid-program (small thresholds), sometimes with a callee
 * frame holding the only references to part of the graph.  Periodically:
 *   - after a safepoint: every reachable object has a valid type (freed
 *     objects are poisoned with 0xdb in this GCB_DEBUG_CHECKS build) and a
 *     count no lower than the references to it;
 *   - after collect_full: the same, and for a complete collector the
 *     runtime's live_objects equals the reachable mortal objects, with
 *     counts exactly equal to the references found (trialdel must have
 *     restored every trial decrement).  For rc and lazy, live >= reachable.
 * Usage: test_reach ALLOCATOR COLLECTOR [OPS [SEED]]
 */
#include "tests/check.h"
#include "tests/cells.h"
#include "tests/reach.h"
#include "util/rng.h"

#include <stdlib.h>

enum { K = 24 };

static gcb_rng_t rng;
static gcb_frame_t *f;
static gcb_object_t *cls[2], *names[3];
static const gcb_type_t *types[8];
static size_t ntypes;

static int is_container(gcb_object_t *o) { return o != gcb_None && gcb_is_container(o); }

static gcb_object_t *new_leaf(void)
{
    static const char *words[] = { "alpha", "beta", "gamma", "delta" };
    switch (gcb_rng_below(&rng, 5)) {
    case 0: return gcb_int_new(1000 + (int64_t)gcb_rng_below(&rng, 1000000));
    case 1: return gcb_float_new(gcb_rng_double(&rng));
    case 2: return gcb_str_new("payload-string", 7 + gcb_rng_below(&rng, 7));
    case 3: {
        const char *w = words[gcb_rng_below(&rng, 4)];
        return gcb_str_intern(gcb_str_new(w, strlen(w)));
    }
    default: return gcb_int_new((int64_t)gcb_rng_below(&rng, 200)); /* small: immortal */
    }
}

static gcb_object_t *new_container(void)
{
    switch (gcb_rng_below(&rng, 4)) {
    case 0: return gcb_list_new(gcb_rng_below(&rng, 3));
    case 1: return gcb_dict_new();
    case 2: return gcb_instance_new(cls[gcb_rng_below(&rng, 2)]);
    default: {
        gcb_object_t *t = gcb_tuple_new(2);
        gcb_tuple_init(t, 0, gcb_newref(gcb_local(f, (uint32_t)gcb_rng_below(&rng, K))));
        gcb_tuple_init(t, 1, gcb_newref(gcb_local(f, (uint32_t)gcb_rng_below(&rng, K))));
        return t;
    }
    }
}

/* Store `ref` (consumed) into container c. */
static void store(gcb_object_t *c, gcb_object_t *ref)
{
    if (c->type == &gcb_list_type) {
        size_t n = gcb_list_len(c);
        if (n < 12 || gcb_rng_below(&rng, 2))
            gcb_list_append(c, ref);
        else
            gcb_list_set(c, gcb_rng_below(&rng, n), ref);
    } else if (c->type == &gcb_dict_type) {
        gcb_dict_set(c, gcb_int_new((int64_t)gcb_rng_below(&rng, 8)), ref);
    } else if (gcb_is_instance(c)) {
        gcb_setattr(c, names[gcb_rng_below(&rng, 3)], ref);
    } else {
        gcb_release(ref);                      /* tuples are immutable once built */
    }
}

/* A borrowed child of c, or NULL. */
static gcb_object_t *child(gcb_object_t *c)
{
    if (c->type == &gcb_list_type) {
        size_t n = gcb_list_len(c);
        return n ? gcb_list_get(c, gcb_rng_below(&rng, n)) : NULL;
    }
    if (c->type == &gcb_dict_type) {
        size_t pos = 0;
        gcb_object_t *k, *v = NULL;
        size_t skip = gcb_rng_below(&rng, 4);
        while (gcb_dict_next(c, &pos, &k, &v) && skip--)
            ;
        return v;
    }
    if (c->type == &gcb_tuple_type)
        return gcb_tuple_get(c, gcb_rng_below(&rng, 2));
    return gcb_instance_dict(c);
}

static void unlink_some(gcb_object_t *c)
{
    if (c->type == &gcb_list_type) {
        if (gcb_rng_below(&rng, 64) == 0)
            gcb_list_clear(c);
        else if (gcb_list_len(c))
            gcb_release(gcb_list_pop(c));
    } else if (c->type == &gcb_dict_type) {
        gcb_dict_del(c, gcb_int_new((int64_t)gcb_rng_below(&rng, 8)));
    } else if (gcb_is_instance(c)) {
        gcb_setattr(c, names[gcb_rng_below(&rng, 3)], gcb_None);
    }
}

/* Locals 0..ANCHORS-1 hold lists that are never rebound (long-lived data,
 * where garbage cycles hang off live ones); the others are rebound freely. */
enum { ANCHORS = 4 };

static void step(void)
{
    uint32_t j = (uint32_t)(ANCHORS + gcb_rng_below(&rng, K - ANCHORS));
    uint32_t k = (uint32_t)gcb_rng_below(&rng, K), a = (uint32_t)gcb_rng_below(&rng, K);
    gcb_object_t *lk = gcb_local(f, k), *la = gcb_local(f, a);
    unsigned r = (unsigned)gcb_rng_below(&rng, 100);
    if (r < 14) {
        gcb_local_set(f, j, new_container());
    } else if (r < 26) {
        if (is_container(lk))
            store(lk, new_leaf());
        else
            gcb_local_set(f, j, new_leaf());
    } else if (r < 58) {
        if (is_container(la))
            store(la, gcb_newref(lk));          /* cycles whenever lk reaches la */
    } else if (r < 68) {
        gcb_local_set(f, j, gcb_None);
    } else if (r < 78) {
        if (is_container(la) && gcb_rng_below(&rng, 3) == 0)
            unlink_some(la);
    } else if (r < 92) {
        if (is_container(lk)) {
            gcb_object_t *c = child(lk);
            if (c)
                gcb_local_set(f, j, gcb_newref(c));
        }
    } else {
        gcb_safepoint();
    }
}

static void check_now(const gcb_collector_t *coll, int after_full)
{
    uint64_t live = gcb_runtime_counters()->live_objects;
    int exact = after_full && coll->complete;
    reach_result_t r = reach_check(types, ntypes, exact);
    CHECK_EQ_U(r.bad_type, 0);
    CHECK_EQ_U(r.bad_count, 0);
    if (exact)
        CHECK_EQ_U(r.reachable, live);
    else
        CHECK(r.reachable <= live);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_reach ALLOCATOR COLLECTOR [OPS [SEED]]\n");
        return 2;
    }
    const char *alloc = argv[1], *name = argv[2];
    uint64_t ops = argc > 3 ? strtoull(argv[3], NULL, 0) : 1000000;
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 0) : 42;
    cells_alloc_ready(alloc, argv);
    if (!GCB_DEBUG_CHECKS)
        fprintf(stderr, "test_reach: warning: built without GCB_DEBUG_CHECKS, freed objects are not poisoned\n");

    /* thresholds small enough that collections run every few hundred ops */
    const char *p_trialdel[] = { "root_threshold=64", NULL };
    const char *p_marksweep[] = { "heap_factor=1.25", "min_heap=0", NULL };
    const char *p_lazy[] = { "batch=64", NULL };
    const char *const *p = strcmp(name, "trialdel") == 0 ? p_trialdel
                         : strcmp(name, "marksweep") == 0 ? p_marksweep
                         : strcmp(name, "lazy") == 0 ? p_lazy : NULL;
    manual_t m;
    manual_start(&m, alloc, name, p);
    gcb_rng_seed(&rng, seed);
    cls[0] = gcb_class_new("A");
    cls[1] = gcb_class_new("B");
    names[0] = gcb_str_const("x");
    names[1] = gcb_str_const("y");
    names[2] = gcb_str_const("z");
    ntypes = 0;
    types[ntypes++] = &gcb_int_type;
    types[ntypes++] = &gcb_float_type;
    types[ntypes++] = &gcb_str_type;
    types[ntypes++] = &gcb_tuple_type;
    types[ntypes++] = &gcb_list_type;
    types[ntypes++] = &gcb_dict_type;
    for (int i = 0; i < 2; i++) {
        gcb_object_t *probe = gcb_instance_new(cls[i]);
        types[ntypes++] = probe->type;
        gcb_release(probe);
    }
    if (m.coll->policy.collect_full)
        gcb_gc_collect();

    f = gcb_frame_push(K);
    for (uint32_t i = 0; i < ANCHORS; i++)
        gcb_local_set(f, i, gcb_list_new(0));
    uint64_t peak_reach = 0;
    for (uint64_t i = 1; i <= ops; i++) {
        step();
        if (i % 10000 == 0) {
            /* a callee frame holding the only references to some objects
             * while collections run: every frame is a root */
            gcb_frame_t *g = gcb_frame_push(4);
            for (uint32_t j = 0; j < 4; j++) {
                uint32_t k = (uint32_t)(ANCHORS + gcb_rng_below(&rng, K - ANCHORS));
                gcb_local_set(g, j, gcb_newref(gcb_local(f, k)));
                gcb_local_set(f, k, gcb_None);
            }
            for (int n = 0; n < 2000; n++)
                step();
            gcb_safepoint();
            check_now(m.coll, 0);
            if (m.coll->policy.collect_full)
                gcb_gc_collect();
            check_now(m.coll, 1);
            for (uint32_t j = 0; j < 4; j++)
                gcb_local_set(f, (uint32_t)(ANCHORS + j), gcb_newref(gcb_local(g, j)));
            gcb_frame_pop(g);
        }
        if (i % 5000 == 0) {
            gcb_safepoint();
            check_now(m.coll, 0);
        }
        if (i % 25000 == 0) {
            if (m.coll->policy.collect_full)
                gcb_gc_collect();
            check_now(m.coll, 1);
            uint64_t live = gcb_runtime_counters()->live_objects;
            if (live > peak_reach)
                peak_reach = live;
        }
    }
    gcb_frame_pop(f);
    gcb_gc_stats_t s = manual_stats(&m);
    fprintf(stderr, "test_reach %s/%s: %llu ops, %llu collections, %llu freed by gc, most live after a full collection %llu\n",
            alloc, name, (unsigned long long)ops, (unsigned long long)s.collections,
            (unsigned long long)s.freed_by_gc, (unsigned long long)peak_reach);
    if (m.coll->complete)
        CHECK(s.collections > 100);
    uint64_t leaked = manual_stop(&m);
    if (m.coll->complete)
        CHECK_EQ_U(leaked, 0);
    return gcb_check_exit("test_reach");
}
