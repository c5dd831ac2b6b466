package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * The seccomp filter.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class SeccompRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.seccomp.defaultAction",
                        "unknown seccomp action \"SCMP_ACT_DENY\"; expected one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_DENY\"}"),
                rule("linux.seccomp.defaultAction",
                        "is required; give one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY",
                        "/linux/seccomp", "{\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}"),
                rule("linux.seccomp.defaultAction",
                        "SCMP_ACT_NOTIFY cannot be the default action; use it in a syscalls rule for the syscalls the agent should handle",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/agent.sock\"}"),
                rule("linux.seccomp.defaultErrnoRet",
                        "an errno can only be returned by SCMP_ACT_ERRNO or SCMP_ACT_TRACE, but defaultAction is SCMP_ACT_KILL; remove it or change the action",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}"),
                rule("linux.seccomp.architectures[1]",
                        "unknown architecture \"SCMP_ARCH_AMD64\"; see seccomp_arch_add(3) for valid names",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AMD64\"]}"),
                rule("linux.seccomp.flags[0]",
                        "unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\"; expected one of SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_FAST\"]}"),
                rule("linux.seccomp.syscalls[0].names",
                        "must list at least one syscall name, e.g. [\"mkdir\"]",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}"),
                rule("linux.seccomp.syscalls[0].action",
                        "unknown seccomp action \"SCMP_ACT_EPERM\"; expected one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_EPERM\"}]}"),
                rule("linux.seccomp.syscalls[0].errnoRet",
                        "an errno can only be returned by SCMP_ACT_ERRNO or SCMP_ACT_TRACE, but action is SCMP_ACT_ALLOW; remove it or change the action",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}"),
                rule("linux.seccomp.syscalls[0].args[0].op",
                        "unknown operator \"SCMP_CMP_EQUAL\"; expected one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQUAL\"}]}]}"),
                rule("linux.seccomp.syscalls[0].args[0].index",
                        "argument index 6 is out of range; it must be between 0 and 5",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]}]}"),
                rule("linux.seccomp.listenerPath",
                        "is required because linux.seccomp.syscalls[0].action is SCMP_ACT_NOTIFY; give the unix socket of the seccomp agent that receives the notify fd",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mknod\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"),
                rule("linux.seccomp.listenerMetadata",
                        "is only sent to a seccomp agent; set listenerPath or remove listenerMetadata",
                        "/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerMetadata\": \"x\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
