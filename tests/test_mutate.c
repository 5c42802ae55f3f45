/*
 * tests/test_mutate.c - randomized graph mutation under one collector,
 * checked by the reachability oracle (tests/oracle.h).
 *
 * Usage: test_mutate COLLECTOR ALLOCATOR [--ops=N] [--seed=N] [--check-every=N]
 *                    [--collect-every=N] [--fingerprint-every=N]
 *                    [--min-collections=N] [KEY=VALUE ...]
 * KEY=VALUE pairs are the collector's parameters (-p of gcbench run).
 * --min-collections: the run fails unless the collector reported at least
 * N collections, so a run given small thresholds proves that collections
 * really ran mid-program (the oracle is only as good as what it sees).
 *
 * A seeded sequence of operations over every container type (tuple, list,
 * dict, instance) and leaf type (int small and boxed, float, str plain,
 * interned and constant): allocate into a local, alias one local into
 * another, store a local into a container (cycles, self-references, objects
 * as dict keys), load from a container into a local, overwrite, drop, pop,
 * delete, clear, push and pop frames, and collect.  A safepoint follows
 * every operation, so automatic collections, reconciliations and batch
 * frees happen wherever the collector wants them.
 *
 * Checks: before and after every safepoint that has work to do (every
 * --fingerprint-every-th), a fingerprint of the reachable graph must not
 * change: a collector may free only what is unreachable and must not clear
 * anything in use.  Every --check-every operations the oracle scans the heap (no
 * dangling reference, every count right, runtime counters consistent);
 * every --collect-every operations a full collection, after which the live
 * set must be exactly the reachable set (collectors with `complete` set) or
 * the reachable set plus cyclic garbage (the others).  At the end the frames
 * are popped and after a final collection nothing may be live but cyclic
 * garbage (and nothing at all for complete collectors).  The test links the
 * check build of the core (gcbcore_check): freed objects are poisoned and
 * double frees abort, so a use after free fails loudly.
 *
 * Any collector in the registry can be tested: one meson line each.
 * This is the one random-mutation oracle test of the suite (it absorbed
 * test_reach, whose runs remain as the reach-* tests in tests/meson.build).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allocators/allocator.h"
#include "runtime/debug.h"
#include "collectors/collector.h"
#include "runtime/host.h"
#include "tests/check.h"
#include "tests/oracle.h"
#include "util/rng.h"

enum { MAX_FRAMES = 4, NLOCALS = 16, MAX_LEN = 24, MODULE_LEN = 4096, SOFT_LIVE_CAP = 150000 };

static gcb_rng_t rng;
static gcb_frame_t *frames[MAX_FRAMES];
static int depth;
static gcb_object_t *classes[3], *attrs[4], *keys[8];
/* The module's globals: a list in an extra slot of the outermost frame that
 * random operations never overwrite, so objects published there live long,
 * age into the older generations and get collected in full collections. */
#define MODULE_SLOT NLOCALS
static uint64_t op_count[10];

static uint64_t below(uint64_t n) { return gcb_rng_below(&rng, n); }

/* Every object the test is about to use must be allocated (or immortal):
 * a pointer to freed memory aborts here, before the runtime reads through
 * it (a freed dict's table could make a lookup spin instead of crash). */
static gcb_object_t *live(gcb_object_t *o, const char *where)
{
    if (gcb_debug_lookup(o) == GCB_DEBUG_UNKNOWN) {
        fprintf(stderr, "test_mutate: use after free: %s holds %p, which is not a live object\n", where, (void *)o);
        abort();
    }
    return o;
}

/* A random local slot: the innermost frame most of the time. */
static void pick(gcb_frame_t **f, uint32_t *i)
{
    int d = below(4) ? depth - 1 : (int)below((uint64_t)depth);
    *f = frames[d];
    *i = (uint32_t)below(NLOCALS);
}

static gcb_object_t *any_local(void)
{
    gcb_frame_t *f;
    uint32_t i;
    pick(&f, &i);
    return live(gcb_local(f, i), "a local");
}

static gcb_object_t *new_leaf(void)
{
    switch (below(7)) {
    case 0: return gcb_int_new((int64_t)below(300) - 20);            /* mostly cached */
    case 1: return gcb_int_new(1000 + (int64_t)below(1000000));
    case 2: return gcb_float_new((double)below(1000) / 7.0);
    case 3: {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "s%llu", (unsigned long long)below(100000));
        return gcb_str_new(buf, (size_t)n);
    }
    case 4: {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "i%llu", (unsigned long long)below(64));
        return gcb_str_intern(gcb_str_new(buf, (size_t)n));
    }
    case 5: return gcb_str_concat(keys[below(8)], keys[below(8)]);
    default: return gcb_newref(keys[below(8)]);
    }
}

/* A dict key: immortal small int or constant mostly, sometimes any local. */
static gcb_object_t *new_key(gcb_object_t *d)
{
    uint64_t r = below(10);
    if (r < 6)
        return gcb_int_new((int64_t)below(16));
    if (r < 9 || gcb_dict_len(d) >= MAX_LEN)
        return gcb_newref(keys[below(8)]);
    return gcb_newref(any_local());
}

static gcb_object_t *new_object(void)
{
    switch (below(9)) {
    case 0: case 1: case 2:
        return new_leaf();
    case 3: {
        size_t n = (size_t)below(5);
        gcb_object_t *t = gcb_tuple_new(n);
        for (size_t i = 0; i < n; i++)
            gcb_tuple_init(t, i, below(3) ? gcb_newref(any_local()) : new_leaf());
        return t;
    }
    case 4:
        return gcb_list_new((size_t)below(3));
    case 5: {
        gcb_object_t *l = gcb_list_new(0);
        for (uint64_t n = below(5); n > 0; n--)
            gcb_list_append(l, gcb_newref(any_local()));
        return l;
    }
    case 6: {
        gcb_object_t *d = gcb_dict_new();
        for (uint64_t n = below(4); n > 0; n--)
            gcb_dict_set(d, new_key(d), gcb_newref(any_local()));
        return d;
    }
    default: {
        gcb_object_t *o = gcb_instance_new(classes[below(3)]);
        for (uint64_t n = below(3); n > 0; n--)
            gcb_setattr(o, attrs[below(4)], gcb_newref(any_local()));
        return o;
    }
    }
}

static int is_list(gcb_object_t *o) { return o->type == &gcb_list_type; }
static int is_dict(gcb_object_t *o) { return o->type == &gcb_dict_type; }
static int is_tuple(gcb_object_t *o) { return o->type == &gcb_tuple_type; }

/* Store a local (or a new leaf) into the container `c`. */
static void store_into(gcb_object_t *c, gcb_object_t *value /* new ref */)
{
    if (is_list(c)) {
        size_t n = gcb_list_len(c);
        if (n < MAX_LEN && below(2))
            gcb_list_append(c, value);
        else if (n)
            gcb_list_set(c, (size_t)below(n), value);
        else
            gcb_list_append(c, value);
    } else if (is_dict(c)) {
        gcb_dict_set(c, new_key(c), value);
    } else if (gcb_is_instance(c)) {
        gcb_setattr(c, attrs[below(4)], value);
    } else {
        gcb_release(value);
    }
}

static gcb_object_t *element_of_(gcb_object_t *c);

/* A borrowed element of container `c`, or NULL. */
static gcb_object_t *element_of(gcb_object_t *c)
{
    gcb_object_t *e = element_of_(c);
    return e ? live(e, c->type->name) : NULL;
}

static gcb_object_t *element_of_(gcb_object_t *c)
{
    if (is_list(c)) {
        size_t n = gcb_list_len(c);
        return n ? gcb_list_get(c, (size_t)below(n)) : NULL;
    }
    if (is_tuple(c)) {
        size_t n = gcb_tuple_len(c);
        return n ? gcb_tuple_get(c, (size_t)below(n)) : NULL;
    }
    if (is_dict(c)) {
        size_t n = gcb_dict_len(c), skip = n ? (size_t)below(n) : 0, pos = 0;
        gcb_object_t *k, *v;
        while (gcb_dict_next(c, &pos, &k, &v))
            if (skip-- == 0)
                return below(4) ? v : k;
        return NULL;
    }
    if (gcb_is_instance(c))
        return below(4) ? gcb_getattr(c, attrs[below(4)]) : gcb_instance_dict(c);
    return NULL;
}

static void remove_from(gcb_object_t *c, gcb_frame_t *f, uint32_t i)
{
    if (is_list(c)) {
        if (below(20) == 0) {
            gcb_list_clear(c);
        } else if (gcb_list_len(c)) {
            gcb_object_t *item = gcb_list_pop(c); /* new ref */
            if (below(2))
                gcb_local_set(f, (i + 1) % NLOCALS, item);
            else
                gcb_release(item);
        }
    } else if (is_dict(c)) {
        if (below(20) == 0) {
            gcb_dict_clear(c);
        } else {
            gcb_object_t *k = below(2) ? gcb_int_new((int64_t)below(16)) : keys[below(8)];
            gcb_dict_del(c, k);
        }
    } else if (gcb_is_instance(c)) {
        gcb_setattr(c, attrs[below(4)], gcb_None);
    }
}

static void step(void)
{
    gcb_frame_t *f, *g;
    uint32_t i, j;
    pick(&f, &i);
    gcb_object_t *cur = live(gcb_local(f, i), "a local");
    uint64_t r = below(100);
    /* when the heap grows large, lean towards dropping */
    if (gcb_debug_live_count() > SOFT_LIVE_CAP && r < 40)
        r = 71;
    if (r < 20) {                                   /* allocate into a local */
        op_count[0]++;
        gcb_local_set(f, i, new_object());
    } else if (r < 33) {                            /* alias: x = y */
        op_count[1]++;
        pick(&g, &j);
        gcb_local_set(f, i, gcb_newref(live(gcb_local(g, j), "a local")));
    } else if (r < 58) {                            /* store into a container */
        op_count[2]++;
        gcb_object_t *v = below(6) ? gcb_newref(any_local()) : new_leaf();
        store_into(cur, v);
    } else if (r < 71) {                            /* load from a container */
        op_count[3]++;
        gcb_object_t *e = element_of(cur);
        if (e)
            gcb_local_set(f, (i + 1 + (uint32_t)below(NLOCALS - 1)) % NLOCALS, gcb_newref(e));
    } else if (r < 78) {                            /* drop */
        op_count[4]++;
        gcb_local_set(f, i, gcb_None);
    } else if (r < 88) {                            /* pop / delete / clear */
        op_count[5]++;
        remove_from(cur, f, i);
    } else if (r < 92) {                            /* slices and nesting */
        op_count[6]++;
        if (is_list(cur))
            gcb_local_set(f, (i + 1) % NLOCALS, gcb_list_slice(cur, (int64_t)below(4), -(int64_t)below(3)));
        else {
            gcb_object_t *t = gcb_tuple_new(2);
            gcb_tuple_init(t, 0, gcb_newref(cur));
            gcb_tuple_init(t, 1, gcb_newref(any_local()));
            gcb_local_set(f, i, t);
        }
    } else if (r < 94) {                            /* call or return */
        op_count[7]++;
        if (depth < MAX_FRAMES && (depth == 1 || below(2))) {
            gcb_frame_t *caller = frames[depth - 1];
            gcb_frame_t *callee = gcb_frame_push(NLOCALS);
            for (uint32_t k = 0; k < 3; k++)   /* arguments */
                gcb_local_set(callee, k, gcb_newref(live(gcb_local(caller, (uint32_t)below(NLOCALS)), "a local")));
            frames[depth++] = callee;
        } else if (depth > 1) {
            gcb_frame_t *callee = frames[--depth];
            /* the return value goes to the caller */
            gcb_local_set(frames[depth - 1], (uint32_t)below(NLOCALS), gcb_newref(live(gcb_local(callee, 0), "a local")));
            gcb_frame_pop(callee);
        }
    } else if (r < 97) {                            /* publish to / fetch from the module */
        op_count[9]++;
        gcb_object_t *mod = gcb_local(frames[0], MODULE_SLOT);
        size_t n = gcb_list_len(mod);
        if (below(2) && n)
            gcb_local_set(f, i, gcb_newref(live(gcb_list_get(mod, (size_t)below(n)), "the module")));
        else if (n < MODULE_LEN)
            gcb_list_append(mod, gcb_newref(cur));
        else
            gcb_list_set(mod, (size_t)below(n), gcb_newref(cur));
    } else {                                        /* make cycles on purpose */
        op_count[8]++;
        pick(&g, &j);
        gcb_object_t *other = live(gcb_local(g, j), "a local");
        if (below(3) == 0) {
            /* through a tuple: self.pair = (self, other) */
            gcb_object_t *t = gcb_tuple_new(2);
            gcb_tuple_init(t, 0, gcb_newref(cur));
            gcb_tuple_init(t, 1, gcb_newref(other));
            store_into(cur, t);
        } else {
            store_into(cur, gcb_newref(below(3) ? other : cur));
            store_into(other, gcb_newref(cur));
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_mutate COLLECTOR ALLOCATOR [--ops=N] [--seed=N] [--check-every=N] "
                        "[--collect-every=N] [--fingerprint-every=N] [--min-collections=N] [KEY=VALUE ...]\n");
        return 2;
    }
    const char *cname = argv[1], *aname = argv[2];
    uint64_t ops = 1000000, seed = 1, check_every = 5000, collect_every = 50000, fp_every = 1, min_collections = 0;
    gcb_params_t params;
    memset(&params, 0, sizeof params);
    char err[512];
    for (int a = 3; a < argc; a++) {
        unsigned long long v;
        if (sscanf(argv[a], "--ops=%llu", &v) == 1) ops = v;
        else if (sscanf(argv[a], "--seed=%llu", &v) == 1) seed = v;
        else if (sscanf(argv[a], "--check-every=%llu", &v) == 1) check_every = v ? v : 1;
        else if (sscanf(argv[a], "--collect-every=%llu", &v) == 1) collect_every = v ? v : 1;
        else if (sscanf(argv[a], "--fingerprint-every=%llu", &v) == 1) fp_every = v ? v : 1;
        else if (sscanf(argv[a], "--min-collections=%llu", &v) == 1) min_collections = v;
        else if (gcb_params_add(&params, argv[a], err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
    }
    const gcb_collector_t *coll = gcb_collector_find(cname);
    if (!coll) {
        fprintf(stderr, "unknown collector '%s'\n", cname);
        return 2;
    }
    const gcb_param_def_t *tables[] = { coll->params, NULL };
    gcb_alloc_choice_t choice;
    if (gcb_params_validate(&params, tables, err, sizeof err) || gcb_alloc_parse(aname, &choice, err, sizeof err) ||
        gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    void *actx = gcb_alloc_instance(&choice, err, sizeof err);
    if (!actx || coll->init(&params, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    gcb_policy_t policy_ = gcb_collector_policy(coll);
    gcb_runtime_init(choice.top, actx, &policy_);
    gcb_rng_seed(&rng, seed);
    classes[0] = gcb_class_new("A");
    classes[1] = gcb_class_new("B");
    classes[2] = gcb_class_new("C");
    static const char *const an[] = { "x", "y", "next", "prev" };
    static const char *const kn[] = { "k0", "k1", "key", "name", "a", "b", "value", "items" };
    for (int k = 0; k < 4; k++)
        attrs[k] = gcb_str_const(an[k]);
    for (int k = 0; k < 8; k++)
        keys[k] = gcb_str_const(kn[k]);
    frames[0] = gcb_frame_push(NLOCALS + 1);
    gcb_local_set(frames[0], MODULE_SLOT, gcb_list_new(0));
    depth = 1;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t scans = 0, fulls = 0, peak_live = 0;
    gcb_oracle_t o;
    uint64_t pending_seen = 0, fingerprinted = 0;
    for (uint64_t n = 1; n <= ops; n++) {
        step();
        /* a safepoint that will work must leave the reachable graph as it was */
        if (gcb_hot.pending && pending_seen++ % fp_every == 0) {
            uint64_t before = gcb_oracle_fingerprint(NULL);
            gcb_safepoint();
            fingerprinted++;
            if (gcb_oracle_fingerprint(NULL) != before) {
                fprintf(stderr, "test_mutate: a safepoint changed the reachable graph after %llu operations (seed %llu)\n",
                        (unsigned long long)n, (unsigned long long)seed);
                CHECK(0);
                break;
            }
        } else {
            gcb_safepoint();
        }
        if (gcb_debug_live_count() > peak_live)
            peak_live = gcb_debug_live_count();
        if (n % collect_every == 0 && coll->policy.collect_full) {
            uint64_t before = gcb_oracle_fingerprint(NULL);
            gcb_gc_collect();
            fulls++;
            CHECK_EQ_U(gcb_oracle_fingerprint(NULL), before);
            int rc = gcb_oracle_check_collected(coll->complete, cname, &o);
            if (rc)
                fprintf(stderr, "  after %llu operations (seed %llu)\n", (unsigned long long)n, (unsigned long long)seed);
            CHECK(rc == 0);
            if (rc)
                break;
        } else if (n % check_every == 0) {
            scans++;
            int rc = gcb_oracle_scan(&o);
            if (rc)
                fprintf(stderr, "  after %llu operations (seed %llu)\n", (unsigned long long)n, (unsigned long long)seed);
            CHECK(rc == 0);
            if (rc)
                break;
        }
    }

    /* the end of a run: frames gone, final collection, nothing left but
     * (for incomplete collectors) cyclic garbage */
    while (depth > 0)
        gcb_frame_pop(frames[--depth]);
    if (coll->policy.collect_full)
        gcb_gc_collect();
    CHECK(gcb_oracle_check_collected(coll->complete, cname, &o) == 0);
    CHECK_EQ_U(o.reachable, 0);
    if (coll->complete)
        CHECK_EQ_U(o.live, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    gcb_gc_stats_t gs;
    coll->stats(&gs);
    /* every pause timed once (collectors/pause.h): at least the final
     * collection's, and the histogram's sum is the total time */
    if (coll->policy.collect_full)
        CHECK(gs.pauses.count >= 1);
    CHECK(gs.collections >= min_collections);
    CHECK(fabs((double)gs.pauses.sum * 1e-9 - gs.gc_time_s) <= 1e-6 * gs.gc_time_s + 1e-12);
    fprintf(stderr,
            "%s/%s seed %llu: %llu safepoints fingerprinted; %llu ops (new %llu, alias %llu, store %llu, load %llu, drop %llu, remove %llu, "
            "nest %llu, call/return %llu, cycle %llu, module %llu) in %.2f s; %llu scans, %llu full collections; "
            "peak %llu live, %llu collections, %llu freed by gc, left %llu live (%llu cyclic)\n",
            cname, aname, (unsigned long long)seed, (unsigned long long)fingerprinted, (unsigned long long)ops, (unsigned long long)op_count[0],
            (unsigned long long)op_count[1], (unsigned long long)op_count[2], (unsigned long long)op_count[3],
            (unsigned long long)op_count[4], (unsigned long long)op_count[5], (unsigned long long)op_count[6],
            (unsigned long long)op_count[7], (unsigned long long)op_count[8], (unsigned long long)op_count[9],
            (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), (unsigned long long)scans,
            (unsigned long long)fulls, (unsigned long long)peak_live, (unsigned long long)gs.collections,
            (unsigned long long)gs.freed_by_gc, (unsigned long long)o.live, (unsigned long long)o.cyclic_garbage);
    if (coll->fini)
        coll->fini();
    gcb_runtime_fini();
    choice.top->destroy(actx);
    return gcb_check_exit("test_mutate");
}
