package io.jruntime.core.security.seccomp;

import io.jruntime.spec.Seccomp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiler's documented semantics, written independently of it and as plainly as possible: what a syscall
 * should get from a config. Tests compare every compiled program against this. Syscall numbers come from
 * {@link SyscallTable} (the kernel headers), not from libseccomp; from libseccomp the model only takes which names
 * it knows at all (a name it does not know is skipped, as runc does).
 *
 * <p>Where several rules for one syscall with different actions can all match, libseccomp (and so runc) decides
 * by its own precedence, or refuses the second rule (EEXIST); the model's "first rule in config order" only holds
 * for profiles without such overlaps, which is what the tests generate.
 */
final class SeccompModel {
    private SeccompModel() {
    }

    static Seccomp profile(String defaultAction, Long defaultErrnoRet, List<String> arches, Seccomp.Syscall... rules) {
        return new Seccomp(defaultAction, defaultErrnoRet, arches, null, null, null, Arrays.asList(rules), Map.of());
    }

    static Seccomp.Syscall rule(String action, Long errnoRet, List<String> names, Seccomp.Arg... args) {
        return new Seccomp.Syscall(names, action, errnoRet, args.length == 0 ? null : Arrays.asList(args), Map.of());
    }

    static Seccomp.Syscall rule(String action, String... names) {
        return rule(action, null, List.of(names));
    }

    static Seccomp.Arg arg(int index, String op, long value) {
        return new Seccomp.Arg(index, value, null, "SCMP_CMP_" + op, Map.of());
    }

    static Seccomp.Arg masked(int index, long mask, long datum) {
        return new Seccomp.Arg(index, mask, datum, "SCMP_CMP_MASKED_EQ", Map.of());
    }

    static int action(String name, Long errno) {
        int data = errno == null ? 1 : (int) (long) errno;
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> 0;
            case "SCMP_ACT_KILL_PROCESS" -> 0x80000000;
            case "SCMP_ACT_TRAP" -> 0x00030000;
            case "SCMP_ACT_ERRNO" -> 0x00050000 | data;
            case "SCMP_ACT_TRACE" -> 0x7ff00000 | data;
            case "SCMP_ACT_ALLOW" -> 0x7fff0000;
            case "SCMP_ACT_LOG" -> 0x7ffc0000;
            case "SCMP_ACT_NOTIFY" -> 0x7fc00000;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Which table an (AUDIT_ARCH, nr) pair belongs to, or null for an architecture without one. */
    static SeccompArch archOf(int auditArch, int nr) {
        if (auditArch == SeccompArch.X86_64.auditArch()) {
            return (nr & SeccompArch.X32_SYSCALL_BIT) != 0 ? SeccompArch.X32 : SeccompArch.X86_64;
        }
        for (SeccompArch a : SeccompArch.values()) {
            if (a.auditArch() == auditArch) {
                return a;
            }
        }
        return null;
    }

    static int expected(Seccomp config, SeccompArch nativeArch, int auditArch, int nr, long... argv) {
        long[] args = Arrays.copyOf(argv, 6);
        Set<SeccompArch> listed = new HashSet<>();
        if (config.architectures() != null) {
            for (String name : config.architectures()) {
                SeccompArch a = SeccompArch.fromScmpName(name);
                if (a != null) {
                    listed.add(a);
                }
            }
        }
        Set<SeccompArch> filterArches = new HashSet<>(listed);
        filterArches.add(nativeArch);
        SeccompArch arch = archOf(auditArch, nr);
        int def = action(config.defaultAction(), config.defaultErrnoRet());
        if (arch == SeccompArch.X32 && nr == -1 && !filterArches.contains(arch)
                && filterArches.contains(SeccompArch.X86_64)) {
            return def; // libseccomp lets -1 (a syscall skipped by a tracer) through to the x86_64 filter
        }
        if (arch == null || !filterArches.contains(arch)) {
            return 0; // KILL_THREAD
        }
        boolean allowLike = def == 0x7fff0000 || def == 0x7ffc0000 || (def & 0xffff0000) == 0x7ff00000;
        boolean enosysDefault = config.defaultErrnoRet() != null && config.defaultErrnoRet() == 38;
        if (!allowLike && !enosysDefault && listed.contains(arch)) {
            int max = -1;
            for (Seccomp.Syscall s : config.syscalls()) {
                for (String name : s.names()) {
                    max = Math.max(max, known(name) ? SyscallTable.number(arch, name) : -1);
                }
            }
            if (max > 0 && Integer.compareUnsigned(nr, max) > 0) {
                return 0x00050000 | 38;
            }
        }
        for (Seccomp.Syscall s : config.syscalls()) {
            int act = action(s.action(), s.errnoRet());
            if (act == def) {
                continue;
            }
            boolean named = false;
            for (String name : s.names()) {
                named |= nr >= 0 && known(name) && SyscallTable.number(arch, name) == nr;
            }
            if (!named) {
                continue;
            }
            List<Seccomp.Arg> conds = s.args() == null ? List.of() : s.args();
            Set<Integer> indices = new HashSet<>();
            boolean repeated = false;
            for (Seccomp.Arg c : conds) {
                repeated |= !indices.add(c.index());
            }
            boolean match;
            if (conds.isEmpty()) {
                match = true;
            } else if (repeated) {
                match = false;
                for (Seccomp.Arg c : conds) {
                    match |= holds(c, args, arch.args64());
                }
            } else {
                match = true;
                for (Seccomp.Arg c : conds) {
                    match &= holds(c, args, arch.args64());
                }
            }
            if (match) {
                return act;
            }
        }
        return def;
    }

    /** Whether libseccomp knows the name on some architecture (otherwise the compiler skips it, as runc does). */
    static boolean known(String name) {
        return KNOWN.computeIfAbsent(name,
                n -> io.jruntime.core.sys.LibSeccomp.resolve(n) != io.jruntime.core.sys.LibSeccomp.NR_SCMP_ERROR);
    }

    private static final Map<String, Boolean> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean holds(Seccomp.Arg c, long[] args, boolean args64) {
        long width = args64 ? -1L : 0xffffffffL;
        long x = args[c.index()] & width;
        long v = (c.value() == null ? 0 : c.value()) & width;
        long v2 = (c.valueTwo() == null ? 0 : c.valueTwo()) & width;
        int cmp = Long.compareUnsigned(x, v);
        return switch (c.op()) {
            case "SCMP_CMP_EQ" -> cmp == 0;
            case "SCMP_CMP_NE" -> cmp != 0;
            case "SCMP_CMP_LT" -> cmp < 0;
            case "SCMP_CMP_LE" -> cmp <= 0;
            case "SCMP_CMP_GT" -> cmp > 0;
            case "SCMP_CMP_GE" -> cmp >= 0;
            case "SCMP_CMP_MASKED_EQ" -> (x & v) == v2;
            default -> throw new IllegalArgumentException(c.op());
        };
    }

    /** Interesting unsigned 64-bit values: 0, 1, 2^32-1, 2^32, 2^63, 2^64-1 and their neighbours. */
    static List<Long> edgeValues() {
        long[] base = {0, 1, 0xffffffffL, 0x100000000L, Long.MIN_VALUE, -1L, 0x7fffffffL, 0x80000000L,
                0x1_0000_0001L, 0xffff_ffff_0000_0000L, 42};
        List<Long> out = new ArrayList<>();
        for (long b : base) {
            for (long d = -1; d <= 1; d++) {
                if (!out.contains(b + d)) {
                    out.add(b + d);
                }
            }
        }
        return out;
    }
}
