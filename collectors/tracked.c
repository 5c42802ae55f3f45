/*
 * collectors/tracked.c - the tracked-object table (collectors/tracked.h
 * has the layout and who writes what).
 *
 * Costs on the hot path: adding a container is a thread-local pop or a
 * bump in the current chunk and two stores; removing it is a store and a
 * push, atomic only when another thread frees it (the cross-thread free
 * the allocators are measured on pays one CAS more here).
 *
 * Lifetimes.  Tables are never freed: a process makes one per thread that
 * ever allocated a container, and a leaving thread's table waits on the
 * abandoned list for the next thread (pthread key destructor: the
 * runtime's thread hooks do not reach collectors).  Chunks are freed at
 * gcb_tracked_reset (ftgc's init), which also bumps the epoch: a thread's cached table
 * from an earlier runtime is then stale and it adopts or makes another.
 */
#include "collectors/tracked.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- tunables ------------------------------------------------------------ */
/* A chunk's bytes and alignment: 4094 slots, so the walk is mostly a scan
 * of dense arrays and a slot finds its chunk with one mask. */
#define CHUNK_BYTES ((uintptr_t)64 * 1024)

typedef struct table table_t;

typedef struct chunk {
    table_t *table;
    struct chunk *next;
    uint32_t used;            /* slots handed out from the bump pointer */
    uint32_t pad[3];          /* the slots start 16-byte aligned */
    gcb_tracked_slot_t slots[];
} chunk_t;

#define CHUNK_SLOTS ((CHUNK_BYTES - sizeof(chunk_t)) / sizeof(gcb_tracked_slot_t))
_Static_assert(sizeof(chunk_t) % sizeof(gcb_tracked_slot_t) == 0, "slots are aligned in a chunk");

struct table {
    table_t *next_all;                      /* every table, under tables_lock */
    table_t *next_abandoned;                /* under tables_lock */
    chunk_t *chunks;                        /* newest first; the owner's */
    gcb_tracked_slot_t *free_local;         /* the owner's; linked through gc */
    gcb_tracked_slot_t *_Atomic free_remote; /* other threads' frees (Treiber stack) */
};

static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;
static table_t *all_tables, *abandoned;
static _Atomic unsigned epoch = 1;
static pthread_key_t leave_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static __thread table_t *mine;
static __thread unsigned mine_epoch;

static void oom(const char *what)
{
    fprintf(stderr, "gcbench: out of memory growing ftgc's tracked-object table (%s)\n", what);
    exit(3);
}

static void abandon(table_t *t)
{
    pthread_mutex_lock(&tables_lock);
    t->next_abandoned = abandoned;
    abandoned = t;
    pthread_mutex_unlock(&tables_lock);
}

/* Thread exit (the key's destructor): abandon the table if it is still of
 * this runtime's epoch. */
static void on_thread_exit(void *arg)
{
    table_t *t = arg;
    if (t && mine_epoch == atomic_load_explicit(&epoch, memory_order_relaxed))
        abandon(t);
    mine = NULL;
}

static void key_init(void)
{
    if (pthread_key_create(&leave_key, on_thread_exit) != 0)
        oom("thread key");
}

/* The calling thread's table: its own, an adopted one, or a new one. */
static table_t *my_table(void)
{
    unsigned e = atomic_load_explicit(&epoch, memory_order_relaxed);
    if (__builtin_expect(mine && mine_epoch == e, 1))
        return mine;
    pthread_once(&key_once, key_init);
    pthread_mutex_lock(&tables_lock);
    table_t *t = abandoned;
    if (t) {
        abandoned = t->next_abandoned;
    } else {
        t = calloc(1, sizeof *t);
        if (!t)
            oom("table");
        t->next_all = all_tables;
        all_tables = t;
    }
    pthread_mutex_unlock(&tables_lock);
    mine = t;
    mine_epoch = e;
    pthread_setspecific(leave_key, t);
    return t;
}

static gcb_tracked_slot_t *new_chunk_slot(table_t *t)
{
    chunk_t *c = aligned_alloc(CHUNK_BYTES, CHUNK_BYTES);
    if (!c)
        oom("chunk");
    c->table = t;
    c->used = 1;
    c->next = t->chunks;
    t->chunks = c;
    return &c->slots[0];
}

static gcb_tracked_slot_t *take(table_t *t)
{
    gcb_tracked_slot_t *s = t->free_local;
    if (!s)
        s = atomic_exchange_explicit(&t->free_remote, NULL, memory_order_acquire);
    if (s) {
        t->free_local = (gcb_tracked_slot_t *)s->gc;
        return s;
    }
    chunk_t *c = t->chunks;
    if (c && c->used < CHUNK_SLOTS)
        return &c->slots[c->used++];
    return new_chunk_slot(t);
}

void gcb_tracked_add(gcb_object_t *o)
{
    gcb_tracked_slot_t *s = take(my_table());
    s->gc = 0;
    atomic_store_explicit(&s->obj, o, memory_order_relaxed);
    ((gcb_tracked_slot_t **)o)[-1] = s;
}

void gcb_tracked_remove(gcb_object_t *o)
{
    gcb_tracked_slot_t *s = gcb_tracked_slot_of(o);
    table_t *t = ((chunk_t *)((uintptr_t)s & ~(CHUNK_BYTES - 1)))->table;
    atomic_store_explicit(&s->obj, NULL, memory_order_relaxed);
    if (t == mine && mine_epoch == atomic_load_explicit(&epoch, memory_order_relaxed)) {
        s->gc = (intptr_t)t->free_local;
        t->free_local = s;
        return;
    }
    gcb_tracked_slot_t *head = atomic_load_explicit(&t->free_remote, memory_order_relaxed);
    do {
        s->gc = (intptr_t)head;
    } while (!atomic_compare_exchange_weak_explicit(&t->free_remote, &head, s, memory_order_release,
                                                    memory_order_relaxed));
}

void gcb_tracked_thread_leave(void)
{
    if (mine && mine_epoch == atomic_load_explicit(&epoch, memory_order_relaxed)) {
        pthread_setspecific(leave_key, NULL);
        abandon(mine);
    }
    mine = NULL;
}

uint64_t gcb_tracked_each(void (*fn)(gcb_tracked_slot_t *s, void *arg), void *arg)
{
    uint64_t n = 0;
    pthread_mutex_lock(&tables_lock);
    for (table_t *t = all_tables; t; t = t->next_all)
        for (chunk_t *c = t->chunks; c; c = c->next)
            for (uint32_t i = 0; i < c->used; i++)
                if (atomic_load_explicit(&c->slots[i].obj, memory_order_relaxed)) {
                    n++;
                    if (fn)
                        fn(&c->slots[i], arg);
                }
    pthread_mutex_unlock(&tables_lock);
    return n;
}

uint64_t gcb_tracked_count(void) { return gcb_tracked_each(NULL, NULL); }

void gcb_tracked_reset(void)
{
    pthread_mutex_lock(&tables_lock);
    atomic_fetch_add_explicit(&epoch, 1, memory_order_relaxed);
    abandoned = NULL;
    for (table_t *t = all_tables; t; t = t->next_all) {
        while (t->chunks) {
            chunk_t *c = t->chunks;
            t->chunks = c->next;
            free(c);
        }
        t->free_local = NULL;
        atomic_store_explicit(&t->free_remote, NULL, memory_order_relaxed);
        t->next_abandoned = abandoned;
        abandoned = t;
    }
    pthread_mutex_unlock(&tables_lock);
    mine = NULL;
}
