/* Filesystem setup inside the container's mount namespace: everything from rootfs bind to pivot_root. */
#ifndef JRUNTIME_ROOTFS_H
#define JRUNTIME_ROOTFS_H

#include "plan.h"

/* Before the user namespace: clone (open_tree) the sources of mounts marked early or idmapped. */
void open_early_sources(const struct plan *pl);
/* Forks the privileged helper that idmaps those clones once the user namespace exists (-1: none needed). */
int start_idmap_helper(const struct plan *pl);
void finish_idmap_helper(int pipe_fd);
/* Binds the terminal (an open fd) onto /dev/console, resolved without symlinks inside the new root. */
/* The container's /dev/null opened read-write, only if it is the null device reached without a symlink; else -1. */
void prepare_rootfs(const struct plan *pl, const char *rootfs);
void do_mounts(const struct plan *pl, const char *rootfs);
/* Without a mount namespace: an O_PATH fd of the host's /proc taken before the chroot (-1 otherwise). */
extern int chroot_procfd;
/* exec into a container without a mount namespace: the same chroot as its init. */
void enter_exec_root(const struct plan *pl);
void pivot_into(const struct plan *pl, const char *rootfs);
void finish_rootfs(const struct plan *pl);
/* Opens path (absolute, container view) under rootfd without ever leaving it; creates it when mk is 'd' or 'f'. */
void prepare_restore_mountpoints(const struct plan *pl, const char *rootfs);
int open_in_root(int rootfd, const char *path, char mk, const char *what);

#endif
