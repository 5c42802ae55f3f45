/*
 * allocators/probe.c - a user's malloc library tried in a child process
 * before any run uses it, so a library that crashes, hangs, returns NULL
 * or does not serve malloc when preloaded is an exit-2 input error with one
 * line saying which of these it did - never a benchmark process dying with
 * an empty stderr (issue 10, item 6).
 *
 * The child is this very program (/proc/self/exe) started under
 * LD_PRELOAD=library with GCBENCH_PRELOAD_PROBE=FD in its environment.  A
 * constructor here (in the core library, so gcbench and gcbench-micro both
 * carry it) sees the variable before main runs, exercises malloc, free,
 * calloc and realloc, and reports each stage it passed as one byte on FD:
 *
 *     L  loaded: the library's constructors ran, this one was reached
 *     M  malloc(24) returned a block, written end to end
 *     F  free, calloc and realloc of it returned
 *     N  malloc returned NULL (then exit 10)
 *     O  the malloc this process calls is not the library's (then exit 11)
 *
 * The parent reads the stages until EOF, then waits: the last stage and
 * the child's end (signal, exit status, SIGALRM after PROBE_SECONDS) name
 * the failure.  alarm() survives execve, so a library that hangs in its
 * constructor is caught too.  The child's stdout and stderr go to
 * /dev/null: the one line is the parent's.
 */
#include "allocators/allocator.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_ENV "GCBENCH_PRELOAD_PROBE"
#define PROBE_SECONDS 10

static void stage(int fd, char c)
{
    ssize_t r = write(fd, &c, 1);
    (void)r;
}

static int served_by(const char *lib)
{
    Dl_info info;
    void *m = dlsym(RTLD_DEFAULT, "malloc");
    if (!m || !dladdr(m, &info) || !info.dli_fname)
        return 0;
    char *a = realpath(info.dli_fname, NULL), *b = realpath(lib, NULL);
    int same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

/* The child's side: runs before main in every process, acts only when
 * asked.  Exits, never returns, when probing. */
__attribute__((constructor, used)) static void gcb__probe_child(void)
{
    const char *v = getenv(PROBE_ENV);
    if (!v)
        return;
    int fd = atoi(v);
    stage(fd, 'L');
    volatile unsigned char *p = malloc(24);
    if (!p) {
        stage(fd, 'N');
        _exit(10);
    }
    for (int i = 0; i < 24; i++)
        p[i] = (unsigned char)i;
    stage(fd, 'M');
    free((void *)p);
    void *c = calloc(4, 16);
    void *r = c ? realloc(c, 4096) : NULL;
    free(r ? r : c);
    stage(fd, 'F');
    const char *lib = getenv("LD_PRELOAD");
    if (!lib || !served_by(lib)) {
        stage(fd, 'O');
        _exit(11);
    }
    _exit(0);
}

/* Start the child; its stages into buf (at most n - 1, NUL-ended); its
 * wait status into *status.  -1 with a message when it cannot start. */
static int run_child(const char *path, const char *env, char *buf, size_t n, int *status,
                     char *err, size_t errlen)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot probe allocator library: pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot probe allocator library: fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int w = dup(fds[1]);   /* without O_CLOEXEC: survives the exec */
        char num[16];
        snprintf(num, sizeof num, "%d", w);
        setenv(PROBE_ENV, num, 1);
        setenv("LD_PRELOAD", path, 1);
        if (env && env[0])
            putenv((char *)env);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        alarm(PROBE_SECONDS);
        execl("/proc/self/exe", "gcbench-probe", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t got = 0;
    char c;
    ssize_t r;
    while ((r = read(fds[0], &c, 1)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (got + 1 < n)
            buf[got++] = c;
    }
    buf[got] = '\0';
    close(fds[0]);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

int gcb_preload_probe(const char *path, const char *env, char *err, size_t errlen)
{
    if (served_by(path))   /* this process already runs on it (after the re-exec) */
        return 0;
    char st[16];
    int status = 0;
    if (run_child(path, env, st, sizeof st, &status, err, errlen))
        return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && strchr(st, 'F'))
        return 0;
    const char *last = st[0] ? st + strlen(st) - 1 : "";
    const char *where = !*last ? "while loading (its constructor or an early malloc)"
                        : *last == 'L' ? "in its first malloc"
                                       : "in its first free, calloc or realloc";
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        snprintf(err, errlen, "the library '%s' hung %s (no answer in %d s)", path, where, PROBE_SECONDS);
    else if (WIFSIGNALED(status))
        snprintf(err, errlen, "the library '%s' crashed with SIG%s %s", path,
                 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?", where);
    else if (*last == 'N')
        snprintf(err, errlen, "the library '%s' returned NULL from its first malloc (24 bytes)", path);
    else if (*last == 'O')
        snprintf(err, errlen, "the library '%s' exports malloc but does not serve it when preloaded", path);
    else
        snprintf(err, errlen, "a process could not start under the library '%s' (exit %d %s)", path,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, where);
    return -1;
}
