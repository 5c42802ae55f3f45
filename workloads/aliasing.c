/*
 * workloads/aliasing.c - names are references: two names bound to one list,
 * mutation through one seen through the other, rebinding that makes a new
 * object, and `==` against `is`.  The seed notes' myListOne/myListTwo,
 * p1/p2, m/n, score/another_score, `x = None` and `a = 'example'`:
 *
 *     score = 10; another_score = score      # one immortal small int
 *     holders = [None] * n_holders           # names that outlive an iteration
 *     for i in range(n):
 *         myListOne = [v + j for j in range(list_len)]   # v large: new ints
 *         myListTwo = myListOne              # same object
 *         myListOne[0] = 44 + i              # in place: myListTwo sees it
 *         assert myListTwo[0] is myListOne[0]
 *         p1 = [1, 2, 3]
 *         p2 = p1
 *         p2 = [1, 2, 3]                     # rebinding: a new list
 *         p1[0] = 44                         # p2 is unaffected
 *         n = myListTwo; m = n               # m == n and m is n
 *         m = [v + j for j in ...]           # equal values, new objects:
 *                                            #   m == n, m is not n
 *         holders[randrange(n_holders)] = myListOne      # an alias that lives on
 *         h = holders[randrange(n_holders)]
 *         if h is not None: h[randrange(len(h))] = v     # seen by every alias
 *         x = 5; x = None                    # the seed's rebinding to None
 *         a = 3; a = 'example'               # int to str constant
 *
 * `ops` counts the lists created.  Nothing here is cyclic.
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t aliasing_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 400,000 x scale iterations" },
    { "list_len", GCB_PARAM_INT, "3", 1, 1 << 20, "items in myListOne (the seed's [1, 2, 3])" },
    { "holders", GCB_PARAM_INT, "64", 1, 1 << 24, "slots of the holders list (aliases that outlive an iteration)" },
    GCB_PARAM_END
};

enum { L_SCORE, L_ANOTHER, L_ONE, L_TWO, L_P1, L_P2, L_N, L_M, L_HOLDERS, L_X, L_A, NLOCALS };

/* [v + j for j in range(len)] -> new */
static gcb_object_t *make_list(int64_t v, int64_t len)
{
    gcb_object_t *l = gcb_list_new(0);
    for (int64_t j = 0; j < len; j++)
        gcb_list_append(l, gcb_int_new(v + j));
    return l;
}

static int aliasing_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                        char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(400000.0 * gcb_param_double(p, aliasing_params, "scale"));
    const int64_t list_len = gcb_param_int(p, aliasing_params, "list_len");
    const uint64_t n_holders = (uint64_t)gcb_param_int(p, aliasing_params, "holders");
    gcb_object_t *example = gcb_str_const("example");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0, eq = 0, is = 0;

    gcb_local_set(f, L_SCORE, gcb_int_new(10));
    gcb_local_set(f, L_ANOTHER, gcb_newref(gcb_local(f, L_SCORE)));
    is += gcb_local(f, L_ANOTHER) == gcb_local(f, L_SCORE);
    h = gcb_mix(h, (uint64_t)gcb_is_immortal(gcb_local(f, L_SCORE)));   /* getrefcount(10) is huge */
    gcb_local_set(f, L_HOLDERS, gcb_list_new(n_holders));
    ops++;

    for (uint64_t i = 0; i < n; i++) {
        int64_t v = 1000 + (int64_t)gcb_rng_below(&rng, 1u << 30);

        gcb_local_set(f, L_ONE, make_list(v, list_len));
        gcb_local_set(f, L_TWO, gcb_newref(gcb_local(f, L_ONE)));
        gcb_object_t *one = gcb_local(f, L_ONE), *two = gcb_local(f, L_TWO);
        gcb_list_set(one, 0, gcb_int_new(44 + (int64_t)i));
        is += gcb_list_get(two, 0) == gcb_list_get(one, 0);
        is += two == one;

        gcb_local_set(f, L_P1, make_list(1, 3));
        gcb_local_set(f, L_P2, gcb_newref(gcb_local(f, L_P1)));
        gcb_local_set(f, L_P2, make_list(1, 3));
        gcb_list_set(gcb_local(f, L_P1), 0, gcb_int_new(44));
        h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_list_get(gcb_local(f, L_P2), 0)));   /* still 1 */
        eq += gcb_wl_equal(gcb_local(f, L_P1), gcb_local(f, L_P2));                     /* False */

        gcb_local_set(f, L_N, gcb_newref(two));
        gcb_local_set(f, L_M, gcb_newref(gcb_local(f, L_N)));
        eq += gcb_wl_equal(gcb_local(f, L_M), gcb_local(f, L_N));
        is += gcb_local(f, L_M) == gcb_local(f, L_N);
        gcb_object_t *m = make_list(v, list_len);
        gcb_list_set(m, 0, gcb_int_new(44 + (int64_t)i));
        gcb_local_set(f, L_M, m);
        eq += gcb_wl_equal(gcb_local(f, L_M), gcb_local(f, L_N));
        is += gcb_local(f, L_M) == gcb_local(f, L_N);
        ops += 4;

        gcb_object_t *holders = gcb_local(f, L_HOLDERS);
        gcb_list_set(holders, gcb_rng_below(&rng, n_holders), gcb_newref(one));
        gcb_object_t *held = gcb_list_get(holders, gcb_rng_below(&rng, n_holders));
        if (held != gcb_None)
            gcb_list_set(held, gcb_rng_below(&rng, gcb_list_len(held)), gcb_int_new(v));

        gcb_local_set(f, L_X, gcb_int_new(5));
        gcb_local_set(f, L_X, gcb_newref(gcb_None));
        gcb_local_set(f, L_A, gcb_int_new(3));
        gcb_local_set(f, L_A, gcb_newref(example));
        gcb_safepoint();
    }

    /* checksum: the identity/equality tallies and what the holders see */
    gcb_object_t *holders = gcb_local(f, L_HOLDERS);
    for (size_t j = 0; j < gcb_list_len(holders); j++) {
        gcb_object_t *l = gcb_list_get(holders, j);
        h = gcb_wl_hash(h, l, 1);
        for (size_t k = 0; k < j; k++)                  /* which slots alias one list */
            if (gcb_list_get(holders, k) == l && l != gcb_None) {
                h = gcb_mix(h, k * 1000003 + j);
                break;
            }
    }
    h = gcb_mix(gcb_mix(h, eq), is);
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_aliasing = {
    .name = "aliasing",
    .description = "two names for one list, in-place mutation seen through both, rebinding, == vs is",
    .ops_unit = "lists created",
    .params = aliasing_params,
    .run = aliasing_run,
};
