package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.nio.file.Path;

/** The cpu controller on cgroup v2 (runc fs2/cpu.go). */
final class CpuV2Writer {
    private static final String R = ResourceWriter.R;

    private CpuV2Writer() {
    }

    /** runc's cgroup v1 shares (2..262144) to v2 weight (1..10000) conversion; 0 stays 0 (unset). */
    static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** cpu.weight, cpu.max, cpu.max.burst, cpu.idle; real-time limits do not exist on v2. */
    static void write(Path d, Long shares, Long quota, Long period, Long burst, Long rtRuntime, Long rtPeriod,
                      Long idle) {
        if (rtPeriod != null || rtRuntime != null) {
            throw new JRuntimeException(R + (rtRuntime != null ? "cpu.realtimeRuntime" : "cpu.realtimePeriod")
                    + ": real-time scheduling limits are not supported on cgroup v2");
        }
        if (shares != null) {
            CgroupFiles.write(R + "cpu.shares", d, "cpu.weight", Long.toString(sharesToWeight(shares)));
        }
        if (quota != null || period != null || burst != null) {
            String cpuMax = null;
            if (quota != null || period != null) {
                String[] cur = CgroupFiles.readOptional(d.resolve("cpu.max")) == null ? new String[]{"max", "100000"}
                        : CgroupFiles.readTrim(d.resolve("cpu.max")).split("\\s+");
                String q = quota == null ? cur[0] : quota < 0 ? "max" : quota.toString();
                String p = period == null ? (cur.length > 1 ? cur[1] : "100000") : period.toString();
                cpuMax = q + " " + p;
            }
            CpuBandwidth.write(d, null, null, "cpu.max", cpuMax, "cpu.max.burst", burst == null ? null : burst.toString());
        }
        if (idle != null) {
            CgroupFiles.write(R + "cpu.idle", d, "cpu.idle", Long.toString(idle));
        }
    }
}
