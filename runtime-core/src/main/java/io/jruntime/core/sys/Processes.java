package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Native calls about processes: identity (euid/egid), kill, waitpid, prctl, the process-wide umask and cwd.
 * Each method binds its libc symbol on first use (one holder class per call: one seam per side effect),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and the object
 * it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Processes {
    private Processes() {
    }

    // ---- identity -------------------------------------------------------------------------------------

    private static final class Geteuid {
        static final MethodHandle H = Libc.handle("geteuid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int geteuid() {
        try {
            return (int) Geteuid.H.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private static final class Getegid {
        static final MethodHandle H = Libc.handle("getegid", FunctionDescriptor.of(JAVA_INT));
    }

    public static int getegid() {
        try {
            return (int) Getegid.H.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
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
            throw NativeCalls.rethrow(t);
        }
    }

    // ---- process control --------------------------------------------------------------------------------

    private static final class Umask {
        static final MethodHandle H = Libc.handle("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Chdir {
        static final MethodHandle H = Libc.errnoHandle("chdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** umask(2): sets the process's file mode creation mask, returns the previous one. */
    public static int umask(int mask) {
        try {
            return (int) Umask.H.invokeExact(mask);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** chdir(2) of the whole process (native relative paths resolve against it; Java's user.dir does not follow). */
    public static void chdir(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Chdir.H.invokeExact(st, a.allocateFrom(path)) < 0) {
                throw NativeCalls.fail("chdir " + path, st);
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private static final class Waitpid {
        static final MethodHandle H = Libc.errnoHandle("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    public static final int WNOHANG = 1;

    /** Result of waitpid: the raw wait status decoded. */
    public record WaitStatus(int pid, int raw) {
        public boolean exited() {
            return (raw & 0x7f) == 0;
        }

        public int exitCode() {
            return (raw >> 8) & 0xff;
        }

        public boolean signaled() {
            return ((raw & 0x7f) + 1) >> 1 > 0 && !exited() && (raw & 0xff) != 0x7f;
        }

        public int termSignal() {
            return raw & 0x7f;
        }

        /** Shell convention used by runc: the exit code, or 128 + signal. */
        public int shellCode() {
            return exited() ? exitCode() : 128 + termSignal();
        }
    }

    /**
     * waitpid(2), retried on EINTR. Returns null with WNOHANG when the child has not changed state, and throws
     * for ECHILD so callers notice a pid that is not theirs.
     */
    public static WaitStatus waitpid(int pid, int options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment status = a.allocate(JAVA_INT);
            while (true) {
                int rc = (int) Waitpid.H.invokeExact(st, pid, status, options);
                if (rc > 0) {
                    return new WaitStatus(rc, status.get(JAVA_INT, 0));
                }
                if (rc == 0) {
                    return null;
                }
                if (Libc.errno(st) != Errno.EINTR) {
                    throw NativeCalls.fail("waitpid " + pid, st);
                }
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private static final class Prctl {
        static final MethodHandle H = Libc.errnoHandle("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    }

    public static final int PR_SET_CHILD_SUBREAPER = 36;

    public static void prctl(int option, long arg2, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            if ((int) Prctl.H.invokeExact(st, option, arg2, 0L, 0L, 0L) < 0) {
                throw NativeCalls.fail("prctl " + what, st);
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
