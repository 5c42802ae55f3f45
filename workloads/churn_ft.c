/*
 * workloads/churn_ft.c - per-thread churn with a fraction of the objects
 * handed to the next thread (share = 0: no sharing, the scaling baseline;
 * share = 1: every object freed by another thread than its builder).
 *
 * Models, on each thread t of n:
 *
 *     window = [None] * window_len           # this thread's live objects
 *     for i in range(iterations):
 *         o = build(seed, t, i)              # a big int, a 2-tuple or a short int list
 *         if hit(share): queue[(t + 1) % n].put(o)      # handed over
 *         else:          keep(o)
 *         for o in queue[t].drain(): keep(o)            # what the previous thread handed us
 *     def keep(o): window[cur] = o; cur += 1 (mod window_len)   # drops the old one
 *
 * A thread whose outgoing queue is full drains its incoming one and
 * retries (waiting at most 1 ms, with the GIL given up), so the ring of
 * queues never deadlocks.  After its iterations a thread closes its
 * outgoing queue and keeps draining its incoming one until the previous
 * thread has closed too.
 *
 * Determinism: thread t's objects are a function of (seed, t, i); an
 * object's value (from its contents) enters the checksum exactly once,
 * when the window drops it or at the end, whichever thread holds it, so
 * the sum (mod 2^64) does not depend on the schedule.  ops = objects
 * built, per thread exact.  cross_thread_drops counts objects dropped by a
 * thread other than their builder (0 when share = 0 or threads = 1).
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"
#include "workloads/mt.h"

static const gcb_param_def_t churn_ft_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.0001, 1e6, "size multiplier: 1,000,000 x scale objects per thread" },
    { "share", GCB_PARAM_DOUBLE, "0", 0, 1, "fraction of objects handed to the next thread (0: none, 1: all)" },
    { "window", GCB_PARAM_INT, "64", 1, 1e7, "objects each thread keeps alive (its window)" },
    { "queue_len", GCB_PARAM_INT, "128", 1, 1e7, "slots of each thread's incoming queue" },
    GCB_PARAM_END
};

static struct {
    gcb_wl_queue_t *q;      /* q[t]: thread t's incoming queue (from t - 1) */
    uint32_t *win_builder;  /* per thread, window slots: who built the object there */
    gcb_wl_barrier_t start;
    uint32_t n;
    uint64_t iterations;
    size_t window, queue_len;
} cf;

static int churn_ft_setup(const gcb_params_t *p, uint32_t n, char *err, size_t errlen)
{
    cf.n = n;
    cf.iterations = (uint64_t)(1000000.0 * gcb_param_double(p, churn_ft_params, "scale"));
    cf.window = (size_t)gcb_param_int(p, churn_ft_params, "window");
    cf.queue_len = (size_t)gcb_param_int(p, churn_ft_params, "queue_len");
    cf.q = calloc(n, sizeof *cf.q);
    cf.win_builder = calloc((size_t)n * cf.window, sizeof *cf.win_builder);
    for (uint32_t t = 0; cf.q && cf.win_builder && t < n; t++)
        if (gcb_wl_queue_init(&cf.q[t], cf.queue_len, 1))
            cf.win_builder = (free(cf.win_builder), NULL);
    if (!cf.q || !cf.win_builder) {
        snprintf(err, errlen, "churn_ft: out of memory for %u queues", n);
        return -1;
    }
    gcb_wl_barrier_init(&cf.start, n);
    return 0;
}

static void churn_ft_teardown(void)
{
    for (uint32_t t = 0; t < cf.n; t++)
        gcb_wl_queue_destroy(&cf.q[t]);
    free(cf.q);
    free(cf.win_builder);
    gcb_wl_barrier_destroy(&cf.start);
}

enum { L_WIN, L_IN, L_OUT, L_NEW, L_GOT, NLOCALS };

typedef struct {
    gcb_frame_t *f;
    uint32_t t;
    size_t cur;
    uint32_t *builder;       /* this thread's window slots */
    uint64_t sum, xdrops;
} churner_t;

/* Object i of thread t.  -> new */
static gcb_object_t *build(gcb_rng_t *r)
{
    uint64_t kind = gcb_rng_below(r, 4);
    int64_t v = 1000 + (int64_t)gcb_rng_below(r, 1u << 30);
    if (kind < 2)
        return gcb_int_new(v);
    if (kind == 2) {
        gcb_object_t *t = gcb_tuple_new(2);
        gcb_tuple_init(t, 0, gcb_int_new(v));
        gcb_tuple_init(t, 1, gcb_int_new(v + 1));
        return t;
    }
    size_t n = 1 + gcb_rng_below(r, 6);
    gcb_object_t *l = gcb_list_new(0);
    for (size_t k = 0; k < n; k++)
        gcb_list_append(l, gcb_int_new(v + (int64_t)k));
    return l;
}

/* The object in local `li` into the window; the one it replaces is
 * counted into the sum and dropped. */
static void keep(churner_t *c, uint32_t li, uint32_t builder)
{
    gcb_object_t *win = gcb_local(c->f, L_WIN);
    gcb_object_t *old = gcb_list_get(win, c->cur);
    if (old != gcb_None) {
        c->sum += gcb_wl_hash(0x5f, old, 2);
        c->xdrops += c->builder[c->cur] != c->t;
    }
    gcb_list_set(win, c->cur, gcb_newref(gcb_local(c->f, li)));   /* drops old */
    gcb_local_set(c->f, li, gcb_newref(gcb_None));
    c->builder[c->cur] = builder;
    c->cur = c->cur + 1 == cf.window ? 0 : c->cur + 1;
}

static void drain(churner_t *c, gcb_wl_queue_t *in)
{
    uint32_t b;
    while (gcb_wl_queue_try_take(in, c->f, L_GOT, &b) == 0)
        keep(c, L_GOT, b);
}

static int churn_ft_thread(const gcb_params_t *p, uint64_t seed, uint32_t t, uint32_t n,
                           gcb_workload_result_t *out, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const double share = gcb_param_double(p, churn_ft_params, "share");
    gcb_wl_queue_t *in = &cf.q[t], *outq = &cf.q[(t + 1) % n];
    churner_t c = { .f = gcb_frame_push(NLOCALS), .t = t, .builder = cf.win_builder + (size_t)t * cf.window };
    gcb_local_set(c.f, L_WIN, gcb_list_new(cf.window));
    gcb_local_set(c.f, L_IN, gcb_wl_queue_ring_new(in));
    gcb_wl_barrier_wait(&cf.start);
    gcb_local_set(c.f, L_OUT, gcb_newref(outq->ring));
    gcb_rng_t r;
    gcb_rng_seed(&r, gcb_mix(seed, t));
    for (uint64_t i = 0; i < cf.iterations; i++) {
        gcb_local_set(c.f, L_NEW, build(&r));
        if (share > 0 && gcb_rng_double(&r) < share) {
            while (gcb_wl_queue_try_put(outq, c.f, L_NEW, t)) {
                drain(&c, in);
                if (gcb_wl_queue_put_timed(outq, c.f, L_NEW, t, 1000000) == 0)
                    break;
            }
        } else {
            keep(&c, L_NEW, t);
        }
        if (share > 0)           /* share = 0: nothing can arrive; no lock in the baseline */
            drain(&c, in);
        gcb_safepoint();
    }
    gcb_wl_queue_close(outq);
    uint32_t b;
    while (gcb_wl_queue_take(in, c.f, L_GOT, &b) == 0) {
        keep(&c, L_GOT, b);
        gcb_safepoint();
    }
    gcb_object_t *win = gcb_local(c.f, L_WIN);
    for (size_t k = 0; k < cf.window; k++) {
        gcb_object_t *o = gcb_list_get(win, k);
        if (o != gcb_None) {
            c.sum += gcb_wl_hash(0x5f, o, 2);
            c.xdrops += c.builder[k] != t;
        }
    }
    gcb_frame_pop(c.f);
    out->ops = cf.iterations;
    out->checksum = c.sum;
    out->cyclic_garbage_objects = 0;
    out->cross_thread_drops = c.xdrops;
    return 0;
}

static int churn_ft_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen);

const gcb_workload_t gcb_workload_churn_ft = {
    .name = "churn_ft",
    .description = "per-thread churn of ints, tuples and short lists, a fraction `share` handed to the next thread",
    .ops_unit = "objects built",
    .params = churn_ft_params,
    .run = churn_ft_run,
    .setup = churn_ft_setup,
    .run_thread = churn_ft_thread,
    .teardown = churn_ft_teardown,
};

static int churn_ft_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out, char *err, size_t errlen)
{
    return gcb_wl_coop_run1(&gcb_workload_churn_ft, p, seed, out, err, errlen);
}
