/*
 * tests/test_lazy.c - late reclamation frees exactly what rc frees, later,
 * and says how much it held.
 *   - `cycles` leaks exactly the cyclic garbage (as rc), `intchurn`
 *     nothing; checksums equal rc's;
 *   - a batch is asked for exactly when the buffer reaches `batch` objects;
 *   - the objects held are reported and bounded by the batch (plus what one
 *     workload step frees between two safepoints), the bytes by the objects;
 *   - an interned string revived through the intern table while buffered
 *     is neither freed while referenced nor buffered twice.
 * Usage: test_lazy [ALLOCATOR]
 */
#include "tests/check.h"
#include "tests/cells.h"

static const char *alloc;

static void test_exact(void)
{
    const char *small[] = { "scale=0.05", NULL };
    gcb_run_result_t rc = cell(alloc, "rc", "intchurn", small, 1);
    gcb_run_result_t r = cell(alloc, "lazy", "intchurn", small, 1);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
    CHECK_EQ_U(r.counters.objects_freed, rc.counters.objects_freed);
    CHECK_EQ_U(r.gc.freed_by_gc, 0);
    CHECK(r.gc.collections > 10);

    const char *all[] = { "scale=0.01", "cycle_rate=1", NULL };
    rc = cell(alloc, "rc", "cycles", all, 1);
    r = cell(alloc, "lazy", "cycles", all, 1);
    CHECK_EQ_U(r.leaked_objects, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.leaked_objects, rc.leaked_objects);
    CHECK_EQ_U(r.leaked_bytes, rc.leaked_bytes);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);

    const char *half[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    rc = cell(alloc, "rc", "cycles", half, 3);
    r = cell(alloc, "lazy", "cycles", half, 3);
    CHECK_EQ_U(r.leaked_objects, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.leaked_bytes, rc.leaked_bytes);
    CHECK_EQ_U(r.wl.checksum, rc.wl.checksum);
}

static void test_held(void)
{
    /* intchurn frees at most ~12 objects per step (3 ints, a float, a list
     * of 8) and reaches a safepoint every step */
    uint64_t peak[2], bytes[2];
    const char *batches[] = { "batch=100", "batch=1000" };
    const uint64_t n[] = { 100, 1000 };
    for (int i = 0; i < 2; i++) {
        const char *p[] = { "scale=0.05", batches[i], NULL };
        gcb_run_result_t r = cell(alloc, "lazy", "intchurn", p, 1);
        peak[i] = r.gc.deferred_peak;
        CHECK(r.gc.deferred_peak >= n[i]);
        CHECK(r.gc.deferred_peak <= n[i] + 16);
        /* a batch releases at least its own objects (none under 24 bytes)
         * and at most what they hold: a dead list of 8 is 56 + 64 + 8 x 32 */
        CHECK(r.gc.deferred_bytes_peak >= n[i] * 24);
        CHECK(r.gc.deferred_bytes_peak <= r.gc.deferred_peak * (56 + 64 + 8 * 32));
        bytes[i] = r.gc.deferred_bytes_peak;
        CHECK(r.gc.collections > 0);
        CHECK(r.gc.collections <= r.counters.objects_freed / n[i] + 1); /* a batch frees >= n */
        CHECK_EQ_U(r.leaked_objects, 0);
    }
    CHECK(peak[1] > 5 * peak[0]);
    CHECK(bytes[1] > 5 * bytes[0]);
}

static void test_batch_trigger(void)
{
    manual_t m;
    const char *p[] = { "batch=5", NULL };
    manual_start(&m, alloc, "lazy", p);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    gcb_frame_t *f = gcb_frame_push(1);
    for (int i = 0; i < 4; i++)
        gcb_release(gcb_int_new(1000 + i));
    CHECK_EQ_I(gcb_hot.pending, 0);
    CHECK_EQ_U(c->live_objects, 4);             /* dead, held */
    gcb_release(gcb_int_new(2000));
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    CHECK_EQ_U(c->live_objects, 0);
    gcb_gc_stats_t s = manual_stats(&m);
    CHECK_EQ_U(s.collections, 1);
    CHECK_EQ_U(s.deferred_peak, 5);
    CHECK_EQ_U(s.deferred_bytes_peak, 5 * 32);
    /* a container's dead children are freed in the same batch, and what
     * the batch released counts them */
    gcb_object_t *l = gcb_list_new(0);
    for (int i = 0; i < 100; i++)
        gcb_list_append(l, gcb_int_new(5000 + i));
    uint64_t list_bytes = c->live_bytes;
    gcb_release(l);
    CHECK_EQ_U(c->live_objects, 101);
    for (int i = 0; i < 4; i++)
        gcb_release(gcb_int_new(1000 + i));
    CHECK_EQ_I(gcb_hot.pending, 1);
    gcb_safepoint();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(manual_stats(&m).deferred_bytes_peak, list_bytes + 4 * 32);
    /* an explicit drain is not counted as held memory */
    gcb_release(gcb_list_new(1000));
    gcb_gc_collect();
    CHECK_EQ_U(manual_stats(&m).deferred_bytes_peak, list_bytes + 4 * 32);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

static void test_resurrection(void)
{
    manual_t m;
    const char *p[] = { "batch=1000000", NULL };
    manual_start(&m, alloc, "lazy", p);
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    gcb_frame_t *f = gcb_frame_push(1);
    size_t interned = gcb_interned_count();
    gcb_object_t *s = gcb_str_intern(gcb_str_new("lazarus", 7));
    gcb_release(s);                             /* count 0: buffered, still interned */
    CHECK_EQ_U(gcb_interned_count(), interned + 1);
    CHECK_EQ_U(manual_stats(&m).deferred_peak, 1);
    gcb_object_t *t = gcb_str_intern(gcb_str_new("lazarus", 7));
    CHECK(t == s);                              /* revived through the table */
    gcb_release(t);                             /* back to zero: must not be buffered twice */
    t = gcb_str_intern(gcb_str_new("lazarus", 7));
    CHECK(t == s);
    gcb_local_set(f, 0, t);
    /* buffered: s (once) and the two plain duplicates intern dropped */
    CHECK_EQ_U(manual_stats(&m).deferred_peak, 3);
    gcb_gc_collect();                     /* s is referenced: it stays */
    CHECK_EQ_U(c->live_objects, 1);
    CHECK_EQ_I(s->refcnt, 1);
    CHECK(gcb_str_is_interned(s) && gcb_str_len(s) == 7);
    gcb_local_set(f, 0, gcb_None);
    gcb_gc_collect();
    CHECK_EQ_U(c->live_objects, 0);
    CHECK_EQ_U(gcb_interned_count(), interned);
    gcb_frame_pop(f);
    CHECK_EQ_U(manual_stop(&m), 0);
}

int main(int argc, char **argv)
{
    alloc = argc > 1 ? argv[1] : "glibc";
    cells_alloc_ready(alloc, argv);
    test_exact();
    test_held();
    test_batch_trigger();
    test_resurrection();
    return gcb_check_exit("test_lazy");
}
