package io.jruntime.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Low-level binding of libc symbols through the FFM API. Only this package's typed calls ({@link Fds},
 * {@link Processes}, {@link Sockets}, {@link Terminals}, {@link Bpf}, ...) use this class; every other part of
 * jruntime calls the typed methods there. Handles are created lazily per symbol so a command that
 * needs two calls does not pay for linking forty.
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Libc() {
    }

    /** A handle whose first argument is the segment that receives errno. */
    static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        MemorySegment sym = LOOKUP.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
    }

    /** Like {@link #errnoHandle} for a variadic function whose fixed arguments end before index firstVariadic. */
    static MethodHandle errnoHandle(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment sym = LOOKUP.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = LOOKUP.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        return LINKER.downcallHandle(sym, fd, options);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    private static final class Strerror {
        static final MethodHandle H = handle("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) Strerror.H.invokeExact(errno);
            return p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static final ValueLayout.OfInt INT = JAVA_INT;
    static final ValueLayout.OfLong LONG = JAVA_LONG;
}
