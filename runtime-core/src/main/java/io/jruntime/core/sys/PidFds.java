package io.jruntime.core.sys;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Process file descriptors: a handle on one process that, unlike its pid, can never come to name another process
 * once the first one is gone. The daemon pins its client with one ({@code SO_PEERPIDFD}, or {@code pidfd_open}
 * on kernels before 6.5) so what it reads from /proc/PID is known to belong to the process that connected.
 */
public final class PidFds {
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERPIDFD = 77;
    private static final int ENOPROTOOPT = 92;

    private PidFds() {
    }

    private static final class Getsockopt {
        static final MethodHandle H = Libc.errnoHandle("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Syscall2 {
        static final MethodHandle H = Libc.errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT), 1);
    }

    private static final class Syscall4 {
        static final MethodHandle H = Libc.errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), 1);
    }

    /** The same numbers on x86_64 and the generic table (arm64, riscv64). */
    private static final long NR_PIDFD_SEND_SIGNAL = 424;
    private static final long NR_PIDFD_OPEN = 434;

    /**
     * The pidfd of the process at the other end of a connected AF_UNIX socket (SO_PEERPIDFD, Linux 6.5), taken
     * by the kernel at connect time; -1 when the kernel does not know the option.
     */
    public static int peerPidfd(int sock) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            if ((int) Getsockopt.H.invokeExact(st, sock, SOL_SOCKET, SO_PEERPIDFD, v, len) < 0) {
                if (Libc.errno(st) == ENOPROTOOPT) {
                    return -1;
                }
                throw new SyscallException("getsockopt SO_PEERPIDFD", Libc.errno(st));
            }
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** pidfd_open(2) with O_CLOEXEC semantics (pidfds are always close-on-exec). */
    public static int open(int pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            long fd = (long) Syscall2.H.invokeExact(st, NR_PIDFD_OPEN, pid, 0);
            if (fd < 0) {
                throw new SyscallException("pidfd_open " + pid, Libc.errno(st));
            }
            return (int) fd;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Whether the process is still running (signal 0 through its pidfd: ESRCH once it has exited). */
    public static boolean alive(int pidfd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            return (long) Syscall4.H.invokeExact(st, NR_PIDFD_SEND_SIGNAL, pidfd, 0, MemorySegment.NULL, 0) == 0;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /**
     * The pid of the pidfd's process in this process's pid namespace, from /proc/self/fdinfo: -1 once it has
     * exited, 0 when it is not visible in this pid namespace.
     */
    public static int pid(int pidfd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + pidfd))) {
                if (line.startsWith("Pid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new JRuntimeException("cannot read /proc/self/fdinfo/" + pidfd + ": " + e.getMessage());
        }
        throw new JRuntimeException("/proc/self/fdinfo/" + pidfd + " has no Pid: line (not a pidfd?)");
    }
}
