/*
 * Mount work of the init helper. Destinations are always resolved with openat2(RESOLVE_IN_ROOT) against
 * an fd of the rootfs, so a symlink inside the container (even one planted by an earlier mount) can never
 * point a mount outside the rootfs; the mount then targets /proc/self/fd/N of that resolved fd.
 */
#include "rootfs.h"
#include "copyup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int openat2_how(int dirfd, const char *path, int flags, unsigned long long resolve)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = resolve,
    };
    int fd;

    do {
        fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/* A path that has no symlink left in it: opened without following any (not even a last one turned up since). */
static int open_resolved(int rootfd, const char *resolved, int flags)
{
    return openat2_how(rootfd, *resolved ? resolved : "/", flags, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
}

/*
 * Walks path component by component under rootfd the way the kernel's RESOLVE_IN_ROOT would (".." stops at
 * the root, an absolute symlink restarts at the root), but creates what is missing as it goes: directories
 * for inner components, and for the last one a directory (mk 'd') or an empty file (mk 'f'). This is what
 * makes a dangling symlink usable as a mount destination (/etc/resolv.conf -> ../run/x/stub.conf creates
 * /run/x/stub.conf inside the rootfs, as runc and crun do) without ever creating anything outside it.
 * Every step opens with RESOLVE_NO_SYMLINKS; the links are read and spliced in here, at most 40 of them.
 * Returns an O_PATH fd of the final object, or -1 with errno (ENOENT when mk is 0 and something is missing).
 */
int open_in_root(int rootfd, const char *path, char mk, const char *what)
{
    char rest[8192], cur[4096] = "";
    char *r = rest;
    int links = 0;

    if (strlen(path) >= 4096)
        die(0, "%s: path too long", what);
    snprintf(rest, sizeof(rest), "%s", path);
    for (;;) {
        while (*r == '/')
            r++;
        if (*r == '\0')
            break;
        char *end = strchrnul(r, '/');
        char comp[256];
        size_t clen = (size_t)(end - r);
        if (clen >= sizeof(comp))
            die(0, "%s: path component too long in %s", what, path);
        memcpy(comp, r, clen);
        comp[clen] = '\0';
        r = end;
        if (strcmp(comp, ".") == 0)
            continue;
        if (strcmp(comp, "..") == 0) {
            char *slash = strrchr(cur, '/');
            if (slash)
                *slash = '\0';
            continue;
        }
        const char *t = r;
        while (*t == '/')
            t++;
        int last = *t == '\0';
        char cand[4096 + 258];
        snprintf(cand, sizeof(cand), "%s/%s", cur, comp);
        if (strlen(cand) >= sizeof(cur))
            die(0, "%s: path too long", what);
        int fd = open_resolved(rootfd, cand, O_PATH | O_NOFOLLOW);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) < 0)
                die(1, "%s: stat %s", what, cand);
            if (S_ISLNK(st.st_mode)) {
                char target[4096];
                ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
                close(fd);
                if (n < 0)
                    die(1, "%s: read symlink %s", what, cand);
                target[n] = '\0';
                if (++links > 40) {
                    errno = ELOOP;
                    die(1, "%s: resolve %s in the rootfs", what, path);
                }
                char spliced[8192];
                if ((size_t)snprintf(spliced, sizeof(spliced), "%s/%s", target, r) >= sizeof(spliced))
                    die(0, "%s: path too long after following symlinks", what);
                snprintf(rest, sizeof(rest), "%s", spliced);
                r = rest;
                if (target[0] == '/')
                    cur[0] = '\0';
                continue;
            }
            close(fd);
            snprintf(cur, sizeof(cur), "%s", cand);
            continue;
        }
        if (errno != ENOENT)
            return -1;
        if (mk != 'd' && mk != 'f')
            return -1;
        int parent = open_resolved(rootfd, cur, O_PATH | O_DIRECTORY);
        if (parent < 0)
            die(1, "%s: resolve %s in the rootfs", what, *cur ? cur : "/");
        if (!last || mk == 'd') {
            if (mkdirat(parent, comp, 0755) < 0 && errno != EEXIST)
                die(1, "%s: mkdir %s", what, cand);
        } else {
            /* O_EXCL|O_NOFOLLOW: nothing that appeared meanwhile (a symlink) is followed to create a file.
             * Mode 0755 as runc's createIfNotExists: the mountpoint stays in the rootfs, where it can be seen. */
            int f = openat(parent, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0755);
            if (f < 0 && errno != EEXIST)
                die(1, "%s: create mountpoint %s", what, cand);
            if (f >= 0)
                close(f);
        }
        close(parent);
        snprintf(cur, sizeof(cur), "%s", cand);
    }
    return open_resolved(rootfd, cur, O_PATH);
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

/* Thin wrappers: glibc 2.36 declares these but a static build must not depend on that. */
static int sys_open_tree(int dfd, const char *path, unsigned int flags)
{
    return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from_fd, int to_fd)
{
    return (int)syscall(SYS_move_mount, from_fd, "", to_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int sys_mount_setattr(int fd, unsigned int flags, struct mount_attr *attr)
{
    return (int)syscall(SYS_mount_setattr, fd, "", flags | AT_EMPTY_PATH, attr, sizeof(*attr));
}

/*
 * Mounts whose source was opened (open_tree clone) before the user namespace existed, indexed by the plan
 * record: bind sources only real root can reach (a 0700 parent), and the idmapped ones. -1 elsewhere.
 */
static int early_fd[MAX_RECORDS];
static int early_opened;

static int early_field(char **f, int n, int idx, char want)
{
    return n > idx && f[idx][0] == want;
}

void open_early_sources(const struct plan *pl)
{
    char *f[16];
    int any_idmap = 0;

    for (int i = 0; i < MAX_RECORDS; i++)
        early_fd[i] = -1;
    early_opened = 1;
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        if (p->tag != P_MOUNT)
            continue;
        int n = split_fields(p, f, 16);
        int idmap = n > 11 && (f[11][0] == 'i' || f[11][0] == 'r');
        if (!early_field(f, n, 10, '1') && !idmap)
            continue;
        unsigned long flags = strtoul(f[3], NULL, 10);
        unsigned int otf = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((flags & MS_REC) ? AT_RECURSIVE : 0);
        early_fd[i] = sys_open_tree(AT_FDCWD, f[0], otf);
        if (early_fd[i] < 0)
            die(1, "mount %s on %s: open the source before entering the user namespace", f[0], f[1]);
        any_idmap |= idmap;
    }
    (void)any_idmap;
}

/*
 * Idmapped mounts need CAP_SYS_ADMIN over the source filesystem (the host's user namespace) and the
 * container's user namespace as the mapping, which exists only after unshare: a child forked before the
 * unshare keeps the host's privileges, waits until the maps are written, then idmaps the detached clones.
 * Returns the pipe to signal that child, or -1 when no mount is idmapped.
 */
static pid_t idmap_child = -1;

int start_idmap_helper(const struct plan *pl)
{
    char *f[16];
    int need = 0, fds[2];

    for (int i = 0; i < pl->count && !need; i++) {
        const struct packet *p = &pl->rec[i];
        if (p->tag == P_MOUNT) {
            int n = split_fields(p, f, 16);
            need = n > 11 && (f[11][0] == 'i' || f[11][0] == 'r');
        }
    }
    if (!need)
        return -1;
    if (pipe2(fds, O_CLOEXEC) < 0)
        die(1, "pipe for the idmap helper");
    pid_t parent = getpid();
    idmap_child = fork();
    if (idmap_child < 0)
        die(1, "fork the idmap helper");
    if (idmap_child == 0) {
        char c, ns[64];
        close(fds[1]);
        if (read(fds[0], &c, 1) != 1)
            _exit(0); /* the launch failed before the user namespace was ready */
        snprintf(ns, sizeof(ns), "/proc/%d/ns/user", (int)parent);
        int uns = open(ns, O_RDONLY | O_CLOEXEC);
        if (uns < 0)
            die(1, "idmap: open the container's user namespace");
        for (int i = 0; i < pl->count; i++) {
            const struct packet *p = &pl->rec[i];
            if (p->tag != P_MOUNT || early_fd[i] < 0)
                continue;
            int n = split_fields(p, f, 16);
            if (!(n > 11 && (f[11][0] == 'i' || f[11][0] == 'r')))
                continue;
            struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (unsigned long long)uns };
            if (sys_mount_setattr(early_fd[i], f[11][0] == 'r' ? AT_RECURSIVE : 0, &attr) < 0)
                die(1, "mount %s on %s: idmap the mount (%s)", f[0], f[1], f[11][0] == 'r' ? "ridmap" : "idmap");
        }
        _exit(0);
    }
    close(fds[0]);
    return fds[1];
}

void finish_idmap_helper(int pipe_fd)
{
    int status;

    if (pipe_fd < 0)
        return;
    if (write(pipe_fd, "g", 1) != 1)
        die(1, "signal the idmap helper");
    close(pipe_fd);
    if (waitpid(idmap_child, &status, 0) < 0)
        die(1, "wait for the idmap helper");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die(0, "idmapped mounts could not be prepared (the helper reported the reason above)");
}

static int chroot_only(const struct plan *pl)
{
    const struct packet *pv = plan_find(pl, P_PIVOT);
    return pv && strcmp(pv->data, "chroot") == 0;
}

void prepare_rootfs(const struct plan *pl, const char *rootfs)
{
    unsigned long prop = (unsigned long)plan_number(pl, P_ROOT_PROPAGATION, MS_SLAVE | MS_REC);

    if (chroot_only(pl))
        return; /* no mount namespace of our own: the host's mount table is not touched */

    /* An unbindable / cannot be bound onto itself: set it up slave, apply unbindable after the pivot. */
    if (mount(NULL, "/", NULL, (prop & MS_UNBINDABLE) ? MS_SLAVE | MS_REC : prop, NULL) < 0)
        die(1, "set propagation of / (rootfsPropagation)");
    if (prop & MS_SHARED) {
        /*
         * As runc: the mount holding the rootfs must not be shared, or the bind below propagates to the host
         * and pivot_root refuses (a shared parent of the new root). Making a path that is not a mountpoint
         * private fails with EINVAL, so the first directory upwards where it works is the parent mount.
         */
        char parent[4096];
        snprintf(parent, sizeof(parent), "%s", rootfs);
        for (;;) {
            if (mount(NULL, parent, NULL, MS_PRIVATE, NULL) == 0)
                break;
            if (errno != EINVAL)
                die(1, "make the mount holding the rootfs (%s) private", parent);
            char *slash = strrchr(parent, '/');
            if (!slash)
                die(0, "no mount holds the rootfs %s", rootfs);
            if (slash == parent)
                slash[1] = '\0';
            else
                *slash = '\0';
            if (strcmp(parent, "/") == 0 && mount(NULL, "/", NULL, MS_PRIVATE, NULL) == 0)
                break;
        }
    }
    hlog("propagation of / set to 0x%lx", prop);
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die(1, "bind mount rootfs %s onto itself", rootfs);
    hlog("rootfs %s bound onto itself", rootfs);
    /* pivot_root refuses a shared new root; the bind must be private even when / is shared. */
    if (mount(NULL, rootfs, NULL, MS_PRIVATE, NULL) < 0)
        die(1, "make rootfs %s private", rootfs);
}

/* The recursive attributes (rro, rnosuid, ... from the plan) on the whole tree now mounted at fd. */
static void set_recursive_attrs(int fd, char **f, int n, const char *what)
{
    if (n < 10)
        return;
    struct mount_attr attr = {
        .attr_set = strtoull(f[8], NULL, 10),
        .attr_clr = strtoull(f[9], NULL, 10),
    };
    if (!attr.attr_set && !attr.attr_clr)
        return;
    if (sys_mount_setattr(fd, AT_RECURSIVE, &attr) < 0)
        die(1, "%s: set recursive mount attributes (rro, rnosuid, ...)", what);
}

static void mount_one(int rootfd, char **f, int n, int early)
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
    int copyup = n > 12 && f[12][0] == '1' && !bind && early < 0;
    int existed = 0; /* runc gives a copied-up tmpfs the mode of a destination that was there already */
    if (copyup) {
        int probe = open_in_root(rootfd, dst, 0, what);
        existed = probe >= 0;
        if (probe >= 0)
            close(probe);
    }
    int fd = open_in_root(rootfd, dst, mk, what);
    if (fd < 0)
        die(1, "%s: resolve destination in rootfs", what);
    fdpath(target, sizeof(target), fd);
    /* tmpcopyup (a tmpfs only; Java refuses it elsewhere): hold the directory the tmpfs is about to cover, to
     * copy its content from once the tmpfs is on top. */
    int covered = -1;
    if (copyup) {
        covered = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (covered < 0)
            die(1, "%s: tmpcopyup: open the destination directory", what);
    }
    if (early >= 0) {
        if (sys_move_mount(early, fd) < 0)
            die(1, "%s: attach the source opened before entering the user namespace", what);
    } else if (bind) {
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
    if (covered >= 0) {
        /* Before the read-only and other attributes below, which would forbid writing the copies. */
        int top = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (top < 0)
            die(1, "%s: tmpcopyup: open the new tmpfs", what);
        copy_up(covered, top, existed, what);
        close(top);
        close(covered);
    }
    unsigned long extra = flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
    if (bind && extra && bind_remount(target, extra) < 0)
        die(1, "%s: remount with options", what);
    set_recursive_attrs(fd, f, n, what);
    if (prop && mount(NULL, target, NULL, prop, NULL) < 0)
        die(1, "%s: set propagation", what);
    close(fd);
    hlog("%s (type %s, flags 0x%lx, propagation 0x%lx, data \"%s\"%s)", what, bind ? "bind" : type, flags, prop,
         data, early >= 0 ? ", source opened before the user namespace" : "");
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
    int mounts = 0, devices = 0, links = 0;
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        int n;
        switch (p->tag) {
        case P_MOUNT:
            n = split_fields(p, f, 16);
            mount_one(rootfd, f, n, early_opened ? early_fd[i] : -1);
            mounts++;
            if (early_opened && early_fd[i] >= 0) {
                close(early_fd[i]);
                early_fd[i] = -1;
            }
            break;
        case P_DEVICE:
            n = split_fields(p, f, 16);
            make_device(rootfd, f, n);
            hlog("device %s (%s %s:%s) %s", f[0], f[1], f[2], f[3], f[7][0] == '1' ? "bound from the host" : "created");
            devices++;
            break;
        case P_SYMLINK:
            n = split_fields(p, f, 16);
            make_symlink(rootfd, f, n);
            links++;
            break;
        default:
            break;
        }
    }
    close(rootfd);
    hlog("mounts done: %d mount(s), %d device(s), %d symlink(s)", mounts, devices, links);
}

/*
 * --no-pivot leaves the host's tree in the mount namespace, merely outside the chroot. The kernel lets a
 * user namespace mount a new procfs or sysfs when a full one is already visible in its mount namespace
 * (mount_too_revealing), so a container could mount a bare /proc. As runc does, every full proc and sysfs
 * mount outside the rootfs (Java lists them from the host's mountinfo) is detached, or covered with an
 * empty tmpfs where it cannot be detached.
 */
static void hide_host_procfs(const struct plan *pl)
{
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        if (p->tag != P_NOPIVOT_HIDE)
            continue;
        /* Slave first, so the unmount never propagates back to the host. */
        if (mount(NULL, p->data, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
            if (errno == ENOENT || errno == EINVAL)
                continue; /* gone with a parent detached before, or not a mountpoint any more */
            die(1, "--no-pivot: make %s a slave before hiding it", p->data);
        }
        if (umount2(p->data, MNT_DETACH) == 0)
            continue;
        if (errno != EINVAL && errno != EPERM)
            die(1, "--no-pivot: detach the host's %s", p->data);
        if (mount("tmpfs", p->data, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0)
            die(1, "--no-pivot: cover the host's %s", p->data);
    }
}

int chroot_procfd = -1;

void pivot_into(const struct plan *pl, const char *rootfs)
{
    const struct packet *pv = plan_find(pl, P_PIVOT);

    if (chdir(rootfs) < 0)
        die(1, "chdir to rootfs %s", rootfs);
    if (chroot_only(pl)) {
        /* No mount namespace: the rootfs usually has no proc mount of its own (the config may not mount one), and
         * the exec fifo is reopened through procfs. The host's /proc is the container's mount table anyway. */
        chroot_procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (chroot(".") < 0)
            die(1, "chroot into rootfs %s (no mount namespace)", rootfs);
    } else if (pv && strcmp(pv->data, "move") == 0) {
        hide_host_procfs(pl);
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
    hlog("entered the rootfs %s (%s)", rootfs, chroot_only(pl) ? "chroot, no mount namespace"
         : pv && strcmp(pv->data, "move") == 0 ? "move and chroot, --no-pivot" : "pivot_root");
}

void enter_exec_root(const struct plan *pl)
{
    const struct packet *rootfs = plan_find(pl, P_ROOTFS);
    if (!rootfs || !chroot_only(pl))
        return;
    if (chroot(rootfs->data) < 0 || chdir("/") < 0)
        die(1, "chroot into the container's rootfs %s (it has no mount namespace)", rootfs->data);
}

/*
 * After the pivot everything under / belongs to the image, so paths are resolved with RESOLVE_IN_ROOT and
 * no symlink at all (an image's /dev/null -> /proc/sys/kernel/core_pattern must not turn masking into a bind
 * of a host sysctl: CVE-2025-31133), and mounts go from fd to fd with open_tree/move_mount, never through
 * a path the kernel would resolve again (nor /proc/self/fd, which is the image's own until procfs is mounted).
 */
static int open_container_path(int rootfd, const char *path, const char *what)
{
    int fd = open_resolved(rootfd, path, O_PATH | O_NOFOLLOW);
    if (fd < 0 && errno == ELOOP)
        die(1, "%s: %s goes through a symlink, which is not followed here", what, path);
    return fd;
}

static void bind_fd(int src, int dst, unsigned int tree_flags, const char *what)
{
    int tree = sys_open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | tree_flags);
    if (tree < 0)
        die(1, "%s: clone the source mount", what);
    if (sys_move_mount(tree, dst) < 0)
        die(1, "%s: attach", what);
    close(tree);
}

static void tmpfs_fd(int dst, unsigned int attrs, const char *what)
{
    int fsfd = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    if (fsfd < 0)
        die(1, "%s: fsopen tmpfs", what);
    /* Source "tmpfs" and a read-only superblock: the same mountinfo line as runc's mount("tmpfs", ..., MS_RDONLY). */
    if (syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
        ((attrs & MOUNT_ATTR_RDONLY) && syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0))
        die(1, "%s: configure tmpfs", what);
    if (syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        die(1, "%s: create tmpfs", what);
    int mfd = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, attrs);
    if (mfd < 0)
        die(1, "%s: fsmount tmpfs", what);
    if (sys_move_mount(mfd, dst) < 0)
        die(1, "%s: attach", what);
    close(mfd);
    close(fsfd);
}

/* The container's /dev/null, checked to be the null device: the only thing masked files are covered with. */
static int open_devnull(int rootfd)
{
    struct stat st;
    int fd = open_container_path(rootfd, "/dev/null", "maskedPaths");
    if (fd < 0)
        die(1, "maskedPaths: open the container's /dev/null to mask files with");
    if (fstat(fd, &st) < 0)
        die(1, "maskedPaths: stat /dev/null");
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
        die(0, "maskedPaths: the container's /dev/null is not the null device (char 1:3); refusing to mask with it");
    return fd;
}



/*
 * Remounts Java planned for after the pivot (a read-only /dev, once its nodes exist: runc issue 3248). Done
 * before the masked paths, as runc's finalizeRootfs is: a file masked with the container's /dev/null is then a
 * bind of a read-only mount and read-only itself, as under runc.
 */
static void planned_remounts(const struct plan *pl)
{
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        die(1, "open / of the container");
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        char *f[2], what[4200];
        if (p->tag != P_REMOUNT || split_fields(p, f, 2) < 2)
            continue;
        snprintf(what, sizeof(what), "remount %s", f[0]);
        int fd = open_container_path(rootfd, f[0], what);
        if (fd < 0)
            die(1, "%s", what);
        /* mount_setattr changes only the attributes named, so flags the kernel locked stay as they are. */
        struct mount_attr attr = { .attr_set = strtoull(f[1], NULL, 10) };
        if (sys_mount_setattr(fd, 0, &attr) < 0)
            die(1, "%s", what);
        close(fd);
    }
    close(rootfd);
}

void finish_rootfs(const struct plan *pl)
{
    planned_remounts(pl);
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
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    int devnull = -1;
    if (rootfd < 0)
        die(1, "open / of the container");
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        struct stat st;
        char what[4200];
        if (p->tag != P_MASK && p->tag != P_READONLY)
            continue;
        snprintf(what, sizeof(what), "%s %s", p->tag == P_MASK ? "maskedPaths:" : "readonlyPaths:", p->data);
        int fd = open_container_path(rootfd, p->data, what);
        if (fd < 0) {
            if (errno == ENOENT)
                continue;
            die(1, "%s", what);
        }
        if (fstat(fd, &st) < 0)
            die(1, "%s: stat", what);
        if (p->tag == P_MASK) {
            if (S_ISDIR(st.st_mode)) {
                tmpfs_fd(fd, MOUNT_ATTR_RDONLY, what);
            } else {
                if (devnull < 0)
                    devnull = open_devnull(rootfd);
                bind_fd(devnull, fd, 0, what);
            }
        } else {
            bind_fd(fd, fd, AT_RECURSIVE, what);
            close(fd);
            /* The path now crosses into the new bind: make all of it read-only, submounts included. */
            fd = open_container_path(rootfd, p->data, what);
            if (fd < 0)
                die(1, "%s: reopen", what);
            struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
            if (sys_mount_setattr(fd, AT_RECURSIVE, &attr) < 0)
                die(1, "%s: make read-only", what);
        }
        close(fd);
    }
    if (devnull >= 0)
        close(devnull);
    close(rootfd);
    if (plan_find(pl, P_ROOT_READONLY) && bind_remount("/", MS_RDONLY) < 0)
        die(1, "remount / read-only (root.readonly)");
    /*
     * shared/slave/private act, as in runc, on the host's tree the bind mounts are made from (prepare_rootfs).
     * unbindable cannot (the rootfs could not be bound onto itself, where runc fails): it is given to the
     * container's own root instead, last, once no bind from it is needed any more.
     */
    unsigned long prop = (unsigned long)plan_number(pl, P_ROOT_PROPAGATION, 0);
    if ((prop & MS_UNBINDABLE) && mount(NULL, "/", NULL, prop, NULL) < 0)
        die(1, "make the container's / unbindable (rootfsPropagation)");
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
