package io.jruntime.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jruntime.core.lifecycle.Namespaces;
import io.jruntime.core.mounts.MountOptions;
import io.jruntime.core.security.CapabilityNames;
import io.jruntime.core.security.seccomp.SeccompArch;
import io.jruntime.core.security.seccomp.SeccompCompiler;

import java.util.Arrays;
import java.util.List;

/**
 * What {@code jruntime features} reports: the runtime-spec "features" document (features.md of runtime-spec
 * 1.2) describing what this build of jruntime really supports. It must never claim more than works: an
 * engine uses it to decide what to put in config.json. Empty arrays and {@code false} mean "not supported"
 * (an absent field would mean "unknown").
 *
 * <p>When a feature lands (with a test that exercises it end to end), add it to the matching list below.
 */
public final class FeaturesReport {
    public static final String OCI_VERSION_MIN = "1.0.0";
    public static final String OCI_VERSION_MAX = "1.2.0";

    /** Hook names that are run at the right time (prestart, createRuntime, createContainer, startContainer, poststart, poststop). */
    static final List<String> HOOKS = List.of("prestart", "createRuntime", "createContainer", "startContainer",
            "poststart", "poststop");
    /** Mount options understood in config.json mounts (e.g. "bind", "rbind", "ro", "nosuid", ...). */
    static final List<String> MOUNT_OPTIONS = MountOptions.names();
    /** Namespace types (config.json spelling: cgroup, ipc, mount, network, pid, time, user, uts). */
    static final List<String> NAMESPACES = Namespaces.ORDER.stream().sorted().toList();
    /** Capabilities that can be set, as CAP_* names (validated by name, all five sets, kept across setuid). */
    static final List<String> CAPABILITIES = CapabilityNames.all();
    /** cgroupfs driver on v1, v2 and hybrid hosts (ResourcesIT runs on a hybrid one). */
    static final boolean CGROUP_V1 = true;
    static final boolean CGROUP_V2 = true;
    /** --systemd-cgroup fails with a clear error: no systemd driver (D-Bus transient units) yet. */
    static final boolean CGROUP_SYSTEMD = false;
    static final boolean CGROUP_SYSTEMD_USER = false;
    /** linux.resources.rdma is written to rdma.max. */
    static final boolean CGROUP_RDMA = true;
    static final boolean SECCOMP = true;
    /** SCMP_ACT_NOTIFY included: the notify fd goes to linux.seccomp.listenerPath (SeccompAgent). */
    static final List<String> SECCOMP_ACTIONS = SeccompCompiler.actions();
    static final List<String> SECCOMP_OPERATORS = SeccompCompiler.operators();
    static final List<String> SECCOMP_ARCHS = Arrays.stream(SeccompArch.values()).map(SeccompArch::scmpName).sorted().toList();
    static final List<String> SECCOMP_KNOWN_FLAGS = SeccompCompiler.flags();
    /** All of them on the kernels jruntime targets (>= 5.19 for WAIT_KILLABLE_RECV). */
    static final List<String> SECCOMP_SUPPORTED_FLAGS = SECCOMP_KNOWN_FLAGS;
    static final boolean APPARMOR = false;
    static final boolean SELINUX = false;
    static final boolean INTEL_RDT = false;
    /** idmap/ridmap on bind mounts of user-namespace containers, to the container's own mappings (IdmapPlan). */
    static final boolean IDMAP_MOUNTS = true;
    static final boolean CHECKPOINT_RESTORE = false;

    private FeaturesReport() {
    }

    /** The features document as a Jackson tree, fields in the order runtime-spec lists them. */
    public static ObjectNode build(String jruntimeVersion) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("ociVersionMin", OCI_VERSION_MIN);
        root.put("ociVersionMax", OCI_VERSION_MAX);
        strings(root.putArray("hooks"), HOOKS);
        strings(root.putArray("mountOptions"), MOUNT_OPTIONS);

        ObjectNode linux = root.putObject("linux");
        strings(linux.putArray("namespaces"), NAMESPACES);
        strings(linux.putArray("capabilities"), CAPABILITIES);
        ObjectNode cgroup = linux.putObject("cgroup");
        cgroup.put("v1", CGROUP_V1);
        cgroup.put("v2", CGROUP_V2);
        cgroup.put("systemd", CGROUP_SYSTEMD);
        cgroup.put("systemdUser", CGROUP_SYSTEMD_USER);
        cgroup.put("rdma", CGROUP_RDMA);
        ObjectNode seccomp = linux.putObject("seccomp");
        seccomp.put("enabled", SECCOMP);
        strings(seccomp.putArray("actions"), SECCOMP_ACTIONS);
        strings(seccomp.putArray("operators"), SECCOMP_OPERATORS);
        strings(seccomp.putArray("archs"), SECCOMP_ARCHS);
        strings(seccomp.putArray("knownFlags"), SECCOMP_KNOWN_FLAGS);
        strings(seccomp.putArray("supportedFlags"), SECCOMP_SUPPORTED_FLAGS);
        linux.putObject("apparmor").put("enabled", APPARMOR);
        linux.putObject("selinux").put("enabled", SELINUX);
        linux.putObject("intelRdt").put("enabled", INTEL_RDT);
        linux.putObject("mountExtensions").putObject("idmap").put("enabled", IDMAP_MOUNTS);

        ObjectNode annotations = root.putObject("annotations");
        annotations.put("io.jruntime.checkpoint.enabled", Boolean.toString(CHECKPOINT_RESTORE));
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
