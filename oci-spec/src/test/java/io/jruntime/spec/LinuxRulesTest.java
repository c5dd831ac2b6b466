package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * Rootfs propagation, masked/readonly paths, cgroupsPath, personality, RDT, memory policy.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class LinuxRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.rootfsPropagation",
                        "unknown rootfs propagation \"recursive\"; expected one of shared, slave, private, unbindable, rshared, rslave, rprivate, runbindable",
                        "/linux/rootfsPropagation", "\"recursive\""),
                rule("linux.maskedPaths[1]",
                        "\"proc/asound\" is not an absolute path; it must start with \"/\"",
                        "/linux/maskedPaths/1", "\"proc/asound\""),
                rule("linux.readonlyPaths[0]",
                        "\"proc/bus\" is not an absolute path; it must start with \"/\"",
                        "/linux/readonlyPaths/0", "\"proc/bus\""),
                rule("linux.cgroupsPath",
                        "\"system.slice:jruntime\" is not of the systemd form \"slice:prefix:name\" (e.g. \"system.slice:jruntime:abc\"); use that or an absolute path",
                        "/linux/cgroupsPath", "\"system.slice:jruntime\""),
                rule("linux.cgroupsPath",
                        "slice \"machine\" is not a systemd slice name; it must end in \".slice\" and contain no \"/\" (or be empty for the default slice)",
                        "/linux/cgroupsPath", "\"machine:jruntime:abc\""),
                rule("linux.cgroupsPath",
                        "\"/jruntime/../../escape\" contains \"..\"; a container's cgroup must not be outside the path it names",
                        "/linux/cgroupsPath", "\"/jruntime/../../escape\""),
                rule("linux.personality.domain",
                        "unknown personality domain \"LINUX64\"; expected one of LINUX, LINUX32",
                        "/linux/personality", "{\"domain\": \"LINUX64\"}"),
                rule("linux.personality.flags[0]",
                        "the spec defines no personality flags; remove \"ADDR_NO_RANDOMIZE\"",
                        "/linux/personality", "{\"domain\": \"LINUX\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}"),
                rule("linux.intelRdt.closID",
                        "\"a/b\" is not a resctrl group name; it must not contain \"/\" or be \".\" or \"..\"",
                        "/linux/intelRdt", "{\"closID\": \"a/b\"}"),
                rule("linux.intelRdt.memBwSchema",
                        "\"L3:0=20\" must be a single line starting with \"MB:\", e.g. \"MB:0=20;1=70\"",
                        "/linux/intelRdt", "{\"memBwSchema\": \"L3:0=20\"}"),
                rule("linux.memoryPolicy.mode",
                        "unknown memory policy mode \"MPOL_FAST\"; expected one of MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE",
                        "/linux/memoryPolicy", "{\"mode\": \"MPOL_FAST\"}"),
                rule("linux.memoryPolicy.flags[0]",
                        "unknown memory policy flag \"MPOL_F_SOMETHING\"; expected one of MPOL_F_NUMA_BALANCING, MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES",
                        "/linux/memoryPolicy", "{\"mode\": \"MPOL_LOCAL\", \"flags\": [\"MPOL_F_SOMETHING\"]}"),
                rule("linux.memoryPolicy.nodes",
                        "is required for MPOL_BIND; give the NUMA nodes, e.g. \"0-1\"",
                        "/linux/memoryPolicy", "{\"mode\": \"MPOL_BIND\"}"),
                rule("linux.memoryPolicy.nodes",
                        "MPOL_DEFAULT takes no nodes; remove nodes",
                        "/linux/memoryPolicy", "{\"mode\": \"MPOL_DEFAULT\", \"nodes\": \"0\"}"),
                rule("linux.memoryPolicy.flags",
                        "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other; keep one",
                        "/linux/memoryPolicy", "{\"mode\": \"MPOL_BIND\", \"nodes\": \"0\", \"flags\": [\"MPOL_F_STATIC_NODES\", \"MPOL_F_RELATIVE_NODES\"]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
