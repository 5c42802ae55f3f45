/*
 * runtime/debug.c - the registry of live objects of the check build (see
 * runtime/debug.h).
 *
 * Two pointer sets, open addressing with linear probing and backward-shift
 * deletion (no tombstones, so a long test that allocates and frees
 * millions of objects keeps short probe sequences).  Load factor <= 1/2.
 * Interpreter memory from the C library: not counted as object memory.
 */
#include "runtime/debug.h"

#include <stdio.h>
#include <stdlib.h>

#include "runtime/internal.h"

typedef struct ptrset {
    uintptr_t *slots; /* 0 = empty */
    size_t mask, used;
} ptrset_t;

static ptrset_t live, immortal;

static inline size_t slot_of(uintptr_t p, size_t mask)
{
    return (size_t)(((p >> 4) * 0x9e3779b97f4a7c15ull) >> 20) & mask;
}

static void set_free(ptrset_t *s)
{
    free(s->slots);
    s->slots = NULL;
    s->mask = s->used = 0;
}

static void set_insert(ptrset_t *s, uintptr_t p);

static void set_grow(ptrset_t *s)
{
    ptrset_t old = *s;
    size_t cap = old.slots ? 2 * (old.mask + 1) : 1024;
    s->slots = calloc(cap, sizeof *s->slots);
    if (!s->slots)
        gcb__oom(cap * sizeof *s->slots);
    s->mask = cap - 1;
    s->used = 0;
    for (size_t i = 0; old.slots && i <= old.mask; i++)
        if (old.slots[i])
            set_insert(s, old.slots[i]);
    free(old.slots);
}

static void set_insert(ptrset_t *s, uintptr_t p)
{
    if (2 * (s->used + 1) > s->mask + 1)
        set_grow(s);
    size_t i = slot_of(p, s->mask);
    while (s->slots[i]) {
        if (s->slots[i] == p) {
            fprintf(stderr, "gcbench: check build: object %p registered twice (allocator handed out live memory?)\n",
                    (void *)p);
            abort();
        }
        i = (i + 1) & s->mask;
    }
    s->slots[i] = p;
    s->used++;
}

static int set_contains(const ptrset_t *s, uintptr_t p)
{
    if (!s->slots)
        return 0;
    for (size_t i = slot_of(p, s->mask); s->slots[i]; i = (i + 1) & s->mask)
        if (s->slots[i] == p)
            return 1;
    return 0;
}

static int set_remove(ptrset_t *s, uintptr_t p)
{
    if (!s->slots)
        return 0;
    size_t i = slot_of(p, s->mask);
    while (s->slots[i] != p) {
        if (!s->slots[i])
            return 0;
        i = (i + 1) & s->mask;
    }
    /* backward shift: move later members of the probe run into the hole */
    size_t hole = i;
    for (size_t j = (hole + 1) & s->mask; s->slots[j]; j = (j + 1) & s->mask) {
        size_t home = slot_of(s->slots[j], s->mask);
        /* j's entry may fill the hole if its home is not in (hole, j] */
        if (((j - home) & s->mask) >= ((j - hole) & s->mask)) {
            s->slots[hole] = s->slots[j];
            hole = j;
        }
    }
    s->slots[hole] = 0;
    s->used--;
    return 1;
}

/* --- runtime hooks (internal.h) ----------------------------------------- */

void gcb__debug_born(gcb_object_t *o) { set_insert(&live, (uintptr_t)o); }

void gcb__debug_freed(gcb_object_t *o)
{
    if (!set_remove(&live, (uintptr_t)o)) {
        fprintf(stderr, "gcbench: check build: freeing %p, which is not a live object (double free?)\n",
                (void *)o);
        abort();
    }
}

void gcb__debug_immortalized(gcb_object_t *o)
{
    set_remove(&live, (uintptr_t)o);
    set_insert(&immortal, (uintptr_t)o);
}

void gcb__debug_reset(void)
{
    set_free(&live);
    set_free(&immortal);
}

/* --- the public side (debug.h) ------------------------------------------- */

int gcb_debug_available(void) { return GCB_CHECK_BUILD; }

size_t gcb_debug_live_count(void) { return live.used; }

uint64_t gcb_debug_barrier_calls(void) { return gcb_rt.barrier_calls; }

int gcb_debug_lookup(const void *p)
{
    if (set_contains(&live, (uintptr_t)p))
        return GCB_DEBUG_LIVE;
    if (set_contains(&immortal, (uintptr_t)p))
        return GCB_DEBUG_IMMORTAL;
    return GCB_DEBUG_UNKNOWN;
}

void gcb_debug_live_visit(gcb_visit_fn visit, void *arg)
{
    for (size_t i = 0; live.slots && i <= live.mask; i++)
        if (live.slots[i])
            visit((gcb_object_t *)live.slots[i], arg);
}
