/*
 * Mode "hook" of jruntime-init: every host-side hook (prestart, createRuntime, poststart, poststop) is started
 * through this trampoline, so that a hook never outlives the jruntime that runs it. A jruntime killed while a hook
 * runs (kill -9, OOM, the daemon serving the command killed) would otherwise leave the hook running as an orphan,
 * possibly for ever (a hook that waits for its container), with nobody to stop it.
 *
 * The trampoline asks the kernel to SIGKILL it when its parent dies (PR_SET_PDEATHSIG, kept across the execve
 * below unless the hook is set-user-ID or has file capabilities) and then checks that the parent had not already
 * died before that request (getppid() is then no longer jruntime). The kernel sends the signal when the parent
 * *thread* exits, so jruntime starts and waits for each hook on a thread that lives until the hook is reaped.
 * Whatever the hook started itself stays in its session (jruntime makes every hook a session leader): a delete of
 * a container whose create died kills that session from the record (ContainerDeleter.undo).
 *
 * An exec failure is written as an int errno to ERRFD (close-on-exec, so EOF there means the hook runs), and Java
 * reports it as it reported a failed posix_spawn before this trampoline existed.
 */
#include "hook.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

__attribute__((noreturn)) static void report(int errfd, int err)
{
    ssize_t ignored = write(errfd, &err, sizeof(err));
    (void)ignored;
    _exit(127);
}

void hook_stage(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "jruntime-init hook: expected ERRFD PARENT PATH ARG0 [ARGS...]\n");
        _exit(2);
    }
    int errfd = atoi(argv[2]);
    pid_t parent = (pid_t)atol(argv[3]);
    if (fcntl(errfd, F_SETFD, FD_CLOEXEC) < 0)
        _exit(127);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        report(errfd, errno);
    /* jruntime died before the request above: nobody would ever stop this hook */
    if (getppid() != parent)
        _exit(128 + SIGKILL);
    execve(argv[4], argv + 5, environ);
    report(errfd, errno);
}
