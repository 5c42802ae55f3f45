/*
 * runtime/str.c - strings and interning.
 *
 * Layout as CPython's compact ASCII string: a 40-byte header (object
 * header, length, cached hash, state) followed by the characters and a
 * NUL, so a string of n characters takes 41 + n bytes and strings above
 * 471 characters leave pymalloc's 512-byte classes, as in CPython.
 *
 * Interning.  One table maps contents to the canonical string.
 *   - gcb_str_const (code-object constants): the string is immortal
 *     (CPython 3.12+ makes such strings static/immortal);
 *   - gcb_str_intern (sys.intern): the string stays mortal and the table
 *     holds an uncounted reference (CPython 3.13): a dying interned string
 *     removes itself from the table in its dealloc.
 * Invariant: every table entry is a live string whose state is INTERNED or
 * IMMORTAL_INTERNED; every string in such a state is in the table.
 * The table is interpreter memory (C library), not object memory.
 */
#include "runtime/internal.h"

#include <stdlib.h>
#include <string.h>

#if GCB_THREADED
#include <pthread.h>
/* Threaded cores: one mutex guards the table and every string's `state`
 * while it is in the table (CPython's interned dict is locked too).  The
 * table's references are uncounted, so a canonical string found there may
 * be dying on another thread (its count reached zero, its dealloc not yet
 * in the table's lock): gcb_str_intern takes it only through
 * gcb__try_incref and otherwise puts the new string in its slot, leaving
 * the dying one PLAIN so its dealloc does not touch the table. */
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
#define INTERN_LOCK() pthread_mutex_lock(&intern_lock)
#define INTERN_UNLOCK() pthread_mutex_unlock(&intern_lock)
#else
#define INTERN_LOCK() ((void)0)
#define INTERN_UNLOCK() ((void)0)
#endif

enum { STR_PLAIN = 0, STR_INTERNED = 1, STR_IMMORTAL_INTERNED = 2 };

typedef struct gcb_str {
    gcb_object_t ob;
    int64_t length;
    uint64_t hash;       /* 0: not computed yet */
    uint32_t state;
    uint32_t pad;
    char data[];
} gcb_str_t;

_Static_assert(sizeof(gcb_str_t) == 40 + GCB_HEADER_EXTRA, "str header is 40 bytes as CPython's compact ASCII");

#define STR(o) ((gcb_str_t *)(o))

/* --- the intern table: open addressing, linear probing, tombstones ---- */

#define TOMBSTONE ((gcb_str_t *)1)

static gcb_str_t **table;
static size_t table_mask, table_used, table_filled; /* used: live entries; filled: + tombstones */

static void table_init(size_t cap)
{
    table = calloc(cap, sizeof *table);
    if (!table)
        gcb__oom(cap * sizeof *table);
    table_mask = cap - 1;
    table_used = table_filled = 0;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, then a final avalanche so low bits are usable for masking */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    return h ? h : 1;
}

uint64_t gcb_str_hash(gcb_object_t *o)
{
    gcb_str_t *s = STR(o);
    if (!s->hash)
        s->hash = hash_bytes(s->data, (size_t)s->length);
    return s->hash;
}

/* Slot holding a string equal to (p, n), or the first free slot. */
static gcb_str_t **table_find(const char *p, size_t n, uint64_t h)
{
    size_t i = h & table_mask;
    gcb_str_t **free_slot = NULL;
    for (;;) {
        gcb_str_t *e = table[i];
        if (!e)
            return free_slot ? free_slot : &table[i];
        if (e == TOMBSTONE) {
            if (!free_slot)
                free_slot = &table[i];
        } else if (e->hash == h && (size_t)e->length == n && memcmp(e->data, p, n) == 0) {
            return &table[i];
        }
        i = (i + 1) & table_mask;
    }
}

static void table_grow(void)
{
    gcb_str_t **old = table;
    size_t oldcap = table_mask + 1;
    size_t cap = oldcap;
    while (cap * 2 < (table_used + 1) * 4) /* keep load <= 1/2 after insert */
        cap *= 2;
    if (table_used * 4 >= cap)
        cap *= 2;
    table_init(cap);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i] && old[i] != TOMBSTONE) {
            gcb_str_t **slot = table_find(old[i]->data, (size_t)old[i]->length, old[i]->hash);
            *slot = old[i];
            table_used++;
            table_filled++;
        }
    free(old);
}

static void table_insert(gcb_str_t **slot, gcb_str_t *s)
{
    if (!*slot)
        table_filled++;
    *slot = s;
    table_used++;
}

static void table_remove(gcb_str_t *s)
{
    gcb_str_t **slot = table_find(s->data, (size_t)s->length, s->hash);
    if (*slot == s) {
        *slot = TOMBSTONE;
        table_used--;
    }
}

size_t gcb_interned_count(void)
{
    INTERN_LOCK();
    size_t n = table_used;
    INTERN_UNLOCK();
    return n;
}

void gcb__str_init(void) { table_init(1024); }

void gcb__str_fini(void)
{
    free(table);
    table = NULL;
    table_mask = table_used = table_filled = 0;
}

/* --- the type ------------------------------------------------------------ */

static size_t str_size(const gcb_object_t *o) { return sizeof(gcb_str_t) + (size_t)STR(o)->length + 1; }

static void str_dealloc(gcb_object_t *o)
{
#if GCB_THREADED
    INTERN_LOCK();
    if (STR(o)->state == STR_INTERNED)
        table_remove(STR(o));
    INTERN_UNLOCK();
#else
    if (STR(o)->state == STR_INTERNED)
        table_remove(STR(o));
#endif
    gcb__object_free(o);
}

const gcb_type_t gcb_str_type = {
    .name = "str",
    .flags = GCB_TYPE_VARSIZE,
    .size = str_size,
    .dealloc = str_dealloc,
};

static gcb_str_t *str_alloc(size_t len)
{
    gcb_str_t *s = (gcb_str_t *)gcb__object_alloc(&gcb_str_type, sizeof(gcb_str_t) + len + 1);
    s->length = (int64_t)len;
    s->hash = 0;
    s->state = STR_PLAIN;
    s->pad = 0;
    s->data[len] = '\0';
    return s;
}

gcb_object_t *gcb_str_new(const char *p, size_t len)
{
    gcb_str_t *s = str_alloc(len);
    memcpy(s->data, p, len);
    return gcb__object_born(&s->ob);
}

gcb_object_t *gcb_str_concat(gcb_object_t *a, gcb_object_t *b)
{
    size_t la = (size_t)STR(a)->length, lb = (size_t)STR(b)->length;
    gcb_str_t *s = str_alloc(la + lb);
    memcpy(s->data, STR(a)->data, la);
    memcpy(s->data + la, STR(b)->data, lb);
    return gcb__object_born(&s->ob);
}

gcb_object_t *gcb_str_slice(gcb_object_t *o, int64_t lo, int64_t hi)
{
    int64_t n = STR(o)->length;
    if (lo < 0) lo += n;
    if (hi < 0) hi += n;
    if (lo < 0) lo = 0;
    if (hi > n) hi = n;
    if (hi < lo) hi = lo;
    if (lo == 0 && hi == n) /* CPython returns the same object for a full slice */
        return gcb_newref(o);
    return gcb_str_new(STR(o)->data + lo, (size_t)(hi - lo));
}

#if GCB_THREADED
/* The canonical string in *slot, with a new reference, or NULL if it is
 * dying (then it leaves the table here: see the top of the file). */
static gcb_object_t *canon_ref(gcb_str_t **slot)
{
    gcb_object_t *canon = &(*slot)->ob;
    if (gcb_hot.mode != GCB_COUNT_ALL || gcb__try_incref(canon))
        return canon;
    (*slot)->state = STR_PLAIN;
    *slot = TOMBSTONE;
    table_used--;
    return NULL;
}

static gcb_object_t *str_intern_locked(gcb_object_t *o);

gcb_object_t *gcb_str_intern(gcb_object_t *o)
{
    INTERN_LOCK();
    gcb_object_t *r = str_intern_locked(o);
    INTERN_UNLOCK();
    if (r != o)
        gcb_release(o);
    return r;
}

static gcb_object_t *str_intern_locked(gcb_object_t *o)
{
    gcb_str_t *s = STR(o);
    if (s->state != STR_PLAIN)
        return o;
    uint64_t h = gcb_str_hash(o);
    gcb_str_t **slot = table_find(s->data, (size_t)s->length, h);
    if (*slot && *slot != TOMBSTONE) {
        gcb_object_t *canon = canon_ref(slot);
        if (canon)
            return canon;
        slot = table_find(s->data, (size_t)s->length, h);
    }
#else
gcb_object_t *gcb_str_intern(gcb_object_t *o)
{
    gcb_str_t *s = STR(o);
    if (s->state != STR_PLAIN)
        return o;
    uint64_t h = gcb_str_hash(o);
    gcb_str_t **slot = table_find(s->data, (size_t)s->length, h);
    if (*slot && *slot != TOMBSTONE) {
        gcb_object_t *canon = gcb_newref(&(*slot)->ob);
        gcb_release(o);
        return canon;
    }
#endif
    if ((table_filled + 1) * 2 > table_mask + 1) {
        table_grow();
        slot = table_find(s->data, (size_t)s->length, h);
    }
    s->state = STR_INTERNED;
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb__set_maybe_weakref(o); /* other threads find it through the table: canon_ref's try-incref */
#endif
    table_insert(slot, s);
    return o;
}

#if GCB_THREADED
static gcb_object_t *str_const_locked(const char *p);

gcb_object_t *gcb_str_const(const char *p)
{
    INTERN_LOCK();
    gcb_object_t *r = str_const_locked(p);
    INTERN_UNLOCK();
    return r;
}

static gcb_object_t *str_const_locked(const char *p)
#else
gcb_object_t *gcb_str_const(const char *p)
#endif
{
    size_t n = strlen(p);
    uint64_t h = hash_bytes(p, n);
    gcb_str_t **slot = table_find(p, n, h);
    if (*slot && *slot != TOMBSTONE) {
        if ((*slot)->state == STR_IMMORTAL_INTERNED)
            return &(*slot)->ob;
        /* A mortal interned equal exists: the constant takes its place and
         * the mortal one becomes a plain string. */
        (*slot)->state = STR_PLAIN;
        *slot = TOMBSTONE;
        table_used--;
    }
    if ((table_filled + 1) * 2 > table_mask + 1)
        table_grow();
    slot = table_find(p, n, h);
    gcb_str_t *s = str_alloc(n);
    memcpy(s->data, p, n);
    s->hash = h;
    s->state = STR_IMMORTAL_INTERNED;
    gcb__make_immortal(&s->ob);
    table_insert(slot, s);
    return &s->ob;
}

size_t gcb_str_len(const gcb_object_t *o) { return (size_t)STR(o)->length; }
const char *gcb_str_data(const gcb_object_t *o) { return STR(o)->data; }
bool gcb_str_is_interned(const gcb_object_t *o) { return STR(o)->state != STR_PLAIN; }
