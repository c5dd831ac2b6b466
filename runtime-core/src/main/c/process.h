/* Per-process settings applied just before exec: identity, capabilities, limits, terminal, seccomp. */
#ifndef JRUNTIME_PROCESS_H
#define JRUNTIME_PROCESS_H

#include "plan.h"

void apply_rlimits(const struct plan *pl);
void apply_early_process(const struct plan *pl);
void setup_terminal(const struct plan *pl, int console_bind);
void switch_user(const struct plan *pl);
/* Loads the filter; returns the notify fd when the plan asks for a listener, else -1. */
int load_seccomp(const struct plan *pl);
/* Resolves args[0] against PATH from the process env, as the final user; dies with a Go-style message. */
char *lookup_executable(char **args, char **env);
void run_hooks(const struct plan *pl, uint32_t tag, const char *state_json);

#endif
