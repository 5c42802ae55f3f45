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

/* ------------------------------------------------------------ drawing
 * gnuplot runs in a directory of its own inside the plot directory
 * (gcb__draw_begin), on links to the figure's .dat and .gp, so the images
 * it writes are temp files: a PNG or SVG reaches its name (rename) only
 * when gnuplot exited 0 and both images are whole.  Any other outcome -
 * a non-zero exit, a signal (gnuplot 5.4.4 segfaults on some scripts), an
 * image missing, empty or cut short (a full disk: gnuplot still exits 0) -
 * is a failed figure: its temp images are removed, and so are images of
 * the same name from an earlier drawing, which would be taken for it. */

/* Is PATH a whole image: a PNG ending with its IEND chunk, an SVG with
 * </svg>?  0, or -1 with what is wrong in `why`. */
static int whole_image(const char *path, int svg, char *why, size_t whylen)
{
    static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(why, whylen, "it wrote no %s", strrchr(path, '/') + 1);
        if (f)
            fclose(f);
        return -1;
    }
    unsigned char tail[16] = { 0 };
    long n = st.st_size < (off_t)sizeof tail ? (long)st.st_size : (long)sizeof tail;
    int ok = st.st_size > 0 && fseek(f, -n, SEEK_END) == 0 && fread(tail, 1, (size_t)n, f) == (size_t)n;
    fclose(f);
    if (ok)
        ok = svg ? memmem(tail, (size_t)n, "</svg>", 6) != NULL : n >= 12 && memcmp(tail + n - 12, iend, 12) == 0;
    if (!ok)
        snprintf(why, whylen, "its %s is %s", strrchr(path, '/') + 1, st.st_size ? "cut short" : "empty (0 bytes)");
    return ok ? 0 : -1;
}

/* "; no space is left on the file system of DIR" when there is none. */
static void space_note(const char *dir, char *out, size_t n)
{
    struct statvfs v;
    out[0] = '\0';
    if (statvfs(dir, &v) == 0 && v.f_bavail == 0)
        snprintf(out, n, ": no space is left on the file system of %s", dir);
}

int gcb__draw_begin(plotter_t *P, char *tmp, size_t n)
{
    snprintf(tmp, n, "%s/.gcbench-draw.XXXXXX", P->out->outdir);
    if (mkdtemp(tmp))
        return 0;
    char sp[GCB_PATH_MAX];
    space_note(P->out->outdir, sp, sizeof sp);
    gcb__say(P, "cannot create a directory in '%s' to draw in: %s%s", P->out->outdir, strerror(errno), sp);
    return -1;
}

void gcb__draw_end(const char *tmp) { rmdir(tmp); }

static const char *const draw_ext[] = { "dat", "gp", "png", "svg" };

static void tmp_clear(const char *tmp, const char *stem)
{
    char path[GCB_PATH_MAX];
    for (size_t e = 0; e < 4; e++) {
        snprintf(path, sizeof path, "%s/%s.%s", tmp, stem, draw_ext[e]);
        unlink(path);
    }
}

/* The figure's .dat and .gp in `tmp`: hard links, else symbolic ones. */
static int tmp_links(const plotter_t *P, const char *tmp, const char *stem)
{
    for (size_t e = 0; e < 2; e++) {
        char from[GCB_PATH_MAX], to[GCB_PATH_MAX], rel[400];
        snprintf(from, sizeof from, "%s/%s.%s", P->out->outdir, stem, draw_ext[e]);
        snprintf(to, sizeof to, "%s/%s.%s", tmp, stem, draw_ext[e]);
        snprintf(rel, sizeof rel, "../%s.%s", stem, draw_ext[e]);
        if (link(from, to) != 0 && symlink(rel, to) != 0) {
            gcb__say(P, "cannot draw %s: cannot link '%s' into '%s': %s", stem, from, tmp, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static pid_t run_gnuplot(const plotter_t *P, const char *tmp, const char *script, int logfd)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (chdir(tmp) != 0)
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

/* What went wrong with gnuplot's run on the figure, or "" when nothing:
 * the exit, the signal, then each image. */
static void draw_verdict(const plotter_t *P, const char *tmp, const char *stem, int status, char *why, size_t n)
{
    why[0] = '\0';
    if (WIFSIGNALED(status)) {
        snprintf(why, n, "gnuplot was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
        return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, n, "gnuplot exited with status %d; its messages are in %s/gnuplot.log",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, P->out->outdir);
        return;
    }
    for (int e = 2; e < 4; e++) {
        char path[GCB_PATH_MAX], w[512], sp[GCB_PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.%s", tmp, stem, draw_ext[e]);
        if (whole_image(path, e == 3, w, sizeof w) == 0)
            continue;
        space_note(P->out->outdir, sp, sizeof sp);
        snprintf(why, n, "gnuplot exited 0 but %s%s", w, sp[0] ? sp : "; see gnuplot.log there");
        return;
    }
}

/* The images to their names; on failure none of this figure's is kept. */
static int draw_keep(plotter_t *P, const char *tmp, const char *stem, const char *why)
{
    char from[GCB_PATH_MAX], to[GCB_PATH_MAX];
    int ok = !why[0];
    for (int e = 2; e < 4 && ok; e++) {
        snprintf(from, sizeof from, "%s/%s.%s", tmp, stem, draw_ext[e]);
        snprintf(to, sizeof to, "%s/%s.%s", P->out->outdir, stem, draw_ext[e]);
        if (rename(from, to) != 0) {
            gcb__say(P, "cannot draw %s: cannot rename '%s' to '%s': %s", stem, from, to, strerror(errno));
            ok = 0;
        }
    }
    if (!ok && why[0])
        gcb__say(P, "figure %s not drawn (%s/%s.gp): %s", stem, P->out->outdir, stem, why);
    for (int e = 2; e < 4 && !ok; e++) {
        snprintf(to, sizeof to, "%s/%s.%s", P->out->outdir, stem, draw_ext[e]);
        unlink(to);
    }
    tmp_clear(tmp, stem);
    return ok ? 0 : -1;
}

/* Run gnuplot on STEM.gp in `tmp` (gcb__draw_begin); 0 when both images
 * are in the plot directory. */
int gcb__draw(plotter_t *P, gcb_figure_t *f, int logfd, const char *tmp)
{
    char script[320];
    snprintf(script, sizeof script, "%s.gp", f->stem);
    dprintf(logfd, "== gnuplot %s\n", script);
    if (tmp_links(P, tmp, f->stem) != 0) {
        tmp_clear(tmp, f->stem);
        return -1;
    }
    pid_t pid = run_gnuplot(P, tmp, script, logfd);
    if (pid < 0) {
        gcb__say(P, "cannot start gnuplot: %s", strerror(errno));
        tmp_clear(tmp, f->stem);
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char why[4800];
    draw_verdict(P, tmp, f->stem, status, why, sizeof why);
    if (draw_keep(P, tmp, f->stem, why) != 0)
        return -1;
    f->drawn = 1;
    return 0;
}
