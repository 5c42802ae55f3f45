/*
 * workloads/cycles.c - reference cycles dropped while the program runs: the
 * seed notes' A/B example, pyperformance's gc_collect rings, and
 * self-referencing lists.
 *
 *     class A:
 *         def __init__(self): self.b = None
 *     class B:
 *         def __init__(self): self.a = None
 *     class Node:                            # pyperformance gc_collect
 *         def __init__(self): self.next = None; self.prev = None
 *     def link(a, b): a.next = b; b.prev = a
 *     keep = []
 *     for i in range(n):
 *         a = A(); b = B()
 *         a.b = b
 *         if cyclic(): b.a = a               # with probability cycle_rate
 *         a.n = 1000 + i                     # a payload int (never cached)
 *         if i % keep_every == 0: keep.append(a)
 *         # rebinding a and b next step drops this pair
 *         if i % ring_every == ring_every - 1:   # a gc_collect round
 *             all_cycles = []
 *             for _ in range(rings):         # 100 rings of 21 nodes
 *                 node = Node(); all_cycles.append(node); cur = node
 *                 for _ in range(ring_len - 1):
 *                     nxt = Node()
 *                     if cyclic(): link(cur, nxt)    # next and prev: a 2-cycle per link
 *                     else: cur.next = nxt           # singly linked: acyclic
 *                     cur = nxt
 *                 if cyclic: link(cur, node)         # close the ring
 *             for k in range(selfrefs):
 *                 l = [1000 + k]
 *                 l.append(l if cyclic() else None)  # a list that contains itself
 *                 all_cycles.append(l)
 *             del all_cycles
 *             if collect: gc.collect()
 *
 * Each unit (pair, ring, self-referencing list) is cyclic with probability
 * cycle_rate, drawn once.  A cyclic pair is its 2 instances, the payload
 * int and, under the combined instance layout, their 2 __dict__s (5
 * objects; 3 under the 3.11+ layouts, where values live in the instance
 * or a block that is no object); a cyclic ring ring_len instances (and as
 * many __dict__s combined); a cyclic list 2 (the list and its payload int);
 * each counted from the objects really built (gcb_instance_objects), so
 * the count holds under every -p instance_layout.  Under pure
 * refcounting every one of them leaks, which is what
 * `cyclic_garbage_objects` reports.  Pairs kept in `keep` become garbage
 * when the frame is popped at the end, so they are counted too.  The first
 * round of rings comes after ring_every pairs, so runs shorter than that
 * (the rc tests' scale=0.01 and 0.02) make pairs only.
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t cycles_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 200,000 x scale pairs" },
    { "cycle_rate", GCB_PARAM_DOUBLE, "1", 0, 1, "fraction of pairs, rings and self-referencing lists made cyclic" },
    { "keep_every", GCB_PARAM_INT, "100", 1, 1e9, "keep every Nth pair alive until the end" },
    { "ring_every", GCB_PARAM_INT, "5000", 1, 1e12, "a round of rings and self-referencing lists after every N pairs" },
    { "rings", GCB_PARAM_INT, "100", 0, 1e9, "rings per round (pyperformance gc_collect: 100)" },
    { "ring_len", GCB_PARAM_INT, "21", 1, 1e9, "nodes per ring (gc_collect: 21, i.e. 20 links + the head)" },
    { "selfrefs", GCB_PARAM_INT, "100", 0, 1e9, "self-referencing lists per round" },
    { "collect", GCB_PARAM_INT, "1", 0, 1, "1: gc.collect() after each round (a no-op under rc)" },
    GCB_PARAM_END
};

enum { L_A, L_B, L_KEEP, L_ALL, L_CUR, L_NEXT, NLOCALS };
enum { OBJECTS_PER_SELFREF = 2 };

typedef struct ring_cfg {
    uint64_t rings, ring_len, selfrefs;
    double cycle_rate;
    gcb_object_t *cls_node, *s_next, *s_prev;
} ring_cfg_t;

/* One gc_collect round: build the rings and lists in all_cycles (a frame
 * local, so every node is reachable at each safepoint), check them, drop
 * them.  Returns the objects made unreachable inside cycles. */
static uint64_t ring_round(gcb_frame_t *f, const ring_cfg_t *c, gcb_rng_t *rng, uint64_t *ops, uint64_t *h)
{
    uint64_t cyclic = 0;
    gcb_local_set(f, L_ALL, gcb_list_new(0));
    for (uint64_t r = 0; r < c->rings; r++) {
        bool is_cycle = gcb_rng_double(rng) < c->cycle_rate;
        gcb_object_t *node = gcb_instance_new(c->cls_node);
        gcb_setattr(node, c->s_next, gcb_newref(gcb_None));
        gcb_setattr(node, c->s_prev, gcb_newref(gcb_None));
        gcb_list_append(gcb_local(f, L_ALL), node);
        gcb_local_set(f, L_CUR, gcb_newref(node));
        for (uint64_t k = 1; k < c->ring_len; k++) {
            gcb_object_t *nxt = gcb_instance_new(c->cls_node);
            gcb_setattr(nxt, c->s_next, gcb_newref(gcb_None));
            gcb_setattr(nxt, c->s_prev, gcb_newref(gcb_None));
            gcb_local_set(f, L_NEXT, nxt);
            gcb_object_t *cur = gcb_local(f, L_CUR);
            gcb_setattr(cur, c->s_next, gcb_newref(nxt));
            if (is_cycle)
                gcb_setattr(nxt, c->s_prev, gcb_newref(cur));
            gcb_local_set(f, L_CUR, gcb_newref(nxt));
            gcb_safepoint();
        }
        gcb_object_t *head = gcb_list_get(gcb_local(f, L_ALL), r);
        if (is_cycle) {
            gcb_object_t *cur = gcb_local(f, L_CUR);
            gcb_setattr(cur, c->s_next, gcb_newref(head));
            gcb_setattr(head, c->s_prev, gcb_newref(cur));
            cyclic += c->ring_len * gcb_instance_objects(head);
        }
        /* walk it: a ring comes back to its head after ring_len steps */
        uint64_t steps = 0;
        gcb_object_t *o = head;
        do {
            o = gcb_getattr(o, c->s_next);
            steps++;
        } while (o != gcb_None && o != head);
        *h = gcb_mix(*h, steps * 2 + (o == head));
        *ops += c->ring_len;
        gcb_safepoint();
    }
    gcb_local_set(f, L_CUR, gcb_newref(gcb_None));
    gcb_local_set(f, L_NEXT, gcb_newref(gcb_None));
    for (uint64_t k = 0; k < c->selfrefs; k++) {
        bool is_cycle = gcb_rng_double(rng) < c->cycle_rate;
        gcb_object_t *l = gcb_list_new(0);
        gcb_list_append(gcb_local(f, L_ALL), l);
        gcb_list_append(l, gcb_int_new(1000 + (int64_t)k));
        gcb_list_append(l, gcb_newref(is_cycle ? l : gcb_None));
        cyclic += is_cycle ? OBJECTS_PER_SELFREF : 0;
        *h = gcb_mix(*h, gcb_list_get(l, 1) == l);
        (*ops)++;
        gcb_safepoint();
    }
    gcb_local_set(f, L_ALL, gcb_newref(gcb_None));   /* del all_cycles */
    return cyclic;
}

static int cycles_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                      char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(200000.0 * gcb_param_double(p, cycles_params, "scale"));
    const double cycle_rate = gcb_param_double(p, cycles_params, "cycle_rate");
    const uint64_t keep_every = (uint64_t)gcb_param_int(p, cycles_params, "keep_every");
    const uint64_t ring_every = (uint64_t)gcb_param_int(p, cycles_params, "ring_every");
    const bool collect = gcb_param_int(p, cycles_params, "collect") != 0;
    const ring_cfg_t rc = {
        .rings = (uint64_t)gcb_param_int(p, cycles_params, "rings"),
        .ring_len = (uint64_t)gcb_param_int(p, cycles_params, "ring_len"),
        .selfrefs = (uint64_t)gcb_param_int(p, cycles_params, "selfrefs"),
        .cycle_rate = cycle_rate,
        .cls_node = gcb_class_new("Node"),
        .s_next = gcb_str_const("next"),
        .s_prev = gcb_str_const("prev"),
    };

    gcb_object_t *cls_a = gcb_class_new("A"), *cls_b = gcb_class_new("B");
    gcb_object_t *s_a = gcb_str_const("a"), *s_b = gcb_str_const("b"), *s_n = gcb_str_const("n");

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    gcb_local_set(f, L_KEEP, gcb_list_new(0));
    uint64_t cyclic = 0, cyclic_objects = 0, h = 0, ops = 0;

    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *a = gcb_instance_new(cls_a);
        gcb_setattr(a, s_b, gcb_None);
        gcb_local_set(f, L_A, a);
        gcb_object_t *b = gcb_instance_new(cls_b);
        gcb_setattr(b, s_a, gcb_None);
        gcb_local_set(f, L_B, b);
        gcb_setattr(a, s_b, gcb_newref(b));
        bool is_cycle = gcb_rng_double(&rng) < cycle_rate;
        if (is_cycle)
            gcb_setattr(b, s_a, gcb_newref(a));
        gcb_setattr(a, s_n, gcb_int_new(1000 + (int64_t)i));
        if (is_cycle) /* the two instances (with their dicts, if any) and the int */
            cyclic += gcb_instance_objects(a) + gcb_instance_objects(b) + 1;
        if (i % keep_every == 0)
            gcb_list_append(gcb_local(f, L_KEEP), gcb_newref(a));
        h = gcb_mix(h, (uint64_t)gcb_int_value(gcb_getattr(a, s_n)) * (is_cycle ? 3 : 1));
        ops++;
        gcb_safepoint();
        if (i % ring_every == ring_every - 1) {
            cyclic_objects += ring_round(f, &rc, &rng, &ops, &h);
            if (collect)
                gcb_gc_collect();
        }
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
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = cyclic + cyclic_objects;
    return 0;
}

const gcb_workload_t gcb_workload_cycles = {
    .name = "cycles",
    .description = "cyclic garbage: A/B instance pairs, gc_collect's rings of Nodes, self-referencing lists",
    .ops_unit = "pairs, ring nodes and self-referencing lists created",
    .params = cycles_params,
    .run = cycles_run,
};
