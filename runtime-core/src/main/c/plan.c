#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

int sync_fd = -1;
int log_fd = -1;
char log_stage = '0';
static unsigned long log_dropped;

void log_open(const struct plan *pl)
{
    const struct packet *p = plan_find(pl, P_LOG_FD);
    if (!p)
        return;
    log_fd = atoi(p->data);
    /* Never inherited across an exec (hooks, CRIU, the process): closed explicitly before those anyway. */
    if (log_fd <= 2 || fcntl(log_fd, F_SETFD, FD_CLOEXEC) < 0)
        log_fd = -1;
}

static int log_send(const char *text, size_t len)
{
    /* MSG_DONTWAIT: a full channel (Java not reading) drops the line instead of stalling the container's
     * setup; MSG_NOSIGNAL: a jruntime that is gone is no reason to die. */
    ssize_t n;
    do {
        n = send(log_fd, text, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : 0;
}

void hlog(const char *fmt, ...)
{
    char msg[1024];
    int saved = errno;
    va_list ap;

    if (log_fd < 0)
        return;
    if (log_dropped) {
        int n = snprintf(msg, sizeof(msg), "debug%cinit-%c[%d]: %lu log line(s) dropped: the log channel was full",
                         '\0', log_stage, (int)getpid(), log_dropped);
        if (log_send(msg, (size_t)n) == 0)
            log_dropped = 0;
    }
    memcpy(msg, "debug", 6);
    /* Marked as runc marks nsexec's lines: stage and pid (the pid as this process sees itself). */
    int pre = snprintf(msg + 6, sizeof(msg) - 6, "init-%c[%d]: ", log_stage, (int)getpid());
    va_start(ap, fmt);
    vsnprintf(msg + 6 + pre, sizeof(msg) - 6 - (size_t)pre, fmt, ap);
    va_end(ap);
    if (log_send(msg, 6 + strlen(msg + 6)) < 0)
        log_dropped++;
    errno = saved;
}

unsigned long log_close(void)
{
    if (log_fd >= 0) {
        hlog("closing the log channel");
        close(log_fd);
        log_fd = -1;
    }
    return log_dropped;
}

int plan_receive(int sock, struct plan *pl)
{
    pl->count = 0;
    for (;;) {
        struct packet p;
        int rc = recv_packet(sock, &p, NULL);
        if (rc == 0)
            return 1; /* jruntime closed the socket: it aborted and reports why itself */
        if (rc < 0)
            return -1;
        if (p.tag == P_END) {
            free(p.data);
            return 0;
        }
        if (pl->count == MAX_RECORDS) {
            errno = E2BIG;
            return -1;
        }
        pl->rec[pl->count++] = p;
    }
}

const struct packet *plan_find(const struct plan *pl, uint32_t tag)
{
    for (int i = 0; i < pl->count; i++)
        if (pl->rec[i].tag == tag)
            return &pl->rec[i];
    return NULL;
}

char **plan_vector(const struct plan *pl, uint32_t tag)
{
    const struct packet *p = plan_find(pl, tag);
    char **v;
    int n;

    if (!p)
        return NULL;
    v = calloc(MAX_FIELDS + 1, sizeof(char *));
    if (!v)
        die(1, "out of memory");
    n = split_fields(p, v, MAX_FIELDS);
    v[n] = NULL;
    return v;
}

long long plan_number(const struct plan *pl, uint32_t tag, long long dflt)
{
    const struct packet *p = plan_find(pl, tag);
    return p ? strtoll(p->data, NULL, 10) : dflt;
}

const char *errstr(int err)
{
    /* Go-style lowercase text ("no such file or directory"): engines match these phrases. */
    static char buf[128];
    size_t i;

    snprintf(buf, sizeof(buf), "%s", strerror(err));
    for (i = 0; buf[i]; i++)
        if (buf[i] >= 'A' && buf[i] <= 'Z')
            buf[i] = (char)(buf[i] - 'A' + 'a');
    return buf;
}

void die(int with_errno, const char *fmt, ...)
{
    char msg[4096];
    int saved = errno;
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    n = strlen(msg);
    /* errno 0 is no error: never print "success" as a reason. */
    if (with_errno && saved != 0 && n < sizeof(msg) - 2)
        snprintf(msg + n, sizeof(msg) - n, ": %s", errstr(saved));
    if (sync_fd >= 0 && send_text(sync_fd, M_ERROR, msg) == 0)
        _exit(1);
    /* jruntime went away (the sync socket is closed): it is not waiting for this, and a line on the engine's stderr
     * from us would only hide jruntime's (or its daemon client's) own report */
    if (sync_fd >= 0 && (errno == EPIPE || errno == ECONNRESET))
        jruntime_gone();
    fprintf(stderr, "jruntime-init: %s\n", msg);
    _exit(1);
}

void jruntime_gone(void)
{
    _exit(1);
}
