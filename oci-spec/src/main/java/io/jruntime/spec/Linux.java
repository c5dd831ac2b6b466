package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux section of config.json.
 *
 * @param uidMappings       uid mappings of a new user namespace
 * @param gidMappings       gid mappings of a new user namespace
 * @param sysctl            kernel parameters to set inside the container's namespaces
 * @param resources         cgroup limits
 * @param cgroupsPath       absolute cgroup path, or {@code slice:prefix:name} with the systemd driver
 * @param namespaces        namespaces to create (no path) or join (path)
 * @param devices           device nodes to create
 * @param seccomp           syscall filter
 * @param rootfsPropagation propagation of the rootfs mount (shared, slave, private, unbindable, r*)
 * @param maskedPaths       paths made unreadable
 * @param readonlyPaths     paths remounted read-only
 * @param mountLabel        SELinux context for mounts
 * @param intelRdt          resctrl class of service
 * @param personality       personality(2) domain
 * @param timeOffsets       clock offsets of a new time namespace, keyed by clock (monotonic, boottime)
 * @param netDevices        host network devices to move into the container, keyed by host name
 * @param memoryPolicy      set_mempolicy(2) parameters
 */
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        Personality personality,
        Map<String, TimeOffset> timeOffsets,
        Map<String, NetDevice> netDevices,
        MemoryPolicy memoryPolicy,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Linux {
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        sysctl = Immutable.map(sysctl);
        namespaces = Immutable.list(namespaces);
        devices = Immutable.list(devices);
        maskedPaths = Immutable.list(maskedPaths);
        readonlyPaths = Immutable.list(readonlyPaths);
        timeOffsets = Immutable.map(timeOffsets);
        netDevices = Immutable.map(netDevices);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /** The first namespace entry of the given type ({@code "pid"}, {@code "network"}, ...), if any. */
    public Optional<Namespace> namespace(String type) {
        if (namespaces == null) {
            return Optional.empty();
        }
        return namespaces.stream().filter(ns -> type.equals(ns.type())).findFirst();
    }

    public Linux withNamespaces(List<Namespace> newNamespaces) {
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, newNamespaces, devices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality, timeOffsets,
                netDevices, memoryPolicy, unknownFields);
    }

    public Linux withIdMappings(List<IdMapping> newUidMappings, List<IdMapping> newGidMappings) {
        return new Linux(newUidMappings, newGidMappings, sysctl, resources, cgroupsPath, namespaces, devices,
                seccomp, rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality,
                timeOffsets, netDevices, memoryPolicy, unknownFields);
    }

    public Linux withResources(Resources newResources) {
        return new Linux(uidMappings, gidMappings, sysctl, newResources, cgroupsPath, namespaces, devices, seccomp,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, intelRdt, personality, timeOffsets,
                netDevices, memoryPolicy, unknownFields);
    }

    /**
     * A namespace to create or join.
     *
     * @param type pid, network, mount, ipc, uts, user, cgroup or time
     * @param path namespace file to join (e.g. /proc/1234/ns/net); absent means create a new one
     */
    public record Namespace(
            String type,
            String path,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Namespace {
            unknownFields = Immutable.unknown(unknownFields);
        }

        public Namespace(String type) {
            this(type, null, null);
        }
    }

    /**
     * A device node to make available in the container.
     *
     * @param path     absolute path inside the container
     * @param type     c (char), b (block), u (unbuffered char) or p (FIFO)
     * @param major    major number; not used for p
     * @param minor    minor number; not used for p
     * @param fileMode permission bits (uint32)
     * @param uid      owner in the container (uint32)
     * @param gid      group in the container (uint32)
     */
    public record Device(
            String path,
            String type,
            Long major,
            Long minor,
            Long fileMode,
            Long uid,
            Long gid,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Device {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Offset of one clock in a new time namespace.
     *
     * @param secs     seconds (may be negative)
     * @param nanosecs additional nanoseconds (uint32, below one second)
     */
    public record TimeOffset(
            Long secs,
            Long nanosecs,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public TimeOffset {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Intel RDT (resctrl) settings.
     *
     * @param closID        resctrl group name; defaults to the container id
     * @param schemata      complete schemata written last
     * @param l3CacheSchema L3 cache allocation, {@code L3:<id>=<cbm>;...}
     * @param memBwSchema   memory bandwidth allocation, {@code MB:<id>=<bw>;...}
     * @param enableCMT     enable cache monitoring
     * @param enableMBM     enable memory bandwidth monitoring
     */
    public record IntelRdt(
            String closID,
            String schemata,
            String l3CacheSchema,
            String memBwSchema,
            Boolean enableCMT,
            Boolean enableMBM,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public IntelRdt {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * personality(2) settings.
     *
     * @param domain LINUX or LINUX32
     * @param flags  none are defined by the spec yet
     */
    public record Personality(
            String domain,
            List<String> flags,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Personality {
            flags = Immutable.list(flags);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * set_mempolicy(2) settings.
     *
     * @param mode  an {@code MPOL_*} mode name
     * @param nodes NUMA node list like {@code "0-3,7"}
     * @param flags {@code MPOL_F_*} flag names
     */
    public record MemoryPolicy(
            String mode,
            String nodes,
            List<String> flags,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public MemoryPolicy {
            flags = Immutable.list(flags);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * A host network device moved into the container's network namespace.
     *
     * @param name interface name inside the container; defaults to the host name (the map key)
     */
    public record NetDevice(
            String name,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public NetDevice {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }
}
