/*
 * runtime/runtime.h - the Python-like object model workloads program
 * against: int, float, str, tuple, list, dict, class instances, frames.
 *
 * Reference conventions (see runtime/object.h for why):
 *   - every constructor and every function documented "-> new" returns a
 *     stack reference the caller must store (gcb_local_set, a container
 *     setter) or give up (gcb_release);
 *   - container setters consume the stack reference they are given;
 *   - getters return borrowed pointers, valid until the next safepoint or
 *     the next mutation of the container, whichever is first.
 *
 * One runtime per process: a benchmark cell is one process, so the state is
 * global and the hot path needs no context argument.
 *
 * This header is all a workload sees: nothing of the allocator or the
 * collection policy behind the runtime.  Whoever hosts the runtime (the
 * harness's cell, a test) brings it up over an allocator and a policy
 * with runtime/host.h.
 */
#ifndef GCB_RUNTIME_H
#define GCB_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/object.h"

/* --- gc.collect() (runtime/runtime.c) ------------------------------ */

/* The policy's full collection, when it has one (pure refcounting has
 * none: then nothing happens).  Call it only where gcb_safepoint() would
 * be legal: every live object reachable from a frame local. */
void gcb_gc_collect(void);

/* --- blocking calls (runtime/threads.c) ----------------------------- */

/* Around a wait that may block (a full or empty queue, a barrier): the
 * thread gives up the GIL under mode=gil and is DETACHED meanwhile.
 * Between the two it must touch no object; everything it needs later is
 * reachable from its frames, as at a safepoint.  No-ops on a thread that
 * is not a registered mutator (mode=default). */
void gcb_blocking_begin(void);
void gcb_blocking_end(void);

/* --- raw memory for objects and their buffers (runtime/memory.c) ---- */

void *gcb_mem_alloc(size_t size);
void  gcb_mem_free(void *p, size_t size);
void *gcb_mem_realloc(void *p, size_t old_size, size_t new_size);

/* Allocate an object of `size` bytes (header included, GC header not) and
 * fill its header; count it. */
gcb_object_t *gcb__object_alloc(const gcb_type_t *type, size_t size);
/* Return an object's memory: calls the policy's on_free, counts it. */
void gcb__object_free(gcb_object_t *o);
/* Make a freshly allocated object immortal (moves it from live to
 * immortal counters). */
void gcb__make_immortal(gcb_object_t *o);

/* QSBR's counters for the run (runtime/shared.c, runtime/qsbr.h): the
 * delayed frees of shared containers; all 0 in the default core. */
struct gcb_qsbr_stats;
void gcb_runtime_qsbr_stats(struct gcb_qsbr_stats *out);

/* --- None ------------------------------------------------------------- */
extern gcb_object_t *gcb__none;
#define gcb_None gcb__none

/* --- int (runtime/int.c): small ints -5..256 are immortal singletons -- */
#define GCB_SMALL_INT_MIN (-5)
#define GCB_SMALL_INT_MAX 256
extern const gcb_type_t gcb_int_type;
gcb_object_t *gcb_int_new(int64_t v);                  /* -> new */
int64_t gcb_int_value(const gcb_object_t *o);
static inline bool gcb_is_int(const gcb_object_t *o) { return o->type == &gcb_int_type; }

/* --- float (runtime/float.c) ----------------------------------------- */
extern const gcb_type_t gcb_float_type;
gcb_object_t *gcb_float_new(double v);                 /* -> new */
double gcb_float_value(const gcb_object_t *o);

/* --- str (runtime/str.c) --------------------------------------------- */
extern const gcb_type_t gcb_str_type;
gcb_object_t *gcb_str_new(const char *s, size_t len);  /* -> new */
gcb_object_t *gcb_str_concat(gcb_object_t *a, gcb_object_t *b); /* -> new */
gcb_object_t *gcb_str_slice(gcb_object_t *s, int64_t lo, int64_t hi); /* -> new, clamped as Python */
/* sys.intern: consumes `s`, returns the canonical string (-> new).  The
 * intern table does not count its references (CPython 3.13): a string
 * leaves the table when it dies. */
gcb_object_t *gcb_str_intern(gcb_object_t *s);
/* A code-object constant: interned and immortal (CPython 3.12+ statics).
 * Borrowed; lives until runtime teardown. */
gcb_object_t *gcb_str_const(const char *s);
size_t gcb_str_len(const gcb_object_t *o);
const char *gcb_str_data(const gcb_object_t *o);
uint64_t gcb_str_hash(gcb_object_t *o);
bool gcb_str_is_interned(const gcb_object_t *o);
size_t gcb_interned_count(void);

/* --- tuple (runtime/tuple.c) ----------------------------------------- */
extern const gcb_type_t gcb_tuple_type;
gcb_object_t *gcb_tuple_new(size_t n);                 /* -> new, items None */
/* Fill item i during construction (consumes ref). */
void gcb_tuple_init(gcb_object_t *t, size_t i, gcb_object_t *ref);
gcb_object_t *gcb_tuple_get(gcb_object_t *t, size_t i);/* borrowed */
size_t gcb_tuple_len(const gcb_object_t *t);

/* --- list (runtime/list.c): CPython's over-allocating growth ---------- */
extern const gcb_type_t gcb_list_type;
gcb_object_t *gcb_list_new(size_t n);                  /* -> new, n items of None */
void gcb_list_append(gcb_object_t *l, gcb_object_t *ref);
/* The interpreter's own heap (runtime/interp_heap.c, -p interp_heap=N):
 * append n tracked lists to root, a list the caller keeps reachable. */
void gcb_interp_heap_fill(gcb_object_t *root, uint64_t n);
void gcb_list_set(gcb_object_t *l, size_t i, gcb_object_t *ref);
gcb_object_t *gcb_list_get(gcb_object_t *l, size_t i); /* borrowed */
gcb_object_t *gcb_list_pop(gcb_object_t *l);           /* -> new (the removed last item) */
size_t gcb_list_len(const gcb_object_t *l);
size_t gcb_list_allocated(const gcb_object_t *l);      /* capacity, for growth tests */
gcb_object_t *gcb_list_slice(gcb_object_t *l, int64_t lo, int64_t hi); /* -> new: l[lo:hi] */
void gcb_list_clear(gcb_object_t *l);
/* l[i] as a new (stack) reference, NULL when i >= len: the getter for a
 * list other threads may write (ft/atomic: lock-free, try-incref and
 * retry, CPython's list_get_item_ref; runtime/shared.h).  Borrowed getters
 * are unsafe on such lists (PEP 703, "Borrowed References"). */
gcb_object_t *gcb_list_get_ref(gcb_object_t *l, size_t i);

/* --- dict (runtime/dict.c): open addressing, compact entries --------- */
extern const gcb_type_t gcb_dict_type;
gcb_object_t *gcb_dict_new(void);                      /* -> new */
/* d[key] = value; consumes both references. */
void gcb_dict_set(gcb_object_t *d, gcb_object_t *key, gcb_object_t *value);
gcb_object_t *gcb_dict_get(gcb_object_t *d, gcb_object_t *key); /* borrowed or NULL */
/* del d[key]; false if absent. */
bool gcb_dict_del(gcb_object_t *d, gcb_object_t *key);
size_t gcb_dict_len(const gcb_object_t *d);
size_t gcb_dict_capacity(const gcb_object_t *d);       /* index slots, for resize tests */
/* Iterate in insertion order: start with *pos = 0; borrowed key/value. */
bool gcb_dict_next(gcb_object_t *d, size_t *pos, gcb_object_t **key, gcb_object_t **value);
void gcb_dict_clear(gcb_object_t *d);
/* d[key] as a new (stack) reference, or NULL: the getter for a dict other
 * threads may write (as gcb_list_get_ref; CPython's
 * _PyDict_GetItemRef_KnownHash_LockHeld's lock-free twin). */
gcb_object_t *gcb_dict_get_ref(gcb_object_t *d, gcb_object_t *key);

/* Key protocol shared by dict and the intern table: hashable types are
 * int, float, str and None; anything else hashes by identity. */
uint64_t gcb_hash(gcb_object_t *o);
bool gcb_equal(gcb_object_t *a, gcb_object_t *b);

/* --- classes and instances (runtime/instance.c) ---------------------- */
extern const gcb_type_t gcb_class_type;
extern const gcb_type_t gcb_instance_type;
/* A class object: immortal, lives until runtime teardown. */
gcb_object_t *gcb_class_new(const char *name);
const char *gcb_class_name(const gcb_object_t *cls);
gcb_object_t *gcb_instance_new(gcb_object_t *cls);     /* -> new, with an empty __dict__ */
gcb_object_t *gcb_instance_class(const gcb_object_t *o);
bool gcb_is_instance(const gcb_object_t *o);
/* The borrowed __dict__.  Outside the combined layout, asking for it
 * gives the instance a real dict from now on (CPython materializes it). */
gcb_object_t *gcb_instance_dict(gcb_object_t *o);
/* Attributes in insertion order, as its __dict__ would list them, without
 * materializing it: start with *pos = 0; borrowed key/value. */
size_t gcb_instance_len(const gcb_object_t *o);
bool gcb_instance_next(gcb_object_t *o, size_t *pos, gcb_object_t **key, gcb_object_t **value);
/* Objects the instance is made of: 1, or 2 with a __dict__ (the values
 * array of the 3.11+ layouts is no object).  What a workload counts as
 * garbage when the instance dies in a cycle. */
size_t gcb_instance_objects(const gcb_object_t *o);
/* Slots of the values array (3.11+ layouts; 0 once it has a dict). */
size_t gcb_instance_values_capacity(const gcb_object_t *o);
/* obj.name = value: consumes value; `name` is borrowed (a constant). */
void gcb_setattr(gcb_object_t *o, gcb_object_t *name, gcb_object_t *value);
gcb_object_t *gcb_getattr(gcb_object_t *o, gcb_object_t *name); /* borrowed or NULL */

#endif
