/*
 * bench/matrix/spawner.c - the spawner: a small process forked before the matrix grows, that forks every run; its pipe protocol.
 */
#include "bench/matrix/matrix.h"

int gcb__spawner_req_fd = -1, gcb__spawner_rep_fd = -1;
int gcb__spawner_rec_fd = -1, gcb__spawner_err_fd = -1;
int gcb__child_rec_fd = -1, gcb__child_err_fd = -1;
pid_t gcb__spawner_pid;

int gcb__read_full(int fd, void *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = read(fd, (char *)buf + off, n - off);
        if (r < 0 && errno == EINTR) {
            if (gcb__interrupted && gcb__spawner_pid > 0)
                kill(gcb__spawner_pid, SIGINT);
            continue;
        }
        if (r <= 0)
            return -1;
        off += (size_t)r;
    }
    return 0;
}

int gcb__write_full(int fd, const void *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, (const char *)buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}


static void spawner_main(int req_fd, int rep_fd)
{
    static char buf[256 * 1024];
    for (;;) {
        spawn_req_t rq;
        if (gcb__read_full(req_fd, &rq, sizeof rq) || rq.len > sizeof buf || gcb__read_full(req_fd, buf, rq.len))
            _exit(0); /* the matrix is gone or done */
        char *strs[80];
        size_t n = 0;
        for (char *p = buf; p < buf + rq.len && n < 79; p += strlen(p) + 1)
            strs[n++] = p;
        strs[n] = NULL;
        /* exe, then argv */
        static spawn_rep_t o;
        gcb__supervise(&rq, strs[0], strs + 1, &o);
        gcb__interrupted = 0;
        if (gcb__write_full(rep_fd, &o, sizeof o))
            _exit(0);
    }
}

/* Fork the spawner now, while this process is small.  0 or -1.
 * Four pipes: requests and replies, and the runs' records and stderr,
 * whose write ends only the spawner keeps (each run gets them as its fd 3
 * and 2) and whose read ends only the matrix keeps, non-blocking: the
 * matrix reads both while it waits for the reply (runone.c), so a run
 * writes nothing on the disk of the result directory - only the matrix
 * does, and so it alone knows when the disk is full. */
int gcb__spawner_start(void)
{
    int req[2], rep[2], rec[2], err[2];
    if (pipe2(req, O_CLOEXEC) || pipe2(rep, O_CLOEXEC) || pipe2(rec, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
        return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        close(req[1]);
        close(rep[0]);
        close(rec[0]);
        close(err[0]);
        gcb__child_rec_fd = rec[1];
        gcb__child_err_fd = err[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = gcb__on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        spawner_main(req[0], rep[1]);
        _exit(0);
    }
    close(req[0]);
    close(rep[1]);
    close(rec[1]);
    close(err[1]);
    fcntl(rec[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    gcb__spawner_req_fd = req[1];
    gcb__spawner_rep_fd = rep[0];
    gcb__spawner_rec_fd = rec[0];
    gcb__spawner_err_fd = err[0];
    gcb__spawner_pid = pid;
    return 0;
}

void gcb_matrix_spawner_prepare(int want_spawner)
{
    if (want_spawner) {
        /* runs must not fork git (see context.c): ask it once, here */
        json_t *ctx = gcb_context_json();
        const char *commit = json_string_value(json_object_get(ctx, GCB_K_GIT_COMMIT));
        if (commit)
            setenv("GCBENCH_GIT_COMMIT", commit, 1);
        json_decref(ctx);
    }
    if (want_spawner && gcb__spawner_start() != 0)
        die_usage("cannot start the spawner process: %s", strerror(errno));
}
