/*
 * tests/test_trialdel.c - the trial-deletion cycle collector is exact and
 * follows PHP's rules.
 *   - `cycles` and `intchurn` leak nothing after the final collection,
 *     the collections free exactly the cyclic garbage, checksums equal rc's;
 *   - a collection is asked for exactly when the root buffer reaches
 *     root_threshold, and runs at the next safepoint;
 *   - adaptive=1 raises the threshold by 10,000 after a collection that
 *     frees fewer than 100 objects and lowers it after a productive one;
 *   - a buffered root freed by refcounting leaves the buffer;
 *   - a 300,000-long garbage ring is collected without deep C recursion.
 * Usage: test_trialdel [ALLOCATOR]
 */
#include "tests/check.h"
#include "tests/cells.h"

static const char *alloc;

static void test_exact(void)
{
    const char *small[] = { "scale=0.05", NULL };
    gcb_run_result_t rc = cell(alloc, "rc", "intchurn", small, 1);
    gcb_run_result_t r = cell(alloc, "trialdel", "intchurn", small, 1);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(r.wl.ops, rc.wl.ops);
    CHECK_EQ_U(r.gc.freed_by_gc, 0);            /* nothing cyclic: refcounting frees it all */

    /* every pair cyclic: the collections free exactly the pairs */
    const char *all[] = { "scale=0.01", "cycle_rate=1", NULL };
    rc = cell(alloc, "rc", "cycles", all, 1);
    r = cell(alloc, "trialdel", "cycles", all, 1);
    CHECK_EQ_U(r.wl.cyclic_garbage_objects, 2000 * 3); /* 2 instances (values inline, 3.13) + the int */
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK_EQ_U(r.gc.freed_by_gc, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);

    /* a mix, with a small buffer so many collections run mid-workload */
    const char *half[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    const char *half_small[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "root_threshold=100", NULL };
    rc = cell(alloc, "rc", "cycles", half, 3);
    r = cell(alloc, "trialdel", "cycles", half_small, 3);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.gc.freed_by_gc, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
    CHECK(r.gc.collections > 20);
    CHECK(r.gc.deferred_peak >= 100);
    CHECK(r.gc.objects_traversed > 0);
    CHECK_EQ_U(r.gc.pauses.count, r.gc.collections);

    /* the default threshold: 10,001 roots, two per dropped cyclic pair */
    const char *big[] = { "scale=0.2", "keep_every=1000000", NULL }; /* no pile of roots at frame pop */
    r = cell(alloc, "trialdel", "cycles", big, 5);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK(r.gc.collections >= 7);               /* 80,000 roots / 10,001, plus the final one */
    CHECK(r.gc.deferred_peak >= 10001);
    CHECK(r.gc.deferred_peak <= 10002);         /* a safepoint every pair: at most 1 root late */
}

/* A new container kept alive by `keep`: its decrement leaves it at 1, so
 * it becomes a (live) possible root. */
static void live_root(gcb_object_t *keep)
{
    gcb_object_t *x = gcb_list_new(0);
    gcb_list_append(keep, gcb_newref(x));
    gcb_release(x);
}

/* Two lists referencing each other, dropped: two roots, 2 objects garbage. */
static void garbage_pair(void)
{
    gcb_object_t *a = gcb_list_new(0), *b = gcb_list_new(0);
    gcb_list_append(a, gcb_newref(b));
    gcb_list_append(b, gcb_newref(a));
    gcb_release(a);
    gcb_release(b);
}

static void test_threshold(void)
{
    manual_t m;
    const char *p[] = { "root_threshold=10", NULL };
    manual_start(&m, alloc, "trialdel", p);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    for (int i = 0; i < 9; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);             /* 9 roots: below the threshold */
    gcb_safepoint();
    CHECK_EQ_U(manual_stats(&m).collections, 0);
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);             /* the 10th root asks */
    CHECK_EQ_U(manual_stats(&m).collections, 0);/* ... but nothing runs before the safepoint */
    gcb_safepoint();
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.collections, 1);
    CHECK_EQ_U(s.freed_by_gc, 0);
    CHECK_EQ_U(s.deferred_peak, 10);
    CHECK_EQ_U(s.objects_traversed, 10);
    CHECK_EQ_I(gcb_hot.pending, 0);
    CHECK_EQ_U(gcb_list_len(keep), 10);
    /* not adaptive: the threshold is still 10 */
    for (int i = 0; i < 9; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    CHECK_EQ_U(manual_stats(&m).collections, 2);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_adaptive(void)
{
    manual_t m;
    const char *p[] = { "root_threshold=10", "adaptive=1", NULL };
    manual_start(&m, alloc, "trialdel", p);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    for (int i = 0; i < 10; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();                            /* frees nothing: threshold 10 -> 10,010 */
    CHECK_EQ_U(manual_stats(&m).collections, 1);
    for (int i = 0; i < 10; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);             /* 10 roots no longer trigger */
    for (int i = 0; i < 200; i++)
        garbage_pair();                         /* 400 roots, 400 objects of garbage */
    for (int i = 0; i < 10010 - 10 - 400 - 1; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);             /* 10,009 roots */
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);             /* 10,010 */
    gcb_safepoint();
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.collections, 2);
    CHECK_EQ_U(s.freed_by_gc, 400);             /* productive: threshold back to 10 */
    for (int i = 0; i < 9; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    /* that third collection freed nothing: 10 -> 10,010 again; an explicit
     * collection, unproductive too, leaves the threshold alone */
    for (int i = 0; i < 10; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);
    gcb_gc_collect();
    for (int i = 0; i < 10009; i++)
        live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 0);
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_root_freed_by_rc(void)
{
    manual_t m;
    const char *p[] = { "root_threshold=4", NULL };
    manual_start(&m, alloc, "trialdel", p);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    live_root(keep);
    live_root(keep);
    live_root(keep);                            /* roots x0 x1 x2 */
    uint64_t freed = c->objects_freed;
    gcb_list_set(keep, 0, gcb_None);            /* x0 freed by refcounting: x2 moves to its slot */
    gcb_list_set(keep, 2, gcb_None);            /* x2 freed (from its new slot) */
    CHECK_EQ_U(c->objects_freed, freed + 2);
    live_root(keep);
    live_root(keep);                            /* x1 y0 y1: 3 roots, not 5 */
    CHECK_EQ_I(gcb_hot.pending, 0);
    live_root(keep);
    CHECK_EQ_I(gcb_hot.pending, 1);             /* 4 */
    gcb_safepoint();
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.collections, 1);
    CHECK_EQ_U(s.objects_traversed, 4);         /* only live roots were left to look at */
    CHECK_EQ_U(s.deferred_peak, 4);
    /* a root that dies while a cascade frees it (in a dealloc queue) */
    gcb_object_t *outer = gcb_list_new(0);
    gcb_object_t *inner = gcb_list_new(0);
    gcb_list_append(outer, gcb_newref(inner));
    gcb_release(inner);                         /* inner: root */
    gcb_release(outer);                         /* frees outer, then inner */
    gcb_gc_collect();
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_long_ring(void)
{
    manual_t m;
    manual_start(&m, alloc, "trialdel", NULL);
    enum { N = 300000 };
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *head = gcb_local(f, 0), *prev = head;
    for (int i = 0; i < N; i++) {
        gcb_object_t *n = gcb_list_new(0);
        gcb_list_append(prev, n);
        prev = n;
    }
    gcb_list_append(prev, gcb_newref(head));
    /* a live ring: head becomes a root (a decrement leaving 2), the whole
     * ring is trial-deleted, the frame's reference restores it all */
    gcb_release(gcb_newref(head));
    gcb_gc_collect();
    CHECK_EQ_U(manual_stats(&m).objects_traversed, N + 1);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, N + 1);
    CHECK_EQ_I(head->refcnt, 2);
    gcb_local_set(f, 0, gcb_None);              /* dropped: head is the one root */
    gcb_gc_collect();
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.freed_by_gc, N + 1);
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

int main(int argc, char **argv)
{
    alloc = argc > 1 ? argv[1] : "glibc";
    cells_alloc_ready(alloc, argv);
    test_exact();
    test_threshold();
    test_adaptive();
    test_root_freed_by_rc();
    test_long_ring();
    return gcb_check_exit("test_trialdel");
}
