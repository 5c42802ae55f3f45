/*
 * runtime/freelist.c - CPython's object free lists (-p freelists=cpython).
 *
 * Why.  CPython keeps dead objects of its commonest types in per-type free
 * lists in front of the allocator (3.13+: _Py_freelists), so most of their
 * churn never reaches pymalloc or malloc: on intchurn 7.3% of the model's
 * blocks were 24-byte floats against 0.19% reaching CPython's allocator
 * (issue 12).  A model without them overstates what an allocator is worth.
 *
 * What is kept, and how many (Include/internal/pycore_freelist_state.h):
 *   floats 100; tuples of 1..20 items, 2,000 of each size; lists 80 (the
 *   object only: the item array is freed); dicts 80 (the object only);
 *   dict keys tables of the minimum size (8 slots) 80.
 * A list is LIFO, the block's first word links it.  A dead object goes on
 * its list when there is room (after the policy's on_free: it is dead to
 * the collector), and the next object of its kind and size comes from
 * there, its header rebuilt as a fresh allocation's (on_alloc is called as
 * for any new object).  Deviation: CPython keeps only unicode-keyed minimum
 * tables; the model's tables have one kind (runtime/dict.c), so every
 * minimum table qualifies.
 *
 * Counters (runtime/host.h): an object put on a free list is freed
 * (objects_freed, out of live_bytes) but its bytes are not returned:
 * they move to freelist_bytes until reused or until teardown, so
 * bytes_allocated - bytes_freed = live + immortal + freelist_bytes holds.
 */
#include "runtime/internal.h"
#include "runtime/options.h"

enum { FL_FLOAT, FL_LIST, FL_DICT, FL_KEYS, FL_TUPLE1, FL_COUNT = FL_TUPLE1 + 20 };

typedef struct freelist {
    void *head;
    uint32_t n;
    size_t bytes;   /* of each block (one kind and size a list, one runtime) */
} freelist_t;

/* Per thread in the threaded cores (CPython 3.13t: tstate->freelists). */
static GCB_TLS freelist_t lists[FL_COUNT];
static const uint32_t max_of[FL_COUNT] = {
    [FL_FLOAT] = 100, [FL_LIST] = 80, [FL_DICT] = 80, [FL_KEYS] = 80,
#define T(i) [FL_TUPLE1 + i] = 2000
    T(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8), T(9),
    T(10), T(11), T(12), T(13), T(14), T(15), T(16), T(17), T(18), T(19),
#undef T
};
int gcb__freelists_on;

/* The free list of an object of `type` and `size` bytes (GC header
 * excluded), or -1. */
static int which(const gcb_type_t *type, size_t size)
{
    if (type == &gcb_float_type)
        return FL_FLOAT;
    if (type == &gcb_list_type)
        return FL_LIST;
    if (type == &gcb_dict_type)
        return FL_DICT;
    if (type == &gcb_tuple_type) {
        size_t n = (size - sizeof(gcb_object_t) - 8) / 8; /* tuple: header, size, items */
        return n >= 1 && n <= 20 ? FL_TUPLE1 + (int)n - 1 : -1;
    }
    return -1;
}

static void *take(int i, size_t bytes)
{
    freelist_t *l = &lists[i];
    void *p = l->head;
    if (!p)
        return NULL;
    l->head = *(void **)p;
    l->n--;
    GCB_C.freelist_bytes -= bytes;
    GCB_C.live_bytes += bytes;
    gcb__count_peak_bytes();
    return p;
}

static int put(int i, void *p, size_t bytes)
{
    freelist_t *l = &lists[i];
    if (l->n >= max_of[i])
        return 0;
    *(void **)p = l->head;
    l->head = p;
    l->n++;
    l->bytes = bytes;
    GCB_C.live_bytes -= bytes;
    GCB_C.freelist_bytes += bytes;
    gcb__count_fall_bytes();
    return 1;
}

void *gcb__freelist_take(const gcb_type_t *type, size_t size, size_t bytes)
{
    int i = which(type, size);
    return i < 0 ? NULL : take(i, bytes);
}

int gcb__freelist_put(const gcb_type_t *type, size_t size, void *mem, size_t bytes)
{
    int i = which(type, size);
    return i < 0 ? 0 : put(i, mem, bytes);
}

void *gcb__freelist_take_keys(size_t bytes) { return take(FL_KEYS, bytes); }
int gcb__freelist_put_keys(void *mem, size_t bytes) { return put(FL_KEYS, mem, bytes); }

/* Teardown: every kept block back to the allocator (bytes_freed). */
void gcb__freelists_fini(void)
{
    for (int i = 0; i < FL_COUNT; i++) {
        while (lists[i].head) {
            void *p = lists[i].head;
            lists[i].head = *(void **)p;
            lists[i].n--;
            GCB_C.freelist_bytes -= lists[i].bytes;
            GCB_C.live_bytes += lists[i].bytes; /* gcb__mem_free_inline subtracts it again */
            gcb__mem_free_inline(p, lists[i].bytes);
        }
    }
}

uint64_t gcb_freelist_count(void)
{
    uint64_t n = 0;
    for (int i = 0; i < FL_COUNT; i++)
        n += lists[i].n;
    return n;
}
