package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * Sysctls may only be set when a namespace of the container isolates them.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class SysctlRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.sysctl[\"net.ipv4.ip_forward\"]",
                        "setting \"net.ipv4.ip_forward\" needs a network namespace; add {\"type\": \"network\"} to linux.namespaces or remove the sysctl",
                        "/linux/sysctl", "{\"net.ipv4.ip_forward\": \"1\"}",
                        "/linux/namespaces/1", null),
                rule("linux.sysctl[\"kernel.shmmax\"]",
                        "setting \"kernel.shmmax\" needs an ipc namespace; add {\"type\": \"ipc\"} to linux.namespaces or remove the sysctl",
                        "/linux/sysctl", "{\"kernel.shmmax\": \"1\"}",
                        "/linux/namespaces/2", null),
                rule("linux.sysctl[\"fs.mqueue.msg_max\"]",
                        "setting \"fs.mqueue.msg_max\" needs an ipc namespace; add {\"type\": \"ipc\"} to linux.namespaces or remove the sysctl",
                        "/linux/sysctl", "{\"fs.mqueue.msg_max\": \"1\"}",
                        "/linux/namespaces/2", null),
                rule("linux.sysctl[\"kernel.domainname\"]",
                        "setting \"kernel.domainname\" needs a uts namespace; add {\"type\": \"uts\"} to linux.namespaces or remove the sysctl",
                        "/linux/sysctl", "{\"kernel.domainname\": \"x\"}",
                        "/linux/namespaces/3", null,
                        "/hostname", null),
                rule("linux.sysctl[\"kernel.hostname\"]",
                        "sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field",
                        "/linux/sysctl", "{\"kernel.hostname\": \"x\"}"),
                rule("linux.sysctl[\"vm.swappiness\"]",
                        "\"vm.swappiness\" is not isolated by a namespace, so setting it would change the host; remove it (only net.*, fs.mqueue.*, IPC kernel.* and kernel.hostname/domainname can be set)",
                        "/linux/sysctl", "{\"vm.swappiness\": \"10\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
