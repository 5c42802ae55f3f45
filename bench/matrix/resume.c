/*
 * bench/matrix/resume.c - --resume: the stored spec and order seed, the host and commit checks, runs.jsonl reconciled with the plan.
 */
#include "bench/matrix/matrix.h"
#include "util/outpath.h"

int gcb__cmp_cell_idx(const void *a, const void *b, void *arg)
{
    const gcb_cell_t *c = arg;
    return strcmp(c[*(const uint32_t *)a].name, c[*(const uint32_t *)b].name);
}

long gcb__find_cell(const matrix_t *m, const uint32_t *by_name, const char *name)
{
    size_t lo = 0, hi = m->ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->cells[by_name[mid]].name, name);
        if (c == 0)
            return by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The user restated the spec with --resume: it must be the one stored
 * (the budget's chosen scale is part of the stored spec, so compare the
 * user's with the stored one minus that axis). */
static void same_spec_or_die(const matrix_t *m, const gcb_spec_t *stored, const char *resume)
{
    json_t *mine = gcb_spec_json(&m->spec), *theirs = gcb_spec_json(stored);
    json_t *bud = json_object_get(m->runjson, GCB_K_BUDGET);
    if (json_is_object(bud) && !gcb_spec_has_axis(&m->spec, "scale")) {
        json_t *axes = json_object_get(theirs, GCB_K_SP_AXES);
        size_t i;
        json_t *ax;
        json_array_foreach(axes, i, ax) if (strcmp(json_string_value(json_object_get(ax, GCB_K_SP_KEY)), "scale") == 0) {
            json_array_remove(axes, i);
            break;
        }
    }
    int same = json_equal(mine, theirs);
    json_decref(mine);
    json_decref(theirs);
    if (!same)
        die_usage("--resume '%s': the spec given differs from the one in its run.json (give --resume alone)",
                  resume);
}

/* --resume DIR: run.json read and checked (format, schema, not merged);
 * the spec and order seed come from it. */
void gcb__resume_load(matrix_t *m, const gcb_matrix_opts_t *o)
{
    const char *resume = o->resume;
    char path[GCB_PATH_MAX], err[2048];
    snprintf(path, sizeof path, "%s/run.json", resume);
    json_error_t jerr;
    json_t *runjson = m->runjson = json_load_file(path, 0, &jerr);
    if (!runjson)
        die_usage("--resume '%s': cannot read %s: %s", resume, path, jerr.text);
    if (json_integer_value(json_object_get(runjson, GCB_K_FORMAT)) != GCB_MATRIX_FORMAT ||
        json_integer_value(json_object_get(runjson, GCB_K_SCHEMA)) != GCB_SCHEMA_VERSION)
        die_usage("--resume '%s': written by an incompatible gcbench (format %lld, schema %lld; this one "
                  "reads format %d, schema %d)", resume,
                  (long long)json_integer_value(json_object_get(runjson, GCB_K_FORMAT)),
                  (long long)json_integer_value(json_object_get(runjson, GCB_K_SCHEMA)),
                  GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
    if (json_object_get(runjson, GCB_K_MERGED_FROM))
        die_usage("--resume '%s': a merged directory cannot be resumed", resume);
    gcb_cluster_resume(o->co, runjson, resume);
    static gcb_spec_t stored;
    if (gcb_spec_from_json(&stored, json_object_get(runjson, GCB_K_SPEC), err, sizeof err))
        die_usage("--resume '%s': incompatible spec in run.json: %s", resume, err);
    if (o->any_spec_opt)
        same_spec_or_die(m, &stored, resume);
    if (o->order_seed_set && (uint64_t)json_integer_value(json_object_get(runjson, GCB_K_ORDER_SEED)) != m->order_seed)
        die_usage("--resume '%s': --order-seed differs from the recorded one", resume);
    m->spec = stored;
    m->order_seed = (uint64_t)json_integer_value(json_object_get(runjson, GCB_K_ORDER_SEED));
    snprintf(m->dir, sizeof m->dir, "%s", resume);
    if (!gcb_dir_writable(m->dir))
        die_usage("--resume '%s': the directory is not writable", resume);
}

/* A resumed matrix: warn when this gcbench is another commit; refuse
 * another host (its cells would mix two machines). */
void gcb__resume_check_context(const matrix_t *m)
{
    json_t *stored = json_object_get(m->runjson, GCB_K_CONTEXT);
    const char *commit = json_string_value(json_object_get(stored, GCB_K_GIT_COMMIT));
    json_t *ctx = gcb_context_json();
    const char *mine = json_string_value(json_object_get(ctx, GCB_K_GIT_COMMIT));
    if (commit && mine && strcmp(commit, mine) != 0)
        fprintf(stderr, "gcbench: warning: %s was started by gcbench %s, this is %s: "
                        "the runs of one matrix may come from different code\n", m->dir, commit, mine);
    const char *host = json_string_value(json_object_get(stored, GCB_K_HOST));
    if (host && strcmp(host, m->host) != 0)
        die_usage("--resume '%s': started on host '%s', this is '%s': results from two machines would "
                  "mix in its cells (run the rest here into a new directory and use gcbench merge)",
                  m->dir, host, m->host);
    json_decref(ctx);
}

/* A failure that was the harness's own, not the run's: "no-record" (the
 * run ended well but its record did not reach the matrix), "spawn" (the
 * spawner could not fork or wait), or - as an older gcbench recorded a
 * run whose record or stderr file could not be written on a full disk -
 * "exit" with an empty stderr tail (gcbench run never fails without a
 * word).  --resume runs these again. */
int gcb__harness_failure(json_t *line)
{
    const char *st = json_string_value(json_object_get(line, GCB_K_STATUS));
    if (!st || strcmp(st, GCB_STATUS_FAILED) != 0)
        return 0;
    json_t *f = json_object_get(line, GCB_K_FAILURE);
    const char *kind = json_string_value(json_object_get(f, GCB_K_F_KIND));
    const char *tail = json_string_value(json_object_get(f, GCB_K_F_STDERR));
    if (!kind)
        return 0;
    return strcmp(kind, "no-record") == 0 || strcmp(kind, "spawn") == 0 ||
           (strcmp(kind, "exit") == 0 && (!tail || !*tail));
}

/* What is already recorded: done[cell * reps + rep], every line of
 * runs.jsonl matched to a run of the plan (else bad input); the failures
 * among them counted. */
unsigned char *gcb__reconcile(matrix_t *m)
{
    char err[2048];
    int reps = m->spec.reps;
    if (gcb_runs_load(m->dir, &m->done_runs, &m->valid, err, sizeof err))
        die_usage("%s", err);
    uint32_t *by_name = malloc(m->ncells * sizeof *by_name);
    for (size_t i = 0; i < m->ncells; i++)
        by_name[i] = (uint32_t)i;
    qsort_r(by_name, m->ncells, sizeof *by_name, gcb__cmp_cell_idx, m->cells);
    unsigned char *done = calloc(m->nplan, 1);
    for (size_t i = 0; i < m->done_runs.n; i++) {
        json_t *line = m->done_runs.line[i];
        const char *cell = json_string_value(json_object_get(line, GCB_K_CELL));
        json_int_t rep = json_integer_value(json_object_get(line, GCB_K_REP));
        long ci = gcb__find_cell(m, by_name, cell);
        if (ci < 0 || rep < 0 || rep >= reps || !gcb_shard_owns(m->co, (size_t)ci, (int)rep))
            die_usage("--resume '%s': runs.jsonl holds run '%s' repetition %lld, which is not in this matrix's spec",
                      m->dir, cell, (long long)rep);
        if (gcb__harness_failure(line)) {
            m->nharness++;  /* dropped from runs.jsonl by gcb__open_runs, run again */
            continue;
        }
        if (done[(size_t)ci * reps + rep])
            fprintf(stderr, "gcbench: warning: %s: run '%s' repetition %lld is recorded twice\n", m->dir, cell,
                    (long long)rep);
        done[(size_t)ci * reps + rep] = 1;
        m->failed_total += !gcb_run_ok(line);
    }
    for (size_t i = 0; i < m->nplan; i++) /* other shards' runs are not this one's to do */
        if (!gcb_shard_owns(m->co, m->order[i].cell, m->order[i].rep))
            done[(size_t)m->order[i].cell * reps + m->order[i].rep] = 1;
    return done;
}

/* runs.jsonl without the harness's failures (and without a truncated
 * last line), written whole to a temp name and renamed over it: a reader
 * sees the old file or the new one.  0, or -1 with errno. */
static int drop_harness_failures(matrix_t *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 1 << 16, len = 0, lcap = 0;
    char *text = malloc(cap), *line = NULL;
    ssize_t n;
    long pos = 0;
    while ((n = getline(&line, &lcap, f)) > 0 && pos + n <= m->valid) {
        pos += n;
        json_error_t jerr;
        json_t *j = json_loadb(line, (size_t)n, 0, &jerr);
        int drop = j && gcb__harness_failure(j);
        json_decref(j);
        if (drop)
            continue;
        if (len + (size_t)n + 1 > cap) {
            cap = (len + (size_t)n + 1) * 2;
            text = realloc(text, cap);
        }
        memcpy(text + len, line, (size_t)n);
        len += (size_t)n;
    }
    free(line);
    fclose(f);
    char err[2048];
    int rc = gcb_outpath_write(path, text, len, err, sizeof err);
    int e = errno;
    free(text);
    if (rc == 0)
        m->valid = (long)len;
    errno = e;
    return rc;
}

/* runs.jsonl opened for appending, the harness's failures dropped (said
 * in one line) and a truncated last line cut off, so the next line starts
 * clean; a full disk stops here, before any run. */
void gcb__open_runs(matrix_t *m)
{
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/runs.jsonl", m->dir);
    if (m->nharness) {
        if (drop_harness_failures(m, path)) {
            if (gcb__no_space(errno))
                gcb__die_no_space(m, "rewriting runs.jsonl");
            die_usage("cannot rewrite '%s': %s", path, strerror(errno));
        }
        fprintf(stderr, "gcbench: matrix: resuming: %zu recorded failures were the harness's own (no record "
                        "written, a write error), not the runs': they are run again\n", m->nharness);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (gcb__no_space(errno))
            gcb__die_no_space(m, "creating runs.jsonl");
        die_usage("cannot write '%s': %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > m->valid) {
        if (ftruncate(fd, m->valid) != 0)
            die_usage("cannot repair '%s': %s", path, strerror(errno));
        fsync(fd);
    }
    m->fd = fd;
}
