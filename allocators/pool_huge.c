/*
 * allocators/pool_huge.c - `pool-huge`: pymalloc with CPython 3.15's
 * opt-in huge-page arenas (--with-pymalloc-hugepages plus
 * PYTHON_PYMALLOC_HUGEPAGES=1).
 *
 * CPython chooses the arena size at compile time, and so does this model:
 * the same source as `pool`, compiled with 2 MiB arenas and huge-page
 * mappings.  The design and its invariants are in the block comment at the
 * top of allocators/pool.c ("Huge pages").
 */
#define GCB_POOL_HUGEPAGES 1
#include "allocators/pool.c"
