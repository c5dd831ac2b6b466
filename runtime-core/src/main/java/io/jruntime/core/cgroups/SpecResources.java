package io.jruntime.core.cgroups;

import io.jruntime.spec.Resources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Copies the config model's {@code linux.resources} into the cgroup manager's own records, field for field. */
public final class SpecResources {
    private SpecResources() {
    }

    public static CgroupResources from(Resources r) {
        if (r == null) {
            return CgroupResources.NONE;
        }
        return new CgroupResources(
                map(r.devices(), d -> new CgroupResources.DeviceRule(Boolean.TRUE.equals(d.allow()), d.type(), d.major(), d.minor(), d.access())),
                r.memory() == null ? null : new CgroupResources.Memory(r.memory().limit(), r.memory().reservation(),
                        r.memory().swap(), r.memory().kernel(), r.memory().kernelTCP(), r.memory().swappiness(),
                        r.memory().disableOOMKiller(), r.memory().useHierarchy(), r.memory().checkBeforeUpdate()),
                r.cpu() == null ? null : new CgroupResources.Cpu(r.cpu().shares(), r.cpu().quota(), r.cpu().burst(),
                        r.cpu().period(), r.cpu().realtimeRuntime(), r.cpu().realtimePeriod(), r.cpu().cpus(), r.cpu().mems(),
                        r.cpu().idle()),
                r.pids() == null ? null : new CgroupResources.Pids(r.pids().limit()),
                r.blockIO() == null ? null : new CgroupResources.BlockIo(r.blockIO().weight(), r.blockIO().leafWeight(),
                        map(r.blockIO().weightDevice(), w -> new CgroupResources.WeightDevice(w.major(), w.minor(), w.weight(), w.leafWeight())),
                        map(r.blockIO().throttleReadBpsDevice(), SpecResources::throttle),
                        map(r.blockIO().throttleWriteBpsDevice(), SpecResources::throttle),
                        map(r.blockIO().throttleReadIOPSDevice(), SpecResources::throttle),
                        map(r.blockIO().throttleWriteIOPSDevice(), SpecResources::throttle)),
                map(r.hugepageLimits(), h -> new CgroupResources.HugepageLimit(h.pageSize(), h.limit())),
                r.network() == null ? null : new CgroupResources.Network(r.network().classID(),
                        map(r.network().priorities(), p -> new CgroupResources.InterfacePriority(p.name(), p.priority()))),
                r.rdma() == null ? null : rdma(r.rdma()),
                r.unified());
    }

    private static CgroupResources.ThrottleDevice throttle(Resources.ThrottleDevice t) {
        return new CgroupResources.ThrottleDevice(t.major(), t.minor(), t.rate());
    }

    private static Map<String, CgroupResources.Rdma> rdma(Map<String, Resources.Rdma> in) {
        Map<String, CgroupResources.Rdma> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, new CgroupResources.Rdma(v.hcaHandles(), v.hcaObjects())));
        return out;
    }

    private static <A, B> List<B> map(List<A> in, Function<A, B> f) {
        return in == null ? null : in.stream().map(f).toList();
    }
}
