package io.jruntime.spec;

import java.util.List;

/** linux.seccomp: names libseccomp must understand, and the combinations it or the kernel would refuse. */
final class SeccompRules {

    private static final String PATH = "linux.seccomp";
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";
    private static final List<String> ACTIONS_WITH_ERRNO = List.of("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE");
    private static final long MAX_ARG_INDEX = 5;

    private SeccompRules() {
    }

    static void check(Seccomp seccomp, ViolationCollector out) {
        String defaultActionPath = JsonPath.field(PATH, "defaultAction");
        checkAction(defaultActionPath, seccomp.defaultAction(), out);
        if (NOTIFY.equals(seccomp.defaultAction())) {
            out.add(defaultActionPath, "SCMP_ACT_NOTIFY cannot be the default action; use it in a syscalls rule"
                    + " for the syscalls the agent should handle");
        }
        checkErrno(JsonPath.field(PATH, "defaultErrnoRet"), seccomp.defaultErrnoRet(), seccomp.defaultAction(),
                "defaultAction", out);
        out.knownNames(JsonPath.field(PATH, "architectures"), seccomp.architectures(),
                KnownValues.SECCOMP_ARCHITECTURES, "architecture", "seccomp_arch_add(3)");
        out.knownNames(JsonPath.field(PATH, "flags"), seccomp.flags(), KnownValues.SECCOMP_FLAGS, "seccomp flag",
                "seccomp(2)");
        String notifyRule = checkSyscalls(seccomp.syscalls(), out);
        if (notifyRule != null && !ViolationCollector.isSet(seccomp.listenerPath())) {
            out.add(JsonPath.field(PATH, "listenerPath"), "is required because " + notifyRule
                    + " is SCMP_ACT_NOTIFY; give the unix socket of the seccomp agent that receives the notify fd");
        }
        boolean hasListener = ViolationCollector.isSet(seccomp.listenerPath());
        if (ViolationCollector.isSet(seccomp.listenerMetadata()) && !hasListener) {
            out.add(JsonPath.field(PATH, "listenerMetadata"), "is only sent to a seccomp agent; set listenerPath"
                    + " or remove listenerMetadata");
        }
    }

    /** Checks every rule and returns the path of the first SCMP_ACT_NOTIFY action, or null. */
    private static String checkSyscalls(List<Seccomp.Syscall> syscalls, ViolationCollector out) {
        if (syscalls == null) {
            return null;
        }
        String notifyRule = null;
        for (int i = 0; i < syscalls.size(); i++) {
            Seccomp.Syscall syscall = syscalls.get(i);
            String at = JsonPath.index(JsonPath.field(PATH, "syscalls"), i);
            checkSyscallNames(JsonPath.field(at, "names"), syscall.names(), out);
            String actionPath = JsonPath.field(at, "action");
            checkAction(actionPath, syscall.action(), out);
            if (NOTIFY.equals(syscall.action()) && notifyRule == null) {
                notifyRule = actionPath;
            }
            checkErrno(JsonPath.field(at, "errnoRet"), syscall.errnoRet(), syscall.action(), "action", out);
            checkArgs(JsonPath.field(at, "args"), syscall.args(), out);
        }
        return notifyRule;
    }

    private static void checkSyscallNames(String path, List<String> names, ViolationCollector out) {
        if (names == null || names.isEmpty()) {
            out.add(path, "must list at least one syscall name, e.g. [\"mkdir\"]");
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isBlank()) {
                out.add(JsonPath.index(path, i), "a syscall name must not be empty");
            }
        }
    }

    private static void checkAction(String path, String action, ViolationCollector out) {
        out.knownName(path, action, KnownValues.SECCOMP_ACTIONS, "seccomp action", "seccomp_rule_add(3)");
    }

    /** The spec requires an error when an errno is given for an action that cannot return one. */
    private static void checkErrno(String path, Long errno, String action, String actionField,
                                   ViolationCollector out) {
        if (errno != null && action != null && !ACTIONS_WITH_ERRNO.contains(action)) {
            out.add(path, "an errno can only be returned by SCMP_ACT_ERRNO or SCMP_ACT_TRACE, but " + actionField
                    + " is " + action + "; remove it or change the action");
        }
    }

    private static void checkArgs(String path, List<Seccomp.Arg> args, ViolationCollector out) {
        if (args == null) {
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            Seccomp.Arg arg = args.get(i);
            String at = JsonPath.index(path, i);
            out.required(JsonPath.field(at, "index"), arg.index(), "give the argument position (0 to 5)");
            out.range(JsonPath.field(at, "index"), arg.index() == null ? null : arg.index().longValue(), 0,
                    MAX_ARG_INDEX, "argument index");
            out.required(JsonPath.field(at, "value"), arg.value(), "give the value to compare the argument with");
            out.knownName(JsonPath.field(at, "op"), arg.op(), KnownValues.SECCOMP_OPERATORS, "operator",
                    "seccomp_rule_add(3)");
        }
    }
}
