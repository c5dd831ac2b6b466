package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * cgroup resources.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class ResourceRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("linux.resources.devices[1].type",
                        "unknown device rule type \"x\"; expected one of a, c, b",
                        "/linux/resources/devices/1", "{\"allow\": true, \"type\": \"x\", \"access\": \"r\"}"),
                rule("linux.resources.devices[1].access",
                        "cannot be empty; give the access letters r, w and/or m, e.g. \"rwm\"",
                        "/linux/resources/devices/1", "{\"allow\": true, \"type\": \"c\", \"access\": \"\"}"),
                rule("linux.resources.devices[1].access",
                        "cannot be empty; give the access letters r, w and/or m, e.g. \"rwm\"",
                        "/linux/resources/devices/1", "{\"allow\": false}"),
                rule("linux.resources.devices[1].allow",
                        "is required; true to allow the devices, false to deny them",
                        "/linux/resources/devices/1", "{\"type\": \"c\", \"access\": \"r\"}"),
                rule("linux.resources.memory.swap",
                        "memory+swap limit 1000000 is below the memory limit 2000000; swap counts memory plus swap, so set it to at least the limit or to -1 for unlimited swap",
                        "/linux/resources/memory", "{\"limit\": 2000000, \"swap\": 1000000}"),
                rule("linux.resources.memory.limit",
                        "-2 is not a limit; give a number of bytes, or -1 for unlimited",
                        "/linux/resources/memory", "{\"limit\": -2}"),
                rule("linux.resources.memory.swappiness",
                        "swappiness 101 is out of range; it must be between 0 and 100",
                        "/linux/resources/memory", "{\"swappiness\": 101}"),
                rule("linux.resources.cpu.shares",
                        "cpu shares 300000 is out of range; use 2 to 262144 (1024 is the default)",
                        "/linux/resources/cpu", "{\"shares\": 300000}"),
                rule("linux.resources.cpu.shares",
                        "cpu shares 1 is out of range; use 2 to 262144 (1024 is the default)",
                        "/linux/resources/cpu", "{\"shares\": 1}"),
                rule("linux.resources.cpu.period",
                        "CFS period 999 µs is out of range; use 1000 to 1000000 (100000 is the default)",
                        "/linux/resources/cpu", "{\"period\": 999}"),
                rule("linux.resources.cpu.quota",
                        "CFS quota 500 µs is invalid; use at least 1000 µs, or -1 for no limit",
                        "/linux/resources/cpu", "{\"quota\": 500}"),
                rule("linux.resources.cpu.burst",
                        "burst 60000 µs exceeds the quota 50000 µs; burst must not be larger than quota",
                        "/linux/resources/cpu", "{\"quota\": 50000, \"burst\": 60000}"),
                rule("linux.resources.cpu.idle",
                        "must be 0 (normal weight) or 1 (SCHED_IDLE), got 2",
                        "/linux/resources/cpu", "{\"idle\": 2}"),
                rule("linux.resources.cpu.cpus",
                        "\"0,a\" is not a CPU list; use numbers and ranges such as \"0-3,7\"",
                        "/linux/resources/cpu", "{\"cpus\": \"0,a\"}"),
                rule("linux.resources.cpu.mems",
                        "\"1-0\" is not a valid memory node list: range \"1-0\" ends before it starts",
                        "/linux/resources/cpu", "{\"mems\": \"1-0\"}"),
                rule("linux.resources.blockIO.weight",
                        "block IO weight 5 is out of range; it must be between 10 and 1000",
                        "/linux/resources/blockIO", "{\"weight\": 5}"),
                rule("linux.resources.blockIO.weightDevice[0]",
                        "sets neither weight nor leafWeight; give at least one",
                        "/linux/resources/blockIO", "{\"weightDevice\": [{\"major\": 8, \"minor\": 0}]}"),
                rule("linux.resources.blockIO.throttleReadBpsDevice[0].rate",
                        "is required; give the rate limit per second",
                        "/linux/resources/blockIO", "{\"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0}]}"),
                rule("linux.resources.blockIO.throttleWriteIOPSDevice[0].major",
                        "is required; give the block device's major number",
                        "/linux/resources/blockIO", "{\"throttleWriteIOPSDevice\": [{\"minor\": 0, \"rate\": 10}]}"),
                rule("linux.resources.hugepageLimits[0].pageSize",
                        "\"2M\" is not a huge page size; use a number with KB, MB or GB, such as \"2MB\" or \"1GB\"",
                        "/linux/resources/hugepageLimits", "[{\"pageSize\": \"2M\", \"limit\": 1}]"),
                rule("linux.resources.network.classID",
                        "4294967296 is out of range for a net_cls class id; it must be between 0 and 4294967295",
                        "/linux/resources/network", "{\"classID\": 4294967296}"),
                rule("linux.resources.rdma[\"mlx5_1\"]",
                        "sets neither hcaHandles nor hcaObjects; give at least one",
                        "/linux/resources/rdma", "{\"mlx5_1\": {}}"),
                rule("linux.resources.unified[\"../memory.max\"]",
                        "\"../memory.max\" is not a cgroup v2 interface file; use a name such as \"memory.high\" (controller.file, no \"/\")",
                        "/linux/resources/unified", "{\"../memory.max\": \"1\"}"),
                rule("linux.resources.unified[\"cpu.weight\"]",
                        "cpu.weight 0 is out of range; it must be between 1 and 10000",
                        "/linux/resources/unified", "{\"cpu.weight\": \"0\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
