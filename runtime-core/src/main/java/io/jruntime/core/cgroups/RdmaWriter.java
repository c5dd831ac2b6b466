package io.jruntime.core.cgroups;

import io.jruntime.core.cgroups.CgroupResources.Rdma;

import java.util.Map;
import java.util.TreeMap;

/** rdma.max: the same file on cgroup v1 and v2 (runc fs/rdma.go, fs2 via fscommon). */
final class RdmaWriter {
    private static final String R = ResourceWriter.R;

    private RdmaWriter() {
    }

    static void write(ResourceWriter w, Map<String, Rdma> rdma) {
        ResourceWriter.Target t = w.target("rdma", R + "rdma");
        for (Map.Entry<String, Rdma> e : new TreeMap<>(rdma).entrySet()) {
            Rdma r = e.getValue();
            String v = e.getKey() + " hca_handle=" + (r.hcaHandles() == null ? "max" : r.hcaHandles())
                    + " hca_object=" + (r.hcaObjects() == null ? "max" : r.hcaObjects());
            CgroupFiles.write(R + "rdma[\"" + e.getKey() + "\"]", t.dir(), "rdma.max", v);
        }
    }
}
