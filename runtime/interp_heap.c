/*
 * runtime/interp_heap.c - the interpreter's own heap, as a stand-in (-p
 * interp_heap=N).
 *
 * Why: CPython's collector traverses every tracked object, not only the
 * program's.  CPython 3.11.7 holds 11,416 tracked objects after start-up
 * and the twin harness's imports (gc.collect(), then
 * len(gc.get_objects()): functions 2,440, tuples 1,169, slot wrappers
 * 1,143, dicts 1,078, ...; 4.35 referents each on average), and an empty
 * gc.collect() costs it about 1.2 ms here.  A workload that collects
 * often (cycles calls gc.collect() after every round: 84 collections at
 * scale 0.3, 56% of the interpreter's time) pays that for each full
 * collection, while the model's heap holds the workload's objects only
 * (2,100 per collection on that cell).  docs/validate.md measures it.
 *
 * What it builds: N lists of 4 items, each holding the previous one (a
 * tracked referent, as most of CPython's start-up objects hold other
 * tracked objects), a small int and two Nones, all reachable from one
 * root list the caller keeps in a frame.  Lists are never untracked, so
 * every collection that reaches their generation traverses all N, the
 * way gen2 collections traverse the start-up heap.  They are built before
 * the timing and freed by reference counting when the caller's frame is
 * popped, so leak counts stay exact.  0 (the default) builds nothing: the
 * model's own figures are memory management alone.
 */
#include "runtime/runtime.h"

void gcb_interp_heap_fill(gcb_object_t *root, uint64_t n)
{
    gcb_object_t *prev = NULL;       /* borrowed: root holds it */
    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *o = gcb_list_new(4);
        if (prev)
            gcb_list_set(o, 0, gcb_newref(prev));
        gcb_list_set(o, 1, gcb_int_new((int64_t)(i & 255)));
        gcb_list_append(root, o);
        prev = o;
    }
}
