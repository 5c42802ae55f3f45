/*
 * tests/sizedcheck.c - an oracle for -p sized_free=1 under tcmalloc: a
 * malloc library (give it as -a chk=/path/libsizedcheck.so) that serves
 * every call through tcmalloc and checks, at every tc_free_sized(p, size),
 * that `size` names the size class p really lives in
 * (tc_nallocx(size) == tc_malloc_size(p)).  A wrong class is not a wrong
 * statistic: tcmalloc files the block on another class's free list and the
 * heap is corrupt (it crashed lifetimes at the default scale).  On a
 * mismatch the library prints one line and aborts, so the run fails.
 *
 * The symbols are looked up with dlsym(RTLD_NEXT): the library links
 * libtcmalloc_minimal, which comes after it in the lookup order.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

size_t tc_malloc_size(void *p);
size_t tc_nallocx(size_t size, int flags);
void *tc_malloc(size_t size);
void tc_free(void *p);
void *tc_calloc(size_t n, size_t size);
void *tc_realloc(void *p, size_t size);

void *malloc(size_t size) { return tc_malloc(size); }
void free(void *p) { tc_free(p); }
void *calloc(size_t n, size_t size) { return tc_calloc(n, size); }
void *realloc(void *p, size_t size) { return tc_realloc(p, size); }

void tc_free_sized(void *p, size_t size)
{
    static void (*real)(void *, size_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "tc_free_sized");
    size_t lives = tc_malloc_size(p), named = tc_nallocx(size, 0);
    if (p && lives != named) {
        fprintf(stderr, "sizedcheck: tc_free_sized(%p, %zu) names the %zu-byte class, the block is in the %zu-byte class\n",
                p, size, named, lives);
        abort();
    }
    real(p, size);
}
