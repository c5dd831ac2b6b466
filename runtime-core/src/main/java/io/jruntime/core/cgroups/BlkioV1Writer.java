package io.jruntime.core.cgroups;

import io.jruntime.core.cgroups.CgroupResources.BlockIo;
import io.jruntime.core.cgroups.CgroupResources.ThrottleDevice;
import io.jruntime.core.cgroups.CgroupResources.WeightDevice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The blkio controller on cgroup v1 (runc fs/blkio.go). */
final class BlkioV1Writer {
    private static final String R = ResourceWriter.R;

    private BlkioV1Writer() {
    }

    /** blkio weights (bfq when the plain files are missing), weight devices, throttles. */
    static void write(Path d, BlockIo b) {
        boolean bfq = !Files.exists(d.resolve("blkio.weight")) && Files.exists(d.resolve("blkio.bfq.weight"));
        if (b.weight() != null && b.weight() != 0) {
            CgroupFiles.write(R + "blockIO.weight", d, bfq ? "blkio.bfq.weight" : "blkio.weight", b.weight().toString());
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            CgroupFiles.write(R + "blockIO.leafWeight", d, "blkio.leaf_weight", b.leafWeight().toString());
        }
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                WeightDevice w = b.weightDevice().get(i);
                if (w.weight() != null) {
                    CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].weight", d,
                            bfq ? "blkio.bfq.weight_device" : "blkio.weight_device",
                            w.major() + ":" + w.minor() + " " + w.weight());
                }
                if (w.leafWeight() != null) {
                    CgroupFiles.write(R + "blockIO.weightDevice[" + i + "].leafWeight", d, "blkio.leaf_weight_device",
                            w.major() + ":" + w.minor() + " " + w.leafWeight());
                }
            }
        }
        throttle(d, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
        throttle(d, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
        throttle(d, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", b.throttleReadIOPSDevice());
        throttle(d, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice());
    }

    private static void throttle(Path d, String field, String file, List<ThrottleDevice> l) {
        if (l == null) {
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            ThrottleDevice t = l.get(i);
            CgroupFiles.write(R + "blockIO." + field + "[" + i + "]", d, file, t.major() + ":" + t.minor() + " " + t.rate());
        }
    }
}
