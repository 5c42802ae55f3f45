/*
 * runtime/float.c - boxed floats: header plus a double, 24 bytes as in
 * CPython.  No cache (CPython 3.12 keeps a free list of 100 floats; the
 * allocator under test is what this suite measures, so none here).
 */
#include "runtime/internal.h"

typedef struct gcb_float {
    gcb_object_t ob;
    double value;
} gcb_float_t;

_Static_assert(sizeof(gcb_float_t) == 24 + GCB_HEADER_EXTRA, "float is 24 bytes as in CPython");

static size_t float_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_float_t); }

static void float_dealloc(gcb_object_t *o) { gcb__object_free(o); }

const gcb_type_t gcb_float_type = {
    .name = "float",
    .basicsize = sizeof(gcb_float_t),
    .size = float_size,
    .dealloc = float_dealloc,
};

gcb_object_t *gcb_float_new(double v)
{
    gcb_float_t *f = (gcb_float_t *)gcb__object_alloc(&gcb_float_type, sizeof(gcb_float_t));
    f->value = v;
    return gcb__object_born(&f->ob);
}

double gcb_float_value(const gcb_object_t *o) { return ((const gcb_float_t *)o)->value; }
