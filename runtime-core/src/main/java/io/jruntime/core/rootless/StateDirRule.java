package io.jruntime.core.rootless;

import java.nio.file.Path;

/**
 * Where container state lives when no {@code --root} is given:
 * <ul>
 * <li>euid 0 in the initial user namespace: {@code /run/jruntime}, whatever XDG_RUNTIME_DIR says;</li>
 * <li>otherwise {@code $XDG_RUNTIME_DIR/jruntime} when XDG_RUNTIME_DIR is set and not empty; as root inside a
 * user namespace only when USER is unset or is not "root" (runc 1.1.5's {@code shouldHonorXDGRuntimeDir}:
 * {@code u, ok := os.LookupEnv("USER"); return !ok || u != "root"}). Rootless Podman runs the runtime as root in
 * its user namespace with XDG_RUNTIME_DIR but no USER, so "unset" must count as a user's login; only an explicit
 * USER=root (a container's root that inherited the variable) falls through. runc's pull-request text said
 * "$USER != "" && $USER != "root"", which would refuse Podman; engines depend on the shipped code;</li>
 * <li>otherwise there is no safe default: the caller must say where with --root.</li>
 * </ul>
 */
public final class StateDirRule {
    public static final Path ROOTFUL_DEFAULT = Path.of("/run/jruntime");

    /** Either a directory or the reason there is none (then {@code dir} is null). */
    public record Choice(Path dir, String error) {
    }

    private StateDirRule() {
    }

    /**
     * @param euid             our effective uid
     * @param initialUserns    true when /proc/self/uid_map is the identity map (see
     *                         {@link RootlessDecision#inInitialUserNamespace})
     * @param xdgRuntimeDir    $XDG_RUNTIME_DIR or null
     * @param user             $USER or null
     */
    public static Choice choose(int euid, boolean initialUserns, String xdgRuntimeDir, String user) {
        if (euid == 0 && initialUserns) {
            return new Choice(ROOTFUL_DEFAULT, null);
        }
        boolean xdgSet = xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty();
        if (xdgSet && (euid != 0 || !"root".equals(user))) {
            return new Choice(Path.of(xdgRuntimeDir).resolve("jruntime"), null);
        }
        String who = euid != 0 ? "running as uid " + Integer.toUnsignedString(euid)
                : "running as root inside a user namespace";
        String why = !xdgSet ? "XDG_RUNTIME_DIR is not set"
                : "XDG_RUNTIME_DIR is not used there when USER=root (it is likely root's own, inherited)";
        return new Choice(null, "no state directory: " + who + " and " + why
                + "; give one with --root (a directory you own, preferably on tmpfs), or "
                + (xdgSet ? "unset USER or set it to the user whose XDG_RUNTIME_DIR it is" : "set XDG_RUNTIME_DIR"));
    }
}
