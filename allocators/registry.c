/*
 * allocators/registry.c - the allocators a run can name, and parsing of
 * allocator specs.
 *
 * Names: a process allocator (glibc, jemalloc, mimalloc, tcmalloc, or a
 * user library given as name=/path/lib.so), optionally with the pool on
 * top: "pool" is pymalloc over glibc, "pool+jemalloc" pymalloc over
 * jemalloc, as CPython runs under LD_PRELOAD=libjemalloc.so.
 */
#include "allocators/allocator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

const gcb_process_allocator_t gcb_process_allocators[] = {
    { "glibc", "the C library's malloc (ptmalloc2)", "", "" },
    { "jemalloc", "jemalloc " GCB_JEMALLOC_VERSION " via LD_PRELOAD", GCB_JEMALLOC_PATH, "mallctl" },
    { "mimalloc", "mimalloc " GCB_MIMALLOC_VERSION " via LD_PRELOAD", GCB_MIMALLOC_PATH, "mi_version" },
    { "tcmalloc", "gperftools tcmalloc_minimal " GCB_TCMALLOC_VERSION " via LD_PRELOAD", GCB_TCMALLOC_PATH, "tc_version" },
};
const size_t gcb_process_allocator_count = sizeof gcb_process_allocators / sizeof gcb_process_allocators[0];

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
        if (gcb_process_allocators[i].library[0] || i == 0)
            off += (size_t)snprintf(err + off, errlen - off, " %s", gcb_process_allocators[i].name);
    if (off < errlen)
        snprintf(err + off, errlen - off, ", pool, pool+BASE, NAME=/path/lib.so");
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
        if (find_process(out->process) || strcmp(out->process, "pool") == 0) {
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
        return gcb_preload_check(out->preload, err, errlen);
    }
    const gcb_process_allocator_t *pa = find_process(spec);
    if (!pa)
        return bad(err, errlen, whole);
    if (pa != &gcb_process_allocators[0] && !pa->library[0]) {
        snprintf(err, errlen, "allocator '%s' was not found when gcbench was built: install its Debian -dev package and rebuild (scripts/setup)", spec);
        return -1;
    }
    strcpy(out->process, pa->name);
    strcpy(out->preload, pa->library);
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
    if (strcmp(spec, "pool") == 0 || strcmp(spec, "pool+glibc") == 0) {
        strcpy(out->name, "pool");
        strcpy(out->process, "glibc");
        out->top = &gcb_alloc_pool;
        return 0;
    }
    if (strncmp(spec, "pool+", 5) == 0) {
        if (parse_process(spec + 5, spec, out, err, errlen))
            return -1;
        snprintf(out->name, sizeof out->name, "pool+%s", out->process);
        out->top = &gcb_alloc_pool;
        return 0;
    }
    if (parse_process(spec, spec, out, err, errlen))
        return -1;
    strcpy(out->name, out->process);
    out->top = &gcb_alloc_process;
    return 0;
}

void *gcb_alloc_instance(const gcb_alloc_choice_t *choice, char *err, size_t errlen)
{
    void *pctx = gcb_alloc_process.create(NULL, NULL, err, errlen);
    if (!pctx || choice->top == &gcb_alloc_process)
        return pctx;
    return choice->top->create(&gcb_alloc_process, pctx, err, errlen);
}
