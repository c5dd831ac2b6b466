/**
 * The cgroup manager: what runc's libcontainer/cgroups does, as pure file I/O on cgroupfs (plus bpf(2) for the
 * cgroup v2 device filter).
 *
 * <ul>
 *   <li>{@link io.jruntime.core.cgroups.CgroupHost} - host layout (unified / legacy / hybrid), v1 mounts, the caller's
 *       own cgroups.</li>
 *   <li>{@link io.jruntime.core.cgroups.CgroupPath} - linux.cgroupsPath with runc semantics (absolute = from the
 *       hierarchy root, relative = from the caller's cgroup, empty = the container id relative to the caller's
 *       cgroup; ".." escapes rejected; systemd "slice:prefix:name" only with --systemd-cgroup).</li>
 *   <li>{@link io.jruntime.core.cgroups.CgroupManager#create} - makes the directories and applies
 *       {@link io.jruntime.core.cgroups.CgroupResources} (a field-for-field mirror of linux.resources).</li>
 *   <li>{@link io.jruntime.core.cgroups.Cgroup} - join, update, freeze/thaw, pids, killAll, stats, OOM, destroy;
 *       stored in state.json as {@link io.jruntime.core.cgroups.Cgroup#toPaths()} and re-opened with
 *       {@link io.jruntime.core.cgroups.Cgroup#fromPaths}.</li>
 *   <li>{@link io.jruntime.core.cgroups.DeviceCgroupRules} / {@link io.jruntime.core.cgroups.DeviceFilter} - v1 device
 *       semantics and their eBPF compilation for v2.</li>
 * </ul>
 *
 * Errors are {@link io.jruntime.core.JRuntimeException}s whose message starts with the resource field
 * ("linux.resources.memory.limit: cannot write 1048576 to /sys/fs/cgroup/memory/x/memory.limit_in_bytes: Device or
 * resource busy"); bad values are {@link io.jruntime.core.InvalidArgumentException}s raised before anything is written.
 */
package io.jruntime.core.cgroups;
