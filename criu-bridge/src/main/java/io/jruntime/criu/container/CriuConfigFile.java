package io.jruntime.criu.container;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CRIU configuration file of a container, with runc's precedence rules: the {@code org.criu.config} annotation
 * names it (an empty value means none at all); without the annotation the host default applies,
 * {@link #DEFAULT} ({@code /etc/criu/jruntime.conf}), else runc's {@link #RUNC_DEFAULT} so a host set up for runc
 * keeps its settings. CRIU reads the file after the RPC options, so what it says (log-file=, tcp-established, ...)
 * overrides what jruntime asked for. A named file that does not exist is ignored, as CRIU itself does.
 */
final class CriuConfigFile {
    static final String ANNOTATION = "org.criu.config";
    static final Path DEFAULT = Path.of("/etc/criu/jruntime.conf");
    static final Path RUNC_DEFAULT = Path.of("/etc/criu/runc.conf");

    private CriuConfigFile() {
    }

    /** The configuration file that applies to a container with these annotations, or null for none. */
    static Path of(Map<String, String> annotations, List<Path> defaults) {
        if (annotations != null && annotations.containsKey(ANNOTATION)) {
            String v = annotations.get(ANNOTATION);
            return v == null || v.isEmpty() ? null : Path.of(v).toAbsolutePath();
        }
        for (Path d : defaults) {
            if (Files.isRegularFile(d)) {
                return d;
            }
        }
        return null;
    }

    static Path of(Map<String, String> annotations) {
        return of(annotations, List.of(DEFAULT, RUNC_DEFAULT));
    }

    /**
     * CRIU takes a single configuration file over RPC; when jruntime needs lines of its own (restore's cgroup-yard),
     * they are written first and the container's file follows, so the container's settings still win.
     */
    static Path merged(Path target, List<String> ownLines, Path containerFile) {
        StringBuilder sb = new StringBuilder();
        for (String l : ownLines) {
            sb.append(l).append('\n');
        }
        try {
            if (containerFile != null && Files.isRegularFile(containerFile)) {
                sb.append("# from ").append(containerFile).append('\n').append(Files.readString(containerFile)).append('\n');
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, sb.toString());
            return target;
        } catch (IOException e) {
            throw new JRuntimeException("cannot write the CRIU configuration " + target + ": " + e.getMessage(), e);
        }
    }
}
