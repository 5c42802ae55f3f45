/*
 * bench/trace/trace_cmd.c - `gcbench trace -o FILE -- CMD ARGS...`: run a program
 * under libgcbtrace.so and check the allocation trace it leaves.
 *
 * The child gets LD_PRELOAD=libgcbtrace.so (in front of any preload already
 * set), GCBTRACE_FILE=FILE and PYTHONMALLOC=malloc, so a CPython child
 * sends every object allocation to malloc instead of pymalloc and the trace
 * sees them all.  The library is looked up in $GCBENCH_TRACE_LIB, next to
 * the gcbench executable, then in the build directory meson configured.
 * Afterwards the trace is read back end to end and summarised on stderr;
 * an unreadable trace fails the command.
 */
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

#include "bench/cli/cli.h"
#include "bench/cell/cell.h"
#include "config.h"
#include "util/trace.h"

static const char trace_help[] =
    "usage: gcbench trace -o FILE -- CMD [ARGS...]\n"
    "\n"
    "Run CMD with libgcbtrace.so preloaded and record every malloc, calloc,\n"
    "realloc, free and aligned allocation it makes into FILE (format:\n"
    "docs/traces.md).  PYTHONMALLOC=malloc is set, so a python3 CMD shows its\n"
    "object allocations.  Replay the trace with\n"
    "  gcbench run -a ALLOCATOR -c rc -w replay -p trace=FILE\n"
    "\n"
    "  -o, --output FILE   where the trace goes (overwritten)\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 success, 1 CMD failed or left no complete trace, 2 bad input.\n";

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

int gcb_cmd_trace(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* "+": the options end at the command (or at "--") */
    static const gcb_cli_spec_t spec = { "trace", NULL, trace_help, "+:o:h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &spec, argc, argv);
    const char *outpath = NULL;
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1)
        if (ch == 'o') {
            if (outpath)
                return usage("-o given twice ('%s', then '%s'): give one output file", outpath, cli.arg);
            outpath = cli.arg;
        }
    int i = cli.optind;
    if (!outpath)
        return usage("trace needs -o FILE (see gcbench trace --help)");
    if (i >= argc)
        return usage("trace needs a command to run after -- (see gcbench trace --help)");

    char lib[PATH_MAX], abs_out[PATH_MAX], dir[PATH_MAX];
    if (find_lib(lib, sizeof lib))
        return usage("cannot find libgcbtrace.so (looked at $GCBENCH_TRACE_LIB, next to gcbench, and %s)",
                     GCB_TRACE_LIB_PATH);
    /* a regular file or a new path only (util/outpath.h): the recorder
     * replaces what is there, so a device, FIFO or directory is refused
     * here, before the command runs; a symbolic link's target is written */
    char err[PATH_MAX + 256];
    if (gcb_outpath_check("trace -o", outpath, 0, err, sizeof err))
        return usage("%s", err);
    char *real = realpath(outpath, NULL);
    struct stat lst;
    if (real && lstat(outpath, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        snprintf(abs_out, sizeof abs_out, "%s", real);
    } else if (outpath[0] == '/') {
        snprintf(abs_out, sizeof abs_out, "%s", outpath);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return usage("cannot resolve '%s': the current directory is gone", outpath);
        snprintf(abs_out, sizeof abs_out, "%s/%s", cwd, outpath);
    }
    free(real);
    (void)dir;
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
    if (pid == 0) {
        const char *old = getenv("LD_PRELOAD");
        char preload[2 * PATH_MAX];
        if (old && *old)
            snprintf(preload, sizeof preload, "%s:%s", lib, old);
        else
            snprintf(preload, sizeof preload, "%s", lib);
        setenv("LD_PRELOAD", preload, 1);
        setenv("GCBTRACE_FILE", tmp_out, 1);
        char efd[16];
        snprintf(efd, sizeof efd, "%d", ep[1]);
        setenv("GCBTRACE_ERRFD", efd, 1);
        fcntl(ep[1], F_SETFD, 0);
        setenv("PYTHONMALLOC", "malloc", 1);
        execvp(argv[i], argv + i);
        fprintf(stderr, "gcbench: cannot run '%s': %s\n", argv[i], strerror(errno));
        _exit(127);
    }
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

    gcb_trace_t t;
    if (gcb_trace_open(&t, tmp_out, err, sizeof err)) {
        unlink(tmp_out);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fprintf(stderr, "gcbench: '%s' %s %d, and %s\n", argv[i],
                    WIFEXITED(status) ? "exited with status" : "was killed by signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), err);
        else
            fprintf(stderr, "gcbench: %s (did '%s' end with _exit?)\n", err, argv[i]);
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
        fprintf(stderr, "gcbench: '%s' %s %d; the trace is complete up to its exit\n", argv[i],
                WIFEXITED(status) ? "exited with status" : "was killed by signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return GCB_EXIT_FAIL;
    }
    return GCB_EXIT_OK;
}
