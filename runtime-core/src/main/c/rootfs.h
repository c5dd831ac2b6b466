/* Filesystem setup inside the container's mount namespace: everything from rootfs bind to pivot_root. */
#ifndef JRUNTIME_ROOTFS_H
#define JRUNTIME_ROOTFS_H

#include "plan.h"

void prepare_rootfs(const struct plan *pl, const char *rootfs);
void do_mounts(const struct plan *pl, const char *rootfs);
void pivot_into(const struct plan *pl, const char *rootfs);
void finish_rootfs(const struct plan *pl);
/* Opens path (absolute, container view) under rootfd without ever leaving it; creates it when mk is 'd' or 'f'. */
void prepare_restore_mountpoints(const struct plan *pl, const char *rootfs);
int open_in_root(int rootfd, const char *path, char mk, const char *what);

#endif
