package io.jruntime.core.rootless;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.userns.IdMapWriter;
import io.jruntime.spec.IdMapping;
import io.jruntime.spec.Linux;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * What a rootless-EUID jruntime (euid != 0) refuses up front, each with the field and what to do instead:
 * no user namespace, id maps that need newuidmap/newgidmap when those are missing, supplementary groups when
 * setgroups will be denied, network devices to move, idmapped mounts.
 */
public final class RootlessRules {
    private RootlessRules() {
    }

    /** @throws InvalidArgumentException naming the first problem */
    public static void check(Spec spec, long euid, long egid, boolean haveNewuidmap, boolean haveNewgidmap) {
        List<String> problems = problems(spec, euid, egid, haveNewuidmap, haveNewgidmap);
        if (!problems.isEmpty()) {
            throw new InvalidArgumentException(problems.get(0));
        }
    }

    public static List<String> problems(Spec spec, long euid, long egid, boolean haveNewuidmap, boolean haveNewgidmap) {
        List<String> out = new ArrayList<>();
        Linux linux = spec.linux();
        Linux.Namespace user = linux == null ? null : linux.namespace("user").orElse(null);
        if (user == null) {
            out.add("linux.namespaces: rootless container (jruntime runs as uid " + euid + ") requires a user namespace; "
                    + "add {\"type\": \"user\"} with uidMappings/gidMappings (see `jruntime spec --rootless`)");
            return out;
        }
        boolean newUserns = user.path() == null || user.path().isEmpty();
        if (newUserns) {
            List<String> uid = lines(linux.uidMappings());
            List<String> gid = lines(linux.gidMappings());
            if (uid.isEmpty()) {
                out.add("linux.uidMappings: a new user namespace of a rootless container needs a uid mapping (e.g. "
                        + "{\"containerID\": 0, \"hostID\": " + euid + ", \"size\": 1})");
            } else if (!haveNewuidmap && !IdMapWriter.writableDirectly(uid, euid)) {
                out.add("linux.uidMappings: rootless jruntime can only map your own uid (" + euid + ", size 1) by itself; "
                        + "other mappings need newuidmap (package uidmap) and a range in /etc/subuid");
            }
            if (gid.isEmpty()) {
                out.add("linux.gidMappings: a new user namespace of a rootless container needs a gid mapping (e.g. "
                        + "{\"containerID\": 0, \"hostID\": " + egid + ", \"size\": 1})");
            } else if (!haveNewgidmap && !IdMapWriter.writableDirectly(gid, egid)) {
                out.add("linux.gidMappings: rootless jruntime can only map your own gid (" + egid + ", size 1) by itself; "
                        + "other mappings need newgidmap (package uidmap) and a range in /etc/subgid");
            }
            boolean groups = spec.process() != null && spec.process().user() != null
                    && spec.process().user().additionalGids() != null && !spec.process().user().additionalGids().isEmpty();
            if (groups && IdMapWriter.writableDirectly(gid, egid)) {
                out.add("process.user.additionalGids: supplementary groups need setgroups(2), which must be denied when "
                        + "rootless jruntime writes gid_map itself; map a gid range through newgidmap (/etc/subgid) "
                        + "or drop additionalGids");
            }
        }
        if (linux.netDevices() != null && !linux.netDevices().isEmpty()) {
            out.add("linux.netDevices: moving host network devices into a container needs CAP_NET_ADMIN on the host; "
                    + "not possible rootless");
        }
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if ((m.uidMappings() != null && !m.uidMappings().isEmpty())
                    || (m.gidMappings() != null && !m.gidMappings().isEmpty())) {
                out.add("mounts[" + i + "]: idmapped mounts (uidMappings/gidMappings on a mount) need CAP_SYS_ADMIN in "
                        + "the initial user namespace; not possible rootless");
            }
        }
        return out;
    }

    private static List<String> lines(List<IdMapping> maps) {
        List<String> l = new ArrayList<>();
        if (maps != null) {
            for (IdMapping m : maps) {
                l.add(m.containerID() + " " + m.hostID() + " " + m.size());
            }
        }
        return l;
    }
}
