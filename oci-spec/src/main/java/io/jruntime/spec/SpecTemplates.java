package io.jruntime.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Starting configurations for {@code spec}: the same content {@code runc spec} writes. */
public final class SpecTemplates {

    private static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
    private static final String SYSFS_DESTINATION = "/sys";

    private SpecTemplates() {
    }

    /** What {@code runc spec} writes, with {@link Spec#OCI_VERSION} as ociVersion. */
    public static Spec runcDefault() {
        Process process = new Process(
                true,
                null,
                new Process.User(0L, 0L, null, null, null, null),
                List.of("sh"),
                null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                "/",
                new Process.Capabilities(DEFAULT_CAPABILITIES, DEFAULT_CAPABILITIES, null, DEFAULT_CAPABILITIES,
                        DEFAULT_CAPABILITIES, null),
                List.of(new Process.Rlimit("RLIMIT_NOFILE", 1024, 1024)),
                true,
                null, null, null, null, null, null, null);
        Linux linux = new Linux(
                null,
                null,
                null,
                new Resources(List.of(new Resources.DeviceRule(false, null, null, null, "rwm", null)),
                        null, null, null, null, null, null, null, null, null),
                null,
                namespaces("pid", "network", "ipc", "uts", "mount"),
                null,
                null,
                null,
                List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                null, null, null, null, null, null, null);
        return new Spec(Spec.OCI_VERSION, process, new Root("rootfs", true, null), "runc", null, defaultMounts(),
                null, null, linux, null);
    }

    /**
     * What {@code runc spec --rootless} writes for a caller with the given ids: a new user namespace mapping
     * only the caller to root, no network namespace (an unprivileged user cannot configure one), /sys bound
     * from the host (sysfs cannot be mounted without owning the network namespace), no uid=/gid= mount
     * options (those ids are unmapped) and no cgroup resources (the caller usually cannot write cgroups).
     *
     * @param uid the caller's euid, as an unsigned 32-bit value
     * @param gid the caller's egid, as an unsigned 32-bit value
     */
    public static Spec rootless(int uid, int gid) {
        Spec spec = runcDefault();
        List<Mount> mounts = spec.mounts().stream().map(SpecTemplates::rootlessMount).toList();
        List<Linux.Namespace> namespaces = new ArrayList<>(spec.linux().namespaces().stream()
                .filter(ns -> !"network".equals(ns.type()))
                .toList());
        namespaces.add(new Linux.Namespace("user"));
        Linux linux = spec.linux()
                .withNamespaces(namespaces)
                .withIdMappings(List.of(new IdMapping(0, Integer.toUnsignedLong(uid), 1)),
                        List.of(new IdMapping(0, Integer.toUnsignedLong(gid), 1)))
                .withResources(null);
        return spec.withMounts(mounts).withLinux(linux);
    }

    private static Mount rootlessMount(Mount mount) {
        if (SYSFS_DESTINATION.equals(mount.destination())) {
            return new Mount(SYSFS_DESTINATION, "none", SYSFS_DESTINATION,
                    List.of("rbind", "nosuid", "noexec", "nodev", "ro"));
        }
        if (mount.options() == null) {
            return mount;
        }
        return mount.withOptions(mount.options().stream()
                .filter(option -> !option.startsWith("uid=") && !option.startsWith("gid="))
                .toList());
    }

    private static List<Mount> defaultMounts() {
        return List.of(
                new Mount("/proc", "proc", "proc", null),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount(SYSFS_DESTINATION, "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup",
                        List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    }

    private static List<Linux.Namespace> namespaces(String... types) {
        return Arrays.stream(types).map(Linux.Namespace::new).toList();
    }
}
