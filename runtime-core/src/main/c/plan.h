/* The launch plan as received from Java: a list of records, kept in arrival order. */
#ifndef JRUNTIME_PLAN_H
#define JRUNTIME_PLAN_H

#include "proto.h"

#define MAX_RECORDS 4096
#define MAX_FIELDS 1024

struct plan {
    int count;
    struct packet rec[MAX_RECORDS];
};

/* 0 when the whole plan arrived, 1 on EOF before END (jruntime aborted), -1 on error. */
int plan_receive(int sock, struct plan *pl);
/* First record with that tag, or NULL. */
const struct packet *plan_find(const struct plan *pl, uint32_t tag);
/* A NULL-terminated argv-like vector of the fields of the first record with that tag (NULL if absent). */
char **plan_vector(const struct plan *pl, uint32_t tag);
long long plan_number(const struct plan *pl, uint32_t tag, long long dflt);

/* Reports an error to Java (M_ERROR) and exits. Formats like printf, appends strerror(errno) when with_errno. */
void die(int with_errno, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/*
 * jruntime closed the sync socket before it confirmed: it aborted the create/exec and prints its own message,
 * so the helper exits without adding a line of its own (that line would come first and mislead).
 */
void jruntime_gone(void) __attribute__((noreturn));
extern int sync_fd;

/*
 * The debug log channel (runc's _LIBCONTAINER_LOGPIPE): a SOCK_SEQPACKET socket Java passes only with --debug
 * (P_LOG_FD). Each packet is "level\0init-S[PID]: message" (stage and pid
 * marked as runc marks nsexec's lines); Java relays it to the --log destination in the --log-format. Writes never block: a line that does not fit is dropped and counted, and the next line that fits
 * says how many were lost. log_close() runs before anything the container controls (hooks, the process).
 */
extern int log_fd;
/* '0' for stage0, '1' for the container init (and its exec counterpart), as runc's nsexec-0/nsexec-2. */
extern char log_stage;
void log_open(const struct plan *pl);
void hlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Returns how many lines were dropped and could not be reported on the channel itself (0 without --debug). */
unsigned long log_close(void);
const char *errstr(int err);

#endif
