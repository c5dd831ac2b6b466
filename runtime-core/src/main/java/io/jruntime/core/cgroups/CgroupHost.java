package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the host's cgroup layout is, read from /proc/self/mountinfo, /proc/cgroups and /proc/self/cgroup.
 *
 * @param mode        unified, legacy or hybrid
 * @param hierarchies the v1 hierarchies that are mounted (one per distinct hierarchy; co-mounted controllers share one)
 * @param unified     the cgroup2 mount, or null
 * @param ownCgroups  the caller's own cgroup path per hierarchy key as /proc/self/cgroup shows it: a controller name
 *                    ("memory"), a named hierarchy ("name=systemd"), or "" for cgroup2
 */
public record CgroupHost(CgroupLayout mode, List<Hierarchy> hierarchies, Hierarchy unified, Map<String, String> ownCgroups) {

    /** Controllers the kernel knows when /proc/cgroups cannot be read. */
    static final Set<String> KNOWN_V1 = Set.of("cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer",
            "net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc", "debug");

    public CgroupHost {
        hierarchies = List.copyOf(hierarchies);
        ownCgroups = Collections.unmodifiableMap(new LinkedHashMap<>(ownCgroups));
    }

    /**
     * One mounted hierarchy.
     *
     * @param mountPoint  where it is mounted
     * @param root        the mount's root inside the hierarchy (field 4 of mountinfo; "/" unless bind-mounted or in a
     *                    cgroup namespace)
     * @param controllers v1 controller names and/or "name=..." for named hierarchies; empty for cgroup2
     * @param v2          true for the cgroup2 hierarchy
     */
    public record Hierarchy(Path mountPoint, String root, Set<String> controllers, boolean v2) {
        public Hierarchy {
            controllers = Collections.unmodifiableSet(new LinkedHashSet<>(controllers));
        }

        /** The hierarchy keys this mount serves: its controllers, or "" for cgroup2. */
        public List<String> keys() {
            return v2 ? List.of("") : List.copyOf(controllers);
        }
    }

    private static volatile CgroupHost cached;

    /** Detects the layout of this machine (cached after the first call; the layout does not change at run time). */
    public static CgroupHost detect() {
        CgroupHost h = cached;
        if (h == null) {
            h = detectFresh();
            cached = h;
        }
        return h;
    }

    /**
     * This layout with the own cgroups of process pid (its /proc/PID/cgroup): the base of a relative cgroupsPath
     * for a caller the daemon acts for. The layout itself is the daemon's: PeerCheck serves only callers in its
     * mount and cgroup namespaces.
     */
    public CgroupHost withOwnCgroupsOf(int pid) {
        return new CgroupHost(mode, hierarchies, unified, parseOwn(read(Path.of("/proc/" + pid + "/cgroup"))));
    }

    /** Detects without the cache. */
    public static CgroupHost detectFresh() {
        return detectFresh("self");
    }

    private static CgroupHost detectFresh(String proc) {
        String mountinfo = read(Path.of("/proc/" + proc + "/mountinfo"));
        String self = read(Path.of("/proc/" + proc + "/cgroup"));
        String procCgroups;
        try {
            procCgroups = Files.readString(Path.of("/proc/cgroups"));
        } catch (IOException e) {
            procCgroups = null;
        }
        return parse(mountinfo, self, procCgroups);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new JRuntimeException("cannot read " + p + ": " + CgroupFiles.reason(e), e);
        }
    }

    /**
     * Parses the three proc files (procCgroups may be null). Pure: unit tests feed it text.
     */
    public static CgroupHost parse(String mountinfo, String selfCgroup, String procCgroups) {
        Set<String> known = new LinkedHashSet<>();
        if (procCgroups != null) {
            for (String line : procCgroups.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                known.add(line.split("\\s+")[0]);
            }
        }
        if (known.isEmpty()) {
            known.addAll(KNOWN_V1);
        }
        // mount point -> hierarchy; later mounts on the same point hide earlier ones
        Map<Path, Hierarchy> byMountPoint = new LinkedHashMap<>();
        for (String line : mountinfo.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sep = line.indexOf(" - ");
            if (sep < 0) {
                continue;
            }
            String[] pre = line.substring(0, sep).split(" ");
            String[] post = line.substring(sep + 3).split(" ");
            if (pre.length < 5 || post.length < 1) {
                continue;
            }
            String fsType = post[0];
            Path mp = Path.of(unescape(pre[4]));
            String root = unescape(pre[3]);
            if (fsType.equals("cgroup2")) {
                byMountPoint.remove(mp);
                byMountPoint.put(mp, new Hierarchy(mp, root, Set.of(), true));
            } else if (fsType.equals("cgroup")) {
                Set<String> ctrls = new LinkedHashSet<>();
                String superOpts = post.length >= 3 ? post[2] : "";
                for (String opt : superOpts.split(",")) {
                    if (opt.startsWith("name=") || known.contains(opt)) {
                        ctrls.add(opt);
                    }
                }
                byMountPoint.remove(mp);
                if (!ctrls.isEmpty()) {
                    byMountPoint.put(mp, new Hierarchy(mp, root, ctrls, false));
                }
            } else {
                // something else mounted over a cgroup mount point hides it
                byMountPoint.remove(mp);
            }
        }
        List<Hierarchy> v1 = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Hierarchy unified = null;
        for (Hierarchy h : byMountPoint.values()) {
            if (h.v2()) {
                // prefer the canonical places
                if (unified == null || h.mountPoint().equals(Path.of("/sys/fs/cgroup"))
                        || (h.mountPoint().equals(Path.of("/sys/fs/cgroup/unified"))
                        && !unified.mountPoint().equals(Path.of("/sys/fs/cgroup")))) {
                    unified = h;
                }
                continue;
            }
            // the same hierarchy may be mounted twice (bind mounts); keep the first
            if (h.controllers().stream().anyMatch(seen::contains)) {
                continue;
            }
            seen.addAll(h.controllers());
            v1.add(h);
        }
        CgroupLayout mode;
        if (unified != null && unified.mountPoint().equals(Path.of("/sys/fs/cgroup"))) {
            mode = CgroupLayout.UNIFIED;
            v1.clear();
        } else if (!v1.isEmpty()) {
            mode = unified != null ? CgroupLayout.HYBRID : CgroupLayout.LEGACY;
        } else if (unified != null) {
            mode = CgroupLayout.UNIFIED;
        } else {
            throw new JRuntimeException("no cgroup filesystem is mounted (no cgroup or cgroup2 entry in /proc/self/mountinfo); "
                    + "mount cgroup2 at /sys/fs/cgroup");
        }
        return new CgroupHost(mode, v1, unified, parseOwn(selfCgroup));
    }

    /** A /proc/PID/cgroup file as hierarchy key to path (null: none). */
    static Map<String, String> parseOwn(String selfCgroup) {
        Map<String, String> own = new LinkedHashMap<>();
        if (selfCgroup != null) {
            for (String line : selfCgroup.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(":", 3);
                if (parts.length < 3) {
                    continue;
                }
                String path = parts[2];
                if (parts[1].isEmpty()) {
                    if (parts[0].equals("0")) {
                        own.put("", path);
                    }
                    continue;
                }
                for (String c : parts[1].split(",")) {
                    own.put(c, path);
                }
            }
        }
        return own;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** The v1 hierarchy serving a controller or named hierarchy ("name=systemd"), or null. */
    public Hierarchy v1(String controller) {
        for (Hierarchy h : hierarchies) {
            if (h.controllers().contains(controller)) {
                return h;
            }
        }
        return null;
    }

    /** All mounted v1 controller names (without named hierarchies). */
    public Set<String> v1Controllers() {
        Set<String> s = new LinkedHashSet<>();
        for (Hierarchy h : hierarchies) {
            for (String c : h.controllers()) {
                if (!c.startsWith("name=")) {
                    s.add(c);
                }
            }
        }
        return s;
    }

    /** Every hierarchy a container cgroup is made in: the v1 ones, plus cgroup2 unless legacy. */
    public List<Hierarchy> all() {
        List<Hierarchy> l = new ArrayList<>(hierarchies);
        if (unified != null && mode != CgroupLayout.LEGACY) {
            l.add(unified);
        }
        return l;
    }

    /**
     * The caller's own cgroup directory in a hierarchy: its mount point joined with the caller's path relative to the
     * mount's root. If the path is not below the mount root (cgroup namespace, odd bind mount) the mount point itself.
     */
    public Path ownDirectory(Hierarchy h) {
        String own = null;
        for (String k : h.keys()) {
            own = ownCgroups.get(k);
            if (own != null) {
                break;
            }
        }
        if (own == null) {
            return h.mountPoint();
        }
        String rel = relativeTo(own, h.root());
        if (rel == null) {
            return h.mountPoint();
        }
        return rel.isEmpty() ? h.mountPoint() : h.mountPoint().resolve(rel);
    }

    private static String relativeTo(String path, String root) {
        if (path.endsWith(" (deleted)")) {
            return null;
        }
        String p = stripSlashes(path);
        String r = stripSlashes(root);
        if (r.isEmpty()) {
            return p;
        }
        if (p.equals(r)) {
            return "";
        }
        if (p.startsWith(r + "/")) {
            return p.substring(r.length() + 1);
        }
        return null;
    }

    static String stripSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '/') {
            b--;
        }
        return s.substring(a, b);
    }

    /** Controllers listed in the cgroup2 root's cgroup.controllers (empty if no cgroup2 or unreadable). */
    public Set<String> unifiedControllers() {
        if (unified == null) {
            return Set.of();
        }
        return CgroupFiles.readControllers(unified.mountPoint().resolve("cgroup.controllers"));
    }

    /** True when systemd runs as init (the check systemd's own sd_booted(3) does). */
    public static boolean systemdRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }
}
