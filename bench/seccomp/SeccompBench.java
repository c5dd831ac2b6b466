import io.jruntime.core.security.seccomp.SeccompCompiler;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.core.sys.LibSeccomp;
import io.jruntime.spec.Seccomp;
import io.jruntime.spec.SpecIO;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times SeccompCompiler on a profile (linux.seccomp JSON): in this fresh JVM, after a first libc call through FFM (as
 * jruntime has made by then), the cost of opening libseccomp (dlopen and the downcall handles, measured with a first
 * seccomp_syscall_resolve_name), then the first
 * compile, then the warm average. Run by run.sh; JSON parsing is not timed.
 */
public final class SeccompBench {
    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Seccomp config = SpecIO.parse(Files.readAllBytes(profile), profile.toString(), Seccomp.class);

        io.jruntime.core.sys.Processes.geteuid(); // FFM itself is already in use when jruntime compiles a profile
        long t0 = System.nanoTime();
        LibSeccomp.resolve("read");
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

        System.out.printf("profile:            %s (%d rules, %d architectures, %d instructions, libseccomp %s)%n",
                profile, config.syscalls().size(),
                config.architectures() == null ? 0 : config.architectures().size(), first.instructionCount(),
                LibSeccomp.version());
        System.out.printf("cold library load:  %.2f ms%n", (t1 - t0) / 1e6);
        System.out.printf("cold first compile: %.2f ms (after the load)%n", (t2 - t1) / 1e6);
        System.out.printf("cold total:         %.2f ms%n", (t2 - t0) / 1e6);
        System.out.printf("warm average:       %.3f ms (%d compiles after %d warm-up)%n",
                (t4 - t3) / 1e6 / iterations, iterations, iterations);
    }
}
