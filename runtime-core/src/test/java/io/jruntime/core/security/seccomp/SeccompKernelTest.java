package io.jruntime.core.security.seccomp;

import static io.jruntime.core.security.seccomp.SeccompModel.arg;
import static io.jruntime.core.security.seccomp.SeccompModel.masked;
import static io.jruntime.core.security.seccomp.SeccompModel.profile;
import static io.jruntime.core.security.seccomp.SeccompModel.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jruntime.spec.Seccomp;
import io.jruntime.spec.SpecIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Loads compiled filters into the real kernel: a small C program (compiled here with gcc) installs the filter with
 * no_new_privs + seccomp(2) in a forked child and makes raw syscalls under it. Skipped where gcc is missing or the
 * host is not x86_64.
 */
class SeccompKernelTest {
    static final int SIGSYS = 31;
    static final int EPERM = 1;
    static final int ENOSYS = 38;

    @TempDir
    static Path dir;
    static Path probe;
    static boolean ia32;

    @BeforeAll
    static void buildProbe() throws Exception {
        assumeTrue(SeccompArch.nativeArch() == SeccompArch.X86_64, "kernel tests use x86_64 syscall numbers");
        Path source = dir.resolve("seccomp-probe.c");
        try (InputStream in = SeccompKernelTest.class.getResourceAsStream("seccomp-probe.c")) {
            Files.write(source, in.readAllBytes());
        }
        probe = dir.resolve("seccomp-probe");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O1", "-o", probe.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed: " + e.getMessage());
            return;
        }
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed:\n" + out);
        // can this process load seccomp filters at all (not inside a sandbox that forbids it)?
        Seccomp allowAll = profile("SCMP_ACT_ALLOW", null, null);
        Path file = Files.createTempFile(dir, "allow", ".bpf");
        Files.write(file, SeccompCompiler.compile(allowAll).filter());
        Process check = new ProcessBuilder(probe.toString(), file.toString(), "0", "39").redirectErrorStream(true)
                .start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor(30, TimeUnit.SECONDS);
        assumeTrue(checkOut.startsWith("load 0 "), "seccomp(2) filters cannot be loaded here:\n" + checkOut);
        // does this kernel run int $0x80 syscalls from 64-bit processes (CONFIG_IA32_EMULATION)?
        Result noFilter = run(null, 0, "i386:20");
        ia32 = noFilter.calls.size() == 1 && noFilter.calls.getFirst()[0] > 0;
    }

    record Result(long loadRet, int loadErrno, List<long[]> calls, String end, String raw) {
        long ret(int i) {
            assertTrue(i < calls.size(), () -> "call " + i + " did not return:\n" + raw);
            return calls.get(i)[0];
        }

        int errno(int i) {
            assertTrue(i < calls.size(), () -> "call " + i + " did not return:\n" + raw);
            return (int) calls.get(i)[1];
        }

        void assertErrno(int i, int errno) {
            assertEquals(-1, ret(i), () -> "call " + i + " should fail with errno " + errno + ":\n" + raw);
            assertEquals(errno, errno(i), () -> "call " + i + ":\n" + raw);
        }

        void assertSucceeded(int i) {
            assertTrue(ret(i) >= 0, () -> "call " + i + " should succeed:\n" + raw);
        }

        void assertKilledAt(int i) {
            assertEquals(i, calls.size(), () -> "the child should die at call " + i + ":\n" + raw);
            assertEquals("signal " + SIGSYS, end, raw);
        }
    }

    static Result run(SeccompProgram program, long flags, String... calls) throws Exception {
        String filter = "-";
        if (program != null) {
            Path file = Files.createTempFile(dir, "filter", ".bpf");
            Files.write(file, program.filter());
            filter = file.toString();
            flags = program.flags();
        }
        List<String> cmd = new ArrayList<>(List.of(probe.toString(), filter, Long.toString(flags)));
        cmd.addAll(List.of(calls));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe hung");
        assertEquals(0, p.exitValue(), out);
        long loadRet = 0;
        int loadErrno = 0;
        List<long[]> results = new ArrayList<>();
        String end = null;
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "load" -> {
                    loadRet = Long.parseLong(f[1]);
                    loadErrno = Integer.parseInt(f[2]);
                }
                case "call" -> results.add(new long[]{Long.parseLong(f[2]), Long.parseLong(f[3])});
                case "exit", "signal" -> end = line;
                default -> throw new AssertionError("unexpected probe output: " + out);
            }
        }
        Result result = new Result(loadRet, loadErrno, results, end, out);
        if (program != null) {
            assertTrue(loadRet >= 0, () -> "the kernel refused the filter (errno " + result.loadErrno + "):\n" + out);
        }
        return result;
    }

    static int nr(String name) {
        return SyscallTable.number(SeccompArch.X86_64, name);
    }

    static String mkdir(Path path) {
        return nr("mkdir") + ",s:" + path + ",0700";
    }

    @Test
    void allowListWithConfiguredDefaultErrno() throws Exception {
        Seccomp config = profile("SCMP_ACT_ERRNO", 13L, null, rule("SCMP_ACT_ALLOW", "getpid", "getppid"));
        Path target = dir.resolve("allow-list");
        Result r = run(SeccompCompiler.compile(config), 0, "" + nr("getpid"), mkdir(target), "" + nr("uname") + ",0",
                "" + nr("getppid"));
        r.assertSucceeded(0);
        r.assertErrno(1, 13);
        r.assertErrno(2, 13);
        r.assertSucceeded(3);
        assertTrue(Files.notExists(target));
        assertEquals("signal 4", r.end(), "exit_group is denied too, so the probe ends in __builtin_trap (SIGILL)");
    }

    @Test
    void denyListWithDefaultEperm() throws Exception {
        Seccomp config = profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", "mkdir", "uname"));
        Path denied = dir.resolve("deny-list");
        Path allowed = dir.resolve("deny-list-mkdirat");
        Result r = run(SeccompCompiler.compile(config), 0, mkdir(denied), "" + nr("getpid"),
                nr("mkdirat") + ",-100,s:" + allowed + ",0700", nr("uname") + ",0");
        r.assertErrno(0, EPERM);
        r.assertSucceeded(1);
        r.assertSucceeded(2);
        r.assertErrno(3, EPERM);
        assertEquals("exit 0", r.end());
        assertTrue(Files.notExists(denied));
        assertTrue(Files.isDirectory(allowed));
    }

    @Test
    void sixtyFourBitArgumentComparisonsInTheKernel() throws Exception {
        // getppid ignores its arguments, but seccomp sees all six registers in full
        String[] ops = {"NE", "LT", "LE", "EQ", "GE", "GT"};
        List<Long> values = List.of(0L, 1L, 0xffffffffL, 0x100000000L, Long.MIN_VALUE, -1L);
        for (String op : ops) {
            for (long value : values) {
                Seccomp config = profile("SCMP_ACT_ALLOW", null, null,
                        rule("SCMP_ACT_ERRNO", 77L, List.of("getppid"), arg(2, op, value)));
                List<String> calls = new ArrayList<>();
                List<Long> inputs = SeccompModel.edgeValues();
                for (long x : inputs) {
                    calls.add(nr("getppid") + ",0,0," + Long.toUnsignedString(x));
                }
                Result r = run(SeccompCompiler.compile(config), 0, calls.toArray(String[]::new));
                for (int i = 0; i < inputs.size(); i++) {
                    long[] args = {0, 0, inputs.get(i), 0, 0, 0};
                    boolean denied = SeccompModel.holds(arg(2, op, value), args, true);
                    if (denied) {
                        r.assertErrno(i, 77);
                    } else {
                        r.assertSucceeded(i);
                    }
                }
            }
        }
        Seccomp clone = profile("SCMP_ACT_ALLOW", null, null,
                rule("SCMP_ACT_ERRNO", 78L, List.of("getppid"),
                        masked(0, 0xff00_0000_0000_00f0L, 0x1200_0000_0000_0030L)));
        Result r = run(SeccompCompiler.compile(clone), 0, nr("getppid") + ",0x1234000000000031",
                nr("getppid") + ",0x1234000000000041", nr("getppid") + ",0x1334000000000031");
        r.assertErrno(0, 78);
        r.assertSucceeded(1);
        r.assertSucceeded(2);
    }

    @Test
    void killTrapLogTraceAndNotifyActions() throws Exception {
        for (String action : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_TRAP")) {
            Seccomp config = profile("SCMP_ACT_ALLOW", null, null, rule(action, "getppid"));
            Result r = run(SeccompCompiler.compile(config), 0, "" + nr("getpid"), "" + nr("getppid"),
                    "" + nr("getpid"));
            r.assertSucceeded(0);
            r.assertKilledAt(1);
        }
        Seccomp log = profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_LOG", "getppid"));
        run(SeccompCompiler.compile(log), 0, "" + nr("getppid")).assertSucceeded(0);
        // without a tracer, SECCOMP_RET_TRACE fails the syscall with ENOSYS
        Seccomp trace = profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_TRACE", 5L, List.of("getppid")));
        run(SeccompCompiler.compile(trace), 0, "" + nr("getppid")).assertErrno(0, ENOSYS);
        // NEW_LISTENER: seccomp(2) returns the notify fd; the notified syscall itself is not made (no agent)
        Seccomp notify = new Seccomp("SCMP_ACT_ALLOW", null, null, null, "/run/agent.sock", null,
                List.of(rule("SCMP_ACT_NOTIFY", "getppid")), Map.of());
        SeccompProgram program = SeccompCompiler.compile(notify);
        assertTrue(program.needsListener());
        Result r = run(program, 0, "" + nr("getpid"));
        assertTrue(r.loadRet() > 2, "a notify fd: " + r.raw());
        r.assertSucceeded(0);
    }

    @Test
    void flagsAreAcceptedByTheKernel() throws Exception {
        Seccomp config = new Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
                null, null, List.of(rule("SCMP_ACT_ERRNO", "getppid")), Map.of());
        Result r = run(SeccompCompiler.compile(config), 0, "" + nr("getppid"));
        r.assertErrno(0, EPERM);
    }

    @Test
    void architecturesInTheKernel() throws Exception {
        // x86 not in the filter: an int $0x80 syscall is killed
        Seccomp only64 = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), rule("SCMP_ACT_ERRNO", "mkdir"));
        Result r = run(SeccompCompiler.compile(only64), 0, "" + nr("getpid"), "x32:39");
        r.assertSucceeded(0);
        r.assertKilledAt(1);
        if (ia32) {
            r = run(SeccompCompiler.compile(only64), 0, "" + nr("getpid"), "i386:20");
            r.assertKilledAt(1);
            Seccomp all = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                    rule("SCMP_ACT_ERRNO", 21L, List.of("getppid")));
            r = run(SeccompCompiler.compile(all), 0, "i386:20", "i386:64", "x32:39", "" + nr("getppid"));
            r.assertSucceeded(0);
            r.assertErrno(1, 21); // i386 getppid
            assertNotEquals(21, r.errno(2), "x32 getpid is allowed (the kernel may still say ENOSYS without x32)");
            r.assertErrno(3, 21);
        }
    }

    @Test
    void enosysForSyscallsNewerThanTheProfile() throws Exception {
        Seccomp config = profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64"),
                rule("SCMP_ACT_ALLOW", "getpid", "exit_group"));
        Result r = run(SeccompCompiler.compile(config), 0, "" + nr("getpid"), "" + nr("uname"), "1000",
                "" + (nr("exit_group") + 1));
        r.assertSucceeded(0);
        r.assertErrno(1, EPERM);
        r.assertErrno(2, ENOSYS);
        r.assertErrno(3, ENOSYS);
        assertEquals("exit 0", r.end());
    }

    @Test
    void aConditionForEverySyscallInTheKernel() throws Exception {
        // a rule with a 64-bit condition for every x86_64 syscall: a long program, with far jumps
        List<Seccomp.Syscall> rules = new ArrayList<>();
        for (Map.Entry<String, Integer> e : SyscallTable.of(SeccompArch.X86_64).entrySet()) {
            if (!e.getKey().equals("exit_group")) {
                rules.add(rule("SCMP_ACT_ERRNO", (long) e.getValue() % 120 + 1, List.of(e.getKey()),
                        arg(0, "EQ", 0x1234_0000_0000L + e.getValue())));
            }
        }
        Seccomp config = profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"),
                rules.toArray(Seccomp.Syscall[]::new));
        SeccompProgram program = SeccompCompiler.compile(config);
        assertTrue(program.instructionCount() > 2000, "" + program.instructionCount());
        long key = 0x1234_0000_0000L;
        Result r = run(program, 0, nr("getppid") + "," + (key + nr("getppid")), nr("getppid") + "," + key,
                nr("getpid") + "," + (key + nr("getpid")), nr("getpid") + "," + (key + nr("getppid")),
                nr("uname") + "," + (key + nr("uname")), nr("getuid") + ",0");
        r.assertErrno(0, nr("getppid") % 120 + 1);
        r.assertSucceeded(1);
        r.assertErrno(2, nr("getpid") % 120 + 1);
        r.assertSucceeded(3);
        r.assertErrno(4, nr("uname") % 120 + 1);
        r.assertSucceeded(5);
    }

    @Test
    void podmanDefaultProfile() throws Exception {
        Seccomp podman;
        try (InputStream in = getClass().getResourceAsStream("podman-seccomp.json")) {
            podman = SpecIO.parse(in.readAllBytes(), "podman-seccomp.json", Seccomp.class);
        }
        SeccompProgram program = SeccompCompiler.compile(podman);
        assertTrue(program.instructionCount() < 4096);
        Path made = dir.resolve("podman-mkdir");
        Result r = run(program, 0,
                "" + nr("getpid"),                          // 0 allowed
                nr("uname") + ",0",                         // 1 allowed (EFAULT from the kernel, not from seccomp)
                mkdir(made),                                // 2 allowed
                nr("bpf") + ",0,0,0",                       // 3 explicit SCMP_ACT_ERRNO (EPERM)
                nr("add_key") + ",0,0,0,0,0",               // 4 not listed: default SCMP_ACT_ERRNO 38
                nr("personality") + ",0xffffffff",          // 5 allowed for this argument
                nr("personality") + ",0x0040000",           // 6 any other persona: default
                nr("kexec_load") + ",0,0,0,0",              // 7 EPERM
                nr("open_by_handle_at") + ",0,0,0",         // 8 EPERM
                "1000",                                     // 9 unknown: ENOSYS
                nr("unshare") + ",0");                      // 10 allowed
        r.assertSucceeded(0);
        assertNotEquals(ENOSYS, r.errno(1));
        assertNotEquals(EPERM, r.errno(1));
        r.assertSucceeded(2);
        assertTrue(Files.isDirectory(made));
        r.assertErrno(3, EPERM);
        r.assertErrno(4, ENOSYS);
        r.assertSucceeded(5);
        r.assertErrno(6, ENOSYS);
        r.assertErrno(7, EPERM);
        r.assertErrno(8, EPERM);
        r.assertErrno(9, ENOSYS);
        r.assertSucceeded(10);
        assertEquals("exit 0", r.end());
        if (ia32) {
            Result r32 = run(program, 0, "i386:20", "i386:357,0,0,0");
            r32.assertSucceeded(0);
            r32.assertErrno(1, EPERM); // i386 bpf
        }
    }
}
