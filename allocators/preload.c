/*
 * allocators/preload.c - putting a general-purpose allocator under the
 * process with LD_PRELOAD, and proving it took.
 *
 * The proof is dladdr(malloc): the shared object that defines the malloc
 * this process calls must be the library chosen (for glibc: no library
 * other than libc).  A re-exec that did not take is an error, never a run
 * quietly measured on the wrong allocator.
 *
 * An allocator's switch read at load (a -thp variant's MALLOC_CONF,
 * MIMALLOC_LARGE_OS_PAGES, GLIBC_TUNABLES) goes into the environment of the
 * same re-exec; the process counts as served only when it started with it.
 * LD_PRELOAD is removed once in effect, so child processes (git, gnuplot)
 * run on their own malloc; the switch stays, as the record of what this
 * process started with (other mallocs ignore it).
 *
 * Statistics and versions come from entry points looked up with dlsym, so
 * the binary links none of the libraries.
 */
#include "allocators/allocator.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUARD_ENV "GCBENCH_PRELOAD_GUARD"

/* Does the ELF shared object at `path` define (not merely import)
 * malloc and free?  Read from its dynamic symbol table: loading a malloc
 * library with dlopen is no test, since many (jemalloc) use initial-exec
 * TLS and refuse to be dlopen'ed, yet preload fine. */
static const char *elf_defines_malloc(const unsigned char *m, size_t len)
{
    if (len < sizeof(Elf64_Ehdr) || memcmp(m, ELFMAG, SELFMAG) != 0)
        return "it is not an ELF file";
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN)
        return "it is not a 64-bit ELF shared object";
    if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len)
        return "its section table is missing or truncated";
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(m + eh->e_shoff);
    int have_malloc = 0, have_free = 0;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *str = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > len || str->sh_offset + str->sh_size > len)
            return "its symbol table is truncated";
        const Elf64_Sym *sym = (const Elf64_Sym *)(m + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        for (size_t j = 0; j < n; j++) {
            if (sym[j].st_shndx == SHN_UNDEF || sym[j].st_name >= str->sh_size)
                continue;
            int type = ELF64_ST_TYPE(sym[j].st_info);
            if (type != STT_FUNC && type != STT_GNU_IFUNC)
                continue;
            const char *name = (const char *)m + str->sh_offset + sym[j].st_name;
            size_t room = str->sh_size - sym[j].st_name;
            if (strnlen(name, room) == room)
                continue;
            if (strcmp(name, "malloc") == 0)
                have_malloc = 1;
            else if (strcmp(name, "free") == 0)
                have_free = 1;
        }
    }
    return have_malloc && have_free ? NULL : "it does not export malloc and free";
}

int gcb_preload_check(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "allocator library '%s' cannot be read: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        why = "it is not a regular, non-empty file";
    else if ((m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
        why = strerror(errno);
    else
        why = elf_defines_malloc(m, (size_t)st.st_size);
    if (m != MAP_FAILED)
        munmap(m, (size_t)st.st_size);
    close(fd);
    if (why) {
        snprintf(err, errlen, "allocator library '%s' is not usable: %s (give a malloc .so such as libjemalloc.so.2)",
                 path, why);
        return -1;
    }
    return 0;
}

/* Path of the object defining the malloc this process calls. */
static const char *malloc_owner(void)
{
    Dl_info info;
    void *m = dlsym(RTLD_DEFAULT, "malloc");
    if (m && dladdr(m, &info) && info.dli_fname)
        return info.dli_fname;
    return "";
}

static int same_file(const char *a, const char *b)
{
    char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
    int same = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

/* Split "NAME=VALUE" (choice->env) into name and value; 0 if none. */
static int env_of(const gcb_alloc_choice_t *choice, char *name, size_t n, const char **value)
{
    const char *eq = strchr(choice->env, '=');
    if (!choice->env[0] || !eq || (size_t)(eq - choice->env) >= n)
        return 0;
    memcpy(name, choice->env, (size_t)(eq - choice->env));
    name[eq - choice->env] = '\0';
    *value = eq + 1;
    return 1;
}

int gcb_preload_active(const gcb_alloc_choice_t *choice)
{
    char name[128];
    const char *value, *now;
    if (env_of(choice, name, sizeof name, &value) && (!(now = getenv(name)) || strcmp(now, value) != 0))
        return 0;
    const char *owner = malloc_owner();
    if (!choice->preload[0]) /* glibc, or a sanitizer's malloc in a test build */
        return strstr(owner, "libc.so") != NULL || strstr(owner, "san.so") != NULL;
    return same_file(owner, choice->preload);
}

int gcb_preload_ensure(const gcb_alloc_choice_t *choice, char **argv, char *err, size_t errlen)
{
    char name[128];
    const char *value;
    int has_env = env_of(choice, name, sizeof name, &value);
    if (gcb_preload_active(choice)) {
        unsetenv(GUARD_ENV);
        unsetenv("LD_PRELOAD");
        return 0;
    }
    if (getenv(GUARD_ENV)) {
        snprintf(err, errlen, "could not put allocator '%s' under the process: malloc still comes from '%s'",
                 choice->process, malloc_owner());
        unsetenv(GUARD_ENV);
        return -1;
    }
    setenv(GUARD_ENV, "1", 1);
    if (has_env)
        setenv(name, value, 1);
    if (choice->preload[0])
        setenv("LD_PRELOAD", choice->preload, 1);
    else
        unsetenv("LD_PRELOAD");
    fflush(NULL);
    execv("/proc/self/exe", argv);
    snprintf(err, errlen, "re-exec under LD_PRELOAD failed: %s", strerror(errno));
    return -1;
}

const char *gcb_preload_version(void)
{
    static char buf[64];
    int (*mallctl)(const char *, void *, size_t *, void *, size_t);
    int (*mi_version)(void);
    const char *(*tc_version)(int *, int *, const char **);
    *(void **)&mallctl = dlsym(RTLD_DEFAULT, "mallctl");
    *(void **)&mi_version = dlsym(RTLD_DEFAULT, "mi_version");
    *(void **)&tc_version = dlsym(RTLD_DEFAULT, "tc_version");
    if (mallctl) {
        const char *v = NULL;
        size_t sz = sizeof v;
        if (mallctl("version", &v, &sz, NULL, 0) == 0 && v) {
            snprintf(buf, sizeof buf, "jemalloc %s", v);
            return buf;
        }
    }
    if (mi_version) {
        int v = mi_version();
        snprintf(buf, sizeof buf, "mimalloc %d.%d.%d", v / 100, (v / 10) % 10, v % 10);
        return buf;
    }
    if (tc_version) {
        int maj = 0, min = 0;
        const char *patch = "";
        const char *s = tc_version(&maj, &min, &patch);
        snprintf(buf, sizeof buf, "%s", s ? s : "tcmalloc");
        return buf;
    }
    if (strstr(malloc_owner(), "libc.so")) {
        snprintf(buf, sizeof buf, "glibc %s", gnu_get_libc_version());
        return buf;
    }
    snprintf(buf, sizeof buf, "unknown (%s)", malloc_owner());
    return buf;
}

static uint64_t jemalloc_stat(int (*mallctl)(const char *, void *, size_t *, void *, size_t),
                              const char *name)
{
    size_t v = 0, sz = sizeof v;
    if (mallctl(name, &v, &sz, NULL, 0) != 0)
        return GCB_STAT_UNKNOWN;
    return v;
}

void gcb_process_stats(gcb_alloc_stats_t *out)
{
    out->allocated = out->active = out->resident = out->mapped = GCB_STAT_UNKNOWN;
    out->arenas = out->arenas_freed = GCB_STAT_UNKNOWN;

    int (*mallctl)(const char *, void *, size_t *, void *, size_t);
    void (*mi_process_info)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *);
    int (*tc_prop)(const char *, size_t *);
    *(void **)&mallctl = dlsym(RTLD_DEFAULT, "mallctl");
    *(void **)&mi_process_info = dlsym(RTLD_DEFAULT, "mi_process_info");
    *(void **)&tc_prop = dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");

    if (mallctl) {
        /* jemalloc refreshes its statistics when the epoch is advanced */
        uint64_t epoch = 1;
        size_t sz = sizeof epoch;
        mallctl("epoch", &epoch, &sz, &epoch, sz);
        /* stats.allocated lags behind the thread cache; the per-thread
         * counters are exact, and a benchmark cell is single-threaded */
        uint64_t a = 0, d = 0;
        size_t asz = sizeof a, dsz = sizeof d;
        if (mallctl("thread.allocated", &a, &asz, NULL, 0) == 0 &&
            mallctl("thread.deallocated", &d, &dsz, NULL, 0) == 0)
            out->allocated = a - d;
        else
            out->allocated = jemalloc_stat(mallctl, "stats.allocated");
        out->active = jemalloc_stat(mallctl, "stats.active");
        out->resident = jemalloc_stat(mallctl, "stats.resident");
        out->mapped = jemalloc_stat(mallctl, "stats.mapped");
        return;
    }
    if (mi_process_info) {
        size_t elapsed, user, sys, rss, peak_rss, commit, peak_commit, faults;
        mi_process_info(&elapsed, &user, &sys, &rss, &peak_rss, &commit, &peak_commit, &faults);
        out->resident = rss;
        out->mapped = commit;
        return;
    }
    if (tc_prop) {
        size_t v;
        if (tc_prop("generic.current_allocated_bytes", &v))
            out->allocated = v;
        if (tc_prop("generic.heap_size", &v)) {
            out->mapped = v;
            size_t unmapped;
            if (tc_prop("tcmalloc.pageheap_unmapped_bytes", &unmapped))
                out->resident = v - unmapped;
        }
        return;
    }
    if (strstr(malloc_owner(), "libc.so")) {
        struct mallinfo2 mi = mallinfo2();
        out->allocated = mi.uordblks + mi.hblkhd;
        out->mapped = mi.arena + mi.hblkhd;
    }
}
