package io.jruntime.cli;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.LogFormat;
import io.jruntime.core.rootless.RootlessDecision;
import io.jruntime.core.rootless.StateDirRule;

import java.nio.file.Path;

/** The global flags (given before the command name) and their conversion to {@link GlobalOptions}. */
public final class GlobalFlags {
    public static final FlagSpec SPEC = FlagSpec.command("jruntime")
            .synopsis("jruntime [global options] command [command options] [arguments...]")
            .description("jruntime is an Open Container Initiative runtime written in Java and a drop-in for runc:",
                    "same commands, flags, exit codes, state JSON and log format. A container is made from a bundle,",
                    "a directory holding a config.json (see `jruntime spec`) and a root filesystem.",
                    "",
                    "To run a container from the bundle in the current directory:  jruntime run <container-id>",
                    "")
            .bool("debug", "enable debug logging")
            .value("log", "log file to write jruntime's logs to (default: stderr)")
            .value("log-format", "log format: text (default) or json")
            .value("root", "directory for container state, preferably on tmpfs (default: \"" + GlobalOptions.DEFAULT_ROOT + "\")")
            .value("criu", "CRIU binary used by checkpoint and restore (default: looked up without relying on PATH)")
            .bool("systemd-cgroup", "manage cgroups through systemd; cgroupsPath is \"slice:prefix:name\", e.g. \"system.slice:jruntime:434234\"")
            .value("rootless", "ignore cgroup permission errors: true, false or auto (default: \"auto\")")
            .bool("version", "v", "print the version")
            .build();

    private GlobalFlags() {
    }

    /**
     * Without --root the state directory follows {@link StateDirRule}: /run/jruntime for root in the initial user
     * namespace, else $XDG_RUNTIME_DIR/jruntime (for root in a user namespace only with a non-root $USER), else
     * none: commands that need state then fail asking for --root.
     *
     * @throws InvalidArgumentException bad --log-format (runc: "invalid log-format: X")
     */
    static GlobalOptions toOptions(ParsedArgs a, Path cwd, String xdgRuntimeDir) {
        return toOptions(a, cwd, xdgRuntimeDir, System.getenv("USER"));
    }

    static GlobalOptions toOptions(ParsedArgs a, Path cwd, String xdgRuntimeDir, String user) {
        String logFormat = a.value("log-format", "text");
        LogFormat format;
        switch (logFormat) {
            case "text":
                format = LogFormat.TEXT;
                break;
            case "json":
                format = LogFormat.JSON;
                break;
            default:
                throw new InvalidArgumentException("invalid log-format: " + logFormat);
        }
        String root = a.value("root");
        Path rootPath;
        String rootError = null;
        if (root != null && !root.isEmpty()) {
            rootPath = cwd.resolve(root).normalize();
        } else {
            int euid = Identity.euid();
            // /proc/self/uid_map is only read when it matters (euid 0): non-root never gets /run/jruntime.
            String uidMap = euid == 0 ? Identity.uidMap() : null;
            boolean initial = euid == 0 && (uidMap == null || RootlessDecision.inInitialUserNamespace(uidMap));
            StateDirRule.Choice c = StateDirRule.choose(euid, initial, xdgRuntimeDir, user);
            rootPath = c.dir() == null ? null : cwd.resolve(c.dir()).normalize();
            rootError = c.error();
            if (c.underXdg()) {
                rootError = StateDirRule.prepareXdgDir(rootPath);
            }
        }
        String log = a.value("log");
        String criu = a.value("criu");
        return new GlobalOptions(rootPath, log == null || log.isEmpty() ? null : cwd.resolve(log).normalize(), format,
                a.bool("debug"), a.bool("systemd-cgroup"), a.value("rootless", "auto"),
                criu == null || criu.isEmpty() ? null : criu, rootError);
    }
}
