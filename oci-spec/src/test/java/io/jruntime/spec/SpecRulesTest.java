package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * root, mounts and hooks (ociVersion is not checked, as runc does not).
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class SpecRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("root",
                        "is required on Linux; add {\"path\": \"rootfs\"} naming the root filesystem directory",
                        "/root", null),
                rule("root.path",
                        "is required; give the root filesystem directory, absolute or relative to the bundle",
                        "/root/path", "\"\""),
                rule("mounts[2].destination",
                        "contains a NUL byte (at character 4); Linux strings cannot hold one",
                        "/mounts/2/destination", "\"/dev\\u0000x\""),
                rule("mounts[2].destination",
                        "\"dev/pts\" is not an absolute path; it must start with \"/\"",
                        "/mounts/2/destination", "\"dev/pts\""),
                rule("mounts[7].options",
                        "\"remount\" is not allowed on a bind mount; drop it (a bind mount is created, not remounted)"
                                + " and keep the other options such as \"ro\"",
                        "/mounts/7", "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/d\", \"options\": [\"rbind\", \"ro\", \"remount\"]}"),
                rule("mounts[7].destination",
                        "is required; give an absolute path such as \"/data\"",
                        "/mounts/7", "{\"type\": \"tmpfs\", \"source\": \"tmpfs\"}"),
                rule("mounts[7].uidMappings[0].size",
                        "must be at least 1; a mapping of 0 ids maps nothing",
                        "/mounts/7", "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/d\", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}]}"),
                rule("hooks.prestart[0].path",
                        "\"hooks/prestart\" is not an absolute path; it must start with \"/\"",
                        "/hooks/prestart/0", "{\"path\": \"hooks/prestart\"}"),
                rule("hooks.poststop[0].timeout",
                        "must be greater than 0 seconds, got 0; remove it to wait for the hook without a limit",
                        "/hooks/poststop/0", "{\"path\": \"/bin/true\", \"timeout\": 0}"),
                rule("hooks.createRuntime[0].env[0]",
                        "\"NOEQUALS\" is not of the form KEY=VALUE",
                        "/hooks/createRuntime/0", "{\"path\": \"/bin/true\", \"env\": [\"NOEQUALS\"]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
