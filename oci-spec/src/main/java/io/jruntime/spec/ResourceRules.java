package io.jruntime.spec;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** linux.resources (or an {@code update --resources} document): values the cgroup files would reject. */
final class ResourceRules {

    private static final long UNLIMITED = -1;
    private static final long MIN_CPU_SHARES = 2;
    private static final long MAX_CPU_SHARES = 262_144;
    private static final long MIN_CFS_MICROS = 1_000;
    private static final long MAX_CFS_PERIOD_MICROS = 1_000_000;
    private static final long MAX_SWAPPINESS = 100;
    private static final long MIN_BLKIO_WEIGHT = 10;
    private static final long MAX_BLKIO_WEIGHT = 1_000;
    private static final long MIN_CPU_WEIGHT = 1;
    private static final long MAX_CPU_WEIGHT = 10_000;
    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]*[KMG]B");

    private ResourceRules() {
    }

    static void check(Resources resources, String prefix, ViolationCollector out) {
        checkDeviceRules(resources.devices(), JsonPath.field(prefix, "devices"), out);
        if (resources.memory() != null) {
            checkMemory(resources.memory(), JsonPath.field(prefix, "memory"), out);
        }
        if (resources.cpu() != null) {
            checkCpu(resources.cpu(), JsonPath.field(prefix, "cpu"), out);
        }
        if (resources.blockIO() != null) {
            checkBlockIo(resources.blockIO(), JsonPath.field(prefix, "blockIO"), out);
        }
        checkHugepages(resources.hugepageLimits(), JsonPath.field(prefix, "hugepageLimits"), out);
        if (resources.network() != null) {
            checkNetwork(resources.network(), JsonPath.field(prefix, "network"), out);
        }
        checkRdma(resources.rdma(), JsonPath.field(prefix, "rdma"), out);
        checkUnified(resources.unified(), JsonPath.field(prefix, "unified"), out);
    }

    private static void checkDeviceRules(List<Resources.DeviceRule> rules, String path, ViolationCollector out) {
        if (rules == null) {
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            Resources.DeviceRule rule = rules.get(i);
            String at = JsonPath.index(path, i);
            out.required(JsonPath.field(at, "allow"), rule.allow(), "true to allow the devices, false to deny them");
            if (ViolationCollector.isSet(rule.type())) {
                out.knownName(JsonPath.field(at, "type"), rule.type(), KnownValues.DEVICE_RULE_TYPES,
                        "device rule type", "the devices cgroup documentation");
            }
            // runc refuses a rule without access letters ("device access at N field cannot be empty"), missing
            // or "": an empty rule would otherwise mean "no access" for an allow and "everything" for a deny.
            if (!ViolationCollector.isSet(rule.access())) {
                out.add(JsonPath.field(at, "access"), "cannot be empty; give the access letters r, w and/or m,"
                        + " e.g. \"rwm\"");
            }
            // access: letters other than r, w and m are dropped with a warning when the rule is applied, as runc
            // drops them (it accepts "rwa" as "rw"); see io.jruntime.core.cgroups.DeviceNodeRules.
        }
    }

    private static void checkMemory(Resources.Memory memory, String path, ViolationCollector out) {
        checkByteLimit(JsonPath.field(path, "limit"), memory.limit(), out);
        checkByteLimit(JsonPath.field(path, "reservation"), memory.reservation(), out);
        checkByteLimit(JsonPath.field(path, "swap"), memory.swap(), out);
        checkByteLimit(JsonPath.field(path, "kernel"), memory.kernel(), out);
        checkByteLimit(JsonPath.field(path, "kernelTCP"), memory.kernelTCP(), out);
        // swap is memory+swap, so it cannot be below the memory limit; 0 means "not set" and -1 unlimited.
        if (memory.limit() != null && memory.swap() != null && memory.limit() > 0 && memory.swap() > 0
                && memory.swap() < memory.limit()) {
            out.add(JsonPath.field(path, "swap"), "memory+swap limit " + memory.swap() + " is below the memory limit "
                    + memory.limit() + "; swap counts memory plus swap, so set it to at least the limit or to -1"
                    + " for unlimited swap");
        }
        if (memory.swappiness() != null && Long.compareUnsigned(memory.swappiness(), MAX_SWAPPINESS) > 0) {
            out.add(JsonPath.field(path, "swappiness"), "swappiness " + Long.toUnsignedString(memory.swappiness())
                    + " is out of range; it must be between 0 and " + MAX_SWAPPINESS);
        }
    }

    private static void checkByteLimit(String path, Long bytes, ViolationCollector out) {
        if (bytes != null && bytes < UNLIMITED) {
            out.add(path, bytes + " is not a limit; give a number of bytes, or -1 for unlimited");
        }
    }

    private static void checkCpu(Resources.Cpu cpu, String path, ViolationCollector out) {
        // 0 is how engines say "not set" for shares and period.
        if (cpu.shares() != null && cpu.shares() != 0 && (Long.compareUnsigned(cpu.shares(), MIN_CPU_SHARES) < 0
                || Long.compareUnsigned(cpu.shares(), MAX_CPU_SHARES) > 0)) {
            out.add(JsonPath.field(path, "shares"), "cpu shares " + Long.toUnsignedString(cpu.shares())
                    + " is out of range; use " + MIN_CPU_SHARES + " to " + MAX_CPU_SHARES + " (1024 is the default)");
        }
        if (cpu.period() != null && cpu.period() != 0 && (Long.compareUnsigned(cpu.period(), MIN_CFS_MICROS) < 0
                || Long.compareUnsigned(cpu.period(), MAX_CFS_PERIOD_MICROS) > 0)) {
            out.add(JsonPath.field(path, "period"), "CFS period " + Long.toUnsignedString(cpu.period())
                    + " µs is out of range; use " + MIN_CFS_MICROS + " to " + MAX_CFS_PERIOD_MICROS
                    + " (100000 is the default)");
        }
        if (cpu.quota() != null && (cpu.quota() < UNLIMITED || (cpu.quota() > 0 && cpu.quota() < MIN_CFS_MICROS))) {
            out.add(JsonPath.field(path, "quota"), "CFS quota " + cpu.quota() + " µs is invalid; use at least "
                    + MIN_CFS_MICROS + " µs, or -1 for no limit");
        }
        if (cpu.burst() != null && cpu.quota() != null && cpu.quota() > 0
                && Long.compareUnsigned(cpu.burst(), cpu.quota()) > 0) {
            out.add(JsonPath.field(path, "burst"), "burst " + Long.toUnsignedString(cpu.burst())
                    + " µs exceeds the quota " + cpu.quota() + " µs; burst must not be larger than quota");
        }
        if (cpu.idle() != null && cpu.idle() != 0 && cpu.idle() != 1) {
            out.add(JsonPath.field(path, "idle"), "must be 0 (normal weight) or 1 (SCHED_IDLE), got " + cpu.idle());
        }
        out.cpuList(JsonPath.field(path, "cpus"), cpu.cpus(), "CPU");
        out.cpuList(JsonPath.field(path, "mems"), cpu.mems(), "memory node");
    }

    private static void checkBlockIo(Resources.BlockIo blockIo, String path, ViolationCollector out) {
        checkWeight(JsonPath.field(path, "weight"), blockIo.weight(), out);
        checkWeight(JsonPath.field(path, "leafWeight"), blockIo.leafWeight(), out);
        List<Resources.WeightDevice> weights = blockIo.weightDevice();
        if (weights != null) {
            for (int i = 0; i < weights.size(); i++) {
                Resources.WeightDevice device = weights.get(i);
                String at = JsonPath.index(JsonPath.field(path, "weightDevice"), i);
                checkDeviceNumbers(at, device.major(), device.minor(), out);
                if (device.weight() == null && device.leafWeight() == null) {
                    out.add(at, "sets neither weight nor leafWeight; give at least one");
                }
                checkWeight(JsonPath.field(at, "weight"), device.weight(), out);
                checkWeight(JsonPath.field(at, "leafWeight"), device.leafWeight(), out);
            }
        }
        checkThrottles(blockIo.throttleReadBpsDevice(), JsonPath.field(path, "throttleReadBpsDevice"), out);
        checkThrottles(blockIo.throttleWriteBpsDevice(), JsonPath.field(path, "throttleWriteBpsDevice"), out);
        checkThrottles(blockIo.throttleReadIOPSDevice(), JsonPath.field(path, "throttleReadIOPSDevice"), out);
        checkThrottles(blockIo.throttleWriteIOPSDevice(), JsonPath.field(path, "throttleWriteIOPSDevice"), out);
    }

    private static void checkWeight(String path, Integer weight, ViolationCollector out) {
        out.range(path, weight == null ? null : weight.longValue(), MIN_BLKIO_WEIGHT, MAX_BLKIO_WEIGHT,
                "block IO weight");
    }

    private static void checkThrottles(List<Resources.ThrottleDevice> throttles, String path,
                                       ViolationCollector out) {
        if (throttles == null) {
            return;
        }
        for (int i = 0; i < throttles.size(); i++) {
            Resources.ThrottleDevice throttle = throttles.get(i);
            String at = JsonPath.index(path, i);
            checkDeviceNumbers(at, throttle.major(), throttle.minor(), out);
            out.required(JsonPath.field(at, "rate"), throttle.rate(), "give the rate limit per second");
        }
    }

    private static void checkDeviceNumbers(String path, Long major, Long minor, ViolationCollector out) {
        out.required(JsonPath.field(path, "major"), major, "give the block device's major number");
        out.required(JsonPath.field(path, "minor"), minor, "give the block device's minor number");
    }

    private static void checkHugepages(List<Resources.HugepageLimit> limits, String path, ViolationCollector out) {
        if (limits == null) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            Resources.HugepageLimit limit = limits.get(i);
            String at = JsonPath.index(path, i);
            String pageSize = limit.pageSize();
            if (!ViolationCollector.isSet(pageSize)) {
                out.add(JsonPath.field(at, "pageSize"), "is required; give the huge page size such as \"2MB\"");
            } else if (!PAGE_SIZE.matcher(pageSize).matches()) {
                out.add(JsonPath.field(at, "pageSize"), ViolationCollector.quote(pageSize)
                        + " is not a huge page size; use a number with KB, MB or GB, such as \"2MB\" or \"1GB\"");
            }
            out.required(JsonPath.field(at, "limit"), limit.limit(), "give the limit in bytes");
        }
    }

    private static void checkNetwork(Resources.Network network, String path, ViolationCollector out) {
        out.uint32(JsonPath.field(path, "classID"), network.classID(), "a net_cls class id");
        List<Resources.InterfacePriority> priorities = network.priorities();
        if (priorities == null) {
            return;
        }
        for (int i = 0; i < priorities.size(); i++) {
            String at = JsonPath.index(JsonPath.field(path, "priorities"), i);
            if (!ViolationCollector.isSet(priorities.get(i).name())) {
                out.add(JsonPath.field(at, "name"), "is required; give the network interface name");
            }
            out.required(JsonPath.field(at, "priority"), priorities.get(i).priority(), "give the priority");
            out.uint32(JsonPath.field(at, "priority"), priorities.get(i).priority(), "a priority");
        }
    }

    private static void checkRdma(Map<String, Resources.Rdma> rdma, String path, ViolationCollector out) {
        if (rdma == null) {
            return;
        }
        rdma.forEach((device, limits) -> {
            String at = JsonPath.key(path, device);
            if (limits.hcaHandles() == null && limits.hcaObjects() == null) {
                out.add(at, "sets neither hcaHandles nor hcaObjects; give at least one");
            }
            out.uint32(JsonPath.field(at, "hcaHandles"), limits.hcaHandles(), "a handle count");
            out.uint32(JsonPath.field(at, "hcaObjects"), limits.hcaObjects(), "an object count");
        });
    }

    private static void checkUnified(Map<String, String> unified, String path, ViolationCollector out) {
        if (unified == null) {
            return;
        }
        unified.forEach((file, value) -> {
            String at = JsonPath.key(path, file);
            // The key becomes a file name inside the container's cgroup directory; a "/" would leave it.
            if (file.contains("/") || file.indexOf('.') <= 0) {
                out.add(at, ViolationCollector.quote(file) + " is not a cgroup v2 interface file; use a name such"
                        + " as \"memory.high\" (controller.file, no \"/\")");
            } else if ("cpu.weight".equals(file)) {
                checkCpuWeight(at, value, out);
            }
        });
    }

    private static void checkCpuWeight(String path, String value, ViolationCollector out) {
        try {
            out.range(path, Long.parseLong(value.trim()), MIN_CPU_WEIGHT, MAX_CPU_WEIGHT, "cpu.weight");
        } catch (NumberFormatException e) {
            out.add(path, ViolationCollector.quote(value) + " is not a cpu.weight; use a number between "
                    + MIN_CPU_WEIGHT + " and " + MAX_CPU_WEIGHT);
        }
    }
}
