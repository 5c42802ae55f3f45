/*
 * allocators/registry.c - the allocators a run can name, and parsing of
 * allocator specs.
 *
 * Names: a process allocator (glibc, jemalloc, mimalloc, tcmalloc, or a
 * user library given as name=/path/lib.so), optionally with the pool on
 * top: "pool" is pymalloc over glibc, "pool+jemalloc" pymalloc over
 * jemalloc, as CPython runs under LD_PRELOAD=libjemalloc.so.  "pool-huge"
 * is pymalloc with huge-page arenas and composes the same way.
 */
#include "allocators/allocator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/number.h"

/*
 * The -thp variants are the same libraries started with their own switch
 * for transparent huge pages, so that `pool-huge` can be compared with
 * allocators given the same advantage.  Each switch is read when the
 * library loads, so it is set in the environment of the re-exec
 * (allocators/preload.c).  gperftools 2.10 has no such switch.
 */
const gcb_process_allocator_t gcb_process_allocators[] = {
    { "glibc", "the C library's malloc (ptmalloc2)", "", "", "", 1 },
    { "jemalloc", "jemalloc " GCB_JEMALLOC_VERSION " via LD_PRELOAD", GCB_JEMALLOC_PATH, "mallctl", "", 1 },
    { "mimalloc", "mimalloc " GCB_MIMALLOC_VERSION " via LD_PRELOAD", GCB_MIMALLOC_PATH, "mi_version", "", 1 },
    { "tcmalloc", "gperftools tcmalloc_minimal " GCB_TCMALLOC_VERSION " via LD_PRELOAD", GCB_TCMALLOC_PATH, "tc_version", "", 1 },
    { "glibc-thp", "glibc with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (heap advised MADV_HUGEPAGE)",
      "", "", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1", 0 },
    { "jemalloc-thp", "jemalloc with MALLOC_CONF=thp:always (every mapping advised MADV_HUGEPAGE)",
      GCB_JEMALLOC_PATH, "mallctl", "MALLOC_CONF=thp:always", 0 },
    { "mimalloc-thp", "mimalloc with MIMALLOC_LARGE_OS_PAGES=1 (2 MiB OS pages for segments)",
      GCB_MIMALLOC_PATH, "mi_version", "MIMALLOC_LARGE_OS_PAGES=1", 0 },
};
const size_t gcb_process_allocator_count = sizeof gcb_process_allocators / sizeof gcb_process_allocators[0];

const gcb_allocator_t *const gcb_pool_variants[] = { &gcb_alloc_pool, &gcb_alloc_pool_huge };
const size_t gcb_pool_variant_count = sizeof gcb_pool_variants / sizeof gcb_pool_variants[0];

static const gcb_allocator_t *find_pool(const char *name, size_t len)
{
    for (size_t i = 0; i < gcb_pool_variant_count; i++)
        if (strlen(gcb_pool_variants[i]->name) == len && strncmp(gcb_pool_variants[i]->name, name, len) == 0)
            return gcb_pool_variants[i];
    return NULL;
}

int gcb_process_allocator_available(const gcb_process_allocator_t *pa)
{
    return pa->library[0] || strncmp(pa->name, "glibc", 5) == 0;
}

static const gcb_process_allocator_t *find_process(const char *name)
{
    for (size_t i = 0; i < gcb_process_allocator_count; i++)
        if (strcmp(gcb_process_allocators[i].name, name) == 0)
            return &gcb_process_allocators[i];
    return NULL;
}

static int bad(char *err, size_t errlen, const char *spec)
{
    size_t off = (size_t)snprintf(err, errlen, "unknown allocator '%s'; accepted:", spec);
    for (size_t i = 0; i < gcb_process_allocator_count && off < errlen; i++)
        if (gcb_process_allocator_available(&gcb_process_allocators[i]))
            off += (size_t)snprintf(err + off, errlen - off, " %s", gcb_process_allocators[i].name);
    if (off < errlen)
        snprintf(err + off, errlen - off, ", pool, pool+BASE, pool-huge, pool-huge+BASE, mimalloc-ft, NAME=/path/lib.so, faulty@N+SPEC");
    return -1;
}

/* Fill the process part of `out` from `spec` (no "pool+" prefix). */
static int parse_process(const char *spec, const char *whole, gcb_alloc_choice_t *out,
                         char *err, size_t errlen)
{
    const char *eq = strchr(spec, '=');
    if (eq) {
        size_t nlen = (size_t)(eq - spec);
        if (nlen == 0 || nlen >= sizeof out->process) {
            snprintf(err, errlen, "allocator '%s': give NAME=/path/lib.so with a short name", whole);
            return -1;
        }
        for (size_t i = 0; i < nlen; i++)
            if (!(spec[i] == '-' || spec[i] == '_' || (spec[i] >= 'a' && spec[i] <= 'z') ||
                  (spec[i] >= 'A' && spec[i] <= 'Z') || (spec[i] >= '0' && spec[i] <= '9'))) {
                snprintf(err, errlen, "allocator name '%.*s': use letters, digits, '-' and '_'", (int)nlen, spec);
                return -1;
            }
        memcpy(out->process, spec, nlen);
        out->process[nlen] = '\0';
        if (find_process(out->process) || find_pool(out->process, nlen)) {
            snprintf(err, errlen, "allocator name '%s' is taken by a built-in allocator: choose another name", out->process);
            return -1;
        }
        char *real = realpath(eq + 1, NULL);
        if (!real) {
            snprintf(err, errlen, "allocator library '%s' does not exist: give an existing path to a malloc .so", eq + 1);
            return -1;
        }
        if (strlen(real) >= sizeof out->preload) {
            free(real);
            snprintf(err, errlen, "allocator library path too long");
            return -1;
        }
        strcpy(out->preload, real);
        free(real);
        if (gcb_preload_check(out->preload, err, errlen))
            return -1;
        return gcb_preload_probe(out->preload, NULL, err, errlen);
    }
    const gcb_process_allocator_t *pa = find_process(spec);
    if (!pa)
        return bad(err, errlen, whole);
    if (!gcb_process_allocator_available(pa)) {
        snprintf(err, errlen, "allocator '%s' was not found when gcbench was built: install its Debian -dev package and rebuild (scripts/setup)", spec);
        return -1;
    }
    strcpy(out->process, pa->name);
    strcpy(out->preload, pa->library);
    snprintf(out->env, sizeof out->env, "%s", pa->env);
    return 0;
}

/* faulty@N+SPEC: SPEC parsed as usual, then wrapped (allocators/faulty.c). */
static int parse_faulty(const char *spec, gcb_alloc_choice_t *out, char *err, size_t errlen)
{
    const char *at = spec + strlen("faulty@");
    const char *plus = strchr(at, '+');
    char num[32];
    int64_t n;
    if (!plus || (size_t)(plus - at) >= sizeof num) {
        snprintf(err, errlen, "allocator '%s': give faulty@N+SPEC, e.g. faulty@1000+pool", spec);
        return -1;
    }
    memcpy(num, at, (size_t)(plus - at));
    num[plus - at] = '\0';
    if (gcb_parse_int_range(num, 0, INT64_MAX, &n)) {
        snprintf(err, errlen, "allocator '%s': N '%s' must be a decimal integer from 0 to %" PRId64
                 " (0: fail nothing)", spec, num, INT64_MAX);
        return -1;
    }
    if (strncmp(plus + 1, "faulty@", 7) == 0) {
        snprintf(err, errlen, "allocator '%s': one faulty@N per spec", spec);
        return -1;
    }
    if (gcb_alloc_parse(plus + 1, out, err, errlen))
        return -1;
    char inner_name[sizeof out->name];
    snprintf(inner_name, sizeof inner_name, "%s", out->name);
    snprintf(out->name, sizeof out->name, "faulty@%" PRId64 "+%s", n, inner_name);
    out->inner = out->top;
    out->top = &gcb_alloc_faulty;
    out->fail_at = (uint64_t)n;
    return 0;
}

int gcb_alloc_parse(const char *spec, gcb_alloc_choice_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!spec || !*spec) {
        snprintf(err, errlen, "empty allocator name");
        return -1;
    }
    if (strlen(spec) >= sizeof out->name) {
        snprintf(err, errlen, "allocator spec too long");
        return -1;
    }
    if (strncmp(spec, "faulty@", 7) == 0 || strcmp(spec, "faulty") == 0) {
        if (strcmp(spec, "faulty") == 0) {
            snprintf(err, errlen, "allocator 'faulty': give faulty@N+SPEC, e.g. faulty@1000+pool");
            return -1;
        }
        return parse_faulty(spec, out, err, errlen);
    }
    if (strcmp(spec, "mimalloc-ft") == 0) {    /* in-process heaps over the glibc process */
        strcpy(out->process, "glibc");
        strcpy(out->name, spec);
        out->top = &gcb_alloc_mimalloc_ft;
        return 0;
    }
    /* POOL or POOL+BASE; a bare pool (or POOL+glibc) is named POOL */
    const char *plus = strchr(spec, '+');
    const gcb_allocator_t *pool = find_pool(spec, plus ? (size_t)(plus - spec) : strlen(spec));
    if (pool) {
        if (!plus || strcmp(plus + 1, "glibc") == 0) {
            strcpy(out->process, "glibc");
            strcpy(out->name, pool->name);
        } else {
            if (parse_process(plus + 1, spec, out, err, errlen))
                return -1;
            snprintf(out->name, sizeof out->name, "%s+%s", pool->name, out->process);
        }
        out->top = pool;
        return 0;
    }
    if (parse_process(spec, spec, out, err, errlen))
        return -1;
    strcpy(out->name, out->process);
    out->top = &gcb_alloc_process;
    return 0;
}

static void *instance_of(const gcb_allocator_t *top, char *err, size_t errlen)
{
    void *pctx = gcb_alloc_process.create(NULL, NULL, err, errlen);
    if (!pctx || top == &gcb_alloc_process)
        return pctx;
    return top->create(&gcb_alloc_process, pctx, err, errlen);
}

void *gcb_alloc_instance(const gcb_alloc_choice_t *choice, char *err, size_t errlen)
{
    if (choice->top != &gcb_alloc_faulty)
        return instance_of(choice->top, err, errlen);
    void *inner = instance_of(choice->inner, err, errlen);
    return inner ? gcb_faulty_wrap(choice->inner, inner, choice->fail_at, err, errlen) : NULL;
}
