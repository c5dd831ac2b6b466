/*
 * tmpcopyup (runc's extension, used by Podman for --tmpfs and systemd's /run and /tmp): the tmpfs starts with
 * a copy of what the image had at its destination. runc copies by path (and would follow a symlink swapped in
 * by the image); here the source is the covered directory's fd, opened before the tmpfs went over it, and the
 * walk only ever uses *at() calls relative to directory fds with O_NOFOLLOW, so it cannot leave the tree.
 */
#include "copyup.h"
#include "plan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPYUP_MAX_DEPTH 128

/* The mount a fd lies on, to refuse walking into a submount of the covered tree. */
static unsigned long long mount_id(int fd, const char *what)
{
    struct statx sx;
    if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0)
        die(1, "%s: tmpcopyup: statx", what);
    return (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
}

static void own_and_mode(int dfd, const char *name, const struct stat *st, const char *what)
{
    if (fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        die(1, "%s: tmpcopyup: chown %s to %u:%u", what, name, (unsigned)st->st_uid, (unsigned)st->st_gid);
    if (!S_ISLNK(st->st_mode) && fchmodat(dfd, name, st->st_mode & 07777, 0) < 0)
        die(1, "%s: tmpcopyup: chmod %s", what, name);
}

static void copy_file(int sfd, int dfd, const char *name, const struct stat *st, const char *what)
{
    int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (in < 0)
        die(1, "%s: tmpcopyup: open %s", what, name);
    struct stat now;
    if (fstat(in, &now) < 0 || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino)
        die(0, "%s: tmpcopyup: %s changed while being copied", what, name);
    int out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        die(1, "%s: tmpcopyup: create %s", what, name);
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die(1, "%s: tmpcopyup: read %s", what, name);
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                die(1, "%s: tmpcopyup: write %s", what, name);
            off += w;
        }
    }
    close(in);
    close(out);
}

static void copy_dir(int sfd, int dfd, unsigned long long mnt, int depth, const char *what)
{
    if (depth > COPYUP_MAX_DEPTH)
        die(0, "%s: tmpcopyup: directories nested deeper than %d", what, COPYUP_MAX_DEPTH);
    int lfd = dup(sfd);
    if (lfd < 0)
        die(1, "%s: tmpcopyup: dup", what);
    DIR *d = fdopendir(lfd);
    if (!d)
        die(1, "%s: tmpcopyup: list directory", what);
    struct dirent *e;
    while ((errno = 0, e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            die(1, "%s: tmpcopyup: stat %s", what, name);
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                die(1, "%s: tmpcopyup: open directory %s", what, name);
            if (mount_id(sub, what) != mnt) {
                /* A mount inside the covered tree: its content is not the image's; leave an empty directory
                 * as the mountpoint would look without it. */
                close(sub);
                if (mkdirat(dfd, name, 0700) < 0)
                    die(1, "%s: tmpcopyup: mkdir %s", what, name);
                own_and_mode(dfd, name, &st, what);
                continue;
            }
            if (mkdirat(dfd, name, 0700) < 0)
                die(1, "%s: tmpcopyup: mkdir %s", what, name);
            int dsub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (dsub < 0)
                die(1, "%s: tmpcopyup: open new directory %s", what, name);
            copy_dir(sub, dsub, mnt, depth + 1, what);
            close(sub);
            close(dsub);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlinkat(sfd, name, target, sizeof(target) - 1);
            if (n < 0)
                die(1, "%s: tmpcopyup: read symlink %s", what, name);
            target[n] = '\0';
            if (symlinkat(target, dfd, name) < 0)
                die(1, "%s: tmpcopyup: symlink %s", what, name);
        } else if (S_ISREG(st.st_mode)) {
            copy_file(sfd, dfd, name, &st, what);
        } else {
            /* device nodes, fifos, sockets: the node itself, never its content */
            if (mknodat(dfd, name, st.st_mode & S_IFMT, st.st_rdev) < 0)
                die(1, "%s: tmpcopyup: mknod %s", what, name);
        }
        own_and_mode(dfd, name, &st, what);
    }
    if (errno != 0)
        die(1, "%s: tmpcopyup: read directory", what);
    closedir(d);
}

void copy_up(int src_fd, int dst_fd, int keep_mode, const char *what)
{
    struct stat st;
    if (fstat(src_fd, &st) < 0 || !S_ISDIR(st.st_mode))
        die(0, "%s: tmpcopyup: the destination is not a directory", what);
    copy_dir(src_fd, dst_fd, mount_id(src_fd, what), 0, what);
    /* runc gives the tmpfs the covered directory's mode (not its owner) when it did not have to create it */
    if (keep_mode && fchmod(dst_fd, st.st_mode & 07777) < 0)
        die(1, "%s: tmpcopyup: chmod the new tmpfs", what);
}
