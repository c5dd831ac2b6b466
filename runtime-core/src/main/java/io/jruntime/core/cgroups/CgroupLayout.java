package io.jruntime.core.cgroups;

/** How the host mounts cgroups. */
public enum CgroupLayout {
    /** cgroup2 only, mounted at /sys/fs/cgroup. */
    UNIFIED,
    /** cgroup v1 only. */
    LEGACY,
    /** cgroup v1 controllers plus a cgroup2 tree (usually at /sys/fs/cgroup/unified) without (most) controllers. */
    HYBRID
}
