package io.jruntime.criu.migrate;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.lifecycle.BundleConfig;
import io.jruntime.core.state.StateStore;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecValidator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundle a moved container is restored from, on the receiving host: the bundle's own config.json (the target
 * host's rootfs, cgroups, mounts), or, when the bundle has none, the config the container had (written into the
 * bundle), with {@code --mount DEST=SOURCE} replacing the source of the mount at DEST. The adjusted config is
 * written next to the images (the state directory keeps a copy of it, as of any config restore used); the bundle's
 * own config.json is never rewritten.
 */
public final class TargetBundle {
    private TargetBundle() {
    }

    /** One {@code --mount DEST=SOURCE}: the source (absolute on this host) of the mount at destination DEST. */
    public record MountOverride(String destination, Path source) {
        /** Parses DEST=SOURCE, SOURCE resolved against cwd. */
        public static MountOverride parse(String flag, String value, Path cwd) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1 || !value.startsWith("/")) {
                throw new InvalidArgumentException("--" + flag + " " + value + ": expected DEST=SOURCE, DEST the absolute "
                        + "destination inside the container");
            }
            return new MountOverride(value.substring(0, eq), cwd.resolve(value.substring(eq + 1)).normalize());
        }

        public static List<MountOverride> parseAll(String flag, List<String> values, Path cwd) {
            return values.stream().map(v -> parse(flag, v, cwd)).toList();
        }
    }

    /**
     * Writes {@code fallbackConfig} as the bundle's config.json when it has none (returns true then, so a failure can
     * take it away again).
     */
    public static boolean provideConfig(Path bundle, byte[] fallbackConfig) {
        Path cfg = bundle.resolve("config.json");
        if (Files.exists(cfg) || fallbackConfig == null) {
            return false;
        }
        try {
            Files.createDirectories(bundle);
            StateStore.writePrivate(cfg, fallbackConfig);
            return true;
        } catch (IOException e) {
            throw new JRuntimeException("cannot write " + cfg + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bundle's config with the overrides applied; when there are any, the adjusted config is written to
     * {@code workDir/config.json} and the returned BundleConfig names that file.
     */
    public static BundleConfig load(RuntimeContext ctx, Path bundle, List<MountOverride> overrides, Path workDir) {
        BundleConfig bc = BundleConfig.load(ctx, bundle);
        if (overrides.isEmpty()) {
            return bc;
        }
        Spec spec = apply(bc.spec(), overrides);
        SpecValidator.check(spec, bc.bundle());
        Path file = workDir.resolve("config.json");
        try {
            Files.createDirectories(workDir);
            StateStore.writePrivate(file, SpecIO.toPrettyJson(spec));
        } catch (IOException e) {
            throw new JRuntimeException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return new BundleConfig(bc.bundle(), file, spec, bc.rootfs());
    }

    static Spec apply(Spec spec, List<MountOverride> overrides) {
        List<Mount> mounts = new ArrayList<>(spec.mounts() == null ? List.of() : spec.mounts());
        for (MountOverride o : overrides) {
            boolean found = false;
            for (int i = 0; i < mounts.size(); i++) {
                Mount m = mounts.get(i);
                if (normalize(m.destination()).equals(normalize(o.destination()))) {
                    mounts.set(i, new Mount(m.destination(), m.type(), o.source().toString(), m.options(),
                            m.uidMappings(), m.gidMappings(), m.unknownFields()));
                    found = true;
                }
            }
            if (!found) {
                throw new InvalidArgumentException("--mount " + o.destination() + "=" + o.source()
                        + ": config.json has no mount with destination " + o.destination());
            }
        }
        return spec.withMounts(mounts);
    }

    private static String normalize(String dest) {
        return dest == null ? "" : Path.of("/").resolve(dest).normalize().toString();
    }
}
