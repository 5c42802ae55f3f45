/*
 * allocators/mimalloc_ft.c - mimalloc arranged as CPython 3.14t arranges
 * it: every thread allocates from its own mimalloc heaps, one per kind of
 * block, so the free-threaded collector can find every object by walking
 * the GC heaps (docs/threads.md, "mimalloc-ft and what it needs from
 * meson").
 *
 *     thread t:  heap[MEM]     buffers (list item arrays, dict keys)    _Py_MIMALLOC_HEAP_MEM
 *                heap[OBJECT]  objects the collector does not track     _Py_MIMALLOC_HEAP_OBJECT
 *                heap[GC]      containers (every block one object)      _Py_MIMALLOC_HEAP_GC
 *
 * (Include/internal/pycore_mimalloc.h; Objects/obmalloc.c's
 * _PyObject_MiMalloc and pycore_object_alloc.h's
 * _PyObject_GetAllocationHeap choose the heap per allocation from the
 * type's flags; the model has no pre-header types, so no _GC_PRE heap.)
 * A thread's heaps are made with mi_heap_new() at its first allocation;
 * blocks are freed with mi_free from any thread (mimalloc's own
 * remote-free path: a free by a non-owner goes onto the page's
 * thread-free list, which the owner collects).
 *
 * Linking.  The library is dlopen()ed RTLD_LOCAL from the path meson's
 * dependency('mimalloc') found (GCB_MIMALLOC_PATH), not linked: Debian's
 * libmimalloc.so.2 overrides malloc for the whole process when linked, and
 * this backend must not change the process malloc (glibc's, as CPython's
 * raw domain is the C library's malloc).  mimalloc.h comes through
 * partial_dependency for its types only.
 *
 * The heap walk (visit) is mi_heap_visit_blocks(heap, true, ...) over the
 * kind's heap of every registered live thread, as gc_visit_heaps does;
 * mimalloc requires that the owner not allocate or free meanwhile, which
 * the collector ensures by stopping the world.  A block freed by a
 * non-owner into a full page waits on the owner heap's delayed-free list
 * until the owner's next collect, and the walk still meets it (checked by
 * tests/test_allocators.c): the collector must skip freed blocks by their
 * header, as CPython's visitors skip untracked objects.  Public-API limits
 * (mimalloc 2.0.9): heaps of an exited thread are deleted by mimalloc and
 * their blocks move to abandoned segments nobody can walk (CPython's fork
 * has _mi_abandoned_pool_visit_blocks), so a thread's entry leaves the walk
 * when it exits (a pthread key destructor) and its surviving blocks are not
 * visited; the runtime keeps such threads parked (docs/threads.md).
 *
 * Thread table invariants: threads[0..nthreads) are every thread that has
 * allocated through this instance; an entry with live == 1 has heaps that
 * are its thread's and valid; live becomes 0 (under `lock`) before the
 * thread's mimalloc state is torn down could matter to a walker, because
 * walkers hold `lock` and the destructor takes it.
 *
 * Statistics: bytes asked for, summed per thread by the allocating and
 * the freeing thread (plain per-thread counters, read at stats()).
 */
#include "allocators/allocator.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#if __has_include(<mimalloc.h>)
#include <mimalloc.h>
#define HAVE_MI 1
#else
#define HAVE_MI 0
typedef struct mi_heap_s mi_heap_t;
typedef struct mi_heap_area_s { void *blocks; size_t reserved, committed, used, block_size, full_block_size; } mi_heap_area_t;
typedef bool mi_block_visit_fun(const mi_heap_t *, const mi_heap_area_t *, void *, size_t, void *);
#endif

/* --- tunables ---------------------------------------------------------- */
#define FT_MAX_THREADS 1024      /* threads that may allocate through one instance */
#define FT_MIN_SIZE 16           /* 16-byte alignment for every block, as glibc */
_Static_assert(FT_MIN_SIZE % 16 == 0, "blocks of FT_MIN_SIZE and more are 16-aligned in mimalloc");

typedef struct mi_api {
    mi_heap_t *(*heap_new)(void);
    void (*heap_delete)(mi_heap_t *);
    void *(*heap_malloc)(mi_heap_t *, size_t);
    void *(*heap_realloc)(mi_heap_t *, void *, size_t);
    void (*free)(void *);
    bool (*heap_visit_blocks)(const mi_heap_t *, bool, mi_block_visit_fun *, void *);
    int (*version)(void);
} mi_api_t;

typedef struct ft_thread {
    mi_heap_t *heap[GCB_ALLOC_KINDS];
    int live;
    uint64_t asked, freed;       /* bytes, by this thread */
    struct ft_ctx *owner;
} ft_thread_t;

typedef struct ft_ctx {
    void *dl;
    mi_api_t mi;
    pthread_mutex_t lock;        /* threads[], nthreads, every entry's live */
    ft_thread_t *threads[FT_MAX_THREADS];
    size_t nthreads;
    pthread_key_t key;           /* the calling thread's entry; destructor marks it dead */
} ft_ctx_t;

static void thread_gone(void *arg)
{
    ft_thread_t *t = arg;
    pthread_mutex_lock(&t->owner->lock);
    t->live = 0;                 /* mimalloc deletes the heaps itself at thread exit */
    pthread_mutex_unlock(&t->owner->lock);
}

/* The calling thread's entry, made (with its heaps) on first use. */
static ft_thread_t *self(ft_ctx_t *c)
{
    ft_thread_t *t = pthread_getspecific(c->key);
    if (__builtin_expect(t != NULL, 1))
        return t;
    t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->owner = c;
    for (int k = 0; k < GCB_ALLOC_KINDS; k++)
        t->heap[k] = c->mi.heap_new();
    pthread_mutex_lock(&c->lock);
    if (c->nthreads == FT_MAX_THREADS || !t->heap[0] || !t->heap[1] || !t->heap[2]) {
        pthread_mutex_unlock(&c->lock);
        free(t);                 /* heaps, if any, die with the thread */
        return NULL;
    }
    t->live = 1;
    c->threads[c->nthreads++] = t;
    pthread_mutex_unlock(&c->lock);
    pthread_setspecific(c->key, t);
    return t;
}

static void *ft_create(const gcb_allocator_t *base, void *base_ctx, char *err, size_t errlen)
{
    (void)base; (void)base_ctx;
    if (!HAVE_MI || !GCB_MIMALLOC_PATH[0]) {
        snprintf(err, errlen, "mimalloc-ft needs mimalloc, which was not found when gcbench was built: "
                 "install libmimalloc-dev and rebuild (scripts/setup)");
        return NULL;
    }
    ft_ctx_t *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "mimalloc-ft: out of memory");
        return NULL;
    }
    c->dl = dlopen(GCB_MIMALLOC_PATH, RTLD_NOW | RTLD_LOCAL);
    const char *missing = c->dl ? NULL : dlerror();
    static const char *const names[] = { "mi_heap_new", "mi_heap_delete", "mi_heap_malloc", "mi_heap_realloc",
                                         "mi_free", "mi_heap_visit_blocks", "mi_version" };
    void **slots[] = { (void **)&c->mi.heap_new, (void **)&c->mi.heap_delete, (void **)&c->mi.heap_malloc,
                       (void **)&c->mi.heap_realloc, (void **)&c->mi.free, (void **)&c->mi.heap_visit_blocks,
                       (void **)&c->mi.version };
    for (size_t i = 0; c->dl && !missing && i < sizeof names / sizeof names[0]; i++)
        if (!(*slots[i] = dlsym(c->dl, names[i])))
            missing = names[i];
    if (missing || pthread_key_create(&c->key, thread_gone)) {
        snprintf(err, errlen, "mimalloc-ft: cannot use %s: %s", GCB_MIMALLOC_PATH, missing ? missing : "no thread key");
        if (c->dl)
            dlclose(c->dl);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

/* Only the calling thread's heaps can be deleted (mimalloc: a heap belongs
 * to its thread); their blocks move to its backing heap and stay valid
 * until freed.  Other threads' entries are dropped, their heaps left to
 * mimalloc's thread exit.  The library stays loaded: blocks may outlive
 * the instance. */
static void ft_destroy(void *ctx)
{
    ft_ctx_t *c = ctx;
    ft_thread_t *me = pthread_getspecific(c->key);
    if (me)
        for (int k = 0; k < GCB_ALLOC_KINDS; k++)
            c->mi.heap_delete(me->heap[k]);
    pthread_setspecific(c->key, NULL);
    pthread_key_delete(c->key);
    for (size_t i = 0; i < c->nthreads; i++)
        free(c->threads[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void *ft_malloc_kind(void *ctx, size_t size, gcb_alloc_kind_t kind)
{
    ft_ctx_t *c = ctx;
    ft_thread_t *t = self(c);
    if (!t)
        return NULL;
    t->asked += size;
    return c->mi.heap_malloc(t->heap[kind], size < FT_MIN_SIZE ? FT_MIN_SIZE : size);
}

/* Without a kind (the runtime's plain gcb_mem_alloc): a buffer. */
static void *ft_malloc(void *ctx, size_t size) { return ft_malloc_kind(ctx, size, GCB_ALLOC_MEM); }

static void ft_free(void *ctx, void *p, size_t size)
{
    if (!p)
        return;
    ft_ctx_t *c = ctx;
    ft_thread_t *t = self(c);
    if (t)
        t->freed += size;
    c->mi.free(p);
}

static void *ft_realloc(void *ctx, void *p, size_t old_size, size_t new_size)
{
    ft_ctx_t *c = ctx;
    ft_thread_t *t = self(c);
    if (!t)
        return NULL;
    void *q = c->mi.heap_realloc(t->heap[GCB_ALLOC_MEM], p, new_size < FT_MIN_SIZE ? FT_MIN_SIZE : new_size);
    if (q || new_size == 0) {
        t->asked += new_size;
        t->freed += p ? old_size : 0;
    }
    return q;
}

static void ft_stats(void *ctx, gcb_alloc_stats_t *out)
{
    ft_ctx_t *c = ctx;
    memset(out, 0xff, sizeof *out);          /* GCB_STAT_UNKNOWN everywhere */
    uint64_t asked = 0, freed = 0;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->nthreads; i++) {
        asked += c->threads[i]->asked;
        freed += c->threads[i]->freed;
    }
    pthread_mutex_unlock(&c->lock);
    out->allocated = asked - freed;
}

typedef struct { gcb_block_visit_fn fn; void *arg; long long n; int stopped; } walk_t;

static bool visit_block(const mi_heap_t *heap, const mi_heap_area_t *area, void *block, size_t size, void *arg)
{
    (void)heap; (void)area;
    walk_t *w = arg;
    if (!block)                              /* the area itself, before its blocks */
        return true;
    w->n++;
    if (w->fn(block, size, w->arg)) {
        w->stopped = 1;
        return false;
    }
    return true;
}

static long long ft_visit(void *ctx, gcb_alloc_kind_t kind, gcb_block_visit_fn fn, void *arg)
{
    ft_ctx_t *c = ctx;
    walk_t w = { fn, arg, 0, 0 };
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->nthreads && !w.stopped; i++)
        if (c->threads[i]->live)
            c->mi.heap_visit_blocks(c->threads[i]->heap[kind], true, visit_block, &w);
    pthread_mutex_unlock(&c->lock);
    return w.stopped ? -1 : w.n;
}

const gcb_allocator_t gcb_alloc_mimalloc_ft = {
    .name = "mimalloc-ft",
    .description = "mimalloc " GCB_MIMALLOC_VERSION " as CPython 3.14t uses it: per-thread heaps for buffers, objects and GC objects, walkable (mode=ft only)",
    .create = ft_create,
    .destroy = ft_destroy,
    .malloc = ft_malloc,
    .free = ft_free,
    .realloc = ft_realloc,
    .stats = ft_stats,
    .malloc_kind = ft_malloc_kind,
    .visit = ft_visit,
};
