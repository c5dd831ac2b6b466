/*
 * bin/jruntime: starts the jruntime JVM, or hands the command to a running `jruntime daemon`.
 *
 * Paths and JVM flags are baked in at build time (scripts/make-launcher.sh): engines call the runtime with
 * no PATH and no locale, so nothing is looked up. Without a daemon this only sets a UTF-8 locale and execs
 * java, as the shell launcher did. With one (root, $JRUNTIME_DAEMON != 0, something listening on
 * $JRUNTIME_DAEMON_SOCKET or /run/jruntime-daemon/daemon.sock) it sends the daemon its argv, environment,
 * working directory, umask and open fds, then does what the daemon asks: start a process as its own child
 * (the init helper, so the container lands in the engine's process tree), reap one, and finally exit with the
 * command's status. When the daemon declines (another command running, another jruntime build, a client in
 * other namespaces, a command it does not serve) the JVM is started as without a daemon. All policy is in
 * Java (io.jruntime.cli.daemon); this file only moves bytes and fds. Packet tags match DaemonProtocol.java.
 *
 * Before it sends anything (its environment, argv and fds are the caller's secrets) the launcher verifies the
 * daemon (connect_verified): the socket and every directory above it owned by root or us and not writable by
 * others, the listener's SO_PEERCRED uid our euid, and the listener in all our namespaces (read through its
 * pidfd). It waits at most ANSWER_TIMEOUT_MS for ACCEPT or DECLINE. Anything else: its own JVM, the reason
 * printed with --debug.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(JR_JAVA) || !defined(JR_LIBDIR) || !defined(JR_JVM_FLAGS)
#error "build with scripts/make-launcher.sh (JR_JAVA, JR_LIBDIR, JR_JVM_FLAGS)"
#endif

/* Packet tags and field positions: the same names and numbers as in DaemonProtocol.java
 * (DaemonProtocolConformanceTest reads both files and fails when they drift). */
enum {
    HELLO = 1, FD = 2, FDS_DONE = 3, SPAWNED = 4, WAITED = 5,
    DECLINE = 10, ACCEPT = 11, SPAWN_FD = 12, SPAWN = 13, WAIT = 14, EXIT = 15,
};
enum { HELLO_BUILD_ID = 0, HELLO_CWD = 1, HELLO_UMASK = 2, HELLO_ARGC = 3, HELLO_ARGV = 4 };
enum { FD_NUMBER = 0, SPAWN_FD_TARGET = 0, SPAWNED_RESULT = 0, WAITED_RESULT = 0, EXIT_CODE = 0 };
enum { SPAWN_PATH = 0, SPAWN_ARGC = 1, SPAWN_ARGV = 2, WAIT_PID = 0, WAIT_OPTIONS = 1 };
#define MAX_PACKET (192 * 1024)
/* How long the launcher waits for the daemon's ACCEPT or DECLINE (and to send to it before that); then it runs
 * the command in its own JVM: a stopped or wedged daemon costs a caller this much, never a hang. */
#define ANSWER_TIMEOUT_MS 1000
#define DEFAULT_SOCKET "/run/jruntime-daemon/daemon.sock"
#define MAX_SPAWN_FDS 256

extern char **environ;
static const char *const jvm_flags[] = {JR_JVM_FLAGS};

/* Runs the command in a JVM of its own. Never returns. */
static void run_jvm(int argc, char **argv) {
    const char *args[argc + 32];
    int n = 0;
    static char aot[4200];
    args[n++] = JR_JAVA;
    if (access(JR_LIBDIR "/jruntime.aot", R_OK) == 0) {
        snprintf(aot, sizeof aot, "-XX:AOTCache=%s", JR_LIBDIR "/jruntime.aot");
        args[n++] = aot;
    }
    for (size_t i = 0; i < sizeof jvm_flags / sizeof jvm_flags[0]; i++)
        args[n++] = jvm_flags[i];
    args[n++] = "-Djruntime.libdir=" JR_LIBDIR;
    args[n++] = "-cp";
    args[n++] = JR_LIBDIR "/jruntime.jar";
    args[n++] = "io.jruntime.cli.Main";
    for (int i = 1; i < argc; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    /* UTF-8 file names and arguments even when the engine gives us no locale at all */
    unsetenv("LC_ALL");
    setenv("LC_CTYPE", "C.UTF-8", 1);
    execv(JR_JAVA, (char **)args);
    fprintf(stderr, "jruntime: cannot run %s: %s\n", JR_JAVA, strerror(errno));
    exit(1);
}

struct buf {
    char data[MAX_PACKET];
    size_t len;
    int overflow;
};

static void put(struct buf *b, const void *p, size_t n) {
    if (b->len + n > sizeof b->data) {
        b->overflow = 1;
        return;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_tag(struct buf *b, unsigned tag) {
    unsigned char t[4] = {tag & 0xff, (tag >> 8) & 0xff, (tag >> 16) & 0xff, (tag >> 24) & 0xff};
    b->len = 0;
    b->overflow = 0;
    put(b, t, 4);
}

static void put_str(struct buf *b, const char *s) {
    put(b, s, strlen(s) + 1);
}

static int send_packet(int sock, const struct buf *b, int fd) {
    struct iovec iov = {.iov_base = (void *)b->data, .iov_len = b->len};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    ssize_t r;
    do {
        r = sendmsg(sock, &m, MSG_NOSIGNAL);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -1 : 0;
}

static int send_simple(int sock, unsigned tag, const char *field) {
    static struct buf b;
    put_tag(&b, tag);
    if (field)
        put_str(&b, field);
    return send_packet(sock, &b, -1);
}

/* Receives one packet into b (NUL-terminated fields after the tag); *fd gets a passed fd or -1. Returns the
 * tag, 0 at EOF, -1 on error. */
static int recv_packet(int sock, struct buf *b, int *fd) {
    struct iovec iov = {.iov_base = b->data, .iov_len = sizeof b->data - 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    ssize_t r;
    do {
        r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    } while (r < 0 && errno == EINTR);
    *fd = -1;
    if (r < 0)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        memcpy(fd, CMSG_DATA(c), sizeof(int));
    if (r == 0)
        return 0;
    if (r < 4)
        return -1;
    b->len = (size_t)r;
    b->data[r] = 0;
    unsigned char *t = (unsigned char *)b->data;
    return (int)(t[0] | t[1] << 8 | t[2] << 16 | (unsigned)t[3] << 24);
}

/* The fields of a received packet: pointers into b, NULL-terminated array in out (max n-1). */
static int fields(struct buf *b, char **out, int n) {
    int k = 0;
    size_t i = 4;
    while (i < b->len && k < n - 1) {
        out[k++] = b->data + i;
        i += strlen(b->data + i) + 1;
    }
    out[k] = NULL;
    return k;
}

/* Starts a process for the daemon with exactly the fds it sent (target -> fd), like Spawn.java. */
static int spawn(char **f, int nf, const int *targets, const int *fds, int nfds) {
    if (nf < SPAWN_ARGV)
        return -EINVAL;
    int argc = atoi(f[SPAWN_ARGC]);
    if (argc < 0 || SPAWN_ARGV + argc > nf)
        return -EINVAL;
    char *argv[argc + 1];
    for (int i = 0; i < argc; i++)
        argv[i] = f[SPAWN_ARGV + i];
    argv[argc] = NULL;
    char **envp = f + SPAWN_ARGV + argc; /* the rest, NULL-terminated by fields() */
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    int temps[MAX_SPAWN_FDS], ntemps = 0, max = -1, rc = 0;
    pid_t pid = -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    for (int i = 0; i < nfds && rc == 0; i++) {
        /* a copy above every target, so a dup2 into one target never clobbers another's source */
        int t = fcntl(fds[i], F_DUPFD_CLOEXEC, 1000);
        if (t < 0) {
            rc = errno;
            break;
        }
        temps[ntemps++] = t;
        rc = posix_spawn_file_actions_adddup2(&fa, t, targets[i]);
        if (targets[i] > max)
            max = targets[i];
    }
    if (rc == 0)
        rc = posix_spawn_file_actions_addclosefrom_np(&fa, max + 1);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (rc == 0)
        rc = posix_spawn(&pid, f[SPAWN_PATH], &fa, &attr, argv, envp);
    for (int i = 0; i < ntemps; i++)
        close(temps[i]);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -rc;
}

static int debug;

/* With --debug, why the daemon is not used (logrus text format, as the JVM's debug lines). */
static void why_not(const char *path, const char *fmt, ...) {
    if (!debug)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "level=debug msg=\"not using the jruntime daemon on %s: %s; running in a JVM of its own\"\n", path, msg);
}

static void set_timeout(int sock, int opt, int ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    setsockopt(sock, SOL_SOCKET, opt, &tv, sizeof tv);
}

/* Whether a directory or the socket may be trusted: owned by root or us, and not writable by anyone else (a
 * sticky directory such as /tmp may be: nobody else can rename or remove what root or we own in it). */
static const char *untrusted(const struct stat *st, uid_t euid) {
    if (st->st_uid != 0 && st->st_uid != euid)
        return "owned by another user";
    if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
        return "writable by group or others";
    return NULL;
}

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

/* Connects to the daemon at path only if it is the real one: the socket and every directory above it cannot be
 * replaced by anyone but root (or us), the listener runs as our euid, and it is in our namespaces (a daemon in
 * a container would see other files and processes than we do). Returns the socket or -1 (reason with --debug).
 * Nothing about the caller is sent before this passes. */
static int connect_verified(const char *path) {
    uid_t euid = geteuid();
    char dir[4096], real[4096], sockpath[sizeof(((struct sockaddr_un *)0)->sun_path)];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    if (slash == dir)
        snprintf(real, sizeof real, "/");
    else if (!realpath(slash ? (*slash = 0, dir) : ".", real))
        return why_not(path, "cannot resolve its directory: %s", strerror(errno)), -1;
    /* every directory from / down: realpath resolved the symlinks, and only their owners could change them */
    for (char *p = real;;) {
        char *next = strchr(p + 1, '/');
        if (next)
            *next = 0;
        struct stat st;
        const char *bad = lstat(real, &st) != 0 ? strerror(errno) : !S_ISDIR(st.st_mode) ? "not a directory" : untrusted(&st, euid);
        if (bad)
            return why_not(path, "directory %s is %s", real, bad), -1;
        if (!next)
            break;
        *next = '/';
        p = next;
    }
    if ((size_t)snprintf(sockpath, sizeof sockpath, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base) >= sizeof sockpath)
        return why_not(path, "path too long"), -1;
    struct stat st;
    const char *bad = lstat(sockpath, &st) != 0 ? strerror(errno) : !S_ISSOCK(st.st_mode) ? "not a socket" : untrusted(&st, euid);
    if (bad)
        return why_not(path, "socket %s is %s", sockpath, bad), -1;

    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, sockpath);
    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return why_not(path, "socket: %s", strerror(errno)), -1;
    set_timeout(sock, SO_SNDTIMEO, ANSWER_TIMEOUT_MS); /* also bounds connect() to a full backlog */
    set_timeout(sock, SO_RCVTIMEO, ANSWER_TIMEOUT_MS);
    if (connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
        why_not(path, "connect: %s", strerror(errno));
        close(sock);
        return -1;
    }
    struct ucred cred;
    socklen_t len = sizeof cred;
    const char *fail = NULL;
    int pidfd = -1;
    if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        fail = "SO_PEERCRED failed";
    else if (cred.uid != euid)
        fail = "the listener's uid is not ours";
    else if (cred.pid <= 0)
        fail = "the listener is not in our pid namespace";
    if (!fail) {
        /* a pidfd of the listener, so the /proc/PID read below is known to be its (no pid reuse in between) */
        len = sizeof pidfd;
        if (getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) != 0)
            pidfd = (int)syscall(SYS_pidfd_open, cred.pid, 0);
        if (pidfd < 0)
            fail = "cannot pin the listener's process";
    }
    static const char *const ns[] = {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time"};
    for (size_t i = 0; !fail && i < sizeof ns / sizeof ns[0]; i++) {
        char mine[64], theirs[64];
        struct stat a, b;
        snprintf(mine, sizeof mine, "/proc/self/ns/%s", ns[i]);
        snprintf(theirs, sizeof theirs, "/proc/%d/ns/%s", (int)cred.pid, ns[i]);
        if (stat(mine, &a) != 0 && errno == ENOENT)
            continue; /* a namespace type this kernel does not have */
        if (stat(theirs, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
            why_not(path, "the listener (pid %d) is in another %s namespace", (int)cred.pid, ns[i]);
            fail = "";
        }
    }
    if (!fail && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) != 0)
        fail = "the listener exited while it was checked";
    if (pidfd >= 0)
        close(pidfd);
    if (fail) {
        if (*fail)
            why_not(path, "%s", fail);
        close(sock);
        return -1;
    }
    return sock;
}

/* Serves the daemon until it says EXIT. Returns -1 when it declined (run the JVM instead). */
static int talk(int sock, int argc, char **argv, const char *path) {
    static struct buf b;
    char num[64], cwd[4096], umask_text[16], argc_text[16];
    struct stat st;
    if (stat(JR_LIBDIR "/jruntime.jar", &st) != 0 || !getcwd(cwd, sizeof cwd))
        return -1;
    mode_t mask = umask(0);
    umask(mask);
    char id[4200];
    snprintf(id, sizeof id, "%s:%lld:%lld.%09ld", JR_LIBDIR "/jruntime.jar", (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    snprintf(umask_text, sizeof umask_text, "%u", (unsigned)mask);
    snprintf(argc_text, sizeof argc_text, "%d", argc - 1);
    const char *hello[HELLO_ARGV];
    hello[HELLO_BUILD_ID] = id;
    hello[HELLO_CWD] = cwd;
    hello[HELLO_UMASK] = umask_text;
    hello[HELLO_ARGC] = argc_text;
    put_tag(&b, HELLO);
    for (int i = 0; i < HELLO_ARGV; i++)
        put_str(&b, hello[i]);
    for (int i = 1; i < argc; i++)
        put_str(&b, argv[i]);
    for (char **e = environ; *e; e++)
        put_str(&b, *e);
    if (b.overflow)
        return why_not(path, "the command line and environment exceed a packet"), -1;
    if (send_packet(sock, &b, -1) < 0)
        return why_not(path, "cannot send: %s", strerror(errno)), -1;
    int fd, tag = recv_packet(sock, &b, &fd);
    if (fd >= 0)
        close(fd);
    if (tag != ACCEPT) {
        /* DECLINE, no answer within ANSWER_TIMEOUT_MS, or the daemon went away: nothing has been done yet */
        char *f[2];
        if (tag == DECLINE && fields(&b, f, 2) == 1)
            why_not(path, "declined: %s", f[0]);
        else
            why_not(path, "%s", tag < 0 ? (errno == EAGAIN ? "no answer within the timeout" : strerror(errno))
                                : tag == 0 ? "it closed the connection" : "unexpected answer");
        return -1;
    }

    /* every fd we have, so stdio and --preserve-fds reach the container as without a daemon; the daemon does
     * nothing before FDS_DONE, so a failure here still falls back to our own JVM */
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        int n = atoi(e->d_name);
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || n == sock || n == dirfd(d))
            continue;
        put_tag(&b, FD);
        put_str(&b, e->d_name); /* FD_NUMBER */
        if (send_packet(sock, &b, n) < 0) {
            closedir(d);
            return why_not(path, "cannot send fd %d: %s", n, strerror(errno)), -1;
        }
    }
    closedir(d);
    if (send_simple(sock, FDS_DONE, NULL) < 0)
        return why_not(path, "cannot send: %s", strerror(errno)), -1;
    /* from here the command runs: it may take as long as its hooks do */
    set_timeout(sock, SO_RCVTIMEO, 0);
    set_timeout(sock, SO_SNDTIMEO, 0);

    int targets[MAX_SPAWN_FDS], fds[MAX_SPAWN_FDS], nfds = 0;
    for (;;) {
        char *f[4096];
        tag = recv_packet(sock, &b, &fd);
        int nf = tag > 0 ? fields(&b, f, 4096) : 0;
        switch (tag) {
        case SPAWN_FD:
            if (fd >= 0 && nf > SPAWN_FD_TARGET && nfds < MAX_SPAWN_FDS) {
                targets[nfds] = atoi(f[SPAWN_FD_TARGET]);
                fds[nfds++] = fd;
            } else if (fd >= 0) {
                close(fd);
            }
            break;
        case SPAWN: {
            int pid = spawn(f, nf, targets, fds, nfds);
            for (int i = 0; i < nfds; i++)
                close(fds[i]);
            nfds = 0;
            snprintf(num, sizeof num, "%d", pid); /* SPAWNED_RESULT */
            send_simple(sock, SPAWNED, num);
            break;
        }
        case WAIT: {
            int status = 0, r = -1;
            if (nf > WAIT_OPTIONS) {
                do {
                    r = waitpid(atoi(f[WAIT_PID]), &status, atoi(f[WAIT_OPTIONS]));
                } while (r < 0 && errno == EINTR);
            } else {
                errno = EINVAL;
            }
            if (r == 0)
                snprintf(num, sizeof num, "none");
            else if (r < 0)
                snprintf(num, sizeof num, "%d", -errno);
            else
                snprintf(num, sizeof num, "%d", status);
            send_simple(sock, WAITED, num); /* WAITED_RESULT */
            break;
        }
        case EXIT:
            return nf > EXIT_CODE ? atoi(f[EXIT_CODE]) : 1;
        default:
            if (fd >= 0)
                close(fd);
            fprintf(stderr, "jruntime: lost the connection to the jruntime daemon (%s)\n",
                    tag == 0 ? "it closed the socket" : tag < 0 ? strerror(errno) : "unexpected packet");
            return 1;
        }
    }
}

int main(int argc, char **argv) {
    const char *use = getenv("JRUNTIME_DAEMON");
    const char *path = getenv("JRUNTIME_DAEMON_SOCKET");
    if (!path || !*path)
        path = DEFAULT_SOCKET;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--debug") == 0 || strcmp(argv[i], "-debug") == 0)
            debug = 1;
    if ((use && strcmp(use, "0") == 0) || geteuid() != 0 || access(path, F_OK) != 0)
        run_jvm(argc, argv);
    int sock = connect_verified(path);
    if (sock < 0)
        run_jvm(argc, argv);
    int code = talk(sock, argc, argv, path);
    if (code < 0) {
        close(sock);
        run_jvm(argc, argv);
    }
    return code;
}
