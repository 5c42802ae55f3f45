/*
 * allocators/allocator.h - where bytes come from.
 *
 * Every allocator backend exports exactly one `gcb_allocator_t` descriptor
 * (listed in allocators/registry.c).  The shape follows CPython's
 * PyMemAllocatorEx and SQLite's sqlite3_mem_methods: a const table of
 * function pointers whose first argument is the backend's context, with the
 * lifecycle (create/destroy) in the table.
 *
 * Sized free: callers always pass the size they asked for, as Lua's
 * lua_Alloc does.  A pool allocator then needs no per-block header and no
 * address lookup on the hot path.  The process malloc ignores it unless
 * -p sized_free=1 (CPython never calls a sized free; allocators/process.c).
 *
 * Process allocators.  glibc, jemalloc, mimalloc, tcmalloc and any user
 * `.so` replace malloc for the whole process, as they do in production.
 * They all share one in-process backend ("process malloc": calls malloc and
 * free) and differ only by the library put under the process with
 * LD_PRELOAD (see allocators/preload.c).  Two of them never share one
 * process.  The pool backend (pymalloc) takes its big requests from the
 * process malloc, so "pool+jemalloc" is CPython running under jemalloc.
 */
#ifndef GCB_ALLOCATOR_H
#define GCB_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#include "util/params.h"

/* What an allocator can tell about itself.  Fields it cannot measure are
 * left at GCB_STAT_UNKNOWN so a report never prints a made-up zero. */
#define GCB_STAT_UNKNOWN UINT64_MAX

typedef struct gcb_alloc_stats {
    uint64_t allocated;   /* bytes handed out and not yet freed (application view) */
    uint64_t active;      /* bytes in pages/pools the allocator considers in use */
    uint64_t resident;    /* bytes of physical memory the allocator holds */
    uint64_t mapped;      /* bytes of address space obtained from the OS */
    uint64_t arenas;      /* pool: arenas currently allocated */
    uint64_t arenas_freed;/* pool: arenas returned to the OS so far */
} gcb_alloc_stats_t;

/* What a block is for, as CPython 3.14t's _PyObject_GetAllocationHeap
 * tells apart (Include/internal/pycore_mimalloc.h: _Py_MIMALLOC_HEAP_MEM,
 * _OBJECT, _GC; the model has no pre-header types, so no _GC_PRE). */
typedef enum {
    GCB_ALLOC_MEM = 0,      /* buffers: list item arrays, dict keys (PyMem_Malloc) */
    GCB_ALLOC_OBJECT = 1,   /* objects the collector does not track */
    GCB_ALLOC_GC = 2,       /* containers: every block of this kind is one */
    GCB_ALLOC_KINDS
} gcb_alloc_kind_t;

/* A heap walk's visitor: one allocated block (its usable size, >= what was
 * asked); return 0 to go on, nonzero to stop the walk. */
typedef int (*gcb_block_visit_fn)(void *block, size_t size, void *arg);

typedef struct gcb_allocator {
    const char *name;        /* short, stable CLI name: "glibc", "pool", ... */
    const char *description; /* one line for `gcbench list allocators` */

    /* Create an instance.  `base` is the allocator big requests fall back
     * to (NULL: the process malloc).  Returns the context, or NULL with a
     * message in errbuf. */
    void *(*create)(const struct gcb_allocator *base, void *base_ctx,
                    char *errbuf, size_t errlen);
    /* Release everything the instance holds.  Outstanding blocks die. */
    void (*destroy)(void *ctx);

    void *(*malloc)(void *ctx, size_t size);
    void  (*free)(void *ctx, void *ptr, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);

    /* Fill what the backend can measure; the rest GCB_STAT_UNKNOWN. */
    void (*stats)(void *ctx, gcb_alloc_stats_t *out);

    /* Optional (NULL in every backend but mimalloc-ft).  malloc_kind:
     * allocate a block of `kind` from the calling thread's heap of that
     * kind (freed with `free`, from any thread).  visit: call fn on every
     * allocated block of `kind` in every live thread's heap, as CPython's
     * free-threaded collector walks its GC heaps (gc_visit_heaps); only
     * while no other thread allocates or frees (the world stopped).  The
     * walk may also meet blocks freed by a non-owner that the owner has
     * not collected yet (mimalloc's delayed-free list of full pages): a
     * collector tells them apart by the header it cleared before freeing,
     * as CPython's visitors skip untracked objects.  Returns the blocks
     * visited; -1 if fn stopped the walk. */
    void *(*malloc_kind)(void *ctx, size_t size, gcb_alloc_kind_t kind);
    long long (*visit)(void *ctx, gcb_alloc_kind_t kind, gcb_block_visit_fn fn, void *arg);
} gcb_allocator_t;

/* An allocator chosen for a run, after parsing "pool+jemalloc" or
 * "name=/path/lib.so".  `preload` is the library that must be under the
 * process (NULL for glibc); `top` is the in-process backend the runtime
 * calls; `base` is what `top` falls back to (NULL when top is the process
 * malloc itself). */
typedef struct gcb_alloc_choice {
    char name[128];          /* as given on the command line, canonicalised */
    char process[64];        /* the process allocator: glibc, jemalloc, ..., or a user name */
    char preload[4096];      /* absolute path of the .so to LD_PRELOAD, "" for glibc */
    char env[128];           /* NAME=VALUE the process must start with (a -thp variant), or "" */
    const gcb_allocator_t *top;
    /* faulty@N+SPEC (allocators/faulty.c): top is gcb_alloc_faulty, inner
     * the top of SPEC, fail_at N; otherwise inner NULL, fail_at 0. */
    const gcb_allocator_t *inner;
    uint64_t fail_at;
} gcb_alloc_choice_t;

/* "allocators/registry.c" */
extern const gcb_allocator_t gcb_alloc_process; /* process malloc (allocators/process.c) */
extern const gcb_allocator_t gcb_alloc_pool;    /* pymalloc (allocators/pool.c) */
extern const gcb_allocator_t gcb_alloc_pool_huge; /* pymalloc, huge-page arenas (allocators/pool_huge.c) */
extern const gcb_allocator_t gcb_alloc_faulty;  /* fault injection (allocators/faulty.c) */
extern const gcb_allocator_t gcb_alloc_mimalloc_ft; /* CPython 3.14t's per-thread heaps (allocators/mimalloc_ft.c) */
/* "allocators/faulty.c": the faulty stack over an instance of `inner`
 * (which it owns from here on: destroyed with it, or now on failure). */
void *gcb_faulty_wrap(const gcb_allocator_t *inner, void *inner_ctx, uint64_t fail_at,
                      char *errbuf, size_t errlen);

/* The process allocators known at build time, for `gcbench list`. */
typedef struct gcb_process_allocator {
    const char *name;
    const char *description;
    const char *library;     /* path found by meson at configure time, "" if absent or glibc */
    const char *probe_symbol;/* a symbol only this library exports: proves it is loaded */
    const char *env;         /* NAME=VALUE set before the process starts (the
                                allocator reads it at load), "" for none */
    int in_default;          /* 1: in the default matrix ("all") */
} gcb_process_allocator_t;

extern const gcb_process_allocator_t gcb_process_allocators[];
extern const size_t gcb_process_allocator_count;
/* Can this build run it?  glibc always; the others when meson found them. */
int gcb_process_allocator_available(const gcb_process_allocator_t *pa);

/* The pool variants a spec may put on top of a process allocator. */
extern const gcb_allocator_t *const gcb_pool_variants[];
extern const size_t gcb_pool_variant_count;

/* Parse an allocator spec ("glibc", "pool", "pool+mimalloc", "pool-huge",
 * "name=/path/lib.so", "pool+name=/path/lib.so", "faulty@N+any of these").  Returns 0, or -1 with a
 * one-line message in errbuf saying what is accepted. */
int gcb_alloc_parse(const char *spec, gcb_alloc_choice_t *out, char *errbuf, size_t errlen);

/* Create the in-process allocator stack of a choice: the top backend over
 * the process malloc.  NULL with a message on failure. */
void *gcb_alloc_instance(const gcb_alloc_choice_t *choice, char *errbuf, size_t errlen);

/* "allocators/process.c": the allocator's -p rows (sized_free).  Call
 * gcb_alloc_configure before gcb_alloc_instance (NULL: defaults). */
extern const gcb_param_def_t gcb_alloc_params[];
int gcb_alloc_configure(const gcb_params_t *p, char *err, size_t errlen);
/* The sized entry point the process malloc frees through: "sdallocx",
 * "mi_free_size", "tc_free_sized", or "" (plain free: sized_free=0, or the
 * library has none). */
const char *gcb_alloc_sized_free_entry(void);

/* "allocators/preload.c" */
/* Make sure the process allocator of `choice` serves this process: when it
 * does not, re-exec /proc/self/exe with `argv` under LD_PRELOAD (a guard
 * variable stops a second attempt).  Returns 0 when in effect, -1 with a
 * message when it cannot be (the library failed to load). Does not return
 * when it re-execs.  After success LD_PRELOAD is removed from the
 * environment so child processes (git, gnuplot) run on their own malloc. */
int gcb_preload_ensure(const gcb_alloc_choice_t *choice, char **argv, char *errbuf, size_t errlen);
/* Check that `path` is a loadable shared object exporting malloc and free
 * (checked in a child process so a hostile constructor cannot hurt us). */
int gcb_preload_check(const char *path, char *errbuf, size_t errlen);
/* "allocators/probe.c": start a child process under LD_PRELOAD=path (and
 * `env`, NAME=VALUE or NULL) that calls malloc, free, calloc and realloc
 * once and checks the library serves them.  0, or -1 with one line saying
 * what the library did (crashed with SIGSEGV in its first malloc, hung,
 * returned NULL, does not serve malloc).  0 at once when this process
 * already runs on it. */
int gcb_preload_probe(const char *path, const char *env, char *errbuf, size_t errlen);
/* Is the process allocator of `choice` the one actually serving malloc in
 * this process?  True for glibc when no other allocator is preloaded. */
int gcb_preload_active(const gcb_alloc_choice_t *choice);
/* Version string of the process allocator in effect ("" if it cannot tell). */
const char *gcb_preload_version(void);
/* Fill stats of the process allocator in effect through dlsym'd entry
 * points (mallctl, mi_process_info, mallinfo2, MallocExtension). */
void gcb_process_stats(gcb_alloc_stats_t *out);

#endif
