/*
 * bench/resultdir/lock.c - the writer's lock of a result directory (see
 * lock.h).  The descriptor is close-on-exec (runs exec'ed by the matrix do
 * not hold it) and deliberately never closed: closing it would release
 * the lock early.
 */
#include "bench/resultdir/lock.h"
#include "bench/resultdir/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define LOCK_NAME ".gcbench.lock"

int gcb_resultdir_lock(const char *dir, char *err, size_t errlen)
{
    char path[GCB_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, LOCK_NAME);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot lock '%s': %s", dir, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(fd);
        if (e == EWOULDBLOCK)
            snprintf(err, errlen, "'%s' is in use by another gcbench matrix (pid %s): wait for it to end, "
                     "or stop it and resume", dir, pid[0] ? pid : "unknown");
        else
            snprintf(err, errlen, "cannot lock '%s': %s", dir, strerror(e));
        return -1;
    }
    char me[32];
    int len = snprintf(me, sizeof me, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, me, (size_t)len, 0) != len) {
        /* the lock holds without the PID; only the message loses it */
    }
    return 0;   /* fd stays open: the lock lives as long as this process */
}
