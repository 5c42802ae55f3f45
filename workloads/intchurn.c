/*
 * workloads/intchurn.c - boxed-number churn: the seed notes' `a = a + 3`.
 *
 * Models (docs/workloads.md has the full text):
 *
 *     a = 5
 *     for i in range(n):
 *         a = v(i)              # small (-5..256) with probability small_rate
 *         a = a + 3             # a new int unless the result is cached
 *         b = a * 2
 *         if float_rate hit: f = b / 3.0
 *         if i % list_every == 0:
 *             tmp = [a + j for j in range(list_len)]   # short-lived list
 *
 * Every rebinding drops the previous value: immediate refcount frees for
 * large ints, nothing at all for cached small ints.  `ops` counts the
 * number objects the program computed (cached or not).
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"

static const gcb_param_def_t intchurn_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 2,000,000 x scale iterations" },
    { "small_rate", GCB_PARAM_DOUBLE, "0.3", 0, 1, "fraction of iterations whose values fall in the small-int cache" },
    { "float_rate", GCB_PARAM_DOUBLE, "0.25", 0, 1, "fraction of iterations that also compute a float" },
    { "list_every", GCB_PARAM_INT, "8", 1, 1e9, "build a short-lived list every N iterations" },
    { "list_len", GCB_PARAM_INT, "8", 0, 1e6, "items in each short-lived list" },
    GCB_PARAM_END
};

enum { L_A, L_B, L_F, L_TMP, NLOCALS };

static int intchurn_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                        char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(2000000.0 * gcb_param_double(p, intchurn_params, "scale"));
    const double small_rate = gcb_param_double(p, intchurn_params, "small_rate");
    const double float_rate = gcb_param_double(p, intchurn_params, "float_rate");
    const uint64_t list_every = (uint64_t)gcb_param_int(p, intchurn_params, "list_every");
    const int64_t list_len = gcb_param_int(p, intchurn_params, "list_len");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0, until_list = 0;   /* a countdown: no division in the loop */
    gcb_local_set(f, L_A, gcb_int_new(5));

    for (uint64_t i = 0; i < n; i++) {
        int64_t v = gcb_rng_double(&rng) < small_rate
                        ? (int64_t)gcb_rng_below(&rng, 120) - 5        /* a+3 and 2a stay cached */
                        : 1000 + (int64_t)gcb_rng_below(&rng, 1u << 30);
        gcb_local_set(f, L_A, gcb_int_new(v));
        gcb_local_set(f, L_A, gcb_int_new(gcb_int_value(gcb_local(f, L_A)) + 3));
        gcb_local_set(f, L_B, gcb_int_new(gcb_int_value(gcb_local(f, L_A)) * 2));
        ops += 3;
        int64_t a = gcb_int_value(gcb_local(f, L_A)), b = gcb_int_value(gcb_local(f, L_B));
        h = gcb_mix(h, (uint64_t)(a + b));
        if (gcb_rng_double(&rng) < float_rate) {
            gcb_local_set(f, L_F, gcb_float_new((double)b / 3.0));
            ops++;
            h = gcb_mix(h, (uint64_t)(int64_t)gcb_float_value(gcb_local(f, L_F)));
        }
        if (until_list-- == 0) {               /* i % list_every == 0 */
            until_list = list_every - 1;
            gcb_object_t *tmp = gcb_list_new(0);
            gcb_local_set(f, L_TMP, tmp);
            for (int64_t j = 0; j < list_len; j++)
                gcb_list_append(tmp, gcb_int_new(a + j));
            ops += (uint64_t)list_len + 1;
        }
        gcb_safepoint();
    }

    /* checksum the live data at the end */
    gcb_object_t *tmp = gcb_local(f, L_TMP);
    if (tmp != gcb_None)
        for (size_t j = 0; j < gcb_list_len(tmp); j++)
            h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_list_get(tmp, j)));
    h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_local(f, L_A)));
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_intchurn = {
    .name = "intchurn",
    .description = "boxed int/float churn (a = a + 3) with the small-int cache and short-lived lists",
    .ops_unit = "numbers and lists created",
    .params = intchurn_params,
    .run = intchurn_run,
};
