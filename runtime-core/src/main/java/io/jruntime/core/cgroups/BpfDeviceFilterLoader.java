package io.jruntime.core.cgroups;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Attaches a {@link DeviceFilter} to a cgroup v2 directory with bpf(2): BPF_PROG_LOAD (BPF_PROG_TYPE_CGROUP_DEVICE),
 * then BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI), then BPF_PROG_DETACH of the programs that were attached
 * before - so while both are attached the stricter intersection applies and there is no window without a filter.
 *
 * <p>Self-contained FFM binding of the one syscall cgroups need (x86_64 and aarch64); it belongs in the
 * io.jruntime.core.sys facade once that grows a bpf entry point.
 */
public final class BpfDeviceFilterLoader implements DeviceFilterLoader {
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    private static final int BPF_F_ALLOW_MULTI = 2;
    /** sizeof(union bpf_attr) we pass: large enough for every command used, zero-filled. */
    private static final int ATTR_SIZE = 128;
    private static final int LOG_SIZE = 1 << 16;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final class Holder {
        static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    }

    static long sysBpf() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64" -> 280;
            default -> throw new JRuntimeException("bpf(2) syscall number unknown for architecture " + arch);
        };
    }

    private record Result(long value, int errno) {
    }

    private static Result bpf(int cmd, MemorySegment attr, Arena a) {
        MemorySegment st = a.allocate(CALL_STATE);
        try {
            long rc = (long) Holder.SYSCALL.invokeExact(st, sysBpf(), cmd, attr, ATTR_SIZE);
            return new Result(rc, rc < 0 ? (int) ERRNO.get(st, 0L) : 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void attach(Path cgroupDirectory, DeviceFilter filter) {
        int dirFd = Syscalls.open(cgroupDirectory.toString(), Syscalls.O_RDONLY | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC, 0);
        List<Integer> oldFds = new ArrayList<>();
        int progFd = -1;
        try (Arena a = Arena.ofConfined()) {
            // 1. what is attached now
            for (int id : query(dirFd, a, cgroupDirectory)) {
                MemorySegment attr = a.allocate(ATTR_SIZE, 8);
                attr.set(JAVA_INT, 0, id);
                Result r = bpf(BPF_PROG_GET_FD_BY_ID, attr, a);
                if (r.value() >= 0) {
                    oldFds.add((int) r.value());
                } else if (r.errno() != Errno.ENOENT) {
                    throw error("BPF_PROG_GET_FD_BY_ID " + id, r.errno(), cgroupDirectory);
                }
            }
            // 2. load
            byte[] code = filter.bytecode();
            MemorySegment insns = a.allocate(code.length, 8);
            MemorySegment.copy(code, 0, insns, JAVA_BYTE_LAYOUT, 0, code.length);
            MemorySegment license = a.allocateFrom(DeviceFilter.LICENSE);
            MemorySegment log = a.allocate(LOG_SIZE);
            MemorySegment attr = a.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
            attr.set(JAVA_INT, 4, filter.instructions().size());
            attr.set(JAVA_LONG, 8, insns.address());
            attr.set(JAVA_LONG, 16, license.address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            Result r = bpf(BPF_PROG_LOAD, attr, a);
            if (r.value() < 0) {
                String verifier = log.getString(0).trim();
                throw new JRuntimeException("linux.resources.devices: cannot load the cgroup v2 device filter (bpf "
                        + "BPF_PROG_LOAD): " + Errno.describe(r.errno())
                        + (verifier.isEmpty() ? "" : "; verifier: " + verifier));
            }
            progFd = (int) r.value();
            // 3. attach, allowing the old ones to stay until they are detached
            attr = a.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, dirFd);
            attr.set(JAVA_INT, 4, progFd);
            attr.set(JAVA_INT, 8, BPF_CGROUP_DEVICE);
            attr.set(JAVA_INT, 12, BPF_F_ALLOW_MULTI);
            r = bpf(BPF_PROG_ATTACH, attr, a);
            if (r.value() < 0) {
                throw error("BPF_PROG_ATTACH", r.errno(), cgroupDirectory);
            }
            // 4. detach the previous ones
            for (int old : oldFds) {
                attr = a.allocate(ATTR_SIZE, 8);
                attr.set(JAVA_INT, 0, dirFd);
                attr.set(JAVA_INT, 4, old);
                attr.set(JAVA_INT, 8, BPF_CGROUP_DEVICE);
                r = bpf(BPF_PROG_DETACH, attr, a);
                if (r.value() < 0 && r.errno() != Errno.ENOENT) {
                    throw error("BPF_PROG_DETACH of the previous filter", r.errno(), cgroupDirectory);
                }
            }
        } finally {
            if (progFd >= 0) {
                Syscalls.close(progFd);
            }
            for (int fd : oldFds) {
                Syscalls.close(fd);
            }
            Syscalls.close(dirFd);
        }
    }

    private static final java.lang.foreign.ValueLayout.OfByte JAVA_BYTE_LAYOUT = java.lang.foreign.ValueLayout.JAVA_BYTE;

    /** Ids of the device programs attached to the cgroup itself (not inherited). */
    static int[] query(int dirFd, Arena a, Path dir) {
        int cap = 64;
        MemorySegment ids = a.allocate(JAVA_INT, cap);
        MemorySegment attr = a.allocate(ATTR_SIZE, 8);
        attr.set(JAVA_INT, 0, dirFd);
        attr.set(JAVA_INT, 4, BPF_CGROUP_DEVICE);
        attr.set(JAVA_LONG, 16, ids.address());
        attr.set(JAVA_INT, 24, cap);
        Result r = bpf(BPF_PROG_QUERY, attr, a);
        if (r.value() < 0) {
            throw error("BPF_PROG_QUERY", r.errno(), dir);
        }
        int n = attr.get(JAVA_INT, 24);
        int[] out = new int[Math.min(n, cap)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getAtIndex(JAVA_INT, i);
        }
        return out;
    }

    /** The ids attached to a cgroup directory (for tests and diagnostics). */
    public static int[] attachedProgramIds(Path cgroupDirectory) {
        int dirFd = Syscalls.open(cgroupDirectory.toString(), Syscalls.O_RDONLY | Syscalls.O_DIRECTORY | Syscalls.O_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            return query(dirFd, a, cgroupDirectory);
        } finally {
            Syscalls.close(dirFd);
        }
    }

    private static JRuntimeException error(String what, int errno, Path dir) {
        return new JRuntimeException("linux.resources.devices: cannot attach the cgroup v2 device filter to " + dir + " (bpf "
                + what + "): " + Errno.describe(errno));
    }
}
