/* Mode "hook": the trampoline host-side hooks are started through (see hook.c). */
#ifndef JRUNTIME_HOOK_H
#define JRUNTIME_HOOK_H

/* argv: jruntime-init hook ERRFD PARENT PATH ARG0 [ARGS...]. Never returns. */
__attribute__((noreturn)) void hook_stage(int argc, char **argv);

#endif
