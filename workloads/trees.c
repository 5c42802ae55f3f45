/*
 * workloads/trees.c - the two classic tree benchmarks of garbage
 * collection: Boehm and Ellis's GCBench and the Benchmarks Game's
 * binary-trees, in their Python forms.  `-p variant=gcbench|binarytrees`.
 *
 * GCBench (the Python port of GCBench.java; nodes are class instances):
 *
 *     class Node:
 *         def __init__(self, l=None, r=None):
 *             self.left = l; self.right = r; self.i = 0; self.j = 0
 *     def populate(depth, node):                      # top down
 *         if depth <= 0: return
 *         depth -= 1
 *         node.left = Node(); node.right = Node()
 *         populate(depth, node.left); populate(depth, node.right)
 *     def make_tree(depth):                           # bottom up
 *         return Node() if depth <= 0 else Node(make_tree(depth - 1), make_tree(depth - 1))
 *     def time_construction(depth):
 *         for i in range(num_iters(depth)):
 *             temp = Node(); populate(depth, temp); temp = None
 *         for i in range(num_iters(depth)):
 *             temp = make_tree(depth); temp = None
 *     temp = make_tree(stretch_depth); temp = None    # stretch: depth + 2
 *     long_lived = Node(); populate(depth, long_lived)
 *     array = [0.0] * array_size
 *     for i in range(1, array_size // 2): array[i] = 1.0 / i
 *     for d in range(4, depth + 1, 2): time_construction(d)
 *     assert long_lived is not None and array[1000] == 1.0 / 1000
 *
 * num_iters(d) = 2 * tree_size(stretch_depth) / tree_size(d) x scale, with
 * tree_size(d) = 2^(d+1) - 1.  The published parameters are depth=16
 * (stretch 18, long-lived 16, array 500,000, trees of depth 4..16); the
 * array is 500,000 x 2^(depth-16) (at least 2,002) so smaller depths keep
 * its proportions.  A Node is an instance with a 4-entry __dict__ (the
 * pre-3.11 object shape of the runtime, 272 bytes).
 *
 * binary-trees (the Benchmarks Game's Python program; nodes are tuples):
 *
 *     def make_tree(d):
 *         if d > 0:
 *             d -= 1
 *             return (make_tree(d), make_tree(d))
 *         return (None, None)            # a code constant: leaves allocate nothing
 *     def check_tree(node):
 *         (l, r) = node
 *         return 1 if l is None else 1 + check_tree(l) + check_tree(r)
 *     max_depth = max(min_depth + 2, n); stretch = max_depth + 1    # min_depth = 4
 *     print("stretch tree of depth %d\t check: %d" % (stretch, check_tree(make_tree(stretch))))
 *     long_lived = make_tree(max_depth)
 *     for d in range(min_depth, stretch, 2):
 *         i = 2 ** (max_depth - d + min_depth)        # x scale
 *         cs = sum(check_tree(make_tree(d)) for _ in range(i))
 *         print("%d\t trees of depth %d\t check: %d" % (i, d, cs))
 *     print("long lived tree of depth %d\t check: %d" % (max_depth, check_tree(long_lived)))
 *
 * The leaf (None, None) is one shared tuple held for the whole run (a
 * code constant in CPython), so a tree of depth d allocates 2^d - 1 tuples.
 * With -p verbose=1 the program's output goes to stderr, line for line as
 * the Benchmarks Game publishes it (tests/trees.sh diffs it).
 *
 * Recursion keeps its pending subtrees in the slots of one frame (CPython's
 * data stack), so every node built is reachable at each safepoint, and a
 * safepoint is reached at every call, as CPython's eval breaker is:
 * collections may run in the middle of building a tree.
 * `ops` counts the tree nodes allocated.
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t trees_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: floor(scale) whole runs plus that fraction of every phase (1: the published program)" },
    { "variant", GCB_PARAM_STRING, "gcbench", 0, 0, "gcbench (instances, top-down and bottom-up) or binarytrees (tuples)",
      "gcbench|binarytrees" },
    { "depth", GCB_PARAM_INT, "0", 0, 30, "max tree depth (binary-trees' N; GCBench's long-lived depth); 0: 12 for gcbench, 16 for binarytrees" },
    { "verbose", GCB_PARAM_INT, "0", 0, 2, "1: print the benchmark's own output to stderr; 2: also the nodes each phase made" },
    GCB_PARAM_END
};

typedef struct tree_ctx {
    gcb_frame_t *main;        /* the program's locals (L_*) */
    gcb_frame_t *stack;       /* slot k: the pending left subtree (or the node populated) at depth k */
    gcb_object_t *cls;        /* Node */
    gcb_object_t *s_left, *s_right, *s_i, *s_j;
    uint64_t made;
} tree_ctx_t;

/* ------------------------------------------------------------ GCBench */

/* Node(l, r): consumes l and r. -> new */
static gcb_object_t *node_new(tree_ctx_t *t, gcb_object_t *l, gcb_object_t *r)
{
    gcb_object_t *n = gcb_instance_new(t->cls);
    gcb_setattr(n, t->s_left, l);
    gcb_setattr(n, t->s_right, r);
    gcb_setattr(n, t->s_i, gcb_int_new(0));
    gcb_setattr(n, t->s_j, gcb_int_new(0));
    t->made++;
    return n;
}

/* populate(depth, node) with node in stack slot `depth`. */
static void gc_populate(tree_ctx_t *t, int depth)
{
    gcb_safepoint();
    if (depth <= 0)
        return;
    gcb_object_t *node = gcb_local(t->stack, (uint32_t)depth);
    gcb_setattr(node, t->s_left, node_new(t, gcb_newref(gcb_None), gcb_newref(gcb_None)));
    gcb_setattr(node, t->s_right, node_new(t, gcb_newref(gcb_None), gcb_newref(gcb_None)));
    for (int side = 0; side < 2; side++) {
        node = gcb_local(t->stack, (uint32_t)depth);     /* re-read: a safepoint has passed */
        gcb_object_t *child = gcb_getattr(node, side ? t->s_right : t->s_left);
        gcb_local_set(t->stack, (uint32_t)depth - 1, gcb_newref(child));
        gc_populate(t, depth - 1);
    }
    gcb_local_set(t->stack, (uint32_t)depth - 1, gcb_newref(gcb_None));
}

/* make_tree(depth), bottom up. -> new */
static gcb_object_t *gc_make(tree_ctx_t *t, int depth)
{
    gcb_safepoint();
    if (depth <= 0)
        return node_new(t, gcb_newref(gcb_None), gcb_newref(gcb_None));
    gcb_local_set(t->stack, (uint32_t)depth, gc_make(t, depth - 1));
    gcb_object_t *r = gc_make(t, depth - 1);
    gcb_object_t *l = gcb_newref(gcb_local(t->stack, (uint32_t)depth));
    gcb_local_set(t->stack, (uint32_t)depth, gcb_newref(gcb_None));
    return node_new(t, l, r);
}

static uint64_t gc_count(tree_ctx_t *t, gcb_object_t *n)
{
    if (n == gcb_None)
        return 0;
    return 1 + gc_count(t, gcb_getattr(n, t->s_left)) + gc_count(t, gcb_getattr(n, t->s_right));
}

static uint64_t tree_size(int d) { return ((uint64_t)1 << (d + 1)) - 1; }

enum { L_LONG, L_ARRAY, L_TEMP, L_LEAF, NLOCALS };

/* ------------------------------------------------------- the scale rule
 *
 * scale = R + f (R = floor(scale), 0 <= f < 1): R whole runs of the
 * benchmark one after another (each drops the previous run's long-lived
 * data, as a new process would), then, when f > 0, one run in which every
 * phase does the share f of its work:
 *   - a phase of N trees of depth D (the short-lived ones, and the
 *     stretch and long-lived trees with N = 1) makes c = round(f N 2^k)
 *     trees of depth D - k, k the smallest with c >= 8 (or k = D): f times
 *     the nodes to within about 1/16, and the phase keeps its trees' depth
 *     whenever f N >= 8; the long-lived forest stays alive through the run
 *     as the tree does;
 *   - GCBench's array has round(f n) doubles (at least 4; the
 *     benchmark's check reads array[1000], or the last double set when
 *     the array is shorter than 2,002).
 * So each phase's share of the nodes allocated is the same at every
 * scale, which the old rule (scale multiplied the short-lived trees only)
 * did not keep: at scale 0.05 the stretch and long-lived trees made most
 * of the nodes.  scale=1 is exactly the published program.  With
 * -p verbose=2 the nodes of each phase are printed (tests/trees.sh checks
 * the shares at several scales); workloads/python/trees.py follows the
 * same rule.
 */
typedef struct share { uint64_t count; int depth; } share_t;

/* The share f of a phase of n trees of depth `depth`. */
static share_t phase_share(uint64_t n, int depth, double f)
{
    if (f >= 1.0)
        return (share_t){ n, depth };
    int k = 0;
    while (k < depth && f * (double)n * (double)((uint64_t)1 << k) < 8.0)
        k++;
    uint64_t c = (uint64_t)(f * (double)n * (double)((uint64_t)1 << k) + 0.5);
    return (share_t){ c, depth - k };
}

static share_t forest_share(int depth, double f)
{
    share_t s = phase_share(1, depth, f);
    if (!s.count)
        s.count = 1;
    return s;
}

static uint64_t count_share(uint64_t n, double f)
{
    return f >= 1.0 ? n : (uint64_t)(f * (double)n + 0.5);
}

/* Nodes per phase, summed over the runs (-p verbose=2).  Per copy in the
 * threaded cores (runtime/object.h's GCB_TLS; the copies of threads=N
 * each print their own): a shared tally was a data race TSan reported. */
enum { PH_STRETCH, PH_LONG, PH_ARRAY, PH_SHORT, PH_COUNT = PH_SHORT + 16 };
static GCB_TLS uint64_t phase_nodes[PH_COUNT];

static void print_phases(int max_depth)
{
    fprintf(stderr, "phase stretch %llu\nphase long_lived %llu\n", (unsigned long long)phase_nodes[PH_STRETCH],
            (unsigned long long)phase_nodes[PH_LONG]);
    if (phase_nodes[PH_ARRAY])
        fprintf(stderr, "phase array %llu\n", (unsigned long long)phase_nodes[PH_ARRAY]);
    for (int d = 4; d <= max_depth && PH_SHORT + d / 2 < PH_COUNT; d += 2)
        fprintf(stderr, "phase depth%d %llu\n", d, (unsigned long long)phase_nodes[PH_SHORT + d / 2]);
}

/* ------------------------------------------------------ GCBench's phases */

/* temp = make_tree(stretch_depth); temp = None (a forest at f < 1) */
static void gc_stretch(tree_ctx_t *t, gcb_frame_t *f, int stretch, double frac, bool verbose, uint64_t *h)
{
    share_t st = forest_share(stretch, frac);
    if (verbose)
        fprintf(stderr, "Garbage Collector Test\n Stretching memory with a binary tree of depth %d\n", st.depth);
    uint64_t m0 = t->made, nodes = 0;
    for (uint64_t c = 0; c < st.count; c++) {
        gcb_local_set(f, L_TEMP, gc_make(t, st.depth));
        nodes += gc_count(t, gcb_local(f, L_TEMP));
        gcb_local_set(f, L_TEMP, gcb_newref(gcb_None));
    }
    *h = gcb_mix(*h, nodes);
    phase_nodes[PH_STRETCH] += t->made - m0;
}

/* long_lived = Node(); populate(depth, long_lived) (a list of such trees at f < 1) */
static void gc_long_lived(tree_ctx_t *t, gcb_frame_t *f, int depth, double frac, bool verbose)
{
    share_t lg = forest_share(depth, frac);
    if (verbose)
        fprintf(stderr, " Creating a long-lived binary tree of depth %d\n", lg.depth);
    uint64_t m0 = t->made;
    bool forest = frac < 1.0;
    if (forest)
        gcb_local_set(f, L_LONG, gcb_list_new(0));
    for (uint64_t c = 0; c < lg.count; c++) {
        gcb_object_t *node = node_new(t, gcb_newref(gcb_None), gcb_newref(gcb_None));
        if (forest)
            gcb_list_append(gcb_local(f, L_LONG), node);
        else
            gcb_local_set(f, L_LONG, node);
        gcb_local_set(t->stack, (uint32_t)lg.depth, gcb_newref(node));
        gc_populate(t, lg.depth);
        gcb_local_set(t->stack, (uint32_t)lg.depth, gcb_newref(gcb_None));
    }
    phase_nodes[PH_LONG] += t->made - m0;
}

static void gc_array(gcb_frame_t *f, int64_t array_size, bool verbose)
{
    if (verbose)
        fprintf(stderr, " Creating a long-lived array of %lld doubles\n", (long long)array_size);
    gcb_object_t *zero = gcb_float_new(0.0);
    gcb_object_t *array = gcb_list_new(0);
    gcb_local_set(f, L_ARRAY, array);
    for (int64_t i = 0; i < array_size; i++)
        gcb_list_append(array, gcb_newref(zero));
    gcb_release(zero);
    for (int64_t i = 1; i < array_size / 2; i++) {
        gcb_list_set(gcb_local(f, L_ARRAY), (size_t)i, gcb_float_new(1.0 / (double)i));
        if (i % 256 == 0)
            gcb_safepoint();
    }
    phase_nodes[PH_ARRAY] += (uint64_t)(array_size / 2);   /* the floats made, 0.0 included */
}

/* time_construction(d): iters trees top down, then iters bottom up */
static void gc_construction(tree_ctx_t *t, gcb_frame_t *f, int phase, share_t sh, bool verbose, uint64_t *h)
{
    const int d = sh.depth;
    const uint64_t iters = sh.count;
    if (verbose)
        fprintf(stderr, "Creating %llu trees of depth %d\n", (unsigned long long)iters, d);
    uint64_t m0 = t->made;
    for (uint64_t i = 0; i < iters; i++) {               /* top down */
        gcb_local_set(f, L_TEMP, node_new(t, gcb_newref(gcb_None), gcb_newref(gcb_None)));
        gcb_local_set(t->stack, (uint32_t)d, gcb_newref(gcb_local(f, L_TEMP)));
        gc_populate(t, d);
        gcb_local_set(t->stack, (uint32_t)d, gcb_newref(gcb_None));
        if (i == 0)
            *h = gcb_mix(*h, gc_count(t, gcb_local(f, L_TEMP)));
        gcb_local_set(f, L_TEMP, gcb_newref(gcb_None));
    }
    for (uint64_t i = 0; i < iters; i++) {               /* bottom up */
        gcb_local_set(f, L_TEMP, gc_make(t, d));
        if (i == 0)
            *h = gcb_mix(*h, gc_count(t, gcb_local(f, L_TEMP)));
        gcb_local_set(f, L_TEMP, gcb_newref(gcb_None));
    }
    if (PH_SHORT + phase / 2 < PH_COUNT)
        phase_nodes[PH_SHORT + phase / 2] += t->made - m0;
}

/* Nodes of the long-lived tree, or of every tree of the forest. */
static uint64_t gc_long_count(tree_ctx_t *t, gcb_object_t *l)
{
    if (l == gcb_None || l->type != &gcb_list_type)
        return gc_count(t, l);
    uint64_t n = 0;
    for (size_t i = 0; i < gcb_list_len(l); i++)
        n += gc_count(t, gcb_list_get(l, i));
    return n;
}

/* One run of GCBench at share `frac` of every phase (1: the whole program). */
static void run_gcbench(tree_ctx_t *t, gcb_frame_t *f, int depth, double frac, bool verbose, uint64_t *h)
{
    const int stretch = depth + 2, min_depth = 4;
    int64_t array_size = depth >= 16 ? (int64_t)500000 << (depth - 16) : (int64_t)500000 >> (16 - depth);
    if (array_size < 2002)
        array_size = 2002;
    array_size = (int64_t)count_share((uint64_t)array_size, frac);
    if (array_size < 4)
        array_size = 4;
    const size_t check_at = array_size / 2 - 1 < 1000 ? (size_t)(array_size / 2 - 1) : 1000;
    gc_stretch(t, f, stretch, frac, verbose, h);
    gc_long_lived(t, f, depth, frac, verbose);
    gc_array(f, array_size, verbose);
    for (int d = min_depth; d <= depth; d += 2)
        gc_construction(t, f, d, phase_share(2 * tree_size(stretch) / tree_size(d), d, frac), verbose, h);

    /* the benchmark's own check, then the survivors into the checksum */
    gcb_object_t *array = gcb_local(f, L_ARRAY);
    bool ok = gcb_local(f, L_LONG) != gcb_None &&
              gcb_float_value(gcb_list_get(array, check_at)) == 1.0 / (double)check_at;
    if (verbose && !ok)
        fprintf(stderr, "Failed\n");
    *h = gcb_mix(*h, ok);
    *h = gcb_mix(*h, gc_long_count(t, gcb_local(f, L_LONG)));
    for (size_t i = 0; i < gcb_list_len(array); i += 97)
        *h = gcb_wl_hash(*h, gcb_list_get(array, i), 0);
}

/* ------------------------------------------------------- binary-trees */

/* make_tree(d) -> new; the leaf is the shared (None, None) in L_LEAF */
static gcb_object_t *bt_make(tree_ctx_t *t, int d)
{
    gcb_safepoint();
    if (d <= 0)
        return gcb_newref(gcb_local(t->main, L_LEAF));
    gcb_local_set(t->stack, (uint32_t)d, bt_make(t, d - 1));
    gcb_object_t *r = bt_make(t, d - 1);
    gcb_object_t *node = gcb_tuple_new(2);
    gcb_tuple_init(node, 0, gcb_newref(gcb_local(t->stack, (uint32_t)d)));
    gcb_tuple_init(node, 1, r);
    gcb_local_set(t->stack, (uint32_t)d, gcb_newref(gcb_None));
    t->made++;
    return node;
}

static uint64_t bt_check(gcb_object_t *node)
{
    gcb_object_t *l = gcb_tuple_get(node, 0);
    if (l == gcb_None)
        return 1;
    return 1 + bt_check(l) + bt_check(gcb_tuple_get(node, 1));
}

/* check_tree of the long-lived tree, or the sum over the forest */
static uint64_t bt_long_check(gcb_object_t *l)
{
    if (l->type != &gcb_list_type)
        return bt_check(l);
    uint64_t n = 0;
    for (size_t i = 0; i < gcb_list_len(l); i++)
        n += bt_check(gcb_list_get(l, i));
    return n;
}

/* The stretch tree and the long-lived tree (forests at frac < 1). */
static void bt_big_trees(tree_ctx_t *t, gcb_frame_t *f, int max_depth, double frac, bool verbose, uint64_t *h)
{
    share_t st = forest_share(max_depth + 1, frac), lg = forest_share(max_depth, frac);
    uint64_t m0 = t->made, check = 0;
    for (uint64_t c = 0; c < st.count; c++) {
        gcb_local_set(f, L_TEMP, bt_make(t, st.depth));
        check += bt_check(gcb_local(f, L_TEMP));
        gcb_local_set(f, L_TEMP, gcb_newref(gcb_None));
    }
    if (verbose && frac >= 1.0)
        fprintf(stderr, "stretch tree of depth %d\t check: %llu\n", st.depth, (unsigned long long)check);
    else if (verbose)
        fprintf(stderr, "%llu stretch trees of depth %d\t check: %llu\n", (unsigned long long)st.count, st.depth,
                (unsigned long long)check);
    *h = gcb_mix(*h, check);
    phase_nodes[PH_STRETCH] += t->made - m0;

    m0 = t->made;
    if (frac >= 1.0) {
        gcb_local_set(f, L_LONG, bt_make(t, max_depth));
    } else {
        gcb_local_set(f, L_LONG, gcb_list_new(0));
        for (uint64_t c = 0; c < lg.count; c++)
            gcb_list_append(gcb_local(f, L_LONG), bt_make(t, lg.depth));   /* no safepoint in between */
    }
    phase_nodes[PH_LONG] += t->made - m0;
}

/* One run of binary-trees at share `frac` of every phase (1: the whole program). */
static void run_binarytrees(tree_ctx_t *t, gcb_frame_t *f, int n, double frac, bool verbose, uint64_t *h)
{
    const int min_depth = 4;
    const int max_depth = n > min_depth + 2 ? n : min_depth + 2;
    const int stretch = max_depth + 1;
    {
        gcb_object_t *leaf = gcb_tuple_new(2);              /* (None, None) */
        gcb_tuple_init(leaf, 0, gcb_newref(gcb_None));
        gcb_tuple_init(leaf, 1, gcb_newref(gcb_None));
        gcb_local_set(f, L_LEAF, leaf);                      /* lives in L_LEAF all run */
    }
    bt_big_trees(t, f, max_depth, frac, verbose, h);
    for (int d = min_depth; d < stretch; d += 2) {
        share_t sh = phase_share((uint64_t)1 << (max_depth - d + min_depth), d, frac);
        uint64_t iters = sh.count, cs = 0, m0 = t->made;
        for (uint64_t i = 0; i < iters; i++) {
            gcb_local_set(f, L_TEMP, bt_make(t, sh.depth));
            cs += bt_check(gcb_local(f, L_TEMP));
            gcb_local_set(f, L_TEMP, gcb_newref(gcb_None));
        }
        if (verbose)
            fprintf(stderr, "%llu\t trees of depth %d\t check: %llu\n", (unsigned long long)iters, sh.depth,
                    (unsigned long long)cs);
        *h = gcb_mix(gcb_mix(*h, iters), cs);
        if (PH_SHORT + d / 2 < PH_COUNT)
            phase_nodes[PH_SHORT + d / 2] += t->made - m0;
    }
    uint64_t check = bt_long_check(gcb_local(f, L_LONG));
    if (verbose)
        fprintf(stderr, "long lived tree of depth %d\t check: %llu\n", max_depth, (unsigned long long)check);
    *h = gcb_mix(*h, check);
}

static int trees_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                     char *err, size_t errlen)
{
    (void)err; (void)errlen; (void)seed;    /* both programs are deterministic by construction */
    const double scale = gcb_param_double(p, trees_params, "scale");
    const bool binarytrees = strcmp(gcb_param_str(p, trees_params, "variant"), "binarytrees") == 0;
    const int verbose = (int)gcb_param_int(p, trees_params, "verbose");
    int depth = (int)gcb_param_int(p, trees_params, "depth");
    if (depth == 0)
        depth = binarytrees ? 16 : 12;

    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    tree_ctx_t t = {
        .main = f,
        .cls = gcb_class_new("Node"),
        .s_left = gcb_str_const("left"), .s_right = gcb_str_const("right"),
        .s_i = gcb_str_const("i"), .s_j = gcb_str_const("j"),
    };
    t.stack = gcb_frame_push((uint32_t)(depth > 6 ? depth : 6) + 4);   /* slots up to the stretch depth */
    memset(phase_nodes, 0, sizeof phase_nodes);
    const uint64_t whole = (uint64_t)scale;                /* the scale rule above */
    const double frac = scale - (double)whole;
    uint64_t h = 0;
    for (uint64_t r = 0; r <= whole; r++) {
        double share = r < whole ? 1.0 : frac;
        if (share <= 0.0)
            break;
        if (binarytrees)
            run_binarytrees(&t, f, depth, share, verbose > 0, &h);
        else
            run_gcbench(&t, f, depth, share, verbose > 0, &h);
    }
    if (verbose >= 2)
        print_phases(binarytrees ? (depth > 6 ? depth : 6) : depth);
    gcb_frame_pop(t.stack);
    gcb_frame_pop(f);
    out->ops = t.made;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_trees = {
    .name = "trees",
    .description = "GCBench (instance trees, top-down and bottom-up, long-lived tree and array) or binary-trees (tuples)",
    .ops_unit = "tree nodes allocated",
    .params = trees_params,
    .run = trees_run,
};
