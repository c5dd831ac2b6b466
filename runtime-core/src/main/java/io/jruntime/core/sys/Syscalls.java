package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The one typed facade over native calls. Each method binds its libc symbol on first use (holder classes),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and
 * the object it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Syscalls {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private Syscalls() {
    }

    private static SyscallException fail(String what, MemorySegment state) {
        return new SyscallException(what, Libc.errno(state));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- identity -------------------------------------------------------------------------------------

    private static final class Geteuid {
        static final MethodHandle H = Libc.handle("geteuid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int geteuid() {
        try {
            return (int) Geteuid.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Getegid {
        static final MethodHandle H = Libc.handle("getegid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int getegid() {
        try {
            return (int) Getegid.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- files ----------------------------------------------------------------------------------------

    private static final class Open {
        static final MethodHandle H = Libc.errnoHandle("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    /** open(2); the path is named in the error. */
    public static int open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int fd = (int) Open.H.invokeExact(st, a.allocateFrom(path), flags, mode);
            if (fd < 0) {
                throw fail("open " + path, st);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Close {
        static final MethodHandle H = Libc.errnoHandle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int rc = (int) Close.H.invokeExact(st, fd);
            if (rc < 0 && Libc.errno(st) != Errno.EINTR) {
                throw fail("close fd " + fd, st);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final class Flock {
        static final MethodHandle H = Libc.errnoHandle("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** flock(2), retried on EINTR. Returns false only for LOCK_NB when the lock is held elsewhere. */
    public static boolean flock(int fd, int op, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            while (true) {
                int rc = (int) Flock.H.invokeExact(st, fd, op);
                if (rc == 0) {
                    return true;
                }
                int e = Libc.errno(st);
                if (e == Errno.EINTR) {
                    continue;
                }
                if (e == Errno.EWOULDBLOCK && (op & LOCK_NB) != 0) {
                    return false;
                }
                throw new SyscallException("flock " + what, e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- processes ------------------------------------------------------------------------------------

    private static final class Kill {
        static final MethodHandle H = Libc.errnoHandle("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** kill(2). Returns the errno (0 on success) so callers can treat ESRCH as "already gone". */
    public static int kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            int rc = (int) Kill.H.invokeExact(st, pid, signal);
            return rc == 0 ? 0 : Libc.errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
