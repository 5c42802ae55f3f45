/*
 * bench/report/plot/gnuplot.c - the gnuplot runner: finding gnuplot, one fork/exec per script, in the plot directory.
 */
#include "bench/report/plot/figure.h"

/* ------------------------------------------------------------ gnuplot */

int gcb__find_gnuplot(char *out, size_t n, char *why, size_t whylen)
{
    const char *env = getenv("GCBENCH_GNUPLOT");
    if (env) {
        if (!*env || strcmp(env, "none") == 0) {
            snprintf(why, whylen, "GCBENCH_GNUPLOT=%s turns gnuplot off", *env ? env : "\"\"");
            return -1;
        }
        if (access(env, X_OK) == 0) {
            snprintf(out, n, "%s", env);
            return 0;
        }
        snprintf(why, whylen, "GCBENCH_GNUPLOT='%s' is not an executable", env);
        return -1;
    }
    if (GCB_GNUPLOT[0] && access(GCB_GNUPLOT, X_OK) == 0) {
        snprintf(out, n, "%s", GCB_GNUPLOT);
        return 0;
    }
    const char *path = getenv("PATH");
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, n, "%s/gnuplot", *d ? d : ".");
        if (access(out, X_OK) == 0)
            return 0;
    }
    out[0] = '\0';
    snprintf(why, whylen, "gnuplot is not installed (not at '%s' found at build time, not in PATH)",
             GCB_GNUPLOT[0] ? GCB_GNUPLOT : "-");
    return -1;
}

static int nonempty(const char *dir, const char *stem, const char *ext)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s.%s", dir, stem, ext);
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Run gnuplot on STEM.gp in the plot directory; 0 when both images exist. */
int gcb__draw(plotter_t *P, gcb_figure_t *f, int logfd)
{
    char script[320];
    snprintf(script, sizeof script, "%s.gp", f->stem);
    dprintf(logfd, "== gnuplot %s\n", script);
    for (int e = 0; e < 2; e++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s.%s", P->out->outdir, f->stem, e ? "svg" : "png");
        unlink(path);
    }
    pid_t pid = fork();
    if (pid < 0) {
        gcb__say(P, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (chdir(P->out->outdir) != 0)
            _exit(127);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        struct rlimit rl = { GNUPLOT_CPU_LIMIT_S, GNUPLOT_CPU_LIMIT_S + 1 };
        setrlimit(RLIMIT_CPU, &rl);
        unsetenv("LD_PRELOAD");
        execl(P->out->gnuplot, "gnuplot", script, (char *)NULL);
        dprintf(2, "cannot execute %s: %s\n", P->out->gnuplot, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && nonempty(P->out->outdir, f->stem, "png") &&
             nonempty(P->out->outdir, f->stem, "svg");
    if (!ok) {
        if (WIFSIGNALED(status))
            gcb__say(P, "gnuplot was killed by signal %d on %s/%s", WTERMSIG(status), P->out->outdir, script);
        else
            gcb__say(P, "gnuplot failed on %s/%s (exit %d); its messages are in %s/gnuplot.log", P->out->outdir, script,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1, P->out->outdir);
        return -1;
    }
    f->drawn = 1;
    return 0;
}
