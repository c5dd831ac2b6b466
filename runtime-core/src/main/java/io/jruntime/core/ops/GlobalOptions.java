package io.jruntime.core.ops;

import io.jruntime.core.InvalidArgumentException;

import java.nio.file.Path;

/**
 * The global flags, given before the command name.
 *
 * @param root          {@code --root}: absolute state directory (default /run/jruntime, or
 *                      $XDG_RUNTIME_DIR/jruntime when not root and XDG_RUNTIME_DIR is set, as runc does)
 * @param log           {@code --log}: log file (opened in append mode), or null for stderr
 * @param logFormat     {@code --log-format}
 * @param debug         {@code --debug}: log at debug level
 * @param systemdCgroup {@code --systemd-cgroup}: cgroupsPath is "slice:prefix:name"
 * @param rootless      {@code --rootless} exactly as given ("auto" by default); see {@link #rootlessMode()}.
 *                      runc only checks the value when a command needs it, so jruntime does too.
 * @param criu          {@code --criu}: CRIU binary, or null when not given (criu-bridge then finds it without
 *                      relying on PATH, which engines do not always set)
 * @param rootError     when no --root was given and there is no default state directory (see
 *                      {@link io.jruntime.core.rootless.StateDirRule}): the reason; {@link #root()} then fails
 *                      with it, so commands that need no state (spec, features, --version) still work
 */
public record GlobalOptions(
        Path root,
        Path log,
        LogFormat logFormat,
        boolean debug,
        boolean systemdCgroup,
        String rootless,
        String criu,
        String rootError) {

    public static final String DEFAULT_ROOT = "/run/jruntime";

    public GlobalOptions(Path root, Path log, LogFormat logFormat, boolean debug, boolean systemdCgroup,
                         String rootless, String criu) {
        this(root, log, logFormat, debug, systemdCgroup, rootless, criu, null);
    }

    /** The state directory; fails (asking for --root) when there is none. */
    @Override
    public Path root() {
        if (rootError != null) {
            throw new InvalidArgumentException(rootError);
        }
        return root;
    }

    public GlobalOptions {
        if (root == null && rootError == null) {
            root = Path.of(DEFAULT_ROOT);
        }
        if (logFormat == null) {
            logFormat = LogFormat.TEXT;
        }
        if (rootless == null) {
            rootless = "auto";
        }
    }

    /** Defaults for everything (as if no global flag was given, running as root). */
    public static GlobalOptions defaults() {
        return new GlobalOptions(null, null, null, false, false, null, null);
    }

    /** {@code --rootless} parsed like runc: "auto" or "", else Go's boolean spellings (1, t, true, TRUE, 0, f, ...). */
    public RootlessMode rootlessMode() {
        switch (rootless) {
            case "", "auto":
                return RootlessMode.AUTO;
            case "1", "t", "T", "true", "TRUE", "True":
                return RootlessMode.TRUE;
            case "0", "f", "F", "false", "FALSE", "False":
                return RootlessMode.FALSE;
            default:
                throw new InvalidArgumentException("invalid --rootless value \"" + rootless + "\": use true, false or auto");
        }
    }
}
