/*
 * tests/test_garbage.c - the maximum-outstanding-garbage metric
 * (runtime/garbage.c) counts exactly.
 * Usage: test_garbage [ALLOCATOR]
 *
 *   - a measurement at a safepoint agrees with the test oracle's garbage
 *     (tests/oracle.c, its own registry and walk), objects and bytes;
 *   - rc: cycles dropped between samples are never freed, so the maximum
 *     grows without bound: after R rounds of one dropped 2-cycle, exactly
 *     2R objects and 2R list blocks' bytes, and one sample per round;
 *   - gen with threshold0=100: the sample before each young collection
 *     sees the 51 cycles (102 lists) dropped since the last one, never more;
 *   - incremental (both presets) with threshold0=100: a round's mark step
 *     leaves young garbage in place and the next increment frees it, so the
 *     maximum is 204 (see the schedule in test_incremental_schedule);
 *   - on a cycle-free workload under rc and gen (intchurn) the metric is 0,
 *     and a run records garbage_every and its samples; off by default.
 */
#include <string.h>

#include "bench/cell/cell.h"
#include "runtime/debug.h"
#include "runtime/options.h"
#include "tests/check.h"
#include "tests/cells.h"
#include "tests/oracle.h"

static const char *alloc_name = "glibc";

/* manual_start with the runtime's garbage_every set (manual_start leaves
 * the runtime's rows at their defaults). */
static void start(manual_t *m, const char *coll, const char *const *params, int every)
{
    char err[256], kv[64];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    snprintf(kv, sizeof kv, "garbage_every=%d", every);
    CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    manual_start(m, alloc_name, coll, params);
}

/* Drop one A <-> B cycle of two lists. */
static void drop_cycle(void)
{
    gcb_object_t *a = gcb_list_new(0), *b = gcb_list_new(0);
    gcb_list_append(a, gcb_newref(b));
    gcb_list_append(b, a); /* b's reference is a's only one now... */
    gcb_release(b);        /* ...and a's is b's: only the cycle holds them */
}

static size_t list_block(void)
{
    gcb_object_t *l = gcb_list_new(0);
    size_t n = gcb_object_block_size(l);
    gcb_release(l);
    return n;
}

static gcb_garbage_stats_t garbage(void)
{
    gcb_garbage_stats_t g;
    gcb_garbage_get(&g);
    return g;
}

static void test_against_oracle(void)
{
    manual_t m;
    start(&m, "rc", NULL, 0);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int i = 0; i < 7; i++) {
        drop_cycle();
        gcb_object_t *t = gcb_tuple_new(1);
        gcb_tuple_init(t, 0, gcb_int_new(1000 + i)); /* a mortal leaf hanging off nothing: freed */
        gcb_list_append(gcb_local(f, 0), t);
    }
    uint64_t objs, bytes;
    gcb_garbage_measure(&objs, &bytes);
    gcb_oracle_t o;
    CHECK(gcb_oracle_scan(&o) == 0);
    CHECK_EQ_U(objs, o.garbage);
    CHECK_EQ_U(objs, 14);
    CHECK_EQ_U(bytes, 14 * list_block());
    CHECK_EQ_U(garbage().samples, 0); /* off: nothing sampled */
    gcb_frame_pop(f);
    manual_stop(&m);
}

static void test_rc_grows(void)
{
    manual_t m;
    start(&m, "rc", NULL, 1);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    size_t block = list_block();
    enum { R = 300 };
    for (int r = 1; r <= R; r++) {
        drop_cycle();
        gcb_safepoint(); /* the sample armed by this round's allocations */
        CHECK_EQ_U(garbage().max_objects, 2 * (uint64_t)r);
    }
    gcb_garbage_stats_t g = garbage();
    CHECK_EQ_U(g.samples, R);
    CHECK_EQ_U(g.max_objects, 2 * R);
    CHECK_EQ_U(g.max_bytes, 2 * R * block);
    CHECK_EQ_U(g.every, 1);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 2 * R); /* rc leaks them all */
}

/* Rounds of one dropped cycle and a safepoint under `coll`; returns the
 * maximum seen. */
static uint64_t rounds_max(const char *coll, const char *const *params, int rounds)
{
    manual_t m;
    start(&m, coll, params, 1);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_gc_collect(); /* counts from zero */
    for (int r = 0; r < rounds; r++) {
        drop_cycle();
        gcb_safepoint();
    }
    gcb_garbage_stats_t g = garbage();
    CHECK_EQ_U(g.samples, (uint64_t)rounds);
    CHECK_EQ_U(g.max_bytes, g.max_objects * list_block());
    CHECK(manual_stats(&m).freed_by_gc > 0);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
    return g.max_objects;
}

static void test_collectors(void)
{
    /* gen: count 2 per round, a young collection at the safepoint where it
     * exceeds 100 (round 51), after the sample: 102 lists at most */
    const char *g100[] = { "threshold0=100", NULL };
    CHECK_EQ_U(rounds_max("gen", g100, 1000), 102);
    const char *g13[] = { "cpython=3.13", "threshold0=100", NULL };
    CHECK_EQ_U(rounds_max("gen", g13, 1000), 102);
    /* incremental: after the full collection the next step marks (keep
     * only; the young garbage stays), the one after collects the young
     * generation whole: 2 x 102 lists outstanding at most */
    const char *i0[] = { "cpython=3.14.0", "threshold0=100", NULL };
    CHECK_EQ_U(rounds_max("incremental", i0, 1000), 204);
    const char *i1[] = { "cpython=3.14.1", "threshold0=100", NULL };
    CHECK_EQ_U(rounds_max("incremental", i1, 1000), 204);
}

static void test_cells(void)
{
    const char *on[] = { "scale=0.02", "garbage_every=500", NULL };
    for (int c = 0; c < 2; c++) {
        gcb_run_result_t r = cell(alloc_name, c ? "gen" : "rc", "intchurn", on, 3);
        CHECK_EQ_U(r.gc.garbage_every, 500);
        CHECK(r.gc.garbage_samples > 10);
        CHECK_EQ_U(r.gc.max_garbage_objects, 0); /* cycle-free: every object freed at its last release */
        CHECK_EQ_U(r.gc.max_garbage_bytes, 0);
    }
    const char *cyc[] = { "scale=0.02", "garbage_every=500", NULL };
    gcb_run_result_t r = cell(alloc_name, "rc", "cycles", cyc, 3);
    CHECK(r.gc.max_garbage_objects > 0);
    CHECK(r.gc.max_garbage_objects <= r.wl.cyclic_garbage_objects); /* rc never frees any of it */
    const char *off[] = { "scale=0.02", NULL };
    r = cell(alloc_name, "gen", "cycles", off, 3);
    CHECK_EQ_U(r.gc.garbage_every, 0);
    CHECK_EQ_U(r.gc.garbage_samples, 0);
    CHECK_EQ_U(r.gc.max_garbage_objects, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        alloc_name = argv[1];
    cells_alloc_ready(alloc_name, argv);
    test_against_oracle();
    test_rc_grows();
    test_collectors();
    test_cells();
    return gcb_check_exit("test_garbage");
}
