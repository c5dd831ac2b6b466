package io.jruntime.core.init;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates jruntime-init and hands out a sealed in-memory copy to execute. A process inside the container
 * that reaches /proc/PID/exe of the helper finds a memfd that cannot be written, shrunk or grown, so it
 * cannot replace the host's binary (the CVE-2019-5736 class of attack).
 */
public final class HelperBinary {
    public static final String NAME = "jruntime-init";

    private HelperBinary() {
    }

    /** The helper's path: -Djruntime.libdir (set by the launcher) or $JRUNTIME_LIBDIR. */
    public static Path location() {
        String dir = System.getProperty("jruntime.libdir");
        if (dir == null || dir.isEmpty()) {
            dir = System.getenv("JRUNTIME_LIBDIR");
        }
        if (dir == null || dir.isEmpty()) {
            throw new JRuntimeException("cannot find " + NAME + ": start jruntime through its launcher (bin/jruntime), "
                    + "which sets -Djruntime.libdir");
        }
        Path p = Path.of(dir, NAME);
        if (!Files.isExecutable(p)) {
            throw new JRuntimeException("cannot find " + NAME + " at " + p + ": reinstall jruntime (make install)");
        }
        return p;
    }

    /** A CLOEXEC memfd holding the helper, sealed against any change. The caller closes it. */
    public static int sealedCopy() {
        Path p = location();
        byte[] image;
        try {
            image = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new JRuntimeException("cannot read " + p + ": " + e.getMessage(), e);
        }
        int fd = Fds.memfdCreate(NAME, Fds.MFD_CLOEXEC | Fds.MFD_ALLOW_SEALING);
        try {
            Fds.writeFully(fd, image, "sealed copy of " + NAME);
            Fds.fcntl(fd, Fds.F_ADD_SEALS,
                    Fds.F_SEAL_SEAL | Fds.F_SEAL_SHRINK | Fds.F_SEAL_GROW | Fds.F_SEAL_WRITE);
            return fd;
        } catch (RuntimeException e) {
            Fds.close(fd);
            throw e;
        }
    }
}
