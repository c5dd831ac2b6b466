package io.jruntime.core.cgroups;

import io.jruntime.core.cgroups.CgroupResources.BlockIo;
import io.jruntime.core.cgroups.CgroupResources.ThrottleDevice;
import io.jruntime.core.cgroups.CgroupResources.WeightDevice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The io controller on cgroup v2 (runc fs2/io.go), from the spec's blockIO. */
final class IoV2Writer {
    private static final String R = ResourceWriter.R;

    private IoV2Writer() {
    }

    /** v1 blkio weight (10..1000) to v2 io.weight (1..10000). */
    static long blkioWeightToIoWeight(long w) {
        if (w == 0) {
            return 0;
        }
        return 1 + (w - 10) * 9999 / 990;
    }

    /** io.weight (or io.bfq.weight), per-device weights, io.max throttles; no leaf weight on v2. */
    static void write(Path d, BlockIo b) {
        boolean bfq = Files.exists(d.resolve("io.bfq.weight"));
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                CgroupFiles.write(R + "blockIO.weight", d, "io.bfq.weight", b.weight().toString());
            } else {
                CgroupFiles.write(R + "blockIO.weight", d, "io.weight", "default " + blkioWeightToIoWeight(b.weight()));
            }
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            Cgroup.log().warning(R + "blockIO.leafWeight is ignored: cgroup v2 has no leaf weight");
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                WeightDevice w = b.weightDevice().get(i);
                if (w.weight() != null) {
                    CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].weight", d, bfq ? "io.bfq.weight" : "io.weight",
                            w.major() + ":" + w.minor() + " " + (bfq ? w.weight() : blkioWeightToIoWeight(w.weight())));
                }
            }
        }
        throttle(d, "throttleReadBpsDevice", "rbps", b.throttleReadBpsDevice());
        throttle(d, "throttleWriteBpsDevice", "wbps", b.throttleWriteBpsDevice());
        throttle(d, "throttleReadIOPSDevice", "riops", b.throttleReadIOPSDevice());
        throttle(d, "throttleWriteIOPSDevice", "wiops", b.throttleWriteIOPSDevice());
    }

    private static void throttle(Path d, String field, String key, List<ThrottleDevice> l) {
        if (l == null) {
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            ThrottleDevice t = l.get(i);
            CgroupFiles.write(R + "blockIO." + field + "[" + i + "]", d, "io.max",
                    t.major() + ":" + t.minor() + " " + key + "=" + (t.rate() == 0 ? "max" : Long.toString(t.rate())));
        }
    }
}
