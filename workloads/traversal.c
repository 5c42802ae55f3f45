/*
 * workloads/traversal.c - a large live graph that every full collection
 * must traverse and can free nothing of: pyperformance's gc_traversal.
 *
 *     def create_recursive_containers(n_levels):   # pyperformance, verbatim
 *         current_list = []
 *         for n in range(n_levels):
 *             new_list = [None] * n
 *             for index in range(n):
 *                 new_list[index] = current_list
 *             current_list = new_list
 *         return current_list
 *
 *     graphs = [create_recursive_containers(levels) for _ in range(copies)]
 *     for r in range(rounds):                      # rounds = 150 x scale
 *         tmp = [[1000 + r + j] for j in range(churn)]   # young garbage
 *         del tmp
 *         if collect: gc.collect()                 # frees tmp's leftovers only
 *
 * One graph of 1,000 levels is 1,000 lists holding 499,500 references
 * (about 4 MB of item arrays, mostly above pymalloc's cutoff).  The young
 * garbage between collections gives a generational policy its usual work
 * and gives pure refcounting (which has no gc.collect) something to time.
 * `ops` counts the lists created (graph levels and young lists).
 */
#include "workloads/workload.h"

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t traversal_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 150 x scale rounds" },
    { "levels", GCB_PARAM_INT, "1000", 1, 1 << 20, "levels of each graph (gc_traversal: 1,000)" },
    { "copies", GCB_PARAM_INT, "1", 1, 1 << 20, "graphs kept alive" },
    { "churn", GCB_PARAM_INT, "12000", 0, 1 << 26, "young lists made and dropped each round" },
    { "collect", GCB_PARAM_INT, "1", 0, 1, "1: gc.collect() at the end of each round (a no-op under rc)" },
    GCB_PARAM_END
};

enum { L_GRAPHS, L_CUR, L_NEW, L_TMP, NLOCALS };

static int traversal_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                         char *err, size_t errlen)
{
    (void)err; (void)errlen; (void)seed;   /* the graph and its churn are fixed: no randomness */
    const uint64_t rounds = (uint64_t)(150.0 * gcb_param_double(p, traversal_params, "scale"));
    const int64_t levels = gcb_param_int(p, traversal_params, "levels");
    const int64_t copies = gcb_param_int(p, traversal_params, "copies");
    const int64_t churn = gcb_param_int(p, traversal_params, "churn");
    const bool collect = gcb_param_int(p, traversal_params, "collect") != 0;

    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0;
    gcb_local_set(f, L_GRAPHS, gcb_list_new(0));
    for (int64_t c = 0; c < copies; c++) {
        gcb_local_set(f, L_CUR, gcb_list_new(0));
        for (int64_t lv = 0; lv < levels; lv++) {
            gcb_local_set(f, L_NEW, gcb_list_new((size_t)lv));      /* [None] * n */
            gcb_object_t *nl = gcb_local(f, L_NEW), *cur = gcb_local(f, L_CUR);
            for (int64_t i = 0; i < lv; i++)
                gcb_list_set(nl, (size_t)i, gcb_newref(cur));
            gcb_local_set(f, L_CUR, gcb_newref(nl));
            ops++;
            gcb_safepoint();
        }
        gcb_list_append(gcb_local(f, L_GRAPHS), gcb_newref(gcb_local(f, L_CUR)));
        gcb_local_set(f, L_CUR, gcb_newref(gcb_None));
        gcb_local_set(f, L_NEW, gcb_newref(gcb_None));
    }

    for (uint64_t r = 0; r < rounds; r++) {
        gcb_local_set(f, L_TMP, gcb_list_new(0));
        gcb_object_t *tmp = gcb_local(f, L_TMP);
        for (int64_t j = 0; j < churn; j++) {
            gcb_object_t *l = gcb_list_new(0);
            gcb_list_append(tmp, l);
            gcb_list_append(l, gcb_int_new(1000 + (int64_t)r + j));
            if (j % 64 == 63)
                gcb_safepoint();
        }
        if (churn)
            h = gcb_wl_hash(h, gcb_list_get(tmp, (size_t)(r % (uint64_t)churn)), 1);
        ops += (uint64_t)churn + 1;
        gcb_local_set(f, L_TMP, gcb_newref(gcb_None));
        gcb_safepoint();
        if (collect)
            gcb_gc_collect();
    }

    /* checksum: walk each graph down; level n must hold n references to level n-1 */
    gcb_object_t *graphs = gcb_local(f, L_GRAPHS);
    for (size_t c = 0; c < gcb_list_len(graphs); c++) {
        gcb_object_t *l = gcb_list_get(graphs, c);
        for (;;) {
            size_t n = gcb_list_len(l);
            uint64_t same = 0;
            for (size_t i = 1; i < n; i++)
                same += gcb_list_get(l, i) == gcb_list_get(l, 0);
            h = gcb_mix(h, n * 1000003 + same);
            if (n == 0)
                break;
            l = gcb_list_get(l, 0);
        }
    }
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_traversal = {
    .name = "traversal",
    .description = "gc_traversal: a live graph of nested lists (level n holds n refs to level n-1) every collection must trace",
    .ops_unit = "lists created",
    .params = traversal_params,
    .run = traversal_run,
};
