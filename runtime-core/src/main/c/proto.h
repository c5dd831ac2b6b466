/*
 * Wire protocol between jruntime (Java) and jruntime-init, over one AF_UNIX SOCK_SEQPACKET socket.
 * Every packet is a 4-byte little-endian tag followed by a payload. Plan records carry NUL-separated
 * text fields (numbers in decimal) so the C side only splits strings; SECCOMP_PROG is raw BPF.
 * The tag values are mirrored in io.jruntime.core.init.InitProtocol; change both together.
 */
#ifndef JRUNTIME_PROTO_H
#define JRUNTIME_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum plan_tag {
    P_MODE = 1,             /* "create" | "exec" */
    P_UNSHARE = 2,          /* CLONE_NEW* flags created by stage0 (never CLONE_NEWCGROUP) */
    P_JOIN_NS = 3,          /* type, path: setns in the order given (user first) */
    P_UNSHARE_CGROUP = 4,   /* init unshares the cgroup namespace once Java placed it in its cgroups */
    P_TIMENS_OFFSETS = 5,   /* text written to /proc/self/timens_offsets before the fork */
    P_ROOTFS = 6,           /* host path of the rootfs */
    P_ROOT_PROPAGATION = 7, /* mount flags applied to / before anything else */
    P_MOUNT = 8,            /* src, dst, fstype, flags, propagation, data, kind(b=bind,o=other), mk(d|f) */
    P_DEVICE = 9,           /* path, type(c|b|p|u), major, minor, mode, uid, gid, bind(0|1) */
    P_SYMLINK = 10,         /* target, linkpath (inside rootfs) */
    P_MASK = 11,            /* path, masked after pivot */
    P_READONLY = 12,        /* path, made read-only after pivot */
    P_PIVOT = 13,           /* "pivot" | "move" (--no-pivot) */
    P_ROOT_READONLY = 14,
    P_HOSTNAME = 15,
    P_DOMAINNAME = 16,
    P_SYSCTL = 17,          /* key (dotted), value */
    P_CWD = 18,
    P_USER = 19,            /* uid, gid, umask (-1 = leave) */
    P_GROUPS = 20,          /* gids... */
    P_RLIMIT = 21,          /* resource number, soft, hard */
    P_OOM_SCORE_ADJ = 22,
    P_PERSONALITY = 23,
    P_CAPS = 24,            /* bounding, effective, inheritable, permitted, ambient: 64-bit masks in decimal */
    P_NO_NEW_PRIVS = 25,
    P_SECCOMP_FLAGS = 26,   /* seccomp(2) filter flags */
    P_SECCOMP_PROG = 27,    /* raw struct sock_filter array */
    P_ARGS = 28,
    P_ENV = 29,
    P_TERMINAL = 30,        /* rows, cols (0 0 = leave) */
    P_EXEC_FIFO = 31,       /* host path of the exec fifo */
    P_HOOK_CREATE_CONTAINER = 32, /* timeout, path, nargs, args..., env... */
    P_HOOK_START_CONTAINER = 33,
    P_PRESERVE_FDS = 34,
    P_KEYRING = 35,         /* session keyring name to join */
    P_RUNTIME_HOOKS = 36,   /* Java has prestart/createRuntime hooks: stop before pivot and ask */
    P_CONSOLE_BIND = 37,    /* bind the terminal slave to /dev/console */
    P_SETGROUPS_ALLOWED = 38,
    P_LOOPBACK_UP = 39,     /* bring up "lo" in the new network namespace (runc does) */
    P_DEVNULL_FDS = 40,     /* stdio fds that are the host's /dev/null: swapped for the container's own */
    /* Mount work (60..69 kept for it). P_MOUNT's optional fields after mk: attr_set, attr_clr (mount_setattr
     * bits applied with AT_RECURSIVE), early(1 = open_tree the source before the user namespace), idmap(i|r),
     * copyup(1 = tmpcopyup: copy the covered directory's content into the new tmpfs). */
    P_NOPIVOT_HIDE = 60,    /* path: a host proc/sysfs mount to detach before the --no-pivot chroot */
    P_REMOUNT = 61,         /* path, mount_setattr bits set after the pivot (read-only /dev) */
    P_LOG_FD = 62,          /* fd number of the debug log channel (only with --debug); see log_open in plan.c */
    P_END = 99,

    /* helper -> Java */
    M_USERNS_READY = 100,   /* pid: Java writes the id maps of that pid, then sends A_ACK */
    M_CHILD_PID = 101,      /* host pid of the container init (or exec'd process) */
    M_RUNTIME_HOOKS = 102,  /* mounts are done, run prestart/createRuntime hooks, answer A_HOOKS_DONE */
    M_CONSOLE = 103,        /* carries the pty master with SCM_RIGHTS */
    M_READY = 104,          /* everything but the final exec is done */
    M_ERROR = 105,          /* text of what failed */
    M_SECCOMP_NOTIFY = 106, /* carries the seccomp notify fd with SCM_RIGHTS; Java answers A_ACK */

    /* Java -> helper */
    A_ACK = 200,
    A_GO = 201,             /* payload: the container state JSON (stdin of in-container hooks) */
    A_HOOKS_DONE = 202,
    A_COMMIT = 203,         /* after READY: state is saved, go on (EOF instead means jruntime aborted: exit) */
};

#define MAX_PACKET (256 * 1024)

struct packet {
    uint32_t tag;
    size_t len;
    char *data;     /* NUL-terminated copy of the payload (len bytes + 1) */
};

/* Reads one packet; returns 0 on EOF (or a reset: the peer is gone), -1 on error, 1 on success. received_fd gets
 * an SCM_RIGHTS fd or -1. */
int recv_packet(int sock, struct packet *p, int *received_fd);
int send_packet(int sock, uint32_t tag, const void *data, size_t len, int fd_to_pass);
int send_text(int sock, uint32_t tag, const char *text);
/* Splits a payload into NUL-separated fields; returns count, fills at most max pointers. */
int split_fields(const struct packet *p, char **fields, int max);

#endif
