package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.cgroups.CgroupResources.Network;

/** net_cls.classid and net_prio.ifpriomap: cgroup v1 only controllers (runc fs/net_cls.go, fs/net_prio.go). */
final class NetworkV1Writer {
    private static final String R = ResourceWriter.R;

    private NetworkV1Writer() {
    }

    static void write(ResourceWriter w, Network n) {
        if (n.classID() != null) {
            ResourceWriter.Target t = w.target("net_cls", R + "network.classID");
            if (t.v2()) {
                throw new JRuntimeException(R + "network.classID: net_cls is not available on cgroup v2");
            }
            CgroupFiles.write(R + "network.classID", t.dir(), "net_cls.classid", Long.toString(n.classID()));
        }
        if (n.priorities() != null && !n.priorities().isEmpty()) {
            ResourceWriter.Target t = w.target("net_prio", R + "network.priorities");
            if (t.v2()) {
                throw new JRuntimeException(R + "network.priorities: net_prio is not available on cgroup v2");
            }
            for (int i = 0; i < n.priorities().size(); i++) {
                var p = n.priorities().get(i);
                CgroupFiles.write(R + "network.priorities[" + i + "]", t.dir(), "net_prio.ifpriomap",
                        p.name() + " " + p.priority());
            }
        }
    }
}
