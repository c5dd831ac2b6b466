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
 * bpf(2) for cgroup v2 device programs: load, attach, detach, query, get by id.
 * Each method binds its libc symbol on first use (one holder class per call: one seam per side effect),
 * converts Java values, and turns a -1 return into a {@link SyscallException} that names the call and the object
 * it was about. Nothing outside this package touches MemorySegments for syscalls.
 */
public final class Bpf {
    private Bpf() {
    }

    // ---- bpf(2) ---------------------------------------------------------------------------------------

    public static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public static final int BPF_CGROUP_DEVICE = 6;
    public static final int BPF_F_ALLOW_MULTI = 2;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;
    /** sizeof(union bpf_attr) we pass: large enough for every command used, zero-filled. */
    private static final int BPF_ATTR_SIZE = 128;
    private static final int BPF_LOG_SIZE = 1 << 16;

    private static final class BpfCall {
        static final MethodHandle H = Libc.errnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), 1);
        static final long NR = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default -> -1;
        };
    }

    /** bpf(cmd, attr, size); returns the result or throws with errno. */
    private static long bpf(int cmd, MemorySegment attr, Arena a, String what) throws Throwable {
        if (BpfCall.NR < 0) {
            throw new SyscallException(what + " (bpf syscall number unknown for " + System.getProperty("os.arch") + ")",
                    Errno.ENOSYS);
        }
        MemorySegment st = Libc.newCallState(a);
        long rc = (long) BpfCall.H.invokeExact(st, BpfCall.NR, cmd, attr, BPF_ATTR_SIZE);
        if (rc < 0) {
            throw NativeCalls.fail(what, st);
        }
        return rc;
    }

    /**
     * BPF_PROG_LOAD of a program of the given type (license "GPL" or as given). On failure the verifier's log, if
     * any, is put into {@code verifierLog} and a SyscallException is thrown. Returns the program fd (close-on-exec).
     */
    public static int bpfProgLoad(int progType, byte[] insns, String license, StringBuilder verifierLog) {
        if (insns.length % 8 != 0) {
            throw new IllegalArgumentException("BPF program length " + insns.length + " is not a multiple of 8");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment code = a.allocate(insns.length, 8);
            MemorySegment.copy(insns, 0, code, JAVA_BYTE, 0, insns.length);
            MemorySegment lic = a.allocateFrom(license);
            MemorySegment log = a.allocate(BPF_LOG_SIZE);
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, progType);
            attr.set(JAVA_INT, 4, insns.length / 8);
            attr.set(JAVA_LONG, 8, code.address());
            attr.set(JAVA_LONG, 16, lic.address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, BPF_LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            try {
                return (int) bpf(BPF_PROG_LOAD, attr, a, "bpf BPF_PROG_LOAD");
            } catch (SyscallException e) {
                if (verifierLog != null) {
                    verifierLog.append(log.getString(0).trim());
                }
                throw e;
            }
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** BPF_PROG_ATTACH of progFd to the target (a cgroup directory fd) for the attach type. */
    public static void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, progFd);
            attr.set(JAVA_INT, 8, attachType);
            attr.set(JAVA_INT, 12, flags);
            bpf(BPF_PROG_ATTACH, attr, a, "bpf BPF_PROG_ATTACH");
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** BPF_PROG_DETACH of progFd from the target for the attach type. */
    public static void bpfProgDetach(int targetFd, int progFd, int attachType) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, progFd);
            attr.set(JAVA_INT, 8, attachType);
            bpf(BPF_PROG_DETACH, attr, a, "bpf BPF_PROG_DETACH");
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** BPF_PROG_GET_FD_BY_ID: an fd (close-on-exec) for a loaded program. */
    public static int bpfProgGetFdById(int id) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, id);
            return (int) bpf(BPF_PROG_GET_FD_BY_ID, attr, a, "bpf BPF_PROG_GET_FD_BY_ID " + id);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** BPF_PROG_QUERY: ids of the programs attached to the target itself for the attach type (at most max). */
    public static int[] bpfProgQuery(int targetFd, int attachType, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ids = a.allocate(JAVA_INT, max);
            MemorySegment attr = a.allocate(BPF_ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, targetFd);
            attr.set(JAVA_INT, 4, attachType);
            attr.set(JAVA_LONG, 16, ids.address());
            attr.set(JAVA_INT, 24, max);
            bpf(BPF_PROG_QUERY, attr, a, "bpf BPF_PROG_QUERY");
            int[] out = new int[Math.min(attr.get(JAVA_INT, 24), max)];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.getAtIndex(JAVA_INT, i);
            }
            return out;
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }
}
