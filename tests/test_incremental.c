/*
 * tests/test_incremental.c - `incremental` behaves as CPython 3.14.0's
 * incremental collector (collectors/incremental.c).
 * Usage: test_incremental [ALLOCATOR]
 *
 *   - the work rule, step by step on a heap whose every object is kept: a
 *     round's first increment only marks (charged twice), the next ones
 *     mark from the frames, take the young generation and pending objects
 *     while under budget, and emptying the pending space swaps the spaces;
 *   - increments are bounded: under churn over a large live heap each takes
 *     from the pending space at most its budget (minus the young
 *     generation) plus the closure of the last object it took, never a
 *     sizeable part of the heap; the mark steps do traverse the whole live
 *     heap; without marking (mark_phase=0) the closure of an old live
 *     structure can make one increment take all of it;
 *   - old cyclic garbage (rings that aged into the old spaces, then were
 *     dropped) is all freed by increments alone, with and without marking;
 *   - presets: each one's schedule (marks, increments, skipped steps,
 *     rounds, the final work_to_do, what the increments freed) equals an
 *     independent model of that version's work rule, over old garbage and
 *     a growing live heap; what counts (3.14.0: every container, tuples
 *     tracked at creation; 3.14.1: tracked objects only, a tuple tracked
 *     at its first item that may be tracked);
 *   - gc.collect(0/1/2) of 3.14: young only, one increment, everything;
 *   - workloads: ops and checksums equal rc's on intchurn, cycles, locals
 *     and trees; nothing leaks; collections free exactly the cyclic
 *     garbage; increments happen; one pause per collection.
 */
#include <string.h>

#include "bench/cell/cell.h"
#include "collectors/cycle.h"
#include "collectors/incremental.h"
#include "runtime/debug.h"
#include "tests/check.h"
#include "tests/cells.h"
#include "tests/oracle.h"

static const char *alloc_name = "glibc";

static gcb_incremental_info_t info(void)
{
    gcb_incremental_info_t i;
    gcb_incremental_get_info(&i);
    return i;
}

/* A ring of n lists, each holding the next; returns a stack reference to
 * its first list. */
static gcb_object_t *ring(int n)
{
    gcb_object_t *first = gcb_list_new(0), *cur = first;
    for (int i = 1; i < n; i++) {
        gcb_object_t *next = gcb_list_new(0);
        gcb_list_append(cur, gcb_newref(next));
        cur = next;
        if (i < n - 1)
            gcb_release(next);
    }
    if (n > 1) {
        gcb_list_append(cur, gcb_newref(first));
        gcb_release(cur);
    } else {
        gcb_list_append(first, gcb_newref(first));
    }
    return first;
}

static void test_work_rule(void)
{
    manual_t m;
    const char *p[] = { "threshold0=100", NULL };
    manual_start(&m, alloc_name, "incremental", p);
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0);
    CHECK(info().next_is_mark);

    /* keep + 100 lists: count 101 > 100, one increment at the safepoint */
    for (int i = 0; i < 100; i++) {
        gcb_list_append(keep, gcb_list_new(0));
        gcb_safepoint();
    }
    gcb_incremental_info_t i = info();
    /* work = 101 new + min(101 / 10 / 10, 2 x 101) = 102; the mark step
     * marks all 101 (reachable from the frame), charged twice */
    CHECK_EQ_U(i.marks, 1);
    CHECK_EQ_U(i.increments, 0);
    CHECK_EQ_U(i.last_marked, 101);
    CHECK_EQ_I(i.work_to_do, 102 - 2 * 101);
    CHECK_EQ_U(i.visited, 101);
    CHECK_EQ_U(i.young, 0);
    CHECK_EQ_U(i.pending, 0);
    CHECK(!i.next_is_mark);

    /* 101 more: work = -100 + 101 + 202 / 100 = 3 >= 0, an increment.  Its
     * frame marks find nothing new (the frame holds `keep`, visited, and
     * marking traverses only what it moves), so it collects the 101 young
     * lists (all survive) and takes nothing from pending, which is empty:
     * the round ends, the spaces swap, work is 0, the next increment marks */
    for (int j = 0; j < 101; j++) {
        gcb_list_append(keep, gcb_list_new(0));
        gcb_safepoint();
    }
    i = info();
    CHECK_EQ_U(i.increments, 1);
    CHECK_EQ_U(i.last_young, 101);
    CHECK_EQ_U(i.last_old, 0);
    CHECK_EQ_I(i.last_budget, 3);
    CHECK_EQ_U(i.rounds, 1);
    CHECK_EQ_I(i.work_to_do, 0);
    CHECK(i.next_is_mark);
    CHECK_EQ_U(i.pending, 202);
    CHECK_EQ_U(i.visited, 0);

    /* a garbage ring of 5 young lists: the next mark step leaves it in
     * young (unreachable), and once the work charged for that mark is paid
     * back, an increment collects it */
    gcb_release(ring(5));
    uint64_t freed0 = manual_stats(&m).freed_by_gc;
    for (int round = 0; round < 10; round++) {
        for (int j = 0; j < 101; j++) {
            gcb_list_append(keep, gcb_list_new(0));
            gcb_safepoint();
        }
    }
    CHECK_EQ_U(manual_stats(&m).freed_by_gc - freed0, 5);

    /* threshold0=0: no automatic step at all */
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);

    const char *off[] = { "threshold0=0", NULL };
    manual_start(&m, alloc_name, "incremental", off);
    f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    for (int j = 0; j < 5000; j++) {
        gcb_list_append(gcb_local(f, 0), gcb_list_new(0));
        gcb_safepoint();
    }
    CHECK_EQ_U(manual_stats(&m).collections, 0);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

enum { LIVE = 30000, RING = 12, RECENT = 64 };

/* Churn over a large live heap: rings kept a while in a window of RECENT
 * slots (so they age into the old spaces before they die), short-lived
 * lists.  Checks every increment against its budget. */
static void churn_bounded(const char *const *params, int mark_phase)
{
    manual_t m;
    manual_start(&m, alloc_name, "incremental", params);
    gcb_frame_t *f = gcb_frame_push(3);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_local_set(f, 1, gcb_list_new(RECENT));
    gcb_object_t *big = gcb_local(f, 0), *recent = gcb_local(f, 1);
    for (int i = 0; i < LIVE; i++) {
        gcb_object_t *l = gcb_list_new(0);
        gcb_list_append(l, gcb_int_new(100000 + i));
        gcb_list_append(big, l);
        gcb_safepoint();
    }
    uint64_t checked = 0, worst = 0, seen = info().increments;
    for (int i = 0; i < 150000; i++) {
        if (i % 4 == 0)
            gcb_list_set(recent, (size_t)(i / 4) % RECENT, ring(RING));
        gcb_local_set(f, 2, gcb_list_new(0));
        gcb_safepoint();
        gcb_incremental_info_t in = info();
        if (in.increments != seen) {
            seen = in.increments;
            /* what it may take from pending: its budget beyond the young
             * generation, plus the closure of the last object taken */
            int64_t room = in.last_budget - (int64_t)in.last_young;
            uint64_t bound = (room > 0 ? (uint64_t)room : 0) + (mark_phase ? RING : LIVE + 1);
            CHECK(in.last_old <= bound);
            if (in.last_old > bound)
                fprintf(stderr, "increment %llu took %llu from pending, budget %lld, young %llu\n",
                        (unsigned long long)in.increments, (unsigned long long)in.last_old,
                        (long long)in.last_budget, (unsigned long long)in.last_young);
            if (in.last_old > worst)
                worst = in.last_old;
            checked++;
        }
    }
    gcb_incremental_info_t in = info();
    gcb_gc_stats_t s = manual_stats(&m);
    fprintf(stderr, "incremental bounded (mark_phase=%d): %llu increments, %llu marks, %llu skipped, %llu rounds; "
            "largest slice %llu, largest mark %llu, heap %d+\n",
            mark_phase, (unsigned long long)in.increments, (unsigned long long)in.marks,
            (unsigned long long)in.skipped, (unsigned long long)in.rounds, (unsigned long long)in.max_old,
            (unsigned long long)in.max_marked, LIVE);
    CHECK(checked > 50);
    CHECK(in.rounds >= 2);
    CHECK_EQ_U(s.collections_per_gen[2], 0);
    CHECK(s.freed_by_gc > 0);
    CHECK_EQ_U(s.pauses.count, s.collections);
    if (mark_phase) {
        CHECK(in.marks >= 2);
        CHECK(worst < LIVE / 10);         /* slices, never the heap */
        CHECK(in.max_marked >= LIVE);     /* the mark step walks the live heap */
        CHECK(s.deferred_peak > 0);       /* garbage left pending by a mark */
    } else {
        CHECK_EQ_U(in.marks, 0);
        CHECK(in.max_old >= LIVE);        /* one closure took the whole live list */
    }
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_bounded(void)
{
    const char *marking[] = { "threshold0=500", NULL };
    churn_bounded(marking, 1);
    const char *nomark[] = { "threshold0=500", "mark_phase=0", NULL };
    churn_bounded(nomark, 0);
}

/* Rings that aged into the old spaces, then dropped, are all freed by
 * increments alone. */
static void eventually(const char *const *params)
{
    manual_t m;
    manual_start(&m, alloc_name, "incremental", params);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *hold = gcb_local(f, 0);
    for (int i = 0; i < 300; i++) {
        gcb_list_append(hold, ring(RING));
        gcb_safepoint();
    }
    /* age them: net allocations make increments run */
    for (int i = 0; i < 20000; i++) {
        if (i % 1000 == 0)
            gcb_local_set(f, 1, gcb_list_new(0));
        gcb_list_append(gcb_local(f, 1), gcb_list_new(0));
        gcb_safepoint();
    }
    gcb_incremental_info_t before = info();
    CHECK(before.increments > 0);
    CHECK(before.visited + before.pending >= 300 * RING); /* the rings are old */
    gcb_local_set(f, 0, gcb_None);                      /* 3600 lists of cyclic garbage */
    gcb_oracle_t o;
    CHECK(gcb_oracle_scan(&o) == 0);
    CHECK_EQ_U(o.cyclic_garbage, 300 * RING);

    uint64_t steps = 0;
    for (int i = 0; i < 400000 && o.cyclic_garbage > 0; i++) {
        if (i % 1000 == 0)
            gcb_local_set(f, 1, gcb_list_new(0));
        gcb_list_append(gcb_local(f, 1), gcb_list_new(0));
        gcb_safepoint();
        if (i % 2000 == 1999) {
            CHECK(gcb_oracle_scan(&o) == 0);
            steps = info().increments - before.increments;
        }
    }
    CHECK_EQ_U(o.cyclic_garbage, 0);
    CHECK_EQ_U(manual_stats(&m).collections_per_gen[2], 0); /* no full collection */
    fprintf(stderr, "incremental eventually (%s): old garbage gone after %llu increments, %llu rounds\n",
            params[1] ? params[1] : "marking", (unsigned long long)steps,
            (unsigned long long)(info().rounds - before.rounds));
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_eventually(void)
{
    const char *marking[] = { "threshold0=300", NULL };
    eventually(marking);
    const char *nomark[] = { "threshold0=300", "mark_phase=0", NULL };
    eventually(nomark);
    const char *fixed[] = { "threshold0=300", "mark_charge=1", NULL };
    eventually(fixed);
}

static void test_collect_generations(void)
{
    manual_t m;
    const char *off[] = { "threshold0=0", NULL };
    manual_start(&m, alloc_name, "incremental", off);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_release(ring(4));             /* young garbage */
    gcb_local_set(f, 1, ring(6));     /* young, alive for now */
    gcb_incremental_collect(0);       /* young only */
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.freed_by_gc, 4);
    CHECK_EQ_U(s.collections_per_gen[0], 1);
    gcb_incremental_info_t i = info();
    CHECK_EQ_U(i.young, 0);
    CHECK_EQ_U(i.visited, 7);         /* the kept list and the ring */
    gcb_local_set(f, 1, gcb_None);    /* old garbage now */
    gcb_incremental_collect(0);
    CHECK_EQ_U(manual_stats(&m).freed_by_gc, 4); /* young collections leave the old alone */
    /* gc.collect(1) is one increment: with nothing allocated there is no
     * work, and the first increment of a round only marks */
    gcb_incremental_collect(1);
    i = info();
    CHECK_EQ_U(i.marks, 1);
    CHECK_EQ_U(manual_stats(&m).freed_by_gc, 4);
    gcb_incremental_collect(2);       /* everything */
    s = manual_stats(&m);
    CHECK_EQ_U(s.freed_by_gc, 10);
    CHECK_EQ_U(s.collections_per_gen[2], 1);
    i = info();
    CHECK_EQ_U(i.pending, 1);         /* survivors are pending after a full collection */
    CHECK(i.next_is_mark);
    CHECK_EQ_U(s.pauses.count, s.collections);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

/* An independent model of one preset's schedule (CPython's
 * gc_collect_increment and assess_work_to_do of that version) for a run
 * whose heap is `keep` (a frame local) holding every list allocated, plus
 * G self-referencing lists that were old and became garbage just before:
 * every mark step then marks everything alive, and the first round's
 * increments take the garbage from the pending space one list at a time. */
typedef struct imodel {
    int64_t t0, scale, cap_x2, charge;
    int heap_after;
    int64_t count, work, heap, young, visited, pending_live, pending_garbage;
    int mark;
    uint64_t marks, increments, skipped, rounds, freed;
} imodel_t;

static void imodel_step(imodel_t *m)
{
    int64_t from_heap = m->heap / 10 / m->scale;
    if (from_heap > m->count * m->cap_x2 / 2)
        from_heap = m->count * m->cap_x2 / 2;
    m->work += m->count + from_heap;
    m->count = 0;
    if (m->work < 0) {
        m->skipped++;
        return;
    }
    if (m->mark) { /* everything alive is reachable from the frame */
        int64_t marked = m->young + m->pending_live;
        m->visited += marked;
        m->young = m->pending_live = 0;
        m->work -= m->charge * marked;
        m->mark = 0;
        m->marks++;
        return;
    }
    int64_t size = m->young, taken = 0; /* the frame marks find nothing: keep is visited */
    while (size < m->work && m->pending_garbage > 0) {
        size++;
        taken++;
        m->pending_garbage--;
    }
    m->visited += m->young;
    m->young = 0;
    m->heap -= taken;
    m->freed += (uint64_t)taken;
    m->work -= size;
    if (m->heap_after)
        m->work += m->heap / 10 / m->scale;
    m->increments++;
    if (m->pending_garbage == 0) { /* pending empty: swap */
        m->pending_live = m->visited;
        m->visited = 0;
        m->work = 0;
        m->mark = 1;
        m->rounds++;
    }
}

/* Runs the preset `params` against the model with its rules; returns the
 * final work_to_do (so two presets can be told apart). */
static int64_t preset_schedule(const char *const *params, int64_t cap_x2, int heap_after, int64_t garbage,
                               int64_t n)
{
    manual_t m;
    manual_start(&m, alloc_name, "incremental", params);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_local_set(f, 1, gcb_list_new(0));
    gcb_object_t *keep = gcb_local(f, 0), *hold = gcb_local(f, 1);
    for (int64_t i = 0; i < garbage; i++) {
        gcb_object_t *l = gcb_list_new(0);
        gcb_list_append(l, gcb_newref(l));
        gcb_list_append(hold, l);
    }
    gcb_gc_collect(); /* everything pending, count 0, work 0, next is a mark */
    gcb_local_set(f, 1, gcb_None); /* the self-cycles are old garbage now */
    gcb_incremental_info_t i0 = info();
    uint64_t freed0 = manual_stats(&m).freed_by_gc;
    imodel_t mo = { .t0 = 2000, .scale = 10, .cap_x2 = cap_x2, .charge = 2, .heap_after = heap_after,
                    .heap = 1 + garbage, .pending_live = 1, .pending_garbage = garbage, .mark = 1 };
    for (int64_t k = 0; k < n; k++) {
        gcb_list_append(keep, gcb_list_new(0));
        mo.heap++;
        mo.young++;
        if (++mo.count > mo.t0)
            imodel_step(&mo);
        gcb_safepoint();
    }
    gcb_incremental_info_t i1 = info();
    CHECK_EQ_U(i1.marks - i0.marks, mo.marks);
    CHECK_EQ_U(i1.increments - i0.increments, mo.increments);
    CHECK_EQ_U(i1.skipped - i0.skipped, mo.skipped);
    CHECK_EQ_U(i1.rounds - i0.rounds, mo.rounds);
    CHECK_EQ_I(i1.work_to_do, mo.work);
    CHECK_EQ_U(manual_stats(&m).freed_by_gc - freed0, mo.freed);
    CHECK(mo.freed == (uint64_t)garbage); /* the run is long enough to reach all of it */
    CHECK(mo.rounds >= 2 && mo.skipped > 0);
    fprintf(stderr, "incremental schedule %s: %llu marks, %llu increments, %llu skipped, %llu rounds, work %lld\n",
            params && params[0] ? params[0] : "(default)", (unsigned long long)mo.marks,
            (unsigned long long)mo.increments, (unsigned long long)mo.skipped, (unsigned long long)mo.rounds,
            (long long)mo.work);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
    return mo.work;
}

static void test_preset_schedules(void)
{
    /* 3.14.0 (the default): cap 1.5 x new, the heap's share again after
     * each increment; 3.14.1: cap 2 x new, not again */
    int64_t w0 = preset_schedule(NULL, 3, 1, 50000, 400000);
    const char *p0[] = { "cpython=3.14.0", NULL }, *p1[] = { "cpython=3.14.1", NULL };
    CHECK_EQ_I(preset_schedule(p0, 3, 1, 50000, 400000), w0);
    int64_t w1 = preset_schedule(p1, 4, 0, 50000, 400000);
    CHECK(w1 != w0); /* the two rules are told apart */
    /* a rule given wins over the preset */
    const char *mixed[] = { "cpython=3.14.1", "heap_work_after=1", NULL };
    preset_schedule(mixed, 4, 1, 50000, 400000);
}

/* What counts: 3.14.0 counts every container allocation, tuples included
 * and tracked at creation; 3.14.1 counts tracked objects, and a tuple is
 * tracked once an item that may be tracked is stored into it. */
static void test_preset_counting(void)
{
    for (int v = 0; v < 2; v++) {
        const char *p[] = { v ? "cpython=3.14.1" : "cpython=3.14.0", NULL };
        manual_t m;
        manual_start(&m, alloc_name, "incremental", p);
        gcb_frame_t *f = gcb_frame_push(1);
        gcb_local_set(f, 0, gcb_list_new(0));
        gcb_object_t *keep = gcb_local(f, 0);
        gcb_gc_collect();
        gcb_incremental_info_t i0 = info();
        for (int k = 0; k < 2001; k++) { /* tuples of ints: past threshold0 in 3.14.0 only */
            gcb_object_t *t = gcb_tuple_new(2);
            gcb_tuple_init(t, 0, gcb_int_new(k));
            gcb_tuple_init(t, 1, gcb_int_new(100000 + k));
            CHECK(gcb_cycle_is_tracked(t) == !v);
            gcb_list_append(keep, t);
            gcb_safepoint();
        }
        gcb_incremental_info_t i1 = info();
        CHECK_EQ_U(i1.marks + i1.skipped - i0.marks - i0.skipped, v ? 0 : 1);
        gcb_object_t *t = gcb_tuple_new(1);
        CHECK(gcb_cycle_is_tracked(t) == !v);
        gcb_tuple_init(t, 0, gcb_list_new(0)); /* a list may be tracked: the tuple is now */
        CHECK(gcb_cycle_is_tracked(t));
        gcb_list_append(keep, t);
        gcb_frame_pop(f);
        CHECK_EQ_U(manual_stop(&m), 0);
    }
}

static void test_workloads(void)
{
    const char *churn[] = { "scale=0.05", NULL };
    gcb_run_result_t rc = cell(alloc_name, "rc", "intchurn", churn, 7);
    gcb_run_result_t g = cell(alloc_name, "incremental", "intchurn", churn, 7);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.wl.ops, rc.wl.ops);
    CHECK_EQ_U(g.leaked_objects, 0);
    CHECK_EQ_U(g.gc.freed_by_gc, 0);

    static const char *const variants[][6] = {
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=50", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=50", "mark_phase=0", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=50", "mark_charge=1", NULL },
        { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "threshold0=50", "threshold1=1", NULL },
    };
    const char *base[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    rc = cell(alloc_name, "rc", "cycles", base, 3);
    CHECK(rc.leaked_objects > 0);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        g = cell(alloc_name, "incremental", "cycles", variants[v], 3);
        CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
        CHECK_EQ_U(g.leaked_objects, 0);
        CHECK_EQ_U(g.leaked_bytes, 0);
        CHECK_EQ_U(g.gc.freed_by_gc, rc.wl.cyclic_garbage_objects);
        CHECK(g.gc.collections_per_gen[1] > 1); /* increments happen */
        CHECK_EQ_U(g.gc.collections_per_gen[2], 1);  /* the runner's final collection */
        CHECK_EQ_U(g.gc.pauses.count, g.gc.collections);
        CHECK(g.gc.gc_time_s > 0);
        CHECK(g.gc.objects_traversed > 0);
    }
    const char *all[] = { "scale=0.05", "cycle_rate=1", NULL };
    rc = cell(alloc_name, "rc", "cycles", all, 1);
    g = cell(alloc_name, "incremental", "cycles", all, 1);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.leaked_objects, 0);
    CHECK(g.gc.freed_by_gc > 0);

    const char *loc[] = { "scale=0.01", "pool=5000", NULL };
    rc = cell(alloc_name, "rc", "locals", loc, 2);
    g = cell(alloc_name, "incremental", "locals", loc, 2);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.wl.ops, rc.wl.ops);
    CHECK_EQ_U(g.leaked_objects, 0);

    /* scale=1: trees now scales every phase (small scales are short), and
     * a node is one container under the 3.13 instance layout */
    const char *trees[] = { "depth=8", "scale=1", NULL };
    rc = cell(alloc_name, "rc", "trees", trees, 5);
    g = cell(alloc_name, "incremental", "trees", trees, 5);
    CHECK_EQ_U(g.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(g.wl.ops, rc.wl.ops);
    CHECK_EQ_U(g.leaked_objects, 0);
    CHECK(g.gc.collections_per_gen[1] > 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        alloc_name = argv[1];
    cells_alloc_ready(alloc_name, argv);
    test_work_rule();
    test_preset_schedules();
    test_preset_counting();
    test_collect_generations();
    test_bounded();
    test_eventually();
    test_workloads();
    return gcb_check_exit("test_incremental");
}
