package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolved {@code linux.cgroupsPath} for the cgroupfs driver, with runc's semantics:
 * <ul>
 *   <li>absolute ("/machine/ctr1"): relative to each hierarchy's mount point (its root), not to the caller's cgroup;</li>
 *   <li>relative ("machine/ctr1"): relative to the caller's own cgroup in each hierarchy (/proc/self/cgroup);</li>
 *   <li>empty: the container id, relative to the caller's own cgroup (runc's default: Name=id, Parent="").</li>
 * </ul>
 * "." and empty components are dropped; ".." that would climb above the base is rejected instead of being clamped.
 *
 * @param path     normalised path without leading or trailing slash, never empty
 * @param absolute whether it is anchored at the hierarchy root
 */
public record CgroupPath(String path, boolean absolute) {

    public CgroupPath {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty cgroup path");
        }
    }

    /** Error text when --systemd-cgroup is used without systemd. */
    static String systemdNotRunningMessage(String containerId) {
        return "systemd cgroup driver requested but systemd is not running (no /run/systemd/system); drop --systemd-cgroup "
                + "or use a cgroupsPath like /jruntime/" + containerId;
    }

    /**
     * Resolves cgroupsPath for the cgroupfs driver.
     *
     * @throws InvalidArgumentException when the path escapes the hierarchy, names the root cgroup, looks like the systemd
     *                                  "slice:prefix:name" form, or the container id cannot be a directory name
     */
    public static CgroupPath resolve(String containerId, String cgroupsPath) {
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            if (containerId == null || containerId.isEmpty() || containerId.contains("/") || containerId.equals(".")
                    || containerId.equals("..") || containerId.indexOf('\0') >= 0) {
                throw new InvalidArgumentException("container id \"" + containerId + "\" cannot name a cgroup directory; "
                        + "set linux.cgroupsPath");
            }
            return new CgroupPath(containerId, false);
        }
        if (cgroupsPath.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("linux.cgroupsPath \"" + cgroupsPath.replace("\0", "\\0") + "\" contains a NUL byte");
        }
        boolean absolute = cgroupsPath.startsWith("/");
        if (!absolute && cgroupsPath.split(":", -1).length == 3) {
            throw new InvalidArgumentException("linux.cgroupsPath \"" + cgroupsPath + "\" has the systemd form slice:prefix:name, "
                    + "which is only valid with --systemd-cgroup; use a path like /jruntime/" + containerId + " instead");
        }
        List<String> parts = new ArrayList<>();
        for (String c : cgroupsPath.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidArgumentException("linux.cgroupsPath \"" + cgroupsPath + "\" escapes the cgroup "
                            + (absolute ? "hierarchy root" : "of the runtime") + " with \"..\"");
                }
                parts.removeLast();
                continue;
            }
            parts.add(c);
        }
        if (parts.isEmpty()) {
            throw new InvalidArgumentException("linux.cgroupsPath \"" + cgroupsPath + "\" names "
                    + (absolute ? "the root cgroup" : "the runtime's own cgroup") + "; a container needs a cgroup of its own "
                    + "(e.g. /jruntime/" + containerId + ")");
        }
        return new CgroupPath(String.join("/", parts), absolute);
    }

    /** The directory this path names in one hierarchy. */
    public Path in(CgroupHost host, CgroupHost.Hierarchy h) {
        Path base = absolute ? h.mountPoint() : host.ownDirectory(h);
        return base.resolve(path);
    }

    @Override
    public String toString() {
        return absolute ? "/" + path : path;
    }

    /**
     * The systemd form "slice:prefix:name" (runc's --systemd-cgroup), parsed and expanded to the cgroup path systemd
     * gives the unit: "system.slice:docker:abc" -> "/system.slice/docker-abc.scope"; "a-b.slice" nests as
     * "a.slice/a-b.slice". An empty cgroupsPath means "system.slice:runc:&lt;id&gt;".
     */
    public record Systemd(String slice, String prefix, String name) {
        public static Systemd parse(String containerId, String cgroupsPath) {
            if (cgroupsPath == null || cgroupsPath.isEmpty()) {
                return new Systemd("system.slice", "runc", containerId);
            }
            String[] p = cgroupsPath.split(":", -1);
            if (p.length != 3) {
                throw new InvalidArgumentException("expected linux.cgroupsPath to be of format \"slice:prefix:name\" for "
                        + "systemd cgroups, got \"" + cgroupsPath + "\" instead");
            }
            return new Systemd(p[0].isEmpty() ? "system.slice" : p[0], p[1], p[2]);
        }

        /** The unit name: a slice when name ends in ".slice", otherwise "prefix-name.scope". */
        public String unitName() {
            if (name.endsWith(".slice")) {
                return name;
            }
            return prefix.isEmpty() ? name + ".scope" : prefix + "-" + name + ".scope";
        }

        /** Absolute cgroup path systemd uses for the unit. */
        public String cgroupPath() {
            return "/" + expandSlice(slice) + "/" + unitName();
        }

        /** "a-b-c.slice" -> "a.slice/a-b.slice/a-b-c.slice"; "-.slice" is the root. */
        public static String expandSlice(String slice) {
            if (!slice.endsWith(".slice") || slice.contains("/")) {
                throw new InvalidArgumentException("invalid systemd slice name \"" + slice + "\"");
            }
            if (slice.equals("-.slice")) {
                return "";
            }
            String base = slice.substring(0, slice.length() - ".slice".length());
            if (base.isEmpty() || base.startsWith("-") || base.endsWith("-") || base.contains("--")) {
                throw new InvalidArgumentException("invalid systemd slice name \"" + slice + "\"");
            }
            StringBuilder out = new StringBuilder();
            StringBuilder prefix = new StringBuilder();
            for (String comp : base.split("-")) {
                if (!prefix.isEmpty()) {
                    prefix.append('-');
                }
                prefix.append(comp);
                if (!out.isEmpty()) {
                    out.append('/');
                }
                out.append(prefix).append(".slice");
            }
            return out.toString();
        }
    }
}
