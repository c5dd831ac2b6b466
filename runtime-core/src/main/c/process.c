#include "process.h"
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

void apply_rlimits(const struct plan *pl)
{
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        char *f[3];
        if (p->tag != P_RLIMIT)
            continue;
        if (split_fields(p, f, 3) < 3)
            die(0, "malformed rlimit record");
        struct rlimit rl = { .rlim_cur = strtoull(f[1], NULL, 10), .rlim_max = strtoull(f[2], NULL, 10) };
        int res = atoi(f[0]);
        if (setrlimit(res, &rl) < 0) {
            static const char *const names[] = {
                "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
                "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
                "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
            };
            int saved = errno;
            struct rlimit cur;
            char why[160] = "";
            if (saved == EPERM && getrlimit(res, &cur) == 0 && rl.rlim_max > cur.rlim_max)
                snprintf(why, sizeof(why), " (raising the hard limit above the current %llu needs CAP_SYS_RESOURCE, "
                         "which this runtime does not have)", (unsigned long long) cur.rlim_max);
            errno = saved;
            die(1, "process.rlimits: setrlimit %s to soft %s hard %s%s",
                res >= 0 && res < (int) (sizeof(names) / sizeof(names[0])) ? names[res] : f[0], f[1], f[2], why);
        }
    }
}

int open_in_container(int rootfd, const char *path, int flags, mode_t mode, unsigned long long resolve)
{
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
    };
    int fd;

    do {
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/*
 * Settings made through the host's /proc, before stage0 joins or makes any namespace: a container (exec) or
 * its image (create) can place files and symlinks in its own /proc, so nothing is written there. The value is
 * inherited by the init, which is cloned from stage0.
 */
void apply_host_process(const struct plan *pl)
{
    const struct packet *p = plan_find(pl, P_OOM_SCORE_ADJ);

    if (p) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, p->data, strlen(p->data)) < 0)
            die(1, "set oomScoreAdj %s", p->data);
        close(fd);
    }
}

/* Settings that need privileges we are about to drop. */
void apply_early_process(const struct plan *pl)
{
    const struct packet *p;

    if ((p = plan_find(pl, P_PERSONALITY))) {
        if (personality((unsigned long)strtoul(p->data, NULL, 10)) < 0)
            die(1, "personality %s", p->data);
    }
    if ((p = plan_find(pl, P_KEYRING))) {
        /* A fresh session keyring keeps the host's keys out of the container; kernels or setups that
         * refuse it (EDQUOT, ENOSYS, EACCES in user namespaces) leave the inherited one, as runc does. */
        syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, p->data);
    }
    if ((p = plan_find(pl, P_HOSTNAME)) && sethostname(p->data, strlen(p->data)) < 0)
        die(1, "sethostname %s", p->data);
    if ((p = plan_find(pl, P_DOMAINNAME)) && setdomainname(p->data, strlen(p->data)) < 0)
        die(1, "setdomainname %s", p->data);
}

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTS_FIRST_MAJOR 136 /* UNIX98_PTY_SLAVE_MAJOR .. +7 */

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

/*
 * /dev/console becomes a bind of the pty slave. Both ends are fds (open_tree + move_mount): the target is
 * resolved in the root without any symlink and must be a regular file or a char device, so an image's
 * /dev/console symlink cannot aim the mount anywhere else.
 */
static void bind_console(int rootfd, int slave, const char *slave_path)
{
    struct stat st;
    int c = open_in_container(rootfd, "/dev/console", O_PATH, 0, RESOLVE_NO_SYMLINKS);

    if (c < 0 && errno == ENOENT) {
        int made = open_in_container(rootfd, "/dev/console", O_CREAT | O_EXCL | O_WRONLY, 0600, RESOLVE_NO_SYMLINKS);
        if (made < 0)
            die(1, "create /dev/console");
        close(made);
        c = open_in_container(rootfd, "/dev/console", O_PATH, 0, RESOLVE_NO_SYMLINKS);
    }
    if (c < 0)
        die(1, "resolve /dev/console in the container");
    if (fstat(c, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
        die(0, "/dev/console in the container is neither a file nor a char device");
    int tree = (int)syscall(SYS_open_tree, slave, "", OPEN_TREE_CLONE | AT_EMPTY_PATH | O_CLOEXEC);
    if (tree < 0)
        die(1, "bind %s to /dev/console: open_tree", slave_path);
    if (syscall(SYS_move_mount, tree, "", c, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        die(1, "bind %s to /dev/console", slave_path);
    close(tree);
    close(c);
}

/*
 * The pty pair comes from the container's devpts, but no path the container controls is trusted: /dev/ptmx is
 * resolved inside the root (the usual pts/ptmx symlink is fine, magic links are not) and must be the ptmx
 * char device; the slave comes from the master itself (TIOCGPTPEER), never from /dev/pts/N by name.
 */
void setup_terminal(const struct plan *pl, int rootfd, int console_bind)
{
    char *f[2];
    const struct packet *p = plan_find(pl, P_TERMINAL);
    char slave_path[64];
    unsigned int ptn;
    int unlock = 0;
    struct stat st;

    if (!p)
        return;
    int master = open_in_container(rootfd, "/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK, 0, 0);
    if (master < 0)
        die(1, "open /dev/ptmx in the container (is /dev/pts mounted with newinstance?)");
    if (fstat(master, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != PTMX_MAJOR ||
        minor(st.st_rdev) != PTMX_MINOR)
        die(0, "/dev/ptmx in the container is not the pty multiplexer (char 5:2)");
    if (fcntl(master, F_SETFL, O_RDWR) < 0)
        die(1, "clear O_NONBLOCK on the pty master");
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &ptn) < 0)
        die(1, "unlock pty");
    snprintf(slave_path, sizeof(slave_path), "/dev/pts/%u", ptn);
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        die(1, "open %s (TIOCGPTPEER)", slave_path);
    if (fstat(slave, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) < PTS_FIRST_MAJOR ||
        major(st.st_rdev) > PTS_FIRST_MAJOR + 7)
        die(0, "%s is not a pty slave", slave_path);
    const struct packet *u = plan_find(pl, P_USER);
    if (u) {
        char *uf[3];
        split_fields(u, uf, 3);
        if (fchown(slave, (uid_t)strtoul(uf[0], NULL, 10), (gid_t)-1) < 0)
            die(1, "chown %s", slave_path);
    }
    if (split_fields(p, f, 2) == 2) {
        struct winsize ws = { .ws_row = (unsigned short)atoi(f[0]), .ws_col = (unsigned short)atoi(f[1]) };
        if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
            die(1, "set console size");
    }
    if (console_bind)
        bind_console(rootfd, slave, slave_path);
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        die(1, "make %s the controlling terminal", slave_path);
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            die(1, "dup2 terminal to fd %d", fd);
    close(slave);
    if (send_packet(sync_fd, M_CONSOLE, slave_path, strlen(slave_path), master) < 0)
        die(1, "send the terminal to jruntime");
    close(master);
}

/*
 * Bounding capabilities the config does not list are dropped for every number 0..63: the kernel's own
 * cap_last_cap is not read, because inside a container /proc/sys/kernel/cap_last_cap may be a file the
 * container placed there (a "3" would leave every higher capability in place). Numbers the kernel does not
 * know fail with EINVAL, which is what "already absent" means.
 */
void drop_bounding(const struct plan *pl)
{
    char **caps = plan_vector(pl, P_CAPS);

    if (!caps || !caps[0])
        return;
    unsigned long long bounding = strtoull(caps[0], NULL, 10);
    for (int c = 0; c < 64; c++) {
        if (!(bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
            die(1, "drop capability %d from the bounding set", c);
    }
    free(caps);
}

/* Supplementary groups, gid and uid of the process; permitted capabilities survive the uid change. */
void set_ids(const struct plan *pl)
{
    const struct packet *u = plan_find(pl, P_USER);
    char **groups = plan_vector(pl, P_GROUPS);
    uid_t uid = 0;
    gid_t gid = 0;

    if (u) {
        char *f[3];
        if (split_fields(u, f, 3) < 3)
            die(0, "malformed user record");
        uid = (uid_t)strtoul(f[0], NULL, 10);
        gid = (gid_t)strtoul(f[1], NULL, 10);
        long m = strtol(f[2], NULL, 10);
        if (m >= 0)
            umask((mode_t)m);
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        die(1, "prctl(PR_SET_KEEPCAPS)");
    if (groups) {
        int n = 0;
        gid_t list[1024];
        for (; groups[n] && n < 1024; n++)
            list[n] = (gid_t)strtoul(groups[n], NULL, 10);
        if (setgroups((size_t)n, list) < 0)
            die(1, "setgroups (additionalGids)");
        free(groups);
    } else if (plan_find(pl, P_SETGROUPS_ALLOWED) && setgroups(0, NULL) < 0) {
        die(1, "clear supplementary groups");
    }
    if (setresgid(gid, gid, gid) < 0)
        die(1, "setresgid %u", gid);
    if (setresuid(uid, uid, uid) < 0)
        die(1, "setresuid %u", uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        die(1, "prctl(PR_SET_KEEPCAPS, 0)");
}

void final_caps(const struct plan *pl, struct capsets *c)
{
    char **caps = plan_vector(pl, P_CAPS);

    memset(c, 0, sizeof(*c));
    if (caps && caps[0] && caps[1] && caps[2] && caps[3] && caps[4]) {
        c->from_plan = 1;
        c->eff = strtoull(caps[1], NULL, 10);
        c->inh = strtoull(caps[2], NULL, 10);
        c->perm = strtoull(caps[3], NULL, 10);
        c->amb = strtoull(caps[4], NULL, 10);
    } else {
        /* No capabilities in the config: keep what the uid change left. */
        struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
        struct __user_cap_data_struct data[2];
        if (syscall(SYS_capget, &hdr, data) < 0)
            die(1, "capget");
        c->eff = data[0].effective | (unsigned long long)data[1].effective << 32;
        c->perm = data[0].permitted | (unsigned long long)data[1].permitted << 32;
        c->inh = data[0].inheritable | (unsigned long long)data[1].inheritable << 32;
    }
    free(caps);
}

int set_caps(const struct capsets *c)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {
        { .effective = (uint32_t)c->eff, .permitted = (uint32_t)c->perm, .inheritable = (uint32_t)c->inh },
        { .effective = (uint32_t)(c->eff >> 32), .permitted = (uint32_t)(c->perm >> 32),
          .inheritable = (uint32_t)(c->inh >> 32) },
    };
    return (int)syscall(SYS_capset, &hdr, data);
}

void apply_caps(const struct capsets *c)
{
    if (!c->from_plan)
        return;
    if (set_caps(c) < 0)
        die(1, "capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        die(1, "clear ambient capabilities");
    /* The kernel only lets a capability into the ambient set if it is permitted and inheritable; like
     * runc, an ambient entry the other sets do not allow is skipped rather than failing the container. */
    for (int n = 0; n < 64; n++) {
        if ((c->amb & (1ULL << n)) && (c->perm & c->inh & (1ULL << n)) &&
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, n, 0, 0) < 0)
            die(1, "raise ambient capability %d", n);
    }
}

/*
 * Enters process.cwd, resolved inside the container's root (rootfd) with no magic link on the way, so
 * /proc/self/fd/N, /proc/<pid>/cwd and the like can never lead to a host directory (CVE-2024-21626 class).
 * Tried first as root (a cwd only root can enter works for any user, as in runc) and, if that is refused,
 * again as the final user. Returns 0 when the first try was refused and should be repeated.
 */
int enter_cwd(const struct plan *pl, int rootfd, int last_try)
{
    const struct packet *cwd = plan_find(pl, P_CWD);
    char buf[4096];

    if (!cwd)
        return 1;
    int fd = open_in_container(rootfd, cwd->data, O_PATH | O_DIRECTORY, 0, 0);
    if (fd < 0 && errno == EACCES && !last_try)
        return 0;
    if (fd < 0)
        die(1, "chdir to cwd (\"%s\") set in config.json", cwd->data);
    if (fchdir(fd) < 0) {
        if (errno == EACCES && !last_try) {
            close(fd);
            return 0;
        }
        die(1, "chdir to cwd (\"%s\") set in config.json", cwd->data);
    }
    close(fd);
    /* Belt and braces: the kernel marks a cwd outside our root "(unreachable)"; it must be under "/". */
    long n = syscall(SYS_getcwd, buf, sizeof(buf));
    if (n < 0 || buf[0] != '/')
        die(0, "chdir to cwd (\"%s\") set in config.json: the directory is outside the container's root", cwd->data);
    return 1;
}

long seccomp_load_raw(const struct plan *pl)
{
    const struct packet *prog = plan_find(pl, P_SECCOMP_PROG);
    if (!prog)
        return 0;
    struct sock_fprog fprog = {
        .len = (unsigned short)(prog->len / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)prog->data,
    };
    unsigned long flags = (unsigned long)plan_number(pl, P_SECCOMP_FLAGS, 0);
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
}

static const char *env_path(char **env)
{
    for (int i = 0; env && env[i]; i++)
        if (strncmp(env[i], "PATH=", 5) == 0)
            return env[i] + 5;
    return NULL;
}

char *lookup_executable(char **args, char **env)
{
    struct stat st;
    const char *name;

    if (!args || !args[0] || !args[0][0])
        die(0, "process.args must name an executable");
    name = args[0];
    if (strchr(name, '/')) {
        if (stat(name, &st) < 0)
            die(0, "exec: \"%s\": stat %s: %s", name, name, errstr(errno));
        if (S_ISDIR(st.st_mode) || access(name, X_OK) < 0)
            die(0, "exec: \"%s\": permission denied", name);
        return (char *)name;
    }
    /* The process's own PATH only, as runc's exec.LookPath after it cleared its environment: no PATH (or an
     * empty one) finds nothing, whatever is in the usual directories. */
    const char *path = env_path(env);
    if (!path)
        path = "";
    char *copy = strdup(path), *save = NULL;
    int denied = 0;
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *cand;
        if (asprintf(&cand, "%s/%s", *dir ? dir : ".", name) < 0)
            die(1, "out of memory");
        if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
            if (access(cand, X_OK) == 0)
                return cand;
            denied = 1;
        }
        free(cand);
    }
    if (denied)
        die(0, "exec: \"%s\": permission denied", name);
    die(0, "exec: \"%s\": executable file not found in $PATH", name);
}

/* Runs the hooks of one kind in order, each with the state on stdin; a failing hook fails the container. */
void run_hooks(const struct plan *pl, uint32_t tag, const char *state_json)
{
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        char *f[MAX_FIELDS + 1];
        int pipefd[2];
        if (p->tag != tag)
            continue;
        int n = split_fields(p, f, MAX_FIELDS);
        if (n < 3)
            die(0, "malformed hook record");
        int timeout = atoi(f[0]);
        int nargs = atoi(f[2]);
        if (3 + nargs > n)
            die(0, "malformed hook record");
        char **argv = calloc((size_t)nargs + 1, sizeof(char *));
        char **envp = calloc((size_t)(n - 3 - nargs) + 1, sizeof(char *));
        for (int a = 0; a < nargs; a++)
            argv[a] = f[3 + a];
        for (int e = 3 + nargs; e < n; e++)
            envp[e - 3 - nargs] = f[e];
        const char *kind = tag == P_HOOK_CREATE_CONTAINER ? "createContainer" : "startContainer";
        hlog("run %s hook %s", kind, f[1]);
        if (pipe2(pipefd, O_CLOEXEC) < 0)
            die(1, "%s hook %s: pipe", kind, f[1]);
        pid_t pid = fork();
        if (pid < 0)
            die(1, "%s hook %s: fork", kind, f[1]);
        if (pid == 0) {
            /* A hook gets the state on stdin and our stdout/stderr, nothing else: not the sync socket, not
             * the exec fifo, not the helper image. */
            if (dup2(pipefd[0], 0) < 0 || syscall(SYS_close_range, 3, ~0U, 0) < 0)
                _exit(127);
            execve(f[1], nargs ? argv : (char *[]){ f[1], NULL }, envp);
            _exit(127);
        }
        close(pipefd[0]);
        if (state_json && write(pipefd[1], state_json, strlen(state_json)) < 0 && errno != EPIPE)
            die(1, "%s hook %s: write state", kind, f[1]);
        close(pipefd[1]);
        int status = 0;
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
            pid_t r = waitpid(pid, &status, timeout > 0 ? WNOHANG : 0);
            if (r == pid)
                break;
            if (r < 0 && errno != EINTR)
                die(1, "%s hook %s: wait", kind, f[1]);
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (timeout > 0 && now.tv_sec - start.tv_sec >= timeout) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                die(0, "%s hook %s: timed out after %d seconds", kind, f[1], timeout);
            }
            if (timeout > 0)
                usleep(10000);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && access(f[1], X_OK) < 0)
            die(0, "%s hook %s: cannot execute: %s", kind, f[1], errstr(errno));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            die(0, "%s hook %s failed: %s %d", kind, f[1], WIFEXITED(status) ? "exit status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        hlog("%s hook %s exited with status 0", kind, f[1]);
        free(argv);
        free(envp);
    }
}
