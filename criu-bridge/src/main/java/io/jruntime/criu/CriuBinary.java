package io.jruntime.criu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the criu executable is. Finding it costs a few stat calls; asking it for its version needs a
 * {@link CriuClient}.
 */
public record CriuBinary(Path path) {
    /** Looked at, in this order, when no explicit path is given and before $PATH. */
    public static final List<String> WELL_KNOWN = List.of("/usr/local/sbin/criu", "/usr/sbin/criu", "/usr/bin/criu");

    public static final String NOT_FOUND = "CRIU not found: install CRIU " + CriuVersion.RECOMMENDED
            + " (make deps) or pass --criu PATH";

    public CriuBinary {
        if (path == null) {
            throw new IllegalArgumentException("criu path is null");
        }
    }

    /**
     * Finds criu: {@code explicitPath} (the user's {@code --criu PATH}) when given, which must then be an executable
     * file; otherwise the first executable of {@link #WELL_KNOWN}, then the directories of $PATH. Engines may run us
     * without any PATH at all, which is why the well-known locations come first.
     *
     * @throws CriuException (NOT_FOUND) with a message telling the user what to do
     */
    public static CriuBinary locate(String explicitPath) {
        return locate(explicitPath, System.getenv("PATH"));
    }

    /** {@link #locate(String)} with an explicit $PATH value (null or empty for none). */
    public static CriuBinary locate(String explicitPath, String pathEnv) {
        return locate(explicitPath, pathEnv, WELL_KNOWN);
    }

    static CriuBinary locate(String explicitPath, String pathEnv, List<String> wellKnown) {
        if (explicitPath != null && !explicitPath.isEmpty()) {
            Path p = Path.of(explicitPath);
            if (!Files.exists(p)) {
                throw new CriuException(CriuException.Kind.NOT_FOUND, "locate",
                        "CRIU not found at " + explicitPath + " (--criu): no such file");
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new CriuException(CriuException.Kind.NOT_FOUND, "locate",
                        "CRIU at " + explicitPath + " (--criu) is not an executable file");
            }
            return new CriuBinary(p.toAbsolutePath());
        }
        for (String candidate : candidates(pathEnv, wellKnown)) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new CriuBinary(p);
            }
        }
        throw new CriuException(CriuException.Kind.NOT_FOUND, "locate", NOT_FOUND);
    }

    static List<String> candidates(String pathEnv, List<String> wellKnown) {
        List<String> out = new ArrayList<>(wellKnown);
        if (pathEnv != null) {
            for (String dir : pathEnv.split(File.pathSeparator)) {
                if (!dir.isEmpty() && dir.startsWith("/")) {
                    String c = dir.endsWith("/") ? dir + "criu" : dir + "/criu";
                    if (!out.contains(c)) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
