package io.jruntime.core;

import io.jruntime.core.cgroups.CgroupHost;
import io.jruntime.core.lifecycle.Namespaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this host's kernel offers, as {@code features} needs it: which namespaces exist, the last capability
 * number, the seccomp actions the kernel accepts, the kernel version (for seccomp flags and idmapped mounts), the
 * cgroup hierarchies, and the CRIU version found (null: none, or one too old). Probed once per call, never
 * guessed from the build: {@link FeaturesReport} only claims what this host can really do.
 *
 * @param namespaces         config.json namespace names whose /proc/self/ns entry exists
 * @param capLastCap         /proc/sys/kernel/cap_last_cap (-1 if unreadable)
 * @param seccompActions     /proc/sys/kernel/seccomp/actions_avail (kernel spelling: kill_process, user_notif, ...)
 * @param kernelMajor        running kernel version
 * @param kernelMinor        running kernel version
 * @param cgroupV1           a v1 hierarchy with controllers is mounted
 * @param cgroupV2           the cgroup2 hierarchy is mounted and used
 * @param rdma               the rdma controller is available (v1 hierarchy or cgroup2 controller)
 * @param criuVersion        version of the CRIU binary found when it is usable, else null
 */
public record HostFeatures(Set<String> namespaces, int capLastCap, Set<String> seccompActions, int kernelMajor,
                           int kernelMinor, boolean cgroupV1, boolean cgroupV2, boolean rdma, String criuVersion) {
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    public HostFeatures {
        namespaces = Set.copyOf(namespaces);
        seccompActions = Set.copyOf(seccompActions);
    }

    /** The host as it is; criuVersion comes from the caller (runtime-core does not know CRIU). */
    public static HostFeatures probe(String criuVersion) {
        Set<String> ns = new LinkedHashSet<>();
        for (String n : Namespaces.ORDER) {
            if (Files.exists(Path.of("/proc/self/ns/" + Namespaces.procName(n)))) {
                ns.add(n);
            }
        }
        int last = -1;
        try {
            last = Integer.parseInt(io.jruntime.core.sys.ProcFiles.firstLine(Path.of("/proc/sys/kernel/cap_last_cap")));
        } catch (IOException | NumberFormatException e) {
            // unknown: no capability is claimed
        }
        Set<String> actions = new LinkedHashSet<>();
        try {
            actions.addAll(List.of(Files.readString(Path.of("/proc/sys/kernel/seccomp/actions_avail")).strip().split("\\s+")));
        } catch (IOException e) {
            // a kernel without seccomp filters: none
        }
        int[] kv = kernel(readOr("/proc/sys/kernel/osrelease", ""));
        CgroupHost h = CgroupHost.detect();
        boolean v1 = !h.v1Controllers().isEmpty();
        boolean v2 = h.unified() != null && h.mode() != io.jruntime.core.cgroups.CgroupLayout.LEGACY;
        boolean rdma = h.v1Controllers().contains("rdma") || v2 && h.unifiedControllers().contains("rdma");
        return new HostFeatures(ns, last, actions, kv[0], kv[1], v1, v2, rdma, criuVersion);
    }

    /** True if the running kernel is at least major.minor. */
    public boolean kernelAtLeast(int major, int minor) {
        return kernelMajor > major || kernelMajor == major && kernelMinor >= minor;
    }

    static int[] kernel(String release) {
        Matcher m = RELEASE.matcher(release.strip());
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[] {0, 0};
    }

    private static String readOr(String file, String dflt) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return dflt;
        }
    }
}
