/*
 * allocators/pool.h - pymalloc introspection: invariant checker and the
 * read-only views the tests and reports use.
 *
 * The allocator itself is reached only through its descriptors,
 * `gcb_alloc_pool` and `gcb_alloc_pool_huge` (allocators/allocator.h).
 * Every function here takes the context returned by one of their create()
 * and never changes it.  The two are one source compiled twice (pool.c,
 * pool_huge.c) with different arena geometry, so each exports its own
 * `gcb_pool_introspect_t` table and the functions below dispatch through
 * the table a context points to (allocators/pool_introspect.c).
 */
#ifndef GCB_POOL_H
#define GCB_POOL_H

#include <stddef.h>
#include <stdint.h>

/* Check every invariant of the instance (see the design block at the top of
 * allocators/pool.c): each pool on the list its state calls for, block
 * counts and free lists consistent and inside their pools, arena free-pool
 * counts, usable_arenas order and its nfp2lasta fingers, the radix tree
 * holding exactly the live arenas.  Returns 0, or -1 with a one-line
 * message in err.  Cost: proportional to the number of free blocks plus the
 * number of pools; meant for tests and debug builds. */
int gcb_pool_validate(void *ctx, char *err, size_t errlen);

/* Geometry and counters of one instance. */
typedef struct gcb_pool_info {
    /* geometry (compile-time tunables of pool.c) */
    size_t pool_size;          /* bytes per pool (16 KiB) */
    size_t arena_size;         /* bytes per arena (1 MiB) */
    size_t pool_overhead;      /* bytes of pool header before the first block */
    size_t nclasses;           /* number of size classes (32) */
    size_t small_threshold;    /* largest request served by pools (512) */
    int    trim_arenas;        /* 1: arenas trimmed to pool alignment (64 pools
                                  each); 0: CPython's way (63 when unaligned) */
    int    hugepages;          /* 1: pool-huge (2 MiB arenas, MAP_HUGETLB or
                                  MADV_HUGEPAGE) */
    size_t arenas_hugetlb;     /* pool-huge: arenas mapped with MAP_HUGETLB so far */
    /* arenas */
    size_t arenas;             /* currently mapped */
    size_t arenas_freed;       /* returned to the OS so far */
    size_t arenas_allocated;   /* mapped so far (ntimes_arena_allocated) */
    size_t arenas_highwater;   /* most arenas mapped at once */
    size_t arena_objects;      /* slots in the arena-object vector (maxarenas) */
    size_t usable_arenas;      /* length of the usable_arenas list */
    /* pools and bytes */
    size_t pools_in_use;       /* pools in state used or full */
    uint64_t small_bytes;      /* requested bytes of live pool blocks */
    uint64_t big_bytes;        /* requested bytes of live blocks passed to base */
    size_t radix_nodes;        /* interior + leaf radix tree nodes allocated */
} gcb_pool_info_t;

void gcb_pool_info(void *ctx, gcb_pool_info_t *out);

/* The radix-tree test CPython calls address_in_range(): 1 when p lies in an
 * arena this instance has mapped now, else 0. */
int gcb_pool_owns(void *ctx, const void *p);

/* What the pool header says about the block at p. */
typedef struct gcb_pool_block_info {
    uintptr_t pool;            /* address of the pool header */
    unsigned  arenaindex;      /* index of the pool's arena object */
    unsigned  szidx;           /* size class index of the pool */
    unsigned  block_size;      /* (szidx + 1) * 16 */
    unsigned  count;           /* blocks of the pool in use */
    unsigned  numblocks;       /* blocks the pool can hold */
    unsigned  nextoffset;      /* offset of the next virgin block */
    unsigned  maxnextoffset;   /* largest valid nextoffset */
} gcb_pool_block_info_t;

/* Fill `out` for a block handed out by the pool.  Returns 0, or -1 when p
 * is not in one of the instance's arenas. */
int gcb_pool_block_info(void *ctx, const void *p, gcb_pool_block_info_t *out);

/* One arena object. */
typedef struct gcb_pool_arena_info {
    uintptr_t address;         /* start of the mapping */
    unsigned  nfreepools;      /* free pools + never-carved pools */
    unsigned  ntotalpools;     /* pools that fit in the arena */
} gcb_pool_arena_info_t;

/* Returns 0, or -1 when `index` is out of range or names an arena object
 * with no arena (on the unused list). */
int gcb_pool_arena_info(void *ctx, unsigned index, gcb_pool_arena_info_t *out);

/* The usable_arenas list in order (head first): stores up to `max` arena
 * indices in `indices` and returns the length of the whole list. */
size_t gcb_pool_usable_arenas(void *ctx, unsigned *indices, size_t max);

/* One variant's implementation of the calls above. */
typedef struct gcb_pool_introspect {
    int    (*validate)(void *ctx, char *err, size_t errlen);
    void   (*info)(void *ctx, gcb_pool_info_t *out);
    int    (*owns)(void *ctx, const void *p);
    int    (*block_info)(void *ctx, const void *p, gcb_pool_block_info_t *out);
    int    (*arena_info)(void *ctx, unsigned index, gcb_pool_arena_info_t *out);
    size_t (*usable_arenas)(void *ctx, unsigned *indices, size_t max);
} gcb_pool_introspect_t;

extern const gcb_pool_introspect_t gcb_pool_introspect;       /* pool */
extern const gcb_pool_introspect_t gcb_pool_introspect_huge;  /* pool-huge */

#endif
