package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** linux.resources.unified: cgroup v2 files written as given (runc fs2 unified). */
final class UnifiedV2Writer {
    private static final String R = ResourceWriter.R;

    private UnifiedV2Writer() {
    }

    static void write(Cgroup cg, Map<String, String> unified) {
        Path u = cg.path("");
        if (u == null) {
            String k = new TreeMap<>(unified).firstKey();
            throw new JRuntimeException(R + "unified[\"" + k + "\"]: cgroup v2 is not available for this container ("
                    + (cg.rootless() ? "rootless: its cgroup could not be created" : "this host has cgroup v1 only") + ")");
        }
        for (Map.Entry<String, String> e : new TreeMap<>(unified).entrySet()) {
            String key = e.getKey();
            String field = R + "unified[\"" + key + "\"]";
            Path file = u.resolve(key);
            if (!Files.exists(file) && cg.mode() == CgroupLayout.HYBRID) {
                String controller = key.substring(0, key.indexOf('.'));
                if (!controller.equals("cgroup")) {
                    ResourceWriter.enableInHybrid(u, controller, field);
                }
            }
            if (!Files.exists(file)) {
                String controller = key.substring(0, key.indexOf('.'));
                String why = cg.mode() == CgroupLayout.HYBRID
                        ? "the " + controller + " controller is not available in the cgroup v2 tree of this hybrid host "
                        + "(v1 controllers carry the resources; use the matching linux.resources field instead)"
                        : "the " + controller + " controller is not enabled for this cgroup, or the key is unknown";
                throw new JRuntimeException(field + ": cannot write " + e.getValue() + " to " + file
                        + ": No such file or directory (" + why + ")");
            }
            CgroupFiles.write(field, u, key, e.getValue());
        }
    }
}
