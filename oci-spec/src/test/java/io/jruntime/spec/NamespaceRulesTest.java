package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * Namespaces and what needs one: id mappings, time offsets, hostname, net devices.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class NamespaceRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.namespaces[2].type",
                        "unknown namespace type \"pidd\"; expected one of pid, network, mount, ipc, uts, user, cgroup, time",
                        "/linux/namespaces/2/type", "\"pidd\""),
                rule("linux.namespaces[5].type",
                        "duplicate namespace type \"pid\" (already at linux.namespaces[0].type); list each type once",
                        "/linux/namespaces/5", "{\"type\": \"pid\"}"),
                rule("linux.namespaces[5].type",
                        "is required; give one of pid, network, mount, ipc, uts, user, cgroup, time",
                        "/linux/namespaces/5", "{\"path\": \"/proc/1/ns/time\"}"),
                rule("linux.namespaces[1].path",
                        "\"var/run/netns/x\" is not an absolute path; it must start with \"/\"",
                        "/linux/namespaces/1/path", "\"var/run/netns/x\""),
                rule("linux.uidMappings",
                        "mapping uids needs a user namespace; add {\"type\": \"user\"} to linux.namespaces or remove linux.uidMappings",
                        "/linux/uidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                rule("linux.gidMappings",
                        "mapping gids needs a user namespace; add {\"type\": \"user\"} to linux.namespaces or remove linux.gidMappings",
                        "/linux/gidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                rule("linux.uidMappings",
                        "a new user namespace needs at least one uid mapping, e.g. {\"containerID\": 0, \"hostID\": 1000, \"size\": 1}",
                        "/linux/namespaces/5", "{\"type\": \"user\"}",
                        "/linux/gidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                rule("linux.gidMappings",
                        "a new user namespace needs at least one gid mapping, e.g. {\"containerID\": 0, \"hostID\": 1000, \"size\": 1}",
                        "/linux/namespaces/5", "{\"type\": \"user\"}",
                        "/linux/uidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                rule("linux.uidMappings[0].hostID",
                        "is required; give the first uid on the host",
                        "/linux/namespaces/5", "{\"type\": \"user\"}",
                        "/linux/uidMappings", "[{\"containerID\": 0, \"size\": 1}]",
                        "/linux/gidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                rule("linux.timeOffsets",
                        "offsetting clocks needs a time namespace; add {\"type\": \"time\"} to linux.namespaces or remove linux.timeOffsets",
                        "/linux/timeOffsets", "{\"monotonic\": {\"secs\": 10}}"),
                rule("linux.timeOffsets[\"realtime\"]",
                        "clock \"realtime\" cannot be offset; a time namespace only offsets monotonic and boottime",
                        "/linux/namespaces/5", "{\"type\": \"time\"}",
                        "/linux/timeOffsets", "{\"realtime\": {\"secs\": 10}}"),
                rule("linux.timeOffsets[\"boottime\"].nanosecs",
                        "nanosecs 1000000000 is out of range; it must be between 0 and 999999999",
                        "/linux/namespaces/5", "{\"type\": \"time\"}",
                        "/linux/timeOffsets", "{\"boottime\": {\"nanosecs\": 1000000000}}"),
                rule("hostname",
                        "setting a hostname needs a uts namespace; add {\"type\": \"uts\"} to linux.namespaces or remove hostname",
                        "/linux/namespaces/3", null),
                rule("domainname",
                        "setting a domain name needs a uts namespace; add {\"type\": \"uts\"} to linux.namespaces or remove domainname",
                        "/hostname", null,
                        "/domainname", "\"example.org\"",
                        "/linux/namespaces/3", null),
                rule("linux.netDevices",
                        "moving network devices into the container needs a network namespace; add {\"type\": \"network\"} to linux.namespaces or remove linux.netDevices",
                        "/linux/netDevices", "{\"eth1\": {}}",
                        "/linux/namespaces/1", null),
                rule("linux.netDevices[\"eth1\"].name",
                        "\"a/b\" is not a valid network interface name; use 1 to 15 characters without \"/\", \":\" or spaces",
                        "/linux/netDevices", "{\"eth1\": {\"name\": \"a/b\"}}"),
                rule("linux.netDevices[\"averyveryverylongname\"]",
                        "\"averyveryverylongname\" is not a valid network interface name; use 1 to 15 characters without \"/\", \":\" or spaces",
                        "/linux/netDevices", "{\"averyveryverylongname\": {}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
