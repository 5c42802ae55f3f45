/*
 * runtime/list.c - lists: CPython's layout (56 bytes with the GC header)
 * and its over-allocating growth, so item-array sizes follow CPython's:
 * appends from empty give capacities 4, 8, 16, 24, 32, 40, 52, 64, 76 ...
 *
 * Invariant: 0 <= size <= allocated; items[0..size) hold objects (heap
 * references); items is NULL exactly when allocated == 0.
 */
#include "runtime/internal.h"

#include <string.h>

typedef struct gcb_list {
    gcb_object_t ob;
    int64_t size;
    gcb_object_t **items;
    int64_t allocated;
} gcb_list_t;

_Static_assert(sizeof(gcb_list_t) + GCB_GCHEAD_SIZE == 56, "list is 56 bytes as in CPython");

#define LIST(o) ((gcb_list_t *)(o))

static size_t list_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_list_t); }

static void list_traverse(gcb_object_t *o, gcb_visit_fn visit, void *arg)
{
    gcb_list_t *l = LIST(o);
    for (int64_t i = 0; i < l->size; i++)
        visit(l->items[i], arg);
}

static void free_items(gcb_list_t *l)
{
    if (l->items)
        gcb__mem_free_inline(l->items, (size_t)l->allocated * sizeof(gcb_object_t *));
    l->items = NULL;
    l->allocated = 0;
}

/* Drop all items; release after the list is consistent (a release can
 * run arbitrary deallocation, which must see a valid list). */
static void list_clear(gcb_object_t *o)
{
    gcb_list_t *l = LIST(o);
    gcb_object_t **items = l->items;
    int64_t n = l->size, cap = l->allocated;
    l->items = NULL;
    l->size = l->allocated = 0;
    for (int64_t i = 0; i < n; i++)
        gcb__heap_release(items[i]);
    if (items)
        gcb__mem_free_inline(items, (size_t)cap * sizeof(gcb_object_t *));
}

static void list_dealloc(gcb_object_t *o)
{
    gcb_list_t *l = LIST(o);
    for (int64_t i = 0; i < l->size; i++)
        gcb__heap_release(l->items[i]);
    free_items(l);
    gcb__object_free(o);
}

const gcb_type_t gcb_list_type = {
    .name = "list",
    .flags = GCB_TYPE_GC,
    .basicsize = sizeof(gcb_list_t),
    .size = list_size,
    .traverse = list_traverse,
    .clear = list_clear,
    .dealloc = list_dealloc,
};

/* CPython's list_resize (3.9+): keep the buffer when it fits and is at
 * least half used, else grow by ~1/8 plus a constant, rounded to 4. */
static void list_resize(gcb_list_t *l, int64_t newsize)
{
    int64_t allocated = l->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1)) {
        l->size = newsize;
        return;
    }
    size_t new_allocated = ((size_t)newsize + ((size_t)newsize >> 3) + 6) & ~(size_t)3;
    if (newsize - l->size > (int64_t)new_allocated - newsize)
        new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
    if (newsize == 0)
        new_allocated = 0;
    if (new_allocated == 0) {
        free_items(l);
    } else if (!l->items) {
        l->items = gcb__mem_alloc_inline(new_allocated * sizeof(gcb_object_t *));
    } else {
        l->items = gcb_mem_realloc(l->items, (size_t)allocated * sizeof(gcb_object_t *),
                                   new_allocated * sizeof(gcb_object_t *));
    }
    l->allocated = (int64_t)new_allocated;
    l->size = newsize;
}

static gcb_list_t *list_alloc(size_t n)
{
    gcb_list_t *l = (gcb_list_t *)gcb__object_alloc(&gcb_list_type, sizeof(gcb_list_t));
    l->size = (int64_t)n;
    l->allocated = (int64_t)n;
    l->items = n ? gcb__mem_alloc_inline(n * sizeof(gcb_object_t *)) : NULL;
    return l;
}

gcb_object_t *gcb_list_new(size_t n)
{
    gcb_list_t *l = list_alloc(n);
    for (size_t i = 0; i < n; i++)
        l->items[i] = gcb_None;
    return gcb__object_born(&l->ob);
}

void gcb_list_append(gcb_object_t *o, gcb_object_t *ref)
{
    gcb_list_t *l = LIST(o);
    int64_t n = l->size;
    if (GCB_LIKELY(n < l->allocated))
        l->size = n + 1;
    else
        list_resize(l, n + 1);
    gcb__heap_acquire(ref);
    gcb__barrier(o, NULL, ref);
    l->items[n] = ref;
}

void gcb_list_set(gcb_object_t *o, size_t i, gcb_object_t *ref)
{
    gcb__slot_store(o, &LIST(o)->items[i], ref);
}

gcb_object_t *gcb_list_get(gcb_object_t *o, size_t i) { return LIST(o)->items[i]; }
size_t gcb_list_len(const gcb_object_t *o) { return (size_t)LIST(o)->size; }
size_t gcb_list_allocated(const gcb_object_t *o) { return (size_t)LIST(o)->allocated; }

gcb_object_t *gcb_list_pop(gcb_object_t *o)
{
    gcb_list_t *l = LIST(o);
    gcb_object_t *item = l->items[l->size - 1];
    /* The heap reference becomes the caller's stack reference: under full
     * counting that is a transfer; under deferred counting the heap count
     * goes down (and may reach zero, which the ZCT then holds). */
    list_resize(l, l->size - 1);
    if (gcb_hot.mode == GCB_COUNT_HEAP)
        gcb__decref(item);
    return item;
}

gcb_object_t *gcb_list_slice(gcb_object_t *o, int64_t lo, int64_t hi)
{
    gcb_list_t *src = LIST(o);
    int64_t n = src->size;
    if (lo < 0) lo += n;
    if (hi < 0) hi += n;
    if (lo < 0) lo = 0;
    if (hi > n) hi = n;
    if (hi < lo) hi = lo;
    gcb_list_t *l = list_alloc((size_t)(hi - lo));
    for (int64_t i = lo; i < hi; i++) {
        gcb_object_t *item = src->items[i];
        gcb__heap_newref(item);
        l->items[i - lo] = item;
    }
    return gcb__object_born(&l->ob);
}

void gcb_list_clear(gcb_object_t *o) { list_clear(o); }
