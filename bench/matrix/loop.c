/*
 * bench/matrix/loop.c - the run loop: each slot of the schedule run by the
 * spawner, its line appended (recorded runs) and the progress shown, until
 * the schedule ends or a signal stops it.
 */
#include "bench/matrix/matrix.h"

#include <sys/file.h>

/* The slot's index in the plan (its runs.jsonl "order"); 0 for a warm-up. */
static size_t plan_index(const matrix_t *m, slot_t s)
{
    if (s.rep >= 0)
        for (size_t i = 0; i < m->nplan; i++)
            if (m->order[i].cell == s.cell && m->order[i].rep == s.rep)
                return i;
    return 0;
}

/* Append a run's line to runs.jsonl under an exclusive flock of the file
 * (readers take a shared one while they read it: docs/promises.md), so no
 * reader sees half a line; a line only partly written (a full disk) is
 * cut off again, so the file stays whole lines.  0, or -1 with errno. */
static int append_run(matrix_t *m, json_t *line)
{
    flock(m->fd, LOCK_EX);
    off_t end = lseek(m->fd, 0, SEEK_END);
    int rc = gcb_append_line(m->fd, line);
    int e = errno;
    if (rc && end >= 0 && ftruncate(m->fd, end) == 0)
        fsync(m->fd);
    flock(m->fd, LOCK_UN);
    errno = e;
    return rc;
}

/* Run slot k.  1: stop (interrupted: the run killed by us is not a
 * result), -1: runs.jsonl could not be appended to, 0: go on. */
static int run_slot(matrix_t *m, progress_t *pg, size_t k)
{
    static char store[64][GCB_ARG_MAX], what[1200];
    size_t nstore;
    slot_t s = m->todo[k];
    const gcb_cell_t *c = &m->cells[s.cell];
    size_t index = plan_index(m, s);
    if (s.rep < 0)
        snprintf(what, sizeof what, "%s warm-up", c->name);
    else
        snprintf(what, sizeof what, "%s rep %d", c->name, s.rep);
    if (m->tty)
        gcb__progress_show(m, pg, m->todo + k, m->ntodo - k, what, NULL);
    run_outcome_t o;
    char **av = gcb__run_argv(m, c, GCB__RECORD_PATH, NULL, store, &nstore);
    gcb__run_one(m, av, &o);
    if (gcb__interrupted && !o.ok) {
        json_decref(o.record);
        return 1;
    }
    pg->done++;
    pg->cell_time[s.cell] += o.elapsed_s;
    pg->cell_n[s.cell]++;
    pg->all_time += o.elapsed_s;
    pg->all_n++;
    if (s.rep >= 0) {
        if (!o.ok) {
            pg->failed++;
            m->failed_total++;
        }
        json_t *line = gcb__outcome_line(m, c, s.rep, index, &o);
        int wrc = append_run(m, line);
        m->recorded += wrc == 0;
        o.record = line; /* for progress_show */
        if (wrc)
            return -1;
    } else if (!o.ok) {
        fprintf(stderr, "%sgcbench: matrix: warm-up of %s failed (%s): %s\n", m->tty ? "\n" : "", c->name,
                o.kind, o.tail);
    }
    gcb__progress_show(m, pg, m->todo + k + 1, m->ntodo - k - 1, what, &o);
    json_decref(o.record);
    return 0;
}

/* -1: every slot ran (the matrix goes on to its end); else the exit
 * status (interrupted, or runs.jsonl not writable). */
int gcb__run_loop(matrix_t *m)
{
    progress_t pg = { 0 };
    pg.total = m->ntodo;
    pg.t0 = m->t_start;
    pg.cell_time = calloc(m->ncells, sizeof *pg.cell_time);
    pg.cell_n = calloc(m->ncells, sizeof *pg.cell_n);
    for (size_t k = 0; k < m->ntodo && !gcb__interrupted; k++) {
        int r = run_slot(m, &pg, k);
        if (r > 0)
            break;
        if (r < 0) {
            /* the harness's failure, not the run's: nothing of it is recorded */
            if (gcb__no_space(errno))
                gcb__die_no_space(m, "appending to runs.jsonl");
            fprintf(stderr, "\ngcbench: matrix: cannot append to %s/runs.jsonl: %s; fix that and resume: gcbench "
                            "matrix --resume %s\n", m->dir, strerror(errno), m->dir);
            return GCB_EXIT_FAIL;
        }
    }
    close(m->fd);
    if (m->tty)
        fputc('\n', stderr);
    if (gcb__interrupted) {
        fprintf(stderr, "gcbench: matrix: interrupted (%s); %zu runs recorded in this session; finish with: "
                        "gcbench matrix --resume %s\n",
                strsignal(gcb__interrupted), m->recorded, m->dir);
        return GCB_EXIT_INTERRUPTED;
    }
    return -1;
}
