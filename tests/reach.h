/*
 * tests/reach.h - a reachability check independent of every collector.
 *
 * From the frames, walk the object graph with its own explicit stack and
 * pointer hash table (no collector code, no GC header read) and report:
 *   - reachable: distinct mortal objects reached;
 *   - bad_type: objects whose type pointer is not one of the known types
 *     (a freed object poisoned with 0xdb by a GCB_DEBUG_CHECKS build, or
 *     reused memory), which are not followed further;
 *   - bad_count: reachable objects whose reference count contradicts the
 *     graph: under GCB_COUNT_ALL at least the references counted here
 *     (frame slots + container slots of reachable objects), exactly that
 *     many when `exact` (no garbage left that could hold more); under
 *     GCB_COUNT_NONE zero.
 * The caller compares `reachable` with the runtime's live_objects.
 */
#ifndef GCB_TEST_REACH_H
#define GCB_TEST_REACH_H

#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

typedef struct reach_result {
    uint64_t reachable, bad_type, bad_count;
} reach_result_t;

typedef struct reach_state {
    gcb_object_t **keys;
    uint64_t *indeg;
    size_t mask, used;
    gcb_object_t **stack;
    size_t nstack, capstack;
    const gcb_type_t *const *types;
    size_t ntypes;
    reach_result_t res;
} reach_state_t;

static size_t reach_slot(reach_state_t *s, gcb_object_t *o)
{
    uintptr_t h = (uintptr_t)o;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    size_t i = h & s->mask;
    while (s->keys[i] && s->keys[i] != o)
        i = (i + 1) & s->mask;
    return i;
}

static void reach_grow(reach_state_t *s)
{
    size_t oldcap = s->mask + 1;
    gcb_object_t **ok = s->keys;
    uint64_t *od = s->indeg;
    size_t cap = oldcap * 2;
    s->keys = calloc(cap, sizeof *s->keys);
    s->indeg = calloc(cap, sizeof *s->indeg);
    if (!s->keys || !s->indeg)
        abort();
    s->mask = cap - 1;
    for (size_t i = 0; i < oldcap; i++)
        if (ok[i]) {
            size_t j = reach_slot(s, ok[i]);
            s->keys[j] = ok[i];
            s->indeg[j] = od[i];
        }
    free(ok);
    free(od);
}

static int reach_type_ok(reach_state_t *s, const gcb_type_t *t)
{
    for (size_t i = 0; i < s->ntypes; i++)
        if (s->types[i] == t)
            return 1;
    return 0;
}

/* One reference to o (from a frame slot or a reachable container). */
static void reach_visit(gcb_object_t *o, void *arg)
{
    reach_state_t *s = arg;
    if (o == gcb_None)
        return;
    if ((s->used + 1) * 2 > s->mask + 1)
        reach_grow(s);
    size_t i = reach_slot(s, o);
    if (s->keys[i]) {
        s->indeg[i]++;
        return;
    }
    s->keys[i] = o;
    s->indeg[i] = 1;
    s->used++;
    if (s->nstack == s->capstack) {
        s->capstack = s->capstack ? 2 * s->capstack : 1024;
        s->stack = realloc(s->stack, s->capstack * sizeof *s->stack);
        if (!s->stack)
            abort();
    }
    s->stack[s->nstack++] = o;
}

/* `types`: every type a live object may have (instance types included). */
static reach_result_t reach_check(const gcb_type_t *const *types, size_t ntypes, int exact)
{
    reach_state_t s;
    memset(&s, 0, sizeof s);
    s.types = types;
    s.ntypes = ntypes;
    s.mask = 1023;
    s.keys = calloc(s.mask + 1, sizeof *s.keys);
    s.indeg = calloc(s.mask + 1, sizeof *s.indeg);
    if (!s.keys || !s.indeg)
        abort();
    gcb_frames_visit(reach_visit, &s);
    while (s.nstack) {
        gcb_object_t *o = s.stack[--s.nstack];
        if (!reach_type_ok(&s, o->type)) {
            s.res.bad_type++;
            fprintf(stderr, "reach: object %p has type pointer %p (freed?)\n", (void *)o, (void *)o->type);
            continue;
        }
        if (gcb_is_immortal(o))
            continue;
        if (o->type->traverse)
            o->type->traverse(o, reach_visit, &s);
    }
    for (size_t i = 0; i <= s.mask; i++) {
        gcb_object_t *o = s.keys[i];
        if (!o || gcb_is_immortal(o) || !reach_type_ok(&s, o->type))
            continue;
        s.res.reachable++;
        int64_t rc = GCB_REFCNT(o);
        int ok;
        if (gcb_hot.mode == GCB_COUNT_NONE)
            ok = rc == 0;
        else if (gcb_hot.mode == GCB_COUNT_ALL)
            ok = exact ? (uint64_t)rc == s.indeg[i] : (uint64_t)rc >= s.indeg[i];
        else
            ok = rc >= 0;                      /* heap-only counts: not derivable from this walk */
        if (!ok) {
            s.res.bad_count++;
            if (s.res.bad_count <= 5)
                fprintf(stderr, "reach: %s %p has count %lld, %llu references found\n", o->type->name,
                        (void *)o, (long long)rc, (unsigned long long)s.indeg[i]);
        }
    }
    free(s.keys);
    free(s.indeg);
    free(s.stack);
    return s.res;
}

#endif
