package io.jruntime.spec;

import java.util.List;

/** mounts: where each goes and the idmapping it carries. */
final class MountRules {

    private MountRules() {
    }

    static void check(List<Mount> mounts, ViolationCollector out) {
        if (mounts == null) {
            return;
        }
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = mounts.get(i);
            String at = JsonPath.index("mounts", i);
            // runc still accepts a relative destination (with a warning) for very old configs; jruntime does not
            // guess what it was relative to.
            out.absolutePath(JsonPath.field(at, "destination"), mount.destination(), "/data");
            out.noNul(JsonPath.field(at, "destination"), mount.destination());
            out.noNul(JsonPath.field(at, "source"), mount.source());
            out.noNul(JsonPath.field(at, "type"), mount.type());
            out.noNul(JsonPath.field(at, "options"), mount.options());
            out.idMappings(JsonPath.field(at, "uidMappings"), mount.uidMappings(), "uid");
            out.idMappings(JsonPath.field(at, "gidMappings"), mount.gidMappings(), "gid");
        }
    }
}
