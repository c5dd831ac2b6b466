package io.jruntime.cli;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.LogFormat;

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
     * Without --root, a non-root user with $XDG_RUNTIME_DIR gets $XDG_RUNTIME_DIR/jruntime (runc's rule); the euid
     * is only looked up in that case.
     *
     * @throws InvalidArgumentException bad --log-format (runc: "invalid log-format: X")
     */
    static GlobalOptions toOptions(ParsedArgs a, Path cwd, String xdgRuntimeDir) {
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
        if (root != null && !root.isEmpty()) {
            rootPath = cwd.resolve(root).normalize();
        } else if (xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty() && Identity.euid() != 0) {
            rootPath = cwd.resolve(xdgRuntimeDir).resolve("jruntime").normalize();
        } else {
            rootPath = Path.of(GlobalOptions.DEFAULT_ROOT);
        }
        String log = a.value("log");
        String criu = a.value("criu");
        return new GlobalOptions(rootPath, log == null || log.isEmpty() ? null : cwd.resolve(log).normalize(), format,
                a.bool("debug"), a.bool("systemd-cgroup"), a.value("rootless", "auto"),
                criu == null || criu.isEmpty() ? null : criu);
    }
}
