package io.jruntime.core.cgroups;

import java.nio.file.Path;

/** CFS bandwidth (period, quota, burst), written in an order the kernel accepts: v1 and v2 alike. */
final class CpuBandwidth {
    private static final String R = ResourceWriter.R;

    private CpuBandwidth() {
    }

    /**
     * CFS bandwidth: period, quota and burst in an order the kernel accepts whichever way the values move. A smaller
     * period can exceed the parent's quota ratio until the quota is written; a burst may not exceed the quota.
     */
    static void write(Path d, String periodFile, String period, String quotaFile, String quota, String burstFile,
                           String burst) {
        String pendingPeriod = null;
        if (period != null) {
            try {
                CgroupFiles.write(R + "cpu.period", d, periodFile, period);
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || quota == null) {
                    throw e;
                }
                pendingPeriod = period;
            }
        }
        boolean burstPending = false;
        if (burst != null) {
            try {
                CgroupFiles.write(R + "cpu.burst", d, burstFile, burst);
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || quota == null) {
                    throw burstHint(e, d, burstFile);
                }
                burstPending = true;
            }
        }
        if (quota != null) {
            CgroupFiles.write(R + "cpu.quota", d, quotaFile, quota);
        }
        if (pendingPeriod != null) {
            CgroupFiles.write(R + "cpu.period", d, periodFile, pendingPeriod);
        }
        if (burstPending) {
            try {
                CgroupFiles.write(R + "cpu.burst", d, burstFile, burst);
            } catch (CgroupWriteException e) {
                throw burstHint(e, d, burstFile);
            }
        }
    }

    private static CgroupWriteException burstHint(CgroupWriteException e, Path d, String burstFile) {
        if (e.kind() == CgroupFiles.Kind.NOT_FOUND) {
            return e.withHint(" (this kernel has no CPU burst support)");
        }
        if (e.kind() == CgroupFiles.Kind.INVALID) {
            return e.withHint(" (the burst must not exceed the quota, and needs a quota)");
        }
        return e;
    }
}
