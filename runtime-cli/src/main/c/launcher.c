/*
 * bin/jruntime: starts the jruntime JVM, or hands the command to a running `jruntime daemon`.
 *
 * Paths and JVM flags are baked in at build time (scripts/make-launcher.sh): engines call the runtime with
 * no PATH and no locale, so nothing is looked up. Without a daemon this only sets a UTF-8 locale and execs
 * java, as the shell launcher did. With one (root, $JRUNTIME_DAEMON != 0, something listening on
 * $JRUNTIME_DAEMON_SOCKET or /run/jruntime-daemon/daemon.sock; or the per-user daemon below) it sends the daemon its argv, environment,
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
 *
 * In a user namespace other than the initial one (rootless Podman), the daemon is the caller's own per-user
 * daemon on $XDG_RUNTIME_DIR/jruntime-daemon/daemon.sock, started on demand (start_user_daemon, a lock file
 * decides who starts it) and exiting when idle; see docs/ROOTLESS.md.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if !defined(JR_JAVA) || !defined(JR_LIBDIR) || !defined(JR_JVM_FLAGS)
#error "build with scripts/make-launcher.sh (JR_JAVA, JR_LIBDIR, JR_JVM_FLAGS)"
#endif

/* Packet tags and field positions: the same names and numbers as in DaemonProtocol.java
 * (DaemonProtocolConformanceTest reads both files and fails when they drift). */
enum {
    HELLO = 1, FD = 2, FDS_DONE = 3, SPAWNED = 4, WAITED = 5,
    DECLINE = 10, ACCEPT = 11, SPAWN_FD = 12, SPAWN = 13, WAIT = 14, EXIT = 15, FOREGROUND = 17, SPAWN_HOOK = 18,
};
enum { HELLO_BUILD_ID = 0, HELLO_CWD = 1, HELLO_UMASK = 2, HELLO_ARGC = 3, HELLO_ARGV = 4 };
enum { FD_NUMBER = 0, SPAWN_FD_TARGET = 0, SPAWNED_RESULT = 0, WAITED_RESULT = 0, EXIT_CODE = 0 };
enum { SPAWN_HOOK_CWD = 0, SPAWN_PATH = 0, SPAWN_ARGC = 1, SPAWN_ARGV = 2, WAIT_PID = 0, WAIT_OPTIONS = 1, FOREGROUND_PID = 0 };
#define MAX_PACKET (192 * 1024)
/* How long the launcher waits for the daemon's ACCEPT or DECLINE (and to send to it before that); then it runs
 * the command in its own JVM: a stopped or wedged daemon costs a caller this much, never a hang. */
#define ANSWER_TIMEOUT_MS 1000
#define DEFAULT_SOCKET "/run/jruntime-daemon/daemon.sock"
#define MAX_SPAWN_FDS 256

extern char **environ;
static const char *const jvm_flags[] = {JR_JVM_FLAGS};

#define FULL_AOT JR_LIBDIR "/jruntime.aot"
#define LIFECYCLE_AOT JR_LIBDIR "/jruntime-lifecycle.aot"

/* The AOT cache for a command line. The commands every engine call makes (create, start, state, delete, kill,
 * list) have a small cache of their own: a JVM maps and links every class of its cache at start, and the full
 * cache's ~3,400 classes (help, checkpoint, exec, ...) cost those calls about as much CPU as the rest of the call
 * (docs/PERFORMANCE.md, "Per-call cost without the daemon"). Anything not recognised gets the full cache: the
 * choice changes speed, never behaviour. Global flags with a separate value are skipped as Go's flag package does. */
static const char *aot_cache_for(int argc, char **argv) {
    static const char *const lifecycle[] = {"create", "start", "state", "delete", "kill", "list"};
    static const char *const valued[] = {"root", "log", "log-format", "criu", "rootless"};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            for (size_t k = 0; k < sizeof lifecycle / sizeof lifecycle[0]; k++)
                if (strcmp(a, lifecycle[k]) == 0)
                    return access(LIFECYCLE_AOT, R_OK) == 0 ? LIFECYCLE_AOT : FULL_AOT;
            break;
        }
        const char *f = a + (a[1] == '-' ? 2 : 1);
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            if (strcmp(f, valued[k]) == 0)
                i++;
    }
    return FULL_AOT;
}

/* The java command line for a jruntime Main with args (extra JVM flags first); NULL-terminated in out. */
static void jvm_args(const char **out, const char *extra, int argc, char **argv) {
    int n = 0;
    static char aot[4200];
    const char *cache = aot_cache_for(argc, argv);
    out[n++] = JR_JAVA;
    if (access(cache, R_OK) == 0) {
        snprintf(aot, sizeof aot, "-XX:AOTCache=%s", cache);
        out[n++] = aot;
    }
    for (size_t i = 0; i < sizeof jvm_flags / sizeof jvm_flags[0]; i++)
        out[n++] = jvm_flags[i];
    if (extra)
        out[n++] = extra;
    out[n++] = "-Djruntime.libdir=" JR_LIBDIR;
    out[n++] = "-cp";
    out[n++] = JR_LIBDIR "/jruntime.jar";
    out[n++] = "io.jruntime.cli.Main";
    for (int i = 0; i < argc; i++)
        out[n++] = argv[i];
    out[n] = NULL;
}

/* Runs the command in a JVM of its own. Never returns. */
static void run_jvm(int argc, char **argv) {
    const char *args[argc + 32];
    jvm_args(args, NULL, argc - 1, argv + 1);
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
static int spawn(char **f, int nf, const int *targets, const int *fds, int nfds, int hook, const char *cwd) {
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
    if (rc == 0 && hook && cwd[0] != '\0') /* a hook's working directory (runc runs most hooks in the bundle) */
        rc = posix_spawn_file_actions_addchdir_np(&fa, cwd);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    /* a hook leads a session of its own: a timed-out or orphaned hook is killed with all it started */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (hook ? POSIX_SPAWN_SETSID : 0));
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
static uid_t unmapped_owner = (uid_t)-1;

static const char *untrusted(const struct stat *st, uid_t euid) {
    /* In a user namespace other than the initial one the host's root shows as the overflow uid (it is not
     * mapped): a directory such as /run or /tmp owned by it is accepted, a socket never. */
    int foreign_root = S_ISDIR(st->st_mode) && st->st_uid == unmapped_owner;
    if (st->st_uid != 0 && st->st_uid != euid && !foreign_root)
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

/* The value of global flag name (--name V, --name=V, -name V, -name=V) in argv before the command, or NULL. */
static const char *global_flag(int argc, char **argv, const char *name) {
    static const char *const with_value[] = {"log", "log-format", "root", "criu", "rootless"};
    size_t n = strlen(name);
    for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *f = argv[i] + (argv[i][1] == '-' ? 2 : 1);
        if (strncmp(f, name, n) == 0 && f[n] == '=')
            return f + n + 1;
        if (strcmp(f, name) == 0)
            return i + 1 < argc ? argv[i + 1] : NULL;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            if (strcmp(f, with_value[k]) == 0)
                i++; /* skip that flag's value */
    }
    return NULL;
}

/* The daemon died (or broke the protocol) in the middle of a command it had accepted: the command may be done in
 * part, and only `state`/`delete -f` can tell and clean. One line, as the JVM reports an error: logrus text on
 * stderr, or to the --log file in its --log-format with the plain message on stderr. */
static void daemon_lost(int argc, char **argv, const char *why) {
    char msg[512], when[32], line[768];
    snprintf(msg, sizeof msg, "the jruntime daemon running this command went away (%s): what it did is unknown; "
             "jruntime state tells what exists and jruntime delete -f removes it", why);
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    const char *log = global_flag(argc, argv, "log"), *format = global_flag(argc, argv, "log-format");
    int json = format && strcmp(format, "json") == 0;
    if (json)
        snprintf(line, sizeof line, "{\"level\":\"error\",\"msg\":\"%s\",\"time\":\"%s\"}\n", msg, when);
    else
        snprintf(line, sizeof line, "time=\"%s\" level=error msg=\"%s\"\n", when, msg);
    int fd = log && *log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    if (fd >= 0) {
        ssize_t ignored = write(fd, line, strlen(line));
        (void)ignored;
        close(fd);
        fprintf(stderr, "%s\n", msg);
    } else {
        fputs(line, stderr);
    }
}

/* Serves the daemon until it says EXIT. Returns -1 when it declined (run the JVM instead). */
/* The container process a foreground exec waits for: the signals a user or an engine sends us go to it, as runc
 * forwards them (ForegroundWaiter's list; the JVM path forwards the same ones). */
static volatile pid_t foreground_pid;

static void forward_signal(int sig) {
    if (foreground_pid > 0)
        kill(foreground_pid, sig);
}

/* Waits for our child pid with the usual signals forwarded to it; the raw status, or -errno. */
static int wait_in_foreground(pid_t pid) {
    static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal; /* no SA_RESTART: waitpid returns EINTR and is simply called again */
    sigemptyset(&sa.sa_mask);
    foreground_pid = pid;
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaction(forwarded[i], &sa, NULL);
    int status = 0, r;
    do {
        r = waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    int err = errno;
    sa.sa_handler = SIG_DFL;
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
        sigaction(forwarded[i], &sa, NULL);
    foreground_pid = 0;
    return r < 0 ? -err : status;
}

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
    char spawn_cwd[PATH_MAX] = "";
    int hook = 0;
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
        case SPAWN_HOOK: /* the next SPAWN is a hook's */
            hook = nf > SPAWN_HOOK_CWD && strlen(f[SPAWN_HOOK_CWD]) < sizeof spawn_cwd;
            if (hook)
                strcpy(spawn_cwd, f[SPAWN_HOOK_CWD]);
            break;
        case SPAWN: {
            int pid = spawn(f, nf, targets, fds, nfds, hook, spawn_cwd);
            hook = 0;
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
        case FOREGROUND: {
            int r = nf > FOREGROUND_PID ? wait_in_foreground(atoi(f[FOREGROUND_PID])) : -EINVAL;
            snprintf(num, sizeof num, "%d", r);
            send_simple(sock, WAITED, num); /* WAITED_RESULT */
            break;
        }
        case EXIT:
            return nf > EXIT_CODE ? atoi(f[EXIT_CODE]) : 1;
        default:
            if (fd >= 0)
                close(fd);
            daemon_lost(argc, argv, tag == 0 ? "it closed the connection" : tag < 0 ? strerror(errno) : "unexpected packet");
            return 1;
        }
    }
}

/* Whether we run in the initial user namespace (uid_map maps all of 0..2^32-2 to itself). */
static int in_initial_userns(void) {
    FILE *f = fopen("/proc/self/uid_map", "re");
    if (!f)
        return 1; /* no user namespaces in this kernel */
    unsigned long a, b, c;
    int n = fscanf(f, "%lu %lu %lu", &a, &b, &c), more = fgetc(f) != EOF && fscanf(f, "%lu", &a) == 1;
    fclose(f);
    return n == 3 && a == 0 && b == 0 && c == 4294967295UL && !more;
}

/* The per-user daemon's directory is $XDG_RUNTIME_DIR/jruntime-daemon when jruntime would use that
 * $XDG_RUNTIME_DIR (runc 1.1.5's rule, as StateDirRule: for euid 0 only when USER is unset or not "root").
 * Writes it to out and returns 1, else 0. */
static int user_daemon_dir(char *out, size_t n) {
    const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");
    if (!xdg || xdg[0] != '/' || (geteuid() == 0 && user && strcmp(user, "root") == 0))
        return 0;
    return (size_t)snprintf(out, n, "%s/jruntime-daemon", xdg) < n;
}

/* The per-user daemon's directory must be ours alone: owned by our euid, no access for group or others. */
static const char *not_private(const char *dir) {
    struct stat st;
    if (lstat(dir, &st) != 0)
        return strerror(errno);
    if (!S_ISDIR(st.st_mode))
        return "not a directory";
    if (st.st_uid != geteuid())
        return "not owned by our euid";
    if (st.st_mode & 077)
        return "open to group or others (want 0700)";
    return NULL;
}

/* Starts the per-user daemon, detached (own session, stdio on /dev/null and DIR/daemon.log), unless one is
 * alive or being started. DIR/daemon.lock is the arbiter: the launcher that gets it (non-blocking) hands its
 * open file to the daemon as fd 3, and the daemon holds it for its whole life; so at most one daemon lives per
 * directory, a launcher that finds the lock taken never waits, and the kernel drops the lock when the daemon
 * dies however it dies. The caller then runs its own JVM: no call ever waits for a daemon to start. */
static void start_user_daemon(const char *dir, const char *path) {
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return why_not(path, "cannot create %s: %s", dir, strerror(errno));
    const char *bad = not_private(dir);
    if (bad)
        return why_not(path, "will not start a daemon: %s is %s", dir, bad);
    char lock[4200], log[4200], sock_arg[4200], idle_arg[32];
    snprintf(lock, sizeof lock, "%s/daemon.lock", dir);
    snprintf(log, sizeof log, "%s/daemon.log", dir);
    int l = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (l < 0)
        return why_not(path, "cannot open %s: %s", lock, strerror(errno));
    if (flock(l, LOCK_EX | LOCK_NB) != 0) {
        close(l);
        return why_not(path, "a daemon is starting or stopping (%s is locked)", lock);
    }
    const char *idle = getenv("JRUNTIME_DAEMON_IDLE");
    /* seconds without a call before it exits: a per-user daemon always ends (0 or garbage: the default) */
    if (!idle || !*idle || strspn(idle, "0123456789") != strlen(idle) || strlen(idle) > 9 || atoi(idle) == 0)
        idle = "60";
    snprintf(idle_arg, sizeof idle_arg, "%s", idle);
    snprintf(sock_arg, sizeof sock_arg, "%s", path);
    pid_t child = fork();
    if (child == 0) {
        setsid();
        if (fork() != 0)
            _exit(0); /* the daemon is reparented and never our engine's child */
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
        int held = fcntl(l, F_DUPFD_CLOEXEC, 10);
        if (nul < 0 || held < 0)
            _exit(1);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(out >= 0 ? out : nul, 2);
        dup2(held, 3); /* dup2 clears close-on-exec: the daemon keeps the lock */
        if (syscall(SYS_close_range, 4, ~0U, 0) != 0)
            for (int fd = 4; fd < 1024; fd++)
                close(fd);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < NSIG; sig++)
            signal(sig, SIG_DFL);
        if (chdir("/") != 0)
            _exit(1);
        umask(077);
        /* a small environment: what jruntime reads (the state directory rule), never the caller's secrets */
        char *env[8], e_xdg[4200], e_home[4200], e_user[512];
        int ne = 0;
        env[ne++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        env[ne++] = "LC_CTYPE=C.UTF-8";
        snprintf(e_xdg, sizeof e_xdg, "XDG_RUNTIME_DIR=%s", getenv("XDG_RUNTIME_DIR"));
        env[ne++] = e_xdg;
        if (getenv("HOME") && snprintf(e_home, sizeof e_home, "HOME=%s", getenv("HOME")) < (int)sizeof e_home)
            env[ne++] = e_home;
        if (getenv("USER") && snprintf(e_user, sizeof e_user, "USER=%s", getenv("USER")) < (int)sizeof e_user)
            env[ne++] = e_user;
        env[ne] = NULL;
        char *dargs[] = {"daemon", "run", "--socket", sock_arg, "--idle-timeout", idle_arg, "--lock-fd", "3"};
        const char *args[64];
        jvm_args(args, "-Xmx64m", 8, dargs);
        execve(JR_JAVA, (char **)args, env);
        _exit(127);
    }
    if (child > 0)
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
            ;
    else
        why_not(path, "cannot fork a daemon: %s", strerror(errno));
    close(l);
    if (child > 0)
        why_not(path, "none answered; started one in the background (log %s)", log);
}

/* Runs the command through the daemon on sock (-1: none), or in our own JVM when there is none or it
 * declines. Never returns. */
__attribute__((noreturn)) static void through(int sock, int argc, char **argv, const char *path) {
    int code = sock < 0 ? -1 : talk(sock, argc, argv, path);
    if (code < 0) {
        if (sock >= 0)
            close(sock);
        run_jvm(argc, argv);
    }
    exit(code);
}

int main(int argc, char **argv) {
    const char *use = getenv("JRUNTIME_DAEMON");
    const char *path = getenv("JRUNTIME_DAEMON_SOCKET");
    int explicit_path = path && *path;
    static char dir[4096], user_path[4200];
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--debug") == 0 || strcmp(argv[i], "-debug") == 0)
            debug = 1;
    if (use && strcmp(use, "0") == 0)
        run_jvm(argc, argv);
    if (in_initial_userns()) {
        /* root: the daemon `jruntime daemon start` runs; never started on demand (a root service is the
         * administrator's choice). Unprivileged callers in the initial namespace: their own JVM. */
        if (!explicit_path)
            path = DEFAULT_SOCKET;
        if (geteuid() != 0 || access(path, F_OK) != 0)
            run_jvm(argc, argv);
    } else {
        /* in a user namespace (rootless Podman's, kept by its pause process): a per-user daemon in that user's
         * $XDG_RUNTIME_DIR, started on demand and exiting when idle; connect_verified accepts only a listener
         * with our uid in all our namespaces, which rules out another user's or the root daemon */
        unmapped_owner = 65534;
        FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");
        if (f) {
            unsigned long o;
            if (fscanf(f, "%lu", &o) == 1)
                unmapped_owner = (uid_t)o;
            fclose(f);
        }
        if (!explicit_path) {
            if (!user_daemon_dir(dir, sizeof dir))
                run_jvm(argc, argv);
            snprintf(user_path, sizeof user_path, "%s/daemon.sock", dir);
            path = user_path;
            const char *bad = access(path, F_OK) == 0 ? not_private(dir) : "";
            int sock = bad == NULL ? connect_verified(path) : -1;
            if (bad && *bad)
                why_not(path, "%s is %s", dir, bad);
            if (sock < 0)
                start_user_daemon(dir, path);
            through(sock, argc, argv, path);
        }
        if (access(path, F_OK) != 0)
            run_jvm(argc, argv);
    }
    through(connect_verified(path), argc, argv, path);
}
