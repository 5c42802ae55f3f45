/*
 * tests/test_rc.c - pure refcounting is exact: no leak on acyclic
 * workloads, and on `cycles` the leak is exactly the dropped cycles.
 * Usage: test_rc [ALLOCATOR]
 */
#include <string.h>

#include "bench/cell/cell.h"
#include "tests/check.h"
#include "tests/cells.h"

extern const gcb_collector_t gcb_collector_rc;

static gcb_run_result_t run(const char *alloc, const char *wl, const char *const *params, uint64_t seed)
{
    return cell(alloc, "rc", wl, params, seed);
}

int main(int argc, char **argv)
{
    const char *alloc = argc > 1 ? argv[1] : "glibc";
    char err[512];
    gcb_alloc_choice_t choice;
    if (gcb_alloc_parse(alloc, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }

    /* acyclic churn: nothing leaks, and counters balance */
    const char *small[] = { "scale=0.05", NULL };
    gcb_run_result_t r = run(alloc, "intchurn", small, 1);
    CHECK_EQ_U(r.leaked_objects, 0);
    CHECK_EQ_U(r.leaked_bytes, 0);
    CHECK(r.wl.ops > 0);
    CHECK_EQ_U(r.gc.freed_by_rc, r.counters.objects_freed);
    gcb_run_result_t r2 = run(alloc, "intchurn", small, 1);
    CHECK_EQ_U(r2.wl.checksum, r.wl.checksum);          /* deterministic */
    CHECK_EQ_U(r2.wl.ops, r.wl.ops);
    gcb_run_result_t r3 = run(alloc, "intchurn", small, 2);
    CHECK(r3.wl.checksum != r.wl.checksum);             /* the seed matters */

    /* every pair cyclic, default layout (3.13): 2,000 pairs x 3 objects
     * (two instances with inline values, the payload int); bytes from an
     * independent model of CPython's right-sizing (instance.c): class A's
     * instances set 2 names, B's 1, a new class has room for 30 */
    const char *all[] = { "scale=0.01", "cycle_rate=1", NULL };
    r = run(alloc, "cycles", all, 1);
    CHECK_EQ_U(r.wl.cyclic_garbage_objects, 2000 * 3);
    CHECK_EQ_U(r.leaked_objects, 2000 * 3);
    uint64_t bytes = 0;
    int room_a = 30, room_b = 30;
    for (int m = 0; m < 2000; m++) {
        room_a -= room_a > 1;
        room_b -= room_b > 1;
        uint64_t cap_a = (m ? 2 : 0) + (uint64_t)room_a, cap_b = (m ? 1 : 0) + (uint64_t)room_b;
        bytes += 48 + ((cap_a + 7) & ~7ull) + 8 * (cap_a + 1) + 48 + ((cap_b + 7) & ~7ull) + 8 * (cap_b + 1) + 32;
        if (m == 0) {
            room_a -= 2;
            room_b -= 1;
        }
    }
    CHECK_EQ_U(r.leaked_bytes, bytes);
    CHECK_EQ_U(bytes, 406456);
    /* the combined layout: 5 objects (and 576 bytes) a pair */
    const char *all_combined[] = { "scale=0.01", "cycle_rate=1", "instance_layout=combined", NULL };
    r = run(alloc, "cycles", all_combined, 1);
    CHECK_EQ_U(r.wl.cyclic_garbage_objects, 2000 * 5);
    CHECK_EQ_U(r.leaked_objects, 2000 * 5);
    CHECK_EQ_U(r.leaked_bytes, 2000 * 576);

    /* no pair cyclic: no leak */
    const char *none[] = { "scale=0.01", "cycle_rate=0", NULL };
    r = run(alloc, "cycles", none, 1);
    CHECK_EQ_U(r.leaked_objects, 0);

    /* a mix: the leak is exactly the cyclic pairs the workload dropped */
    const char *half[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", "instance_layout=combined", NULL };
    r = run(alloc, "cycles", half, 3);
    CHECK(r.wl.cyclic_garbage_objects > 4000 * 5 / 3 && r.wl.cyclic_garbage_objects < 4000 * 5 * 2 / 3);
    CHECK_EQ_U(r.leaked_objects, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.leaked_bytes, r.wl.cyclic_garbage_objects / 5 * 576);
    const char *half3[] = { "scale=0.02", "cycle_rate=0.5", "keep_every=7", NULL };
    r = run(alloc, "cycles", half3, 3);
    CHECK_EQ_U(r.leaked_objects, r.wl.cyclic_garbage_objects);
    CHECK_EQ_U(r.wl.cyclic_garbage_objects % 3, 0);
    return gcb_check_exit("test_rc");
}
