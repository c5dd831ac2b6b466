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
            // A relative destination is made absolute (relative to /, with runc's warning) before validation by
            // io.jruntime.core.lifecycle.BundleConfig; anything else that reaches here must be absolute.
            out.absolutePath(JsonPath.field(at, "destination"), mount.destination(), "/data");
            out.noNul(JsonPath.field(at, "destination"), mount.destination());
            out.noNul(JsonPath.field(at, "source"), mount.source());
            out.noNul(JsonPath.field(at, "type"), mount.type());
            out.noNul(JsonPath.field(at, "options"), mount.options());
            // runc 1.1.5 refuses "remount" on a bind mount (its mount(2) fails with EINVAL); jruntime says so
            // before anything is created.
            if (isBind(mount) && mount.options().contains("remount")) {
                out.add(JsonPath.field(at, "options"), "\"remount\" is not allowed on a bind mount; drop it (a bind"
                        + " mount is created, not remounted) and keep the other options such as \"ro\"");
            }
            out.idMappings(JsonPath.field(at, "uidMappings"), mount.uidMappings(), "uid");
            out.idMappings(JsonPath.field(at, "gidMappings"), mount.gidMappings(), "gid");
        }
    }

    private static boolean isBind(Mount mount) {
        return mount.options() != null
                && ("bind".equals(mount.type()) || mount.options().contains("bind") || mount.options().contains("rbind"));
    }
}
