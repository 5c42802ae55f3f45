/*
 * bench/matrix/supervise.c - one run under its limits, in the spawner: fork/exec, CPU and data limits, the wall-clock and RSS watch, and the outcome classified.
 */
#include "bench/matrix/matrix.h"

static uint64_t child_rss(pid_t pid)
{
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long long size, res;
    if (sscanf(buf, "%llu %llu", &size, &res) != 2)
        return 0;
    return (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
}

const char *gcb__signame(int sig)
{
    static char buf[32];
    const char *abbrev = sigabbrev_np(sig);
    snprintf(buf, sizeof buf, "SIG%s", abbrev ? abbrev : "?");
    return buf;
}

/* --- the spawner ------------------------------------------------------- *
 * A run's peak RSS, as wait4 reports it, can never be below the RSS of
 * the process that forked it (the kernel keeps the high-water mark of the
 * pre-exec image).  So runs are not forked by the matrix process, whose
 * RSS grows with what it holds, but by a spawner forked first thing, while
 * the process is as small as a starting `gcbench run`.  The matrix sends
 * it one request per run through a pipe and gets the outcome back. */


/* In the child: its own process group, dead with its parent, default
 * signals, the CPU and data limits, no core, stdin and stdout on
 * /dev/null, stderr on the matrix's stderr pipe and fd 3 on its record
 * pipe (GCB__RECORD_PATH); then exec `gcbench run`. */
static void __attribute__((noreturn)) child_exec(const spawn_req_t *rq, char *exe, char **argv, pid_t parent)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    struct rlimit rl;
    rl.rlim_cur = (rlim_t)ceil(rq->timeout_s);
    rl.rlim_max = rl.rlim_cur + 2;
    setrlimit(RLIMIT_CPU, &rl);
    if (rq->mem_limit) {
        rl.rlim_cur = rl.rlim_max = (rlim_t)rq->mem_limit;
        setrlimit(RLIMIT_DATA, &rl);
    }
    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);
    int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY);
    if (in < 0 || out < 0 || gcb__child_err_fd < 3 || gcb__child_rec_fd < 3)
        _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(gcb__child_err_fd, 2);
    if (gcb__child_rec_fd != GCB__RECORD_FD)
        dup2(gcb__child_rec_fd, GCB__RECORD_FD);
    fcntl(GCB__RECORD_FD, F_SETFD, 0); /* dup2 cleared close-on-exec; same fd: clear it here */
    execv(exe, argv);
    fprintf(stderr, "exec %s: %s\n", exe, strerror(errno));
    _exit(127);
}

/* What ended the run: the kill we sent (interrupted, timeout, memory),
 * SIGXCPU or a CPU-time SIGKILL (timeout), another signal (crash), exit
 * status 3 (oom) or another non-zero one (exit); "" when it succeeded. */
static void classify(const spawn_req_t *rq, int status, const char *killed, spawn_rep_t *o)
{
    double cpu = (double)o->ru.ru_utime.tv_sec + (double)o->ru.ru_utime.tv_usec * 1e-6 +
                 (double)o->ru.ru_stime.tv_sec + (double)o->ru.ru_stime.tv_usec * 1e-6;
    if (WIFSIGNALED(status)) {
        o->signal = WTERMSIG(status);
        if (killed)
            snprintf(o->kind, sizeof o->kind, "%s", killed);
        else if (o->signal == SIGXCPU || (o->signal == SIGKILL && cpu >= rq->timeout_s))
            snprintf(o->kind, sizeof o->kind, "timeout");
        else
            snprintf(o->kind, sizeof o->kind, "crash");
    } else {
        o->exit_status = WEXITSTATUS(status);
        if (killed)
            snprintf(o->kind, sizeof o->kind, "%s", killed);
        else if (o->exit_status == GCB_EXIT_OOM)
            snprintf(o->kind, sizeof o->kind, "oom");
        else if (o->exit_status != 0)
            snprintf(o->kind, sizeof o->kind, "exit");
    }
}

/* In the spawner: run one process and watch it. */
void gcb__supervise(const spawn_req_t *rq, char *exe, char **argv, spawn_rep_t *o)
{
    memset(o, 0, sizeof *o);
    o->exit_status = -1;
    pid_t parent = getpid();
    double t0 = gcb_now_s();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(o->kind, sizeof o->kind, "spawn");
        snprintf(o->tail, sizeof o->tail, "fork: %s", strerror(errno));
        return;
    }
    if (pid == 0)
        child_exec(rq, exe, argv, parent);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    const char *killed = NULL;
    int status = 0;
    for (;;) {
        pid_t w = wait4(pid, &status, WNOHANG, &o->ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            snprintf(o->kind, sizeof o->kind, "spawn");
            snprintf(o->tail, sizeof o->tail, "wait4: %s", strerror(errno));
            if (pidfd >= 0)
                close(pidfd);
            return;
        }
        double t = gcb_now_s();
        if (!killed) {
            if (gcb__interrupted)
                killed = "gcb__interrupted";
            else if (t - t0 > rq->timeout_s)
                killed = "timeout";
            else if (rq->mem_limit && child_rss(pid) > rq->mem_limit)
                killed = "memory";
            if (killed) {
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
            }
        }
        if (pidfd >= 0) {
            struct pollfd p = { .fd = pidfd, .events = POLLIN };
            poll(&p, 1, RSS_POLL_MS);
        } else {
            struct timespec ts = { 0, 2 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    kill(-pid, SIGKILL); /* anything the run left in its group */
    o->elapsed_s = gcb_now_s() - t0;
    classify(rq, status, killed, o);
}
