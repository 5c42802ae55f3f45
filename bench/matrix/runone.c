/*
 * bench/matrix/runone.c - one run: its `gcbench run` command line, asked of the spawner, and its runs.jsonl line.
 */
#include "bench/matrix/matrix.h"

/* argv of `gcbench run` for a cell; strings live in `store`. */
char **gcb__run_argv(const matrix_t *m, const gcb_cell_t *c, const char *json_path, const char *scale,
                       char store[][4200], size_t *nstore)
{
    static char *argv[64];
    size_t n = 0;
    *nstore = 0;
#define ARG(s) (argv[n++] = (char *)(s))
#define STORE(...) (snprintf(store[*nstore], 4200, __VA_ARGS__), store[(*nstore)++])
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


/* Run one process: `argv` of gcbench run; record in json_path. */
void gcb__run_one(const matrix_t *m, char **argv, const char *json_path, const char *err_path,
                    run_outcome_t *o)
{
    memset(o, 0, sizeof *o);
    o->exit_status = -1;
    unlink(json_path);
    static char buf[256 * 1024];
    size_t len = 0;
    const char *head[] = { m->exe, json_path, err_path };
    for (int i = 0; i < 3; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", head[i]) + 1;
    for (char **a = argv; *a && len < sizeof buf; a++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", *a) + 1;
    spawn_req_t rq = { m->spec.timeout_s, m->spec.mem_limit, (uint32_t)len };
    static spawn_rep_t rep;
    if (gcb__spawner_pid <= 0 || gcb__write_full(gcb__spawner_req_fd, &rq, sizeof rq) || gcb__write_full(gcb__spawner_req_fd, buf, len) ||
        gcb__read_full(gcb__spawner_rep_fd, &rep, sizeof rep)) {
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
    memcpy(o->tail, rep.tail, sizeof o->tail);
    if (kind[0]) {
        o->kind = kind;
        return;
    }
    json_error_t jerr;
    o->record = json_load_file(json_path, 0, &jerr);
    unlink(json_path);
    if (!o->record || !json_is_object(o->record)) {
        json_decref(o->record);
        o->record = NULL;
        o->kind = "no-record";
        gcb__read_tail(err_path, o->tail, sizeof o->tail);
        return;
    }
    o->ok = 1;
    unlink(err_path);
}

json_t *gcb__outcome_line(const matrix_t *m, const gcb_cell_t *c, int rep, size_t order, run_outcome_t *o)
{
    json_t *line = o->record ? o->record : json_object();
    o->record = NULL;
    if (!o->ok) {
        json_object_set_new(line, "schema_version", json_integer(GCB_SCHEMA_VERSION));
        const char *eq = strchr(c->alloc, '=');
        char aname[128];
        snprintf(aname, sizeof aname, "%.*s", eq ? (int)(eq - c->alloc) : (int)strlen(c->alloc), c->alloc);
        json_object_set_new(line, "allocator", json_string(aname));
        json_object_set_new(line, "collector", json_string(c->coll));
        json_object_set_new(line, "workload", json_string(c->wl));
        json_t *p = json_object();
        for (size_t i = 0; i < c->np; i++)
            json_object_set_new(p, c->keys[i], json_string(c->values[i]));
        json_object_set_new(line, "params", p);
        json_object_set_new(line, "seed", json_integer((json_int_t)m->spec.seed));
        json_t *f = json_object();
        json_object_set_new(f, "kind", json_string(o->kind));
        json_object_set_new(f, "exit_status", o->exit_status >= 0 ? json_integer(o->exit_status) : json_null());
        json_object_set_new(f, "signal", o->signal ? json_integer(o->signal) : json_null());
        json_object_set_new(f, "signal_name", o->signal ? json_string(gcb__signame(o->signal)) : json_null());
        json_object_set_new(f, "stderr_tail", json_string(o->tail));
        json_object_set_new(line, "failure", f);
    }
    json_object_set_new(line, "cell", json_string(c->name));
    json_object_set_new(line, "repetition", json_integer(rep));
    json_object_set_new(line, "status", json_string(o->ok ? "ok" : "failed"));
    json_object_set_new(line, "order_index", json_integer((json_int_t)order));
    json_object_set_new(line, "host", json_string(m->host));
    json_t *pr = json_object();
    json_object_set_new(pr, "peak_rss_bytes", json_integer((json_int_t)o->ru.ru_maxrss * 1024));
    json_object_set_new(pr, "minor_faults", json_integer((json_int_t)o->ru.ru_minflt));
    json_object_set_new(pr, "major_faults", json_integer((json_int_t)o->ru.ru_majflt));
    json_object_set_new(pr, "user_s", json_real((double)o->ru.ru_utime.tv_sec + o->ru.ru_utime.tv_usec * 1e-6));
    json_object_set_new(pr, "sys_s", json_real((double)o->ru.ru_stime.tv_sec + o->ru.ru_stime.tv_usec * 1e-6));
    json_object_set_new(pr, "elapsed_s", json_real(o->elapsed_s));
    json_object_set_new(line, "process", pr);
    return line;
}
