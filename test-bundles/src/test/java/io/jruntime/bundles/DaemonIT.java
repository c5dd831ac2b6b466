package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.engines.Cmd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jruntime handing commands to `jruntime daemon` (on a socket of the test's own): the container runs and
 * writes to the caller's stdio, --preserve-fds reaches it, errors read and exit as without the daemon, a
 * caller in another mount namespace does not use the daemon, commands are served concurrently (parallel callers,
 * a hook calling `list` during a create) with each caller's own cwd, umask and environment, and the daemon counts
 * what it served and declined. The attacks are in
 * DaemonAttackIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonIT extends ContainerTestBase {
    private Path daemonDir;
    private Path socket;

    @BeforeAll
    void startDaemon() throws IOException {
        daemonDir = Files.createTempDirectory("jruntime-daemon-it-");
        socket = daemonDir.resolve("d.sock");
        Jruntime.Result r = withDaemon(null, "daemon", "start", "--socket", socket.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().startsWith("running: pid "), r.stdout());
    }

    @AfterAll
    void stopDaemon() throws IOException {
        if (socket == null) {
            return;
        }
        try {
            Jruntime.Result r = withDaemon(null, "daemon", "stop", "--socket", socket.toString());
            assertEquals("stopped", r.stdout().strip(), r.toString());
            assertTrue(!Files.exists(socket), "the daemon removes its socket");
        } finally {
            Cmd.processesWithArg(socket.toString()).forEach(Cmd::killTree);
            deleteTree(daemonDir);
        }
    }

    /** bin/jruntime with the test's daemon socket (and --root unless root is null), stdio to files. */
    private Jruntime.Result withDaemon(Path root, String... args) throws IOException {
        return invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of(), root, args);
    }

    private Jruntime.Result invoke(Map<String, String> env, List<String> prefix, Path root, String... args) throws IOException {
        return invoke(env, prefix, new File("/dev/null"), root, args);
    }

    private Jruntime.Result invoke(Map<String, String> env, List<String> prefix, File stdin, Path root, String... args)
            throws IOException {
        return invoke(env, prefix, stdin, root, Jruntime.defaultBinary(), args);
    }

    /** Another install's launcher (not this checkout's bin/jruntime). */
    private Jruntime.Result invokeBinary(Map<String, String> env, Path binary, Path root, String... args) throws IOException {
        return invoke(env, List.of(), new File("/dev/null"), root, binary, args);
    }

    private Jruntime.Result invoke(Map<String, String> env, List<String> prefix, File stdin, Path root, Path binary,
            String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(binary.toString());
        if (root != null) {
            cmd.addAll(List.of("--root", root.toString()));
        }
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jrd-out", ".txt");
        Path err = Files.createTempFile("jrd-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(stdin)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Jruntime.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private long served() {
        return DefaultSocketDaemon.served(socket);
    }

    @Test
    void containerRunsThroughTheDaemonWithTheCallersStdio() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "echo out-$(hostname); echo err >&2; ls /proc/self/fd | wc -l");
        Path out = work.resolve("container.out");
        long before = served();
        // create's stdout/stderr (files) become the container's: the client passed them over the socket
        List<String> cmd = List.of(Jruntime.defaultBinary().toString(), "--root", jr.root().toString(), "create",
                "--bundle", b.dir().toString(), id("c"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectErrorStream(true);
        pb.environment().put("JRUNTIME_DAEMON_SOCKET", socket.toString());
        Process create = pb.start();
        assertTrue(create.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, create.exitValue(), Files.readString(out));
        assertEquals("created", Bundle.parse(withDaemon(jr.root(), "state", id("c")).stdout()).path("status").asText());
        assertEquals(0, withDaemon(jr.root(), "start", id("c")).exitCode());
        awaitStatus(id("c"), "stopped", 10_000);
        assertEquals(0, withDaemon(jr.root(), "delete", id("c")).exitCode());
        assertEquals(List.of("out-runc", "err", "4"), Files.readAllLines(out), "stdio, and only fds 0-2 (+ ls's own)");
        assertTrue(served() >= before + 4, "create, state, start and delete went through the daemon");
    }

    @Test
    void detachedExecAndRunGoThroughTheDaemon() throws Exception {
        Path shared = Files.createDirectories(work.resolve("shared"));
        Bundle b = bundle("b", "sleep", "300");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/shared").put("type", "bind").put("source", shared.toString());
            m.putArray("options").add("rbind").add("rw");
        });
        long before = served();
        assertEquals(0, withDaemon(jr.root(), "run", "-d", "--bundle", b.dir().toString(), id("r")).exitCode());
        assertEquals("running", Bundle.parse(withDaemon(jr.root(), "state", id("r")).stdout()).path("status").asText());
        Jruntime.Result r = withDaemon(jr.root(), "exec", "-d", id("r"), "sh", "-c", "echo exec-ran > /shared/x");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("exec-ran\n", awaitLine(shared.resolve("x")));
        // update reads the resources from the caller's stdin
        Path resources = Files.writeString(work.resolve("resources.json"), "{\"pids\":{\"limit\":77}}");
        r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of(), resources.toFile(), jr.root(),
                "update", "--resources", "-", id("r"));
        assertEquals(0, r.exitCode(), r.toString());
        r = withDaemon(jr.root(), "exec", "-d", id("r"), "sh", "-c", "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max"
                + " 2>/dev/null > /shared/pids");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("77", awaitLine(shared.resolve("pids")).strip(), "the container's pids limit (cgroup v1 or v2 file)");
        assertEquals(0, withDaemon(jr.root(), "delete", "--force", id("r")).exitCode());
        assertEquals(before + 6, served(), "run -d, state, exec -d, update, exec -d and delete were served");
    }

    /**
     * The file a detached process writes with `> file` once its line is complete: the shell creates (truncates)
     * the file before the command writes, so existing is not enough. Bounded at 10 s; then whatever is there.
     */
    private static String awaitLine(Path f) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(Files.exists(f) && Files.readString(f).endsWith("\n")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void preservedFdsReachTheContainer() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "echo via-fd-3 >&3");
        Path fd3 = work.resolve("fd3.txt");
        // the shell opens fd 3 on a file and runs bin/jruntime with it: the client sends it along
        Jruntime.Result r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of("sh", "-c",
                "exec \"$0\" \"$@\" 3>" + fd3), jr.root(), "run", "--preserve-fds", "1", "--bundle", b.dir().toString(), id("r"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("via-fd-3\n", Files.readString(fd3));
        Files.writeString(fd3, "");
        r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of("sh", "-c", "exec \"$0\" \"$@\" 3>" + fd3),
                jr.root(), "create", "--preserve-fds", "1", "--bundle", b.dir().toString(), id("c"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(0, withDaemon(jr.root(), "start", id("c")).exitCode());
        awaitStatus(id("c"), "stopped", 10_000);
        assertEquals("via-fd-3\n", Files.readString(fd3));
    }

    @Test
    void errorsReadAndExitAsWithoutTheDaemon() throws Exception {
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        String[][] cases = {
                {"create", "--bundle", work.resolve("missing").toString(), id("x")},
                {"create", "--bundle", "relative-missing", id("x")},
                {"state", "no-such-container"},
                {"kill", "no-such-container", "KILL"},
                {"delete", "no-such-container"},
                {"start"},
        };
        long before = served();
        for (String[] c : cases) {
            Jruntime.Result viaDaemon = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()),
                    List.of("sh", "-c", "cd " + cwd + " && exec \"$0\" \"$@\""), jr.root(), c);
            Jruntime.Result own = invoke(Map.of("JRUNTIME_DAEMON", "0"),
                    List.of("sh", "-c", "cd " + cwd + " && exec \"$0\" \"$@\""), jr.root(), c);
            assertEquals(own.exitCode(), viaDaemon.exitCode(), String.join(" ", c));
            assertTrue(viaDaemon.exitCode() != 0, String.join(" ", c));
            assertEquals(stripTime(own.stderr()), stripTime(viaDaemon.stderr()), String.join(" ", c));
            assertEquals(own.stdout(), viaDaemon.stdout(), String.join(" ", c));
        }
        assertEquals(before + cases.length, served(), "every case ran in the daemon");
        assertTrue(viaDaemonLeavesNothing(), "no state directory left for the failed create");
    }

    private boolean viaDaemonLeavesNothing() throws IOException {
        return !Files.exists(jr.root().resolve(id("x")));
    }

    private static String stripTime(String s) {
        return s.replaceAll("time=\"[^\"]*\"", "time=T");
    }

    @Test
    void callerInAnotherMountNamespaceRunsInItsOwnJvm() throws Exception {
        Bundle b = bundle("b", "true");
        long before = served();
        Jruntime.Result r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of("unshare", "-m"),
                jr.root(), "run", "--bundle", b.dir().toString(), id("ns"));
        assertEquals(0, r.exitCode(), r.toString());
        r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of("unshare", "-m"), jr.root(), "list", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        r = invoke(Map.of("JRUNTIME_DAEMON_SOCKET", socket.toString()), List.of("unshare", "-m"), jr.root(), "--debug", "list", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(before, served(), "the daemon served nothing for a caller in another mount namespace");
        // bin/jruntime itself finds the daemon outside its namespaces and does not even say hello
        assertTrue(r.stderr().contains("is in another mnt namespace"), r.stderr());
    }

    @Test
    void aRebuiltJarMakesItsDaemonExitAndCallsRunInTheirOwnJvm() throws Exception {
        Path install = Files.createTempDirectory("jruntime-daemon-install-");
        Path sock = install.resolve("d.sock");
        try {
            Path launcher = RootlessUser.install(install);
            Map<String, String> env = Map.of("JRUNTIME_DAEMON_SOCKET", sock.toString());
            assertEquals(0, invokeBinary(env, launcher, null, "daemon", "start").exitCode());
            Jruntime.Result r = invokeBinary(env, launcher, jr.root(), "list", "-q");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(invokeBinary(env, launcher, null, "daemon", "status").stdout().contains("served 1,"));
            Path jar = install.resolve("lib/jruntime.jar");
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            r = invokeBinary(env, launcher, jr.root(), "list", "-q");
            assertEquals(0, r.exitCode(), "the call itself runs in its own JVM: " + r);
            long deadline = System.currentTimeMillis() + 10_000;
            while (Files.exists(sock) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(!Files.exists(sock), "the daemon of the replaced jar exited and removed its socket");
            assertTrue(Files.readString(Path.of(sock + ".log")).contains("exiting: jruntime.jar changed"));
        } finally {
            Cmd.processesWithArg(sock.toString()).forEach(Cmd::killTree);
            deleteTree(install);
        }
    }

    @Test
    void hookCallingJruntimeDuringCreateIsServedAlongside() throws Exception {
        Path seen = work.resolve("hook-list.txt");
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode hooks = c.putObject("hooks");
            ArrayNode list = hooks.putArray("createRuntime");
            ObjectNode h = list.addObject();
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add(Jruntime.defaultBinary() + " --root " + jr.root() + " list"
                    + " > " + seen);
            h.putArray("env").add("JRUNTIME_DAEMON_SOCKET=" + socket);
            h.put("timeout", 30);
        });
        long served = served();
        long declined = declined();
        Jruntime.Result r = withDaemon(jr.root(), "create", "--bundle", b.dir().toString(), id("h"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.readString(seen).startsWith("ID "), "the hook's jruntime list ran: " + Files.readString(seen));
        assertEquals(declined, declined(), "the hook's call was not declined while the create it runs in was served");
        assertEquals(served + 2, served(), "the create and, during it, the hook's list were both served");
        assertEquals(0, withDaemon(jr.root(), "delete", "--force", id("h")).exitCode());
    }

    private long declined() {
        return DefaultSocketDaemon.statusNumber(socket, "declined");
    }

    /** bin/jruntime started by sh in dir with that umask and environment: a caller with a context of its own. */
    private Process startCaller(Path dir, String umask, Map<String, String> env, Path output, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"",
                Jruntime.defaultBinary().toString(), "--root", jr.root().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(new File("/dev/null"))
                .redirectOutput(output.toFile()).redirectErrorStream(true);
        pb.environment().put("JRUNTIME_DAEMON_SOCKET", socket.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int exitOf(Process p, Path output) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("a caller did not finish: " + Files.readString(output));
        }
        return p.exitValue();
    }

    /**
     * Several callers at once, each create/start/delete on a container of its own: every call is served (none
     * declined: before, all but one waited 100 ms for their turn and ran their own JVM) and every container ran.
     */
    @Test
    void parallelCallersAreAllServedAndEachContainerRuns() throws Exception {
        int n = 6;
        long served = served();
        long declined = declined();
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bundles.add(bundle("p" + i, "sh", "-c", "echo ran-" + i));
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    Path out = work.resolve("p" + k + ".out");
                    String cid = id("p" + k);
                    Process create = startCaller(work, "022", Map.of(), out, "create", "--bundle",
                            bundles.get(k).dir().toString(), cid);
                    assertEquals(0, exitOf(create, out), Files.readString(out));
                    Path startOut = work.resolve("p" + k + ".start");
                    assertEquals(0, exitOf(startCaller(work, "022", Map.of(), startOut, "start", cid), startOut),
                            Files.readString(startOut));
                    awaitStatus(cid, "stopped", 60_000);
                    Path delOut = work.resolve("p" + k + ".delete");
                    assertEquals(0, exitOf(startCaller(work, "022", Map.of(), delOut, "delete", cid), delOut),
                            Files.readString(delOut));
                    assertEquals("ran-" + k, Files.readString(out).strip(), "the container's output on its caller's stdout");
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        try {
            assertTrue(failures.isEmpty(), () -> failures.toString());
            assertEquals(declined, declined(), "no call was declined: " + daemonLogTail());
            assertEquals(served + 3L * n, served(), "create, start and delete of every caller were served");
        } finally {
            for (int i = 0; i < n; i++) {
                jr.run("delete", "--force", id("p" + i));
            }
        }
    }

    private String daemonLogTail() throws IOException {
        Path log = Path.of(socket + ".log");
        if (!Files.exists(log)) {
            return "(no daemon log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /**
     * Two callers served at the same time, with different working directories, umasks and environments: each
     * one's relative --pid-file lands in its own directory with its own umask's mode, and each one's host-side
     * hook runs in its own directory, umask and environment. The first caller's hook waits until the second
     * caller's hook has run, so the two creates overlap in the daemon.
     */
    @Test
    void concurrentCallersKeepTheirOwnCwdUmaskAndEnvironment() throws Exception {
        Path dirA = Files.createDirectories(work.resolve("caller-a"));
        Path dirB = Files.createDirectories(work.resolve("caller-b"));
        Path seenB = dirB.resolve("hook.txt");
        Bundle a = bundle("ca", "true");
        Bundle b = bundle("cb", "true");
        // no env in the hooks: they get their caller's environment
        // prestart hooks start in the bundle directory (as runc's), wherever their caller is
        String report = "pwd > \"$HOOKOUT\"; umask >> \"$HOOKOUT\"; echo \"$WHO\" >> \"$HOOKOUT\"";
        a.edit(c -> c.putObject("hooks").putArray("prestart").addObject().put("path", "/bin/sh")
                .put("timeout", 60).putArray("args").add("sh").add("-c")
                .add(report + "; i=0; while [ ! -s " + seenB + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done"));
        b.edit(c -> c.putObject("hooks").putArray("prestart").addObject().put("path", "/bin/sh")
                .put("timeout", 60).putArray("args").add("sh").add("-c").add(report));
        long served = served();
        long declined = declined();
        Path outA = work.resolve("ca.out");
        Path outB = work.resolve("cb.out");
        try {
            // A debugs, B does not: B's call, served while A's is in its hook, must not switch A's debug log off
            Process pa = startCaller(dirA, "077", Map.of("WHO", "caller-a", "HOOKOUT", dirA.resolve("hook.txt").toString()), outA, "--debug", "--log", "a.log",
                    "create", "--bundle", a.dir().toString(), "--pid-file", "pid", id("a"));
            Process pb = startCaller(dirB, "022", Map.of("WHO", "caller-b", "HOOKOUT", seenB.toString()), outB, "--log", "b.log", "create",
                    "--bundle", b.dir().toString(), "--pid-file", "pid", id("b"));
            assertEquals(0, exitOf(pb, outB), Files.readString(outB));
            assertEquals(0, exitOf(pa, outA), Files.readString(outA));
            assertEquals(List.of(a.dir().toString(), "0077", "caller-a"), Files.readAllLines(dirA.resolve("hook.txt")));
            assertEquals(List.of(b.dir().toString(), "0022", "caller-b"), Files.readAllLines(dirB.resolve("hook.txt")));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dirA.resolve("pid"))), "umask 077: pid file 0600");
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dirB.resolve("pid"))), "umask 022: pid file 0644");
            assertEquals(declined, declined(), "neither caller was declined: " + daemonLogTail());
            assertEquals(served + 2, served(), "both creates were served by the daemon");
            String logA = Files.readString(dirA.resolve("a.log"));
            assertTrue(logA.contains("level=debug") && logA.contains("state saved"),
                    "A's debug lines after B's call (its final state save) are in A's log: " + logA);
            String logB = Files.exists(dirB.resolve("b.log")) ? Files.readString(dirB.resolve("b.log")) : "";
            assertFalse(logB.contains("level=debug"), "B without --debug logs no debug lines: " + logB);
        } finally {
            jr.run("delete", "--force", id("a"));
            jr.run("delete", "--force", id("b"));
        }
    }

    /** A container named cid running `sleep 300`, started detached through the daemon. */
    private void runSleeper(String cid) throws IOException {
        Bundle b = bundle(cid, "sleep", "300");
        Jruntime.Result r = withDaemon(jr.root(), "run", "-d", "--bundle", b.dir().toString(), cid);
        assertEquals(0, r.exitCode(), r.toString());
    }

    /**
     * exec in the foreground through the daemon: the client waits for the process (its own child, through
     * CLONE_PARENT), forwards the signals it gets to it, and exits with the process's status and output, as runc
     * does.
     */
    @Test
    void foregroundExecIsServedAndReturnsTheProcessStatus() throws Exception {
        String cid = id("fg");
        try {
            runSleeper(cid);
            long served = served();
            long declined = declined();
            Jruntime.Result r = withDaemon(jr.root(), "exec", cid, "sh", "-c", "echo out-$(hostname); echo err >&2; exit 7");
            assertEquals(7, r.exitCode(), r.toString());
            assertEquals("out-runc", r.stdout().strip());
            assertEquals("err", r.stderr().strip());
            r = withDaemon(jr.root(), "exec", cid, "sh", "-c", "kill -TERM $$");
            assertEquals(128 + 15, r.exitCode(), "killed by SIGTERM: 128 + 15, as runc reports it; " + r);
            r = withDaemon(jr.root(), "exec", cid, "true");
            assertEquals(0, r.exitCode(), r.toString());
            // a signal sent to the caller reaches the process, as runc forwards it
            ProcessBuilder pb = new ProcessBuilder(Jruntime.defaultBinary().toString(), "--root", jr.root().toString(),
                    "exec", cid, "sh", "-c", "trap 'echo got-term; exit 3' TERM; echo ready; sleep 300 & wait")
                    .redirectInput(new File("/dev/null")).redirectErrorStream(true);
            pb.environment().put("JRUNTIME_DAEMON_SOCKET", socket.toString());
            Process p = pb.start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertEquals("ready", out.readLine(), "the process runs with its trap set");
            // SIGTERM to bin/jruntime, the caller (not Process.destroy: that also closes our end of its output)
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the caller returned after the process exited");
            assertEquals("got-term", out.readLine(), "the process got the caller's SIGTERM");
            assertEquals(3, p.exitValue(), "the caller exits with the process's status");
            assertEquals(declined, declined(), daemonLogTail());
            assertEquals(served + 4, served(), "the four foreground execs were served by the daemon");
        } finally {
            jr.run("delete", "--force", cid);
        }
    }
}
