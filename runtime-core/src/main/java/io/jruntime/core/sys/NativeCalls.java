package io.jruntime.core.sys;

import java.lang.foreign.MemorySegment;

/** What every native call of this package shares: how a failed call and a downcall's Throwable become exceptions. */
final class NativeCalls {
    private NativeCalls() {
    }

    static SyscallException fail(String what, MemorySegment state) {
        return new SyscallException(what, Libc.errno(state));
    }

    /** A downcall's Throwable as something to throw: Errors as they are, checked ones wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
