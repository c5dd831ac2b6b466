package io.jruntime.core.cgroups;

import java.util.List;
import java.util.Map;

/**
 * Mirror of the runtime-spec {@code linux.resources} object, field for field and with the same names, so an adapter
 * from the OCI config model is a one-to-one copy. {@code null} everywhere means "not set": at create time the kernel
 * default (or the parent's value) stays, on {@code update} the current value stays.
 *
 * <p>Byte counts are {@code Long}; {@code -1} means unlimited where the spec says so. As in runc, a {@code 0} memory
 * limit/reservation/swap/kernel/kernelTCP is treated like "not set".
 *
 * @param devices        linux.resources.devices, applied in order (null = leave the devices controller alone)
 * @param memory         linux.resources.memory
 * @param cpu            linux.resources.cpu
 * @param pids           linux.resources.pids
 * @param blockIO        linux.resources.blockIO
 * @param hugepageLimits linux.resources.hugepageLimits
 * @param network        linux.resources.network
 * @param rdma           linux.resources.rdma (device name -> limits)
 * @param unified        linux.resources.unified (cgroup v2 file name -> value, written verbatim)
 */
public record CgroupResources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {

    public CgroupResources {
        devices = devices == null ? null : List.copyOf(devices);
        hugepageLimits = hugepageLimits == null ? null : List.copyOf(hugepageLimits);
        rdma = rdma == null ? null : Map.copyOf(rdma);
        unified = unified == null ? null : Map.copyOf(unified);
    }

    /** Nothing set at all. */
    public static final CgroupResources NONE = new CgroupResources(null, null, null, null, null, null, null, null, null);

    public static CgroupResources none() {
        return NONE;
    }

    /** True when no field at all is set (so creating the cgroup requests no limits). */
    public boolean isEmpty() {
        return (devices == null || devices.isEmpty()) && (memory == null || memory.isEmpty()) && (cpu == null || cpu.isEmpty())
                && (pids == null || pids.limit() == null) && (blockIO == null || blockIO.isEmpty())
                && (hugepageLimits == null || hugepageLimits.isEmpty()) && (network == null || network.isEmpty())
                && (rdma == null || rdma.isEmpty()) && (unified == null || unified.isEmpty());
    }

    public CgroupResources withDevices(List<DeviceRule> d) {
        return new CgroupResources(d, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    public CgroupResources withMemory(Memory m) {
        return new CgroupResources(devices, m, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    public CgroupResources withCpu(Cpu c) {
        return new CgroupResources(devices, memory, c, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    public CgroupResources withPids(Pids p) {
        return new CgroupResources(devices, memory, cpu, p, blockIO, hugepageLimits, network, rdma, unified);
    }

    public CgroupResources withBlockIO(BlockIo b) {
        return new CgroupResources(devices, memory, cpu, pids, b, hugepageLimits, network, rdma, unified);
    }

    public CgroupResources withHugepageLimits(List<HugepageLimit> h) {
        return new CgroupResources(devices, memory, cpu, pids, blockIO, h, network, rdma, unified);
    }

    public CgroupResources withNetwork(Network n) {
        return new CgroupResources(devices, memory, cpu, pids, blockIO, hugepageLimits, n, rdma, unified);
    }

    public CgroupResources withRdma(Map<String, Rdma> r) {
        return new CgroupResources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, r, unified);
    }

    public CgroupResources withUnified(Map<String, String> u) {
        return new CgroupResources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, u);
    }

    /**
     * linux.resources.devices[]: {@code type} is "a", "c" or "b" (null = "a"); {@code major}/{@code minor} null or
     * -1 = wildcard; {@code access} is a combination of r, w, m (null or empty = "rwm").
     */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
        public static DeviceRule allow(String type, Long major, Long minor, String access) {
            return new DeviceRule(true, type, major, minor, access);
        }

        public static DeviceRule deny(String type, Long major, Long minor, String access) {
            return new DeviceRule(false, type, major, minor, access);
        }

        /** The deny-everything rule runc puts first ({"allow": false, "access": "rwm"}). */
        public static DeviceRule denyAll() {
            return new DeviceRule(false, null, null, null, "rwm");
        }
    }

    /** linux.resources.memory. All byte values; swap is memory+swap (as in the spec and runc). */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
                         Boolean disableOOMKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {
        public static Memory ofLimit(long limit) {
            return new Memory(limit, null, null, null, null, null, null, null, null);
        }

        public Memory withSwap(Long s) {
            return new Memory(limit, reservation, s, kernel, kernelTCP, swappiness, disableOOMKiller, useHierarchy, checkBeforeUpdate);
        }

        public Memory withCheckBeforeUpdate(Boolean c) {
            return new Memory(limit, reservation, swap, kernel, kernelTCP, swappiness, disableOOMKiller, useHierarchy, c);
        }

        boolean isEmpty() {
            return limit == null && reservation == null && swap == null && kernel == null && kernelTCP == null
                    && swappiness == null && disableOOMKiller == null && useHierarchy == null;
        }
    }

    /** linux.resources.cpu. Times are microseconds as in the spec. */
    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle) {
        public static Cpu of(Long shares, Long quota, Long period) {
            return new Cpu(shares, quota, null, period, null, null, null, null, null);
        }

        boolean isEmpty() {
            return shares == null && quota == null && burst == null && period == null && realtimeRuntime == null
                    && realtimePeriod == null && (cpus == null || cpus.isEmpty()) && (mems == null || mems.isEmpty())
                    && idle == null;
        }
    }

    /** linux.resources.pids; limit -1 or 0 means unlimited ("max"). */
    public record Pids(Long limit) {
    }

    /** linux.resources.blockIO. */
    public record BlockIo(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
                          List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
                          List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice) {
        public BlockIo {
            weightDevice = weightDevice == null ? null : List.copyOf(weightDevice);
            throttleReadBpsDevice = throttleReadBpsDevice == null ? null : List.copyOf(throttleReadBpsDevice);
            throttleWriteBpsDevice = throttleWriteBpsDevice == null ? null : List.copyOf(throttleWriteBpsDevice);
            throttleReadIOPSDevice = throttleReadIOPSDevice == null ? null : List.copyOf(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = throttleWriteIOPSDevice == null ? null : List.copyOf(throttleWriteIOPSDevice);
        }

        boolean isEmpty() {
            return weight == null && leafWeight == null && empty(weightDevice) && empty(throttleReadBpsDevice)
                    && empty(throttleWriteBpsDevice) && empty(throttleReadIOPSDevice) && empty(throttleWriteIOPSDevice);
        }

        private static boolean empty(List<?> l) {
            return l == null || l.isEmpty();
        }
    }

    /** linux.resources.blockIO.weightDevice[]. */
    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {
    }

    /** linux.resources.blockIO.throttle*Device[]; rate in bytes/s or IO/s, 0 removes the limit. */
    public record ThrottleDevice(long major, long minor, long rate) {
    }

    /** linux.resources.hugepageLimits[]: pageSize like "2MB", "1GB"; limit in bytes. */
    public record HugepageLimit(String pageSize, long limit) {
    }

    /** linux.resources.network. */
    public record Network(Long classID, List<InterfacePriority> priorities) {
        public Network {
            priorities = priorities == null ? null : List.copyOf(priorities);
        }

        boolean isEmpty() {
            return classID == null && (priorities == null || priorities.isEmpty());
        }
    }

    /** linux.resources.network.priorities[]. */
    public record InterfacePriority(String name, long priority) {
    }

    /** linux.resources.rdma.&lt;device&gt;; null = unlimited ("max"). */
    public record Rdma(Long hcaHandles, Long hcaObjects) {
    }
}
