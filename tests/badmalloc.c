/*
 * tests/badmalloc.c - malloc libraries that misbehave, one per -D switch,
 * for tests/faults.sh: gcbench must refuse each with exit 2 and one line
 * before any run (allocators/probe.c), never die with an empty stderr.
 *
 *   BAD_SEGV   malloc raises SIGSEGV (a crash in the first malloc)
 *   BAD_ABRT   malloc calls abort() (SIGABRT)
 *   BAD_NULL   malloc returns NULL, always
 *   BAD_CTOR   the library's constructor crashes (before any malloc)
 *   BAD_HANG   malloc never returns
 *
 * Every variant exports malloc, free, calloc and realloc, so the ELF check
 * (a library must define malloc and free) passes and only the probe can
 * tell.  Blocks that are served come from a static bump arena, so the
 * library needs no other allocator.
 */
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Alignas(16) unsigned char arena[1 << 24];
static size_t used;

static void *bump(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (used + n > sizeof arena)
        return NULL;
    void *p = arena + used;
    used += n;
    return p;
}

#ifdef BAD_CTOR
/* raise(), not a store through NULL: GCC drops a constructor whose body
 * is undefined behaviour */
__attribute__((constructor)) static void crash_at_load(void)
{
    raise(SIGSEGV);
}
#endif

void *malloc(size_t n)
{
#if defined BAD_SEGV
    raise(SIGSEGV);
#elif defined BAD_ABRT
    abort();
#elif defined BAD_NULL
    (void)n;
    return NULL;
#elif defined BAD_HANG
    for (;;)
        pause();
#endif
    return bump(n);
}

void free(void *p) { (void)p; }

/* -fno-builtin (tests/meson.build): else GCC turns malloc + memset back
 * into a call to calloc, this very function */
void *calloc(size_t n, size_t m)
{
    void *p = malloc(n * m);
    if (p)
        memset(p, 0, n * m);
    return p;
}

void *realloc(void *p, size_t n)
{
    void *q = malloc(n);
    if (q && p)
        memcpy(q, p, n); /* the arena is contiguous: reading past a small block is safe */
    return q;
}
