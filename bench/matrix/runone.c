/*
 * bench/matrix/runone.c - one run: its `gcbench run` command line, asked of the spawner, and its runs.jsonl line.
 */
#include "bench/matrix/matrix.h"

/* argv of `gcbench run` for a cell; strings live in `store`. */
char **gcb__run_argv(const matrix_t *m, const gcb_cell_t *c, const char *json_path, const char *scale,
                       char store[][GCB_ARG_MAX], size_t *nstore)
{
    static char *argv[64];
    size_t n = 0;
    *nstore = 0;
#define ARG(s) (argv[n++] = (char *)(s))
#define STORE(...) (snprintf(store[*nstore], sizeof store[0], __VA_ARGS__), store[(*nstore)++])
    ARG("gcbench");
    ARG("run");
    ARG("-a");
    ARG(c->alloc);
    ARG("-c");
    ARG(c->coll);
    ARG("-w");
    ARG(c->wl);
    int scale_given = 0;
    for (size_t i = 0; i < c->np; i++) {
        ARG("-p");
        ARG(STORE("%s=%s", c->keys[i], c->values[i]));
        scale_given |= strcmp(c->keys[i], "scale") == 0;
    }
    if (scale && !scale_given) {
        ARG("-p");
        ARG(STORE("scale=%s", scale));
    }
    ARG("--seed");
    ARG(STORE("%llu", (unsigned long long)m->spec.seed));
    if (json_path) {
        ARG("--json");
        ARG(json_path);
    }
    if (!m->spec.timeline)
        ARG("--no-timeline");
    argv[n] = NULL;
#undef ARG
#undef STORE
    return argv;
}


/* --- what a run writes, read while it runs ------------------------------ *
 * The record (on the run's fd 3) and its stderr come through pipes that
 * the matrix drains while it waits for the spawner's reply; the reply is
 * sent after the run is reaped, so by then everything the run wrote is in
 * the pipes, and one more drain reads the rest.  Of stderr only the last
 * STDERR_TAIL bytes are kept (a ring). */
typedef struct run_io {
    char *rec;
    size_t nrec, caprec;
    int rec_over;              /* longer than GCB__RECORD_MAX: no record */
    char ring[STDERR_TAIL];
    size_t nerr;               /* bytes of stderr seen */
} run_io_t;

/* Read what fd has now (non-blocking) into the record or the ring;
 * `keep` 0 discards it (left over from an earlier run). */
static void drain(int fd, run_io_t *io, int is_rec, int keep)
{
    char buf[65536];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        if (!keep)
            continue;
        if (!is_rec) {
            for (ssize_t i = 0; i < r; i++)
                io->ring[io->nerr++ % STDERR_TAIL] = buf[i];
            continue;
        }
        if (io->nrec + (size_t)r > GCB__RECORD_MAX) {
            io->rec_over = 1;
            continue;
        }
        if (io->nrec + (size_t)r > io->caprec) {
            io->caprec = (io->nrec + (size_t)r) * 2;
            io->rec = realloc(io->rec, io->caprec);
        }
        memcpy(io->rec + io->nrec, buf, (size_t)r);
        io->nrec += (size_t)r;
    }
}

/* The last bytes of stderr, from a line start when cut. */
static void ring_tail(const run_io_t *io, char *out, size_t n)
{
    size_t len = io->nerr < STDERR_TAIL ? io->nerr : STDERR_TAIL, start = io->nerr - len;
    if (len > n - 1) {
        start += len - (n - 1);
        len = n - 1;
    }
    for (size_t i = 0; i < len; i++)
        out[i] = io->ring[(start + i) % STDERR_TAIL];
    out[len] = '\0';
    if (start > 0) {
        char *nl = strchr(out, '\n');
        if (nl)
            memmove(out, nl + 1, strlen(nl + 1) + 1);
    }
}

/* Wait for the spawner's reply, reading the run's pipes meanwhile; a
 * signal to this process is passed on to the spawner (it stops the run).
 * 0, or -1 when the spawner is gone. */
static int await_reply(spawn_rep_t *rep, run_io_t *io)
{
    size_t got = 0;
    while (got < sizeof *rep) {
        struct pollfd p[3] = { { gcb__spawner_rep_fd, POLLIN, 0 }, { gcb__spawner_rec_fd, POLLIN, 0 },
                               { gcb__spawner_err_fd, POLLIN, 0 } };
        if (poll(p, 3, -1) < 0) {
            if (errno != EINTR)
                return -1;
            if (gcb__interrupted && gcb__spawner_pid > 0)
                kill(gcb__spawner_pid, SIGINT);
            continue;
        }
        if (p[1].revents)
            drain(gcb__spawner_rec_fd, io, 1, 1);
        if (p[2].revents)
            drain(gcb__spawner_err_fd, io, 0, 1);
        if (p[0].revents) {
            ssize_t r = read(gcb__spawner_rep_fd, (char *)rep + got, sizeof *rep - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return -1;
            got += (size_t)r;
        }
    }
    drain(gcb__spawner_rec_fd, io, 1, 1);
    drain(gcb__spawner_err_fd, io, 0, 1);
    return 0;
}

/* Send the request: exe, then argv, each NUL-terminated.  0 or -1. */
static int send_request(const matrix_t *m, char **argv)
{
    static char buf[256 * 1024];
    size_t len = (size_t)snprintf(buf, sizeof buf, "%s", m->exe) + 1;
    for (char **a = argv; *a && len < sizeof buf; a++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", *a) + 1;
    spawn_req_t rq = { m->spec.timeout_s, m->spec.mem_limit, (uint32_t)len };
    return gcb__spawner_pid <= 0 || gcb__write_full(gcb__spawner_req_fd, &rq, sizeof rq) ||
                   gcb__write_full(gcb__spawner_req_fd, buf, len)
               ? -1
               : 0;
}

/* Run one process: `argv` of gcbench run, its --json GCB__RECORD_PATH. */
void gcb__run_one(const matrix_t *m, char **argv, run_outcome_t *o)
{
    memset(o, 0, sizeof *o);
    o->exit_status = -1;
    static run_io_t io;
    io.nrec = io.nerr = 0;
    io.rec_over = 0;
    drain(gcb__spawner_rec_fd, &io, 1, 0); /* anything an earlier run's children left */
    drain(gcb__spawner_err_fd, &io, 0, 0);
    static spawn_rep_t rep;
    if (send_request(m, argv) || await_reply(&rep, &io)) {
        /* not the run's fault: stop, the matrix can be resumed */
        fprintf(stderr, "\ngcbench: matrix: the spawner process is gone (%s); finish with: gcbench matrix --resume %s\n",
                strerror(errno), m->dir);
        exit(GCB_EXIT_FAIL);
    }
    static char kind[16];
    snprintf(kind, sizeof kind, "%s", rep.kind);
    o->exit_status = rep.exit_status;
    o->signal = rep.signal;
    o->elapsed_s = rep.elapsed_s;
    o->ru = rep.ru;
    if (rep.tail[0])
        memcpy(o->tail, rep.tail, sizeof o->tail);
    else
        ring_tail(&io, o->tail, sizeof o->tail);
    if (kind[0]) {
        o->kind = kind;
        return;
    }
    json_error_t jerr;
    o->record = io.rec_over ? NULL : json_loadb(io.rec ? io.rec : "", io.nrec, 0, &jerr);
    if (!o->record || !json_is_object(o->record)) {
        json_decref(o->record);
        o->record = NULL;
        o->kind = "no-record";
        return;
    }
    o->ok = 1;
    o->tail[0] = '\0';
}

json_t *gcb__outcome_line(const matrix_t *m, const gcb_cell_t *c, int rep, size_t order, run_outcome_t *o)
{
    json_t *line = o->record ? o->record : json_object();
    o->record = NULL;
    if (!o->ok) {
        json_object_set_new(line, GCB_K_SCHEMA, json_integer(GCB_SCHEMA_VERSION));
        const char *eq = strchr(c->alloc, '=');
        char aname[128];
        snprintf(aname, sizeof aname, "%.*s", eq ? (int)(eq - c->alloc) : (int)strlen(c->alloc), c->alloc);
        json_object_set_new(line, GCB_K_ALLOCATOR, json_string(aname));
        json_object_set_new(line, GCB_K_COLLECTOR, json_string(c->coll));
        json_object_set_new(line, GCB_K_WORKLOAD, json_string(c->wl));
        json_t *p = json_object();
        for (size_t i = 0; i < c->np; i++)
            json_object_set_new(p, c->keys[i], json_string(c->values[i]));
        json_object_set_new(line, GCB_K_PARAMS, p);
        json_object_set_new(line, GCB_K_SEED, json_integer((json_int_t)m->spec.seed));
        json_t *f = json_object();
        json_object_set_new(f, GCB_K_F_KIND, json_string(o->kind));
        json_object_set_new(f, GCB_K_F_EXIT, o->exit_status >= 0 ? json_integer(o->exit_status) : json_null());
        json_object_set_new(f, "signal", o->signal ? json_integer(o->signal) : json_null());
        json_object_set_new(f, GCB_K_F_SIGNAME, o->signal ? json_string(gcb__signame(o->signal)) : json_null());
        json_object_set_new(f, GCB_K_F_STDERR, json_string(o->tail));
        json_object_set_new(line, GCB_K_FAILURE, f);
    }
    json_object_set_new(line, GCB_K_CELL, json_string(c->name));
    json_object_set_new(line, GCB_K_REP, json_integer(rep));
    json_object_set_new(line, GCB_K_STATUS, json_string(o->ok ? GCB_STATUS_OK : GCB_STATUS_FAILED));
    json_object_set_new(line, GCB_K_ORDER_INDEX, json_integer((json_int_t)order));
    json_object_set_new(line, GCB_K_HOST, json_string(m->host));
    json_t *pr = json_object();
    json_object_set_new(pr, GCB_K_RSS, json_integer((json_int_t)o->ru.ru_maxrss * 1024));
    json_object_set_new(pr, GCB_K_MINFLT, json_integer((json_int_t)o->ru.ru_minflt));
    json_object_set_new(pr, GCB_K_MAJFLT, json_integer((json_int_t)o->ru.ru_majflt));
    json_object_set_new(pr, GCB_K_USER, json_real((double)o->ru.ru_utime.tv_sec + o->ru.ru_utime.tv_usec * 1e-6));
    json_object_set_new(pr, GCB_K_SYS, json_real((double)o->ru.ru_stime.tv_sec + o->ru.ru_stime.tv_usec * 1e-6));
    json_object_set_new(pr, GCB_K_ELAPSED, json_real(o->elapsed_s));
    json_object_set_new(line, GCB_K_PROCESS, pr);
    return line;
}
