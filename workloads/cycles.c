/*
 * workloads/cycles.c - class instances whose __dict__s point at each
 * other, dropped every step: the seed notes' A/B example.
 *
 *     class A:
 *         def __init__(self): self.b = None
 *     class B:
 *         def __init__(self): self.a = None
 *     keep = []
 *     for i in range(n):
 *         a = A(); b = B()
 *         a.b = b
 *         if cyclic(i): b.a = a          # with probability cycle_rate
 *         a.n = 1000 + i                 # a payload int (never cached)
 *         if i % keep_every == 0: keep.append(a)
 *         # rebinding a and b next step drops this pair
 *
 * A cyclic pair is 5 objects (2 instances, their 2 __dict__s, the payload
 * int); under pure refcounting every one of them leaks, which is what
 * `cyclic_garbage_objects` reports.  Pairs kept in `keep` become garbage
 * when the frame is popped at the end, so they are counted too.
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"

static const gcb_param_def_t cycles_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 200,000 x scale pairs" },
    { "cycle_rate", GCB_PARAM_DOUBLE, "1", 0, 1, "fraction of pairs linked both ways (cyclic garbage)" },
    { "keep_every", GCB_PARAM_INT, "100", 1, 1e9, "keep every Nth pair alive until the end" },
    GCB_PARAM_END
};

enum { L_A, L_B, L_KEEP, NLOCALS };
enum { OBJECTS_PER_PAIR = 5 };

static int cycles_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                      char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(200000.0 * gcb_param_double(p, cycles_params, "scale"));
    const double cycle_rate = gcb_param_double(p, cycles_params, "cycle_rate");
    const uint64_t keep_every = (uint64_t)gcb_param_int(p, cycles_params, "keep_every");

    gcb_object_t *cls_a = gcb_class_new("A"), *cls_b = gcb_class_new("B");
    gcb_object_t *s_a = gcb_str_const("a"), *s_b = gcb_str_const("b"), *s_n = gcb_str_const("n");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    gcb_local_set(f, L_KEEP, gcb_list_new(0));
    uint64_t cyclic = 0, h = 0;

    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *a = gcb_instance_new(cls_a);
        gcb_setattr(a, s_b, gcb_None);
        gcb_local_set(f, L_A, a);
        gcb_object_t *b = gcb_instance_new(cls_b);
        gcb_setattr(b, s_a, gcb_None);
        gcb_local_set(f, L_B, b);
        gcb_setattr(a, s_b, gcb_newref(b));
        bool is_cycle = gcb_rng_double(&rng) < cycle_rate;
        if (is_cycle) {
            gcb_setattr(b, s_a, gcb_newref(a));
            cyclic++;
        }
        gcb_setattr(a, s_n, gcb_int_new(1000 + (int64_t)i));
        if (i % keep_every == 0)
            gcb_list_append(gcb_local(f, L_KEEP), gcb_newref(a));
        h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_getattr(a, s_n)) * (is_cycle ? 3 : 1));
        gcb_safepoint();
    }

    /* checksum the survivors: each kept a must still reach its b, and a
     * cyclic b must point back at it */
    gcb_object_t *keep = gcb_local(f, L_KEEP);
    for (size_t j = 0; j < gcb_list_len(keep); j++) {
        gcb_object_t *a = gcb_list_get(keep, j);
        gcb_object_t *b = gcb_getattr(a, s_b);
        gcb_object_t *back = gcb_getattr(b, s_a);
        h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_getattr(a, s_n)) + (back == a ? 7 : 0));
    }
    gcb_frame_pop(f);
    out->ops = n;
    out->checksum = h;
    out->cyclic_garbage_objects = cyclic * OBJECTS_PER_PAIR;
    return 0;
}

const gcb_workload_t gcb_workload_cycles = {
    .name = "cycles",
    .description = "A/B instance pairs whose __dict__s reference each other, dropped each step",
    .ops_unit = "instance pairs created",
    .params = cycles_params,
    .run = cycles_run,
};
