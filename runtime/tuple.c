/*
 * runtime/tuple.c - tuples: a GC header, the object header, a length and
 * the items inline (40 + 8n bytes with the GC header, as sys.getsizeof
 * reports for CPython tuples).  Immutable once built: gcb_tuple_init fills
 * items only while the tuple is being constructed.
 */
#include "runtime/internal.h"

typedef struct gcb_tuple {
    gcb_object_t ob;
    int64_t size;
    gcb_object_t *items[];
} gcb_tuple_t;

#define TUP(o) ((gcb_tuple_t *)(o))

static size_t tuple_size(const gcb_object_t *o)
{
    return sizeof(gcb_tuple_t) + (size_t)TUP(o)->size * sizeof(gcb_object_t *);
}

static void tuple_traverse(gcb_object_t *o, gcb_visit_fn visit, void *arg)
{
    gcb_tuple_t *t = TUP(o);
    for (int64_t i = 0; i < t->size; i++)
        visit(t->items[i], arg);
}

static void tuple_clear(gcb_object_t *o)
{
    gcb_tuple_t *t = TUP(o);
    for (int64_t i = 0; i < t->size; i++) {
        gcb_object_t *old = t->items[i];
        t->items[i] = gcb_None;
        gcb__heap_release(old);
    }
}

static void tuple_dealloc(gcb_object_t *o)
{
    gcb_tuple_t *t = TUP(o);
    for (int64_t i = 0; i < t->size; i++)
        gcb__heap_release(t->items[i]);
    gcb__object_free(o);
}

const gcb_type_t gcb_tuple_type = {
    .name = "tuple",
    .flags = GCB_TYPE_GC | GCB_TYPE_VARSIZE | GCB_TYPE_TUPLE,
    .size = tuple_size,
    .traverse = tuple_traverse,
    .clear = tuple_clear,
    .dealloc = tuple_dealloc,
};

gcb_object_t *gcb_tuple_new(size_t n)
{
    gcb_tuple_t *t = (gcb_tuple_t *)gcb__object_alloc(&gcb_tuple_type,
                                                      sizeof(gcb_tuple_t) + n * sizeof(gcb_object_t *));
    t->size = (int64_t)n;
    for (size_t i = 0; i < n; i++)
        t->items[i] = gcb_None;
    return gcb__object_born(&t->ob);
}

void gcb_tuple_init(gcb_object_t *o, size_t i, gcb_object_t *ref)
{
    gcb__slot_store(o, &TUP(o)->items[i], ref);
}

gcb_object_t *gcb_tuple_get(gcb_object_t *o, size_t i) { return TUP(o)->items[i]; }
size_t gcb_tuple_len(const gcb_object_t *o) { return (size_t)TUP(o)->size; }
