package io.jruntime.spec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The remaining linux settings: rootfs propagation, path lists, cgroupsPath, personality, RDT, NUMA, net devices. */
final class LinuxRules {

    private static final int MAX_INTERFACE_NAME_BYTES = 15;
    private static final int SYSTEMD_CGROUPS_PATH_PARTS = 3;
    private static final List<String> MODES_WITHOUT_NODES = List.of("MPOL_DEFAULT", "MPOL_LOCAL");
    private static final List<String> MODES_NEEDING_NODES = List.of(
            "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED_MANY");

    private LinuxRules() {
    }

    static void check(Linux linux, ViolationCollector out) {
        if (ViolationCollector.isSet(linux.rootfsPropagation())) {
            out.knownName("linux.rootfsPropagation", linux.rootfsPropagation(), KnownValues.ROOTFS_PROPAGATIONS,
                    "rootfs propagation", "mount_namespaces(7)");
        }
        checkAbsolutePaths("linux.maskedPaths", linux.maskedPaths(), out);
        checkAbsolutePaths("linux.readonlyPaths", linux.readonlyPaths(), out);
        if (ViolationCollector.isSet(linux.cgroupsPath())) {
            checkCgroupsPath(linux.cgroupsPath(), out);
        }
        if (linux.personality() != null) {
            checkPersonality(linux.personality(), out);
        }
        if (linux.intelRdt() != null) {
            checkIntelRdt(linux.intelRdt(), out);
        }
        if (linux.memoryPolicy() != null) {
            checkMemoryPolicy(linux.memoryPolicy(), out);
        }
        if (linux.netDevices() != null) {
            checkNetDevices(linux.netDevices(), out);
        }
    }

    private static void checkAbsolutePaths(String path, List<String> paths, ViolationCollector out) {
        if (paths == null) {
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            out.absolutePath(JsonPath.index(path, i), paths.get(i), "/proc/kcore");
        }
    }

    /**
     * cgroupfs takes an absolute path below the cgroup mount or a path relative to the runtime's own cgroup; the
     * systemd driver takes slice:prefix:name.
     */
    private static void checkCgroupsPath(String cgroupsPath, ViolationCollector out) {
        String path = "linux.cgroupsPath";
        if (cgroupsPath.contains(":")) {
            String[] parts = cgroupsPath.split(":", -1);
            if (parts.length != SYSTEMD_CGROUPS_PATH_PARTS || parts[2].isEmpty()) {
                out.add(path, ViolationCollector.quote(cgroupsPath) + " is not of the systemd form"
                        + " \"slice:prefix:name\" (e.g. \"system.slice:jruntime:abc\"); use that or an absolute path");
            } else if (!parts[0].isEmpty() && (!parts[0].endsWith(".slice") || parts[0].contains("/"))) {
                out.add(path, "slice " + ViolationCollector.quote(parts[0]) + " is not a systemd slice name;"
                        + " it must end in \".slice\" and contain no \"/\" (or be empty for the default slice)");
            }
        } else if (cgroupsPath.startsWith("/") && List.of(cgroupsPath.split("/")).contains("..")) {
            // A relative path is the spec's "relative to the runtime's cgroup" and runc runs it: accepted here and
            // resolved below jruntime's own cgroup in each hierarchy (io.jruntime.core.cgroups.CgroupPath).
            out.add(path, ViolationCollector.quote(cgroupsPath) + " contains \"..\"; a container's cgroup must"
                    + " not be outside the path it names");
        }
    }

    private static void checkPersonality(Linux.Personality personality, ViolationCollector out) {
        out.knownName("linux.personality.domain", personality.domain(), KnownValues.PERSONALITY_DOMAINS,
                "personality domain", "personality(2)");
        List<String> flags = personality.flags();
        if (flags != null) {
            for (int i = 0; i < flags.size(); i++) {
                out.add(JsonPath.index("linux.personality.flags", i), "the spec defines no personality flags;"
                        + " remove " + ViolationCollector.quote(flags.get(i)));
            }
        }
    }

    private static void checkIntelRdt(Linux.IntelRdt rdt, ViolationCollector out) {
        String closId = rdt.closID();
        // closID names a directory under /sys/fs/resctrl.
        if (closId != null && (closId.contains("/") || closId.equals(".") || closId.equals(".."))) {
            out.add("linux.intelRdt.closID", ViolationCollector.quote(closId) + " is not a resctrl group name;"
                    + " it must not contain \"/\" or be \".\" or \"..\"");
        }
        String memBw = rdt.memBwSchema();
        if (ViolationCollector.isSet(memBw) && (!memBw.startsWith("MB:") || memBw.contains("\n"))) {
            out.add("linux.intelRdt.memBwSchema", ViolationCollector.quote(memBw) + " must be a single line"
                    + " starting with \"MB:\", e.g. \"MB:0=20;1=70\"");
        }
    }

    private static void checkMemoryPolicy(Linux.MemoryPolicy policy, ViolationCollector out) {
        String path = "linux.memoryPolicy";
        out.knownName(JsonPath.field(path, "mode"), policy.mode(), KnownValues.MEMORY_POLICY_MODES,
                "memory policy mode", "set_mempolicy(2)");
        out.knownNames(JsonPath.field(path, "flags"), policy.flags(), KnownValues.MEMORY_POLICY_FLAGS,
                "memory policy flag", "set_mempolicy(2)");
        out.cpuList(JsonPath.field(path, "nodes"), policy.nodes(), "NUMA node");
        boolean hasNodes = ViolationCollector.isSet(policy.nodes());
        if (hasNodes && MODES_WITHOUT_NODES.contains(policy.mode())) {
            out.add(JsonPath.field(path, "nodes"), policy.mode() + " takes no nodes; remove nodes");
        } else if (!hasNodes && MODES_NEEDING_NODES.contains(policy.mode())) {
            out.add(JsonPath.field(path, "nodes"), "is required for " + policy.mode()
                    + "; give the NUMA nodes, e.g. \"0-1\"");
        }
        if (policy.flags() != null && policy.flags().contains("MPOL_F_STATIC_NODES")
                && policy.flags().contains("MPOL_F_RELATIVE_NODES")) {
            out.add(JsonPath.field(path, "flags"), "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each"
                    + " other; keep one");
        }
    }

    private static void checkNetDevices(Map<String, Linux.NetDevice> devices, ViolationCollector out) {
        devices.forEach((hostName, device) -> {
            String at = JsonPath.key("linux.netDevices", hostName);
            checkInterfaceName(at, hostName, out);
            if (ViolationCollector.isSet(device.name())) {
                checkInterfaceName(JsonPath.field(at, "name"), device.name(), out);
            }
        });
    }

    /** The kernel's dev_valid_name(): 1 to 15 bytes, not "." or "..", no "/", ":" or whitespace. */
    private static void checkInterfaceName(String path, String name, ViolationCollector out) {
        boolean valid = !name.isEmpty()
                && name.getBytes(StandardCharsets.UTF_8).length <= MAX_INTERFACE_NAME_BYTES
                && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
        if (!valid) {
            out.add(path, ViolationCollector.quote(name) + " is not a valid network interface name; use 1 to 15"
                    + " characters without \"/\", \":\" or spaces");
        }
    }
}
