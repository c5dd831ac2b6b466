package io.jruntime.core.security.seccomp;

import static io.jruntime.core.security.seccomp.SeccompModel.arg;
import static io.jruntime.core.security.seccomp.SeccompModel.expected;
import static io.jruntime.core.security.seccomp.SeccompModel.masked;
import static io.jruntime.core.security.seccomp.SeccompModel.profile;
import static io.jruntime.core.security.seccomp.SeccompModel.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.Seccomp;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class SeccompCompilerTest {
    static final int X86_64 = SeccompArch.X86_64.auditArch();
    static final int I386 = SeccompArch.X86.auditArch();
    static final int AARCH64 = SeccompArch.AARCH64.auditArch();
    static final int ALLOW = SeccompCompiler.RET_ALLOW;
    static final int ERRNO = SeccompCompiler.RET_ERRNO;
    static final int KILL_THREAD = SeccompCompiler.RET_KILL_THREAD;
    static final List<String> X86_ALL = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");

    static int nr(SeccompArch arch, String name) {
        int n = SyscallTable.number(arch, name);
        assertTrue(n >= 0, name + " on " + arch);
        return n;
    }

    static BpfInterpreter load(SeccompProgram program) {
        BpfInterpreter vm = new BpfInterpreter(program.filter());
        vm.verify();
        return vm;
    }

    static SeccompProgram compile(Seccomp config) {
        return SeccompCompiler.compile(config, SeccompArch.X86_64);
    }

    /** Every syscall number of every table (plus unknown numbers) gets what the model says. */
    static void assertMatchesModel(Seccomp config, SeccompArch nativeArch, long... args) {
        BpfInterpreter vm = load(SeccompCompiler.compile(config, nativeArch));
        for (SeccompArch arch : SeccompArch.values()) {
            List<Integer> numbers = new ArrayList<>(SyscallTable.of(arch).values());
            int base = arch == SeccompArch.X32 ? SeccompArch.X32_SYSCALL_BIT : 0;
            for (int extra : new int[]{base + 999, base + 1000, base + 100_000, -1, base + 471}) {
                numbers.add(extra);
            }
            for (int n : numbers) {
                assertEquals(expected(config, nativeArch, arch.auditArch(), n, args),
                        vm.run(arch.auditArch(), n, args), () -> arch + " nr " + n);
            }
        }
    }

    @Test
    void allowListWithDefaultErrno() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, null, rule("SCMP_ACT_ALLOW", "read", "write", "getpid"));
        BpfInterpreter vm = load(compile(config));
        assertEquals(ALLOW, vm.run(X86_64, 0));
        assertEquals(ALLOW, vm.run(X86_64, 1));
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid")));
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "mkdir")), "default errno is EPERM");
        assertEquals(ERRNO | 1, vm.run(X86_64, 5000), "no -ENOSYS stub without architectures");
        assertMatchesModel(config, SeccompArch.X86_64);
    }

    @Test
    void denyListWithConfiguredErrno() {
        Seccomp config = profile("SCMP_ACT_ALLOW", null, X86_ALL,
                rule("SCMP_ACT_ERRNO", 13L, List.of("mkdir", "mkdirat")),
                rule("SCMP_ACT_ERRNO", null, List.of("unshare")));
        BpfInterpreter vm = load(compile(config));
        assertEquals(ERRNO | 13, vm.run(X86_64, nr(SeccompArch.X86_64, "mkdir")));
        assertEquals(ERRNO | 13, vm.run(I386, nr(SeccompArch.X86, "mkdirat")));
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "unshare")));
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid")));
        assertEquals(ALLOW, vm.run(X86_64, 5000), "no -ENOSYS stub when the default allows");
        assertMatchesModel(config, SeccompArch.X86_64);
    }

    @Test
    void defaultErrnoRetAndEveryAction() {
        String[] actions = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
                "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"};
        int[] values = {0, 0, 0x80000000, 0x00030000, 0x00050000 | 1, 0x7ff00000 | 1, 0x7fff0000, 0x7ffc0000,
                0x7fc00000};
        List<Seccomp.Syscall> rules = new ArrayList<>();
        String[] names = {"read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek"};
        for (int i = 0; i < actions.length; i++) {
            rules.add(rule(actions[i], names[i]));
        }
        rules.add(rule("SCMP_ACT_TRACE", 77L, List.of("mmap")));
        Seccomp config = profile("SCMP_ACT_ERRNO", 95L, null, rules.toArray(Seccomp.Syscall[]::new));
        SeccompProgram program = compile(config);
        BpfInterpreter vm = load(program);
        for (int i = 0; i < actions.length; i++) {
            assertEquals(values[i], vm.run(X86_64, nr(SeccompArch.X86_64, names[i])), actions[i]);
        }
        assertEquals(0x7ff00000 | 77, vm.run(X86_64, nr(SeccompArch.X86_64, "mmap")));
        assertEquals(ERRNO | 95, vm.run(X86_64, nr(SeccompArch.X86_64, "mkdir")));
        assertTrue(program.needsListener());
        assertEquals(SeccompCompiler.FLAG_NEW_LISTENER, program.flags());
        for (int i = 0; i < actions.length; i++) {
            if (!actions[i].equals("SCMP_ACT_NOTIFY")) {
                int value = values[i];
                Seccomp asDefault = profile(actions[i], null, null, rule("SCMP_ACT_ERRNO", 2L, List.of("read")));
                assertEquals(value, load(compile(asDefault)).run(X86_64, 1), actions[i]);
            }
        }
    }

    @Test
    void argumentComparisonsAtEdgeValuesOn64BitArch() {
        List<Long> edges = SeccompModel.edgeValues();
        for (String op : List.of("NE", "LT", "LE", "EQ", "GE", "GT")) {
            for (long value : edges) {
                for (int index : new int[]{0, 3, 5}) {
                    Seccomp config = profile("SCMP_ACT_ERRNO", null, null,
                            rule("SCMP_ACT_ALLOW", null, List.of("getpid"), arg(index, op, value)));
                    BpfInterpreter vm = load(compile(config));
                    int getpid = nr(SeccompArch.X86_64, "getpid");
                    for (long x : edges) {
                        long[] args = new long[6];
                        java.util.Arrays.fill(args, ~x); // the other arguments must not matter
                        args[index] = x;
                        int want = expected(config, SeccompArch.X86_64, X86_64, getpid, args);
                        assertEquals(want, vm.run(X86_64, getpid, args),
                                () -> Long.toUnsignedString(x) + " " + op + " " + Long.toUnsignedString(value));
                        boolean holds = switch (op) {
                            case "NE" -> x != value;
                            case "LT" -> Long.compareUnsigned(x, value) < 0;
                            case "LE" -> Long.compareUnsigned(x, value) <= 0;
                            case "EQ" -> x == value;
                            case "GE" -> Long.compareUnsigned(x, value) >= 0;
                            default -> Long.compareUnsigned(x, value) > 0;
                        };
                        assertEquals(holds ? ALLOW : ERRNO | 1, want, "model sanity");
                    }
                }
            }
        }
    }

    @Test
    void argumentComparisonsOn32BitArchesUseTheLowWord() {
        List<Long> edges = SeccompModel.edgeValues();
        for (String op : List.of("NE", "LT", "LE", "EQ", "GE", "GT")) {
            for (long value : edges) {
                Seccomp config = profile("SCMP_ACT_ALLOW", null, X86_ALL,
                        rule("SCMP_ACT_ERRNO", 9L, List.of("getpid"), arg(1, op, value)));
                BpfInterpreter vm = load(compile(config));
                for (SeccompArch arch : List.of(SeccompArch.X86, SeccompArch.X32)) {
                    int getpid = nr(arch, "getpid");
                    for (long x : edges) {
                        long[] args = {0, x, 0, 0, 0, 0};
                        assertEquals(expected(config, SeccompArch.X86_64, arch.auditArch(), getpid, args),
                                vm.run(arch.auditArch(), getpid, args), () -> arch + " " + x + " " + op + " " + value);
                    }
                }
            }
        }
        // spot check: 2^32 + 5 == 5 on x86, but not on x86_64
        Seccomp config = profile("SCMP_ACT_ALLOW", null, X86_ALL,
                rule("SCMP_ACT_ERRNO", 9L, List.of("getpid"), arg(0, "EQ", 5)));
        BpfInterpreter vm = load(compile(config));
        assertEquals(ERRNO | 9, vm.run(I386, nr(SeccompArch.X86, "getpid"), 0x1_0000_0005L));
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid"), 0x1_0000_0005L));
        assertEquals(ERRNO | 9, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid"), 5));
    }

    @Test
    void maskedEqualAcrossBothHalves() {
        long[][] cases = {
                {0xff, 0x12},
                {0xffff_0000_0000_0000L, 0x1234_0000_0000_0000L},
                {0x0000_00ff_ff00_0000L, 0x0000_0012_3400_0000L},
                {-1L, -1L},
                {0, 0},
                {0x7E020000L, 0}, // Docker's clone rule: none of the namespace flags
        };
        List<Long> inputs = new ArrayList<>(SeccompModel.edgeValues());
        inputs.addAll(List.of(0x12L, 0x1234_0000_0000_0012L, 0x1234_5678_0000_0000L, 0x0000_0012_3400_0001L,
                0x10000000L, 0x00020000L, 0x7E020000L, 0x1_0000_0000L));
        for (long[] c : cases) {
            Seccomp config = profile("SCMP_ACT_ERRNO", null, X86_ALL,
                    rule("SCMP_ACT_ALLOW", null, List.of("clone"), masked(0, c[0], c[1])));
            BpfInterpreter vm = load(compile(config));
            for (SeccompArch arch : List.of(SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32)) {
                int clone = nr(arch, "clone");
                for (long x : inputs) {
                    int want = expected(config, SeccompArch.X86_64, arch.auditArch(), clone, x);
                    assertEquals(want, vm.run(arch.auditArch(), clone, x), () -> arch + " " + Long.toHexString(x));
                }
            }
            assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "clone"), c[1]));
        }
        Seccomp docker = profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of("clone"), masked(0, 0x7E020000L, 0)));
        BpfInterpreter vm = load(compile(docker));
        assertEquals(ALLOW, vm.run(X86_64, 56, 0x01200011L), "fork-like clone flags");
        assertEquals(ERRNO | 1, vm.run(X86_64, 56, 0x10000000L), "CLONE_NEWUSER");
    }

    @Test
    void conditionsAndRulesCombine() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, null,
                // AND: arg0 == 1 and arg1 > 10
                rule("SCMP_ACT_ALLOW", null, List.of("kill"), arg(0, "EQ", 1), arg(1, "GT", 10)),
                // a second rule for the same syscall with the same action: either matches
                rule("SCMP_ACT_ALLOW", null, List.of("kill"), arg(1, "EQ", 3)),
                rule("SCMP_ACT_ERRNO", 22L, List.of("getpid"), arg(0, "EQ", 1)),
                // repeated index: runc turns each condition into its own rule (OR)
                rule("SCMP_ACT_ALLOW", null, List.of("tgkill"), arg(2, "EQ", 9), arg(2, "EQ", 15)),
                rule("SCMP_ACT_TRAP", "tkill"));
        BpfInterpreter vm = load(compile(config));
        int kill = nr(SeccompArch.X86_64, "kill");
        assertEquals(ALLOW, vm.run(X86_64, kill, 1, 11));
        assertEquals(ERRNO | 1, vm.run(X86_64, kill, 1, 10));
        assertEquals(ALLOW, vm.run(X86_64, kill, 2, 3));
        assertEquals(ERRNO | 1, vm.run(X86_64, kill, 2, 4));
        assertEquals(ERRNO | 22, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid"), 1));
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid"), 2));
        int tgkill = nr(SeccompArch.X86_64, "tgkill");
        assertEquals(ALLOW, vm.run(X86_64, tgkill, 0, 0, 9));
        assertEquals(ALLOW, vm.run(X86_64, tgkill, 0, 0, 15));
        assertEquals(ERRNO | 1, vm.run(X86_64, tgkill, 0, 0, 10));
        assertEquals(SeccompCompiler.RET_TRAP, vm.run(X86_64, nr(SeccompArch.X86_64, "tkill"), 0));
        assertMatchesModel(config, SeccompArch.X86_64, 1, 11, 15);
        assertMatchesModel(config, SeccompArch.X86_64, 2, 3, 9);

        // overlapping rules with different actions: libseccomp refuses the second one (EEXIST) and so does runc
        Seccomp overlapping = profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of("kill"), arg(0, "EQ", 1), arg(1, "GT", 10)),
                rule("SCMP_ACT_ERRNO", 22L, List.of("kill"), arg(0, "EQ", 1)));
        assertError("linux.seccomp.syscalls[1]: libseccomp refused it (adding the rule for kill: File exists)",
                overlapping);
    }

    @Test
    void rulesWithTheDefaultActionAreDropped() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ERRNO", null, List.of("getpid"), arg(0, "EQ", 7)),
                rule("SCMP_ACT_ALLOW", "getpid"));
        BpfInterpreter vm = load(compile(config));
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "getpid"), 7), "as runc: the ERRNO rule is dropped");
    }

    @Test
    void x32IsToldApartByTheSyscallBit() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, X86_ALL,
                rule("SCMP_ACT_ALLOW", "read", "rt_sigaction"));
        BpfInterpreter vm = load(compile(config));
        assertEquals(ALLOW, vm.run(X86_64, 0));
        assertEquals(ALLOW, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT), "x32 read");
        assertEquals(ALLOW, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | 512), "x32 rt_sigaction");
        assertEquals(ERRNO | 1, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | 13), "13 is x86_64's rt_sigaction");
        assertEquals(ERRNO | 38, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | 513),
                "beyond the largest syscall the profile names on x32: -ENOSYS");
        assertEquals(ERRNO | 1, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | 1), "x32 write");

        Seccomp noX32 = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                rule("SCMP_ACT_ERRNO", "mkdir"));
        vm = load(compile(noX32));
        assertEquals(KILL_THREAD, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | 39), "x32 not in the filter");
        assertEquals(ALLOW, vm.run(X86_64, 39));
        assertEquals(ALLOW, vm.run(I386, 20));

        Seccomp onlyX32 = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X32"), rule("SCMP_ACT_ERRNO", "mkdir"));
        vm = load(SeccompCompiler.compile(onlyX32, SeccompArch.AARCH64));
        assertEquals(KILL_THREAD, vm.run(X86_64, 39), "x86_64 ABI not in the filter");
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X32, "mkdir")));
        assertMatchesModel(config, SeccompArch.X86_64);
        assertMatchesModel(noX32, SeccompArch.X86_64);
        assertMatchesModel(onlyX32, SeccompArch.AARCH64);
    }

    @Test
    void wrongArchitectureIsKilled() {
        Seccomp config = profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", "mkdir"));
        BpfInterpreter vm = load(compile(config));
        assertEquals(KILL_THREAD, vm.run(I386, 20), "x86 is not native and not listed");
        assertEquals(KILL_THREAD, vm.run(AARCH64, 172));
        assertEquals(KILL_THREAD, vm.run(0x12345678, 0));
        assertEquals(ALLOW, vm.run(X86_64, 39));
        assertEquals(SeccompCompiler.BAD_ARCH_ACTION, KILL_THREAD, "libseccomp's default bad-arch action");

        Seccomp arm = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_ARM", "SCMP_ARCH_PPC64LE"),
                rule("SCMP_ACT_ERRNO", "mkdirat", "set_tls"));
        vm = load(SeccompCompiler.compile(arm, SeccompArch.AARCH64));
        assertEquals(ERRNO | 1, vm.run(AARCH64, nr(SeccompArch.AARCH64, "mkdirat")));
        assertEquals(ERRNO | 1, vm.run(SeccompArch.ARM.auditArch(), nr(SeccompArch.ARM, "mkdirat")));
        assertEquals(ERRNO | 1, vm.run(SeccompArch.ARM.auditArch(), 0xf0005), "ARM private set_tls");
        assertEquals(KILL_THREAD, vm.run(X86_64, 39));
        assertMatchesModel(arm, SeccompArch.AARCH64);
    }

    @Test
    void enosysStubForSyscallsNewerThanTheProfile() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                rule("SCMP_ACT_ALLOW", "getpid", "openat2"));
        BpfInterpreter vm = load(compile(config));
        int openat2 = nr(SeccompArch.X86_64, "openat2");
        assertEquals(ALLOW, vm.run(X86_64, openat2));
        assertEquals(ERRNO | 1, vm.run(X86_64, openat2 - 1));
        assertEquals(ERRNO | 38, vm.run(X86_64, openat2 + 1));
        assertEquals(ERRNO | 38, vm.run(I386, nr(SeccompArch.X86, "openat2") + 1));
        assertEquals(ERRNO | 38, vm.run(I386, -1));
        assertEquals(ERRNO | 1, vm.run(X86_64, -1), "libseccomp lets -1 (tracer-skipped) through to the default");

        Seccomp enosysDefault = profile("SCMP_ACT_ERRNO", 38L, List.of("SCMP_ARCH_X86_64"),
                rule("SCMP_ACT_ALLOW", "getpid"));
        vm = load(compile(enosysDefault));
        assertEquals(ERRNO | 38, vm.run(X86_64, 1000));
        assertEquals(ERRNO | 38, vm.run(X86_64, 1));

        Seccomp kill = profile("SCMP_ACT_KILL_PROCESS", null, List.of("SCMP_ARCH_X86_64"),
                rule("SCMP_ACT_ALLOW", "getpid"));
        vm = load(compile(kill));
        assertEquals(ERRNO | 38, vm.run(X86_64, 1000));
        assertEquals(SeccompCompiler.RET_KILL_PROCESS, vm.run(X86_64, 1));
        assertMatchesModel(config, SeccompArch.X86_64);
        assertMatchesModel(kill, SeccompArch.X86_64);
    }

    @Test
    void unknownSyscallNamesAreSkipped() {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", "getpid", "no_such_syscall", "_llseek", "getpid"),
                rule("SCMP_ACT_ALLOW", "another_unknown", "no_such_syscall"));
        SeccompProgram program = compile(config);
        assertEquals(List.of("no_such_syscall", "another_unknown"), program.skippedSyscalls(),
                "as runc: only names libseccomp knows on no architecture are skipped");
        assertEquals(ALLOW, load(program).run(X86_64, 39));
        assertMatchesModel(config, SeccompArch.X86_64);

        Seccomp withX86 = profile("SCMP_ACT_ERRNO", null, X86_ALL, rule("SCMP_ACT_ALLOW", "_llseek", "bogus"));
        SeccompProgram p2 = compile(withX86);
        assertEquals(List.of("bogus"), p2.skippedSyscalls());
        assertEquals(ALLOW, load(p2).run(I386, nr(SeccompArch.X86, "_llseek")));
    }

    @Test
    void a400SyscallProfile() {
        // every x86_64 syscall plus some unknown names, many with argument conditions
        List<String> names = new ArrayList<>(SyscallTable.of(SeccompArch.X86_64).keySet());
        names.sort(null);
        while (names.size() < 400) {
            names.add("future_syscall_" + names.size());
        }
        List<Seccomp.Syscall> rules = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (i % 3 == 0) {
                rules.add(rule("SCMP_ACT_ERRNO", (long) (i % 200 + 2), List.of(name),
                        arg(i % 6, "GE", i * 0x1_0000_0001L), arg((i + 1) % 6, "NE", i)));
            } else if (i % 3 == 1) {
                rules.add(rule("SCMP_ACT_ALLOW", null, List.of(name), masked(0, 0xff_0000_00ffL, i & 0xff)));
            } else {
                rules.add(rule("SCMP_ACT_ALLOW", name));
            }
        }
        Seccomp config = profile("SCMP_ACT_KILL_PROCESS", null, null, rules.toArray(Seccomp.Syscall[]::new));
        SeccompProgram program = compile(config);
        BpfInterpreter vm = load(program);
        assertTrue(program.instructionCount() > 1000, "a long program: " + program.instructionCount());
        assertEquals(names.stream().filter(n -> !SeccompModel.known(n)).toList(), program.skippedSyscalls());
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            long[] args = new long[6];
            for (int a = 0; a < 6; a++) {
                args[a] = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(400);
                    case 1 -> random.nextInt(400) * 0x1_0000_0001L;
                    case 2 -> random.nextLong();
                    default -> SeccompModel.edgeValues().get(random.nextInt(SeccompModel.edgeValues().size()));
                };
            }
            assertMatchesModel(config, SeccompArch.X86_64, args);
        }
    }

    @Test
    void randomProfilesMatchTheModel() {
        Random random = new Random(7);
        // no socket-family names: on x86 libseccomp also puts their rules on socketcall(2), see socketcallOnX86
        List<String> pool = List.of("read", "write", "openat", "close", "mmap", "clone", "kill", "getpid", "getuid",
                "ioctl", "fcntl", "prctl", "personality", "_llseek", "mkdir", "nonexistent");
        String[] ops = {"NE", "LT", "LE", "EQ", "GE", "GT"};
        String[] actions = {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_LOG", "SCMP_ACT_TRAP", "SCMP_ACT_KILL"};
        List<Long> edges = SeccompModel.edgeValues();
        for (int p = 0; p < 60; p++) {
            List<Seccomp.Syscall> rules = new ArrayList<>();
            // each name in one rule only: overlapping rules with different actions are libseccomp's to order
            List<String> unused = new ArrayList<>(pool);
            java.util.Collections.shuffle(unused, random);
            for (int r = 0; r < 1 + random.nextInt(8) && !unused.isEmpty(); r++) {
                List<String> names = new ArrayList<>();
                for (int n = 0; n <= random.nextInt(3) && !unused.isEmpty(); n++) {
                    names.add(unused.removeLast());
                }
                List<Seccomp.Arg> args = new ArrayList<>();
                for (int a = 0; a < random.nextInt(4); a++) {
                    int index = random.nextInt(3);
                    long value = edges.get(random.nextInt(edges.size()));
                    long datum = value & edges.get(random.nextInt(edges.size()));
                    args.add(random.nextInt(5) == 0 ? masked(index, value, datum)
                            : arg(index, ops[random.nextInt(ops.length)], value));
                }
                String action = actions[random.nextInt(actions.length)];
                Long errno = action.equals("SCMP_ACT_ERRNO") ? (long) random.nextInt(3) + 1 : null;
                rules.add(rule(action, errno, names, args.toArray(Seccomp.Arg[]::new)));
            }
            String def = random.nextBoolean() ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW";
            Seccomp config = profile(def, null, random.nextBoolean() ? X86_ALL : null,
                    rules.toArray(Seccomp.Syscall[]::new));
            for (int round = 0; round < 8; round++) {
                long[] args = new long[6];
                for (int a = 0; a < 3; a++) {
                    args[a] = edges.get(random.nextInt(edges.size()));
                }
                assertMatchesModel(config, SeccompArch.X86_64, args);
            }
        }
    }

    @Test
    void socketcallOnX86() {
        // libseccomp (so runc) also applies a rule for a socket syscall to i386's multiplexer socketcall(2), with
        // its first argument the SYS_* call number; the direct syscall (Linux 4.3+) gets the rule as usual
        // statx: a syscall numbered above socket, so that runc's -ENOSYS stub leaves socket alone (as in runc, the
        // stub takes numbers from seccomp_syscall_resolve_name_arch, which gives none for x86's socket)
        Seccomp config = profile("SCMP_ACT_ERRNO", null, X86_ALL,
                rule("SCMP_ACT_ALLOW", "socket", "getpid", "statx"));
        BpfInterpreter vm = load(compile(config));
        int socketcall = nr(SeccompArch.X86, "socketcall");
        assertEquals(ALLOW, vm.run(I386, nr(SeccompArch.X86, "socket")));
        assertEquals(ALLOW, vm.run(I386, socketcall, 1), "socketcall(SYS_SOCKET, ...)");
        assertEquals(ERRNO | 1, vm.run(I386, socketcall, 3), "socketcall(SYS_CONNECT, ...)");
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "socket")));
    }

    @Test
    void tooManyInstructionsIsAClearError() {
        List<Seccomp.Syscall> rules = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            // a different high word each time: two comparisons per rule
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of("ioctl"), arg(1, "EQ", i * 0x1_0000_0001L)));
        }
        Seccomp config = profile("SCMP_ACT_ERRNO", null, null, rules.toArray(Seccomp.Syscall[]::new));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> compile(config));
        assertTrue(e.getMessage().contains("more than the kernel's limit of 4096"), e.getMessage());

        // 800 comparisons still fit
        List<Seccomp.Syscall> fewer = new ArrayList<>(rules.subList(0, 800));
        Seccomp ok = profile("SCMP_ACT_ERRNO", null, null, fewer.toArray(Seccomp.Syscall[]::new));
        SeccompProgram program = compile(ok);
        assertTrue(program.instructionCount() <= 4096, "" + program.instructionCount());
        BpfInterpreter vm = load(program);
        assertEquals(ALLOW, vm.run(X86_64, 16, 0, 799 * 0x1_0000_0001L));
        assertEquals(ERRNO | 1, vm.run(X86_64, 16, 0, 799));
        assertEquals(ERRNO | 1, vm.run(X86_64, 16, 0, 800 * 0x1_0000_0001L));
    }

    @Test
    void flags() {
        Seccomp config = new Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                null, null, List.of(rule("SCMP_ACT_ERRNO", "mkdir")), Map.of());
        SeccompProgram program = compile(config);
        assertEquals(1 | 2 | 4 | 32, program.flags());
        assertFalse(program.needsListener());

        Seccomp notify = new Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC"),
                "/run/agent.sock", null, List.of(rule("SCMP_ACT_NOTIFY", "mkdir")), Map.of());
        SeccompProgram p2 = compile(notify);
        assertTrue(p2.needsListener());
        assertEquals(1 | 8 | 16, p2.flags(), "TSYNC with NEW_LISTENER needs TSYNC_ESRCH");
        assertEquals(SeccompCompiler.RET_USER_NOTIF, load(p2).run(X86_64, nr(SeccompArch.X86_64, "mkdir")));
    }

    @Test
    void validationErrorsNameTheJsonPath() {
        assertError("linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"",
                profile("SCMP_ACT_ERRNO", null, null, rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_FOO", "write")));
        assertError("linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_ABOUT\"",
                profile("SCMP_ACT_ERRNO", null, null, rule("SCMP_ACT_ALLOW", null, List.of("read"),
                        arg(0, "EQ", 1), arg(0, "ABOUT", 1))));
        assertError("linux.seccomp.syscalls[0].args[0].index: 6 is out of range",
                profile("SCMP_ACT_ERRNO", null, null, rule("SCMP_ACT_ALLOW", null, List.of("read"),
                        arg(6, "EQ", 1))));
        assertError("linux.seccomp.defaultAction: is required", profile(null, null, null));
        assertError("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                profile("SCMP_ACT_NOTIFY", null, null));
        assertError("linux.seccomp.defaultErrnoRet: an errno can only be returned by SCMP_ACT_ERRNO or "
                + "SCMP_ACT_TRACE", profile("SCMP_ACT_ALLOW", 5L, null));
        assertError("linux.seccomp.syscalls[0].errnoRet: 65536 does not fit",
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", 65536L, List.of("read"))));
        assertError("linux.seccomp.syscalls[0].names: must list at least one syscall name",
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", null, List.of())));
        assertError("linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY cannot be used for the write syscall",
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_NOTIFY", "read", "write")));
        assertError("linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"",
                profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86", "SCMP_ARCH_Z80")));
        assertError("linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\"",
                new Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_FAST"), null, null, null,
                        Map.of()));
        // several problems are reported together
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> SeccompCompiler.validate(
                profile("SCMP_ACT_BAD", null, null, rule("SCMP_ACT_WORSE", "read"))));
        assertTrue(e.getMessage().contains("linux.seccomp.defaultAction: unknown action \"SCMP_ACT_BAD\"")
                && e.getMessage().contains("linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_WORSE\""),
                e.getMessage());
        SeccompCompiler.validate(profile("SCMP_ACT_ALLOW", null, X86_ALL, rule("SCMP_ACT_ERRNO", "mkdir")));
    }

    static void assertError(String expected, Seccomp config) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> compile(config));
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    static Seccomp podman() throws Exception {
        try (java.io.InputStream in = SeccompCompilerTest.class.getResourceAsStream("podman-seccomp.json")) {
            return io.jruntime.spec.SpecIO.parse(in.readAllBytes(), "podman-seccomp.json", Seccomp.class);
        }
    }

    @Test
    void podmanDefaultProfile() throws Exception {
        Seccomp podman = podman();
        SeccompProgram program = compile(podman);
        assertEquals(0, program.flags());
        assertFalse(program.needsListener());
        List<String> unknown = new ArrayList<>();
        for (Seccomp.Syscall s : podman.syscalls()) {
            s.names().stream().filter(n -> !SeccompModel.known(n) && !unknown.contains(n)).forEach(unknown::add);
        }
        assertEquals(unknown, program.skippedSyscalls(), "the names libseccomp " + io.jruntime.core.sys.LibSeccomp.version()
                + " does not know");
        BpfInterpreter vm = load(program);
        assertTrue(program.instructionCount() < 4096, "" + program.instructionCount());
        for (long persona : new long[]{0, 8, 0x20000, 0x20008, 0xffffffffL, 0x40000, -1L}) {
            assertMatchesModel(podman, SeccompArch.X86_64, persona);
        }
        vm.run(X86_64, nr(SeccompArch.X86_64, "read"));
        assertTrue(vm.steps < 20, "binary tree lookup: read took " + vm.steps + " instructions");
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "personality"), 0xffffffffL));
        assertEquals(ERRNO | 38, vm.run(X86_64, nr(SeccompArch.X86_64, "personality"), 0x1_ffff_ffffL));
        assertEquals(ERRNO | 1, vm.run(I386, nr(SeccompArch.X86, "bpf")));
        assertEquals(KILL_THREAD, vm.run(AARCH64, 0));
    }

    @Test
    void syscallTablesMatchTheHostHeaders() throws Exception {
        assertEquals(0, SyscallTable.number(SeccompArch.X86_64, "read"));
        assertEquals(SeccompArch.X32_SYSCALL_BIT, SyscallTable.number(SeccompArch.X32, "read"));
        assertEquals(SeccompArch.X32_SYSCALL_BIT | 512, SyscallTable.number(SeccompArch.X32, "rt_sigaction"));
        assertEquals(3, SyscallTable.number(SeccompArch.X86, "read"));
        assertEquals(63, SyscallTable.number(SeccompArch.AARCH64, "read"));
        assertEquals(3, SyscallTable.number(SeccompArch.ARM, "read"));
        assertEquals(-1, SyscallTable.number(SeccompArch.AARCH64, "open"));
        assertEquals(435, SyscallTable.number(SeccompArch.AARCH64, "clone3"));
        assertEquals(462, SyscallTable.number(SeccompArch.X86_64, "mseal"));
        assertEquals(SeccompArch.X32_SYSCALL_BIT | 462, SyscallTable.number(SeccompArch.X32, "mseal"));
        Path include = Path.of("/usr/include/x86_64-linux-gnu/asm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(include), "no linux-libc-dev headers");
        Map<String, SeccompArch> headers = Map.of("unistd_64.h", SeccompArch.X86_64, "unistd_32.h", SeccompArch.X86,
                "unistd_x32.h", SeccompArch.X32);
        Pattern define = Pattern.compile("#define __NR_(\\w+)\\s+\\(?(__X32_SYSCALL_BIT\\s*\\+\\s*)?(\\d+)");
        for (Map.Entry<String, SeccompArch> h : headers.entrySet()) {
            Matcher m = define.matcher(Files.readString(include.resolve(h.getKey())));
            int count = 0;
            while (m.find()) {
                int want = Integer.parseInt(m.group(3)) | (m.group(2) != null ? SeccompArch.X32_SYSCALL_BIT : 0);
                assertEquals(want, SyscallTable.number(h.getValue(), m.group(1)), h.getKey() + " " + m.group(1));
                count++;
            }
            assertTrue(count > 300, h.getKey() + ": " + count);
        }
    }

    @Test
    void emptyAndMinimalProfiles() {
        Seccomp empty = profile("SCMP_ACT_ALLOW", null, null);
        BpfInterpreter vm = load(compile(empty));
        assertEquals(ALLOW, vm.run(X86_64, 0));
        assertEquals(KILL_THREAD, vm.run(I386, 0));
        Seccomp nullLists = new Seccomp("SCMP_ACT_ERRNO", null, null, null, null, null, null, null);
        assertEquals(ERRNO | 1, load(compile(nullLists)).run(X86_64, 0));
    }

    @Test
    void everySpecArchitectureIsAddedOrRefusedByName() {
        // each SCMP_ARCH_* of the spec maps to a libseccomp token; one this libseccomp lacks is an error naming the
        // path (runc: "error validating Seccomp architecture"), never silently left out
        int added = 0;
        for (String arch : io.jruntime.spec.KnownValues.SECCOMP_ARCHITECTURES) {
            Seccomp config = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64", arch),
                    rule("SCMP_ACT_ERRNO", "mkdir"));
            try {
                BpfInterpreter vm = load(compile(config));
                assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "mkdir")), arch);
                added++;
            } catch (InvalidArgumentException e) {
                assertTrue(e.getMessage().startsWith("linux.seccomp.architectures[1]: " + arch
                        + " is not supported by the installed libseccomp") || e.getMessage().startsWith(
                        "linux.seccomp.architectures[1]: " + arch + " cannot be in one filter with SCMP_ARCH_X86_64 "
                                + "(libseccomp only combines architectures of the same byte order)"), e.getMessage());
            }
        }
        assertTrue(added >= 10, "the little-endian ones libseccomp 2.5 knows: " + added);
        Seccomp ppc = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_PPC64LE"), rule("SCMP_ACT_ERRNO", "mkdir"));
        BpfInterpreter vm = load(compile(ppc));
        assertEquals(ERRNO | 1, vm.run(0xC0000015, 39), "AUDIT_ARCH_PPC64LE mkdir");
        assertEquals(ALLOW, vm.run(X86_64, 39), "x86_64 getpid: the native architecture stays in, as in runc");

        // identical conditions with different actions: libseccomp refuses the second rule, as under runc
        Seccomp same = profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of("kill"), arg(0, "EQ", 1)),
                rule("SCMP_ACT_ERRNO", 22L, List.of("kill"), arg(0, "EQ", 1)));
        assertError("linux.seccomp.syscalls[1]: libseccomp refused it", same);
    }

    @Test
    void dockerShapedProfileFitsTheKernelLimit() throws Exception {
        // issue 13 item 17: 345 names, argument conditions, 5 architectures; 4221 instructions with the old generator
        Seccomp docker;
        try (java.io.InputStream in = getClass().getResourceAsStream("docker-like-seccomp.json")) {
            docker = io.jruntime.spec.SpecIO.parse(in.readAllBytes(), "docker-like-seccomp.json", Seccomp.class);
        }
        SeccompProgram program = compile(docker);
        assertTrue(program.instructionCount() < 4096, "" + program.instructionCount());
        assertEquals(List.of(), program.skippedSyscalls());
        BpfInterpreter vm = load(program);
        int clone = nr(SeccompArch.X86_64, "clone");
        assertEquals(ALLOW, vm.run(X86_64, clone, 0x01200011L), "fork-like clone");
        assertEquals(ERRNO | 1, vm.run(X86_64, clone, 0x10000000L), "clone(CLONE_NEWUSER)");
        assertEquals(ERRNO | 38, vm.run(X86_64, nr(SeccompArch.X86_64, "clone3")), "clone3: ENOSYS, libc falls back");
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "unshare")));
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "socket"), 1));
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "socket"), 40), "AF_VSOCK");
        assertEquals(ALLOW, vm.run(X86_64, nr(SeccompArch.X86_64, "personality"), 8));
        assertEquals(ERRNO | 1, vm.run(X86_64, nr(SeccompArch.X86_64, "personality"), 0x40000));
        assertEquals(ALLOW, vm.run(AARCH64, nr(SeccompArch.AARCH64, "mkdirat")));
        assertEquals(ALLOW, vm.run(SeccompArch.ARM.auditArch(), 0xf0005), "ARM private set_tls");
        assertEquals(ERRNO | 38, vm.run(AARCH64, 1000), "above the profile's newest aarch64 syscall");
        assertEquals(ALLOW, vm.run(I386, nr(SeccompArch.X86, "read")));
        assertEquals(ALLOW, vm.run(X86_64, SeccompArch.X32_SYSCALL_BIT | nr(SeccompArch.X32, "read") & 0xffff));
    }
}
