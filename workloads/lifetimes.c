/*
 * workloads/lifetimes.c - synthetic generational-hypothesis churn: objects
 * of a CPython-like type and size mix, each with a lifetime drawn from an
 * exponential or a Pareto distribution, measured on the allocation clock
 * (one tick per object allocated), plus a fraction that live to the end.
 *
 *     wheel = [[] for _ in range(W)]           # objects dying at tick t sit in wheel[t % W]
 *     coarse = [[] for _ in range(W)]          # lifetimes >= W, by blocks of W ticks
 *     survivors = []                           # objects that live to the end
 *     for t in range(n):
 *         wheel[t % W][:] = [None] * fill      # today's deaths (the slots are reused)
 *         if t % W == 0: coarse[t // W % W][:] = [None] * fill
 *         o = new_object(kind_from_table())    # int, float, str, tuple, list, dict, instance
 *         if random() < survivor_rate: survivors.append(o)
 *         else:
 *             L = lifetime()                   # exponential(mean) or pareto(mean, alpha)
 *             (wheel if L < W else coarse)[...].append(o)
 *
 * The type and size mix and the default lifetimes are calibrated against
 * CPython 3.11 running the three scripts of workloads/traces/ (method and
 * figures in docs/workloads.md, "lifetimes: calibration"): the allocation
 * stream is mostly 24-64-byte blocks (ints, floats, short strings, small
 * tuples and lists), a few per cent dict tables and instance dicts, a few
 * per thousand blocks above 512 bytes; half the blocks die within 10
 * allocations, and a few per cent live to the end of the run.
 *
 * Containers are filled with small ints and None (immortal), and with
 * probability link_rate their first item is the previous object, so some
 * objects outlive their own draw (as objects referenced from a longer-lived
 * container do).  Lifetimes of W ticks and more are rounded down to a
 * multiple of W.  `ops` counts the objects allocated (one per tick).
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t lifetimes_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 1,500,000 x scale objects" },
    { "dist", GCB_PARAM_STRING, "pareto", 0, 0, "lifetime distribution: exponential or pareto", "exponential|pareto" },
    { "mean", GCB_PARAM_DOUBLE, "28", 1, 1e9, "mean lifetime, in objects allocated (28 with alpha 1.2: median 8, as CPython traces)" },
    { "alpha", GCB_PARAM_DOUBLE, "1.2", 1.01, 100, "Pareto shape (tail weight; the JSON trace's tail fits 1.1)" },
    { "survivor_rate", GCB_PARAM_DOUBLE, "0.02", 0, 1, "fraction of objects that live to the end of the run" },
    { "link_rate", GCB_PARAM_DOUBLE, "0.1", 0, 1, "fraction of containers whose first item is the previous object" },
    GCB_PARAM_END
};

/* The type and size mix, per 1000 objects allocated (docs/workloads.md).
 * Sizes are the runtime's: int 32, float 24, str 41 + n, tuple 40 + 8n,
 * list 56 + an item array, dict 64 + a table of 160 bytes and up,
 * instance 48 + its __dict__. */
typedef enum { K_INT, K_FLOAT, K_STR, K_LONGSTR, K_TUPLE, K_LIST, K_DICT, K_INSTANCE, K_COUNT } kind_t;
static const struct { kind_t kind; unsigned per_mille; const char *what; } mix[] = {
    { K_INT, 380, "int (values beyond the small-int cache)" },
    { K_FLOAT, 70, "float" },
    { K_STR, 220, "str of 1..64 characters, log-uniform" },
    { K_LONGSTR, 5, "str of 65..4096 characters, log-uniform" },
    { K_TUPLE, 160, "tuple of 1..4 items" },
    { K_LIST, 85, "list of 0..8 items, appended" },
    { K_DICT, 60, "dict of 1..6 str keys" },
    { K_INSTANCE, 20, "instance with 1..4 attributes" },
};
_Static_assert(sizeof mix / sizeof mix[0] == K_COUNT, "one row per kind");

enum { W = 1024 };
enum { L_WHEEL, L_COARSE, L_SURV, L_PREV, L_O, NLOCALS };

/* A wheel bucket is a list used as a stack with its fill count kept here:
 * emptying it stores None over the used slots and keeps the item array, so
 * after warm-up the wheel itself allocates nothing and the allocation
 * stream is the mix alone. */
typedef struct wheel {
    uint32_t fill[W];
} wheel_t;

static void bucket_push(gcb_object_t *bucket, uint32_t *fill, gcb_object_t *ref)
{
    if (*fill < gcb_list_len(bucket))
        gcb_list_set(bucket, *fill, ref);
    else
        gcb_list_append(bucket, ref);
    (*fill)++;
}

static void bucket_empty(gcb_object_t *bucket, uint32_t *fill)
{
    for (uint32_t i = 0; i < *fill; i++)
        gcb_list_set(bucket, i, gcb_newref(gcb_None));
    *fill = 0;
}

static kind_t pick_kind(gcb_rng_t *r)
{
    unsigned x = (unsigned)gcb_rng_below(r, 1000);
    for (size_t i = 0; i < K_COUNT; i++) {
        if (x < mix[i].per_mille)
            return mix[i].kind;
        x -= mix[i].per_mille;
    }
    return K_INT;
}

/* A new object of `kind`; prev is borrowed (may be None). -> new */
static gcb_object_t *make(kind_t kind, gcb_rng_t *r, gcb_object_t *prev, double link_rate,
                          gcb_object_t *cls, gcb_object_t *const *keys, uint64_t t)
{
    static const char text[] =
        "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ";
    bool link = gcb_rng_double(r) < link_rate;
    switch (kind) {
    case K_INT:
        return gcb_int_new(1000 + (int64_t)(t & 0xffffff));
    case K_FLOAT:
        return gcb_float_new((double)t * 0.5);
    case K_STR:
    case K_LONGSTR: {
        size_t n = kind == K_STR ? gcb_wl_loguniform(r, 1, 64) : gcb_wl_loguniform(r, 65, 4096);
        char buf[4096];
        for (size_t i = 0; i < n; i += sizeof text - 1)
            memcpy(buf + i, text, n - i < sizeof text - 1 ? n - i : sizeof text - 1);
        return gcb_str_new(buf, n);
    }
    case K_TUPLE: {
        size_t n = 1 + gcb_rng_below(r, 4);
        gcb_object_t *o = gcb_tuple_new(n);
        for (size_t i = 0; i < n; i++)
            gcb_tuple_init(o, i, gcb_newref(i == 0 && link ? prev : gcb_int_new((int64_t)i)));
        return o;
    }
    case K_LIST: {
        size_t n = gcb_rng_below(r, 9);
        gcb_object_t *o = gcb_list_new(0);
        for (size_t i = 0; i < n; i++)
            gcb_list_append(o, gcb_newref(i == 0 && link ? prev : gcb_int_new((int64_t)i)));
        return o;
    }
    case K_DICT: {
        size_t n = 1 + gcb_rng_below(r, 6);
        gcb_object_t *o = gcb_dict_new();
        for (size_t i = 0; i < n; i++)
            gcb_dict_set(o, gcb_newref(keys[i]), gcb_newref(i == 0 && link ? prev : gcb_None));
        return o;
    }
    case K_INSTANCE: {
        size_t n = 1 + gcb_rng_below(r, 4);
        gcb_object_t *o = gcb_instance_new(cls);
        for (size_t i = 0; i < n; i++)
            gcb_setattr(o, keys[i], gcb_newref(i == 0 && link ? prev : gcb_int_new((int64_t)i)));
        return o;
    }
    default:
        return gcb_newref(gcb_None);
    }
}

static int lifetimes_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                         char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(1500000.0 * gcb_param_double(p, lifetimes_params, "scale"));
    const bool pareto = strcmp(gcb_param_str(p, lifetimes_params, "dist"), "pareto") == 0;
    const double mean = gcb_param_double(p, lifetimes_params, "mean");
    const double alpha = gcb_param_double(p, lifetimes_params, "alpha");
    const double survivor_rate = gcb_param_double(p, lifetimes_params, "survivor_rate");
    const double link_rate = gcb_param_double(p, lifetimes_params, "link_rate");
    gcb_object_t *cls = gcb_class_new("Obj");
    /* Everything a copy mutates is local to this call: under mode=gil N
     * copies interleave in one thread-less core (GCB_TLS is empty there),
     * so a static wheel was shared by the copies and corrupted (a checksum
     * that depended on the switch timing, and a crash). */
    gcb_object_t *keys[8];
    wheel_t fine, coarse;
    for (int i = 0; i < 8; i++) {
        char k[4] = { 'k', (char)('0' + i), 0 };
        keys[i] = gcb_str_const(k);
    }

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t h = 0, per_kind[K_COUNT] = { 0 };
    memset(&fine, 0, sizeof fine);
    memset(&coarse, 0, sizeof coarse);
    for (int w = L_WHEEL; w <= L_COARSE; w++) {
        gcb_local_set(f, (uint32_t)w, gcb_list_new(0));
        for (int i = 0; i < W; i++)
            gcb_list_append(gcb_local(f, (uint32_t)w), gcb_list_new(0));
    }
    gcb_local_set(f, L_SURV, gcb_list_new(0));

    for (uint64_t t = 0; t < n; t++) {
        bucket_empty(gcb_list_get(gcb_local(f, L_WHEEL), t % W), &fine.fill[t % W]);
        if (t % W == 0)
            bucket_empty(gcb_list_get(gcb_local(f, L_COARSE), (t / W) % W), &coarse.fill[(t / W) % W]);
        kind_t kind = pick_kind(&rng);
        per_kind[kind]++;
        gcb_local_set(f, L_O, make(kind, &rng, gcb_local(f, L_PREV), link_rate, cls, keys, t));
        gcb_object_t *o = gcb_local(f, L_O);
        if (gcb_rng_double(&rng) < survivor_rate) {
            gcb_list_append(gcb_local(f, L_SURV), gcb_newref(o));
        } else {
            double life = pareto ? gcb_wl_pareto(&rng, mean, alpha) : gcb_wl_exponential(&rng, mean);
            uint64_t L = life < 1.0 ? 1 : life > 1e15 ? (uint64_t)1e15 : (uint64_t)life;
            if (L < W) {
                uint64_t b = (t + L) % W;
                bucket_push(gcb_list_get(gcb_local(f, L_WHEEL), b), &fine.fill[b], gcb_newref(o));
            } else if (L < (uint64_t)W * W) {
                uint64_t b = ((t + L) / W) % W;
                bucket_push(gcb_list_get(gcb_local(f, L_COARSE), b), &coarse.fill[b], gcb_newref(o));
            } else {
                gcb_list_append(gcb_local(f, L_SURV), gcb_newref(o));   /* beyond the horizon */
            }
        }
        gcb_local_set(f, L_PREV, gcb_newref(o));
        gcb_local_set(f, L_O, gcb_newref(gcb_None));
        gcb_safepoint();
    }

    /* checksum: the mix drawn, what is still alive, and the survivors' contents */
    for (int k = 0; k < K_COUNT; k++)
        h = gcb_mix(h, per_kind[k]);
    for (size_t i = 0; i < W; i++)
        h = gcb_mix(gcb_mix(h, fine.fill[i]), coarse.fill[i]);
    gcb_object_t *surv = gcb_local(f, L_SURV);
    for (size_t i = 0; i < gcb_list_len(surv); i++)
        h = gcb_wl_hash(h, gcb_list_get(surv, i), 1);
    gcb_frame_pop(f);
    out->ops = n;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_lifetimes = {
    .name = "lifetimes",
    .description = "generational churn: a CPython-calibrated type/size mix with exponential or Pareto lifetimes",
    .ops_unit = "objects allocated",
    .params = lifetimes_params,
    .run = lifetimes_run,
};
