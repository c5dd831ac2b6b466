package io.jruntime.criu;

/** CRIU's --manage-cgroups modes (criu_cg_mode). */
public enum CriuCgroupMode {
    /** Do not dump or restore cgroups at all. */
    IGNORE,
    /** Dump cgroups; on restore put tasks into the existing cgroups without touching them ("none"). */
    NONE,
    /** Restore cgroup properties only. */
    PROPS,
    /** Restore properties of cgroups CRIU creates; leave existing ones alone (CRIU's default). */
    SOFT,
    /** Restore all properties, failing if a cgroup exists with different ones. */
    FULL,
    /** Like FULL, and fail if any cgroup already exists. */
    STRICT,
    /** CRIU's default mode (soft). */
    DEFAULT
}
