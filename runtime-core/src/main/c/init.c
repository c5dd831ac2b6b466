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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static struct plan the_plan;

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
        die(0, "%s: jruntime went away", stage);
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

static void join_namespaces(const struct plan *pl, int user_pass)
{
    for (int i = 0; i < pl->count; i++) {
        const struct packet *p = &pl->rec[i];
        char *f[2];
        if (p->tag != P_JOIN_NS || split_fields(p, f, 2) < 2)
            continue;
        int flag = ns_flag(f[0]);
        if ((flag == CLONE_NEWUSER) != user_pass)
            continue;
        int fd = open(f[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die(1, "open %s namespace %s", f[0], f[1]);
        if (setns(fd, flag) < 0)
            die(1, "join %s namespace %s", f[0], f[1]);
        close(fd);
    }
}

static void become_root_in_userns(void)
{
    /* After the maps are written we are nobody until we switch to the mapped root (if root is mapped). */
    if (setresgid(0, 0, 0) == 0)
        (void)setresuid(0, 0, 0);
}

static void write_timens_offsets(const struct plan *pl)
{
    const struct packet *p = plan_find(pl, P_TIMENS_OFFSETS);
    if (!p || p->len == 0)
        return;
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, p->data, p->len) < 0)
        die(1, "write time namespace offsets (linux.timeOffsets)");
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
    close(s);
}

/*
 * A host /dev/null as stdio works, but pins a host mount into the container's fd table, which CRIU cannot
 * checkpoint. The container's own /dev/null behaves identically, so it replaces the host's.
 */
static void swap_devnull(const struct plan *pl)
{
    char **fds = plan_vector(pl, P_DEVNULL_FDS);
    if (!fds)
        return;
    /* Never the image's symlink (/dev/null -> /proc/sys/kernel/core_pattern would get the host's sysctl as stdio). */
    int nul = open_container_devnull();
    if (nul < 0)
        return; /* no real /dev/null in the container: keep the host's */
    for (int i = 0; fds[i]; i++)
        if (dup2(nul, atoi(fds[i])) < 0)
            die(1, "replace fd %s with the container's /dev/null", fds[i]);
    close(nul);
}

static void init_stage(const struct plan *pl, int is_create)
{
    const struct packet *rootfs = plan_find(pl, P_ROOTFS);
    char **args = plan_vector(pl, P_ARGS);
    char **env = plan_vector(pl, P_ENV);
    char *state_json;
    int fifo = -1;
    const char *fifo_name = NULL;

    /* Our own session: the container must not belong to the caller's session or terminal (CRIU also refuses
     * to dump a tree whose session leader is outside its pid namespace). */
    if (setsid() < 0)
        die(1, "setsid");
    /* Java places us in the container's cgroups, then says go; only then may a new cgroupns be made. */
    state_json = await(A_GO, "wait for cgroup setup");
    if (plan_find(pl, P_UNSHARE_CGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        die(1, "unshare cgroup namespace");

    if (is_create) {
        const struct packet *fifo_path = plan_find(pl, P_EXEC_FIFO);
        if (fifo_path) {
            /* A handle on the fifo's directory now, while the host is visible; the blocking open happens
             * relative to it after pivot_root and the user switch. Not through /proc/self/fd: once we are
             * non-dumpable and no longer root, our own /proc entries are closed to us. */
            char dir[4096];
            snprintf(dir, sizeof(dir), "%s", fifo_path->data);
            char *slash = strrchr(dir, '/');
            if (!slash || slash == dir)
                die(0, "exec fifo path %s must be absolute and not in /", fifo_path->data);
            *slash = '\0';
            fifo_name = slash + 1 - dir + fifo_path->data;
            fifo = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fifo < 0)
                die(1, "open state directory %s", dir);
        }
        if (rootfs) {
            prepare_rootfs(pl, rootfs->data);
            do_mounts(pl, rootfs->data);
        }
        if (plan_find(pl, P_RUNTIME_HOOKS)) {
            if (send_text(sync_fd, M_RUNTIME_HOOKS, "") < 0)
                die(1, "write sync socket");
            free(await(A_HOOKS_DONE, "prestart/createRuntime hooks"));
        }
        run_hooks(pl, P_HOOK_CREATE_CONTAINER, state_json);
        if (rootfs) {
            pivot_into(pl, rootfs->data);
            finish_rootfs(pl);
        }
    } else {
        enter_exec_root(pl);
    }
    swap_devnull(pl);
    apply_rlimits(pl);
    apply_early_process(pl);
    setup_terminal(pl, is_create && plan_find(pl, P_CONSOLE_BIND) != NULL);
    if (!plan_find(pl, P_NO_NEW_PRIVS))
        seccomp_handover(load_seccomp(pl)); /* without no_new_privs this needs CAP_SYS_ADMIN, so before the user switch */
    switch_user(pl);
    char *exe = lookup_executable(args, env);

    /* Nothing of the host may leak into the container: every fd above the preserved ones closes on exec. */
    int keep = 3 + (int)plan_number(pl, P_PRESERVE_FDS, 0);
    if (syscall(SYS_close_range, keep, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        die(1, "close_range");
    if (plan_find(pl, P_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        die(1, "prctl(PR_SET_NO_NEW_PRIVS)");
    /* A notify fd travels over the sync socket, which is gone after READY: with a listener, load it now. */
    int nnp_seccomp_now = plan_find(pl, P_NO_NEW_PRIVS) &&
        ((unsigned long)plan_number(pl, P_SECCOMP_FLAGS, 0) & SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (nnp_seccomp_now)
        seccomp_handover(load_seccomp(pl));

    if (send_text(sync_fd, M_READY, "") < 0)
        die(1, "write sync socket");
    /* Java closes its end once state is saved; EOF here means create finished. */
    {
        struct packet p;
        int rc = recv_packet(sync_fd, &p, NULL);
        if (rc != 0)
            die(0, "create: unexpected message from jruntime after ready");
    }
    close(sync_fd);
    sync_fd = -1;

    if (fifo >= 0) {
        int w = openat(fifo, fifo_name, O_WRONLY | O_CLOEXEC); /* blocks until `jruntime start` opens the fifo */
        if (w < 0)
            die(1, "open exec fifo for writing");
        if (write(w, "0", 1) != 1)
            die(1, "write exec fifo");
        close(w);
        close(fifo);
    }
    run_hooks(pl, P_HOOK_START_CONTAINER, state_json);
    if (plan_find(pl, P_NO_NEW_PRIVS) && !nnp_seccomp_now)
        load_seccomp(pl); /* as late as possible: the filter then only has to allow execve */
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
    prepare_restore_mountpoints(pl, rootfs->data);
    /* Our own image copy (the fd after the sync socket) must not reach CRIU. */
    if (fcntl(sync_fd + 1, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
        die(1, "fcntl");
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
    sync_fd = atoi(argv[1]);
    if (plan_receive(sync_fd, pl) < 0)
        die(1, "receive launch plan");
    const struct packet *mode = plan_find(pl, P_MODE);
    int is_create = mode && strcmp(mode->data, "create") == 0;
    if (mode && strcmp(mode->data, "restore") == 0)
        restore_stage(pl);
    unsigned long unshare_flags = (unsigned long)plan_number(pl, P_UNSHARE, 0);

    /* Mount sources only real root can reach, and idmapped ones, are opened while we still are real root. */
    int idmap_pipe = -1;
    if (is_create) {
        open_early_sources(pl);
        idmap_pipe = start_idmap_helper(pl);
    }
    /* User namespace first: every other namespace we make or join must be owned by it. */
    join_namespaces(pl, 1);
    if (unshare_flags & CLONE_NEWUSER) {
        if (unshare(CLONE_NEWUSER) < 0)
            die(1, "unshare user namespace");
        send_number(M_USERNS_READY, getpid());
        free(await(A_ACK, "write uid/gid mappings"));
    }
    finish_idmap_helper(idmap_pipe);
    if ((unshare_flags & CLONE_NEWUSER) || plan_find(pl, P_JOIN_NS))
        become_root_in_userns();
    /* Nobody in the container may ptrace or open /proc/<pid> of the helper while it holds host fds. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    join_namespaces(pl, 0);
    if (unshare(unshare_flags & ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWCGROUP)) < 0)
        die(1, "unshare namespaces (flags 0x%lx)", unshare_flags);
    write_timens_offsets(pl);
    if (plan_find(pl, P_LOOPBACK_UP))
        loopback_up();
    if (mode && strcmp(mode->data, "network") == 0) {
        /* Only the namespace setup was asked for (restore: CRIU made the network namespace empty). */
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
    send_number(M_CHILD_PID, child);
    return 0;
}
