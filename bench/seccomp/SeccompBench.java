import io.jruntime.core.security.seccomp.SeccompArch;
import io.jruntime.core.security.seccomp.SeccompCompiler;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.core.security.seccomp.SyscallTable;
import io.jruntime.spec.Seccomp;
import io.jruntime.spec.SpecIO;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times SeccompCompiler on a profile (linux.seccomp JSON): the first compile in this fresh JVM (split into syscall
 * table loading and the compile itself), then the warm average. Run by run.sh; JSON parsing is not timed.
 */
public final class SeccompBench {
    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Seccomp config = SpecIO.parse(Files.readAllBytes(profile), profile.toString(), Seccomp.class);

        long t0 = System.nanoTime();
        SyscallTable.number(SeccompArch.nativeArch(), "read");
        long t1 = System.nanoTime();
        SeccompProgram first = SeccompCompiler.compile(config);
        long t2 = System.nanoTime();

        for (int i = 0; i < iterations; i++) {
            SeccompCompiler.compile(config);
        }
        long t3 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            SeccompCompiler.compile(config);
        }
        long t4 = System.nanoTime();

        System.out.printf("profile:            %s (%d rules, %d instructions, %d skipped names)%n", profile,
                config.syscalls().size(), first.instructionCount(), first.skippedSyscalls().size());
        System.out.printf("cold table load:    %.2f ms%n", (t1 - t0) / 1e6);
        System.out.printf("cold first compile: %.2f ms (after the table)%n", (t2 - t1) / 1e6);
        System.out.printf("cold total:         %.2f ms%n", (t2 - t0) / 1e6);
        System.out.printf("warm average:       %.3f ms (%d compiles after %d warm-up)%n",
                (t4 - t3) / 1e6 / iterations, iterations, iterations);
    }
}
