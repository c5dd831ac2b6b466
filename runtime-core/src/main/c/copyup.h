/* tmpcopyup: copy a directory tree the container image holds into the tmpfs mounted over it. */
#ifndef JRUNTIME_COPYUP_H
#define JRUNTIME_COPYUP_H

/*
 * Copies the content of the directory open at src_fd (the rootfs directory now covered by the tmpfs) into the
 * directory open at dst_fd (the root of the new tmpfs), keeping modes, owners, symlinks and special files.
 * Nothing is followed: every entry is reached with *at() calls and O_NOFOLLOW relative to its parent's fd, and
 * a directory on another mount is not entered. keep_mode: give dst_fd the mode of src_fd (runc does when the
 * destination existed before). what names the mount in error messages; errors are fatal.
 */
void copy_up(int src_fd, int dst_fd, int keep_mode, const char *what);

#endif
