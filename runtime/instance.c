/*
 * runtime/instance.c - classes and their instances, laid out as the
 * CPython of -p instance_layout does (runtime/options.h).
 *
 * As in CPython, an instance's type pointer is its class: a class object
 * embeds the gcb_type_t its instances point to.  Every layout but
 * `combined` keeps attribute values out of a dict, in a values array
 * indexed through the class's shared keys (CPython's ht_cached_keys):
 *
 *   layout    blocks per instance             bytes (GC header included)
 *   3.13      1: object with inline values    48 + round8(n) + 8(n + 1)
 *   3.12      2: object + values block        48, and round8(n + 2) + 8n
 *   3.11      2: object + values block        56, and round8(n + 2) + 8n
 *   combined  2-3: object + __dict__ + keys   48, 64, and the keys table
 *                                             once an attribute is set
 *
 * 3.12+ keep the __dict__ and __weakref__ pointers in a 2-word pre-header
 * before the GC header, 3.11 the dict and values pointers there and
 * __weakref__ in the object; here those words are fields after the object
 * header, which changes no byte count.  `n`, the values array's capacity,
 * is fixed at creation: the class's shared keys start with room for 30
 * names (SHARED_KEYS_MAX_SIZE) and every new instance first shrinks that
 * room by one while more than one is left, then takes n = names known +
 * room left; so after about 30 instances a class whose instances set k
 * attributes makes values arrays of k + 1 (CPython 3.11-3.14:
 * init_inline_values / _PyObject_InitInlineValues; gh-128762 shows the 80
 * bytes of a one-attribute 3.13 instance).  A setattr whose name is new
 * to the class takes a free shared slot (room - 1, names + 1); there is
 * always one inside the instance's array, since names + room never grows.
 * With no room left, or a name that is not a string constant, or when the
 * __dict__ is asked for (gcb_instance_dict), the instance gets a real dict
 * ("materialized"): a combined dict of its attributes in their insertion
 * order; 3.11/3.12 free the values block, 3.13's inline array stays in the
 * object, unused.  CPython's materialized dict first shares the keys and
 * values (a split table) and turns combined at its first new key; here it
 * is combined at once (a keys table earlier, on the rare paths only).
 *
 * The values array: slot i holds the value of the class's name i or NULL;
 * the bytes before slot 0 hold capacity ([-1]), the number set ([-2]) and
 * the insertion order ([-3 - j] = slot of the j-th attribute set), as
 * CPython's prefix does, so iteration gives the order a dict would.  In
 * 3.13 the first byte of the inline region repeats the capacity, which is
 * how the object's size is known when it is freed.
 *
 * Invariants: dorv's low bit set <=> values mode; in values mode every
 * non-NULL slot is a heap reference and is listed exactly once in the
 * order bytes; used <= capacity <= 30; class nentries + usable <= 30,
 * non-increasing.  `a.b = b; b.a = a` is a cycle through the two
 * instances alone (combined: through their two dicts as well).
 *
 * Classes are immortal and live until runtime teardown; their shared keys
 * hold only immortal names, so nothing is left to free.  Under mode=ft
 * (the ft core only) a class is instead deferred, as CPython 3.14t's heap
 * types are (runtime/uniqueid.h): a unique id, the DEFERRED bit and a
 * bias in its shared count, so only a collector frees it, and every
 * instance made or freed counts its reference to the class (its type
 * pointer) in the calling thread's per-thread array, not in the class
 * (_Py_INCREF_TYPE in _PyObject_Init, _Py_DECREF_TYPE after subtype_dealloc's
 * free).  Classes a collector did not free are freed at runtime teardown.
 */
#include "runtime/internal.h"
#include "runtime/options.h"

#include <stdio.h>
#include <string.h>

#if GCB_RC_MODE == GCB_RC_BIASED
#include "runtime/uniqueid.h"
#endif

#define SHARED_KEYS_MAX 30   /* CPython's SHARED_KEYS_MAX_SIZE */
#define VALUES_TAG ((uintptr_t)1)

typedef struct gcb_class {
    gcb_object_t ob;
    gcb_type_t tp;        /* what instances' type pointers point to */
    char name[48];
    gcb_instance_layout_t layout;
    int nentries, usable; /* shared keys: names known, room left */
#if GCB_RC_MODE == GCB_RC_BIASED
    uint32_t unique_id;   /* ft: its per-thread refcount index + 1, 0 once disabled (in padding) */
#endif
    gcb_object_t *keys[SHARED_KEYS_MAX];
} gcb_class_t;
#if GCB_RC_MODE == GCB_RC_BIASED
_Static_assert(offsetof(gcb_class_t, keys) == offsetof(gcb_class_t, unique_id) + sizeof(uint32_t),
               "the unique id sits in the padding before keys: a class's bytes are the same in every core");
#endif

typedef struct gcb_instance {
    gcb_object_t ob;
    uintptr_t dorv;         /* the __dict__, or VALUES_TAG | the values' slot 0 */
    gcb_object_t *weaklist; /* always None: weak references are not modelled */
    /* 3.11: one more word (its separate values pointer); 3.13: the inline values */
} gcb_instance_t;

_Static_assert(sizeof(gcb_instance_t) + GCB_GCHEAD_SIZE == 48, "instance is 48 bytes as in CPython");

#define INST(o) ((gcb_instance_t *)(o))
#define CLASS_OF_TYPE(t) ((gcb_class_t *)((char *)(t) - offsetof(gcb_class_t, tp)))
#define CLASS_OF(o) CLASS_OF_TYPE((o)->type)

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Bytes before slot 0: 3.13's order array plus its 8-byte header; 3.11
 * and 3.12's order array plus the capacity and count bytes. */
static size_t values_prefix(gcb_instance_layout_t l, size_t cap)
{
    return l == GCB_LAYOUT_313 ? round8(cap) + 8 : round8(cap + 2);
}

static size_t values_bytes(gcb_instance_layout_t l, size_t cap) { return values_prefix(l, cap) + 8 * cap; }

static inline int has_values(const gcb_object_t *o) { return (INST(o)->dorv & VALUES_TAG) != 0; }
static inline gcb_object_t **slots_of(const gcb_object_t *o) { return (gcb_object_t **)(INST(o)->dorv & ~VALUES_TAG); }
static inline gcb_object_t *dict_of(const gcb_object_t *o) { return (gcb_object_t *)INST(o)->dorv; }
static inline uint8_t *meta(gcb_object_t **slots) { return (uint8_t *)slots; }
static inline size_t capacity_of(gcb_object_t **s) { return meta(s)[-1]; }
static inline size_t used_of(gcb_object_t **s) { return meta(s)[-2]; }
static inline size_t order_at(gcb_object_t **s, size_t j) { return meta(s)[-3 - (ptrdiff_t)j]; }

static size_t class_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_class_t); }

#if GCB_RC_MODE == GCB_RC_BIASED
/* The instance's reference to its class (runtime/uniqueid.h). */
#define TYPE_INCREF(c) gcb__type_incref(&(c)->ob, (c)->unique_id)
#define TYPE_DECREF(c) gcb__type_decref(&(c)->ob, (c)->unique_id)

/* Only after a collector disabled deferral (gcb__deferred_disable): the
 * shared keys hold immortal names only, so nothing else to drop.  A class
 * still DEFERRED here reached 0 by a path the bias should have kept it off
 * (object.h's inline owner path goes to on_zero without runtime/brc.c's
 * check): refused and counted, not freed. */
static void class_dealloc(gcb_object_t *o)
{
    gcb_class_t *c = (gcb_class_t *)o;
    if (gcb__deferred_refuse(o))
        return;
    gcb__deferred_release(o, &c->unique_id);
    gcb__object_free(o);
}

const gcb_type_t gcb_class_type = {
    .name = "type",
    .size = class_size,
    .dealloc = class_dealloc, /* deferred: reached only through a collector */
};
#else
#define TYPE_INCREF(c) ((void)(c))
#define TYPE_DECREF(c) ((void)(c))

const gcb_type_t gcb_class_type = {
    .name = "type",
    .size = class_size,
    .dealloc = NULL, /* immortal */
};
#endif

/* 3.13: the object's size from the capacity byte at the start of its
 * inline region (the other layouts have a fixed basicsize). */
static size_t instance_size(const gcb_object_t *o)
{
    const uint8_t *region = (const uint8_t *)o + sizeof(gcb_instance_t);
    return sizeof(gcb_instance_t) + values_bytes(GCB_LAYOUT_313, region[0]);
}

static void instance_traverse(gcb_object_t *o, gcb_visit_fn visit, void *arg)
{
    if (!has_values(o)) {
        visit(dict_of(o), arg);
        return;
    }
    gcb_object_t **s = slots_of(o);
    for (size_t i = 0, n = capacity_of(s); i < n; i++)
        if (s[i])
            visit(s[i], arg);
}

/* Empty the values (the instance stays in values mode) and release them
 * afterwards: a release may run deallocation that looks at this instance,
 * which must then be valid. */
static void values_clear(gcb_object_t *o)
{
    gcb_object_t **s = slots_of(o), *held[SHARED_KEYS_MAX];
    size_t n = 0;
    for (size_t i = 0, cap = capacity_of(s); i < cap; i++)
        if (s[i]) {
            held[n++] = s[i];
            s[i] = NULL;
        }
    meta(s)[-2] = 0;
    for (size_t i = 0; i < n; i++)
        gcb__heap_release(held[i]);
}

/* 3.11/3.12's separate values block goes back to the allocator. */
static void values_block_free(gcb_object_t *o, gcb_object_t **s)
{
    gcb_instance_layout_t l = CLASS_OF(o)->layout;
    if (l == GCB_LAYOUT_312 || l == GCB_LAYOUT_311) {
        size_t cap = capacity_of(s);
        gcb__mem_free_inline((char *)s - values_prefix(l, cap), values_bytes(l, cap));
    }
}

static void instance_clear(gcb_object_t *o)
{
    if (has_values(o)) {
        values_clear(o);
        return;
    }
    gcb_object_t *d = dict_of(o);
    INST(o)->dorv = (uintptr_t)gcb_None;
    gcb__heap_release(d);
}

static void instance_dealloc(gcb_object_t *o)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb_class_t *c = CLASS_OF(o);
#endif
    if (has_values(o)) {
        values_clear(o);
        values_block_free(o, slots_of(o));
    } else {
        gcb__heap_release(dict_of(o));
    }
    gcb__object_free(o);
#if GCB_RC_MODE == GCB_RC_BIASED
    TYPE_DECREF(c); /* after the free, as subtype_dealloc: the class may go next */
#endif
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
    c->layout = gcb_runtime_options()->instance_layout;
    c->nentries = 0;
    c->usable = SHARED_KEYS_MAX;
    memset(c->keys, 0, sizeof c->keys);
    if (c->layout == GCB_LAYOUT_311)
        c->tp.basicsize = sizeof(gcb_instance_t) + sizeof(void *);
    else if (c->layout == GCB_LAYOUT_313)
        c->tp.basicsize = 0; /* variable: instance_size */
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb__deferred_enable(&c->ob, &c->unique_id); /* _PyObject_AssignUniqueId: id, DEFERRED, the bias */
#else
    gcb__make_immortal(&c->ob);
#endif
    return &c->ob;
}

const char *gcb_class_name(const gcb_object_t *cls) { return ((const gcb_class_t *)cls)->name; }

bool gcb_is_instance(const gcb_object_t *o) { return o->type->dealloc == instance_dealloc; }

/* A values-mode instance: shrink the class's room by one (CPython's
 * right-sizing), take capacity = names + room, lay out the values. */
static gcb_object_t *instance_with_values(gcb_class_t *c)
{
    if (c->usable > 1)
        c->usable--;
    size_t cap = (size_t)(c->nentries + c->usable), pre = values_prefix(c->layout, cap);
    gcb_instance_t *i;
    uint8_t *region;
    if (c->layout == GCB_LAYOUT_313) {
        i = (gcb_instance_t *)gcb__object_alloc(&c->tp, sizeof(gcb_instance_t) + values_bytes(c->layout, cap));
        region = (uint8_t *)(i + 1);
    } else {
        i = (gcb_instance_t *)gcb__object_alloc(&c->tp, c->tp.basicsize);
        region = gcb__mem_alloc_inline(values_bytes(c->layout, cap));
    }
    memset(region, 0, pre);
    region[0] = (uint8_t)cap;
    gcb_object_t **s = (gcb_object_t **)(region + pre);
    memset(s, 0, cap * sizeof *s);
    meta(s)[-1] = (uint8_t)cap;
    i->dorv = (uintptr_t)s | VALUES_TAG;
    i->weaklist = gcb_None;
    TYPE_INCREF(c);
    return gcb__object_born(&i->ob);
}

gcb_object_t *gcb_instance_new(gcb_object_t *cls)
{
    gcb_class_t *c = (gcb_class_t *)cls;
    if (c->layout != GCB_LAYOUT_COMBINED)
        return instance_with_values(c);
    gcb_object_t *d = gcb_dict_new();
    gcb_instance_t *i = (gcb_instance_t *)gcb__object_alloc(&c->tp, sizeof(gcb_instance_t));
    gcb__heap_acquire(d);
    i->dorv = (uintptr_t)d;
    i->weaklist = gcb_None;
    TYPE_INCREF(c);
    return gcb__object_born(&i->ob);
}

gcb_object_t *gcb_instance_class(const gcb_object_t *o) { return &CLASS_OF(o)->ob; }

/* The values move into a new combined dict, in insertion order; the
 * instance points to the dict from now on. */
static void materialize(gcb_object_t *o)
{
    gcb_class_t *c = CLASS_OF(o);
    gcb_object_t **s = slots_of(o), *d = gcb_dict_new();
    for (size_t j = 0, n = used_of(s); j < n; j++) {
        size_t ix = order_at(s, j);
        gcb_dict_set(d, gcb_newref(c->keys[ix]), gcb_newref(s[ix]));
    }
    gcb__heap_acquire(d);
    gcb__barrier(o, NULL, d);
    uintptr_t old = INST(o)->dorv;
    INST(o)->dorv = (uintptr_t)d;
    /* the dict holds the values now: drop the slots' references */
    for (size_t i = 0, cap = capacity_of(s); i < cap; i++)
        if (s[i]) {
            gcb_object_t *v = s[i];
            s[i] = NULL;
            gcb__heap_release(v);
        }
    meta(s)[-2] = 0;
    (void)old;
    values_block_free(o, s);
}

gcb_object_t *gcb_instance_dict(gcb_object_t *o)
{
    if (has_values(o))
        materialize(o);
    return dict_of(o);
}

static int key_index(const gcb_class_t *c, gcb_object_t *name)
{
    for (int i = 0; i < c->nentries; i++)
        if (c->keys[i] == name || gcb_equal(c->keys[i], name))
            return i;
    return -1;
}

void gcb_setattr(gcb_object_t *o, gcb_object_t *name, gcb_object_t *value)
{
    if (has_values(o)) {
        gcb_class_t *c = CLASS_OF(o);
        int ix = key_index(c, name);
        if (ix < 0 && c->usable > 0 && name->type == &gcb_str_type && gcb_is_immortal(name)) {
            ix = c->nentries++;
            c->usable--;
            c->keys[ix] = name;
        }
        if (ix >= 0) {
            gcb_object_t **s = slots_of(o);
            if (s[ix]) {
                gcb__slot_store(o, &s[ix], value);
                return;
            }
            gcb__heap_acquire(value);
            gcb__barrier(o, NULL, value);
            s[ix] = value;
            size_t used = used_of(s);
            meta(s)[-3 - (ptrdiff_t)used] = (uint8_t)ix;
            meta(s)[-2] = (uint8_t)(used + 1);
            return;
        }
        materialize(o);
    }
    gcb_dict_set(dict_of(o), gcb_newref(name), value);
}

gcb_object_t *gcb_getattr(gcb_object_t *o, gcb_object_t *name)
{
    if (!has_values(o))
        return gcb_dict_get(dict_of(o), name);
    int ix = key_index(CLASS_OF(o), name);
    return ix >= 0 ? slots_of(o)[ix] : NULL;
}

size_t gcb_instance_len(const gcb_object_t *o)
{
    return has_values(o) ? used_of(slots_of(o)) : gcb_dict_len(dict_of(o));
}

bool gcb_instance_next(gcb_object_t *o, size_t *pos, gcb_object_t **key, gcb_object_t **value)
{
    if (!has_values(o))
        return gcb_dict_next(dict_of(o), pos, key, value);
    gcb_object_t **s = slots_of(o);
    if (*pos >= used_of(s))
        return false;
    size_t ix = order_at(s, (*pos)++);
    *key = CLASS_OF(o)->keys[ix];
    *value = s[ix];
    return true;
}

size_t gcb_instance_objects(const gcb_object_t *o) { return has_values(o) ? 1 : 2; }

size_t gcb_instance_values_capacity(const gcb_object_t *o)
{
    return has_values(o) ? capacity_of(slots_of(o)) : 0;
}
