package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * Device nodes in linux.devices.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class DeviceNodeRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.devices[0].type",
                        "unknown device type \"x\"; expected one of c, b, u, p",
                        "/linux/devices", "[{\"path\": \"/dev/x\", \"type\": \"x\", \"major\": 1, \"minor\": 1}]"),
                rule("linux.devices[0].path",
                        "\"dev/x\" is not an absolute path; it must start with \"/\"",
                        "/linux/devices", "[{\"path\": \"dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 1}]"),
                rule("linux.devices[0].major",
                        "is required; a block device needs a major number",
                        "/linux/devices", "[{\"path\": \"/dev/x\", \"type\": \"b\", \"minor\": 1}]"),
                rule("linux.devices[1].path",
                        "duplicate device \"/dev/x\" (already at linux.devices[0].path); each path can hold one device",
                        "/linux/devices", "[{\"path\": \"/dev/x\", \"type\": \"p\"}, {\"path\": \"/dev/x\", \"type\": \"p\"}]"),
                rule("linux.devices[0].uid",
                        "4294967296 is out of range for a uid; it must be between 0 and 4294967295",
                        "/linux/devices", "[{\"path\": \"/dev/x\", \"type\": \"p\", \"uid\": 4294967296}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
