package io.jruntime.cli;

import io.jruntime.cli.log.Logging;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.ProcStat;
import io.jruntime.core.state.StateStore;
import io.jruntime.spec.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for bin/jruntime's AOT cache (scripts/make-aot.sh runs it with the launcher's JVM flags and
 * class path). It drives the real CLI in one JVM through everything engines call, so the classes, linkage and
 * profiles of those paths are in the cache: --version, spec, features, list and state against a fabricated
 * state root, the help of every command, every command with the flag forms Podman and containerd use (the
 * not-yet-implemented ones end in the error path, which is trained too), usage errors and both log formats.
 * Output is discarded. Exits non-zero if an implemented command fails, so a broken build does not get a cache.
 * With {@code --lifecycle} it trains only create, start, state, delete, kill and list (and, as root, a real
 * container's life): the small cache the launcher starts those commands with.
 */
public final class AotTraining {
    private final Path tmp;
    private final boolean help;
    /** Only what the lifecycle commands (create, start, state, delete, kill, list) use: their own, small cache. */
    private final boolean lifecycleOnly;
    private final PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    private int failures;
    private int lifecycles;

    private AotTraining(Path tmp, boolean help, boolean lifecycleOnly) {
        this.tmp = tmp;
        this.help = help && !lifecycleOnly;
        this.lifecycleOnly = lifecycleOnly;
    }

    public static void main(String[] args) throws IOException {
        Path tmp = Files.createTempDirectory("jruntime-aot");
        int failures;
        try {
            AotTraining t = new AotTraining(tmp, !List.of(args).contains("--no-help"),
                    List.of(args).contains("--lifecycle"));
            for (int round = 0; round < 3; round++) {
                t.round();
            }
            failures = t.failures;
        } finally {
            Logging.close();
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (failures > 0) {
            System.err.println("AotTraining: " + failures + " implemented command(s) failed");
            System.exit(1);
        }
    }

    private void round() throws IOException {
        Path root = tmp.resolve("root");
        String r = root.toString();
        fabricate(root);
        String log = tmp.resolve("log.json").toString();

        expect(0, "--version");
        expect(0, "-v");
        Path bundle = Files.createTempDirectory(tmp, "bundle");
        if (lifecycleOnly) {
            // not `spec`: it writes with databind, which no lifecycle command loads any more
            writeConfig(bundle);
        } else {
            expect(0, "features");
            expect(0, "spec", "--bundle", bundle.toString());
            expect(1, "spec", "--bundle", bundle.toString());
            expect(0, "spec", "--rootless", "-b", Files.createTempDirectory(tmp, "bundle").toString());
        }

        expect(0, "--root", r, "list");
        expect(0, "--root", r, "list", "--format", "json");
        expect(0, "--root", r, "list", "-q");
        expect(0, "--root", tmp.resolve("empty").toString(), "list");
        expect(0, "--root", r, "state", "running");
        expect(0, "--root", r, "state", "stopped");
        expect(1, "--root", r, "state", "missing");
        expect(1, "--root", r, "--log", log, "--log-format", "json", "state", "missing");
        expect(1, "--root=" + r, "-log-format=json", "--log=" + log, "--debug", "state", "missing");
        expect(1, "--root", r, "--log", log, "state", "missing");

        // help of everything (including the global help, which builds every command)
        if (help) {
            help();
        }


        // every command with the flags engines pass; unimplemented ones exercise the error path
        String g = "--log-format=json";
        anyExit(g, "--log", log, "--root", r, "create", "--bundle", bundle.toString(), "--pid-file", tmp + "/pid",
                "--no-pivot", "--no-new-keyring", "--preserve-fds", "1", "--console-socket", tmp + "/sock", "c1");
        if (!lifecycleOnly) {
            anyExit("--root", r, "run", "-d", "--keep", "--no-subreaper", "-b", bundle.toString(), "c1");
        }
        anyExit("--root", r, "start", "c1");
        anyExit("--root", r, "kill", "c1", "15");
        anyExit("--root", r, "kill", "c1", "9");
        anyExit("--root", r, "kill", "--all", "c1", "KILL");
        anyExit("--root", r, "kill", "c1", "SIGTERM");
        anyExit("--root", r, "kill", "c1");
        anyExit("--root", r, "delete", "--force", "c1");
        anyExit("--root", r, "delete", "c1");
        if (lifecycleOnly) {
            expect(1, "kill", "x", "NOSUCHSIGNAL");
            nativeAndPlanPaths(bundle);
            containerLifecycle(lifecycles++);
            java.util.logging.Logger.getLogger("io.jruntime.training").fine("training");
            return;
        }
        anyExit("--root", r, "pause", "c1");
        anyExit("--root", r, "resume", "c1");
        anyExit("--root", r, "ps", "--format", "json", "c1");
        anyExit("--root", r, "ps", "c1", "-ef");
        anyExit("--root", r, "events", "--stats", "--interval", "1s", "c1");
        anyExit(g, "--log", log, "--root", r, "exec", "--pid-file", tmp + "/epid", "--process", tmp + "/p.json", "--detach",
                "--tty", "--console-socket", tmp + "/sock", "c1");
        anyExit("--root", r, "exec", "-t", "-e", "A=1", "--env", "B=2", "-u", "1:2", "-g", "3", "--cwd", "/", "--cap",
                "CAP_KILL", "-c", "CAP_CHOWN", "--no-new-privs", "--ignore-paused", "--cgroup", "x", "--apparmor", "p",
                "--process-label", "l", "--preserve-fds", "0", "c1", "sh", "-c", "ls -la");
        anyExit("--root", r, "update", "--resources", "-", "c1");
        anyExit("--root", r, "update", "--memory", "256m", "--memory-swap", "-1", "--cpu-share", "512", "--cpu-quota",
                "-1", "--cpu-period", "100000", "--pids-limit", "100", "--blkio-weight", "500", "--cpuset-cpus", "0",
                "--cpuset-mems", "0", "--cpu-rt-period", "1", "--cpu-rt-runtime", "1", "--kernel-memory", "1m",
                "--memory-reservation", "1m", "--l3-cache-schema", "L3:0=f", "--mem-bw-schema", "MB:0=70", "c1");
        anyExit("--root", r, "checkpoint", "--image-path", tmp + "/ck", "--work-path", tmp.toString(), "--leave-running",
                "--leave-running", "--tcp-established", "--file-locks", "--ext-unix-sk", "--shell-job", "--pre-dump",
                "--parent-path", "../pre", "--manage-cgroups-mode", "soft", "--empty-ns", "network", "--auto-dedup",
                "--lazy-pages", "--status-fd", "3", "--page-server", "h:1", "c1");
        anyExit(g, "--log", log, "--root", r, "restore", "--bundle", bundle.toString(), "--pid-file", tmp + "/pid",
                "--no-pivot", "--no-new-keyring", "--detach", "--image-path", tmp + "/ck", "--work-path", tmp.toString(),
                "--tcp-established", "--file-locks", "--lsm-mount-context=x", "--lsm-profile=selinux:y", "c1");
        anyExit("--root", r, "restore", "-image-path", tmp + "/ck", "-work-path", tmp.toString(), "-detach",
                "-pid-file", tmp + "/pid", "-no-subreaper", "-bundle", bundle.toString(), "c1");

        // usage errors (they print help) and unknown commands
        if (help) {
            expect(1, "restore", "--lsm-mount-context");
            expect(1, "state", "--bogus", "x");
            expect(1, "--bogus", "state", "x");
            expect(1, "state");
            expect(1, "list", "-qf", "json");
        }
        expect(1, "kill", "x", "NOSUCHSIGNAL");
        expect(3, "bogus");

        nativeAndPlanPaths(bundle);
        containerLifecycle(lifecycles++);

        // java.util.logging as lifecycle code uses it (LogManager configured lazily through LogConfig)
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.jruntime.training");
        jul.fine("training");
        jul.info("training");
    }

    /**
     * What create, exec, checkpoint and restore do before any container exists: read and validate a full config,
     * compute the launch plan, compile a seccomp filter, and the FFM downcalls they use (the first FFM call of a
     * JVM costs hundreds of milliseconds of linking without the cache). Harmless: nothing is started but a CRIU
     * version query.
     */
    private void nativeAndPlanPaths(Path bundle) {
        try {
            io.jruntime.spec.Spec spec = io.jruntime.spec.SpecIO.read(bundle.resolve("config.json"));
            io.jruntime.spec.SpecValidator.validate(spec, bundle);
            io.jruntime.core.lifecycle.PlanBuilder.forCreate(spec, new io.jruntime.core.lifecycle.PlanBuilder.CreateInputs(
                    "training", bundle, bundle.resolve("rootfs"), bundle.resolve("exec.fifo"), false, false, 0, false,
                    null, null));
            io.jruntime.core.security.seccomp.SeccompCompiler.compile(new io.jruntime.spec.Seccomp("SCMP_ACT_ERRNO", null,
                    List.of("SCMP_ARCH_X86_64"), null, null, null, List.of(new io.jruntime.spec.Seccomp.Syscall(
                    List.of("read", "write", "exit_group"), "SCMP_ACT_ALLOW", null, null, null)), null));
        } catch (RuntimeException e) {
            // The rootfs does not exist: validation and planning still ran as far as they could.
        }
        int[] pair = io.jruntime.core.sys.Sockets.socketpair(io.jruntime.core.sys.Sockets.SOCK_SEQPACKET);
        io.jruntime.core.sys.Sockets.sendmsg(pair[0], new byte[] {1, 0, 0, 0}, -1, "training");
        io.jruntime.core.sys.Sockets.recvmsg(pair[1], 64, "training");
        io.jruntime.core.sys.Fds.poll(pair[1], io.jruntime.core.sys.Fds.POLLIN, 0);
        io.jruntime.core.sys.Fds.close(pair[0]);
        io.jruntime.core.sys.Fds.close(pair[1]);
        int[] pipe = io.jruntime.core.sys.Fds.pipe();
        io.jruntime.core.sys.Fds.writeFully(pipe[1], new byte[] {1}, "training");
        io.jruntime.core.sys.Fds.read(pipe[0], 1, "training");
        io.jruntime.core.sys.Fds.close(io.jruntime.core.sys.Fds.fcntl(pipe[0], io.jruntime.core.sys.Fds.F_DUPFD_CLOEXEC, 3));
        io.jruntime.core.sys.Fds.close(pipe[0]);
        io.jruntime.core.sys.Fds.close(pipe[1]);
        io.jruntime.core.sys.Fds.close(io.jruntime.core.sys.Fds.memfdCreate("training", io.jruntime.core.sys.Fds.MFD_CLOEXEC));
        io.jruntime.core.sys.Processes.kill((int) ProcessHandle.current().pid(), 0);
        io.jruntime.core.sys.Terminals.isatty(0);
        if (lifecycleOnly) {
            return;
        }
        try {
            io.jruntime.criu.CriuClient.open(null).version();
        } catch (RuntimeException e) {
            // No CRIU on this machine: that path is then untrained.
        }
        // protobuf-java and the RPC messages of checkpoint and restore (the version above may come from a cache)
        io.jruntime.criu.EncodingTraining.run();
    }

    /**
     * A real container's create, state, start and delete --force, as root: the path every engine call takes,
     * with the lambdas, string concatenations and record methods of cgroups, mounts, the init session and the
     * state file, which only a real run links (measured: create's CPU time 0.75 s -> 0.55 s at load 16). The
     * rootfs holds only a copy of the init helper as /true (a static binary; run without jruntime it prints one
     * line and exits 2). Skipped without root or the helper; any failure only leaves the path untrained.
     */
    private void containerLifecycle(int n) {
        Path init = Path.of(System.getProperty("jruntime.libdir", "/nonexistent"), "jruntime-init");
        if (io.jruntime.core.sys.Processes.geteuid() != 0 || !Files.isExecutable(init)) {
            return;
        }
        String root = tmp.resolve("lifecycle-root").toString();
        String id = "jruntime-aot-training-" + ProcessHandle.current().pid() + "-" + n;
        try {
            Path bundle = Files.createTempDirectory(tmp, "lifecycle");
            Files.createDirectories(bundle.resolve("rootfs"));
            Files.copy(init, bundle.resolve("rootfs/true"));
            writeConfig(bundle);
            Path config = bundle.resolve("config.json");
            Files.writeString(config, Files.readString(config).replace("\"terminal\": true", "\"terminal\": false")
                    .replace("\"sh\"", "\"/true\""));
            if (run("--root", root, "create", "--bundle", bundle.toString(), id) == 0) {
                run("--root", root, "state", id);
                run("--root", root, "start", id);
                run("--root", root, "state", id);
            }
        } catch (IOException | RuntimeException e) {
            // untrained, not broken: the cache only misses these paths
        } finally {
            run("--root", root, "delete", "--force", id);
        }
    }

    /**
     * The bundle's config.json: `jruntime spec`'s output, made by scripts/make-aot.sh before the lifecycle round
     * ({@code -Djruntime.aot.config}), else by running `spec` here.
     */
    private void writeConfig(Path bundle) throws IOException {
        String template = System.getProperty("jruntime.aot.config");
        if (template != null) {
            Files.copy(Path.of(template), bundle.resolve("config.json"));
        } else {
            expect(0, "spec", "--bundle", bundle.toString());
        }
    }

    private void help() {
        expect(0);
        expect(0, "--help");
        expect(0, "help");
        for (String c : Commands.NAMES) {
            expect(0, c, "--help");
            expect(0, "help", c);
        }
    }

    /** A state root with one container that is "running" (this JVM) and one "stopped". */
    private static void fabricate(Path root) throws IOException {
        StateStore store = new StateStore(root);
        for (String id : List.of("running", "stopped")) {
            if (store.exists(id)) {
                continue;
            }
            store.createDir(id);
            int pid = id.equals("running") ? (int) ProcessHandle.current().pid() : 0;
            store.save(new ContainerState(Spec.OCI_VERSION, id, pid, pid == 0 ? 0 : ProcStat.startTime(pid), "/bundle/" + id,
                    "/bundle/" + id + "/rootfs", "2026-01-02T03:04:05.123456789Z", "", Map.of("a", "b<&>"),
                    Map.of(), Map.of(), false, false, List.of()));
        }
    }

    private int run(String... args) {
        Cli cli = new Cli(sink, sink, new ByteArrayInputStream("{\"memory\":{\"limit\":1}}".getBytes(StandardCharsets.UTF_8)),
                tmp, null, c -> new Operations(c.out(), c.err()));
        return cli.run(args);
    }

    private void expect(int status, String... args) {
        int got = run(args);
        if (got != status) {
            System.err.println("AotTraining: jruntime " + String.join(" ", args) + " exited " + got + ", expected " + status);
            failures++;
        }
    }

    private void anyExit(String... args) {
        run(args);
    }
}
