/*
 * workloads/slicing.c - `h2 = h1[:]` makes a copy: a new list whose items
 * are the same objects; mutating the original afterwards leaves the copy
 * alone.  The seed notes' h1/h2:
 *
 *     h1 = [v + j for j in range(length)]
 *     keep = [None] * n_keep                 # copies live n_keep iterations
 *     for i in range(n):
 *         h2 = h1[:]                         # new list, shared items
 *         k = randrange(length)
 *         old = h1[k]
 *         h1[k] = 44 + i                     # the original changes ...
 *         assert h2[k] is old                # ... the copy does not
 *         if random() < partial_rate:
 *             h3 = h1[lo:hi]                 # a partial slice
 *         keep[i % n_keep] = h2              # keeps `old` alive with it
 *         if i % rebuild_every == rebuild_every - 1:
 *             h1 = [v + j for j in range(length)]   # a fresh original
 *
 * A copy is a 56-byte list plus an item array of 8 x length bytes (400
 * bytes by default; above 64 items the array leaves pymalloc's classes).
 * `ops` counts the slices taken.
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t slicing_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 800,000 x scale iterations" },
    { "length", GCB_PARAM_INT, "50", 1, 1 << 24, "items in h1 (the list copied)" },
    { "keep", GCB_PARAM_INT, "128", 1, 1 << 24, "copies kept alive (each lives that many iterations)" },
    { "partial_rate", GCB_PARAM_DOUBLE, "0.25", 0, 1, "fraction of iterations that also take a partial slice h1[lo:hi]" },
    { "rebuild_every", GCB_PARAM_INT, "1000", 1, 1e12, "build a fresh h1 every N iterations" },
    GCB_PARAM_END
};

enum { L_H1, L_H2, L_H3, L_OLD, L_KEEP, NLOCALS };

static gcb_object_t *make_original(gcb_rng_t *rng, int64_t length)
{
    int64_t v = 1000 + (int64_t)gcb_rng_below(rng, 1u << 30);
    gcb_object_t *l = gcb_list_new(0);
    for (int64_t j = 0; j < length; j++)
        gcb_list_append(l, gcb_int_new(v + j));
    return l;
}

static int slicing_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                       char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(800000.0 * gcb_param_double(p, slicing_params, "scale"));
    const int64_t length = gcb_param_int(p, slicing_params, "length");
    const uint64_t n_keep = (uint64_t)gcb_param_int(p, slicing_params, "keep");
    const double partial_rate = gcb_param_double(p, slicing_params, "partial_rate");
    const uint64_t rebuild_every = (uint64_t)gcb_param_int(p, slicing_params, "rebuild_every");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0, unchanged = 0;
    gcb_local_set(f, L_H1, make_original(&rng, length));
    gcb_local_set(f, L_KEEP, gcb_list_new(n_keep));

    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *h1 = gcb_local(f, L_H1);
        gcb_local_set(f, L_H2, gcb_list_slice(h1, 0, length));
        ops++;
        size_t k = gcb_rng_below(&rng, (uint64_t)length);
        gcb_local_set(f, L_OLD, gcb_newref(gcb_list_get(h1, k)));
        gcb_list_set(h1, k, gcb_int_new(44 + (int64_t)i));
        gcb_object_t *h2 = gcb_local(f, L_H2);
        unchanged += gcb_list_get(h2, k) == gcb_local(f, L_OLD) && gcb_list_get(h1, k) != gcb_list_get(h2, k);
        if (gcb_rng_double(&rng) < partial_rate) {
            int64_t lo = (int64_t)gcb_rng_below(&rng, (uint64_t)length + 1);
            int64_t hi = lo + (int64_t)gcb_rng_below(&rng, (uint64_t)(length - lo) + 1);
            gcb_local_set(f, L_H3, gcb_list_slice(h1, lo, hi));
            h = gcb_mix(h, gcb_list_len(gcb_local(f, L_H3)));
            ops++;
        }
        gcb_list_set(gcb_local(f, L_KEEP), i % n_keep, gcb_newref(h2));
        if (i % rebuild_every == rebuild_every - 1)
            gcb_local_set(f, L_H1, make_original(&rng, length));
        gcb_safepoint();
    }

    /* checksum: the original and every copy still kept */
    h = gcb_wl_hash(h, gcb_local(f, L_H1), 1);
    h = gcb_wl_hash(h, gcb_local(f, L_KEEP), 2);
    h = gcb_mix(h, unchanged);
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_slicing = {
    .name = "slicing",
    .description = "h2 = h1[:] copies of lists, then mutation of the original (the copy keeps the old item)",
    .ops_unit = "slices taken",
    .params = slicing_params,
    .run = slicing_run,
};
