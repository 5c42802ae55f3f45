/*
 * util/trace.c - reading and checking allocation traces (format in
 * util/trace.h and docs/traces.md).
 *
 * The whole file is checked before any event is replayed, so a truncated
 * or corrupt trace is one clear error and never a crash or a half-run
 * replay.  The check keeps a bitmap of live ids, grown as ids appear; since
 * a new id may exceed the number of allocating events so far by at most
 * one, a corrupt id is caught before it can ask for a huge bitmap.
 */
#include "util/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int get(const uint8_t *d, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return -1;
        uint8_t b = d[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -2; /* more than 10 bytes */
}

/* Decode the event at t->pos (no semantic checks). 1: an event, 0: the end
 * record (fields in ev->id = events, ev->old_id = max_id, ev->size =
 * unknown frees), -1: truncated, -2: malformed. */
static int decode(const uint8_t *d, size_t len, size_t *pos, gcb_trace_event_t *ev)
{
    if (*pos >= len)
        return -1;
    memset(ev, 0, sizeof *ev);
    ev->op = d[(*pos)++];
    int rc = 0;
    switch (ev->op) {
    case GCB_TOP_MALLOC:
    case GCB_TOP_CALLOC:
        if ((rc = get(d, len, pos, &ev->id)) || (rc = get(d, len, pos, &ev->size)))
            return rc;
        return 1;
    case GCB_TOP_FREE:
        return (rc = get(d, len, pos, &ev->id)) ? rc : 1;
    case GCB_TOP_REALLOC:
        if ((rc = get(d, len, pos, &ev->old_id)) || (rc = get(d, len, pos, &ev->id)) ||
            (rc = get(d, len, pos, &ev->size)))
            return rc;
        return 1;
    case GCB_TOP_MEMALIGN:
        if ((rc = get(d, len, pos, &ev->id)) || (rc = get(d, len, pos, &ev->align)) ||
            (rc = get(d, len, pos, &ev->size)))
            return rc;
        return 1;
    case GCB_TOP_END:
        if ((rc = get(d, len, pos, &ev->id)) || (rc = get(d, len, pos, &ev->old_id)) ||
            (rc = get(d, len, pos, &ev->size)))
            return rc;
        return 0;
    default:
        return -3;
    }
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* Set the error and fail: every check below reports one line this way. */
#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* The whole file into t->data (t->len bytes); t->data may be set on failure. */
static int trace_read(gcb_trace_t *t, const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        FAIL("trace %s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
        fclose(fp);
        FAIL("trace %s: not a regular file", path);
    }
    t->len = (size_t)st.st_size;
    t->data = malloc(t->len ? t->len : 1);
    if (!t->data || fread(t->data, 1, t->len, fp) != t->len) {
        fclose(fp);
        FAIL("trace %s: cannot read %zu bytes", path, t->len);
    }
    fclose(fp);
    return 0;
}

static int trace_check_header(const gcb_trace_t *t, const char *path, char *err, size_t errlen)
{
    if (t->len == 0)
        FAIL("trace %s: empty (the recorder never started, or the file was cut)", path);
    if (t->len < GCB_TRACE_HEADER_SIZE || memcmp(t->data, GCB_TRACE_MAGIC, 8) != 0)
        FAIL("trace %s: not a gcbench trace (no GCBTRACE header)", path);
    uint32_t version = rd32(t->data + 8), hs = rd32(t->data + 12);
    if (version != GCB_TRACE_VERSION)
        FAIL("trace %s: format version %u, this gcbench reads version %u", path, version, GCB_TRACE_VERSION);
    if (hs != GCB_TRACE_HEADER_SIZE)
        FAIL("trace %s: corrupt header (header size %u)", path, hs);
    return 0;
}

/* The state of the check over the events.  Invariant: bit i of live is set
 * iff block i has been made and not yet given up; live_now counts them. */
typedef struct trace_check {
    const char *path;
    gcb_trace_stats_t *s;
    uint8_t *live;          /* bitmap of live ids, live_bytes long */
    size_t live_bytes;
    uint64_t allocating, live_now;
} trace_check_t;

static int check_end(trace_check_t *c, const gcb_trace_event_t *ev, size_t pos, size_t len, char *err, size_t errlen)
{
    const char *path = c->path;
    if (ev->id != c->s->events)
        FAIL("trace %s: corrupt end record: %llu events announced, %llu read", path,
             (unsigned long long)ev->id, (unsigned long long)c->s->events);
    if (ev->old_id != c->s->max_id)
        FAIL("trace %s: corrupt end record: max id %llu announced, %llu seen", path,
             (unsigned long long)ev->old_id, (unsigned long long)c->s->max_id);
    if (pos != len)
        FAIL("trace %s: corrupt: %zu bytes after the end record", path, len - pos);
    c->s->unknown_frees = ev->size;
    c->s->live_at_end = c->live_now;
    return 0;
}

/* The block a free or realloc gives up must be live. */
static int check_gone(trace_check_t *c, const gcb_trace_event_t *ev, size_t at, char *err, size_t errlen)
{
    uint64_t gone = ev->op == GCB_TOP_FREE ? ev->id : ev->old_id;
    if (gone == 0 || gone > c->s->max_id || !(c->live[gone >> 3] & (1u << (gone & 7))))
        FAIL("trace %s: corrupt at byte %zu: %s of block %llu, which is not live", c->path, at,
             ev->op == GCB_TOP_FREE ? "free" : "realloc", (unsigned long long)gone);
    c->live[gone >> 3] &= (uint8_t)~(1u << (gone & 7));
    c->live_now--;
    return 0;
}

/* The block an allocating event makes: next in sequence and not live. */
static int check_made(trace_check_t *c, const gcb_trace_event_t *ev, size_t at, char *err, size_t errlen)
{
    if (ev->id == 0 || ev->id > c->allocating + 1)
        FAIL("trace %s: corrupt at byte %zu: block id %llu out of sequence", c->path, at,
             (unsigned long long)ev->id);
    if (ev->id >= c->live_bytes * 8) {
        size_t nb = c->live_bytes ? c->live_bytes * 2 : 4096;
        while (ev->id >= nb * 8)
            nb *= 2;
        uint8_t *nl = realloc(c->live, nb);
        if (!nl)
            FAIL("trace %s: out of memory checking it", c->path);
        memset(nl + c->live_bytes, 0, nb - c->live_bytes);
        c->live = nl;
        c->live_bytes = nb;
    }
    if (c->live[ev->id >> 3] & (1u << (ev->id & 7)))
        FAIL("trace %s: corrupt at byte %zu: block %llu allocated while live", c->path, at,
             (unsigned long long)ev->id);
    c->live[ev->id >> 3] |= (uint8_t)(1u << (ev->id & 7));
    c->live_now++;
    c->allocating++;
    if (ev->id > c->s->max_id)
        c->s->max_id = ev->id;
    c->s->bytes_allocated += ev->size;
    return 0;
}

/* One event (not the end record), then its count. */
static int check_event(trace_check_t *c, const gcb_trace_event_t *ev, size_t at, char *err, size_t errlen)
{
    if (ev->op != GCB_TOP_FREE && ev->size > GCB_TRACE_MAX_SIZE)
        FAIL("trace %s: corrupt at byte %zu: size %llu", c->path, at, (unsigned long long)ev->size);
    if (ev->op == GCB_TOP_MEMALIGN && (ev->align == 0 || (ev->align & (ev->align - 1)) || ev->align > (1u << 30)))
        FAIL("trace %s: corrupt at byte %zu: alignment %llu", c->path, at, (unsigned long long)ev->align);
    if ((ev->op == GCB_TOP_FREE || ev->op == GCB_TOP_REALLOC) && check_gone(c, ev, at, err, errlen))
        return -1;
    if (ev->op != GCB_TOP_FREE && check_made(c, ev, at, err, errlen))
        return -1;
    gcb_trace_stats_t *s = c->s;
    s->events++;
    switch (ev->op) {
    case GCB_TOP_MALLOC: s->mallocs++; break;
    case GCB_TOP_CALLOC: s->callocs++; break;
    case GCB_TOP_MEMALIGN: s->memaligns++; break;
    case GCB_TOP_REALLOC: s->reallocs++; break;
    case GCB_TOP_FREE: s->frees++; break;
    }
    return 0;
}

/* Every event up to and including the end record. */
static int trace_check_events(gcb_trace_t *t, trace_check_t *c, char *err, size_t errlen)
{
    const char *path = c->path;
    size_t pos = GCB_TRACE_HEADER_SIZE;
    for (;;) {
        size_t at = pos;
        gcb_trace_event_t ev;
        int rc = decode(t->data, t->len, &pos, &ev);
        if (rc == -1)
            FAIL("trace %s: truncated at byte %zu (no end record: the recorded program did not exit normally, or the file was cut)", path, at);
        if (rc == -2)
            FAIL("trace %s: corrupt at byte %zu: a number longer than 10 bytes", path, at);
        if (rc == -3)
            FAIL("trace %s: corrupt at byte %zu: unknown record type 0x%02x", path, at, t->data[at]);
        if (rc == 0)
            return check_end(c, &ev, pos, t->len, err, errlen);
        if (check_event(c, &ev, at, err, errlen))
            return -1;
    }
}

int gcb_trace_open(gcb_trace_t *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    trace_check_t c = { .path = path, .s = &t->stats };
    int rc = trace_read(t, path, err, errlen);
    if (!rc)
        rc = trace_check_header(t, path, err, errlen);
    if (!rc)
        rc = trace_check_events(t, &c, err, errlen);
    free(c.live);
    if (rc) {
        free(t->data);
        memset(t, 0, sizeof *t);
        return -1;
    }
    t->pos = GCB_TRACE_HEADER_SIZE;
    return 0;
}

int gcb_trace_next(gcb_trace_t *t, gcb_trace_event_t *ev)
{
    return decode(t->data, t->len, &t->pos, ev) == 1;
}

void gcb_trace_rewind(gcb_trace_t *t) { t->pos = GCB_TRACE_HEADER_SIZE; }

void gcb_trace_close(gcb_trace_t *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}
