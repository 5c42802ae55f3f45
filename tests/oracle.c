/*
 * tests/oracle.c - the reachability oracle (see oracle.h).
 *
 * Objects are numbered 0..n-1 in registry order; a pointer -> number table
 * (open addressing, linear probing) answers "is this a live object, which
 * one" without dereferencing the pointer, so a dangling pointer is found
 * before anything reads through it.
 */
#include "tests/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/debug.h"
#include "runtime/host.h"

#define POISON ((uintptr_t)0xdbdbdbdbdbdbdbdbull)
#define MAX_REPORTS 8

/* Is the memory at a dangling pointer poisoned?  Reading it is the point
 * in a plain check build; under AddressSanitizer the read would abort the
 * report itself, so the oracle does not look (and says "not checked"). */
#if defined(__SANITIZE_ADDRESS__)
#define PEEK_POISON(o) 0
#else
#define PEEK_POISON(o) ((uintptr_t)(o)->type == POISON)
#endif

typedef struct scan {
    gcb_object_t **obj;
    size_t n, filled;
    uint32_t *slot;          /* table of object numbers + 1 (0: empty) */
    size_t mask;
    uint32_t *heap_refs, *stack_refs;
    uint8_t *reached;
    uint32_t *work;
    size_t nwork;
    gcb_oracle_t *r;
    int reports;
    const gcb_object_t *parent; /* whose references are being visited (NULL: a frame) */
} scan_t;

/* Can `o` (a registered object) be read as an object?  Not when freed
 * (poisoned) or when its type pointer is no type of the runtime.  Instance
 * types are embedded in their class objects, so they are told by their
 * dealloc, read only once the pointer is none of the poison. */
static int usable(const gcb_object_t *o)
{
    const gcb_type_t *t = o->type;
    if ((uintptr_t)t == POISON)
        return 0;
    return t == &gcb_int_type || t == &gcb_float_type || t == &gcb_str_type || t == &gcb_tuple_type ||
           t == &gcb_list_type || t == &gcb_dict_type || t->dealloc == gcb_instance_type.dealloc;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "oracle: out of memory\n");
        exit(2);
    }
    return p;
}

static inline size_t hash_ptr(const void *p, size_t mask)
{
    return (size_t)((((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull) >> 24) & mask;
}

static void table_put(scan_t *s, gcb_object_t *o, uint32_t idx)
{
    size_t i = hash_ptr(o, s->mask);
    while (s->slot[i])
        i = (i + 1) & s->mask;
    s->slot[i] = idx + 1;
}

/* The object's number, or -1 when `o` is not a live object. */
static int64_t table_get(const scan_t *s, const gcb_object_t *o)
{
    for (size_t i = hash_ptr(o, s->mask); s->slot[i]; i = (i + 1) & s->mask)
        if (s->obj[s->slot[i] - 1] == o)
            return (int64_t)s->slot[i] - 1;
    return -1;
}

static void collect_live(gcb_object_t *o, void *arg)
{
    scan_t *s = arg;
    if (s->filled < s->n)
        s->obj[s->filled++] = o;
}

/* A reference to something that is not live: immortal is fine, anything
 * else is a use after free (or a wild pointer). */
static int64_t resolve(scan_t *s, gcb_object_t *o)
{
    int64_t idx = table_get(s, o);
    if (idx >= 0)
        return idx;
    if (gcb_debug_lookup(o) == GCB_DEBUG_IMMORTAL)
        return -1;
    s->r->dangling++;
    int poisoned = PEEK_POISON(o);
    if (poisoned)
        s->r->poisoned++;
    if (s->reports++ < MAX_REPORTS)
        fprintf(stderr, "oracle: %s %p refers to %p, which is not a live object%s\n",
                s->parent ? s->parent->type->name : "a frame slot", (const void *)s->parent, (void *)o,
                poisoned ? " (poisoned: freed by the runtime)" : "");
    return -1;
}

static void count_heap_ref(gcb_object_t *o, void *arg)
{
    scan_t *s = arg;
    int64_t i = resolve(s, o);
    if (i >= 0)
        s->heap_refs[i]++;
}

static void count_stack_ref(gcb_object_t *o, void *arg)
{
    scan_t *s = arg;
    int64_t i = resolve(s, o);
    if (i < 0)
        return;
    s->stack_refs[i]++;
    if (!s->reached[i]) {
        s->reached[i] = 1;
        s->work[s->nwork++] = (uint32_t)i;
    }
}

static void reach(gcb_object_t *o, void *arg)
{
    scan_t *s = arg;
    int64_t i = table_get(s, o); /* dangling ones were reported by count_heap_ref */
    if (i >= 0 && !s->reached[i]) {
        s->reached[i] = 1;
        s->work[s->nwork++] = (uint32_t)i;
    }
}

/* Kahn-style peeling of the garbage graph: in-degrees among garbage. */
static void peel_visit(gcb_object_t *o, void *arg)
{
    scan_t *s = arg;
    int64_t i = table_get(s, o);
    if (i >= 0 && !s->reached[i] && s->heap_refs[i] > 0 && --s->heap_refs[i] == 0)
        s->work[s->nwork++] = (uint32_t)i;
}

static void check_count(scan_t *s, size_t i)
{
    gcb_object_t *o = s->obj[i];
    int64_t want, have = o->refcnt;
    const char *why = NULL;
    switch (gcb_hot.mode) {
    case GCB_COUNT_ALL:
        /* lazy marks queued objects (count 0, freed at the next batch)
         * with the ZCT bit; the count proper is below it */
        have = GCB_REFCNT(o);
        want = (int64_t)s->heap_refs[i] + (int64_t)s->stack_refs[i];
        if (have != want)
            why = "count != heap + frame references";
        break;
    case GCB_COUNT_HEAP:
        want = (int64_t)s->heap_refs[i];
        have = GCB_REFCNT(o);
        if (have != want)
            why = "heap count != heap references";
        else if (have == 0 && !(o->refcnt & GCB_ZCT_FLAG))
            why = "zero count without the ZCT flag (not in the zero-count table)";
        break;
    default:
        return;
    }
    if (!why)
        return;
    s->r->bad_counts++;
    if (s->reports++ < MAX_REPORTS)
        fprintf(stderr, "oracle: %s %p: %s (refcnt %lld, %u heap + %u frame references)\n", o->type->name,
                (void *)o, why, (long long)o->refcnt, s->heap_refs[i], s->stack_refs[i]);
}

int gcb_oracle_scan(gcb_oracle_t *out)
{
    gcb_oracle_t r = { 0 };
    if (!gcb_debug_available()) {
        fprintf(stderr, "oracle: this build keeps no registry of live objects (link gcbcore_check)\n");
        exit(2);
    }
    scan_t s = { 0 };
    s.r = &r;
    s.n = gcb_debug_live_count();
    s.obj = xcalloc(s.n, sizeof *s.obj);
    gcb_debug_live_visit(collect_live, &s);
    size_t cap = 16;
    while (cap < 2 * s.n)
        cap *= 2;
    s.mask = cap - 1;
    s.slot = xcalloc(cap, sizeof *s.slot);
    for (size_t i = 0; i < s.n; i++)
        table_put(&s, s.obj[i], (uint32_t)i);
    s.heap_refs = xcalloc(s.n, sizeof *s.heap_refs);
    s.stack_refs = xcalloc(s.n, sizeof *s.stack_refs);
    s.reached = xcalloc(s.n, 1);
    s.work = xcalloc(s.n, sizeof *s.work);
    r.live = s.n;

    /* every reference held by a live object */
    for (size_t i = 0; i < s.n; i++) {
        gcb_object_t *o = s.obj[i];
        if ((uintptr_t)o->type == POISON) {
            r.poisoned++;
            r.dangling++;
            if (s.reports++ < MAX_REPORTS)
                fprintf(stderr, "oracle: registered object %p is poisoned\n", (void *)o);
            continue;
        }
        if (!usable(o)) {
            r.bad_types++;
            if (s.reports++ < MAX_REPORTS)
                fprintf(stderr, "oracle: registered object %p has type pointer %p, no object type\n", (void *)o,
                        (const void *)o->type);
            continue;
        }
        if (o->type->traverse) {
            s.parent = o;
            o->type->traverse(o, count_heap_ref, &s);
        }
    }
    /* the roots, then everything reachable from them */
    s.parent = NULL;
    gcb_frames_visit(count_stack_ref, &s);
    while (s.nwork) {
        gcb_object_t *o = s.obj[s.work[--s.nwork]];
        if (usable(o) && o->type->traverse)
            o->type->traverse(o, reach, &s);
    }
    for (size_t i = 0; i < s.n; i++) {
        r.reachable += s.reached[i];
        if (usable(s.obj[i]))
            check_count(&s, i);
    }
    r.garbage = r.live - r.reachable;

    /* cyclic garbage: peel off garbage that no garbage refers to */
    for (size_t i = 0; i < s.n; i++)
        if (!s.reached[i] && s.heap_refs[i] == 0)
            s.work[s.nwork++] = (uint32_t)i;
    uint64_t peeled = 0;
    while (s.nwork) {
        gcb_object_t *o = s.obj[s.work[--s.nwork]];
        peeled++;
        if (usable(o) && o->type->traverse)
            o->type->traverse(o, peel_visit, &s);
    }
    r.cyclic_garbage = r.garbage - peeled;

    uint64_t counter = gcb_runtime_counters()->live_objects;
    r.counter_drift = counter > r.live ? counter - r.live : r.live - counter;
    if (r.counter_drift)
        fprintf(stderr, "oracle: the runtime counts %llu live objects, the registry holds %llu\n",
                (unsigned long long)counter, (unsigned long long)r.live);

    free(s.obj);
    free(s.slot);
    free(s.heap_refs);
    free(s.stack_refs);
    free(s.reached);
    free(s.work);
    if (out)
        *out = r;
    return r.dangling || r.bad_counts || r.bad_types || r.counter_drift ? -1 : 0;
}

int gcb_oracle_check_collected(int complete, const char *who, gcb_oracle_t *out)
{
    gcb_oracle_t r;
    int rc = gcb_oracle_scan(&r);
    if (complete && r.garbage) {
        fprintf(stderr, "oracle: %s: %llu live objects are unreachable after a full collection (%llu cyclic)\n", who,
                (unsigned long long)r.garbage, (unsigned long long)r.cyclic_garbage);
        rc = -1;
    }
    if (!complete && r.garbage != r.cyclic_garbage) {
        fprintf(stderr, "oracle: %s: %llu unreachable objects are not held by a cycle (of %llu unreachable)\n", who,
                (unsigned long long)(r.garbage - r.cyclic_garbage), (unsigned long long)r.garbage);
        rc = -1;
    }
    if (out)
        *out = r;
    return rc;
}

/* --- fingerprint of the reachable graph ----------------------------------- */

typedef struct fp {
    const gcb_object_t **slot; /* visited set */
    size_t mask, used;
    gcb_object_t **work;
    size_t nwork, capwork;
    uint64_t h, objects;
    const gcb_object_t *parent;
} fp_t;

static int fp_insert(fp_t *s, const gcb_object_t *o)
{
    if (2 * (s->used + 1) > s->mask + 1) {
        const gcb_object_t **old = s->slot;
        size_t oldcap = s->mask + 1;
        s->mask = 2 * oldcap - 1;
        s->slot = xcalloc(s->mask + 1, sizeof *s->slot);
        s->used = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                fp_insert(s, old[i]);
        free(old);
    }
    size_t i = hash_ptr(o, s->mask);
    for (; s->slot[i]; i = (i + 1) & s->mask)
        if (s->slot[i] == o)
            return 0;
    s->slot[i] = o;
    s->used++;
    return 1;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static void fp_visit(gcb_object_t *o, void *arg)
{
    fp_t *s = arg;
    int what = gcb_debug_lookup(o);
    if (what == GCB_DEBUG_UNKNOWN) {
        fprintf(stderr, "oracle: reachable %s %p refers to %p, which is not a live object%s\n",
                s->parent ? s->parent->type->name : "frame slot", (const void *)s->parent, (void *)o,
                PEEK_POISON(o) ? " (poisoned: freed by the runtime)" : "");
        abort();
    }
    s->h = mix(s->h, (uintptr_t)o);
    if (what == GCB_DEBUG_LIVE && fp_insert(s, o)) {
        if (s->nwork == s->capwork) {
            s->capwork = s->capwork ? 2 * s->capwork : 1024;
            s->work = realloc(s->work, s->capwork * sizeof *s->work);
            if (!s->work) {
                fprintf(stderr, "oracle: out of memory\n");
                exit(2);
            }
        }
        s->work[s->nwork++] = o;
    }
}

uint64_t gcb_oracle_fingerprint(uint64_t *objects)
{
    fp_t s = { 0 };
    s.mask = 1023;
    s.slot = xcalloc(s.mask + 1, sizeof *s.slot);
    uint64_t total = 0;
    gcb_frames_visit(fp_visit, &s);
    total = s.h;
    while (s.nwork) {
        gcb_object_t *o = s.work[--s.nwork];
        s.objects++;
        /* each object contributes its own ordered sequence; the sum makes
         * the walk order irrelevant */
        s.h = mix((uintptr_t)o, (uintptr_t)o->type);
        s.parent = o;
        if (o->type->traverse)
            o->type->traverse(o, fp_visit, &s);
        total += s.h;
    }
    free(s.slot);
    free(s.work);
    if (objects)
        *objects = s.objects;
    return total;
}
