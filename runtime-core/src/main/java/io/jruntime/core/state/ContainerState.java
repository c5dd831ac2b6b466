package io.jruntime.core.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What jruntime persists about one container in {@code <root>/<id>/state.json}. Immutable; a change is a new
 * value written atomically by {@link StateStore#save}. The status is never stored: it is derived from the
 * init process, the exec fifo and the freezer each time it is asked for (see {@link StatusResolver}).
 *
 * @param initPid          host pid of the container's init (0 when none was ever started)
 * @param initStartTime    field 22 of /proc/pid/stat at creation, so a recycled pid is not mistaken for ours
 * @param created          RFC 3339 creation time, as runc prints it
 * @param cgroupPaths      controller name (or "" for the unified hierarchy) to the absolute cgroup directory
 * @param namespacePaths   namespace type (as in config.json) to the /proc path or bind path of the namespace
 * @param rootlessEuid     jruntime ran with euid != 0
 * @param rootlessCgroups  cgroup errors are tolerated (see the rootless decision table)
 * @param stdioPaths       where fds 0,1,2 of init pointed at create time (for checkpoint's descriptors.json)
 * @param phase            {@link #PHASE_CREATING} while create or restore is still making the container (the record
 *                         is written before anything it names exists, so a crash leaves a record that
 *                         {@code delete} can undo); null once the container is complete
 * @param helperPid        while creating: the process that makes the container (jruntime-init's first stage, or
 *                         criu for a restore), killed by {@code delete} if the creator died; 0 when none
 * @param helperStartTime  field 22 of /proc/pid/stat of helperPid
 * @param hookPid          while creating: the last prestart/createRuntime hook started (it leads a session of its
 *                         own); if the creator died, {@code delete} kills that session; 0 when none
 * @param hookStartTime    field 22 of /proc/pid/stat of hookPid
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerState(
        String ociVersion,
        String id,
        int initPid,
        long initStartTime,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        Map<String, String> namespacePaths,
        boolean rootlessEuid,
        boolean rootlessCgroups,
        List<String> stdioPaths,
        String phase,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int helperPid,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long helperStartTime,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int hookPid,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long hookStartTime) {

    /** The phase of a record written before the container it describes is complete. */
    public static final String PHASE_CREATING = "creating";

    /** A complete container's record. */
    public ContainerState(String ociVersion, String id, int initPid, long initStartTime, String bundle, String rootfs,
                          String created, String owner, Map<String, String> annotations, Map<String, String> cgroupPaths,
                          Map<String, String> namespacePaths, boolean rootlessEuid, boolean rootlessCgroups,
                          List<String> stdioPaths) {
        this(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations, cgroupPaths,
                namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, null, 0, 0, 0, 0);
    }

    public ContainerState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroupPaths = cgroupPaths == null ? Map.of() : Map.copyOf(cgroupPaths);
        namespacePaths = namespacePaths == null ? Map.of() : Map.copyOf(namespacePaths);
        stdioPaths = stdioPaths == null ? List.of() : List.copyOf(stdioPaths);
        owner = owner == null ? "" : owner;
    }

    public ContainerState withNamespaces(Map<String, String> paths) {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, paths, rootlessEuid, rootlessCgroups, stdioPaths, phase, helperPid, helperStartTime,
                hookPid, hookStartTime);
    }

    public ContainerState withCgroups(Map<String, String> paths) {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                paths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, phase, helperPid, helperStartTime,
                hookPid, hookStartTime);
    }

    public ContainerState withInit(int pid, long startTime) {
        return new ContainerState(ociVersion, id, pid, startTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, phase, helperPid, helperStartTime,
                hookPid, hookStartTime);
    }

    /** True while the record describes a container that create or restore has not finished making. */
    public boolean creating() {
        return PHASE_CREATING.equals(phase);
    }

    /** The record of a container still being made (see {@link #phase}). */
    public ContainerState asCreating() {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, PHASE_CREATING, helperPid,
                helperStartTime, hookPid, hookStartTime);
    }

    /** The same record with the process that is making the container. */
    public ContainerState withHelper(int pid, long startTime) {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, phase, pid, startTime,
                hookPid, hookStartTime);
    }

    /** The same record with the hook that is running now (see {@link #hookPid}). */
    public ContainerState withHook(int pid, long startTime) {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, phase, helperPid, helperStartTime,
                pid, startTime);
    }

    /** The record of the finished container: no phase, no helper, no hook. */
    public ContainerState complete() {
        return new ContainerState(ociVersion, id, initPid, initStartTime, bundle, rootfs, created, owner, annotations,
                cgroupPaths, namespacePaths, rootlessEuid, rootlessCgroups, stdioPaths, null, 0, 0, 0, 0);
    }

    /** runc's state.json "rootless": both rootless EUID and rootless cgroups (derived, written for tools that read it). */
    @com.fasterxml.jackson.annotation.JsonProperty("rootless")
    public boolean rootless() {
        return rootlessEuid && rootlessCgroups;
    }
}
