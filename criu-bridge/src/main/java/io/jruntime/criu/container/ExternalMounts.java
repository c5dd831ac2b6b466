package io.jruntime.criu.container;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.lifecycle.BundleConfig;
import io.jruntime.core.lifecycle.Container;
import io.jruntime.core.lifecycle.ContainerStarter;
import io.jruntime.core.state.ContainerState;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The external mounts of a checkpoint, for the code that moves one to another host (export/import, migrate):
 * what a running container would declare to CRIU (before anything is frozen), what a set of images recorded,
 * and whether a target bundle provides every one of them — the preflight that lets a migration be refused
 * while the source still runs. Keys are destinations inside the container, as {@link ContainerCheckpoint} declares them.
 *
 * @param externals destination to the source on this host, in mount order
 * @param masked    masked files among them (bound to /dev/null, provided by every host)
 */
public record ExternalMounts(Map<String, String> externals, List<String> masked) {

    /** What a checkpoint of the running container {@code id} would declare (read under its lock; nothing frozen). */
    public static ExternalMounts ofContainer(RuntimeContext ctx, String id) {
        try (Container c = Container.lock(ctx.store(), id)) {
            ContainerState s = c.state();
            Spec spec = ContainerStarter.savedConfig(ctx.store(), id);
            if (spec == null) {
                throw new JRuntimeException("container " + id + " has no saved config.json in its state directory: "
                        + "cannot work out its mounts");
            }
            List<String> masked = ContainerMounts.maskedFiles(spec, s.initPid());
            return new ExternalMounts(ContainerMounts.of(spec, id, Path.of(s.bundle()), Path.of(s.rootfs()), c.cgroup(),
                    s.rootlessEuid()).externals(masked), masked);
        }
    }

    /** What the images in {@code images} recorded; null for images without jruntime's manifest. */
    public static ExternalMounts recordedIn(Path images) {
        CheckpointManifest m = CheckpointManifest.read(images);
        if (m == null) {
            return null;
        }
        Map<String, String> ext = new java.util.LinkedHashMap<>();
        for (String k : m.externals()) {
            ext.put(k, "");
        }
        return new ExternalMounts(ext, m.maskedFiles());
    }

    /**
     * Why {@code bc} cannot take these mounts: its rootfs is missing, or an external destination has no mount in its
     * config.json, or that mount's source does not exist. One line per problem, naming the destination and the path;
     * empty when restore can proceed. The container's own cgroup directories are made by restore and always match.
     */
    public List<String> problemsOn(BundleConfig bc) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(bc.rootfs())) {
            out.add("rootfs " + bc.rootfs() + " does not exist on the target (root.path of " + bc.configPath() + ")");
            return out;
        }
        List<Mount> mounts = bc.spec().mounts() == null ? List.of() : bc.spec().mounts();
        for (String dest : externals.keySet()) {
            if (masked.contains(dest) || dest.equals("/sys/fs/cgroup") || dest.startsWith("/sys/fs/cgroup/")) {
                continue;
            }
            Mount match = null;
            for (Mount m : mounts) {
                if (m.destination() != null && InRootPath.resolve(bc.rootfs(), m.destination()).equals(dest)) {
                    match = m;
                }
            }
            if (match == null) {
                if (dest.startsWith("/dev/")) {
                    continue; // a host device node bound in a user namespace: linux.devices, checked by restore
                }
                out.add("mount " + dest + ": the target's config.json (" + bc.configPath() + ") has no mount there");
                continue;
            }
            if (match.source() == null) {
                out.add("mount " + dest + ": no source in the target's config.json");
                continue;
            }
            Path src = Path.of(match.source());
            src = src.isAbsolute() ? src : bc.bundle().resolve(src).normalize();
            if (!Files.exists(src)) {
                out.add("mount " + dest + ": source " + src + " does not exist on the target");
            }
        }
        return out;
    }
}
