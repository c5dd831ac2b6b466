package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.rootless.RootlessRules;
import io.jruntime.core.security.SecurityModules;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.terminal.TerminalProxy;
import io.jruntime.core.userns.IdMapWriter;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import io.jruntime.spec.SpecValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * A bundle's config.json, read and checked the same way for everything that makes a container from it (create,
 * restore): validated against the bundle, refused early for what this host or a rootless caller cannot do,
 * with the rootfs path resolved.
 *
 * @param bundle     absolute, normalized bundle directory
 * @param configPath bundle/config.json
 * @param rootfs     absolute rootfs path (root.path resolved against the bundle)
 */
public record BundleConfig(Path bundle, Path configPath, Spec spec, Path rootfs) {

    public static BundleConfig load(RuntimeContext ctx, Path bundleDir) {
        Path bundle = bundleDir.toAbsolutePath().normalize();
        Path configPath = bundle.resolve("config.json");
        Spec spec = absoluteMountDestinations(SpecIO.read(configPath));
        SpecValidator.check(spec, bundle);
        if (ctx.rootlessEuid()) {
            RootlessRules.check(spec, Integer.toUnsignedLong(Processes.geteuid()), Integer.toUnsignedLong(Processes.getegid()),
                    IdMapWriter.helper("newuidmap") != null, IdMapWriter.helper("newgidmap") != null);
        }
        if (spec.process() != null) {
            SecurityModules.check("process.apparmorProfile", spec.process().apparmorProfile(),
                    "process.selinuxLabel", spec.process().selinuxLabel());
        }
        if (spec.linux() != null) {
            SecurityModules.check(null, null, "linux.mountLabel", spec.linux().mountLabel());
        }
        Path rootfs = Path.of(spec.root().path());
        rootfs = (rootfs.isAbsolute() ? rootfs : bundle.resolve(rootfs)).normalize();
        return new BundleConfig(bundle, configPath, spec, rootfs);
    }

    /**
     * runc 1.1.5 takes a relative mount destination as relative to the container's / with this warning (its
     * words); the destination is then resolved inside the rootfs like any other.
     */
    static Spec absoluteMountDestinations(Spec spec) {
        if (spec.mounts() == null) {
            return spec;
        }
        List<Mount> mounts = new ArrayList<>(spec.mounts().size());
        boolean changed = false;
        for (Mount m : spec.mounts()) {
            String dest = m.destination();
            if (dest != null && !dest.isEmpty() && !dest.startsWith("/")) {
                Logger.getLogger(BundleConfig.class.getName()).warning("mount destination " + dest + " is not absolute."
                        + " Support for non-absolute mount destinations will be removed in a future release.");
                m = new Mount("/" + dest, m.type(), m.source(), m.options(), m.uidMappings(), m.gidMappings(),
                        m.unknownFields());
                changed = true;
            }
            mounts.add(m);
        }
        return changed ? spec.withMounts(mounts) : spec;
    }

    public boolean terminal() {
        return spec.process() != null && Boolean.TRUE.equals(spec.process().terminal());
    }

    /**
     * A terminal must go somewhere: a console socket, or (foreground) a sink that proxies it to the caller's own
     * terminal. Both refusals are runc's, with its words, before anything is created.
     */
    public void requireTerminalDestination(String consoleSocket, IntConsumer terminalSink) {
        if (!terminal() || consoleSocket != null) {
            return;
        }
        if (terminalSink == null) {
            throw new InvalidArgumentException("cannot allocate tty if jruntime will detach without setting console "
                    + "socket (process.terminal is true and no --console-socket was given)");
        }
        TerminalProxy.requireHostConsole();
    }
}
