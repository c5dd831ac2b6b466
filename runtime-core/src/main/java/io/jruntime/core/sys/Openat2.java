package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * openat2(2): opens a path relative to a directory fd with the kernel enforcing how it may be resolved. Used to
 * read files a container controls (its /etc/passwd) without a symlink or ".." ever reaching a host file.
 */
public final class Openat2 {
    /** Symlinks and ".." are resolved as if the dirfd were "/" (never above it). */
    public static final long RESOLVE_IN_ROOT = 0x10;
    /** No /proc/PID/fd-style magic links anywhere in the path. */
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;

    private static final long NR = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64", "aarch64", "arm64" -> 437;
        default -> -1;
    };

    private static final class H {
        static final MethodHandle SYSCALL = Libc.errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), 1);
    }

    private Openat2() {
    }

    /** Returns the new fd; throws a SyscallException naming {@code path} on failure. */
    public static int open(int dirfd, String path, long flags, long resolve) {
        if (NR < 0) {
            throw new SyscallException("openat2 " + path + " (syscall number unknown for "
                    + System.getProperty("os.arch") + ")", Errno.ENOSYS);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment how = a.allocate(24);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, 0L);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment st = Libc.newCallState(a);
            long fd = (long) H.SYSCALL.invokeExact(st, NR, (long) dirfd, a.allocateFrom(path), how, 24L);
            if (fd < 0) {
                throw new SyscallException("openat2 " + path, Libc.errno(st));
            }
            return (int) fd;
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat2 " + path, t);
        }
    }
}
