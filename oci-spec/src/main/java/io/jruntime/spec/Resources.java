package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * cgroup limits ({@code linux.resources}); also the document {@code update --resources} reads.
 *
 * @param devices        device allow/deny rules, applied in order
 * @param memory         memory controller
 * @param cpu            cpu and cpuset controllers
 * @param pids           pids controller
 * @param blockIO        blkio (v1) / io (v2) controller
 * @param hugepageLimits hugetlb controller
 * @param network        net_cls and net_prio controllers
 * @param rdma           rdma controller, keyed by device name
 * @param unified        raw cgroup v2 files to write, keyed by file name (e.g. memory.high)
 */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Resources {
        devices = Immutable.list(devices);
        hugepageLimits = Immutable.list(hugepageLimits);
        rdma = Immutable.map(rdma);
        unified = Immutable.map(unified);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /**
     * One device cgroup rule.
     *
     * @param allow  allow (true) or deny (false)
     * @param type   a (all), c or b; absent means all
     * @param major  absent means all
     * @param minor  absent means all
     * @param access combination of r, w and m
     */
    public record DeviceRule(
            Boolean allow,
            String type,
            Long major,
            Long minor,
            String access,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public DeviceRule {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Memory limits in bytes; -1 means unlimited.
     *
     * @param limit             hard limit
     * @param reservation       soft limit
     * @param swap              limit of memory plus swap
     * @param kernel            deprecated kernel memory limit
     * @param kernelTCP         kernel TCP buffer limit
     * @param swappiness        vm.swappiness for the cgroup (0..100, unsigned)
     * @param disableOOMKiller  true disables the OOM killer
     * @param useHierarchy      hierarchical accounting (v1)
     * @param checkBeforeUpdate reject an update below current usage
     */
    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernel,
            Long kernelTCP,
            @Uint64 Long swappiness,
            Boolean disableOOMKiller,
            Boolean useHierarchy,
            Boolean checkBeforeUpdate,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Memory {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * CPU and cpuset settings; times in microseconds.
     *
     * @param shares          relative weight (v1 cpu.shares, unsigned)
     * @param quota           CFS quota per period; -1 means unlimited
     * @param burst           CFS burst (unsigned)
     * @param period          CFS period (unsigned)
     * @param realtimeRuntime RT runtime per period
     * @param realtimePeriod  RT period (unsigned)
     * @param cpus            cpuset CPU list like "0-3,7"
     * @param mems            cpuset memory node list
     * @param idle            1 makes the cgroup SCHED_IDLE
     */
    public record Cpu(
            @Uint64 Long shares,
            Long quota,
            @Uint64 Long burst,
            @Uint64 Long period,
            Long realtimeRuntime,
            @Uint64 Long realtimePeriod,
            String cpus,
            String mems,
            Long idle,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Cpu {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Task limit.
     *
     * @param limit maximum number of tasks; 0 or negative means unlimited
     */
    public record Pids(
            Long limit,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Pids {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Block IO weights and throttles.
     *
     * @param weight                  default weight (10..1000)
     * @param leafWeight              weight against child cgroups (10..1000, v1 CFQ only)
     * @param weightDevice            per-device weights
     * @param throttleReadBpsDevice   per-device read bytes/s
     * @param throttleWriteBpsDevice  per-device write bytes/s
     * @param throttleReadIOPSDevice  per-device read IO/s
     * @param throttleWriteIOPSDevice per-device write IO/s
     */
    public record BlockIo(
            Integer weight,
            Integer leafWeight,
            List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice,
            List<ThrottleDevice> throttleWriteBpsDevice,
            List<ThrottleDevice> throttleReadIOPSDevice,
            List<ThrottleDevice> throttleWriteIOPSDevice,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public BlockIo {
            weightDevice = Immutable.list(weightDevice);
            throttleReadBpsDevice = Immutable.list(throttleReadBpsDevice);
            throttleWriteBpsDevice = Immutable.list(throttleWriteBpsDevice);
            throttleReadIOPSDevice = Immutable.list(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = Immutable.list(throttleWriteIOPSDevice);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /** Weight of one block device; at least one of weight and leafWeight is set. */
    public record WeightDevice(
            Long major,
            Long minor,
            Integer weight,
            Integer leafWeight,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public WeightDevice {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Rate limit of one block device.
     *
     * @param rate bytes or operations per second (unsigned)
     */
    public record ThrottleDevice(
            Long major,
            Long minor,
            @Uint64 Long rate,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public ThrottleDevice {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * hugetlb limit for one page size.
     *
     * @param pageSize like "2MB" or "1GB"
     * @param limit    bytes (unsigned)
     */
    public record HugepageLimit(
            String pageSize,
            @Uint64 Long limit,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public HugepageLimit {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * net_cls / net_prio settings.
     *
     * @param classID    net_cls class id (uint32)
     * @param priorities net_prio priority per interface
     */
    public record Network(
            Long classID,
            List<InterfacePriority> priorities,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Network {
            priorities = Immutable.list(priorities);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * net_prio priority of one interface.
     *
     * @param name     interface name in the runtime network namespace
     * @param priority priority (uint32)
     */
    public record InterfacePriority(
            String name,
            Long priority,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public InterfacePriority {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * RDMA limits of one device; at least one is set.
     *
     * @param hcaHandles maximum HCA handles (uint32)
     * @param hcaObjects maximum HCA objects (uint32)
     */
    public record Rdma(
            Long hcaHandles,
            Long hcaObjects,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Rdma {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }
}
