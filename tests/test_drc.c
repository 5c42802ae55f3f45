/*
 * tests/test_drc.c - deferred reference counting keeps what frames hold,
 * frees everything else at reconciliation, and finds cycles with the
 * shared detector even when only a frame holds them.
 * Usage: test_drc [ALLOCATOR]
 */
#include <string.h>

#include "bench/cell/cell.h"
#include "collectors/cycle.h"
#include "runtime/debug.h"
#include "tests/check.h"
#include "tests/cells.h"
#include "tests/oracle.h"

static const char *alloc_name = "glibc";
static gcb_alloc_choice_t choice;
static void *actx;
static const gcb_collector_t *coll;

static void up(const char *const *params)
{
    char err[512];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    for (; params && *params; params++)
        CHECK(gcb_params_add(&p, *params, err, sizeof err) == 0);
    coll = gcb_collector_find("drc");
    CHECK(gcb_alloc_parse(alloc_name, &choice, err, sizeof err) == 0);
    actx = gcb_alloc_instance(&choice, err, sizeof err);
    CHECK(actx != NULL);
    CHECK(coll->init(&p, err, sizeof err) == 0);
    gcb_policy_t policy_ = gcb_collector_policy(coll);
    gcb_runtime_init(choice.top, actx, &policy_);
}

static void down(void)
{
    coll->fini();
    gcb_runtime_fini();
    choice.top->destroy(actx);
}

static gcb_gc_stats_t stats(void)
{
    static gcb_gc_stats_t s;
    coll->stats(&s);
    return s;
}

static uint64_t live(void) { return gcb_runtime_counters()->live_objects; }

static void test_frames_hold(void)
{
    const char *manual[] = { "threshold0=0", NULL };
    up(manual);
    gcb_frame_t *f = gcb_frame_push(4);
    gcb_oracle_t o;

    /* held only by a local: heap count 0, in the table, kept */
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *l = gcb_local(f, 0);
    CHECK_EQ_I(GCB_REFCNT(l), 0);
    CHECK(l->refcnt & GCB_ZCT_FLAG);
    gcb_gc_collect();
    CHECK_EQ_U(live(), 1);
    CHECK(l->refcnt & GCB_ZCT_FLAG);           /* still tabled: only a frame holds it */
    CHECK(gcb_oracle_check_collected(1, "drc", &o) == 0);

    /* a cycle held only by a local: x <-> y, x in a local.  Heap counts
     * are 1 each, all from inside the cycle; only the frame slot, which
     * drc adds to gc_refs, keeps it alive */
    gcb_object_t *x = gcb_list_new(0), *y = gcb_list_new(0);
    gcb_local_set(f, 1, x);
    gcb_list_append(x, y);                     /* y: its stack ref becomes a heap ref */
    gcb_list_append(y, gcb_newref(x));
    gcb_list_append(y, gcb_int_new(123456));
    CHECK_EQ_I(GCB_REFCNT(x), 1);
    gcb_gc_collect();
    CHECK_EQ_U(live(), 4);
    CHECK_EQ_U(gcb_list_len(y), 2);            /* not cleared */
    CHECK(gcb_list_get(y, 0) == x);
    CHECK(gcb_oracle_check_collected(1, "drc", &o) == 0);
    CHECK_EQ_U(o.reachable, 4);
    gcb_local_set(f, 1, gcb_None);             /* now it is garbage */
    CHECK_EQ_U(live(), 4);                     /* ... freed only at a reconciliation */
    gcb_gc_stats_t s0 = stats();
    gcb_gc_collect();
    CHECK_EQ_U(live(), 1);
    CHECK_EQ_U(stats().freed_by_gc - s0.freed_by_gc, 3); /* x, y and the int, by the cycle pass */

    /* popping the only heap reference into a local keeps the item */
    gcb_object_t *outer = gcb_list_new(0);
    gcb_local_set(f, 2, outer);
    gcb_list_append(outer, gcb_dict_new());
    gcb_local_set(f, 3, gcb_list_pop(outer));  /* heap count 1 -> 0: tabled, held by the frame */
    gcb_gc_collect();
    CHECK_EQ_U(live(), 3);
    CHECK(gcb_oracle_check_collected(1, "drc", &o) == 0);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(live(), 0);
    down();
}

static void test_one_pass(void)
{
    /* A dead chain of 100,000 lists goes in one reconciliation: every
     * free pushes the next list onto the table being walked. */
    const char *big[] = { "threshold0=0", "zct_size=1000000", NULL };
    up(big);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *tail = gcb_local(f, 0);
    for (int i = 0; i < 100000; i++) {
        gcb_object_t *n = gcb_list_new(0);
        gcb_list_append(tail, n);
        tail = n;
    }
    gcb_gc_collect();
    CHECK_EQ_U(live(), 100001);
    gcb_local_set(f, 0, gcb_None);
    gcb_gc_stats_t s0 = stats();
    gcb_gc_collect(); /* reconcile; a cycle pass that finds nothing; no second reconcile */
    gcb_gc_stats_t s1 = stats();
    CHECK_EQ_U(live(), 0);
    CHECK_EQ_U(s1.collections - s0.collections, 2);
    CHECK_EQ_U(s1.freed_by_gc - s0.freed_by_gc, 0);
    CHECK(s1.deferred_bytes_peak >= 100001 * 48);
    gcb_frame_pop(f);
    down();
}

static void test_adaptive_limit(void)
{
    /* 50 locals each holding a zero-count object stay in the table after
     * every reconciliation; the next one waits for zct_size more entries,
     * not for the table to shrink (which it cannot). */
    const char *small[] = { "threshold0=0", "zct_size=10", NULL };
    up(small);
    gcb_frame_t *f = gcb_frame_push(50);
    for (uint32_t i = 0; i < 50; i++)
        gcb_local_set(f, i, gcb_float_new(i));
    gcb_safepoint();
    uint64_t r0 = stats().collections;
    for (int i = 0; i < 100; i++) {
        gcb_release(gcb_float_new(0.5)); /* garbage at once */
        gcb_safepoint();
    }
    uint64_t n = stats().collections - r0;
    CHECK(n >= 9 && n <= 11);
    CHECK_EQ_U(live(), 50 + 100 % 10);
    CHECK(stats().deferred_peak >= 50);
    gcb_frame_pop(f);
    gcb_gc_collect();
    CHECK_EQ_U(live(), 0);
    down();
}

static gcb_run_result_t run(const char *cname, const char *wl, const char *const *params, uint64_t seed)
{
    return cell(alloc_name, cname, wl, params, seed);
}

static void test_workloads(void)
{
    const char *churn[] = { "scale=0.05", NULL };
    gcb_run_result_t rc = run("rc", "intchurn", churn, 7);
    gcb_run_result_t d = run("drc", "intchurn", churn, 7);
    CHECK_EQ_U(d.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(d.wl.ops, rc.wl.ops);
    CHECK_EQ_U(d.leaked_objects, 0);
    CHECK_EQ_U(d.gc.freed_by_gc, 0);
    CHECK(d.gc.deferred_peak >= 10000);
    CHECK(d.gc.collections > 1);

    static const char *const variants[][6] = {
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "zct_size=1", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "zct_size=1000000", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "generations=1", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=0", NULL },
    };
    const char *base[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    rc = run("rc", "cycles", base, 3);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        d = run("drc", "cycles", variants[v], 3);
        CHECK_EQ_U(d.wl.checksum, rc.wl.checksum);
        CHECK_EQ_U(d.leaked_objects, 0);
        CHECK_EQ_U(d.leaked_bytes, 0);
        CHECK_EQ_U(d.gc.freed_by_gc, rc.wl.cyclic_garbage_objects);
        CHECK(d.gc.pauses.count >= 1 && d.gc.pauses.count <= d.gc.collections);
    }
    const char *loc[] = { "scale=0.01", "pool=5000", NULL };
    rc = run("rc", "locals", loc, 2);
    d = run("drc", "locals", loc, 2);
    CHECK_EQ_U(d.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(d.wl.ops, rc.wl.ops);
    CHECK_EQ_U(d.leaked_objects, 0);

    const char *all[] = { "scale=0.05", "cycle_rate=1", NULL };
    rc = run("rc", "cycles", all, 1);
    d = run("drc", "cycles", all, 1);
    CHECK_EQ_U(d.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(d.leaked_objects, 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        alloc_name = argv[1];
    char err[512];
    if (gcb_alloc_parse(alloc_name, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    test_frames_hold();
    test_one_pass();
    test_adaptive_limit();
    test_workloads();
    return gcb_check_exit("test_drc");
}
