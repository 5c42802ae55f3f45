/*
 * runtime/dict.c - dicts: CPython's compact layout.
 *
 * A dict object (64 bytes with the GC header) points to a keys table: a
 * small header, a sparse index array and a dense entry array in insertion
 * order.  The index width grows with the table (1 byte up to 128 slots, 2
 * up to 2^15, 4 beyond), as in CPython, so table sizes in bytes follow
 * CPython's.  A table of `size` slots holds at most usable = 2*size/3
 * entries; when they are used up the table is rebuilt at the smallest power
 * of two >= 3*used (GROWTH_RATE), which also drops deleted entries.
 * Probing follows CPython's perturbed sequence i = 5i + 1 + perturb.
 *
 * An empty dict has no table (CPython shares one empty keys object).
 *
 * Invariants: used <= nentries <= usable_at_build; index slots hold EMPTY,
 * DUMMY or an entry number < nentries; a live entry has non-NULL key and
 * value (heap references); deleted entries have NULL key and value.
 */
#include "runtime/internal.h"

#include <math.h>
#include <string.h>

#include "runtime/shared.h"

#define DICT_MINSIZE 8
#define IX_EMPTY (-1)
#define IX_DUMMY (-2)

typedef struct dict_entry {
    uint64_t hash;
    gcb_object_t *key;
    gcb_object_t *value;
} dict_entry_t;

typedef struct dict_keys {
    uint8_t log2_size;
    uint8_t log2_index_bytes;
    uint8_t pad[6];
    int64_t usable;    /* entries that can still be appended */
    int64_t nentries;  /* entries appended so far (live + deleted) */
    int64_t reserved;
    char indices[];    /* then the entries */
} dict_keys_t;

_Static_assert(sizeof(dict_keys_t) == 32, "keys header is 32 bytes");

typedef struct gcb_dict {
    gcb_object_t ob;
    int64_t used;
    uint64_t version;
    dict_keys_t *keys;
    void *values;      /* split tables are not modelled: always NULL */
} gcb_dict_t;

_Static_assert(sizeof(gcb_dict_t) + GCB_GCHEAD_SIZE == 64, "dict is 64 bytes as in CPython");

#define DICT(o) ((gcb_dict_t *)(o))

static inline size_t dk_size(const dict_keys_t *k) { return (size_t)1 << k->log2_size; }
static inline size_t usable_of(size_t size) { return (size * 2) / 3; }
static inline dict_entry_t *dk_entries(dict_keys_t *k)
{
    return (dict_entry_t *)(k->indices + ((size_t)1 << k->log2_index_bytes));
}

static size_t keys_bytes_for(unsigned log2_size)
{
    size_t size = (size_t)1 << log2_size;
    unsigned width = log2_size <= 7 ? 0 : log2_size <= 15 ? 1 : 2; /* log2 of bytes per index */
    return sizeof(dict_keys_t) + (size << width) + usable_of(size) * sizeof(dict_entry_t);
}

static inline int64_t get_index(const dict_keys_t *k, size_t i)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: return ((const int8_t *)k->indices)[i];
    case 1: return ((const int16_t *)k->indices)[i];
    default: return ((const int32_t *)k->indices)[i];
    }
}

#if !GCB_THREADED
static inline void set_index(dict_keys_t *k, size_t i, int64_t ix)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: ((int8_t *)k->indices)[i] = (int8_t)ix; break;
    case 1: ((int16_t *)k->indices)[i] = (int16_t)ix; break;
    default: ((int32_t *)k->indices)[i] = (int32_t)ix; break;
    }
}
#else
/* release: a lock-free reader that loads the slot sees the entry it names */
static inline void set_index(dict_keys_t *k, size_t i, int64_t ix)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: __atomic_store_n(&((int8_t *)k->indices)[i], (int8_t)ix, __ATOMIC_RELEASE); break;
    case 1: __atomic_store_n(&((int16_t *)k->indices)[i], (int16_t)ix, __ATOMIC_RELEASE); break;
    default: __atomic_store_n(&((int32_t *)k->indices)[i], (int32_t)ix, __ATOMIC_RELEASE); break;
    }
}
#endif

static dict_keys_t *keys_new(unsigned log2_size)
{
    dict_keys_t *k = NULL;
    if (gcb__freelists_on && log2_size == 3)
        k = gcb__freelist_take_keys(keys_bytes_for(3));
    if (!k)
        k = gcb__mem_alloc_inline(keys_bytes_for(log2_size));
    unsigned width = log2_size <= 7 ? 0 : log2_size <= 15 ? 1 : 2;
    k->log2_size = (uint8_t)log2_size;
    k->log2_index_bytes = (uint8_t)(log2_size + width);
    memset(k->pad, 0, sizeof k->pad);
    k->usable = (int64_t)usable_of((size_t)1 << log2_size);
    k->nentries = 0;
    k->reserved = 0;
    memset(k->indices, 0xff, (size_t)1 << k->log2_index_bytes); /* all IX_EMPTY */
    return k;
}

static void keys_free(dict_keys_t *k)
{
    if (!k)
        return;
    if (gcb__freelists_on && k->log2_size == 3 && gcb__freelist_put_keys(k, keys_bytes_for(3)))
        return;
    gcb__mem_free_inline(k, keys_bytes_for(k->log2_size));
}

/* --- hashing and equality (also used by the intern table's callers) --- */

uint64_t gcb_hash(gcb_object_t *o)
{
    if (o->type == &gcb_str_type)
        return gcb_str_hash(o);
    if (o->type == &gcb_int_type) {
        uint64_t v = (uint64_t)gcb_int_value(o);
        return v * 0x9e3779b97f4a7c15ull ^ (v >> 29);
    }
    if (o->type == &gcb_float_type) {
        double d = gcb_float_value(o);
        if (d == floor(d) && fabs(d) < 9.2e18) { /* equal numbers hash equal: 1.0 == 1 */
            uint64_t v = (uint64_t)(int64_t)d;
            return v * 0x9e3779b97f4a7c15ull ^ (v >> 29);
        }
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return bits * 0xff51afd7ed558ccdull;
    }
    /* identity hash, as object.__hash__ (pointer rotated by 4) */
    uintptr_t p = (uintptr_t)o;
    return (uint64_t)((p >> 4) | (p << 60)) * 0xc4ceb9fe1a85ec53ull;
}

static inline bool is_number(const gcb_object_t *o)
{
    return o->type == &gcb_int_type || o->type == &gcb_float_type;
}

bool gcb_equal(gcb_object_t *a, gcb_object_t *b)
{
    if (a == b)
        return true;
    if (a->type == &gcb_str_type && b->type == &gcb_str_type)
        return gcb_str_len(a) == gcb_str_len(b) && gcb_str_hash(a) == gcb_str_hash(b) &&
               memcmp(gcb_str_data(a), gcb_str_data(b), gcb_str_len(a)) == 0;
    if (a->type == &gcb_int_type && b->type == &gcb_int_type)
        return gcb_int_value(a) == gcb_int_value(b);
    if (is_number(a) && is_number(b)) {
        double x = a->type == &gcb_int_type ? (double)gcb_int_value(a) : gcb_float_value(a);
        double y = b->type == &gcb_int_type ? (double)gcb_int_value(b) : gcb_float_value(b);
        return x == y;
    }
    return false;
}

/* Index slot for `key`: on return *ix is the entry number or IX_EMPTY.
 * The slot returned when absent is the first EMPTY one of the probe
 * sequence (DUMMY slots are not reused, as CPython's insertdict). */
static size_t lookup(dict_keys_t *k, gcb_object_t *key, uint64_t hash, int64_t *ix)
{
    size_t mask = dk_size(k) - 1, i = hash & mask;
    uint64_t perturb = hash;
    dict_entry_t *ep = dk_entries(k);
    for (;;) {
        int64_t x = get_index(k, i);
        if (x == IX_EMPTY) {
            *ix = IX_EMPTY;
            return i;
        }
        if (x >= 0) {
            dict_entry_t *e = &ep[x];
            if (e->key == key || (e->hash == hash && gcb_equal(e->key, key))) {
                *ix = x;
                return i;
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

static void dict_resize(gcb_dict_t *d, size_t minsize)
{
    unsigned log2 = 3;
    while (((size_t)1 << log2) < minsize)
        log2++;
    dict_keys_t *old = d->keys;
    dict_keys_t *k = keys_new(log2);
    dict_entry_t *dst = dk_entries(k);
    size_t mask = dk_size(k) - 1;
    int64_t n = 0;
    if (old) {
        dict_entry_t *src = dk_entries(old);
        for (int64_t j = 0; j < old->nentries; j++) {
            if (!src[j].key)
                continue;
            dst[n] = src[j];
            size_t i = src[j].hash & mask;
            uint64_t perturb = src[j].hash;
            while (get_index(k, i) != IX_EMPTY) {
                perturb >>= 5;
                i = (i * 5 + perturb + 1) & mask;
            }
            set_index(k, i, n);
            n++;
        }
    }
    k->nentries = n;
    k->usable -= n;
#if GCB_THREADED
    /* under the lock; a SHARED dict's old table may be under a reader */
    __atomic_store_n(&d->keys, k, __ATOMIC_RELEASE);
    if (old && gcb__ob_is_shared(&d->ob))
        gcb__shared_free_deferred(old, keys_bytes_for(old->log2_size));
    else
        keys_free(old);
#else
    d->keys = k;
    keys_free(old);
#endif
}

/* --- the type ------------------------------------------------------------ */

static size_t dict_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_dict_t); }

static void dict_traverse(gcb_object_t *o, gcb_visit_fn visit, void *arg)
{
    dict_keys_t *k = DICT(o)->keys;
    if (!k)
        return;
    dict_entry_t *ep = dk_entries(k);
    for (int64_t j = 0; j < k->nentries; j++)
        if (ep[j].key) {
            visit(ep[j].key, arg);
            visit(ep[j].value, arg);
        }
}

/* Detach the table first, then release: releases may run deallocation
 * that looks at this dict, which must then be a valid empty dict. */
static void dict_clear_impl(gcb_object_t *o)
{
    gcb_dict_t *d = DICT(o);
    dict_keys_t *k = d->keys;
    d->keys = NULL;
    d->used = 0;
    d->version++;
    if (!k)
        return;
    dict_entry_t *ep = dk_entries(k);
    for (int64_t j = 0; j < k->nentries; j++)
        if (ep[j].key) {
            gcb__heap_release(ep[j].key);
            gcb__heap_release(ep[j].value);
        }
    keys_free(k);
}

static void dict_dealloc(gcb_object_t *o)
{
    dict_clear_impl(o);
    gcb__object_free(o);
}

const gcb_type_t gcb_dict_type = {
    .name = "dict",
    .flags = GCB_TYPE_GC | GCB_TYPE_DICT,
    .basicsize = sizeof(gcb_dict_t),
    .size = dict_size,
    .traverse = dict_traverse,
    .clear = dict_clear_impl,
    .dealloc = dict_dealloc,
};

gcb_object_t *gcb_dict_new(void)
{
    gcb_dict_t *d = (gcb_dict_t *)gcb__object_alloc(&gcb_dict_type, sizeof(gcb_dict_t));
    d->used = 0;
    d->version = 0;
    d->keys = NULL;
    d->values = NULL;
#if GCB_THREADED
    gcb__ob_share_init(&d->ob);
#endif
    return gcb__object_born(&d->ob);
}

#if !GCB_THREADED
void gcb_dict_set(gcb_object_t *o, gcb_object_t *key, gcb_object_t *value)
{
    gcb_dict_t *d = DICT(o);
    uint64_t hash = gcb_hash(key);
    int64_t ix = IX_EMPTY;
    size_t slot = 0;
    if (d->keys)
        slot = lookup(d->keys, key, hash, &ix);
    d->version++;
    if (ix >= 0) {
        gcb__slot_store(o, &dk_entries(d->keys)[ix].value, value);
        gcb_release(key);          /* the key already present keeps its place */
        return;
    }
    if (!d->keys || d->keys->usable <= 0) {
        dict_resize(d, (size_t)(d->used * 3 > DICT_MINSIZE ? d->used * 3 : DICT_MINSIZE));
        slot = lookup(d->keys, key, hash, &ix);
    }
    dict_keys_t *k = d->keys;
    dict_entry_t *e = &dk_entries(k)[k->nentries];
    gcb__heap_acquire(key);
    gcb__heap_acquire(value);
    gcb__barrier(o, NULL, key);
    gcb__barrier(o, NULL, value);
    e->hash = hash;
    e->key = key;
    e->value = value;
    set_index(k, slot, k->nentries);
    k->nentries++;
    k->usable--;
    d->used++;
}

#endif

gcb_object_t *gcb_dict_get(gcb_object_t *o, gcb_object_t *key)
{
    gcb_dict_t *d = DICT(o);
    if (!d->keys)
        return NULL;
    int64_t ix;
    lookup(d->keys, key, gcb_hash(key), &ix);
    return ix >= 0 ? dk_entries(d->keys)[ix].value : NULL;
}

#if !GCB_THREADED
bool gcb_dict_del(gcb_object_t *o, gcb_object_t *key)
{
    gcb_dict_t *d = DICT(o);
    if (!d->keys)
        return false;
    int64_t ix;
    size_t slot = lookup(d->keys, key, gcb_hash(key), &ix);
    if (ix < 0)
        return false;
    dict_entry_t *e = &dk_entries(d->keys)[ix];
    gcb_object_t *k = e->key, *v = e->value;
    gcb__barrier(o, v, NULL);
    set_index(d->keys, slot, IX_DUMMY);
    e->key = e->value = NULL;
    d->used--;
    d->version++;
    gcb__heap_release(k);
    gcb__heap_release(v);
    return true;
}

#endif

size_t gcb_dict_len(const gcb_object_t *o) { return (size_t)DICT(o)->used; }

size_t gcb_dict_capacity(const gcb_object_t *o)
{
    const dict_keys_t *k = DICT(o)->keys;
    return k ? dk_size(k) : 0;
}

bool gcb_dict_next(gcb_object_t *o, size_t *pos, gcb_object_t **key, gcb_object_t **value)
{
    dict_keys_t *k = DICT(o)->keys;
    if (!k)
        return false;
    dict_entry_t *ep = dk_entries(k);
    while (*pos < (size_t)k->nentries) {
        dict_entry_t *e = &ep[(*pos)++];
        if (e->key) {
            *key = e->key;
            *value = e->value;
            return true;
        }
    }
    return false;
}

#if !GCB_THREADED
void gcb_dict_clear(gcb_object_t *o) { dict_clear_impl(o); }
#else
/* --- the threaded cores: writers locked, readers lock-free -----------------
 *
 * runtime/shared.h gives the protocol.  A reader reaches an entry only
 * through an index slot it loaded with acquire, after the writer filled the
 * entry and stored the slot with release; entries are append-only within
 * a table, so an entry's hash never changes while a reader may see it; a
 * deleted entry's key and value become NULL (atomic stores), and what they
 * held is dropped through QSBR when the dict is SHARED, as is an outgrown
 * keys table (dict_resize). */

#define LD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ST_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline void release_slot(int shared, gcb_object_t *o)
{
    if (shared)
        gcb__shared_release_deferred(o); /* a reader may have loaded it */
    else
        gcb__heap_release(o);
}

void gcb_dict_set(gcb_object_t *o, gcb_object_t *key, gcb_object_t *value)
{
    gcb_dict_t *d = DICT(o);
    uint64_t hash = gcb_hash(key);
    int64_t ix = IX_EMPTY;
    size_t slot = 0;
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    if (d->keys)
        slot = lookup(d->keys, key, hash, &ix);
    d->version++;
    if (ix >= 0) {
        gcb_object_t **vp = &dk_entries(d->keys)[ix].value, *old = *vp;
        gcb__heap_acquire(value);
        gcb__barrier(o, old, value);
        ST_REL(vp, value);
        gcb__ob_unlock(o);
        release_slot(shared, old);
        gcb_release(key);          /* the key already present keeps its place */
        return;
    }
    if (!d->keys || d->keys->usable <= 0) {
        dict_resize(d, (size_t)(d->used * 3 > DICT_MINSIZE ? d->used * 3 : DICT_MINSIZE));
        slot = lookup(d->keys, key, hash, &ix);
    }
    dict_keys_t *k = d->keys;
    dict_entry_t *e = &dk_entries(k)[k->nentries];
    gcb__heap_acquire(key);
    gcb__heap_acquire(value);
    gcb__barrier(o, NULL, key);
    gcb__barrier(o, NULL, value);
    e->hash = hash;
    ST_REL(&e->key, key);
    ST_REL(&e->value, value);
    set_index(k, slot, k->nentries); /* release: publishes the entry */
    k->nentries++;
    k->usable--;
    d->used++;
    gcb__ob_unlock(o);
}

bool gcb_dict_del(gcb_object_t *o, gcb_object_t *key)
{
    gcb_dict_t *d = DICT(o);
    uint64_t hash = gcb_hash(key);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    int64_t ix = IX_EMPTY;
    size_t slot = d->keys ? lookup(d->keys, key, hash, &ix) : 0;
    if (ix < 0) {
        gcb__ob_unlock(o);
        return false;
    }
    dict_entry_t *e = &dk_entries(d->keys)[ix];
    gcb_object_t *k = e->key, *v = e->value;
    gcb__barrier(o, v, NULL);
    set_index(d->keys, slot, IX_DUMMY);
    ST_REL(&e->key, NULL);
    ST_REL(&e->value, NULL);
    d->used--;
    d->version++;
    gcb__ob_unlock(o);
    release_slot(shared, k);
    release_slot(shared, v);
    return true;
}

void gcb_dict_clear(gcb_object_t *o)
{
    gcb_dict_t *d = DICT(o);
    gcb__ob_lock(o);
    int shared = gcb__ob_write_shared(o);
    dict_keys_t *k = d->keys;
    ST_REL(&d->keys, NULL);
    d->used = 0;
    d->version++;
    gcb__ob_unlock(o);
    if (!k)
        return;
    dict_entry_t *ep = dk_entries(k);
    for (int64_t j = 0; j < k->nentries; j++)
        if (ep[j].key) {
            release_slot(shared, ep[j].key);
            release_slot(shared, ep[j].value);
        }
    if (shared)
        gcb__shared_free_deferred(k, keys_bytes_for(k->log2_size));
    else
        keys_free(k);
}

static inline int64_t get_index_acq(const dict_keys_t *k, size_t i)
{
    switch (k->log2_index_bytes - k->log2_size) {
    case 0: return LD_ACQ(&((const int8_t *)k->indices)[i]);
    case 1: return LD_ACQ(&((const int16_t *)k->indices)[i]);
    default: return LD_ACQ(&((const int32_t *)k->indices)[i]);
    }
}

/* lookup() for a reader without the lock: the entry holding `key` in
 * table k, or NULL. */
static dict_entry_t *lookup_lockfree(dict_keys_t *k, gcb_object_t *key, uint64_t hash)
{
    size_t mask = dk_size(k) - 1, i = hash & mask;
    uint64_t perturb = hash;
    dict_entry_t *ep = dk_entries(k);
    for (;;) {
        int64_t x = get_index_acq(k, i);
        if (x == IX_EMPTY)
            return NULL;
        if (x >= 0) {
            dict_entry_t *e = &ep[x];
            gcb_object_t *ek = LD_ACQ(&e->key);
            if (ek && (ek == key || (e->hash == hash && gcb_equal(ek, key))))
                return e;
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* A non-owner's first read, or a lock-free read that lost a race. */
static gcb_object_t *dict_get_ref_locked(gcb_object_t *o, gcb_object_t *key)
{
    gcb__ob_lock(o);
    if (!gcb__ob_is_shared(o))
        gcb__ob_set_shared(o);
    gcb_object_t *v = gcb_dict_get(o, key);
    if (v)
        gcb__incref(v);
    gcb__ob_unlock(o);
    return v;
}

gcb_object_t *gcb_dict_get_ref(gcb_object_t *o, gcb_object_t *key)
{
    gcb_dict_t *d = DICT(o);
    if (gcb_hot.mode != GCB_COUNT_ALL) /* uncounted stack references: a plain read (one thread writes) */
        return gcb_dict_get(o, key);
    if (!gcb__ob_owned(o) && !gcb__ob_is_shared(o))
        return dict_get_ref_locked(o, key);
    uint64_t hash = gcb_hash(key);
    for (;;) {
        dict_keys_t *k = LD_ACQ(&d->keys);
        if (!k)
            return NULL;
        dict_entry_t *e = lookup_lockfree(k, key, hash);
        if (!e) {
            if (LD_ACQ(&d->keys) == k)
                return NULL;
            continue; /* resized meanwhile: look in the new table */
        }
        gcb_object_t *v = LD_ACQ(&e->value);
        if (!v || !gcb__try_incref(v))
            return dict_get_ref_locked(o, key); /* deleted, or dying: the lock decides */
        if (LD_ACQ(&d->keys) == k && LD_ACQ(&e->value) == v)
            return v;
        gcb__decref(v); /* replaced meanwhile: still alive (its drop is delayed), retry */
    }
}
#endif
