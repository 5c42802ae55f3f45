/*
 * tests/test_marksweep.c - the tracing collector is exact and triggers on
 * the heap budget.
 *   - `cycles` and `intchurn` leak nothing after the final collection,
 *     every free is the collector's, checksums equal rc's;
 *   - a collection is asked for by the allocation that takes live bytes
 *     past heap_factor x the live bytes after the last collection (or past
 *     min_heap), and runs at the next safepoint, returning to exactly the
 *     live bytes;
 *   - a larger heap_factor never gives more collections;
 *   - a 300,000-long live chain is marked without deep C recursion;
 *   - an unreachable interned string is swept and leaves the intern table.
 * Usage: test_marksweep [ALLOCATOR]
 */
#include "tests/check.h"
#include "tests/cells.h"

static const char *alloc;

static void test_exact(void)
{
    const char *small[] = { "scale=0.05", NULL };
    const char *small_ms[] = { "scale=0.05", "min_heap=65536", NULL };
    gcb_run_result_t rc = cell(alloc, "rc", "intchurn", small, 1);
    gcb_run_result_t r = cell(alloc, "marksweep", "intchurn", small_ms, 1);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(r.wl.ops, rc.wl.ops);
    CHECK_EQ_U(r.gc.freed_by_rc, 0);            /* nothing is counted, the sweep frees everything */
    CHECK_EQ_U(r.gc.freed_by_gc, r.counters.objects_freed);
    CHECK_EQ_U(r.counters.objects_freed, r.counters.objects_allocated - r.counters.immortal_objects);
    CHECK(r.gc.collections > 10);
    CHECK_EQ_U(r.gc.pauses.count, r.gc.collections);

    const char *all[] = { "scale=0.01", "cycle_rate=1", NULL };
    rc = cell(alloc, "rc", "cycles", all, 1);
    r = cell(alloc, "marksweep", "cycles", all, 1);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);

    const char *half[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    const char *half_ms[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "min_heap=16384", NULL };
    rc = cell(alloc, "rc", "cycles", half, 3);
    r = cell(alloc, "marksweep", "cycles", half_ms, 3);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
    CHECK(r.gc.collections > 5);
    CHECK(r.gc.deferred_peak > 0 && r.gc.deferred_bytes_peak > 0);
}

static void test_trigger(void)
{
    manual_t m;
    const char *p[] = { "heap_factor=2", "min_heap=0", NULL };
    manual_start(&m, alloc, "marksweep", p);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    for (int i = 0; i < 1000; i++) {
        gcb_list_append(keep, gcb_int_new(100000 + i));
        gcb_release(gcb_float_new(i));          /* garbage */
    }
    gcb_gc_collect();
    CHECK_EQ_I(gcb_hot.pending, 0);
    uint64_t live = c->live_bytes, n0 = manual_stats(&m).collections;
    uint64_t freed0 = manual_stats(&m).freed_by_gc;
    CHECK_EQ_U(c->live_objects, 1001);
    /* garbage until live bytes pass 2x; the crossing allocation asks */
    uint64_t garbage = 0;
    int asked_early = 0;
    for (;;) {
        gcb_release(gcb_int_new(5000000 + (int64_t)garbage));
        garbage++;
        if (c->live_bytes > 2 * live)
            break;
        asked_early |= gcb_hot.pending;
    }
    CHECK_EQ_I(asked_early, 0);
    CHECK_EQ_I(gcb_hot.pending, 1);
    CHECK_EQ_U(garbage, live / 48 + 1);         /* an int is 32 bytes + the 16-byte header */
    CHECK_EQ_U(manual_stats(&m).collections, n0);
    gcb_safepoint();
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.collections, n0 + 1);
    CHECK_EQ_U(s.freed_by_gc - freed0, garbage);
    CHECK_EQ_U(c->live_bytes, live);
    CHECK_EQ_I(gcb_hot.pending, 0);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);

    /* min_heap: no collection below it whatever the factor says */
    const char *p2[] = { "heap_factor=1.5", "min_heap=1000000", NULL };
    manual_start(&m, alloc, "marksweep", p2);
    f = gcb_frame_push(1);
    int asked = 0;
    while (c->live_bytes <= 1000000) {
        asked |= gcb_hot.pending;
        gcb_release(gcb_float_new(1.5));
    }
    CHECK_EQ_I(asked, 0);
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    CHECK_EQ_U(c->live_bytes, 0);
    CHECK_EQ_U(manual_stats(&m).collections, 1);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_factor_sweep(void)
{
    static const char *factors[] = { "heap_factor=1.5", "heap_factor=2", "heap_factor=3", "heap_factor=5" };
    uint64_t prev = UINT64_MAX, first = 0, last = 0;
    for (size_t i = 0; i < sizeof factors / sizeof factors[0]; i++) {
        const char *p[] = { "scale=0.05", "cycle_rate=0.5", "keep_every=10", "min_heap=16384", factors[i], NULL };
        gcb_run_result_t r = cell(alloc, "marksweep", "cycles", p, 7);
        CHECK_EQ_U(r.leaked_objects, 0);
        CHECK(r.gc.collections <= prev);
        if (r.gc.collections > prev)
            fprintf(stderr, "%s: %llu collections, more than the smaller factor's %llu\n", factors[i],
                    (unsigned long long)r.gc.collections, (unsigned long long)prev);
        prev = r.gc.collections;
        if (i == 0)
            first = r.gc.collections;
        last = r.gc.collections;
    }
    CHECK(first > 2 * last);
}

static void test_deep_and_interned(void)
{
    manual_t m;
    const char *p[] = { "min_heap=0", NULL };
    manual_start(&m, alloc, "marksweep", p);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    enum { N = 300000 };
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *prev = gcb_local(f, 0);
    for (int i = 0; i < N; i++) {
        gcb_object_t *n = gcb_list_new(0);
        gcb_list_append(prev, n);
        prev = n;
    }
    size_t interned = gcb_interned_count();
    gcb_object_t *s = gcb_str_intern(gcb_str_new("marksweep-only", 14));
    gcb_local_set(f, 1, s);
    CHECK_EQ_U(gcb_interned_count(), interned + 1);
    gcb_gc_collect();
    CHECK_EQ_U(c->live_objects, N + 2);
    CHECK(gcb_str_intern(gcb_str_new("marksweep-only", 14)) == s); /* still the canonical one */
    gcb_local_set(f, 1, gcb_None);
    gcb_local_set(f, 0, gcb_None);
    gcb_gc_collect();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(gcb_interned_count(), interned); /* the swept string left the table */
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

int main(int argc, char **argv)
{
    alloc = argc > 1 ? argv[1] : "glibc";
    cells_alloc_ready(alloc, argv);
    test_exact();
    test_trigger();
    test_factor_sweep();
    test_deep_and_interned();
    return gcb_check_exit("test_marksweep");
}
