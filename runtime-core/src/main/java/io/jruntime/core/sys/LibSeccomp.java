package io.jruntime.core.sys;

import io.jruntime.core.JRuntimeException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libseccomp (Debian's libseccomp2, {@code libseccomp.so.2}) calls jruntime builds seccomp filters with,
 * through the FFM API: the same library runc, crun and youki use. jruntime never lets libseccomp load a filter;
 * it exports the BPF program and the init helper installs it (see SeccompCompiler).
 *
 * <p>The library is opened on first use, so a container without {@code linux.seccomp} never pays for it. All
 * functions return libseccomp's result: a negative errno on failure.
 */
public final class LibSeccomp {
    /** libseccomp's {@code __NR_SCMP_ERROR}: the name is not a syscall libseccomp knows on any architecture. */
    public static final int NR_SCMP_ERROR = -1;

    // enum scmp_compare (seccomp.h)
    public static final int CMP_NE = 1;
    public static final int CMP_LT = 2;
    public static final int CMP_LE = 3;
    public static final int CMP_EQ = 4;
    public static final int CMP_GE = 5;
    public static final int CMP_GT = 6;
    public static final int CMP_MASKED_EQ = 7;

    // enum scmp_filter_attr (seccomp.h, libseccomp 2.5)
    public static final int FLTATR_ACT_BADARCH = 2;
    public static final int FLTATR_CTL_NNP = 3;
    public static final int FLTATR_CTL_TSYNC = 4;
    public static final int FLTATR_CTL_OPTIMIZE = 8;

    /** struct scmp_arg_cmp { unsigned int arg; enum scmp_compare op; scmp_datum_t datum_a, datum_b; } */
    private static final StructLayout ARG_CMP = MemoryLayout.structLayout(JAVA_INT.withName("arg"),
            JAVA_INT.withName("op"), JAVA_LONG.withName("datum_a"), JAVA_LONG.withName("datum_b"));

    public static final String LIBRARY = "libseccomp.so.2";

    private LibSeccomp() {
    }

    /** Opened once, on first use: dlopen plus the downcall handles. */
    private static final class Lib {
        static final SymbolLookup LOOKUP = open();
        static final Linker LINKER = Linker.nativeLinker();
        static final MethodHandle INIT = handle("seccomp_init", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle RELEASE = handle("seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle ARCH_ADD = handle("seccomp_arch_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ARCH_REMOVE = handle("seccomp_arch_remove",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ARCH_NATIVE = handle("seccomp_arch_native", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle ARCH_RESOLVE = handle("seccomp_arch_resolve_name",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle RESOLVE = handle("seccomp_syscall_resolve_name",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle RESOLVE_ARCH = handle("seccomp_syscall_resolve_name_arch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle RULE_ADD_ARRAY = handle("seccomp_rule_add_array",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_SET = handle("seccomp_attr_set",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle EXPORT_BPF = handle("seccomp_export_bpf",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle VERSION = handle("seccomp_version", FunctionDescriptor.of(ADDRESS));

        private static SymbolLookup open() {
            try {
                return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new JRuntimeException("linux.seccomp: cannot load " + LIBRARY + ", which jruntime builds "
                        + "seccomp filters with; install it (Debian/Ubuntu: apt-get install libseccomp2)", e);
            }
        }

        private static MethodHandle handle(String name, FunctionDescriptor fd) {
            MemorySegment sym = LOOKUP.find(name).orElseThrow(() -> new JRuntimeException(LIBRARY + " lacks " + name
                    + "; jruntime needs libseccomp 2.5 or newer"));
            return LINKER.downcallHandle(sym, fd);
        }
    }

    /**
     * A libseccomp filter context ({@code scmp_filter_ctx}); {@link #close} releases it. Not thread-safe: one
     * compilation uses it from one thread.
     */
    public static final class Filter implements AutoCloseable {
        private final MemorySegment ctx;

        private Filter(MemorySegment ctx) {
            this.ctx = ctx;
        }

        /** seccomp_arch_add; 0, or -EEXIST if already there, or another negative errno. */
        public int addArch(int token) {
            try {
                return (int) Lib.ARCH_ADD.invokeExact(ctx, token);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** seccomp_arch_remove. */
        public int removeArch(int token) {
            try {
                return (int) Lib.ARCH_REMOVE.invokeExact(ctx, token);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** seccomp_attr_set. */
        public int setAttr(int attr, int value) {
            try {
                return (int) Lib.ATTR_SET.invokeExact(ctx, attr, value);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /**
         * seccomp_rule_add_array: {@code conditions} holds 4 longs per condition: argument index, SCMP_CMP_*
         * operator, datum_a, datum_b.
         */
        public int addRule(int action, int syscall, long[] conditions) {
            int count = conditions.length / 4;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment array = MemorySegment.NULL;
                if (count > 0) {
                    array = a.allocate(ARG_CMP, count);
                    for (int i = 0; i < count; i++) {
                        long base = i * ARG_CMP.byteSize();
                        array.set(JAVA_INT, base, (int) conditions[4 * i]);
                        array.set(JAVA_INT, base + 4, (int) conditions[4 * i + 1]);
                        array.set(JAVA_LONG, base + 8, conditions[4 * i + 2]);
                        array.set(JAVA_LONG, base + 16, conditions[4 * i + 3]);
                    }
                }
                return (int) Lib.RULE_ADD_ARRAY.invokeExact(ctx, action, syscall, count, array);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /**
         * seccomp_export_bpf into a memfd, read back: the {@code struct sock_filter[]} bytes in host byte order.
         * (seccomp_export_bpf_mem only exists from libseccomp 2.6; Debian 12 has 2.5.4.)
         */
        public byte[] exportBpf() {
            int fd = Fds.memfdCreate("jruntime-seccomp", Fds.MFD_CLOEXEC);
            try {
                int rc = (int) Lib.EXPORT_BPF.invokeExact(ctx, fd);
                if (rc < 0) {
                    throw new JRuntimeException("linux.seccomp: seccomp_export_bpf failed: " + Libc.strerror(-rc));
                }
                // a fresh open of the memfd reads from offset 0 (the export left ours at the end)
                return Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
            } catch (IOException e) {
                throw new JRuntimeException("linux.seccomp: reading the exported seccomp filter: " + e.getMessage(), e);
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                Fds.close(fd);
            }
        }

        @Override
        public void close() {
            try {
                Lib.RELEASE.invokeExact(ctx);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
    }

    /** seccomp_init(defaultAction): a filter with the native architecture. */
    public static Filter init(int defaultAction) {
        MemorySegment ctx;
        try {
            ctx = (MemorySegment) Lib.INIT.invokeExact(defaultAction);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (ctx.equals(MemorySegment.NULL)) {
            throw new JRuntimeException("linux.seccomp: seccomp_init(0x" + Integer.toHexString(defaultAction)
                    + ") failed (libseccomp does not know the default action)");
        }
        return new Filter(ctx);
    }

    /** seccomp_arch_native: libseccomp's token (AUDIT_ARCH_*) for this process's architecture. */
    public static int nativeArch() {
        try {
            return (int) Lib.ARCH_NATIVE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** seccomp_arch_resolve_name ("x86_64", "aarch64", ...): the token, or 0 if this libseccomp lacks it. */
    public static int archToken(String libseccompName) {
        try (Arena a = Arena.ofConfined()) {
            return (int) Lib.ARCH_RESOLVE.invokeExact(a.allocateFrom(libseccompName));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * seccomp_syscall_resolve_name: the native number, a negative pseudo number for a syscall libseccomp knows
     * only on other architectures, or {@link #NR_SCMP_ERROR}.
     */
    public static int resolve(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) Lib.RESOLVE.invokeExact(a.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** seccomp_syscall_resolve_name_arch: the number on that architecture; negative if it has no such syscall. */
    public static int resolve(int archToken, String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) Lib.RESOLVE_ARCH.invokeExact(archToken, a.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The library's version, e.g. "2.5.4". */
    public static String version() {
        try {
            MemorySegment v = ((MemorySegment) Lib.VERSION.invokeExact()).reinterpret(12);
            return v.get(JAVA_INT, 0) + "." + v.get(JAVA_INT, 4) + "." + v.get(JAVA_INT, 8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The message of libseccomp's negative return value. */
    public static String strerror(int rc) {
        return Libc.strerror(-rc);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof ExceptionInInitializerError e && e.getCause() instanceof RuntimeException r) {
            return r; // the library could not be opened: say so, with what to install
        }
        if (t instanceof NoClassDefFoundError) {
            return new JRuntimeException("linux.seccomp: " + LIBRARY + " could not be loaded earlier in this process; "
                    + "install it (Debian/Ubuntu: apt-get install libseccomp2)", t);
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new JRuntimeException("libseccomp: " + t, t);
    }
}
