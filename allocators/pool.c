/*
 * allocators/pool.c - pymalloc: a model of CPython's small-object allocator
 * (Objects/obmalloc.c with WITH_PYMALLOC_RADIX_TREE, 64-bit), written from
 * the description of its design, as one gcbench allocator backend.
 *
 * Layers
 * ------
 *
 *     request (1..512 bytes)          request (0 or > 512 bytes)
 *            |                                   |
 *     [ size class  (n-1) >> 4  ]                |
 *            |                                   |
 *     [ usedpools[class] ]  partly used pools    |
 *            |                                   |
 *     [ pool   16 KiB ]  header + blocks of one  |
 *            |           class, carved lazily    |
 *     [ arena   1 MiB ]  64 pools, mmap'ed;      |
 *            |           arena objects in the    |
 *            |           vector ctx->arenas      |
 *     [ OS: mmap / munmap ]              [ base allocator (process malloc) ]
 *
 * Block.  (i+1)*16 bytes for class i = 0..31.  A free block holds, in its
 * first word, the next block of its pool's free list.  Blocks carry no
 * header: free() is sized, so the size says whether a pointer is a pool
 * block (1..512) or a base block (0, > 512), and the pool header is found by
 * masking the address down to 16 KiB.
 *
 * Pool.  16 KiB, pool-aligned, starting with pool_t: the count of blocks in
 * use, the head of the free list, the nextpool/prevpool links, the index of
 * its arena object, its size class, and nextoffset/maxnextoffset.  Blocks
 * are carved lazily: a fresh pool hands out its first block and puts the
 * second on the free list; each time the free list runs dry the block at
 * nextoffset is carved and nextoffset advances by one block.  All blocks
 * have been carved once exactly when nextoffset > maxnextoffset.  So memory
 * is touched only when it is needed, at every level.
 *
 * Pool states (a pool, once carved from its arena, is always in one):
 *
 *   used   0 < count < numblocks, freeblock != NULL.
 *          On the circular doubly-linked list usedpools[szidx].
 *   full   count == numblocks, freeblock == NULL.
 *          On no list; nextpool/prevpool are meaningless.
 *   empty  count == 0.
 *          On its arena's singly-linked freepools list (through nextpool);
 *          keeps its szidx and its free list so that reuse for the same
 *          class needs no initialisation.
 *
 *   used  -> full   malloc takes the last block: unlinked from usedpools.
 *   full  -> used   free of a block: linked at the FRONT of usedpools, so the
 *                   next malloc of the class reuses the block just freed.
 *   used  -> empty  free of the last block in use: unlinked from usedpools,
 *                   pushed on the front of its arena's freepools.
 *   empty -> used   malloc finds usedpools[class] empty: takes a pool from
 *                   the first usable arena (a cached free pool first, else
 *                   carves one from the arena's high-water mark).
 *   A fresh pool goes straight to used (every class fits >= 2 blocks).
 *
 * Arena objects and their states:
 *
 *   unassociated  address == 0; on the singly-linked unused_arena_objects.
 *   usable        an arena with nfreepools > 0 (free pools + never-carved
 *                 pools); on the doubly-linked usable_arenas list, sorted by
 *                 nfreepools ascending: the most used arenas are filled
 *                 first, so quiet arenas can empty and go back to the OS.
 *   full          all pools carved and in use; on no list.
 *
 *   nfp2lasta[n] is the last ("rightmost") arena of usable_arenas with
 *   exactly n free pools, NULL when there is none.  With it, keeping the
 *   list sorted is O(1) when a pool is freed (CPython 3.8+, bpo-37029):
 *   the arena moves right past the other arenas with its old count.  An
 *   allocation always takes a pool from the head, whose count is the
 *   smallest, so the order never changes there.
 *
 *   An arena whose pools are all free is unmapped at once, unless it is the
 *   last arena of usable_arenas (CPython's rule, bpo-37257): keeping that
 *   one avoids mapping and unmapping an arena on every iteration of a loop
 *   that allocates and frees one object.  With trimmed arenas (every arena
 *   has 64 pools) this means at most one wholly free arena exists, at the
 *   tail; after freeing everything exactly one arena stays mapped.
 *
 * Radix tree.  Every mapped arena is entered in a 3-level radix tree over
 * the address bits (15 + 15 + 14 bits above the 20 arena bits).  A leaf
 * slot covers one arena-size-aligned ("ideal") 1 MiB of address space and
 * records the offsets at which a real arena starts in it (tail_hi) and ends
 * in it (tail_lo), so an unaligned arena is recorded in two slots.  It
 * answers "is p in one of our arenas" in three dependent loads.  Because
 * free() is sized the hot path does not need it; it decides ownership in
 * realloc (as CPython's address_in_range does), backs the debug checks and
 * gcb_pool_validate(), and is what gcb_pool_owns() reports.  The tree is per
 * instance; nodes are mmap'ed (zero pages, touched on first use) and
 * released by destroy().
 *
 * Arena alignment.  Pools must be 16 KiB-aligned but mmap only promises 4
 * KiB.  CPython takes 1 MiB and, when it is not pool-aligned, gives up the
 * part before the first aligned pool: 63 pools.  By default we map
 * ARENA_SIZE + POOL_SIZE - page bytes and unmap the excess on both sides,
 * so every arena is exactly 1 MiB of 64 pools and `mapped` is exact.
 * Compile with -DGCB_POOL_TRIM_ARENAS=0 for CPython's behaviour.
 *
 * Sized free and ownership.  A pointer belongs to the pool layer iff its
 * size is 1..512.  realloc keeps that true: a base block that shrinks to
 * <= 512 bytes moves into a pool (CPython leaves it with malloc, which it
 * can afford because its free() asks the radix tree), and a pool block that
 * grows past 512 moves to base.  Otherwise realloc is pymalloc's: stay in
 * place when the new size fits the block and wastes less than a quarter of
 * it, else allocate, copy, free; base to base is base->realloc.
 *
 * Differences from CPython, all deliberate: sized free (no address test on
 * free); realloc moves blocks across the 512-byte line both ways (above);
 * arenas trimmed to pool alignment (above); state per instance instead of
 * global; the used-pool lists have plain sentinel heads instead of
 * CPython's fudged usedpools[2*i] pointers (same fast path: one load of
 * usedpools[class].nextpool and a compare with the sentinel).
 *
 * Statistics.  allocated = requested bytes live (pool blocks + blocks
 * passed to base); active = pools in use * POOL_SIZE + requested bytes live
 * in base (base's own overhead is unknown here); mapped = arenas *
 * ARENA_SIZE; resident unknown (the process view measures it).  Metadata
 * (context, arena-object vector, radix nodes) is not object memory and is
 * not counted.
 *
 * Checks.  gcb_pool_validate() (pool.h) checks every invariant above.
 * assert() guards the list and finger invariants in debug builds; with
 * GCB_DEBUG_CHECKS (meson -Ddebug_checks=true) every free and realloc also
 * checks its pointer in O(1) and the whole state is validated each time an
 * arena is mapped or unmapped.
 *
 * Cost.  malloc of a small size: a class index, the first pool of
 * usedpools[class], pop its free list (three dependent loads, no call);
 * free: mask, push.  The slow paths are CPython's and show in
 * microbenchmarks: freeing the last live block of a class sends its pool
 * back to the arena and the next malloc of the class takes it again
 * (tens of instructions both ways), and with a large steady live set most
 * pools are full, so a free links a pool to the front of its list and the
 * next malloc unlinks it again.  Pool headers all sit on 16 KiB boundaries
 * and compete for the same cache sets.
 *
 * Threads: none.  An instance belongs to one thread, like the interpreter
 * state that owns a CPython obmalloc state.  Instances are independent.
 *
 * Huge pages (allocators/pool_huge.c compiles this file again with
 * GCB_POOL_HUGEPAGES=1, giving the allocator `pool-huge`).  It models
 * CPython 3.15 built with --with-pymalloc-hugepages and run with
 * PYTHON_PYMALLOC_HUGEPAGES=1 (gh-144319, an opt-in): arenas of 2 MiB
 * (ARENA_BITS 21, 128 pools), each mapped with MAP_HUGETLB when the arena
 * size is a multiple of the system huge page size (read from /proc/meminfo
 * at create), else -- and whenever the hugetlb pool is exhausted, which it
 * is unless an administrator reserved pages in /proc/sys/vm/nr_hugepages --
 * with ordinary pages advised MADV_HUGEPAGE (gh-144353), which under THP
 * "madvise" or "always" lets the kernel back the arena with one 2 MiB page
 * at the first touch.  Like CPython it tries MAP_HUGETLB again for every
 * arena.  One difference: a fallback arena is aligned to 2 MiB (a plain
 * mapping first, over-mapped and trimmed only when the kernel did not
 * align it; Linux >= 6.7 aligns 2 MiB anonymous mappings itself), since an
 * unaligned arena could never be one huge page.  What it buys: one fault
 * and one zeroing of 2 MiB instead of 512 faults, and one TLB entry per
 * arena.  What it costs: resident memory grows in 2 MiB steps, and a
 * partly used arena keeps a whole 2 MiB resident.  `anon_huge_bytes` in
 * a run's record shows whether the kernel granted the huge pages.
 */

#if defined(__has_include)
#  if __has_include("config.h")
#    include "config.h"          /* GCB_DEBUG_CHECKS (meson option debug_checks) */
#  endif
#endif

#include "allocators/allocator.h"
#include "allocators/pool.h"
#include "util/procfs.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ======================================================================
 * Tunables.  Change them here only; the assertions below keep them sane.
 * ====================================================================== */

#define ALIGNMENT_SHIFT          4                        /* 16-byte alignment */
#define ALIGNMENT                (1u << ALIGNMENT_SHIFT)
#define SMALL_REQUEST_THRESHOLD  512u                     /* largest pool request */
#define NB_SMALL_SIZE_CLASSES    (SMALL_REQUEST_THRESHOLD / ALIGNMENT)

#ifndef GCB_POOL_HUGEPAGES
#define GCB_POOL_HUGEPAGES       0    /* 1: pool-huge, CPython 3.15's huge-page arenas */
#endif

 /* The exported names of this variant (pool_huge.c: a suffix `_huge`). */
#if GCB_POOL_HUGEPAGES
#define POOL_SYM(name)           name##_huge
#else
#define POOL_SYM(name)           name
#endif

#define POOL_BITS                14                       /* 16 KiB pools */
#if GCB_POOL_HUGEPAGES
#define ARENA_BITS               21                       /* 2 MiB arenas */
#else
#define ARENA_BITS               20                       /* 1 MiB arenas */
#endif
#define INITIAL_ARENA_OBJECTS    16u                      /* first arena-object vector */

#ifndef GCB_POOL_TRIM_ARENAS
#define GCB_POOL_TRIM_ARENAS     1    /* 1: trim each mapping to pool alignment */
#endif

/* Radix tree: pointer bits ignored at the top (0 is the safe choice; x86-64
 * user addresses would allow 16), the rest split into three levels. */
#define POINTER_BITS             64
#define IGNORE_BITS              0

#ifndef GCB_DEBUG_CHECKS
#define GCB_DEBUG_CHECKS         0    /* O(1) checks per call, validate per arena event */
#endif

/* ---------------------------------------------------------------------- */

#define POOL_SIZE                ((size_t)1 << POOL_BITS)
#define POOL_SIZE_MASK           (POOL_SIZE - 1)
#define ARENA_SIZE               ((size_t)1 << ARENA_BITS)
#define ARENA_SIZE_MASK          (ARENA_SIZE - 1)
#define MAX_POOLS_IN_ARENA       (ARENA_SIZE / POOL_SIZE)

#define ADDRESS_BITS             (POINTER_BITS - IGNORE_BITS)
#define INTERIOR_BITS            ((ADDRESS_BITS - ARENA_BITS + 2) / 3)
#define MAP_TOP_BITS             INTERIOR_BITS
#define MAP_MID_BITS             INTERIOR_BITS
#define MAP_BOT_BITS             (ADDRESS_BITS - ARENA_BITS - 2 * INTERIOR_BITS)
#define MAP_TOP_LENGTH           ((size_t)1 << MAP_TOP_BITS)
#define MAP_MID_LENGTH           ((size_t)1 << MAP_MID_BITS)
#define MAP_BOT_LENGTH           ((size_t)1 << MAP_BOT_BITS)
#define MAP_BOT_SHIFT            ARENA_BITS
#define MAP_MID_SHIFT            (MAP_BOT_SHIFT + MAP_BOT_BITS)
#define MAP_TOP_SHIFT            (MAP_MID_SHIFT + MAP_MID_BITS)

_Static_assert((ALIGNMENT & (ALIGNMENT - 1)) == 0, "ALIGNMENT must be a power of 2");
_Static_assert(ALIGNMENT >= sizeof(void *), "a free block must hold the free-list link");
_Static_assert(SMALL_REQUEST_THRESHOLD % ALIGNMENT == 0,
               "SMALL_REQUEST_THRESHOLD must be a multiple of ALIGNMENT");
_Static_assert(ALIGNMENT <= SMALL_REQUEST_THRESHOLD && SMALL_REQUEST_THRESHOLD <= 512,
               "ALIGNMENT <= SMALL_REQUEST_THRESHOLD <= 512");
_Static_assert(ARENA_BITS > POOL_BITS, "an arena holds several pools");
_Static_assert(ARENA_SIZE % POOL_SIZE == 0, "arena size must be a multiple of pool size");
_Static_assert(ARENA_BITS < 32, "radix-tree tails are int32_t offsets into an arena");
_Static_assert(POOL_BITS < 32, "pool offsets are stored as uint32_t");
_Static_assert(MAP_TOP_BITS + MAP_MID_BITS + MAP_BOT_BITS + ARENA_BITS == ADDRESS_BITS,
               "radix levels must cover every address bit");
_Static_assert(sizeof(void *) * 8 == POINTER_BITS, "this model is for 64-bit pointers");

/* ======================================================================
 * Data structures
 * ====================================================================== */

typedef uint8_t block;

/* The list links come first so that a bare link can be a list sentinel. */
typedef struct pool_link {
    struct pool_link *nextpool;
    struct pool_link *prevpool;
} pool_link_t;

typedef struct pool_header {
    pool_link_t link;          /* usedpools[szidx] (used) / arena freepools (empty) */
    block   *freeblock;        /* head of the free list; NULL iff full */
    uint32_t count;            /* blocks in use */
    uint32_t szidx;            /* size class */
    uint32_t arenaindex;       /* index of the arena object in ctx->arenas */
    uint32_t nextoffset;       /* offset of the next virgin block */
    uint32_t maxnextoffset;    /* largest nextoffset that still has room */
} pool_t;

#define POOL_OVERHEAD    ((sizeof(pool_t) + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1))
#define INDEX2SIZE(i)    (((uint32_t)(i) + 1) << ALIGNMENT_SHIFT)
#define NUMBLOCKS(i)     ((uint32_t)((POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(i)))
#define POOL_ADDR(p)     ((pool_t *)((uintptr_t)(p) & ~(uintptr_t)POOL_SIZE_MASK))
#define LINK_POOL(l)     ((pool_t *)(l))          /* link is pool_t's first member */
#define LINK_CPOOL(l)    ((const pool_t *)(l))
#define IS_SMALL(n)      ((size_t)(n) - 1 < SMALL_REQUEST_THRESHOLD)   /* 1..512 */
#define DUMMY_SIZE_IDX   0xffffu                  /* szidx of a pool never used */

_Static_assert(POOL_OVERHEAD + 2 * SMALL_REQUEST_THRESHOLD <= POOL_SIZE,
               "every pool must hold at least two blocks of the largest class");
_Static_assert(MAX_POOLS_IN_ARENA <= UINT32_MAX, "pool counts are 32-bit");

typedef struct arena_object {
    uintptr_t address;         /* start of the mapping; 0: no arena */
    block   *pool_address;     /* next never-carved pool (high-water mark) */
    uint32_t nfreepools;       /* free pools + never-carved pools */
    uint32_t ntotalpools;      /* pools that fit after alignment */
    pool_t  *freepools;        /* empty pools, through link.nextpool */
    struct arena_object *nextarena;   /* usable_arenas or unused_arena_objects */
    struct arena_object *prevarena;   /* usable_arenas only */
} arena_t;

/* Radix tree leaves: where a real arena starts (tail_hi) and ends (tail_lo)
 * inside one ideal arena-size slot; tail_hi == -1 for an aligned arena. */
typedef struct { int32_t tail_hi, tail_lo; } arena_coverage_t;
typedef struct { arena_coverage_t arenas[MAP_BOT_LENGTH]; } map_bot_t;
typedef struct { map_bot_t *ptrs[MAP_MID_LENGTH]; } map_mid_t;
typedef struct { map_mid_t *ptrs[MAP_TOP_LENGTH]; } map_top_t;

typedef struct pool_ctx {
    /* First, so that pool.h's introspection calls can find the variant
     * (pool or pool-huge) an opaque context belongs to. */
    const gcb_pool_introspect_t *introspect;

    /* Hot: touched by every small malloc/free. */
    pool_link_t usedpools[NB_SMALL_SIZE_CLASSES];   /* sentinels of the used lists */
    uint64_t small_bytes;      /* requested bytes of live pool blocks */
    uint64_t big_bytes;        /* requested bytes of live base blocks */

    const gcb_allocator_t *base;
    void *base_ctx;

    arena_t *arenas;           /* vector of arena objects (libc memory) */
    uint32_t maxarenas;        /* its length */
    arena_t *unused_arena_objects;
    arena_t *usable_arenas;
    arena_t *nfp2lasta[MAX_POOLS_IN_ARENA + 1];

    size_t narenas_currently_allocated;
    size_t ntimes_arena_allocated;
    size_t narenas_highwater;
    size_t narenas_freed;
    size_t npools_in_use;      /* pools used or full */

    size_t page_size;
    int try_hugetlb;           /* pool-huge: ARENA_SIZE is a multiple of the huge page size */
    size_t ntimes_arena_hugetlb; /* pool-huge: arenas mapped with MAP_HUGETLB so far */
    map_top_t *map_root;
    size_t map_mid_count, map_bot_count;
} pool_ctx_t;

#define LIKELY(x)   __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NOINLINE    __attribute__((noinline))
#define COLD        __attribute__((cold, noinline))

#if GCB_DEBUG_CHECKS
static void debug_fail(const char *what, const void *p) COLD;
static void debug_validate(pool_ctx_t *ctx, const char *when);
static int introspect_validate(void *vctx, char *err, size_t errlen);
#define DEBUG_CHECK(cond, what, p) \
    do { if (UNLIKELY(!(cond))) debug_fail(what, p); } while (0)
#else
#define DEBUG_CHECK(cond, what, p) ((void)0)
#endif

/* ======================================================================
 * OS memory: anonymous mappings for arenas and metadata
 * ====================================================================== */

static void *os_map(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void os_unmap(void *p, size_t len)
{
    int rc = p != NULL ? munmap(p, len) : 0;
    assert(rc == 0);
    (void)rc;
}

#if GCB_POOL_HUGEPAGES
/* Map ARENA_SIZE bytes aligned to ARENA_SIZE: a plain mapping when the
 * kernel aligned it, else an over-sized one trimmed on both sides. */
static uintptr_t os_map_aligned_arena(const pool_ctx_t *ctx)
{
    block *raw = os_map(ARENA_SIZE);
    if (raw == NULL)
        return 0;
    if (((uintptr_t)raw & ARENA_SIZE_MASK) == 0)
        return (uintptr_t)raw;
    os_unmap(raw, ARENA_SIZE);
    size_t len = 2 * ARENA_SIZE - ctx->page_size;
    if ((raw = os_map(len)) == NULL)
        return 0;
    uintptr_t start = ((uintptr_t)raw + ARENA_SIZE_MASK) & ~(uintptr_t)ARENA_SIZE_MASK;
    size_t head = start - (uintptr_t)raw, tail = len - head - ARENA_SIZE;
    if (head)
        os_unmap(raw, head);
    if (tail)
        os_unmap((void *)(start + ARENA_SIZE), tail);
    return start;
}

/* The system's huge page size (Hugepagesize of /proc/meminfo), 0 if none. */
static size_t system_huge_page_size(void)
{
    uint64_t b = 0;
    return gcb_proc_kib_line("/proc/meminfo", "Hugepagesize", &b) == 0 ? (size_t)b : 0;
}
#endif

/* Map one arena; returns its address (ARENA_SIZE bytes) or 0. */
static uintptr_t os_map_arena(pool_ctx_t *ctx)
{
#if GCB_POOL_HUGEPAGES
#ifdef MAP_HUGETLB
    if (ctx->try_hugetlb) {
        void *p = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
        if (p != MAP_FAILED) {
            ctx->ntimes_arena_hugetlb++;
            return (uintptr_t)p;
        }
    }
#endif
    uintptr_t start = os_map_aligned_arena(ctx);
#ifdef MADV_HUGEPAGE
    if (start != 0)
        (void)madvise((void *)start, ARENA_SIZE, MADV_HUGEPAGE); /* a hint: refusal is fine */
#endif
    return start;
#elif GCB_POOL_TRIM_ARENAS
    size_t extra = ctx->page_size < POOL_SIZE ? POOL_SIZE - ctx->page_size : 0;
    size_t len = ARENA_SIZE + extra;
    block *raw = os_map(len);
    if (raw == NULL)
        return 0;
    uintptr_t start = ((uintptr_t)raw + POOL_SIZE_MASK) & ~(uintptr_t)POOL_SIZE_MASK;
    size_t head = start - (uintptr_t)raw;
    size_t tail = len - head - ARENA_SIZE;
    if (head)
        os_unmap(raw, head);
    if (tail)
        os_unmap((void *)(start + ARENA_SIZE), tail);
    return start;
#else
    (void)ctx;
    return (uintptr_t)os_map(ARENA_SIZE);
#endif
}

/* ======================================================================
 * Radix tree over arena addresses
 * ====================================================================== */

#define MAP_TOP_INDEX(p) (((uintptr_t)(p) >> MAP_TOP_SHIFT) & (MAP_TOP_LENGTH - 1))
#define MAP_MID_INDEX(p) (((uintptr_t)(p) >> MAP_MID_SHIFT) & (MAP_MID_LENGTH - 1))
#define MAP_BOT_INDEX(p) (((uintptr_t)(p) >> MAP_BOT_SHIFT) & (MAP_BOT_LENGTH - 1))

/* The leaf covering p; NULL if absent and !create or if creation fails. */
static map_bot_t *map_get(pool_ctx_t *ctx, uintptr_t p, int create)
{
    map_mid_t **mid = &ctx->map_root->ptrs[MAP_TOP_INDEX(p)];
    if (*mid == NULL) {
        if (!create || (*mid = os_map(sizeof(map_mid_t))) == NULL)
            return NULL;
        ctx->map_mid_count++;
    }
    map_bot_t **bot = &(*mid)->ptrs[MAP_MID_INDEX(p)];
    if (*bot == NULL) {
        if (!create || (*bot = os_map(sizeof(map_bot_t))) == NULL)
            return NULL;
        ctx->map_bot_count++;
    }
    return *bot;
}

/* Enter (used=1) or remove (used=0) the arena at `base`.  Returns 1, or 0
 * when a node could not be allocated (nothing is left marked then). */
static int map_mark(pool_ctx_t *ctx, uintptr_t base, int used)
{
    map_bot_t *hi = map_get(ctx, base, used);
    if (hi == NULL)
        return 0;
    size_t i = MAP_BOT_INDEX(base);
    int32_t tail = (int32_t)(base & ARENA_SIZE_MASK);
    if (tail == 0) {                      /* ideal: one slot, all of it */
        hi->arenas[i].tail_hi = used ? -1 : 0;
        return 1;
    }
    hi->arenas[i].tail_hi = used ? tail : 0;
    uintptr_t next = base + ARENA_SIZE;   /* the slot where the arena ends */
    assert(next > base);
    map_bot_t *lo = map_get(ctx, next, used);
    if (lo == NULL) {
        hi->arenas[i].tail_hi = 0;
        return 0;
    }
    lo->arenas[MAP_BOT_INDEX(next)].tail_lo = used ? tail : 0;
    return 1;
}

/* The leaf covering p, or NULL; never allocates. */
static inline const map_bot_t *map_find(const pool_ctx_t *ctx, uintptr_t p)
{
    const map_mid_t *mid = ctx->map_root->ptrs[MAP_TOP_INDEX(p)];
    return mid != NULL ? mid->ptrs[MAP_MID_INDEX(p)] : NULL;
}

/* CPython's address_in_range(): is p inside an arena we have mapped? */
static inline int map_is_used(const pool_ctx_t *ctx, const void *p)
{
    const map_bot_t *bot = map_find(ctx, (uintptr_t)p);
    if (bot == NULL)
        return 0;
    const arena_coverage_t *c = &bot->arenas[MAP_BOT_INDEX(p)];
    int32_t tail = (int32_t)((uintptr_t)p & ARENA_SIZE_MASK);
    return tail < c->tail_lo || (tail >= c->tail_hi && c->tail_hi != 0);
}

/* ======================================================================
 * Arenas
 * ====================================================================== */

static uintptr_t first_pool_of(uintptr_t address)
{
    return (address + POOL_SIZE_MASK) & ~(uintptr_t)POOL_SIZE_MASK;
}

/* Map a new arena and return its object, not yet on any list; NULL when
 * out of memory.  Called only when usable_arenas is empty, so nothing
 * points into the arena-object vector when it has to grow. */
static arena_t *new_arena(pool_ctx_t *ctx)
{
    if (ctx->unused_arena_objects == NULL) {
        uint32_t n = ctx->maxarenas ? ctx->maxarenas * 2 : INITIAL_ARENA_OBJECTS;
        if (n <= ctx->maxarenas)
            return NULL;                                  /* overflow */
        assert(ctx->usable_arenas == NULL);
        arena_t *v = realloc(ctx->arenas, (size_t)n * sizeof(arena_t));
        if (v == NULL)
            return NULL;
        ctx->arenas = v;
        for (uint32_t i = ctx->maxarenas; i < n; i++) {
            v[i].address = 0;
            v[i].nextarena = i + 1 < n ? &v[i + 1] : NULL;
        }
        ctx->unused_arena_objects = &v[ctx->maxarenas];
        ctx->maxarenas = n;
    }

    arena_t *a = ctx->unused_arena_objects;
    uintptr_t address = os_map_arena(ctx);
    if (address != 0 && !map_mark(ctx, address, 1)) {
        os_unmap((void *)address, ARENA_SIZE);
        address = 0;
    }
    if (address == 0)
        return NULL;                    /* `a` stays on the unused list */
    ctx->unused_arena_objects = a->nextarena;

    uintptr_t first = first_pool_of(address);
    a->address = address;
    a->pool_address = (block *)first;
    a->ntotalpools = (uint32_t)((address + ARENA_SIZE - first) / POOL_SIZE);
    a->nfreepools = a->ntotalpools;
    a->freepools = NULL;
    a->nextarena = a->prevarena = NULL;

    ctx->narenas_currently_allocated++;
    ctx->ntimes_arena_allocated++;
    if (ctx->narenas_currently_allocated > ctx->narenas_highwater)
        ctx->narenas_highwater = ctx->narenas_currently_allocated;
    return a;
}

/* Unmap the arena of `a` (already off usable_arenas) and recycle `a`. */
static void free_arena(pool_ctx_t *ctx, arena_t *a)
{
    map_mark(ctx, a->address, 0);
    os_unmap((void *)a->address, ARENA_SIZE);
    a->address = 0;
    a->nextarena = ctx->unused_arena_objects;
    ctx->unused_arena_objects = a;
    ctx->narenas_currently_allocated--;
    ctx->narenas_freed++;
}

/* ======================================================================
 * Pools
 * ====================================================================== */

static inline void used_push_front(pool_ctx_t *ctx, pool_t *pool)
{
    pool_link_t *head = &ctx->usedpools[pool->szidx];
    pool_link_t *first = head->nextpool;
    pool->link.nextpool = first;
    pool->link.prevpool = head;
    first->prevpool = &pool->link;
    head->nextpool = &pool->link;
}

static inline void used_unlink(pool_t *pool)
{
    pool_link_t *next = pool->link.nextpool, *prev = pool->link.prevpool;
    next->prevpool = prev;
    prev->nextpool = next;
}

/* The free list of a used pool ran dry: carve the next virgin block, or, if
 * every block has been carved, the pool is full: unlink it. */
static inline void pool_extend(pool_t *pool, uint32_t szidx)
{
    if (pool->nextoffset <= pool->maxnextoffset) {
        block *bp = (block *)pool + pool->nextoffset;
        pool->nextoffset += INDEX2SIZE(szidx);
        *(block **)bp = NULL;
        pool->freeblock = bp;
        return;
    }
    used_unlink(pool);
}

/* No usable arena: map one and make it the whole usable_arenas list. */
static COLD arena_t *usable_arena_from_os(pool_ctx_t *ctx)
{
    arena_t *a = new_arena(ctx);
    if (a == NULL)
        return NULL;
    ctx->usable_arenas = a;
    assert(ctx->nfp2lasta[a->nfreepools] == NULL);
    ctx->nfp2lasta[a->nfreepools] = a;
#if GCB_DEBUG_CHECKS
    debug_validate(ctx, "new arena");
#endif
    return a;
}

/* usedpools[szidx] is empty: take a pool from the head of usable_arenas
 * (mapping a new arena if there is none), make it used, return a block. */
static NOINLINE void *allocate_from_new_pool(pool_ctx_t *ctx, uint32_t szidx, size_t nbytes)
{
    arena_t *a = ctx->usable_arenas;
    if (UNLIKELY(a == NULL) && (a = usable_arena_from_os(ctx)) == NULL)
        return NULL;
    assert(a->address != 0 && a->nfreepools > 0);

    /* The head has the fewest free pools, so one fewer keeps the order;
     * only the fingers move. */
    uint32_t nf = a->nfreepools;
    if (ctx->nfp2lasta[nf] == a)
        ctx->nfp2lasta[nf] = NULL;
    if (nf > 1) {
        assert(ctx->nfp2lasta[nf - 1] == NULL);
        ctx->nfp2lasta[nf - 1] = a;
    }

    pool_t *pool = a->freepools;
    if (pool != NULL) {                    /* a cached empty pool */
        a->freepools = LINK_POOL(pool->link.nextpool);
    } else {                               /* carve a pool off the high-water mark */
        assert((uintptr_t)a->pool_address + POOL_SIZE <= a->address + ARENA_SIZE);
        pool = (pool_t *)a->pool_address;
        pool->arenaindex = (uint32_t)(a - ctx->arenas);
        pool->szidx = DUMMY_SIZE_IDX;
        a->pool_address += POOL_SIZE;
    }
    if (--a->nfreepools == 0) {            /* wholly allocated: off the list */
        assert(a->freepools == NULL);
        ctx->usable_arenas = a->nextarena;
        if (ctx->usable_arenas != NULL)
            ctx->usable_arenas->prevarena = NULL;
    }
    ctx->npools_in_use++;

    pool->count = 1;
    ctx->small_bytes += nbytes;
    if (pool->szidx == szidx) {
        /* Last used for this class: header and free list are ready, and the
         * free list holds every carved block (>= 2), so it stays non-empty. */
        block *bp = pool->freeblock;
        pool->freeblock = *(block **)bp;
        assert(pool->freeblock != NULL);
        used_push_front(ctx, pool);
        return bp;
    }
    uint32_t size = INDEX2SIZE(szidx);
    pool->szidx = szidx;
    block *bp = (block *)pool + POOL_OVERHEAD;
    pool->nextoffset = (uint32_t)POOL_OVERHEAD + 2 * size;
    pool->maxnextoffset = (uint32_t)POOL_SIZE - size;
    pool->freeblock = bp + size;
    *(block **)pool->freeblock = NULL;
    used_push_front(ctx, pool);
    return bp;
}

/* A used pool has just become empty: move it to its arena's free pools and
 * keep usable_arenas sorted (CPython's insert_to_freepool). */
static NOINLINE void pool_became_empty(pool_ctx_t *ctx, pool_t *pool)
{
    used_unlink(pool);
    ctx->npools_in_use--;

    arena_t *a = &ctx->arenas[pool->arenaindex];
    pool->link.nextpool = (pool_link_t *)a->freepools;   /* link is at offset 0 */
    a->freepools = pool;

    uint32_t nf = a->nfreepools;
    arena_t *lastnf = ctx->nfp2lasta[nf];
    /* nf == 0: a was full and on no list, and no listed arena has 0. */
    assert((nf == 0 && lastnf == NULL) ||
           (nf > 0 && lastnf != NULL && lastnf->nfreepools == nf &&
            (lastnf->nextarena == NULL || nf < lastnf->nextarena->nfreepools)));
    if (lastnf == a) {                     /* a was the rightmost with nf */
        arena_t *p = a->prevarena;
        ctx->nfp2lasta[nf] = (p != NULL && p->nfreepools == nf) ? p : NULL;
    }
    a->nfreepools = ++nf;

    /* Case 1: wholly free and not the last usable arena: back to the OS. */
    if (nf == a->ntotalpools && a->nextarena != NULL) {
        if (a->prevarena == NULL)
            ctx->usable_arenas = a->nextarena;
        else
            a->prevarena->nextarena = a->nextarena;
        a->nextarena->prevarena = a->prevarena;
        free_arena(ctx, a);
#if GCB_DEBUG_CHECKS
        debug_validate(ctx, "arena freed");
#endif
        return;
    }

    /* Case 2: the arena was full: it has the fewest free pools (1), so it
     * goes to the head. */
    if (nf == 1) {
        a->nextarena = ctx->usable_arenas;
        a->prevarena = NULL;
        if (ctx->usable_arenas != NULL)
            ctx->usable_arenas->prevarena = a;
        ctx->usable_arenas = a;
        if (ctx->nfp2lasta[1] == NULL)
            ctx->nfp2lasta[1] = a;
        return;
    }

    if (ctx->nfp2lasta[nf] == NULL)
        ctx->nfp2lasta[nf] = a;
    /* Case 4: a was already the rightmost with nf-1, so every arena to its
     * right has >= nf free pools: still sorted. */
    if (a == lastnf)
        return;

    /* Case 3: move a right, to just after lastnf (the last arena with its
     * old count). */
    assert(a->nextarena != NULL);
    if (a->prevarena != NULL)
        a->prevarena->nextarena = a->nextarena;
    else
        ctx->usable_arenas = a->nextarena;
    a->nextarena->prevarena = a->prevarena;
    a->prevarena = lastnf;
    a->nextarena = lastnf->nextarena;
    if (a->nextarena != NULL)
        a->nextarena->prevarena = a;
    lastnf->nextarena = a;
    assert(a->nextarena == NULL || nf <= a->nextarena->nfreepools);
    assert(a->prevarena == NULL || nf > a->prevarena->nfreepools);
}

/* ======================================================================
 * Big requests: the base allocator
 * ====================================================================== */

static void *libc_malloc(void *c, size_t n) { (void)c; return malloc(n); }
static void  libc_free(void *c, void *p, size_t n) { (void)c; (void)n; free(p); }
static void *libc_realloc(void *c, void *p, size_t o, size_t n)
{
    (void)c; (void)o;
    return realloc(p, n ? n : 1);          /* realloc(p, 0) would free p */
}

/* Used when create() is given no base: the C library, file-local. */
static const gcb_allocator_t libc_base = {
    .name = "libc", .description = "C library malloc (pool fallback)",
    .malloc = libc_malloc, .free = libc_free, .realloc = libc_realloc,
};

static NOINLINE void *big_malloc(pool_ctx_t *ctx, size_t n)
{
    void *p = ctx->base->malloc(ctx->base_ctx, n);
    if (p != NULL)
        ctx->big_bytes += n;
    return p;
}

static NOINLINE void big_free(pool_ctx_t *ctx, void *p, size_t n)
{
    if (p == NULL)
        return;
    DEBUG_CHECK(!map_is_used(ctx, p), "free of a pool block with a big size", p);
    ctx->base->free(ctx->base_ctx, p, n);
    ctx->big_bytes -= n;
}

/* ======================================================================
 * The descriptor's entry points
 * ====================================================================== */

static void *pool_malloc(void *vctx, size_t nbytes)
{
    pool_ctx_t *ctx = vctx;
    if (LIKELY(IS_SMALL(nbytes))) {
        uint32_t szidx = (uint32_t)(nbytes - 1) >> ALIGNMENT_SHIFT;
        pool_link_t *head = &ctx->usedpools[szidx];
        pool_t *pool = LINK_POOL(head->nextpool);
        if (UNLIKELY(&pool->link == head))       /* no used pool: tail call */
            return allocate_from_new_pool(ctx, szidx, nbytes);
        /* A used pool: pop the head of its free list. */
        block *bp = pool->freeblock;
        assert(bp != NULL);
        pool->count++;
        block *next = *(block **)bp;
        pool->freeblock = next;
        if (UNLIKELY(next == NULL))
            pool_extend(pool, szidx);
        ctx->small_bytes += nbytes;
        return bp;
    }
    return big_malloc(ctx, nbytes);
}

static void pool_free(void *vctx, void *p, size_t nbytes)
{
    pool_ctx_t *ctx = vctx;
    if (LIKELY(IS_SMALL(nbytes) && p != NULL)) {
        pool_t *pool = POOL_ADDR(p);
        assert(map_is_used(ctx, p));
        DEBUG_CHECK(map_is_used(ctx, p), "free of a pointer outside every arena", p);
        DEBUG_CHECK(pool->count > 0 && pool->szidx < NB_SMALL_SIZE_CLASSES &&
                    (uintptr_t)p - (uintptr_t)pool >= POOL_OVERHEAD &&
                    ((uintptr_t)p - (uintptr_t)pool - POOL_OVERHEAD) % INDEX2SIZE(pool->szidx) == 0 &&
                    (uintptr_t)p - (uintptr_t)pool < pool->nextoffset &&
                    nbytes <= INDEX2SIZE(pool->szidx),
                    "free of a pointer that is not a live pool block", p);
        block *lastfree = pool->freeblock;
        *(block **)p = lastfree;
        pool->freeblock = p;
        uint32_t left = --pool->count;
        ctx->small_bytes -= nbytes;
        if (UNLIKELY(lastfree == NULL)) {
            /* full -> used: front of its class list, so the block just
             * freed is the next one handed out (left >= numblocks-1 >= 1). */
            used_push_front(ctx, pool);
            return;
        }
        if (UNLIKELY(left == 0))
            pool_became_empty(ctx, pool);          /* used -> empty */
        return;
    }
    big_free(ctx, p, nbytes);
}

static void *pool_realloc(void *vctx, void *p, size_t old_size, size_t new_size)
{
    pool_ctx_t *ctx = vctx;
    if (p == NULL)
        return pool_malloc(ctx, new_size);

    /* Ownership from the radix tree, as CPython decides it; the sized
     * interface makes it the same as IS_SMALL(old_size). */
    int ours = map_is_used(ctx, p);
    assert(ours == (int)IS_SMALL(old_size));
    DEBUG_CHECK(ours == (int)IS_SMALL(old_size), "realloc with a wrong old size", p);

    if (ours) {
        uint32_t bsize = INDEX2SIZE(POOL_ADDR(p)->szidx);
        /* Same block, or shrinking by less than a quarter: stay. */
        if (IS_SMALL(new_size) && new_size <= bsize && 4 * new_size > 3 * (size_t)bsize) {
            ctx->small_bytes += new_size - old_size;    /* modular: may shrink */
            return p;
        }
    } else if (!IS_SMALL(new_size)) {
        void *q = ctx->base->realloc(ctx->base_ctx, p, old_size, new_size);
        if (q != NULL)
            ctx->big_bytes += new_size - old_size;
        return q;
    }
    /* Across classes or across the 512-byte line: allocate, copy, free. */
    void *q = pool_malloc(ctx, new_size);
    if (q == NULL)
        return NULL;
    memcpy(q, p, old_size < new_size ? old_size : new_size);
    pool_free(ctx, p, old_size);
    return q;
}

static void pool_stats(void *vctx, gcb_alloc_stats_t *out)
{
    const pool_ctx_t *ctx = vctx;
    out->allocated = ctx->small_bytes + ctx->big_bytes;
    out->active = (uint64_t)ctx->npools_in_use * POOL_SIZE + ctx->big_bytes;
    out->resident = GCB_STAT_UNKNOWN;
    out->mapped = (uint64_t)ctx->narenas_currently_allocated * ARENA_SIZE;
    out->arenas = ctx->narenas_currently_allocated;
    out->arenas_freed = ctx->narenas_freed;
}

static void *pool_create(const gcb_allocator_t *base, void *base_ctx,
                         char *errbuf, size_t errlen)
{
    pool_ctx_t *ctx = os_map(sizeof(pool_ctx_t));
    map_top_t *root = ctx ? os_map(sizeof(map_top_t)) : NULL;
    if (root == NULL) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "pool: cannot map %zu bytes of metadata: %s",
                     sizeof(pool_ctx_t) + sizeof(map_top_t), strerror(errno));
        os_unmap(ctx, sizeof(pool_ctx_t));
        return NULL;
    }
    /* mmap memory is zero: every pointer NULL, every counter 0. */
    for (size_t i = 0; i < NB_SMALL_SIZE_CLASSES; i++)
        ctx->usedpools[i].nextpool = ctx->usedpools[i].prevpool = &ctx->usedpools[i];
    ctx->base = base ? base : &libc_base;
    ctx->base_ctx = base ? base_ctx : NULL;
    long ps = sysconf(_SC_PAGESIZE);
    ctx->page_size = ps > 0 ? (size_t)ps : 4096;
    ctx->map_root = root;
    ctx->introspect = &POOL_SYM(gcb_pool_introspect);
#if GCB_POOL_HUGEPAGES
    size_t huge = system_huge_page_size();
    ctx->try_hugetlb = huge != 0 && ARENA_SIZE % huge == 0;
#endif
    return ctx;
}

static void pool_destroy(void *vctx)
{
    pool_ctx_t *ctx = vctx;
    if (ctx == NULL)
        return;
    /* Blocks handed to base die with base; only our mappings go here. */
    for (uint32_t i = 0; i < ctx->maxarenas; i++)
        if (ctx->arenas[i].address != 0)
            os_unmap((void *)ctx->arenas[i].address, ARENA_SIZE);
    free(ctx->arenas);
    for (size_t i = 0; i < MAP_TOP_LENGTH; i++) {
        map_mid_t *mid = ctx->map_root->ptrs[i];
        if (mid == NULL)
            continue;
        for (size_t j = 0; j < MAP_MID_LENGTH; j++)
            os_unmap(mid->ptrs[j], sizeof(map_bot_t));
        os_unmap(mid, sizeof(map_mid_t));
    }
    os_unmap(ctx->map_root, sizeof(map_top_t));
    os_unmap(ctx, sizeof(pool_ctx_t));
}

const gcb_allocator_t POOL_SYM(gcb_alloc_pool) = {
#if GCB_POOL_HUGEPAGES
    .name = "pool-huge",
    .description = "pymalloc with CPython 3.15's opt-in huge-page arenas (2 MiB, MAP_HUGETLB else "
                   "MADV_HUGEPAGE); pool-huge+BASE too",
#else
    .name = "pool",
    .description = "CPython's pymalloc (16-byte classes to 512, 16 KiB pools, 1 MiB arenas) over glibc",
#endif
    .create = pool_create,
    .destroy = pool_destroy,
    .malloc = pool_malloc,
    .free = pool_free,
    .realloc = pool_realloc,
    .stats = pool_stats,
};

/* ======================================================================
 * Introspection (pool.h)
 * ====================================================================== */

static void introspect_info(void *vctx, gcb_pool_info_t *out)
{
    const pool_ctx_t *ctx = vctx;
    memset(out, 0, sizeof *out);
    out->pool_size = POOL_SIZE;
    out->arena_size = ARENA_SIZE;
    out->pool_overhead = POOL_OVERHEAD;
    out->nclasses = NB_SMALL_SIZE_CLASSES;
    out->small_threshold = SMALL_REQUEST_THRESHOLD;
    out->trim_arenas = GCB_POOL_TRIM_ARENAS;
    out->hugepages = GCB_POOL_HUGEPAGES;
    out->arenas_hugetlb = ctx->ntimes_arena_hugetlb;
    out->arenas = ctx->narenas_currently_allocated;
    out->arenas_freed = ctx->narenas_freed;
    out->arenas_allocated = ctx->ntimes_arena_allocated;
    out->arenas_highwater = ctx->narenas_highwater;
    out->arena_objects = ctx->maxarenas;
    for (const arena_t *a = ctx->usable_arenas; a != NULL; a = a->nextarena)
        out->usable_arenas++;
    out->pools_in_use = ctx->npools_in_use;
    out->small_bytes = ctx->small_bytes;
    out->big_bytes = ctx->big_bytes;
    out->radix_nodes = ctx->map_mid_count + ctx->map_bot_count;
}

static int introspect_owns(void *ctx, const void *p)
{
    return map_is_used(ctx, p);
}

static int introspect_block_info(void *vctx, const void *p, gcb_pool_block_info_t *out)
{
    const pool_ctx_t *ctx = vctx;
    if (!map_is_used(ctx, p))
        return -1;
    const pool_t *pool = POOL_ADDR(p);
    out->pool = (uintptr_t)pool;
    out->arenaindex = pool->arenaindex;
    out->szidx = pool->szidx;
    out->block_size = pool->szidx < NB_SMALL_SIZE_CLASSES ? INDEX2SIZE(pool->szidx) : 0;
    out->count = pool->count;
    out->numblocks = pool->szidx < NB_SMALL_SIZE_CLASSES ? NUMBLOCKS(pool->szidx) : 0;
    out->nextoffset = pool->nextoffset;
    out->maxnextoffset = pool->maxnextoffset;
    return 0;
}

static int introspect_arena_info(void *vctx, unsigned index, gcb_pool_arena_info_t *out)
{
    const pool_ctx_t *ctx = vctx;
    if (index >= ctx->maxarenas || ctx->arenas[index].address == 0)
        return -1;
    const arena_t *a = &ctx->arenas[index];
    out->address = a->address;
    out->nfreepools = a->nfreepools;
    out->ntotalpools = a->ntotalpools;
    return 0;
}

static size_t introspect_usable_arenas(void *vctx, unsigned *indices, size_t max)
{
    const pool_ctx_t *ctx = vctx;
    size_t n = 0;
    for (const arena_t *a = ctx->usable_arenas; a != NULL; a = a->nextarena, n++)
        if (n < max)
            indices[n] = (unsigned)(a - ctx->arenas);
    return n;
}

/* ======================================================================
 * Validation
 * ====================================================================== */

enum { PS_FULL = 0, PS_USED = 1, PS_EMPTY = 2 };   /* pool state marks */

/* The pool `p` claims to be, checked to be a carved pool of a live arena;
 * returns its slot (arena * MAX_POOLS_IN_ARENA + pool) or -1. */
static long pool_slot(const pool_ctx_t *ctx, const pool_t *pool)
{
    if ((uintptr_t)pool & POOL_SIZE_MASK)
        return -1;
    if (pool->arenaindex >= ctx->maxarenas)
        return -1;
    const arena_t *a = &ctx->arenas[pool->arenaindex];
    uintptr_t first = first_pool_of(a->address);
    if (a->address == 0 || (uintptr_t)pool < first || (uintptr_t)pool >= (uintptr_t)a->pool_address)
        return -1;
    return (long)pool->arenaindex * (long)MAX_POOLS_IN_ARENA +
           (long)(((uintptr_t)pool - first) / POOL_SIZE);
}

/* The validator is one check per structure, each returning 0 or -1 with
 * the first broken invariant in v->err; introspect_validate runs them in
 * order (arena objects, radix tree, usedpools, free pools, every carved
 * pool, usable_arenas), since later checks rely on what earlier ones
 * established (arena objects well formed, each listed pool's state mark). */
typedef struct validation {
    const pool_ctx_t *ctx;
    char *err;
    size_t errlen;
    size_t nslots;             /* maxarenas * MAX_POOLS_IN_ARENA */
    uint8_t *mark;             /* per pool slot: 0 unseen, else PS_* + 1 */
    uint8_t *onlist;           /* per arena object: times seen on usable_arenas */
    uint8_t *seen;             /* per block of one pool: on its free list */
    size_t nlive, nideal;      /* live arenas; of them, arena-size-aligned ones */
} validation_t;

static int vfail(validation_t *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vfail(validation_t *v, const char *fmt, ...)
{
    int n = snprintf(v->err, v->errlen, "pool_validate: ");
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < v->errlen)
        vsnprintf(v->err + n, v->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

#define FAIL(...) return vfail(v, __VA_ARGS__)

/* One live arena object: geometry, counts, and its radix-tree entries (the
 * first and last byte covered, the leaf slots holding exactly its offsets). */
static int check_arena(validation_t *v, uint32_t i, const arena_t *a)
{
    const pool_ctx_t *ctx = v->ctx;
    uintptr_t first = first_pool_of(a->address), end = a->address + ARENA_SIZE;
    if (GCB_POOL_TRIM_ARENAS && first != a->address)
        FAIL("arena %u at %#lx is not pool-aligned", i, (unsigned long)a->address);
    if (a->ntotalpools != (end - first) / POOL_SIZE)
        FAIL("arena %u: ntotalpools %u, expected %zu", i, a->ntotalpools,
             (size_t)((end - first) / POOL_SIZE));
    uintptr_t hw = (uintptr_t)a->pool_address;
    if (hw < first || hw > first + a->ntotalpools * POOL_SIZE || (hw - first) % POOL_SIZE)
        FAIL("arena %u: pool_address %#lx out of range", i, (unsigned long)hw);
    if (a->nfreepools > a->ntotalpools)
        FAIL("arena %u: nfreepools %u > ntotalpools %u", i, a->nfreepools, a->ntotalpools);
    if (!map_is_used(ctx, (void *)a->address) || !map_is_used(ctx, (void *)(end - 1)) ||
        !map_is_used(ctx, (void *)first))
        FAIL("arena %u at %#lx is not in the radix tree", i, (unsigned long)a->address);
    int32_t tail = (int32_t)(a->address & ARENA_SIZE_MASK);
    const map_bot_t *hi = map_find(ctx, a->address);
    if (tail == 0) {
        v->nideal++;
        if (hi->arenas[MAP_BOT_INDEX(a->address)].tail_hi != -1)
            FAIL("arena %u: radix slot tail_hi %d, expected -1", i,
                 hi->arenas[MAP_BOT_INDEX(a->address)].tail_hi);
    } else {
        const map_bot_t *lo = map_find(ctx, end);
        if (hi->arenas[MAP_BOT_INDEX(a->address)].tail_hi != tail ||
            lo == NULL || lo->arenas[MAP_BOT_INDEX(end)].tail_lo != tail)
            FAIL("arena %u: radix slots do not record offset %d", i, tail);
    }
    return 0;
}

/* Arena objects: live ones well formed, the rest on the unused list, and
 * the live count matching its counter. */
static int check_arena_objects(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    size_t nunused = 0;
    for (uint32_t i = 0; i < ctx->maxarenas; i++) {
        const arena_t *a = &ctx->arenas[i];
        if (a->address == 0)
            continue;
        v->nlive++;
        if (check_arena(v, i, a))
            return -1;
    }
    for (const arena_t *a = ctx->unused_arena_objects; a != NULL; a = a->nextarena) {
        if (++nunused > ctx->maxarenas)
            FAIL("unused_arena_objects is cyclic");
        if (a < ctx->arenas || a >= ctx->arenas + ctx->maxarenas)
            FAIL("unused_arena_objects holds a foreign object");
        if (a->address != 0)
            FAIL("arena %ld on unused_arena_objects has an address", (long)(a - ctx->arenas));
    }
    if (v->nlive != ctx->narenas_currently_allocated)
        FAIL("%zu live arenas, counter says %zu", v->nlive, ctx->narenas_currently_allocated);
    if (v->nlive + nunused != ctx->maxarenas)
        FAIL("%zu live + %zu unused arena objects != %u", v->nlive, nunused, ctx->maxarenas);
    return 0;
}

/* The radix tree holds nothing but the live arenas: count every non-zero
 * leaf entry, and the nodes against their counters. */
static int check_radix_tree(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    size_t his = 0, los = 0, mids = 0, bots = 0;
    for (size_t i = 0; i < MAP_TOP_LENGTH; i++) {
        const map_mid_t *mid = ctx->map_root->ptrs[i];
        if (mid == NULL)
            continue;
        mids++;
        for (size_t j = 0; j < MAP_MID_LENGTH; j++) {
            const map_bot_t *bot = mid->ptrs[j];
            if (bot == NULL)
                continue;
            bots++;
            for (size_t k = 0; k < MAP_BOT_LENGTH; k++) {
                his += bot->arenas[k].tail_hi != 0;
                los += bot->arenas[k].tail_lo != 0;
            }
        }
    }
    if (his != v->nlive || los != v->nlive - v->nideal)
        FAIL("radix tree has %zu arena starts and %zu ends, expected %zu and %zu",
             his, los, v->nlive, v->nlive - v->nideal);
    if (mids != ctx->map_mid_count || bots != ctx->map_bot_count)
        FAIL("radix node counts %zu/%zu, counters %zu/%zu", mids, bots,
             ctx->map_mid_count, ctx->map_bot_count);
    return 0;
}

/* usedpools: circular lists of used pools of the right class; marks each
 * listed pool PS_USED. */
static int check_usedpools(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    size_t cap = v->nslots + 1;
    for (uint32_t c = 0; c < NB_SMALL_SIZE_CLASSES; c++) {
        const pool_link_t *head = &ctx->usedpools[c], *prev = head;
        size_t steps = 0;
        for (const pool_link_t *l = head->nextpool; l != head; prev = l, l = l->nextpool) {
            if (++steps > cap)
                FAIL("usedpools[%u] is not a cycle through its head", c);
            if (l->prevpool != prev)
                FAIL("usedpools[%u]: broken prevpool link", c);
            const pool_t *pool = LINK_CPOOL(l);
            long slot = pool_slot(ctx, pool);
            if (slot < 0)
                FAIL("usedpools[%u] holds %p, not a carved pool of a live arena", c, (const void *)pool);
            if (v->mark[slot])
                FAIL("pool %p is on two lists", (const void *)pool);
            v->mark[slot] = 1 + PS_USED;
            if (pool->szidx != c)
                FAIL("pool %p of class %u is on usedpools[%u]", (const void *)pool, pool->szidx, c);
            if (pool->count == 0 || pool->count >= NUMBLOCKS(c) || pool->freeblock == NULL)
                FAIL("pool %p on usedpools[%u] is not used (count %u, freeblock %p)",
                     (const void *)pool, c, pool->count, (const void *)pool->freeblock);
        }
        if (head->prevpool != prev)
            FAIL("usedpools[%u]: head's prevpool is not the last pool", c);
    }
    return 0;
}

/* Each arena's free pools: its own carved pools, empty, each on one list
 * (marked PS_EMPTY), and nfreepools = free + never carved. */
static int check_freepools(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    for (uint32_t i = 0; i < ctx->maxarenas; i++) {
        const arena_t *a = &ctx->arenas[i];
        if (a->address == 0)
            continue;
        size_t nfree = 0;
        for (const pool_t *pool = a->freepools; pool != NULL; pool = LINK_CPOOL(pool->link.nextpool)) {
            if (++nfree > MAX_POOLS_IN_ARENA)
                FAIL("arena %u: freepools is cyclic", i);
            long slot = pool_slot(ctx, pool);
            if (slot < 0 || pool->arenaindex != i)
                FAIL("arena %u: freepools holds %p, not one of its carved pools", i, (const void *)pool);
            if (v->mark[slot])
                FAIL("pool %p is on two lists", (const void *)pool);
            v->mark[slot] = 1 + PS_EMPTY;
            if (pool->count != 0)
                FAIL("pool %p on freepools has %u blocks in use", (const void *)pool, pool->count);
        }
        size_t virgin = (a->address + ARENA_SIZE - (uintptr_t)a->pool_address) / POOL_SIZE;
        if (a->nfreepools != nfree + virgin)
            FAIL("arena %u: nfreepools %u != %zu free + %zu never carved",
                 i, a->nfreepools, nfree, virgin);
    }
    return 0;
}

/* One carved pool of arena i: header, free list, and the state its list
 * (or none: full) implies.  Adds one to *inuse for a used or full pool. */
static int check_pool(validation_t *v, uint32_t i, const pool_t *pool, size_t *inuse)
{
    uintptr_t pa = (uintptr_t)pool;
    long slot = pool_slot(v->ctx, pool);
    if (slot < 0 || pool->arenaindex != i)
        FAIL("pool %p of arena %u has arenaindex %u", (const void *)pool, i, pool->arenaindex);
    int state = v->mark[slot] ? v->mark[slot] - 1 : PS_FULL;
    uint32_t c = pool->szidx;
    if (c >= NB_SMALL_SIZE_CLASSES)
        FAIL("pool %p has size class %u", (const void *)pool, c);
    uint32_t size = INDEX2SIZE(c), nb = NUMBLOCKS(c);
    if (pool->maxnextoffset != POOL_SIZE - size)
        FAIL("pool %p: maxnextoffset %u", (const void *)pool, pool->maxnextoffset);
    if (pool->nextoffset < POOL_OVERHEAD + 2 * size || pool->nextoffset > pool->maxnextoffset + size ||
        (pool->nextoffset - POOL_OVERHEAD) % size)
        FAIL("pool %p: nextoffset %u", (const void *)pool, pool->nextoffset);
    uint32_t carved = (uint32_t)((pool->nextoffset - POOL_OVERHEAD) / size);
    memset(v->seen, 0, nb);
    uint32_t flen = 0;
    for (const block *b = pool->freeblock; b != NULL; b = *(block *const *)b) {
        uintptr_t off = (uintptr_t)b - pa;
        if ((uintptr_t)b < pa || off < POOL_OVERHEAD || off >= pool->nextoffset || (off - POOL_OVERHEAD) % size)
            FAIL("pool %p: free block %p outside the carved blocks", (const void *)pool, (const void *)b);
        uint32_t k = (uint32_t)((off - POOL_OVERHEAD) / size);
        if (v->seen[k])
            FAIL("pool %p: block %p twice on the free list", (const void *)pool, (const void *)b);
        v->seen[k] = 1;
        flen++;
    }
    if (pool->count + flen != carved)
        FAIL("pool %p: %u in use + %u free != %u carved", (const void *)pool, pool->count, flen, carved);
    if (state == PS_FULL && (pool->count != nb || pool->freeblock != NULL || pool->nextoffset <= pool->maxnextoffset))
        FAIL("pool %p (class %u, %u/%u in use) is on no list but not full", (const void *)pool, c, pool->count, nb);
    if (state != PS_EMPTY)
        (*inuse)++;
    return 0;
}

/* Every carved pool of every live arena, and the pools-in-use counter. */
static int check_pools(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    size_t inuse = 0;
    for (uint32_t i = 0; i < ctx->maxarenas; i++) {
        const arena_t *a = &ctx->arenas[i];
        if (a->address == 0)
            continue;
        for (uintptr_t pa = first_pool_of(a->address); pa < (uintptr_t)a->pool_address; pa += POOL_SIZE)
            if (check_pool(v, i, (const pool_t *)pa, &inuse))
                return -1;
    }
    if (inuse != ctx->npools_in_use)
        FAIL("%zu pools in use, counter says %zu", inuse, ctx->npools_in_use);
    return 0;
}

/* One arena of usable_arenas (prev its predecessor, NULL for the head):
 * listed once, linked back, usable, in order, its finger right. */
static int check_usable_arena(validation_t *v, const arena_t *prev, const arena_t *a, size_t *wholly_free)
{
    const pool_ctx_t *ctx = v->ctx;
    if (a < ctx->arenas || a >= ctx->arenas + ctx->maxarenas)
        FAIL("usable_arenas holds a foreign object");
    long ai = (long)(a - ctx->arenas);
    if (v->onlist[ai]++)
        FAIL("arena %ld twice on usable_arenas", ai);
    if (a->prevarena != prev)
        FAIL("usable_arenas: broken prevarena at arena %ld", ai);
    if (a->address == 0 || a->nfreepools == 0)
        FAIL("arena %ld on usable_arenas is %s", ai, a->address ? "full" : "unmapped");
    if (prev != NULL && prev->nfreepools > a->nfreepools)
        FAIL("usable_arenas out of order: %u free pools before %u", prev->nfreepools, a->nfreepools);
    if (a->nfreepools == a->ntotalpools) {
        (*wholly_free)++;
        if (GCB_POOL_TRIM_ARENAS && a->nextarena != NULL)
            FAIL("wholly free arena %ld is not the last usable arena", ai);
    }
    if ((a->nextarena == NULL || a->nextarena->nfreepools != a->nfreepools) && ctx->nfp2lasta[a->nfreepools] != a)
        FAIL("nfp2lasta[%u] is not the last arena with %u free pools", a->nfreepools, a->nfreepools);
    return 0;
}

/* usable_arenas: sorted, complete (every arena with free pools), at most
 * one wholly free arena, and every nfp2lasta finger on a listed arena. */
static int check_usable_arenas(validation_t *v)
{
    const pool_ctx_t *ctx = v->ctx;
    size_t n = 0, nusable = 0, wholly_free = 0;
    for (uint32_t i = 0; i < ctx->maxarenas; i++)
        if (ctx->arenas[i].address != 0 && ctx->arenas[i].nfreepools > 0)
            nusable++;
    const arena_t *prev = NULL;
    for (const arena_t *a = ctx->usable_arenas; a != NULL; prev = a, a = a->nextarena) {
        if (++n > ctx->maxarenas)
            FAIL("usable_arenas is cyclic");
        if (check_usable_arena(v, prev, a, &wholly_free))
            return -1;
    }
    if (n != nusable)
        FAIL("usable_arenas has %zu arenas, %zu have free pools", n, nusable);
    if (GCB_POOL_TRIM_ARENAS && wholly_free > 1)
        FAIL("%zu wholly free arenas kept", wholly_free);
    for (size_t k = 0; k <= MAX_POOLS_IN_ARENA; k++) {
        const arena_t *f = ctx->nfp2lasta[k];
        if (f != NULL && (f < ctx->arenas || f >= ctx->arenas + ctx->maxarenas || !v->onlist[f - ctx->arenas] ||
                          f->nfreepools != k))
            FAIL("nfp2lasta[%zu] points to an arena that is not listed with %zu free pools", k, k);
    }
    return 0;
}

#undef FAIL

static int introspect_validate(void *vctx, char *err, size_t errlen)
{
    const pool_ctx_t *ctx = vctx;
    char dummy[1];
    if (err == NULL || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    validation_t v = { .ctx = ctx, .err = err, .errlen = errlen };
    v.nslots = (size_t)ctx->maxarenas * MAX_POOLS_IN_ARENA;
    v.mark = calloc(v.nslots ? v.nslots : 1, 1);
    v.onlist = calloc(ctx->maxarenas ? ctx->maxarenas : 1, 1);
    v.seen = malloc(NUMBLOCKS(0));
    int rc;
    if (v.mark == NULL || v.onlist == NULL || v.seen == NULL)
        rc = vfail(&v, "out of memory");
    else
        rc = check_arena_objects(&v) || check_radix_tree(&v) || check_usedpools(&v) || check_freepools(&v) ||
             check_pools(&v) || check_usable_arenas(&v) ? -1 : 0;
    free(v.mark);
    free(v.onlist);
    free(v.seen);
    return rc;
}

#if GCB_DEBUG_CHECKS
static void debug_fail(const char *what, const void *p)
{
    fprintf(stderr, "pool: %s (%p)\n", what, p);
    abort();
}

static void debug_validate(pool_ctx_t *ctx, const char *when)
{
    char err[256];
    if (introspect_validate(ctx, err, sizeof err) != 0) {
        fprintf(stderr, "pool: after %s: %s\n", when, err);
        abort();
    }
}
#endif

const gcb_pool_introspect_t POOL_SYM(gcb_pool_introspect) = {
    .validate = introspect_validate,
    .info = introspect_info,
    .owns = introspect_owns,
    .block_info = introspect_block_info,
    .arena_info = introspect_arena_info,
    .usable_arenas = introspect_usable_arenas,
};
