package io.jruntime.core.cgroups;

/** pids.max: the same file on cgroup v1 and v2 (runc fs/pids.go, fs2/pids.go). */
final class PidsWriter {
    private static final String R = ResourceWriter.R;

    private PidsWriter() {
    }

    static void write(ResourceWriter w, long limit) {
        ResourceWriter.Target t = w.target("pids", R + "pids.limit");
        CgroupFiles.write(R + "pids.limit", t.dir(), "pids.max", limit > 0 ? Long.toString(limit) : "max");
    }
}
