package io.jruntime.core.lifecycle;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Openat2;
import io.jruntime.core.sys.Fds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.logging.Logger;

/**
 * The home directory of a uid from a container's /etc/passwd, for HOME (runc sets it the same way). The file
 * belongs to the container, so it is opened relative to an fd of the container's root with the kernel keeping
 * the resolution inside it (openat2 RESOLVE_IN_ROOT, no magic links), must be a regular file, and is read up to
 * {@link #MAX_BYTES}: no symlink, fifo or device the container plants can make jruntime read a host file or hang.
 */
public final class ContainerPasswd {
    static final int MAX_BYTES = 4 << 20;
    /** What runc uses when the uid has no entry (or there is no passwd file). */
    static final String DEFAULT_HOME = "/";

    private ContainerPasswd() {
    }

    private static Logger log() {
        return Logger.getLogger(ContainerPasswd.class.getName());
    }

    /** The home of uid in root/etc/passwd, or "/" when there is none. root: the rootfs, or /proc/PID/root. */
    public static String home(Path root, long uid) {
        String passwd;
        try {
            passwd = read(root);
        } catch (JRuntimeException e) {
            log().fine("HOME: using " + DEFAULT_HOME + ": " + e.getMessage());
            return DEFAULT_HOME;
        }
        return passwd == null ? DEFAULT_HOME : homeOf(passwd, uid);
    }

    /** The passwd line of uid (name:pw:uid:gid:gecos:home:shell) decides; the first match wins, as in libc. */
    static String homeOf(String passwd, long uid) {
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 7 || line.startsWith("#")) {
                continue;
            }
            try {
                if (Long.parseLong(f[2].trim()) == uid) {
                    return f[5].isEmpty() ? DEFAULT_HOME : f[5];
                }
            } catch (NumberFormatException e) {
                // not a valid entry: skipped, as runc's parser skips it
            }
        }
        return DEFAULT_HOME;
    }

    /** The file's text, or null when the container has none. */
    private static String read(Path root) {
        int rootFd = Fds.open(root.toString(), Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
        int fd;
        try {
            fd = Openat2.open(rootFd, "etc/passwd", Fds.O_RDONLY | Fds.O_NONBLOCK | Fds.O_CLOEXEC,
                    Openat2.RESOLVE_IN_ROOT | Openat2.RESOLVE_NO_MAGICLINKS);
        } catch (io.jruntime.core.sys.SyscallException e) {
            if (e.errno() == io.jruntime.core.sys.Errno.ENOENT) {
                return null;
            }
            throw e;
        } finally {
            Fds.close(rootFd);
        }
        try {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
            } catch (IOException e) {
                throw new JRuntimeException("cannot stat the container's /etc/passwd: " + e.getMessage(), e);
            }
            if (!a.isRegularFile()) {
                throw new JRuntimeException("the container's /etc/passwd is not a regular file");
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (buf.size() < MAX_BYTES) {
                byte[] b = Fds.read(fd, 65536, "the container's /etc/passwd");
                if (b == null || b.length == 0) {
                    break;
                }
                buf.writeBytes(b);
            }
            if (buf.size() >= MAX_BYTES) {
                throw new JRuntimeException("the container's /etc/passwd is larger than " + MAX_BYTES + " bytes");
            }
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            Fds.close(fd);
        }
    }
}
