/* Per-process settings applied just before exec: identity, capabilities, limits, terminal, seccomp. */
#ifndef JRUNTIME_PROCESS_H
#define JRUNTIME_PROCESS_H

#include "plan.h"

#include <sys/types.h>

/* openat2 of path under rootfd with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra resolve flags, O_CLOEXEC. */
int open_in_container(int rootfd, const char *path, int flags, mode_t mode, unsigned long long resolve);
void apply_host_process(const struct plan *pl);
void apply_rlimits(const struct plan *pl);
void apply_early_process(const struct plan *pl);
/* rootfd: the container's root; console_bind: also bind the slave to /dev/console. */
void setup_terminal(const struct plan *pl, int rootfd, int console_bind);
void drop_bounding(const struct plan *pl);
void set_ids(const struct plan *pl);
int enter_cwd(const struct plan *pl, int rootfd, int last_try);

/* The capability sets the process ends with (from the plan, else what the uid change left). */
struct capsets {
    unsigned long long eff, perm, inh, amb;
    int from_plan;
};
void final_caps(const struct plan *pl, struct capsets *c);
int set_caps(const struct capsets *c);
/* capset to c plus the ambient raises (nothing when the config has no capabilities). */
void apply_caps(const struct capsets *c);
/* The seccomp(2) call itself: its result, or -1 with errno (0 when the plan has no filter). */
long seccomp_load_raw(const struct plan *pl);
/* Resolves args[0] against PATH from the process env, as the final user; dies with a Go-style message. */
char *lookup_executable(char **args, char **env);
void run_hooks(const struct plan *pl, uint32_t tag, const char *state_json);

#endif
