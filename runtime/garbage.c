/*
 * runtime/garbage.c - maximum outstanding garbage: the most objects (and
 * their blocks' bytes) alive but no longer reachable from the frames at any
 * sampled point of a run, whatever the collector.  It is the figure
 * nascheme's cyclotron compares CPython versions by (cpython PR 142001:
 * under 100 on 3.13, about 2,000 on 3.14.0, about 10,000 on 3.14.1).
 *
 * How.  -p garbage_every=K arms a sample every K allocations (the
 * runtime's allocation countdown, slot 1); the sample runs at the next
 * safepoint, where every live object is reachable from a frame local or is
 * garbage (no object is held only by a C variable there), and before the
 * policy's safepoint work, so garbage a collection is about to free still
 * counts.  The sample walks the graph from every frame local through each
 * type's traverse with its own pointer set, and
 *     garbage objects = live mortal objects - reachable mortal objects
 *     garbage bytes   = live mortal blocks' bytes - reachable blocks' bytes
 * (a block: GC header + object; out-of-line buffers such as a list's item
 * array are not counted on either side).  Exact at the sampled points; the
 * maximum between samples can only be higher, so K is recorded with it.
 * Immortals are never garbage and are not traversed.
 *
 * This is the measured binary's own reachability pass, independent of
 * every collector; tests/oracle.c is the test suite's, with its own
 * registry, and tests/test_garbage.c checks the two agree.
 *
 * Cost: nothing on the hot path beyond the shared countdown (one decrement
 * and branch per allocation, already there for the timeline) and one
 * predictable branch in the safepoint slow path.  A sample costs a walk of
 * the whole reachable heap: K of a few thousand makes a run several times
 * slower.  Off by default.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"

int gcb__garbage_armed;

static struct {
    gcb_garbage_stats_t st;
    /* the walk's pointer set (open addressing, power-of-two size) and stack */
    const gcb_object_t **set;
    size_t cap, n;
    gcb_object_t **stack;
    size_t scap, sn;
    uint64_t bytes;
} gs;

static void arm(void *arg)
{
    (void)arg;
    gcb__garbage_armed = 1;
    gcb_safepoint_request();
}

void gcb__garbage_init(uint64_t every)
{
    free(gs.set);
    free(gs.stack);
    memset(&gs, 0, sizeof gs);
    gcb__garbage_armed = 0;
    gs.st.every = every;
    gcb_runtime_set_sampler_slot(1, every ? arm : NULL, NULL, every);
}

void gcb_garbage_stop(void)
{
    gcb_runtime_set_sampler_slot(1, NULL, NULL, 0);
    gcb__garbage_armed = 0;
}

void gcb_garbage_get(gcb_garbage_stats_t *out) { *out = gs.st; }

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        gcb__oom(n);
    return q;
}

static inline size_t slot_of(const gcb_object_t *o, size_t mask)
{
    uint64_t h = (uint64_t)(uintptr_t)o * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 17) & mask;
}

static void grow(void)
{
    size_t ncap = gs.cap ? 2 * gs.cap : 4096;
    const gcb_object_t **nset = calloc(ncap, sizeof *nset);
    if (!nset)
        gcb__oom(ncap * sizeof *nset);
    for (size_t i = 0; i < gs.cap; i++)
        if (gs.set[i]) {
            size_t j = slot_of(gs.set[i], ncap - 1);
            while (nset[j])
                j = (j + 1) & (ncap - 1);
            nset[j] = gs.set[i];
        }
    free(gs.set);
    gs.set = nset;
    gs.cap = ncap;
}

/* Insert `o`; 1 if it was not in the set. */
static int set_add(const gcb_object_t *o)
{
    if (2 * (gs.n + 1) > gs.cap)
        grow();
    size_t j = slot_of(o, gs.cap - 1);
    while (gs.set[j]) {
        if (gs.set[j] == o)
            return 0;
        j = (j + 1) & (gs.cap - 1);
    }
    gs.set[j] = o;
    gs.n++;
    return 1;
}

static void reach(gcb_object_t *o, void *arg)
{
    (void)arg;
    if (gcb_is_immortal(o) || !set_add(o))
        return;
    gs.bytes += gcb_object_block_size(o);
    if (!o->type->traverse)
        return;
    if (gs.sn == gs.scap) {
        gs.scap = gs.scap ? 2 * gs.scap : 1024;
        gs.stack = xrealloc(gs.stack, gs.scap * sizeof *gs.stack);
    }
    gs.stack[gs.sn++] = o;
}

void gcb_garbage_measure(uint64_t *objects, uint64_t *bytes)
{
    if (gs.cap)
        memset(gs.set, 0, gs.cap * sizeof *gs.set);
    gs.n = gs.sn = 0;
    gs.bytes = 0;
    gcb_frames_visit(reach, NULL);
    /* Loop invariant: every object on the stack is in the set and not yet
     * traversed; every object in the set and off the stack was traversed. */
    while (gs.sn) {
        gcb_object_t *o = gs.stack[--gs.sn];
        o->type->traverse(o, reach, NULL);
    }
    *objects = gcb_rt.c.live_objects - gs.n;
    *bytes = gcb_rt.object_bytes - gs.bytes;
}

void gcb__garbage_sample(void)
{
    gcb__garbage_armed = 0;
    uint64_t objects, bytes;
    gcb_garbage_measure(&objects, &bytes);
    gs.st.samples++;
    if (objects > gs.st.max_objects)
        gs.st.max_objects = objects;
    if (bytes > gs.st.max_bytes)
        gs.st.max_bytes = bytes;
}
