package io.jruntime.core.mounts;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.IdMapping;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Mount;

import java.util.List;

/**
 * What jruntime can do with the idmap/ridmap mount options (runtime-spec 1.2) and refuses with a message
 * otherwise: a bind mount idmapped to the container's own user namespace (mount_setattr MOUNT_ATTR_IDMAP),
 * prepared by jruntime-init while it is still real root. Mappings of a mount's own, different from the
 * container's, would need a second user namespace and are refused rather than applied wrongly.
 */
public final class IdmapPlan {
    private IdmapPlan() {
    }

    public static void check(String field, Mount m, MountOptions.Parsed o, boolean bind, boolean userns,
                             boolean hostRoot, Linux linux) {
        List<IdMapping> uids = m.uidMappings() == null ? List.of() : m.uidMappings();
        List<IdMapping> gids = m.gidMappings() == null ? List.of() : m.gidMappings();
        boolean hasMappings = !uids.isEmpty() || !gids.isEmpty();
        if (o.idmap().isEmpty()) {
            if (hasMappings) {
                throw new InvalidArgumentException(field + ".uidMappings: mount id mappings need the \"idmap\" or "
                        + "\"ridmap\" option");
            }
            return;
        }
        if (!bind) {
            throw new InvalidArgumentException(field + ".options: \"" + o.idmap() + "\" is supported on bind mounts only");
        }
        if (!userns) {
            throw new InvalidArgumentException(field + ".options: \"" + o.idmap() + "\" needs a user namespace "
                    + "(linux.namespaces has no \"user\"): the mount is mapped to the container's user namespace");
        }
        if (!hostRoot) {
            throw new InvalidArgumentException(field + ".options: \"" + o.idmap() + "\" needs jruntime to run as "
                    + "root in the host's user namespace (idmapping a mount needs CAP_SYS_ADMIN over its filesystem)");
        }
        if (hasMappings && linux != null && (!same(uids, linux.uidMappings())
                || !same(gids, linux.gidMappings()))) {
            throw new InvalidArgumentException(field + ".uidMappings: mappings different from the container's "
                    + "(linux.uidMappings/gidMappings) are not supported; omit them to use the container's");
        }
    }

    private static boolean same(List<IdMapping> a, List<IdMapping> b) {
        List<IdMapping> other = b == null ? List.of() : b;
        if (a.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            IdMapping x = a.get(i);
            IdMapping y = other.get(i);
            if (!java.util.Objects.equals(x.containerID(), y.containerID()) || !java.util.Objects.equals(x.hostID(), y.hostID())
                    || !java.util.Objects.equals(x.size(), y.size())) {
                return false;
            }
        }
        return true;
    }
}
