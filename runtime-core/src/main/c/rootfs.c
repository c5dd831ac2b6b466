/*
 * Mount work of the init helper. Destinations are always resolved with openat2(RESOLVE_IN_ROOT) against
 * an fd of the rootfs, so a symlink inside the container (even one planted by an earlier mount) can never
 * point a mount outside the rootfs; the mount then targets /proc/self/fd/N of that resolved fd.
 */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int openat2_in_root(int rootfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    int fd;

    do {
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/* mkdir -p of path's components under rootfd, each step resolved in root. */
static void mkdirs_in_root(int rootfd, const char *path, const char *what)
{
    char buf[4096];
    size_t len = strlen(path);

    if (len >= sizeof(buf))
        die(0, "%s: path too long", what);
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (buf[1] != '\0') {
                int fd = openat2_in_root(rootfd, buf, O_PATH);
                if (fd < 0) {
                    if (errno != ENOENT)
                        die(1, "%s: resolve %s", what, buf);
                    char *slash = strrchr(buf, '/');
                    *slash = '\0';
                    int parent = slash == buf ? dup(rootfd) : openat2_in_root(rootfd, buf, O_PATH | O_DIRECTORY);
                    *slash = '/';
                    if (parent < 0)
                        die(1, "%s: resolve parent of %s", what, buf);
                    if (mkdirat(parent, slash + 1, 0755) < 0 && errno != EEXIST)
                        die(1, "%s: mkdir %s", what, buf);
                    close(parent);
                } else {
                    close(fd);
                }
            }
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
}

int open_in_root(int rootfd, const char *path, char mk, const char *what)
{
    int fd = openat2_in_root(rootfd, path, O_PATH);

    if (fd >= 0 || errno != ENOENT || (mk != 'd' && mk != 'f'))
        return fd;
    if (mk == 'd') {
        mkdirs_in_root(rootfd, path, what);
    } else {
        char parent[4096];
        snprintf(parent, sizeof(parent), "%s", path);
        char *slash = strrchr(parent, '/');
        if (!slash)
            die(0, "%s: %s is not an absolute path", what, path);
        *slash = '\0';
        int dirfd;
        if (parent[0] == '\0') {
            dirfd = dup(rootfd);
        } else {
            mkdirs_in_root(rootfd, parent, what);
            dirfd = openat2_in_root(rootfd, parent, O_DIRECTORY | O_RDONLY);
        }
        if (dirfd < 0)
            die(1, "%s: resolve %s", what, parent);
        /* O_NOFOLLOW: a dangling symlink as last component must not make us create a file elsewhere. */
        int f = openat(dirfd, slash + 1, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0 && errno != EEXIST && errno != EISDIR)
            die(1, "%s: create mountpoint %s", what, path);
        if (f >= 0)
            close(f);
        close(dirfd);
    }
    return openat2_in_root(rootfd, path, O_PATH);
}

static void fdpath(char *buf, size_t n, int fd)
{
    snprintf(buf, n, "/proc/self/fd/%d", fd);
}

/* Flags the kernel locks on a mount (in a user namespace) and that a bind remount must repeat. */
static unsigned long locked_flags(const char *path)
{
    struct statvfs sv;
    unsigned long f = 0;

    if (statvfs(path, &sv) < 0)
        return 0;
    if (sv.f_flag & ST_NOSUID)
        f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV)
        f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC)
        f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME)
        f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME)
        f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME)
        f |= MS_RELATIME;
    return f;
}

static int bind_remount(const char *path, unsigned long flags)
{
    int rc = mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags, NULL);
    if (rc < 0 && errno == EPERM)
        rc = mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags | locked_flags(path), NULL);
    return rc;
}

void prepare_rootfs(const struct plan *pl, const char *rootfs)
{
    unsigned long prop = (unsigned long)plan_number(pl, P_ROOT_PROPAGATION, MS_SLAVE | MS_REC);

    if (mount(NULL, "/", NULL, prop, NULL) < 0)
        die(1, "set propagation of / (rootfsPropagation)");
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die(1, "bind mount rootfs %s onto itself", rootfs);
    /* pivot_root refuses a shared new root; the bind must be private even when / is shared. */
    if (mount(NULL, rootfs, NULL, MS_PRIVATE, NULL) < 0)
        die(1, "make rootfs %s private", rootfs);
}

static void mount_one(int rootfd, char **f, int n)
{
    char what[4200], target[64];
    if (n < 8)
        die(0, "malformed mount record");
    const char *src = f[0], *dst = f[1], *type = f[2];
    unsigned long flags = strtoul(f[3], NULL, 10);
    unsigned long prop = strtoul(f[4], NULL, 10);
    const char *data = f[5];
    int bind = f[6][0] == 'b';
    char mk = f[7][0];

    snprintf(what, sizeof(what), "mount %s on %s", *src ? src : type, dst);
    int fd = open_in_root(rootfd, dst, mk, what);
    if (fd < 0)
        die(1, "%s: resolve destination in rootfs", what);
    fdpath(target, sizeof(target), fd);
    if (bind) {
        if (mount(src, target, NULL, MS_BIND | (flags & MS_REC), NULL) < 0)
            die(1, "%s", what);
    } else {
        if (mount(*src ? src : type, target, type, flags, *data ? data : NULL) < 0)
            die(1, "%s (type %s, options \"%s\")", what, type, data);
    }
    close(fd);
    /* Re-resolve: the path now crosses into the new mount, whose flags we change next. */
    fd = open_in_root(rootfd, dst, 0, what);
    if (fd < 0)
        die(1, "%s: reopen after mounting", what);
    fdpath(target, sizeof(target), fd);
    unsigned long extra = flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
    if (bind && extra && bind_remount(target, extra) < 0)
        die(1, "%s: remount with options", what);
    if (prop && mount(NULL, target, NULL, prop, NULL) < 0)
        die(1, "%s: set propagation", what);
    close(fd);
}

static void make_device(int rootfd, char **f, int n)
{
    char what[4200], target[64];
    if (n < 8)
        die(0, "malformed device record");
    const char *path = f[0];
    char type = f[1][0];
    unsigned maj = (unsigned)strtoul(f[2], NULL, 10), min = (unsigned)strtoul(f[3], NULL, 10);
    mode_t mode = (mode_t)strtoul(f[4], NULL, 10);
    uid_t uid = (uid_t)strtoul(f[5], NULL, 10);
    gid_t gid = (gid_t)strtoul(f[6], NULL, 10);
    int bind = f[7][0] == '1';

    snprintf(what, sizeof(what), "device %s", path);
    if (bind) {
        /* No mknod in a user namespace: bind the host node onto an empty file. */
        int fd = open_in_root(rootfd, path, 'f', what);
        if (fd < 0)
            die(1, "%s: create", what);
        fdpath(target, sizeof(target), fd);
        if (mount(path, target, NULL, MS_BIND, NULL) < 0)
            die(1, "%s: bind from host", what);
        close(fd);
        return;
    }
    char parent[4096];
    snprintf(parent, sizeof(parent), "%s", path);
    char *slash = strrchr(parent, '/');
    *slash = '\0';
    int dirfd = open_in_root(rootfd, *parent ? parent : "/", 'd', what);
    if (dirfd < 0)
        die(1, "%s: resolve parent", what);
    /* O_PATH fds cannot be used with mknodat; reopen the directory for real. */
    char dpath[64];
    fdpath(dpath, sizeof(dpath), dirfd);
    int dfd = open(dpath, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    close(dirfd);
    if (dfd < 0)
        die(1, "%s: open parent", what);
    mode_t ftype = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
    unlinkat(dfd, slash + 1, 0);
    if (mknodat(dfd, slash + 1, ftype | (mode & 07777), makedev(maj, min)) < 0)
        die(1, "%s: mknod", what);
    if (fchmodat(dfd, slash + 1, mode & 07777, 0) < 0)
        die(1, "%s: chmod", what);
    if (fchownat(dfd, slash + 1, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        die(1, "%s: chown", what);
    close(dfd);
}

static void make_symlink(int rootfd, char **f, int n)
{
    char what[4200], dpath[64];
    if (n < 2)
        die(0, "malformed symlink record");
    snprintf(what, sizeof(what), "symlink %s -> %s", f[1], f[0]);
    char parent[4096];
    snprintf(parent, sizeof(parent), "%s", f[1]);
    char *slash = strrchr(parent, '/');
    *slash = '\0';
    int dirfd = open_in_root(rootfd, *parent ? parent : "/", 'd', what);
    if (dirfd < 0)
        die(1, "%s: resolve parent", what);
    fdpath(dpath, sizeof(dpath), dirfd);
    int dfd = open(dpath, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    close(dirfd);
    if (dfd < 0)
        die(1, "%s: open parent", what);
    if (symlinkat(f[0], dfd, slash + 1) < 0 && errno != EEXIST)
        die(1, "%s", what);
    close(dfd);
}

void do_mounts(const struct plan *pl, const char *rootfs)
{
    char *f[16];
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (rootfd < 0)
        die(1, "open rootfs %s", rootfs);
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        int n;
        switch (p->tag) {
        case P_MOUNT:
            n = split_fields(p, f, 16);
            mount_one(rootfd, f, n);
            break;
        case P_DEVICE:
            n = split_fields(p, f, 16);
            make_device(rootfd, f, n);
            break;
        case P_SYMLINK:
            n = split_fields(p, f, 16);
            make_symlink(rootfd, f, n);
            break;
        default:
            break;
        }
    }
    close(rootfd);
}

void pivot_into(const struct plan *pl, const char *rootfs)
{
    const struct packet *pv = plan_find(pl, P_PIVOT);

    if (chdir(rootfs) < 0)
        die(1, "chdir to rootfs %s", rootfs);
    if (pv && strcmp(pv->data, "move") == 0) {
        if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
            die(1, "move rootfs to / (--no-pivot)");
        if (chroot(".") < 0)
            die(1, "chroot into rootfs");
    } else {
        int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (oldroot < 0)
            die(1, "open old root");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            die(1, "pivot_root into %s", rootfs);
        /* The old root is now stacked under the new one; detach it without letting the unmount propagate. */
        if (fchdir(oldroot) < 0)
            die(1, "fchdir to old root");
        if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
            die(1, "make old root a slave");
        if (umount2(".", MNT_DETACH) < 0)
            die(1, "detach old root");
        close(oldroot);
    }
    if (chdir("/") < 0)
        die(1, "chdir /");
}

void finish_rootfs(const struct plan *pl)
{
    /* Sysctls first, as runc does: /proc/sys is one of the read-only paths. */
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        if (p->tag == P_SYSCTL) {
            char *f[2], path[4200];
            if (split_fields(p, f, 2) < 2)
                die(0, "malformed sysctl record");
            snprintf(path, sizeof(path), "/proc/sys/%s", f[0]);
            for (char *c = path + 10; *c; c++)
                if (*c == '.')
                    *c = '/';
            int fd = open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0 || write(fd, f[1], strlen(f[1])) < 0)
                die(1, "linux.sysctl: %s=%s (write %s)", f[0], f[1], path);
            close(fd);
        }
    }
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        struct stat st;
        if (p->tag == P_MASK) {
            if (stat(p->data, &st) < 0) {
                if (errno == ENOENT)
                    continue;
                die(1, "mask %s", p->data);
            }
            if (S_ISDIR(st.st_mode)) {
                if (mount("tmpfs", p->data, "tmpfs", MS_RDONLY, NULL) < 0)
                    die(1, "mask directory %s with a read-only tmpfs", p->data);
            } else if (mount("/dev/null", p->data, NULL, MS_BIND, NULL) < 0) {
                die(1, "mask %s with /dev/null", p->data);
            }
        } else if (p->tag == P_READONLY) {
            if (stat(p->data, &st) < 0) {
                if (errno == ENOENT)
                    continue;
                die(1, "readonly path %s", p->data);
            }
            if (mount(p->data, p->data, NULL, MS_BIND | MS_REC, NULL) < 0)
                die(1, "bind readonly path %s", p->data);
            if (bind_remount(p->data, MS_RDONLY | MS_REC) < 0)
                die(1, "remount %s read-only", p->data);
        }
    }
    if (plan_find(pl, P_ROOT_READONLY) && bind_remount("/", MS_RDONLY) < 0)
        die(1, "remount / read-only (root.readonly)");
}

/*
 * Restore preparation (runs in a private mount namespace, so nothing here is visible to the host and all of
 * it vanishes with the process): re-create every mountpoint the container's mounts need, in config order,
 * with bind sources temporarily mounted so that mountpoints nested inside a bind mount are made inside its
 * source, as create did. The temporary binds are detached again before CRIU runs.
 */
void prepare_restore_mountpoints(const struct plan *pl, const char *rootfs)
{
    char *f[16], target[64], what[4200];
    char *binds[MAX_RECORDS];
    int nbinds = 0;
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

    if (rootfd < 0)
        die(1, "open rootfs %s", rootfs);
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        if (p->tag != P_MOUNT)
            continue;
        int n = split_fields(p, f, 16);
        if (n < 8)
            die(0, "malformed mount record");
        snprintf(what, sizeof(what), "restore: mountpoint for %s", f[1]);
        int fd = open_in_root(rootfd, f[1], f[7][0], what);
        if (fd < 0)
            die(1, "%s: cannot create %s inside the rootfs", what, f[1]);
        if (f[6][0] == 'b') {
            fdpath(target, sizeof(target), fd);
            /* Where the mountpoint really is (symlinks in the rootfs resolved by open_in_root), to detach it there. */
            char full[4200];
            ssize_t len = readlink(target, full, sizeof(full) - 1);
            if (len < 0)
                die(1, "%s: readlink %s", what, target);
            full[len] = '\0';
            if (mount(f[0], target, NULL, MS_BIND | MS_REC, NULL) < 0)
                die(1, "%s: bind %s to create the mountpoints inside it", what, f[0]);
            binds[nbinds++] = strdup(full);
        }
        close(fd);
    }
    for (int i = nbinds - 1; i >= 0; i--) {
        if (umount2(binds[i], MNT_DETACH) < 0)
            die(1, "restore: detach temporary bind at %s", binds[i]);
        free(binds[i]);
    }
    close(rootfd);
    /* CRIU wants the root of the restored tree to be a mount point. */
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die(1, "restore: bind mount rootfs %s onto itself", rootfs);
}
