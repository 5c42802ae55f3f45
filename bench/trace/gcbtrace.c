/*
 * bench/trace/gcbtrace.c - libgcbtrace.so: records every malloc, calloc, realloc,
 * free, posix_memalign, aligned_alloc, memalign and valloc of a program
 * into an allocation trace (format: util/trace.h, docs/traces.md).
 *
 * Used through `gcbench trace -o FILE -- CMD ...`, which runs CMD with
 * LD_PRELOAD=libgcbtrace.so and GCBTRACE_FILE=FILE.  Without GCBTRACE_FILE
 * the library only passes calls through.  Which process records: the first
 * one to load the library puts its pid in GCBTRACE_PID; a later image of
 * that same process (CMD is a wrapper script that execs the real program,
 * as a pyenv shim does) starts the trace over, since the image that ran
 * the exec never reaches its exit; any other process (children, which
 * inherit the environment) only passes calls through.  A forked child
 * stops recording at the fork.
 *
 * How it stays safe inside malloc:
 *   - the real functions come from dlsym(RTLD_NEXT); dlsym itself may call
 *     calloc or malloc, which are then served from a static bootstrap
 *     buffer (never freed, never recorded);
 *   - a thread-local `busy` flag (initial-exec TLS: reading it allocates
 *     nothing) makes any allocation done while recording, by the recorder
 *     or by code it calls, pass straight through;
 *   - one spinlock orders the real call and its record, so with threads the
 *     trace order is an order the allocator really saw (a block freed by
 *     one thread and handed out again to another appears freed first);
 *   - its own memory (the address-to-id table, the free-id stack, the
 *     output buffer) comes from mmap, never from malloc;
 *   - events go to a 1 MiB buffer written out with write(2) when full and
 *     at exit, followed by the end record.
 *
 * Ids: an address maps to the id its block got when allocated (open
 * addressing keyed by address, tombstones on free); freed ids are reused
 * LIFO, so ids stay dense (max id = peak live blocks).  A free of an address
 * the table does not know (allocated before recording began) is counted,
 * not recorded; a realloc of one is recorded as a malloc of the new block.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/trace.h"

#define EXPORT __attribute__((visibility("default")))

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);

/* --- bootstrap: allocations made by dlsym before the real functions are known */
static _Alignas(16) char boot_buf[1 << 16];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (boot_used + size > sizeof boot_buf)
        return NULL;
    void *p = boot_buf + boot_used;
    boot_used += size;
    return p;   /* static storage: already zero, so calloc is served too */
}

static int is_boot(const void *p) { return (const char *)p >= boot_buf && (const char *)p < boot_buf + sizeof boot_buf; }

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_free = dlsym(RTLD_NEXT, "free");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = dlsym(RTLD_NEXT, "memalign");
    real_valloc = dlsym(RTLD_NEXT, "valloc");
    real_malloc = dlsym(RTLD_NEXT, "malloc");   /* last: its being set means all are */
    resolving = 0;
}

/* --- recorder state (guarded by `lock`) --------------------------------- */
static __thread int busy __attribute__((tls_model("initial-exec")));
static volatile int lock;
static int enabled;               /* recording into fd */
static int fd = -1;
static int errfd = -1;            /* GCBTRACE_ERRFD: where a write error's errno goes (trace_cmd.c) */

/* Tell `gcbench trace` why the trace could not be written (a full disk):
 * the errno as an int on its pipe; write(2) only, no allocation. */
static void report_error(int e)
{
    if (errfd >= 0) {
        ssize_t w = write(errfd, &e, sizeof e);
        (void)w;
    }
}
static uint8_t *buf;              /* BUF_SIZE bytes, mmap'd */
static size_t buf_used;
#define BUF_SIZE ((size_t)1 << 20)

static uint64_t events, max_id, unknown_frees;
/* address -> id table: keys 0 empty, 1 tombstone */
static uintptr_t *tab_key;
static uint64_t *tab_id;
static size_t tab_cap, tab_used, tab_filled;
/* freed ids, reused LIFO */
static uint64_t *free_ids;
static size_t free_n, free_cap;

static void spin_lock(void)
{
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&lock, __ATOMIC_RELAXED))
            __builtin_ia32_pause();
}
static void spin_unlock(void) { __atomic_store_n(&lock, 0, __ATOMIC_RELEASE); }

static void *map(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void flush(void)
{
    size_t off = 0;
    while (off < buf_used) {
        ssize_t w = write(fd, buf + off, buf_used - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {           /* disk full or closed: stop recording; the trace lacks its end record */
            report_error(w < 0 ? errno : EIO);
            enabled = 0;
            break;
        }
        off += (size_t)w;
    }
    buf_used = 0;
}

static inline void put_op(uint8_t op)
{
    if (buf_used + 32 > BUF_SIZE)
        flush();
    buf[buf_used++] = op;
}
static inline void put(uint64_t v) { buf_used += gcb_trace_put(buf + buf_used, v); }

static inline size_t slot_of(uintptr_t a) { return (size_t)((a >> 4) * 0x9e3779b97f4a7c15ull >> 20); }

static int tab_grow(void)
{
    size_t cap = tab_cap ? tab_cap * 2 : (size_t)1 << 16;
    uintptr_t *k = map(cap * sizeof *k);
    uint64_t *v = map(cap * sizeof *v);
    if (!k || !v)
        return -1;
    for (size_t i = 0; i < tab_cap; i++)
        if (tab_key[i] > 1) {
            size_t j = slot_of(tab_key[i]) & (cap - 1);
            while (k[j])
                j = (j + 1) & (cap - 1);
            k[j] = tab_key[i];
            v[j] = tab_id[i];
        }
    if (tab_cap) {
        munmap(tab_key, tab_cap * sizeof *tab_key);
        munmap(tab_id, tab_cap * sizeof *tab_id);
    }
    tab_key = k;
    tab_id = v;
    tab_cap = cap;
    tab_filled = tab_used;
    return 0;
}

/* A new id for block `a`; 0 when out of memory (recording stops). */
static uint64_t tab_add(uintptr_t a)
{
    if ((tab_filled + 1) * 2 > tab_cap && tab_grow())
        return 0;
    uint64_t id;
    if (free_n) {
        id = free_ids[--free_n];
    } else {
        id = ++max_id;
    }
    size_t j = slot_of(a) & (tab_cap - 1);
    while (tab_key[j] > 1)
        j = (j + 1) & (tab_cap - 1);
    if (!tab_key[j])
        tab_filled++;
    tab_key[j] = a;
    tab_id[j] = id;
    tab_used++;
    return id;
}

/* The id of block `a`, removed from the table; 0 if unknown. */
static uint64_t tab_remove(uintptr_t a)
{
    if (!tab_cap)
        return 0;
    size_t j = slot_of(a) & (tab_cap - 1);
    while (tab_key[j]) {
        if (tab_key[j] == a) {
            uint64_t id = tab_id[j];
            tab_key[j] = 1;
            tab_used--;
            if (free_n == free_cap) {
                size_t cap = free_cap ? free_cap * 2 : 4096;
                uint64_t *n = map(cap * sizeof *n);
                if (!n)
                    return id;  /* the id is simply not reused */
                if (free_cap) {
                    memcpy(n, free_ids, free_n * sizeof *n);
                    munmap(free_ids, free_cap * sizeof *free_ids);
                }
                free_ids = n;
                free_cap = cap;
            }
            free_ids[free_n++] = id;
            return id;
        }
        j = (j + 1) & (tab_cap - 1);
    }
    return 0;
}

static void rec_alloc(uint8_t op, void *p, size_t size, size_t align)
{
    if (!p)
        return;
    uint64_t id = tab_add((uintptr_t)p);
    if (!id) {
        enabled = 0;
        return;
    }
    put_op(op);
    put(id);
    if (op == GCB_TOP_MEMALIGN)
        put(align);
    put(size);
    events++;
}

static void rec_free(void *p)
{
    uint64_t id = tab_remove((uintptr_t)p);
    if (!id) {
        unknown_frees++;
        return;
    }
    put_op(GCB_TOP_FREE);
    put(id);
    events++;
}

/* --- the exported functions --------------------------------------------- */

#define ENTER() (enabled && !busy ? (busy = 1, spin_lock(), 1) : 0)
#define LEAVE() do { spin_unlock(); busy = 0; } while (0)

EXPORT void *malloc(size_t size)
{
    if (!real_malloc) {
        resolve();
        if (!real_malloc)
            return boot_alloc(size);
    }
    if (!ENTER())
        return real_malloc(size);
    void *p = real_malloc(size);
    if (enabled)
        rec_alloc(GCB_TOP_MALLOC, p, size, 0);
    LEAVE();
    return p;
}

EXPORT void *calloc(size_t n, size_t size)
{
    if (!real_malloc) {
        resolve();
        if (!real_malloc) {
            size_t total;
            if (__builtin_mul_overflow(n, size, &total))
                return NULL;
            return boot_alloc(total);
        }
    }
    if (!ENTER())
        return real_calloc(n, size);
    void *p = real_calloc(n, size);
    if (enabled)
        rec_alloc(GCB_TOP_CALLOC, p, n * size, 0);
    LEAVE();
    return p;
}

EXPORT void free(void *p)
{
    if (!p || is_boot(p))
        return;
    if (!real_malloc)
        resolve();
    if (!real_free)
        return;                        /* nothing can own it yet */
    if (!ENTER()) {
        real_free(p);
        return;
    }
    /* record first: once the real free returns, another thread may get p */
    if (enabled)
        rec_free(p);
    real_free(p);
    LEAVE();
}

EXPORT void *realloc(void *p, size_t size)
{
    if (!real_malloc) {
        resolve();
        if (!real_malloc)
            return boot_alloc(size);   /* only dlsym's own calls land here, and they do not grow */
    }
    if (is_boot(p)) {                  /* a bootstrap block grows: copy it out */
        size_t avail = (size_t)(boot_buf + boot_used - (char *)p);
        void *q = malloc(size);
        if (q)
            memcpy(q, p, size < avail ? size : avail);
        return q;
    }
    if (!p)
        return malloc(size);
    if (!ENTER())
        return real_realloc(p, size);
    void *q = real_realloc(p, size);
    if (enabled && (q || size == 0)) {
        uint64_t old = tab_remove((uintptr_t)p);
        if (!q) {                      /* realloc(p, 0) freed p */
            if (old) {
                put_op(GCB_TOP_FREE);
                put(old);
                events++;
            } else {
                unknown_frees++;
            }
        } else if (!old) {
            rec_alloc(GCB_TOP_MALLOC, q, size, 0);
        } else {
            uint64_t id = tab_add((uintptr_t)q);
            if (!id) {
                enabled = 0;
            } else {
                put_op(GCB_TOP_REALLOC);
                put(old);
                put(id);
                put(size);
                events++;
            }
        }
    }
    LEAVE();
    return q;
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    if (!real_malloc)
        resolve();
    if (!ENTER())
        return real_posix_memalign(out, align, size);
    int rc = real_posix_memalign(out, align, size);
    if (enabled && rc == 0)
        rec_alloc(GCB_TOP_MEMALIGN, *out, size, align);
    LEAVE();
    return rc;
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
    if (!real_malloc)
        resolve();
    if (!ENTER())
        return real_aligned_alloc(align, size);
    void *p = real_aligned_alloc(align, size);
    if (enabled)
        rec_alloc(GCB_TOP_MEMALIGN, p, size, align);
    LEAVE();
    return p;
}

EXPORT void *memalign(size_t align, size_t size)
{
    if (!real_malloc)
        resolve();
    if (!ENTER())
        return real_memalign(align, size);
    void *p = real_memalign(align, size);
    if (enabled)
        rec_alloc(GCB_TOP_MEMALIGN, p, size, align);
    LEAVE();
    return p;
}

EXPORT void *valloc(size_t size)
{
    if (!real_malloc)
        resolve();
    if (!ENTER())
        return real_valloc(size);
    void *p = real_valloc(size);
    if (enabled)
        rec_alloc(GCB_TOP_MEMALIGN, p, size, (size_t)sysconf(_SC_PAGESIZE));
    LEAVE();
    return p;
}

/* --- lifecycle ------------------------------------------------------------ */

static void stop_in_child(void)
{
    /* the child's copy of the buffer belongs to the parent's trace */
    enabled = 0;
    buf_used = 0;
    fd = -1;
    lock = 0;
}

__attribute__((constructor)) static void gcbtrace_start(void)
{
    resolve();
    const char *path = getenv("GCBTRACE_FILE");
    if (!path || !*path)
        return;
    const char *owner = getenv("GCBTRACE_PID");
    char me[32];
    int len = 0;
    for (long pid = (long)getpid(); pid; pid /= 10)   /* no snprintf: it may allocate */
        me[len++] = (char)('0' + pid % 10);
    for (int i = 0; i < len / 2; i++) {
        char c = me[i];
        me[i] = me[len - 1 - i];
        me[len - 1 - i] = c;
    }
    me[len] = '\0';
    if (owner && strcmp(owner, me) != 0)
        return;   /* another process's trace */
    busy = 1;
    if (!owner)
        setenv("GCBTRACE_PID", me, 1);
    const char *ef = getenv("GCBTRACE_ERRFD");
    errfd = -1;
    for (; ef && *ef >= '0' && *ef <= '9'; ef++)
        errfd = (errfd < 0 ? 0 : errfd * 10) + (*ef - '0');
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        report_error(errno);
    buf = map(BUF_SIZE);
    if (fd >= 0 && buf && tab_grow() == 0) {
        gcb_trace_header(buf, (uint64_t)getpid());
        buf_used = GCB_TRACE_HEADER_SIZE;
        enabled = 1;
        flush();   /* the header at once: a program that ends in _exit leaves a truncated trace, not an empty file */
        pthread_atfork(NULL, NULL, stop_in_child);
    }
    busy = 0;
}

__attribute__((destructor)) static void gcbtrace_stop(void)
{
    if (!enabled)
        return;
    busy = 1;
    spin_lock();
    if (enabled) {
        put_op(GCB_TOP_END);
        put(events);
        put(max_id);
        put(unknown_frees);
        flush();
        enabled = 0;
        close(fd);
    }
    spin_unlock();
    busy = 0;
}
