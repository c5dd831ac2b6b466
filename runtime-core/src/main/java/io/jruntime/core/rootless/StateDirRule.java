package io.jruntime.core.rootless;

import java.nio.file.Path;

/**
 * Where container state lives when no {@code --root} is given:
 * <ul>
 * <li>euid 0 in the initial user namespace: {@code /run/jruntime}, whatever XDG_RUNTIME_DIR says;</li>
 * <li>otherwise {@code $XDG_RUNTIME_DIR/jruntime} when XDG_RUNTIME_DIR is set; as root inside a user namespace
 * only when USER is set and is not "root" (a login of a real user, e.g. rootless Podman, not a container's
 * root that happens to inherit the variable);</li>
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
        if (xdgSet && (euid != 0 || (user != null && !user.isEmpty() && !user.equals("root")))) {
            return new Choice(Path.of(xdgRuntimeDir).resolve("jruntime"), null);
        }
        String who = euid != 0 ? "running as uid " + Integer.toUnsignedString(euid)
                : "running as root inside a user namespace";
        String why = !xdgSet ? "XDG_RUNTIME_DIR is not set"
                : "XDG_RUNTIME_DIR is only used there when USER names a non-root user (USER="
                        + (user == null ? "unset" : "\"" + user + "\"") + ")";
        return new Choice(null, "no state directory: " + who + " and " + why
                + "; give one with --root (a directory you own, preferably on tmpfs), or "
                + (xdgSet ? "set USER to the non-root user whose XDG_RUNTIME_DIR it is" : "set XDG_RUNTIME_DIR"));
    }
}
