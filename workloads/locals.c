/*
 * workloads/locals.c - local-variable traffic over existing objects: the
 * case deferred reference counting is built for.
 *
 *     objs = [mixed ints, floats, strs, tuples]      # `pool` objects
 *     for i in range(n):
 *         x = objs[random index]                    # load into a local
 *         y = x; z = y; a = z; ...                  # `stores` rebindings
 *         if i % call_every == 0:
 *             h ^= f(x, a)                          # a call: 2 arguments
 *         if i % alloc_every == 0:
 *             objs[random index] = float(i)         # rare allocation
 *         h ^= value(z)
 *
 * Almost every runtime operation is a store into a frame local of an
 * object that already exists.  Under full counting each one increments
 * the new value and decrements the old (touching two objects scattered
 * over the pool); under deferred counting (drc) it is a plain store.
 * `ops` counts local stores (rebindings, loads, arguments).
 */
#include "workloads/workload.h"

#include <stdio.h>

#include "runtime/runtime.h"
#include "util/rng.h"

static const gcb_param_def_t locals_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 2,000,000 x scale iterations" },
    { "pool", GCB_PARAM_INT, "100000", 1, 1e8, "existing objects the locals are bound to" },
    { "stores", GCB_PARAM_INT, "16", 1, 1e6, "local rebindings (y = x) per iteration" },
    { "call_every", GCB_PARAM_INT, "4", 1, 1e9, "call a two-argument function every N iterations" },
    { "alloc_every", GCB_PARAM_INT, "16", 1, 1e9, "replace one pool object by a new float every N iterations" },
    GCB_PARAM_END
};

enum { L_OBJS, L_X, L_FIRST_ALIAS, NALIASES = 7, NLOCALS = L_FIRST_ALIAS + NALIASES };

/* A value every type has, independent of addresses. */
static uint64_t value_of(gcb_object_t *o)
{
    if (gcb_is_int(o))
        return (uint64_t)gcb_int_value(o);
    if (o->type == &gcb_float_type)
        return (uint64_t)(int64_t)(gcb_float_value(o) * 8);
    if (o->type == &gcb_str_type)
        return gcb_str_len(o) * 131 + (unsigned char)gcb_str_data(o)[0];
    if (o->type == &gcb_tuple_type)
        return gcb_tuple_len(o) * 7 + value_of(gcb_tuple_get(o, 0));
    return 0;
}

static gcb_object_t *make(gcb_rng_t *rng, uint64_t i)
{
    switch (gcb_rng_below(rng, 4)) {
    case 0: return gcb_int_new(1000 + (int64_t)i);
    case 1: return gcb_float_new((double)i + 0.25);
    case 2: {
        char buf[24];
        int n = snprintf(buf, sizeof buf, "v%llu", (unsigned long long)i);
        return gcb_str_new(buf, (size_t)n);
    }
    default: {
        gcb_object_t *t = gcb_tuple_new(2);
        gcb_tuple_init(t, 0, gcb_int_new(2000 + (int64_t)i));
        gcb_tuple_init(t, 1, gcb_int_new((int64_t)(i % 200)));
        return t;
    }
    }
}

static int locals_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(2000000.0 * gcb_param_double(p, locals_params, "scale"));
    const uint64_t pool = (uint64_t)gcb_param_int(p, locals_params, "pool");
    const uint64_t stores = (uint64_t)gcb_param_int(p, locals_params, "stores");
    const uint64_t call_every = (uint64_t)gcb_param_int(p, locals_params, "call_every");
    const uint64_t alloc_every = (uint64_t)gcb_param_int(p, locals_params, "alloc_every");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    gcb_local_set(f, L_OBJS, gcb_list_new(0));
    gcb_object_t *objs = gcb_local(f, L_OBJS);
    for (uint64_t i = 0; i < pool; i++) {
        gcb_list_append(objs, make(&rng, i));
        if (i % 64 == 0)
            gcb_safepoint();
    }

    uint64_t h = 0, ops = 0;
    for (uint64_t i = 0; i < n; i++) {
        gcb_local_set(f, L_X, gcb_newref(gcb_list_get(objs, (size_t)gcb_rng_below(&rng, pool))));
        /* y = x; z = y; ... round the aliases */
        uint32_t src = L_X;
        for (uint64_t s = 0; s < stores; s++) {
            uint32_t dst = L_FIRST_ALIAS + (uint32_t)(s % NALIASES);
            gcb_local_set(f, dst, gcb_newref(gcb_local(f, src)));
            src = dst;
        }
        ops += stores + 1;
        if (i % call_every == 0) {
            gcb_frame_t *g = gcb_frame_push(2);
            gcb_local_set(g, 0, gcb_newref(gcb_local(f, L_X)));
            gcb_local_set(g, 1, gcb_newref(gcb_local(f, L_FIRST_ALIAS + 3)));
            h = gcb_mix(h, value_of(gcb_local(g, 0)) ^ value_of(gcb_local(g, 1)));
            gcb_frame_pop(g);
            ops += 2;
        }
        if (i % alloc_every == 0)
            gcb_list_set(objs, (size_t)gcb_rng_below(&rng, pool), gcb_float_new((double)i));
        h = gcb_mix(h, value_of(gcb_local(f, src)));
        gcb_safepoint();
    }
    for (size_t j = 0; j < gcb_list_len(objs); j += 97)
        h = gcb_mix(h, value_of(gcb_list_get(objs, j)));
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_locals = {
    .name = "locals",
    .description = "local rebinding and argument passing over existing objects (what deferred RC saves)",
    .ops_unit = "local stores",
    .params = locals_params,
    .run = locals_run,
};
