#include "proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int recv_packet(int sock, struct packet *p, int *received_fd)
{
    static char buf[MAX_PACKET];
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
    ssize_t n;

    if (received_fd)
        *received_fd = -1;
    do {
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    /* EOF, or the peer closed while packets of ours were still unread (a reset): either way it is gone */
    if (n == 0 || (n < 0 && errno == ECONNRESET))
        return 0;
    if (n < 4 || (msg.msg_flags & MSG_TRUNC)) {
        if (n >= 0)
            errno = EPROTO;
        return -1;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && received_fd)
            memcpy(received_fd, CMSG_DATA(c), sizeof(int));
    }
    memcpy(&p->tag, buf, 4);
    p->len = (size_t)n - 4;
    p->data = malloc(p->len + 1);
    if (!p->data)
        return -1;
    memcpy(p->data, buf + 4, p->len);
    p->data[p->len] = '\0';
    return 1;
}

int send_packet(int sock, uint32_t tag, const void *data, size_t len, int fd_to_pass)
{
    char *buf = malloc(len + 4);
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov;
    struct msghdr msg = { 0 };
    ssize_t n;

    if (!buf)
        return -1;
    memcpy(buf, &tag, 4);
    if (len)
        memcpy(buf + 4, data, len);
    iov.iov_base = buf;
    iov.iov_len = len + 4;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (fd_to_pass >= 0) {
        memset(cbuf, 0, sizeof(cbuf));
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof(cbuf);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
    }
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    free(buf);
    return n < 0 ? -1 : 0;
}

int send_text(int sock, uint32_t tag, const char *text)
{
    return send_packet(sock, tag, text, strlen(text), -1);
}

int split_fields(const struct packet *p, char **fields, int max)
{
    int count = 0;
    size_t i = 0;

    if (p->len == 0)
        return 0;
    while (i <= p->len && count < max) {
        fields[count++] = p->data + i;
        i += strlen(p->data + i) + 1;
        if (i > p->len)
            break;
    }
    return count;
}
