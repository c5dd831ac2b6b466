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
 * Native calls on terminals: isatty, raw mode and its restore, window size.
 * Each method binds its libc symbol on first use (one holder class per call: one seam per side effect),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and the object
 * it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Terminals {
    private Terminals() {
    }

    // ---- terminals --------------------------------------------------------------------------------------

    private static final class Isatty {
        static final MethodHandle H = Libc.handle("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public static boolean isatty(int fd) {
        try {
            return (int) Isatty.H.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private static final class Termios {
        static final MethodHandle GET = Libc.errnoHandle("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle SET = Libc.errnoHandle("tcsetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle RAW = Libc.handle("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle IOCTL = Libc.errnoHandle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    }

    /** struct termios is 60 bytes on x86_64 glibc; kept opaque. */
    private static final int TERMIOS_SIZE = 64;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSWINSZ = 0x5414;

    /** Puts fd's terminal in raw mode and returns the previous settings, for {@link #restoreTerminal}. */
    public static byte[] makeRaw(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment t = a.allocate(TERMIOS_SIZE, 8);
            if ((int) Termios.GET.invokeExact(st, fd, t) < 0) {
                throw NativeCalls.fail("tcgetattr", st);
            }
            byte[] saved = t.toArray(JAVA_BYTE);
            Termios.RAW.invokeExact(t);
            if ((int) Termios.SET.invokeExact(st, fd, 0, t) < 0) {
                throw NativeCalls.fail("tcsetattr", st);
            }
            return saved;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    public static void restoreTerminal(int fd, byte[] saved) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment t = a.allocate(TERMIOS_SIZE, 8);
            MemorySegment.copy(saved, 0, t, JAVA_BYTE, 0, saved.length);
            int ignored = (int) Termios.SET.invokeExact(st, fd, 0, t);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Copies the window size of terminal fd "from" to terminal fd "to" (best effort). */
    public static void copyWindowSize(int from, int to) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newCallState(a);
            MemorySegment ws = a.allocate(8, 8);
            if ((int) Termios.IOCTL.invokeExact(st, from, TIOCGWINSZ, ws) == 0) {
                int ignored = (int) Termios.IOCTL.invokeExact(st, to, TIOCSWINSZ, ws);
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
