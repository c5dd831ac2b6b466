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
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(JR_JAVA) || !defined(JR_LIBDIR) || !defined(JR_JVM_FLAGS)
#error "build with scripts/make-launcher.sh (JR_JAVA, JR_LIBDIR, JR_JVM_FLAGS)"
#endif

enum {
    HELLO = 1, FD = 2, FDS_DONE = 3, SPAWNED = 4, WAITED = 5,
    DECLINE = 10, ACCEPT = 11, SPAWN_FD = 12, SPAWN = 13, WAIT = 14, EXIT = 15,
};
#define MAX_PACKET (192 * 1024)
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
    if (nf < 2)
        return -EINVAL;
    int argc = atoi(f[1]);
    if (argc < 0 || 2 + argc > nf)
        return -EINVAL;
    char *argv[argc + 1];
    for (int i = 0; i < argc; i++)
        argv[i] = f[2 + i];
    argv[argc] = NULL;
    char **envp = f + 2 + argc; /* the rest, NULL-terminated by fields() */
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
        rc = posix_spawn(&pid, f[0], &fa, &attr, argv, envp);
    for (int i = 0; i < ntemps; i++)
        close(temps[i]);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -rc;
}

/* Serves the daemon until it says EXIT. Returns -1 when it declined (run the JVM instead). */
static int talk(int sock, int argc, char **argv) {
    static struct buf b;
    char num[64], cwd[4096];
    struct stat st;
    if (stat(JR_LIBDIR "/jruntime.jar", &st) != 0 || !getcwd(cwd, sizeof cwd))
        return -1;
    mode_t mask = umask(0);
    umask(mask);
    put_tag(&b, HELLO);
    char id[4200];
    snprintf(id, sizeof id, "%s:%lld:%lld.%09ld", JR_LIBDIR "/jruntime.jar", (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    put_str(&b, id);
    put_str(&b, cwd);
    snprintf(num, sizeof num, "%u", (unsigned)mask);
    put_str(&b, num);
    snprintf(num, sizeof num, "%d", argc - 1);
    put_str(&b, num);
    for (int i = 1; i < argc; i++)
        put_str(&b, argv[i]);
    for (char **e = environ; *e; e++)
        put_str(&b, *e);
    if (b.overflow || send_packet(sock, &b, -1) < 0)
        return -1;
    int fd, tag = recv_packet(sock, &b, &fd);
    if (fd >= 0)
        close(fd);
    if (tag != ACCEPT)
        return -1; /* DECLINE, or the daemon went away before accepting: nothing has been done yet */

    /* every fd we have, so stdio and --preserve-fds reach the container as without a daemon */
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            int n = atoi(e->d_name);
            if (e->d_name[0] < '0' || e->d_name[0] > '9' || n == sock || n == dirfd(d))
                continue;
            put_tag(&b, FD);
            put_str(&b, e->d_name);
            send_packet(sock, &b, n);
        }
        closedir(d);
    }
    send_simple(sock, FDS_DONE, NULL);

    int targets[MAX_SPAWN_FDS], fds[MAX_SPAWN_FDS], nfds = 0;
    for (;;) {
        char *f[4096];
        tag = recv_packet(sock, &b, &fd);
        int nf = tag > 0 ? fields(&b, f, 4096) : 0;
        switch (tag) {
        case SPAWN_FD:
            if (fd >= 0 && nf >= 1 && nfds < MAX_SPAWN_FDS) {
                targets[nfds] = atoi(f[0]);
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
            snprintf(num, sizeof num, "%d", pid);
            send_simple(sock, SPAWNED, num);
            break;
        }
        case WAIT: {
            int status = 0, r = -1;
            if (nf >= 2) {
                do {
                    r = waitpid(atoi(f[0]), &status, atoi(f[1]));
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
            send_simple(sock, WAITED, num);
            break;
        }
        case EXIT:
            return nf >= 1 ? atoi(f[0]) : 1;
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
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if ((use && strcmp(use, "0") == 0) || geteuid() != 0 || strlen(path) >= sizeof addr.sun_path ||
        access(path, F_OK) != 0)
        run_jvm(argc, argv);
    strcpy(addr.sun_path, path);
    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0)
        run_jvm(argc, argv);
    int code = talk(sock, argc, argv);
    if (code < 0) {
        close(sock);
        run_jvm(argc, argv);
    }
    return code;
}
