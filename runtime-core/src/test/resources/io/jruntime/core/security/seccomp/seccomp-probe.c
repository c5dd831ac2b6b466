/*
 * Test helper for SeccompKernelTest: loads a compiled seccomp filter and makes raw syscalls under it.
 *
 *   seccomp-probe FILTER|- FLAGS CALL...
 *
 * FILTER is a file of struct sock_filter bytes ("-": no filter), FLAGS the seccomp(2) flags. A CALL is
 * [i386:|x32:]NR[,ARG...]; an ARG is a number (decimal or 0x hex, up to 64 bits) or s:TEXT for a pointer to TEXT.
 * i386: makes the call with int $0x80 (AUDIT_ARCH_I386, numeric args only), x32: sets __X32_SYSCALL_BIT.
 *
 * The filter is loaded in a forked child, which records each call's result in shared memory (no syscalls needed)
 * and then exits; the parent prints, one per line:
 *   load RET ERRNO          seccomp(2)'s result (a notify fd for NEW_LISTENER)
 *   call I RET ERRNO        for every call that returned
 *   exit CODE | signal SIG  how the child ended (SIGSYS for seccomp kills and traps)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CALLS 64

struct results {
    volatile long load_ret;
    volatile int load_errno;
    volatile int done;
    volatile long ret[MAX_CALLS];
    volatile int err[MAX_CALLS];
};

struct call {
    int mode; /* 0 native, 1 i386, 2 x32 */
    long nr;
    long args[6];
};

static long int80(long nr, long a, long b, long c, long d, long e)
{
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory", "r8", "r9", "r10", "r11");
    return ret;
#else
    (void)nr; (void)a; (void)b; (void)c; (void)d; (void)e;
    return -ENOSYS;
#endif
}

static void parse(const char *spec, struct call *c)
{
    memset(c, 0, sizeof(*c));
    char *s = strdup(spec), *save = NULL;
    if (strncmp(s, "i386:", 5) == 0) {
        c->mode = 1;
        memmove(s, s + 5, strlen(s + 5) + 1);
    } else if (strncmp(s, "x32:", 4) == 0) {
        c->mode = 2;
        memmove(s, s + 4, strlen(s + 4) + 1);
    }
    char *tok = strtok_r(s, ",", &save);
    c->nr = strtol(tok, NULL, 0);
    for (int i = 0; i < 6 && (tok = strtok_r(NULL, ",", &save)); i++)
        c->args[i] = strncmp(tok, "s:", 2) == 0 ? (long)(uintptr_t)strdup(tok + 2) : (long)strtoull(tok, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILTER|- FLAGS CALL...\n", argv[0]);
        return 2;
    }
    int ncalls = argc - 3;
    if (ncalls > MAX_CALLS)
        ncalls = MAX_CALLS;
    struct call calls[MAX_CALLS];
    for (int i = 0; i < ncalls; i++)
        parse(argv[3 + i], &calls[i]);

    struct sock_fprog prog = {0};
    if (strcmp(argv[1], "-") != 0) {
        FILE *f = fopen(argv[1], "rb");
        if (!f) {
            perror(argv[1]);
            return 2;
        }
        static unsigned char buf[4096 * 8 + 8];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        prog.len = (unsigned short)(n / sizeof(struct sock_filter));
        prog.filter = (struct sock_filter *)buf;
    }
    unsigned long flags = strtoul(argv[2], NULL, 0);

    struct results *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    r->load_ret = -2;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        if (prog.filter) {
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                _exit(3);
            long ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
            r->load_errno = ret < 0 ? errno : 0;
            r->load_ret = ret;
            if (ret < 0)
                _exit(3);
        } else {
            r->load_ret = 0;
        }
        for (int i = 0; i < ncalls; i++) {
            struct call *c = &calls[i];
            long ret;
            int err = 0;
            if (c->mode == 1) {
                ret = int80(c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4]);
                if (ret < 0 && ret > -4096) {
                    err = (int)-ret;
                    ret = -1;
                }
            } else {
                long nr = c->mode == 2 ? (c->nr | 0x40000000L) : c->nr;
                errno = 0;
                ret = syscall(nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], c->args[5]);
                err = ret == -1 ? errno : 0;
            }
            r->ret[i] = ret;
            r->err[i] = err;
            r->done = i + 1;
        }
        syscall(SYS_exit_group, 0);
        __builtin_trap(); /* exit_group denied by the filter */
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            return 2;
        }
    }
    printf("load %ld %d\n", r->load_ret, r->load_errno);
    for (int i = 0; i < r->done; i++)
        printf("call %d %ld %d\n", i, r->ret[i], r->err[i]);
    if (WIFSIGNALED(status))
        printf("signal %d\n", WTERMSIG(status));
    else
        printf("exit %d\n", WEXITSTATUS(status));
    return 0;
}
