package io.jruntime.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.core.lifecycle.Namespaces;
import io.jruntime.core.mounts.MountOptions;
import io.jruntime.core.security.CapabilityNames;
import io.jruntime.core.security.seccomp.SeccompArch;
import io.jruntime.core.security.seccomp.SeccompCompiler;
import io.jruntime.spec.Spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code jruntime features} reports: the runtime-spec "features" document (features.md of runtime-spec
 * 1.2) describing what this build of jruntime can really do on this host. It must never claim more than works: an
 * engine uses it to decide what to put in config.json. Every list is what the build implements intersected with
 * what the host offers ({@link HostFeatures}); FeaturesIT checks each claim against behaviour. Empty arrays and
 * {@code false} mean "not supported" (an absent field would mean "unknown").
 */
public final class FeaturesReport {
    public static final String OCI_VERSION_MIN = "1.0.0";

    /** Hook names that are run at the right time (prestart, createRuntime, createContainer, startContainer, poststart, poststop). */
    static final List<String> HOOKS = List.of("prestart", "createRuntime", "createContainer", "startContainer",
            "poststart", "poststop");
    /** --systemd-cgroup fails with a clear error: no systemd driver (D-Bus transient units) yet. */
    static final boolean CGROUP_SYSTEMD = false;
    static final boolean CGROUP_SYSTEMD_USER = false;
    /** No AppArmor, SELinux or Intel RDT support in this build: a profile/label/closID is refused, not applied. */
    static final boolean APPARMOR = false;
    static final boolean SELINUX = false;
    static final boolean INTEL_RDT = false;
    /** First kernel of each seccomp filter flag (seccomp(2)). */
    static final Map<String, int[]> SECCOMP_FLAG_KERNEL = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", new int[] {3, 17},
            "SECCOMP_FILTER_FLAG_LOG", new int[] {4, 14},
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", new int[] {4, 17},
            "SECCOMP_FILTER_FLAG_NEW_LISTENER", new int[] {5, 0},
            "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", new int[] {5, 7},
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", new int[] {5, 19});
    /** The kernel's name (/proc/sys/kernel/seccomp/actions_avail) of each action the compiler emits. */
    static final Map<String, String> SECCOMP_ACTION_KERNEL = Map.of(
            "SCMP_ACT_KILL", "kill_thread", "SCMP_ACT_KILL_THREAD", "kill_thread",
            "SCMP_ACT_KILL_PROCESS", "kill_process", "SCMP_ACT_TRAP", "trap", "SCMP_ACT_ERRNO", "errno",
            "SCMP_ACT_TRACE", "trace", "SCMP_ACT_ALLOW", "allow", "SCMP_ACT_LOG", "log", "SCMP_ACT_NOTIFY", "user_notif");

    private FeaturesReport() {
    }

    /** Mount options that reach the kernel or jruntime's own mount code; none that would be silently ignored. */
    static List<String> mountOptions() {
        return MountOptions.names().stream().filter(o -> !MountOptions.ignored().contains(o)).toList();
    }

    /** idmap/ridmap mounts: implemented by this build (listed as mount options) and mount_setattr (5.12). */
    static boolean idmapMounts(HostFeatures h) {
        return MountOptions.names().contains("idmap") && h.kernelAtLeast(5, 12);
    }

    static List<String> namespaces(HostFeatures h) {
        return Namespaces.ORDER.stream().filter(h.namespaces()::contains).sorted().toList();
    }

    /** Capability names the running kernel knows (numbers up to cap_last_cap). */
    static List<String> capabilities(HostFeatures h) {
        List<String> all = CapabilityNames.all();
        return all.subList(0, Math.max(0, Math.min(all.size(), h.capLastCap() + 1)));
    }

    static List<String> seccompActions(HostFeatures h) {
        return SeccompCompiler.actions().stream()
                .filter(a -> h.seccompActions().contains(SECCOMP_ACTION_KERNEL.getOrDefault(a, "?"))).toList();
    }

    static List<String> seccompSupportedFlags(HostFeatures h) {
        return SeccompCompiler.flags().stream().filter(f -> {
            int[] k = SECCOMP_FLAG_KERNEL.get(f);
            return k != null && h.kernelAtLeast(k[0], k[1]);
        }).toList();
    }

    /** The features document as a Jackson tree, fields in the order runtime-spec lists them. */
    public static ObjectNode build(String jruntimeVersion, HostFeatures h) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("ociVersionMin", OCI_VERSION_MIN);
        root.put("ociVersionMax", Spec.OCI_VERSION);
        strings(root.putArray("hooks"), HOOKS);
        strings(root.putArray("mountOptions"), mountOptions());

        ObjectNode linux = root.putObject("linux");
        strings(linux.putArray("namespaces"), namespaces(h));
        strings(linux.putArray("capabilities"), capabilities(h));
        ObjectNode cgroup = linux.putObject("cgroup");
        cgroup.put("v1", h.cgroupV1());
        cgroup.put("v2", h.cgroupV2());
        cgroup.put("systemd", CGROUP_SYSTEMD);
        cgroup.put("systemdUser", CGROUP_SYSTEMD_USER);
        cgroup.put("rdma", h.rdma());
        ObjectNode seccomp = linux.putObject("seccomp");
        boolean seccompOn = !h.seccompActions().isEmpty();
        seccomp.put("enabled", seccompOn);
        strings(seccomp.putArray("actions"), seccompOn ? seccompActions(h) : List.of());
        strings(seccomp.putArray("operators"), seccompOn ? SeccompCompiler.operators() : List.of());
        strings(seccomp.putArray("archs"), seccompOn
                ? Arrays.stream(SeccompArch.values()).map(SeccompArch::scmpName).sorted().toList() : List.of());
        strings(seccomp.putArray("knownFlags"), SeccompCompiler.flags());
        strings(seccomp.putArray("supportedFlags"), seccompOn ? seccompSupportedFlags(h) : List.of());
        linux.putObject("apparmor").put("enabled", APPARMOR);
        linux.putObject("selinux").put("enabled", SELINUX);
        linux.putObject("intelRdt").put("enabled", INTEL_RDT);
        linux.putObject("mountExtensions").putObject("idmap").put("enabled", idmapMounts(h));

        ObjectNode annotations = root.putObject("annotations");
        annotations.put("io.jruntime.checkpoint.enabled", Boolean.toString(h.criuVersion() != null));
        if (h.criuVersion() != null) {
            annotations.put("io.jruntime.criu.version", h.criuVersion());
        }
        annotations.put("io.jruntime.version", jruntimeVersion);
        root.putArray("potentiallyUnsafeConfigAnnotations");
        return root;
    }

    private static void strings(ArrayNode a, List<String> values) {
        for (String v : values) {
            a.add(v);
        }
    }
}
