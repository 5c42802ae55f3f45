/*
 * workloads/prodcons.c - objects built on producer threads and dropped on
 * consumer threads through one bounded queue: every free a cross-thread
 * free (mimalloc-bench's xmalloc-test and sh8bench shapes).
 *
 * Models:
 *
 *     q = queue.Queue(maxsize=queue_len)
 *     def producer(p):                       # threads 0 .. producers-1
 *         for i in range(p, items, producers):
 *             q.put(build(seed, i))          # tuple / list of ints / small dict
 *     def consumer():                        # the other threads
 *         while (o := q.get()) is not DONE:
 *             if biglist: o.append(None)     # a resize by a non-owner
 *             total += value(o)              # recomputed from its contents
 *             del o                          # the last reference, here
 *
 * Item i is a function of (seed, i) alone, and the checksum is the sum
 * (mod 2^64) of every consumed item's value, so it is the same for any
 * number of producers and consumers, any schedule, allocator, collector
 * and mode.  With threads=1 the one thread is both: it puts until the
 * queue is full, then takes one (no cross-thread drop).  ops = items built
 * + items consumed (2 x items), exact; per thread, a producer's share is
 * fixed, a consumer's depends on the schedule.
 *
 * object_mix=biglist with biglist_items=K is the gh-132519 / PR 132520
 * pathology (docs/threads.md, QSBR): producers build [None] * K, consumers
 * append one item, so under mode=ft each consumed list's old K-word item
 * array is freed by a non-owner and goes through QSBR.
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"
#include "workloads/mt.h"

static const gcb_param_def_t prodcons_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.0001, 1e6, "size multiplier: 200,000 x scale items" },
    { "producers", GCB_PARAM_INT, "0", 0, 256, "producer threads (0: max(1, threads/2)); with threads=1 the one thread does both" },
    { "consumers", GCB_PARAM_INT, "0", 0, 256, "consumer threads (0: threads - producers); producers + consumers = threads" },
    { "queue_len", GCB_PARAM_INT, "256", 1, 1e7, "slots in the bounded queue" },
    { "object_mix", GCB_PARAM_STRING, "mixed", 0, 0, "what producers build: mixed (a third each), tuple, intlist, dict, or biglist ([None] * biglist_items)",
      "mixed|tuple|intlist|dict|biglist" },
    { "biglist_items", GCB_PARAM_INT, "4096", 1, 1e8, "items of each biglist" },
    GCB_PARAM_END
};

enum { MIX_MIXED, MIX_TUPLE, MIX_INTLIST, MIX_DICT, MIX_BIGLIST };
static const char *const mix_names[] = { "mixed", "tuple", "intlist", "dict", "biglist" };

static struct {
    gcb_wl_queue_t q;
    gcb_wl_barrier_t start;
    uint32_t producers, consumers;
    uint64_t items, biglist_items;
    int mix;
} pc;

static void roles(const gcb_params_t *p, uint32_t n, uint32_t *prod, uint32_t *cons)
{
    uint32_t pr = (uint32_t)gcb_param_int(p, prodcons_params, "producers");
    uint32_t co = (uint32_t)gcb_param_int(p, prodcons_params, "consumers");
    if (n == 1) {
        *prod = 1;
        *cons = 0;
        return;
    }
    if (pr == 0)
        pr = co && co < n ? n - co : (n / 2 ? n / 2 : 1);
    if (co == 0)
        co = n > pr ? n - pr : 0;
    *prod = pr;
    *cons = co;
}

static int prodcons_check(const gcb_params_t *p, uint32_t n, char *err, size_t errlen)
{
    uint32_t pr, co;
    roles(p, n, &pr, &co);
    if (n == 1 && (gcb_param_int(p, prodcons_params, "producers") > 1 || gcb_param_int(p, prodcons_params, "consumers") > 1)) {
        snprintf(err, errlen, "prodcons: threads=1 runs one thread as producer and consumer; give threads=producers+consumers");
        return -1;
    }
    if (n > 1 && (pr + co != n || co == 0)) {
        snprintf(err, errlen, "prodcons: producers=%u + consumers=%u must equal threads=%u with at least one of each",
                 pr, co, n);
        return -1;
    }
    return 0;
}

static int prodcons_setup(const gcb_params_t *p, uint32_t n, char *err, size_t errlen)
{
    roles(p, n, &pc.producers, &pc.consumers);
    pc.items = (uint64_t)(200000.0 * gcb_param_double(p, prodcons_params, "scale"));
    if (pc.items == 0)
        pc.items = 1;
    pc.biglist_items = (uint64_t)gcb_param_int(p, prodcons_params, "biglist_items");
    const char *mix = gcb_param_str(p, prodcons_params, "object_mix");
    for (int m = 0; m < 5; m++)
        if (strcmp(mix, mix_names[m]) == 0)
            pc.mix = m;
    if (gcb_wl_queue_init(&pc.q, (size_t)gcb_param_int(p, prodcons_params, "queue_len"), pc.producers)) {
        snprintf(err, errlen, "prodcons: out of memory for the queue");
        return -1;
    }
    gcb_wl_barrier_init(&pc.start, n);
    return 0;
}

static void prodcons_teardown(void)
{
    gcb_wl_queue_destroy(&pc.q);
    gcb_wl_barrier_destroy(&pc.start);
}

enum { L_RING, L_ITEM, L_GOT, L_TMP, NLOCALS };

/* Item i: a function of (seed, i) only.  -> new */
static gcb_object_t *build(gcb_frame_t *f, uint64_t seed, uint64_t i)
{
    gcb_rng_t r;
    gcb_rng_seed(&r, gcb_mix(seed, i));
    int kind = pc.mix == MIX_MIXED ? 1 + (int)gcb_rng_below(&r, 3) : pc.mix;
    if (kind == MIX_BIGLIST)
        return gcb_list_new(pc.biglist_items);
    if (kind == MIX_TUPLE) {
        size_t n = 2 + gcb_rng_below(&r, 3);
        gcb_object_t *t = gcb_tuple_new(n);
        for (size_t k = 0; k < n; k++)
            gcb_tuple_init(t, k, k == 2 ? gcb_float_new((double)gcb_rng_below(&r, 1u << 20) * 0.5)
                                        : gcb_int_new(1000 + (int64_t)gcb_rng_below(&r, 1u << 30)));
        return t;
    }
    if (kind == MIX_INTLIST) {
        size_t n = 1 + gcb_rng_below(&r, 16);
        gcb_object_t *l = gcb_list_new(0);
        for (size_t k = 0; k < n; k++)
            gcb_list_append(l, gcb_int_new(1000 + (int64_t)gcb_rng_below(&r, 1u << 30)));
        return l;
    }
    size_t n = 1 + gcb_rng_below(&r, 6);
    gcb_object_t *d = gcb_dict_new();
    gcb_local_set(f, L_TMP, d);
    for (size_t k = 0; k < n; k++) {
        gcb_object_t *key = gcb_int_new((int64_t)(k * 7919 + gcb_rng_below(&r, 7919)));
        gcb_dict_set(d, key, gcb_int_new(1000 + (int64_t)gcb_rng_below(&r, 1u << 30)));
    }
    gcb_object_t *ref = gcb_newref(d);
    gcb_local_set(f, L_TMP, gcb_newref(gcb_None));
    return ref;
}

/* Consume the object in L_GOT: its value into *sum, then drop it. */
static void consume(gcb_frame_t *f, uint32_t self, uint32_t builder, uint64_t *sum, uint64_t *xdrops)
{
    gcb_object_t *o = gcb_local(f, L_GOT);
    if (pc.mix == MIX_BIGLIST)
        gcb_list_append(o, gcb_newref(gcb_None));
    *sum += gcb_wl_hash(0x9c, o, 2);
    *xdrops += builder != self;
    gcb_local_set(f, L_GOT, gcb_newref(gcb_None));
}

static int prodcons_thread(const gcb_params_t *p, uint64_t seed, uint32_t t, uint32_t n,
                           gcb_workload_result_t *out, char *err, size_t errlen)
{
    (void)p; (void)err; (void)errlen;
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    if (t == 0)
        gcb_local_set(f, L_RING, gcb_wl_queue_ring_new(&pc.q));
    gcb_wl_barrier_wait(&pc.start);
    if (t != 0)
        gcb_local_set(f, L_RING, gcb_newref(pc.q.ring));
    uint64_t ops = 0, sum = 0, xdrops = 0;
    uint32_t builder;
    if (t < pc.producers) {
        for (uint64_t i = t; i < pc.items; i += pc.producers) {
            gcb_local_set(f, L_ITEM, build(f, seed, i));
            ops++;
            if (n == 1) {                      /* both roles: make room first */
                while (gcb_wl_queue_try_put(&pc.q, f, L_ITEM, t))
                    if (gcb_wl_queue_try_take(&pc.q, f, L_GOT, &builder) == 0) {
                        consume(f, t, builder, &sum, &xdrops);
                        ops++;
                    }
            } else {
                gcb_wl_queue_put(&pc.q, f, L_ITEM, t);
            }
            gcb_safepoint();
        }
        gcb_wl_queue_close(&pc.q);
    }
    if (t >= pc.producers || n == 1) {
        while (gcb_wl_queue_take(&pc.q, f, L_GOT, &builder) == 0) {
            consume(f, t, builder, &sum, &xdrops);
            ops++;
            gcb_safepoint();
        }
    }
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = sum;
    out->cyclic_garbage_objects = 0;
    out->cross_thread_drops = xdrops;
    return 0;
}

static int prodcons_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen);

const gcb_workload_t gcb_workload_prodcons = {
    .name = "prodcons",
    .description = "producer threads build tuples, int lists and small dicts, consumer threads drop them (bounded queue; cross-thread frees)",
    .ops_unit = "items built and items consumed",
    .params = prodcons_params,
    .run = prodcons_run,
    .check = prodcons_check,
    .setup = prodcons_setup,
    .run_thread = prodcons_thread,
    .teardown = prodcons_teardown,
};

static int prodcons_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen)
{
    return gcb_wl_coop_run1(&gcb_workload_prodcons, p, seed, out, err, errlen);
}
