package io.jruntime.criu;

/**
 * A cgroup root remap for restore (criu --cgroup-root [controller:]/path): tasks of {@code controller} (all
 * controllers when null) are restored below {@code path}.
 */
public record CgroupRoot(String controller, String path) {
    public CgroupRoot {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("cgroup root path is empty");
        }
    }

    public static CgroupRoot all(String path) {
        return new CgroupRoot(null, path);
    }
}
