/*
 * runtime/instance.c - classes and their instances.
 *
 * As in CPython, an instance's type pointer is its class: a class object
 * embeds the gcb_type_t its instances point to.  An instance holds a
 * __dict__ pointer and a __weakref__ slot (48 bytes with the GC header,
 * what sys.getsizeof gives for a plain class instance), and its __dict__ is
 * a separate dict created with the instance.  CPython 3.11+ keeps
 * attribute values inline until the __dict__ is asked for; this model
 * keeps the pre-3.11 shape, where `a.b = b; b.a = a` makes a cycle through
 * two instances and two dicts, as the seed notes' A/B example does.
 *
 * Classes are immortal and live until runtime teardown.
 */
#include "runtime/internal.h"

#include <stdio.h>
#include <string.h>

typedef struct gcb_class {
    gcb_object_t ob;
    gcb_type_t tp;        /* what instances' type pointers point to */
    char name[48];
} gcb_class_t;

typedef struct gcb_instance {
    gcb_object_t ob;
    gcb_object_t *dict;
    gcb_object_t *weaklist; /* always None: weak references are not modelled */
} gcb_instance_t;

_Static_assert(sizeof(gcb_instance_t) + GCB_GCHEAD_SIZE == 48, "instance is 48 bytes as in CPython");

#define INST(o) ((gcb_instance_t *)(o))
#define CLASS_OF_TYPE(t) ((gcb_class_t *)((char *)(t) - offsetof(gcb_class_t, tp)))

static size_t class_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_class_t); }

const gcb_type_t gcb_class_type = {
    .name = "type",
    .size = class_size,
    .dealloc = NULL, /* immortal */
};

static size_t instance_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_instance_t); }

static void instance_traverse(gcb_object_t *o, gcb_visit_fn visit, void *arg)
{
    visit(INST(o)->dict, arg);
}

static void instance_clear(gcb_object_t *o)
{
    gcb_object_t *d = INST(o)->dict;
    INST(o)->dict = gcb_None;
    gcb__heap_release(d);
}

static void instance_dealloc(gcb_object_t *o)
{
    gcb__heap_release(INST(o)->dict);
    gcb__object_free(o);
}

/* The template every class copies into its embedded type. */
const gcb_type_t gcb_instance_type = {
    .name = "object",
    .flags = GCB_TYPE_GC,
    .basicsize = sizeof(gcb_instance_t),
    .size = instance_size,
    .traverse = instance_traverse,
    .clear = instance_clear,
    .dealloc = instance_dealloc,
};

gcb_object_t *gcb_class_new(const char *name)
{
    gcb_class_t *c = (gcb_class_t *)gcb__object_alloc(&gcb_class_type, sizeof(gcb_class_t));
    c->tp = gcb_instance_type;
    snprintf(c->name, sizeof c->name, "%s", name);
    c->tp.name = c->name;
    gcb__make_immortal(&c->ob);
    return &c->ob;
}

const char *gcb_class_name(const gcb_object_t *cls) { return ((const gcb_class_t *)cls)->name; }

bool gcb_is_instance(const gcb_object_t *o) { return o->type->dealloc == instance_dealloc; }

gcb_object_t *gcb_instance_new(gcb_object_t *cls)
{
    gcb_class_t *c = (gcb_class_t *)cls;
    gcb_object_t *d = gcb_dict_new();
    gcb_instance_t *i = (gcb_instance_t *)gcb__object_alloc(&c->tp, sizeof(gcb_instance_t));
    gcb__heap_acquire(d);
    i->dict = d;
    i->weaklist = gcb_None;
    return gcb__object_born(&i->ob);
}

gcb_object_t *gcb_instance_class(const gcb_object_t *o) { return &CLASS_OF_TYPE(o->type)->ob; }

gcb_object_t *gcb_instance_dict(gcb_object_t *o) { return INST(o)->dict; }

void gcb_setattr(gcb_object_t *o, gcb_object_t *name, gcb_object_t *value)
{
    gcb_dict_set(INST(o)->dict, gcb_newref(name), value);
}

gcb_object_t *gcb_getattr(gcb_object_t *o, gcb_object_t *name)
{
    return gcb_dict_get(INST(o)->dict, name);
}
