/*
 * jruntime-init: the small native helper that does what a multi-threaded JVM cannot (unshare/setns of the
 * user and mount namespaces, pid-namespace fork, pivot_root). It holds no policy: jruntime computes a plan
 * in Java, sends it over the sync socket given as argv[1], and this program executes it in order,
 * reporting each stage back and stopping at the first error with a message naming what failed.
 *
 * Processes:  jruntime (JVM) --posix_spawn--> stage0 (host namespaces: setns/unshare, id maps, time offsets)
 *                                               \--clone(CLONE_PARENT)--> init (pid 1 of a new pid namespace;
 *                                                    mounts, pivot_root, process setup, exec fifo, execve)
 * The init is a sibling of stage0, i.e. a child of jruntime itself, so `run` and `exec` can wait for it
 * directly; stage0 exits as soon as it has reported the init pid.
 */
#include "hook.h"
#include "plan.h"
#include "process.h"
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static struct plan the_plan;
/* O_PATH handle on the exec fifo, opened as the caller before any namespace is joined (see main). */
static int exec_fifo = -1;

static int ns_flag(const char *type)
{
    static const struct { const char *name; int flag; } table[] = {
        { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "pid", CLONE_NEWPID }, { "net", CLONE_NEWNET },
        { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i].name, type) == 0)
            return table[i].flag;
    return 0;
}

/* Waits for Java's answer with the given tag; any other answer or EOF aborts. Returns the payload. */
static char *await(uint32_t tag, const char *stage)
{
    struct packet p;
    int rc = recv_packet(sync_fd, &p, NULL);
    if (rc == 0)
        jruntime_gone();
    if (rc < 0)
        die(1, "%s: read sync socket", stage);
    if (p.tag != tag)
        die(0, "%s: unexpected message %u from jruntime", stage, p.tag);
    return p.data;
}

static void send_number(uint32_t tag, long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", v);
    if (send_text(sync_fd, tag, buf) < 0)
        die(1, "write sync socket");
}

/* Hands a seccomp notify fd to Java (which passes it on to linux.seccomp.listenerPath) and waits until it did. */
static void seccomp_handover(int notify_fd)
{
    if (notify_fd < 0)
        return;
    if (send_packet(sync_fd, M_SECCOMP_NOTIFY, "", 0, notify_fd) < 0)
        die(1, "send seccomp notify fd");
    close(notify_fd);
    free(await(A_ACK, "hand the seccomp notify fd to the listener"));
}

/*
 * Namespaces to join, opened all at once before the first setns: once the mount namespace is joined, the
 * paths (/proc/<pid>/ns/...) would be looked up in the container's /proc, where that pid means nothing or
 * something the container chose.
 */
struct ns_join {
    int fd;
    int flag;
    const char *type, *path;
};
static struct ns_join joins[16];
static int njoins;

static void open_namespaces(const struct plan *pl)
{
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        char *f[2];
        if (p->tag != P_JOIN_NS || split_fields(p, f, 2) < 2)
            continue;
        if (njoins == (int)(sizeof(joins) / sizeof(joins[0])))
            die(0, "too many namespaces to join");
        struct ns_join *j = &joins[njoins++];
        j->type = f[0];
        j->path = f[1];
        j->flag = ns_flag(f[0]);
        j->fd = open(f[1], O_RDONLY | O_CLOEXEC);
        if (j->fd < 0)
            die(1, "open %s namespace %s", f[0], f[1]);
    }
}

static void join_namespaces(int user_pass)
{
    for (int i = 0; i < njoins; i++) {
        struct ns_join *j = &joins[i];
        if ((j->flag == CLONE_NEWUSER) != user_pass)
            continue;
        if (setns(j->fd, j->flag) < 0)
            die(1, "join %s namespace %s", j->type, j->path);
        hlog("setns(0x%x) into %s namespace (with path %s)", j->flag, j->type, j->path);
        close(j->fd);
        j->fd = -1;
    }
}

static void become_root_in_userns(void)
{
    /* After the maps are written we are nobody until we switch to the mapped root (if root is mapped). */
    if (setresgid(0, 0, 0) == 0)
        (void)setresuid(0, 0, 0);
}

/* Opened through the host's /proc before any namespace is joined; written once the time namespace exists. */
static int open_timens_offsets(const struct plan *pl)
{
    const struct packet *p = plan_find(pl, P_TIMENS_OFFSETS);
    if (!p || p->len == 0)
        return -1;
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        die(1, "open /proc/self/timens_offsets (linux.timeOffsets)");
    return fd;
}

static void write_timens_offsets(const struct plan *pl, int fd)
{
    const struct packet *p = plan_find(pl, P_TIMENS_OFFSETS);
    if (fd < 0)
        return;
    if (write(fd, p->data, p->len) < 0)
        die(1, "write time namespace offsets (linux.timeOffsets)");
    hlog("time namespace offsets written");
    close(fd);
}

static void loopback_up(void)
{
    struct ifreq ifr = { 0 };
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (s < 0)
        die(1, "socket for loopback setup");
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        die(1, "read flags of lo");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
        die(1, "bring up lo in the container's network namespace");
    hlog("loopback interface lo brought up");
    close(s);
}

/*
 * A host /dev/null as stdio works, but pins a host mount into the container's fd table, which CRIU cannot
 * checkpoint. The container's own /dev/null behaves identically, so it replaces the host's -- but only a real
 * one: resolved in the root without any symlink (an image's /dev/null -> /proc/sys/kernel/core_pattern must
 * not become the process's stdout) and checked to be the char device 1:3. Anything else keeps the host's.
 */
static void swap_devnull(const struct plan *pl, int rootfd)
{
    struct stat st;
    char **fds = plan_vector(pl, P_DEVNULL_FDS);
    if (!fds)
        return;
    int nul = open_in_container(rootfd, "/dev/null", O_RDWR | O_NOCTTY | O_NONBLOCK, 0, RESOLVE_NO_SYMLINKS);
    if (nul < 0)
        return; /* no /dev/null in the container: keep the host's */
    if (fstat(nul, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
        close(nul);
        return;
    }
    for (int i = 0; fds[i]; i++)
        if (dup2(nul, atoi(fds[i])) < 0)
            die(1, "replace fd %s with the container's /dev/null", fds[i]);
    close(nul);
}

/*
 * The exec fifo is held as an O_PATH fd on the fifo itself, never on its directory: a directory fd of the
 * host would be a way out of the container for a cwd of /proc/self/fd/N (CVE-2024-21626 class).
 */
static int open_exec_fifo(const char *path)
{
    struct stat st;
    int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0)
        die(1, "open exec fifo %s", path);
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
        die(0, "exec fifo %s is not a fifo", path);
    return fd;
}

/*
 * The container's procfs, verified: resolved in the root without symlinks and the root inode of a procfs
 * (the container could otherwise put a tmpfs with a crafted self/fd/N there). -1 when there is none.
 */
static int verified_procfs_root(int fd)
{
    struct statfs sf;
    struct stat st;

    if (fd < 0)
        return -1;
    if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC || fstat(fd, &st) < 0 || st.st_ino != 1) {
        close(fd);
        return -1;
    }
    return fd;
}

static int open_container_proc(int rootfd)
{
    int fd = verified_procfs_root(open_in_container(rootfd, "/proc", O_PATH | O_DIRECTORY, 0, RESOLVE_NO_SYMLINKS));

    if (fd < 0 && chroot_procfd >= 0) {
        /* A container without a mount namespace whose rootfs has no proc mounted: the host's, taken before the
         * chroot (it shares the host's mount table anyway; cwd is resolved without magic links, so it cannot use it). */
        fd = verified_procfs_root(chroot_procfd);
        chroot_procfd = -1;
    }
    return fd;
}

/* Blocks until `jruntime start` opens the fifo for reading, then tells it the process is about to exec. */
static void await_start(int fifo, int procfd)
{
    char name[64];

    if (procfd < 0)
        die(0, "the exec fifo is reopened through /proc/self/fd: the container needs a proc mount at /proc");
    snprintf(name, sizeof(name), "self/fd/%d", fifo);
    int w = openat(procfd, name, O_WRONLY | O_CLOEXEC);
    if (w < 0)
        die(1, "open exec fifo for writing");
    if (write(w, "0", 1) != 1)
        die(1, "write exec fifo");
    close(w);
    close(fifo);
    close(procfd);
}

#define CAP_SYS_ADMIN_BIT (1ULL << 21)

/*
 * Loads the container's seccomp filter. Without no_new_privs the kernel wants CAP_SYS_ADMIN for that: when the
 * process does not keep it, the helper held it (hold_admin, see init_stage) and drops it with a single capset
 * right after the load -- the one call the helper makes under the filter besides execve and the
 * startContainer hooks. Returns the seccomp(2) result (the notify fd with a listener), or -1 with errno.
 */
static long load_filter_last(const struct plan *pl, const struct capsets *final, int hold_admin)
{
    long rc = seccomp_load_raw(pl);
    int saved = errno;
    if (hold_admin && set_caps(final) < 0)
        die(1, "capset after loading the seccomp filter (the profile must allow capset when "
               "noNewPrivileges is false and the process lacks CAP_SYS_ADMIN)");
    errno = saved;
    return rc;
}

static int load_filter_or_die(const struct plan *pl, const struct capsets *final, int hold_admin)
{
    long rc = load_filter_last(pl, final, hold_admin);
    if (rc < 0)
        die(1, "load seccomp filter");
    return ((unsigned long)plan_number(pl, P_SECCOMP_FLAGS, 0) & SECCOMP_FILTER_FLAG_NEW_LISTENER) ? (int)rc : -1;
}

/*
 * Without a listener the filter is loaded after READY (see init_stage), when an error could no longer reach
 * jruntime; a child loads it first, with the same credentials, so a filter the kernel refuses still fails the
 * create or exec with the kernel's reason.
 */
static void probe_seccomp(const struct plan *pl, const struct capsets *final, int hold_admin)
{
    int status;
    pid_t pid = fork();

    if (pid < 0)
        die(1, "fork to check the seccomp filter");
    if (pid == 0) {
        sync_fd = -1;
        _exit(load_filter_last(pl, final, hold_admin) < 0 ? (errno & 0xff ? errno & 0xff : 255) : 0);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die(1, "wait for the seccomp check");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    if (WIFSIGNALED(status))
        die(0, "load seccomp filter: the helper was killed (signal %d) by the filter right after loading it "
               "(the profile must allow capset when noNewPrivileges is false)", WTERMSIG(status));
    errno = WEXITSTATUS(status);
    die(1, "load seccomp filter");
}

static void init_stage(const struct plan *pl, int is_create)
{
    const struct packet *rootfs = plan_find(pl, P_ROOTFS);
    char **args = plan_vector(pl, P_ARGS);
    char **env = plan_vector(pl, P_ENV);
    char *state_json;

    /* Our own session: the container must not belong to the caller's session or terminal (CRIU also refuses
     * to dump a tree whose session leader is outside its pid namespace). */
    log_stage = '1';
    hlog("~> container init (%s)", is_create ? "create" : "exec");
    if (setsid() < 0)
        die(1, "setsid");
    /* Java places us in the container's cgroups, then says go; only then may a new cgroupns be made. */
    state_json = await(A_GO, "wait for cgroup setup");
    hlog("placed in the container's cgroups by jruntime");
    if (plan_find(pl, P_UNSHARE_CGROUP)) {
        if (unshare(CLONE_NEWCGROUP) < 0)
            die(1, "unshare cgroup namespace");
        hlog("unshared the cgroup namespace");
    }

    if (is_create) {
        if (rootfs) {
            prepare_rootfs(pl, rootfs->data);
            do_mounts(pl, rootfs->data);
        }
        if (plan_find(pl, P_RUNTIME_HOOKS)) {
            hlog("asking jruntime to run the prestart/createRuntime hooks");
            if (send_text(sync_fd, M_RUNTIME_HOOKS, "") < 0)
                die(1, "write sync socket");
            free(await(A_HOOKS_DONE, "prestart/createRuntime hooks"));
        }
        /* createContainer hooks run with the rootfs as their working directory, as in runc. */
        if (rootfs && chdir(rootfs->data) < 0)
            die(1, "chdir to rootfs %s", rootfs->data);
        run_hooks(pl, P_HOOK_CREATE_CONTAINER, state_json);
        if (rootfs) {
            pivot_into(pl, rootfs->data);
            /* A missing cwd is created (runc: MkdirAll), inside the root, before / may become read-only. */
            const struct packet *cwd = plan_find(pl, P_CWD);
            if (cwd) {
                int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                int d = root < 0 ? -1 : open_in_root(root, cwd->data, 'd', "create cwd");
                if (d < 0)
                    die(1, "chdir to cwd (\"%s\") set in config.json", cwd->data);
                close(d);
                close(root);
            }
            finish_rootfs(pl);
            hlog("sysctls, masked and read-only paths applied");
        }
    } else {
        enter_exec_root(pl);
    }
    /* From here on every path is the container's: resolved under its root, never followed out of it. */
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        die(1, "open the container's root");
    int procfd = exec_fifo >= 0 ? open_container_proc(rootfd) : -1;
    if (chroot_procfd >= 0) {
        close(chroot_procfd); /* the container's own proc is used, or no fifo needs one */
        chroot_procfd = -1;
    }
    swap_devnull(pl, rootfd);
    apply_rlimits(pl);
    apply_early_process(pl);
    hlog("rlimits, hostname, domainname and keyring applied");
    setup_terminal(pl, rootfd, is_create && plan_find(pl, P_CONSOLE_BIND) != NULL);
    if (plan_find(pl, P_TERMINAL))
        hlog("terminal set up and sent to jruntime");
    drop_bounding(pl);
    int in_cwd = enter_cwd(pl, rootfd, 0); /* as root first: a cwd only root can enter still works */
    set_ids(pl);
    if (!in_cwd)
        enter_cwd(pl, rootfd, 1);
    close(rootfd);
    hlog("capability bounding set dropped, user set (uid %d, gid %d), cwd entered", (int)getuid(), (int)getgid());
    char *exe = lookup_executable(args, env);
    hlog("executable resolved: %s", exe);

    /* Nothing of the host may leak into the container: every fd above the preserved ones closes on exec.
     * Done now, because the seccomp filter loaded later need not allow close_range. */
    int keep = 3 + (int)plan_number(pl, P_PRESERVE_FDS, 0);
    if (syscall(SYS_close_range, keep, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        die(1, "close_range");
    int nnp = plan_find(pl, P_NO_NEW_PRIVS) != NULL;
    if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        die(1, "prctl(PR_SET_NO_NEW_PRIVS)");
    struct capsets final, hold;
    final_caps(pl, &final);
    int seccomp = plan_find(pl, P_SECCOMP_PROG) != NULL;
    /* Without no_new_privs, loading the filter needs CAP_SYS_ADMIN: held until the load if the process lacks it. */
    int hold_admin = seccomp && !nnp && !(final.eff & CAP_SYS_ADMIN_BIT);
    hold = final;
    if (hold_admin) {
        hold.eff |= CAP_SYS_ADMIN_BIT;
        hold.perm |= CAP_SYS_ADMIN_BIT;
    }
    if (nnp)
        hlog("no_new_privs set");
    if (hold.from_plan)
        apply_caps(&hold);
    else if (hold_admin && set_caps(&hold) < 0)
        hold_admin = 0; /* not ours to hold: the load below reports the kernel's refusal */
    /* A notify fd travels over the sync socket, which is gone after READY: with a listener, load it now. */
    int listener = seccomp && ((unsigned long)plan_number(pl, P_SECCOMP_FLAGS, 0) & SECCOMP_FILTER_FLAG_NEW_LISTENER);
    hlog("capabilities set (effective 0x%llx, permitted 0x%llx, ambient 0x%llx)", final.eff, final.perm, final.amb);
    if (listener) {
        seccomp_handover(load_filter_or_die(pl, &final, hold_admin));
        hlog("seccomp filter loaded, notify fd handed to jruntime");
    } else if (seccomp) {
        probe_seccomp(pl, &final, hold_admin);
        hlog("seccomp filter checked by a probe load; loaded after start as the last step before exec");
    }

    hlog("<~ ready: %s", exec_fifo >= 0 ? "waiting on the exec fifo for start" : "about to exec");
    /* The log channel is the host's: it is gone before anything the container controls runs (the fifo wait
     * ends in startContainer hooks and the process). */
    /* READY carries the count of log lines the full channel swallowed to the end (Java says so in the log). */
    char dropped[32] = "";
    unsigned long lost = log_close();
    if (lost)
        snprintf(dropped, sizeof(dropped), "%lu", lost);
    if (send_text(sync_fd, M_READY, dropped) < 0)
        die(1, "write sync socket");
    /* Java confirms once the state is saved; EOF instead means it aborted the create: nothing to do here. */
    free(await(A_COMMIT, "wait for jruntime to save the state"));
    close(sync_fd);
    sync_fd = -1;

    if (exec_fifo >= 0)
        await_start(exec_fifo, procfd);
    /* The filter is the last step before the process (runc's order): startContainer hooks run under it. */
    if (seccomp && !listener)
        load_filter_or_die(pl, &final, hold_admin);
    run_hooks(pl, P_HOOK_START_CONTAINER, state_json);
    execve(exe, args, env ? env : (char *[]){ NULL });
    die(1, "exec %s", exe);
}

/*
 * Mode "restore": become CRIU in a private mount namespace. Mountpoints are prepared (see
 * prepare_restore_mountpoints) and the rootfs bound onto itself there, then CRIU is exec'd with the fds
 * jruntime mapped for it. Whatever CRIU mounts or leaves behind lives and dies with that namespace.
 */
static void restore_stage(const struct plan *pl)
{
    const struct packet *rootfs = plan_find(pl, P_ROOTFS);
    char **args = plan_vector(pl, P_ARGS);
    char **env = plan_vector(pl, P_ENV);

    if (!rootfs || !args || !args[0])
        die(0, "restore plan needs a rootfs and the CRIU command");
    if (unshare(CLONE_NEWNS) < 0)
        die(1, "unshare a private mount namespace for CRIU");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        die(1, "make the mount namespace for CRIU private");
    hlog("private mount namespace for CRIU made");
    prepare_restore_mountpoints(pl, rootfs->data);
    hlog("restore mountpoints prepared under %s; exec %s", rootfs->data, args[0]);
    log_close();
    if (send_text(sync_fd, M_READY, "") < 0)
        die(1, "write sync socket");
    close(sync_fd);
    sync_fd = -1;
    execve(args[0], args, env ? env : (char *[]){ NULL });
    fprintf(stderr, "jruntime-init: exec %s: %s\n", args[0], errstr(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    struct plan *pl = &the_plan;

    if (argc < 2) {
        fprintf(stderr, "jruntime-init is started by jruntime; it is not a command to run by hand\n");
        return 2;
    }
    if (strcmp(argv[1], "hook") == 0)
        hook_stage(argc, argv);
    sync_fd = atoi(argv[1]);
    /* Everything above the sync socket (our own image copy, anything leaked) closes before any work. */
    if (syscall(SYS_close_range, sync_fd + 1, ~0U, 0) < 0)
        die(1, "close_range");
    int rc = plan_receive(sync_fd, pl);
    if (rc == 1)
        jruntime_gone();
    if (rc < 0)
        die(1, "receive launch plan");
    log_open(pl);
    const struct packet *mode = plan_find(pl, P_MODE);
    hlog("~> jruntime-init stage-0: launch plan of %d records, mode %s", pl->count, mode ? mode->data : "?");
    int is_create = mode && strcmp(mode->data, "create") == 0;
    if (mode && strcmp(mode->data, "restore") == 0)
        restore_stage(pl);
    unsigned long unshare_flags = (unsigned long)plan_number(pl, P_UNSHARE, 0);
    const struct packet *fifo_path = plan_find(pl, P_EXEC_FIFO);
    if (is_create && fifo_path) {
        /* The state directories are 0700 and owned by the caller: reach the fifo now, with the caller's
         * credentials, before a user namespace or a user switch could take that access away. O_PATH on the fifo
         * itself, never on a directory, so no host directory is reachable from the init's fd table. */
        exec_fifo = open_exec_fifo(fifo_path->data);
        hlog("exec fifo %s opened (O_PATH)", fifo_path->data);
    }

    /* Mount sources only real root can reach, and idmapped ones, are opened while we still are real root. */
    int idmap_pipe = -1;
    if (is_create) {
        open_early_sources(pl);
        idmap_pipe = start_idmap_helper(pl);
    }
    /* Host facts and host /proc first, before any namespace of the container is joined. */
    apply_host_process(pl);
    int timens_fd = open_timens_offsets(pl);
    open_namespaces(pl);
    /* User namespace first: every other namespace we make or join must be owned by it. */
    join_namespaces(1);
    if (unshare_flags & CLONE_NEWUSER) {
        if (unshare(CLONE_NEWUSER) < 0)
            die(1, "unshare user namespace");
        hlog("unshared the user namespace; asking jruntime to write the id maps");
        send_number(M_USERNS_READY, getpid());
        free(await(A_ACK, "write uid/gid mappings"));
        hlog("id maps written");
    }
    finish_idmap_helper(idmap_pipe);
    if ((unshare_flags & CLONE_NEWUSER) || plan_find(pl, P_JOIN_NS))
        become_root_in_userns();
    /* Nobody in the container may ptrace or open /proc/<pid> of the helper while it holds host fds. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    join_namespaces(0);
    if (unshare(unshare_flags & ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWCGROUP)) < 0)
        die(1, "unshare namespaces (flags 0x%lx)", unshare_flags);
    hlog("unshared namespaces 0x%lx (user and cgroup apart)", unshare_flags & ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWCGROUP));
    write_timens_offsets(pl, timens_fd);
    if (plan_find(pl, P_LOOPBACK_UP))
        loopback_up();
    if (mode && strcmp(mode->data, "network") == 0) {
        /* Only the namespace setup was asked for (restore: CRIU made the network namespace empty). */
        log_close();
        if (send_text(sync_fd, M_READY, "") < 0)
            die(1, "write sync socket");
        return 0;
    }

    /* CLONE_PARENT: the init becomes jruntime's child, not ours (see the top of this file). */
    pid_t child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, 0);
    if (child < 0)
        die(1, "clone container init");
    if (child == 0) {
        init_stage(pl, is_create);
        _exit(1);
    }
    hlog("cloned the container init (pid %d); <~ stage-0 done", (int)child);
    log_close();
    send_number(M_CHILD_PID, child);
    return 0;
}
