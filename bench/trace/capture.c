/*
 * bench/trace/capture.c - what `gcbench trace -o FILE -- CMD ARGS...` does
 * once bench/cli/cmd_trace.c has read its options: run a program under
 * libgcbtrace.so and check the allocation trace it leaves (capture.h).
 *
 * The child gets LD_PRELOAD=libgcbtrace.so (in front of any preload already
 * set), GCBTRACE_FILE=FILE and PYTHONMALLOC=malloc, so a CPython child
 * sends every object allocation to malloc instead of pymalloc and the trace
 * sees them all.  The library is looked up in $GCBENCH_TRACE_LIB, next to
 * the gcbench executable, then in the build directory meson configured.
 * Afterwards the trace is read back end to end and summarised on stderr;
 * an unreadable trace fails the command.
 *
 * Invariant: FILE is only ever replaced whole.  The recorder writes
 * FILE.tmp.PID, and only a trace that reads back complete is renamed over
 * FILE; every failure removes the temporary and leaves an old FILE as it
 * was.
 */
#include "bench/trace/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libgen.h>
#include "util/outpath.h"

#include "bench/exit.h"
#include "config.h"
#include "util/trace.h"

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gcbench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return GCB_EXIT_USAGE;
}

static int find_lib(char *out, size_t outlen)
{
    const char *env = getenv("GCBENCH_TRACE_LIB");
    if (env && *env) {
        snprintf(out, outlen, "%s", env);
        return access(out, R_OK);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        snprintf(out, outlen, "%s/libgcbtrace.so", dirname(exe));
        if (access(out, R_OK) == 0)
            return 0;
    }
    snprintf(out, outlen, "%s", GCB_TRACE_LIB_PATH);
    return access(out, R_OK);
}

/* The absolute path of outpath (a symbolic link: its target), checked a
 * regular file or a new path.  0, or the exit status after the message. */
static int resolve_out(const char *outpath, char *abs_out, size_t len)
{
    /* a regular file or a new path only (util/outpath.h): the recorder
     * replaces what is there, so a device, FIFO or directory is refused
     * here, before the command runs; a symbolic link's target is written */
    char err[PATH_MAX + 256];
    if (gcb_outpath_check("trace -o", outpath, 0, err, sizeof err))
        return usage("%s", err);
    char *real = realpath(outpath, NULL);
    struct stat lst;
    if (real && lstat(outpath, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        snprintf(abs_out, len, "%s", real);
    } else if (outpath[0] == '/') {
        snprintf(abs_out, len, "%s", outpath);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            free(real);
            return usage("cannot resolve '%s': the current directory is gone", outpath);
        }
        snprintf(abs_out, len, "%s/%s", cwd, outpath);
    }
    free(real);
    return 0;
}

/* In the child: the recorder's environment, then cmd.  Never returns. */
static void exec_recorded(const char *lib, const char *tmp_out, int errfd, char *const *cmd)
{
    const char *old = getenv("LD_PRELOAD");
    char preload[2 * PATH_MAX];
    if (old && *old)
        snprintf(preload, sizeof preload, "%s:%s", lib, old);
    else
        snprintf(preload, sizeof preload, "%s", lib);
    setenv("LD_PRELOAD", preload, 1);
    setenv("GCBTRACE_FILE", tmp_out, 1);
    char efd[16];
    snprintf(efd, sizeof efd, "%d", errfd);
    setenv("GCBTRACE_ERRFD", efd, 1);
    fcntl(errfd, F_SETFD, 0);
    setenv("PYTHONMALLOC", "malloc", 1);
    execvp(cmd[0], cmd);
    fprintf(stderr, "gcbench: cannot run '%s': %s\n", cmd[0], strerror(errno));
    _exit(127);
}

/* The child has ended with `status`: read its trace back, summarise it and
 * rename it over abs_out.  Returns the exit status. */
static int finish(const char *outpath, const char *abs_out, const char *tmp_out, const char *prog, int status)
{
    char err[PATH_MAX + 256];
    gcb_trace_t t;
    if (gcb_trace_open(&t, tmp_out, err, sizeof err)) {
        unlink(tmp_out);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fprintf(stderr, "gcbench: '%s' %s %d, and %s\n", prog,
                    WIFEXITED(status) ? "exited with status" : "was killed by signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), err);
        else
            fprintf(stderr, "gcbench: %s (did '%s' end with _exit?)\n", err, prog);
        return GCB_EXIT_FAIL;
    }
    const gcb_trace_stats_t *s = &t.stats;
    fprintf(stderr,
            "gcbench trace: %llu events (%llu malloc, %llu calloc, %llu aligned, %llu realloc, %llu free), "
            "peak %llu live blocks, %llu bytes allocated, %llu blocks live at exit -> %s\n",
            (unsigned long long)s->events, (unsigned long long)s->mallocs, (unsigned long long)s->callocs,
            (unsigned long long)s->memaligns, (unsigned long long)s->reallocs, (unsigned long long)s->frees,
            (unsigned long long)s->max_id, (unsigned long long)s->bytes_allocated,
            (unsigned long long)s->live_at_end, outpath);
    gcb_trace_close(&t);
    if (rename(tmp_out, abs_out) != 0) {
        fprintf(stderr, "gcbench: trace: cannot write '%s': %s\n", outpath, strerror(errno));
        unlink(tmp_out);
        return GCB_EXIT_FAIL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "gcbench: '%s' %s %d; the trace is complete up to its exit\n", prog,
                WIFEXITED(status) ? "exited with status" : "was killed by signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return GCB_EXIT_FAIL;
    }
    return GCB_EXIT_OK;
}

int gcb_trace_capture(const char *outpath, char *const *cmd)
{
    char lib[PATH_MAX], abs_out[PATH_MAX];
    if (find_lib(lib, sizeof lib))
        return usage("cannot find libgcbtrace.so (looked at $GCBENCH_TRACE_LIB, next to gcbench, and %s)",
                     GCB_TRACE_LIB_PATH);
    int rc = resolve_out(outpath, abs_out, sizeof abs_out);
    if (rc)
        return rc;
    /* the recorder writes a temporary name, renamed over OUT when the
     * trace is whole (an old OUT stays until then: a reader sees the old
     * trace or the new one); its write errors come back on a pipe */
    char tmp_out[PATH_MAX + 32];
    snprintf(tmp_out, sizeof tmp_out, "%s.tmp.%ld", abs_out, (long)getpid());
    int ep[2];
    if (pipe2(ep, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "gcbench: pipe: %s\n", strerror(errno));
        return GCB_EXIT_FAIL;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "gcbench: fork: %s\n", strerror(errno));
        return GCB_EXIT_FAIL;
    }
    if (pid == 0)
        exec_recorded(lib, tmp_out, ep[1], cmd);
    close(ep[1]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int werr = 0;
    ssize_t got = read(ep[0], &werr, sizeof werr);
    close(ep[0]);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        struct stat st;
        if (stat(tmp_out, &st) != 0)
            return GCB_EXIT_USAGE;   /* the exec failed (message above) */
    }
    if (got == (ssize_t)sizeof werr && werr) {
        unlink(tmp_out);
        if (werr == ENOSPC || werr == EDQUOT)
            fprintf(stderr, "gcbench: trace: no space left on the disk of '%s': the recorder stopped there; free "
                            "space and record again (nothing was written)\n", outpath);
        else
            fprintf(stderr, "gcbench: trace: cannot write '%s': %s (nothing was written)\n", outpath, strerror(werr));
        return GCB_EXIT_FAIL;
    }
    return finish(outpath, abs_out, tmp_out, cmd[0], status);
}
