/*
 * util/trace.h - the allocation trace format (docs/traces.md), shared by
 * the recorder (bench/trace/gcbtrace.c, the LD_PRELOAD library), `gcbench trace`
 * and the replay workload.
 *
 * A trace is a 32-byte header followed by events and one end record:
 *
 *   header   "GCBTRACE" | u32 version | u32 header size (32) | u64 pid | u64 reserved
 *   event    one op byte, then unsigned LEB128 varints:
 *     MALLOC   id size
 *     FREE     id
 *     REALLOC  old_id new_id size          (new_id may equal old_id)
 *     CALLOC   id size                     (nmemb x size)
 *     MEMALIGN id alignment size           (posix_memalign, aligned_alloc, memalign, valloc)
 *     END      events max_id unknown_frees (last record; nothing may follow)
 *
 * Blocks are named by ids, never addresses: an id is handed out when a
 * block is allocated and recycled once it is freed, so the largest id is
 * the peak number of live blocks and a replayer maps ids to its own
 * pointers with a flat array.  Ids start at 1.  A new id is at most one
 * more than the number of allocating events before it, which is what lets
 * a reader reject a corrupt id without allocating for it.
 */
#ifndef GCB_TRACE_H
#define GCB_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define GCB_TRACE_MAGIC "GCBTRACE"
#define GCB_TRACE_VERSION 1u
#define GCB_TRACE_HEADER_SIZE 32u
#define GCB_TRACE_MAX_SIZE ((uint64_t)1 << 40)   /* larger sizes mark a corrupt trace */

enum {
    GCB_TOP_MALLOC = 1,
    GCB_TOP_FREE = 2,
    GCB_TOP_REALLOC = 3,
    GCB_TOP_CALLOC = 4,
    GCB_TOP_MEMALIGN = 5,
    GCB_TOP_END = 0x7f,
};

/* Write the header into buf (GCB_TRACE_HEADER_SIZE bytes). */
static inline void gcb_trace_header(uint8_t *buf, uint64_t pid)
{
    memset(buf, 0, GCB_TRACE_HEADER_SIZE);
    memcpy(buf, GCB_TRACE_MAGIC, 8);
    uint32_t v = GCB_TRACE_VERSION, hs = GCB_TRACE_HEADER_SIZE;
    for (int i = 0; i < 4; i++) {
        buf[8 + i] = (uint8_t)(v >> (8 * i));
        buf[12 + i] = (uint8_t)(hs >> (8 * i));
    }
    for (int i = 0; i < 8; i++)
        buf[16 + i] = (uint8_t)(pid >> (8 * i));
}

/* Append v as an unsigned LEB128 varint; returns the bytes written (<= 10). */
static inline size_t gcb_trace_put(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* One decoded event. */
typedef struct gcb_trace_event {
    uint8_t op;
    uint64_t id;        /* the block allocated (MALLOC, CALLOC, MEMALIGN), freed (FREE) or the new block (REALLOC) */
    uint64_t old_id;    /* REALLOC: the block reallocated */
    uint64_t size;
    uint64_t align;     /* MEMALIGN */
} gcb_trace_event_t;

typedef struct gcb_trace_stats {
    uint64_t events, mallocs, callocs, memaligns, reallocs, frees;
    uint64_t max_id;         /* the peak number of live blocks */
    uint64_t unknown_frees;  /* frees of blocks from before recording began (not events) */
    uint64_t bytes_allocated;
    uint64_t live_at_end;    /* blocks never freed */
} gcb_trace_stats_t;

/* A trace read into memory and checked end to end. */
typedef struct gcb_trace {
    uint8_t *data;
    size_t len, pos;
    gcb_trace_stats_t stats;
} gcb_trace_t;

/* Read `path` and check every record: magic, version, each op and varint in
 * bounds, every id freed or reallocated live, every new id fresh, the end
 * record present, last, and agreeing with the events counted.  0, or -1
 * with a one-line message naming the file and the byte offset. */
int gcb_trace_open(gcb_trace_t *t, const char *path, char *err, size_t errlen);
/* Events in order, from the first; 0 at the end record.  Only after a
 * successful open (which checked everything, so no error is possible). */
int gcb_trace_next(gcb_trace_t *t, gcb_trace_event_t *ev);
void gcb_trace_rewind(gcb_trace_t *t);
void gcb_trace_close(gcb_trace_t *t);

#endif
