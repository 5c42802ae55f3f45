/*
 * workloads/copies.c - copy.copy against copy.deepcopy of nested lists and
 * dicts: the seed notes' h1 = [1, 2, [3, 4]] and original/shallow/deep.
 *
 *     import copy
 *     orig = build(depth, breadth)    # a list of lists and dicts, leaves int/str/float;
 *                                     # some children are the previous sibling again
 *     for i in range(n):
 *         if mode in ("shallow", "both"):
 *             s = copy.copy(orig)     # a new outer list, the same children
 *             s2 = copy.copy(orig[j2])    # list.copy() or dict.copy() of a child
 *         if mode in ("deep", "both"):
 *             d = copy.deepcopy(orig) # every container copied, atoms shared
 *         c = orig[j]                 # a container child
 *         c[0] = v                    # the seed's h1[2][0] = 99:
 *         assert s[j] is c            #   seen through the shallow copy,
 *         assert d[j] is not c        #   not through the deep one
 *         if randrange(16) == 0:
 *             orig[k] = build(depth - 1, breadth)   # rebinding: neither copy sees it
 *
 * copy.deepcopy is modelled on CPython's Lib/copy.py: a memo dict maps
 * id(x) to the copy (so a shared child is copied once and stays shared in
 * the copy), and memo[id(memo)] is the keep-alive list holding every
 * original copied.  id(x) is an int made from the address, as in CPython:
 * its value differs between runs but every dict operation, and so every
 * allocation and the checksum, is the same.  Atoms (int, float, str,
 * None) are returned as they are and not memoised, as _deepcopy_atomic.
 * copy.copy of a list is list.copy(), a slice; of a dict, dict.copy(),
 * modelled as a new dict filled in order (CPython clones the table in one
 * allocation; the difference is a few table resizes).
 *
 * `ops` counts the containers the copies create (the memo's id ints, the
 * memo and its keep-alive list not included).
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t copies_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 5,000 x scale iterations" },
    { "mode", GCB_PARAM_STRING, "both", 0, 0, "which copies each iteration makes: shallow, deep or both",
      "shallow|deep|both" },
    { "depth", GCB_PARAM_INT, "4", 1, 24, "nesting depth of the original" },
    { "breadth", GCB_PARAM_INT, "5", 1, 1 << 16, "children per container" },
    { "dict_rate", GCB_PARAM_DOUBLE, "0.4", 0, 1, "fraction of inner containers that are dicts (the rest lists)" },
    { "share_rate", GCB_PARAM_DOUBLE, "0.1", 0, 1, "fraction of children that are the previous sibling again (shared)" },
    GCB_PARAM_END
};

enum { L_ORIG, L_SHALLOW, L_CHILD, L_DEEP, L_MEMO, L_KEEP, NLOCALS };

#define MAX_BREADTH_KEYS 64

typedef struct build_ctx {
    gcb_rng_t *rng;
    int64_t breadth;
    double dict_rate, share_rate;
    gcb_object_t *keys[MAX_BREADTH_KEYS];   /* 'k0'.. : code constants (immortal) */
} build_ctx_t;

static gcb_object_t *key_of(build_ctx_t *b, int64_t j)
{
    if (j < MAX_BREADTH_KEYS)
        return gcb_newref(b->keys[j]);
    return gcb_int_new(j);                  /* wide dicts: int keys past k63 */
}

static gcb_object_t *leaf(gcb_rng_t *rng)
{
    uint64_t r = gcb_rng_below(rng, 20);
    if (r < 12)
        return gcb_int_new(1000 + (int64_t)gcb_rng_below(rng, 1u << 30));
    if (r < 17) {
        static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
        return gcb_str_new(letters, 1 + gcb_rng_below(rng, 24));
    }
    return gcb_float_new(gcb_rng_double(rng));
}

/* The original: no safepoint is reached while it is built, so the partly
 * built containers may sit in C variables. -> new */
static gcb_object_t *build(build_ctx_t *b, int depth)
{
    if (depth == 0)
        return leaf(b->rng);
    bool is_dict = gcb_rng_double(b->rng) < b->dict_rate;
    gcb_object_t *c = is_dict ? gcb_dict_new() : gcb_list_new(0);
    gcb_object_t *prev = NULL;
    for (int64_t j = 0; j < b->breadth; j++) {
        gcb_object_t *child = prev && gcb_rng_double(b->rng) < b->share_rate ? gcb_newref(prev)
                                                                             : build(b, depth - 1);
        prev = child;                        /* borrowed once stored below */
        if (is_dict)
            gcb_dict_set(c, key_of(b, j), child);
        else
            gcb_list_append(c, child);
    }
    return c;
}

static bool is_atomic(const gcb_object_t *o)
{
    return o == gcb_None || o->type == &gcb_int_type || o->type == &gcb_float_type ||
           o->type == &gcb_str_type;
}

/* copy.deepcopy(x, memo), for lists, dicts and atoms. -> new */
static gcb_object_t *deepcopy(gcb_object_t *x, gcb_object_t *memo, gcb_object_t *keep, uint64_t *made)
{
    if (is_atomic(x))
        return gcb_newref(x);
    gcb_object_t *d = gcb_int_new((int64_t)(uintptr_t)x);       /* d = id(x) */
    gcb_object_t *y = gcb_dict_get(memo, d);
    if (y) {
        gcb_release(d);
        return gcb_newref(y);
    }
    (*made)++;
    if (x->type == &gcb_list_type) {                             /* _deepcopy_list */
        y = gcb_list_new(0);
        gcb_dict_set(memo, gcb_newref(d), gcb_newref(y));
        for (size_t i = 0; i < gcb_list_len(x); i++)
            gcb_list_append(y, deepcopy(gcb_list_get(x, i), memo, keep, made));
    } else {                                                     /* _deepcopy_dict */
        y = gcb_dict_new();
        gcb_dict_set(memo, gcb_newref(d), gcb_newref(y));
        size_t pos = 0;
        gcb_object_t *k, *v;
        while (gcb_dict_next(x, &pos, &k, &v)) {
            gcb_object_t *kc = deepcopy(k, memo, keep, made);
            gcb_dict_set(y, kc, deepcopy(v, memo, keep, made));
        }
    }
    gcb_dict_set(memo, d, gcb_newref(y));                        /* memo[d] = y */
    gcb_list_append(keep, gcb_newref(x));                        /* _keep_alive(x, memo) */
    return y;
}

/* copy.copy(x) -> new */
static gcb_object_t *shallowcopy(gcb_object_t *x)
{
    if (x->type == &gcb_list_type)
        return gcb_list_slice(x, 0, (int64_t)gcb_list_len(x));
    gcb_object_t *y = gcb_dict_new();
    size_t pos = 0;
    gcb_object_t *k, *v;
    while (gcb_dict_next(x, &pos, &k, &v))
        gcb_dict_set(y, gcb_newref(k), gcb_newref(v));
    return y;
}

static int copies_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                      char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(5000.0 * gcb_param_double(p, copies_params, "scale"));
    const char *mode = gcb_param_str(p, copies_params, "mode");
    const bool do_shallow = strcmp(mode, "deep") != 0, do_deep = strcmp(mode, "shallow") != 0;
    const int depth = (int)gcb_param_int(p, copies_params, "depth");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    build_ctx_t b = {
        .rng = &rng,
        .breadth = gcb_param_int(p, copies_params, "breadth"),
        .dict_rate = gcb_param_double(p, copies_params, "dict_rate"),
        .share_rate = gcb_param_double(p, copies_params, "share_rate"),
    };
    for (int j = 0; j < MAX_BREADTH_KEYS; j++) {
        char key[8];
        snprintf(key, sizeof key, "k%d", j);
        b.keys[j] = gcb_str_const(key);
    }

    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0, seen = 0, unseen = 0;
    /* the top level is a list, as the seed's h1 */
    {
        gcb_object_t *orig = gcb_list_new(0);
        gcb_local_set(f, L_ORIG, orig);
        for (int64_t j = 0; j < b.breadth; j++)
            gcb_list_append(orig, build(&b, depth - 1));
    }
    gcb_safepoint();

    const size_t width = (size_t)b.breadth;
    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *orig = gcb_local(f, L_ORIG);
        if (do_shallow) {
            gcb_local_set(f, L_SHALLOW, shallowcopy(orig));
            ops++;
            gcb_object_t *c = gcb_list_get(orig, gcb_rng_below(&rng, width));
            if (!is_atomic(c)) {                 /* copy.copy of a child: list.copy or dict.copy */
                gcb_local_set(f, L_CHILD, shallowcopy(c));
                ops++;
            }
        }
        if (do_deep) {
            gcb_local_set(f, L_MEMO, gcb_dict_new());
            gcb_local_set(f, L_KEEP, gcb_list_new(0));
            gcb_object_t *memo = gcb_local(f, L_MEMO), *keep = gcb_local(f, L_KEEP);
            gcb_dict_set(memo, gcb_int_new((int64_t)(uintptr_t)memo), gcb_newref(keep)); /* memo[id(memo)] */
            gcb_local_set(f, L_DEEP, deepcopy(orig, memo, keep, &ops));
            gcb_local_set(f, L_MEMO, gcb_newref(gcb_None));
            gcb_local_set(f, L_KEEP, gcb_newref(gcb_None));
        }

        /* mutate a container child in place: h1[2][0] = 99 */
        size_t j = gcb_rng_below(&rng, width);
        gcb_object_t *c = gcb_list_get(orig, j);
        if (!is_atomic(c)) {
            gcb_object_t *v = gcb_int_new(99 + (int64_t)i);
            if (c->type == &gcb_list_type)
                gcb_list_set(c, 0, v);
            else
                gcb_dict_set(c, key_of(&b, 0), v);
            if (do_shallow)
                seen += gcb_list_get(gcb_local(f, L_SHALLOW), j) == c;
            if (do_deep)
                unseen += gcb_list_get(gcb_local(f, L_DEEP), j) != c;
        }
        /* now and then rebind a top-level slot to a new subtree: neither copy
         * sees it.  The slot is drawn before the subtree is built: C leaves
         * the order of a call's argument evaluations unspecified, and the
         * Python twin (workloads/python/copies.py) draws in this order. */
        if (gcb_rng_below(&rng, 16) == 0) {
            size_t k = gcb_rng_below(&rng, width);
            gcb_list_set(orig, k, build(&b, depth - 1));
        }
        gcb_safepoint();
    }

    /* checksum: the original, the last copies, and the shallow/deep tallies */
    gcb_object_t *orig = gcb_local(f, L_ORIG);
    h = gcb_wl_hash(h, orig, depth);
    if (do_shallow)
        h = gcb_wl_hash(h, gcb_local(f, L_SHALLOW), depth);
    if (do_deep) {
        gcb_object_t *d = gcb_local(f, L_DEEP);
        h = gcb_wl_hash(h, d, depth);
        h = gcb_mix(h, gcb_wl_equal(d, orig));
    }
    h = gcb_mix(gcb_mix(h, seen), unseen);
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_copies = {
    .name = "copies",
    .description = "copy.copy vs copy.deepcopy (memo dict) of nested lists and dicts",
    .ops_unit = "containers created by copies",
    .params = copies_params,
    .run = copies_run,
};
