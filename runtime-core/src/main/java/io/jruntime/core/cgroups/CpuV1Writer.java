package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.nio.file.Path;

/** The cpu controller on cgroup v1 (runc fs/cpu.go). */
final class CpuV1Writer {
    private static final String R = ResourceWriter.R;

    private CpuV1Writer() {
    }

    /** cpu.rt_*, cpu.shares (read back, as runc), CFS period/quota/burst, cpu.idle. */
    static void write(Path d, Long shares, Long quota, Long period, Long burst, Long rtRuntime, Long rtPeriod,
                      Long idle) {
        if (rtPeriod != null || rtRuntime != null) {
            writeOrdered(R + "cpu.realtimePeriod", d, "cpu.rt_period_us", rtPeriod,
                    R + "cpu.realtimeRuntime", "cpu.rt_runtime_us", rtRuntime);
        }
        if (shares != null) {
            CgroupFiles.write(R + "cpu.shares", d, "cpu.shares", Long.toString(shares));
            long read = CgroupFiles.readU64(d.resolve("cpu.shares"));
            if (shares > read) {
                throw new JRuntimeException(R + "cpu.shares: " + shares + " is too large; the maximum allowed cpu-shares is " + read);
            } else if (shares < read) {
                throw new JRuntimeException(R + "cpu.shares: " + shares + " is too small; the minimum allowed cpu-shares is " + read);
            }
        }
        String quotaText = quota == null ? null : Long.toString(quota < 0 ? -1 : quota);
        CpuBandwidth.write(d, "cpu.cfs_period_us", period == null ? null : period.toString(), "cpu.cfs_quota_us", quotaText,
                "cpu.cfs_burst_us", burst == null ? null : burst.toString());
        if (idle != null) {
            CgroupFiles.write(R + "cpu.idle", d, "cpu.idle", Long.toString(idle));
        }
    }

    /** Writes file A then file B; if A fails with EINVAL and B is set, writes B first and A after. */
    private static void writeOrdered(String fieldA, Path d, String fileA, Long a, String fieldB, String fileB, Long b) {
        if (a != null) {
            try {
                CgroupFiles.write(fieldA, d, fileA, a.toString());
            } catch (CgroupWriteException e) {
                if (e.kind() != CgroupFiles.Kind.INVALID || b == null) {
                    throw e;
                }
                CgroupFiles.write(fieldB, d, fileB, b.toString());
                CgroupFiles.write(fieldA, d, fileA, a.toString());
                return;
            }
        }
        if (b != null) {
            CgroupFiles.write(fieldB, d, fileB, b.toString());
        }
    }
}
