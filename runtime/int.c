/*
 * runtime/int.c - boxed integers and the small-int cache.
 *
 * Layout as CPython 3.12's one-digit int: header, a tag word (sign and
 * digit count in CPython; here the sign), the value.  32 bytes, the size
 * class pymalloc serves CPython's small ints from.
 *
 * -5..256 are preallocated at runtime start and immortal (PEP 683), so
 * `a = 3` allocates nothing and incref/decref on them touch no memory:
 * what `sys.getrefcount(3)` printing 4294967295 shows in the seed notes.
 */
#include "runtime/internal.h"

typedef struct gcb_int {
    gcb_object_t ob;
    int64_t tag;
    int64_t value;
} gcb_int_t;

_Static_assert(sizeof(gcb_int_t) == 32 + GCB_HEADER_EXTRA, "int is 32 bytes as CPython's one-digit int");

static gcb_object_t *small_ints[GCB_SMALL_INT_MAX - GCB_SMALL_INT_MIN + 1];

static size_t int_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_int_t); }

static void int_dealloc(gcb_object_t *o) { gcb__object_free(o); }

const gcb_type_t gcb_int_type = {
    .name = "int",
    .basicsize = sizeof(gcb_int_t),
    .size = int_size,
    .dealloc = int_dealloc,
};

static gcb_object_t *int_alloc(int64_t v)
{
    gcb_int_t *i = (gcb_int_t *)gcb__object_alloc(&gcb_int_type, sizeof(gcb_int_t));
    i->tag = v < 0 ? -1 : 1;
    i->value = v;
    return &i->ob;
}

void gcb__int_init(void)
{
    for (int64_t v = GCB_SMALL_INT_MIN; v <= GCB_SMALL_INT_MAX; v++) {
        gcb_object_t *o = int_alloc(v);
        gcb__make_immortal(o);
        small_ints[v - GCB_SMALL_INT_MIN] = o;
    }
}

gcb_object_t *gcb_int_new(int64_t v)
{
    if ((uint64_t)(v - GCB_SMALL_INT_MIN) <= (uint64_t)(GCB_SMALL_INT_MAX - GCB_SMALL_INT_MIN))
        return small_ints[v - GCB_SMALL_INT_MIN]; /* immortal: no count to take */
    return gcb__object_born(int_alloc(v));
}

int64_t gcb_int_value(const gcb_object_t *o) { return ((const gcb_int_t *)o)->value; }
