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

#include "runtime/shared.h"

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

#if !GCB_THREADED
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
#endif

static gcb_list_t *list_alloc(size_t n)
{
    gcb_list_t *l = (gcb_list_t *)gcb__object_alloc(&gcb_list_type, sizeof(gcb_list_t));
    l->size = (int64_t)n;
    l->allocated = (int64_t)n;
    l->items = n ? gcb__mem_alloc_inline(n * sizeof(gcb_object_t *)) : NULL;
#if GCB_THREADED
    gcb__ob_share_init(&l->ob);
#endif
    return l;
}

gcb_object_t *gcb_list_new(size_t n)
{
    gcb_list_t *l = list_alloc(n);
    for (size_t i = 0; i < n; i++)
        l->items[i] = gcb_None;
    return gcb__object_born(&l->ob);
}

#if !GCB_THREADED
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

#else
/* --- the threaded cores: writers locked, readers lock-free -----------------
 *
 * runtime/shared.h gives the protocol.  The item array carries no capacity
 * (CPython 3.13t's _PyListArray does; the model keeps the buffers of every
 * mode the same size), so a lock-free reader reads `items`, `allocated`,
 * `items` again, and the writer publishes a new array as
 *     allocated = min(old, new); items = new; allocated = new
 * (all release): a reader that loaded the same `items` twice holds a
 * capacity no larger than that array's.  Slots past `size` of an array a
 * reader can see are NULL or still-counted objects: a SHARED resize copies
 * [0, size) and zeroes the rest, and a SHARED pop clears its slot. */

#define LD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ST_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static void publish_items(gcb_list_t *l, gcb_object_t **items, int64_t old_cap, int64_t new_cap)
{
    ST_REL(&l->allocated, old_cap < new_cap ? old_cap : new_cap);
    ST_REL(&l->items, items);
    ST_REL(&l->allocated, new_cap);
}

/* CPython's list_resize growth rule (as the default core's list_resize),
 * the capacity only: the caller stores `size` once the slots are written.
 * Under the lock. */
static void list_set_capacity(gcb_list_t *l, int64_t newsize, int shared)
{
    int64_t allocated = l->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1))
        return;
    size_t new_allocated = ((size_t)newsize + ((size_t)newsize >> 3) + 6) & ~(size_t)3;
    if (newsize - l->size > (int64_t)new_allocated - newsize)
        new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
    if (newsize == 0)
        new_allocated = 0;
    gcb_object_t **old = l->items, **items = NULL;
    size_t word = sizeof(gcb_object_t *);
    if (!shared) { /* only this thread can look: as the default core */
        if (new_allocated == 0 && old)
            gcb__mem_free_inline(old, (size_t)allocated * word);
        else if (new_allocated && !old)
            items = gcb__mem_alloc_inline(new_allocated * word);
        else if (new_allocated)
            items = gcb_mem_realloc(old, (size_t)allocated * word, new_allocated * word);
        publish_items(l, items, allocated, (int64_t)new_allocated);
        return;
    }
    /* CPython under Py_GIL_DISABLED: never realloc, copy, free the old
     * array through QSBR (free_list_items(old, use_qsbr)) */
    if (new_allocated) {
        size_t keep = (size_t)(l->size < (int64_t)new_allocated ? l->size : (int64_t)new_allocated);
        items = gcb__mem_alloc_inline(new_allocated * word);
        if (keep)
            memcpy(items, old, keep * word);
        memset(items + keep, 0, (new_allocated - keep) * word);
    }
    publish_items(l, items, allocated, (int64_t)new_allocated);
    if (old)
        gcb__shared_free_deferred(old, (size_t)allocated * word);
}

void gcb_list_append(gcb_object_t *o, gcb_object_t *ref)
{
    gcb_list_t *l = LIST(o);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    int64_t n = l->size;
    if (GCB_UNLIKELY(n >= l->allocated))
        list_set_capacity(l, n + 1, shared);
    gcb__heap_acquire(ref);
    gcb__barrier(o, NULL, ref);
    ST_REL(&l->items[n], ref);
    ST_REL(&l->size, n + 1);
    gcb__ob_unlock(o);
}

void gcb_list_set(gcb_object_t *o, size_t i, gcb_object_t *ref)
{
    gcb_list_t *l = LIST(o);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    gcb_object_t *old = l->items[i];
    gcb__heap_acquire(ref);
    gcb__barrier(o, old, ref);
    ST_REL(&l->items[i], ref);
    gcb__ob_unlock(o);
    if (shared)
        gcb__shared_release_deferred(old); /* a reader may have loaded it from the slot */
    else
        gcb__heap_release(old);
}

gcb_object_t *gcb_list_get(gcb_object_t *o, size_t i) { return LIST(o)->items[i]; }
size_t gcb_list_len(const gcb_object_t *o) { return (size_t)__atomic_load_n(&LIST(o)->size, __ATOMIC_RELAXED); }
size_t gcb_list_allocated(const gcb_object_t *o) { return (size_t)__atomic_load_n(&LIST(o)->allocated, __ATOMIC_RELAXED); }

gcb_object_t *gcb_list_pop(gcb_object_t *o)
{
    gcb_list_t *l = LIST(o);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    int64_t n = l->size;
    gcb_object_t *item = l->items[n - 1];
    if (shared)
        ST_REL(&l->items[n - 1], NULL);
    ST_REL(&l->size, n - 1);
    list_set_capacity(l, n - 1, shared);
    gcb__ob_unlock(o);
    if (shared && gcb_hot.mode == GCB_COUNT_ALL) {
        /* the caller gets its own reference; the list's is dropped once no
         * reader can be about to try-incref it */
        gcb__incref(item);
        gcb__shared_release_deferred(item);
    } else if (gcb_hot.mode == GCB_COUNT_HEAP) {
        gcb__decref(item);
    }
    return item;
}

void gcb_list_clear(gcb_object_t *o)
{
    gcb_list_t *l = LIST(o);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    gcb_object_t **items = l->items;
    int64_t n = l->size, cap = l->allocated;
    ST_REL(&l->size, 0);
    publish_items(l, NULL, cap, 0);
    gcb__ob_unlock(o);
    for (int64_t i = 0; i < n; i++) {
        if (shared)
            gcb__shared_release_deferred(items[i]);
        else
            gcb__heap_release(items[i]);
    }
    if (items && shared)
        gcb__shared_free_deferred(items, (size_t)cap * sizeof(gcb_object_t *));
    else if (items)
        gcb__mem_free_inline(items, (size_t)cap * sizeof(gcb_object_t *));
}

/* A non-owner's first read, or a lock-free read that lost a race: under
 * the lock, and the list is SHARED from now on (CPython's list_item_impl). */
static gcb_object_t *list_get_ref_locked(gcb_list_t *l, size_t i)
{
    gcb__ob_lock(&l->ob);
    if (!gcb__ob_is_shared(&l->ob))
        gcb__ob_set_shared(&l->ob);
    gcb_object_t *x = (int64_t)i < l->size ? l->items[i] : NULL;
    if (x)
        gcb__incref(x);
    gcb__ob_unlock(&l->ob);
    return x;
}

/* Objects/listobject.c list_get_item_ref: load the array and the item,
 * try-incref it, and keep it only if the array and the slot still hold it;
 * else drop it and retry.  What it points to is alive until this thread's
 * next safepoint (QSBR). */
gcb_object_t *gcb_list_get_ref(gcb_object_t *o, size_t i)
{
    gcb_list_t *l = LIST(o);
    if (gcb_hot.mode != GCB_COUNT_ALL) /* uncounted stack references: a plain read (one thread writes) */
        return (int64_t)i < l->size ? l->items[i] : NULL;
    if (!gcb__ob_owned(o) && !gcb__ob_is_shared(o))
        return list_get_ref_locked(l, i);
    for (;;) {
        if ((int64_t)i >= LD_ACQ(&l->size))
            return NULL;
        gcb_object_t **items = LD_ACQ(&l->items);
        int64_t cap = LD_ACQ(&l->allocated);
        if (LD_ACQ(&l->items) != items)
            continue; /* a resize between the two loads */
        if (!items || (int64_t)i >= cap)
            return list_get_ref_locked(l, i); /* it shrank meanwhile */
        gcb_object_t *x = LD_ACQ(&items[i]);
        if (!x || !gcb__try_incref(x))
            return list_get_ref_locked(l, i); /* popped, or dying: the lock decides */
        if (LD_ACQ(&l->items) == items && LD_ACQ(&items[i]) == x && (int64_t)i < LD_ACQ(&l->size))
            return x;
        gcb__decref(x); /* replaced meanwhile: still alive (its drop is delayed), retry */
    }
}
#endif

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

#if !GCB_THREADED
void gcb_list_clear(gcb_object_t *o) { list_clear(o); }
#endif
