package io.jruntime.bundles.engines;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PodmanRootlessIT}'s rootless Podman tests with the per-user daemon on: bin/jruntime, in Podman's user
 * namespace, starts a daemon on demand on $XDG_RUNTIME_DIR/jruntime-daemon/daemon.sock (the test's own XDG
 * directory, so no other run's daemon is seen) that exits after {@value #IDLE_SECONDS} s without a call. Every
 * inherited test must give the same results through it; the tests here show that calls were served, that the
 * daemon exits when idle and is started again by the next call, and that launchers starting at the same time
 * leave one daemon. No timing is asserted: waits are bounded generously and only make failures end.
 */
class PodmanRootlessDaemonIT extends PodmanRootlessIT {
    static final int IDLE_SECONDS = 30; // well above the gap between two runtime calls of one `podman run`, even at load 20
    private static final Pattern SERVED = Pattern.compile("exiting: .*; served (\\d+), declined (\\d+)");

    @Override
    String runtimeEnv() {
        return "JRUNTIME_DAEMON_IDLE=" + IDLE_SECONDS;
    }

    Path socket() {
        return daemonDir.resolve("daemon.sock");
    }

    /** The per-user daemon processes of this test's XDG directory (their command line names the socket). */
    List<ProcessHandle> daemons() {
        return Cmd.processesWithArg("--socket " + socket());
    }

    String log() {
        try {
            Path log = daemonDir.resolve("daemon.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls served by the daemons that have exited so far (each notes its count on the way out). */
    long servedByExited() {
        long n = 0;
        Matcher m = SERVED.matcher(log());
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    void awaitNoDaemon() {
        Cmd.await("the per-user daemon exits after " + IDLE_SECONDS + " s idle", 300_000, () -> daemons().isEmpty());
    }

    @Test
    void callsAreServedAndTheDaemonExitsWhenIdleAndStartsAgain() {
        awaitNoDaemon();
        long before = servedByExited();
        podman("run", "--rm", "--network", "none", IMAGE, "true").ok(); // its first call starts the daemon
        Cmd.await("the daemon listens", 120_000, () -> Files.exists(socket()));
        Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "echo served; exit 4");
        assertEquals(4, r.exitCode(), r.toString());
        assertEquals("served\n", r.stdout());
        awaitNoDaemon();
        assertFalse(Files.exists(socket()), "the idle daemon removed its socket");
        assertTrue(servedByExited() > before, "calls were served by the per-user daemon: " + log());
        assertTrue(log().contains("exiting: idle for " + IDLE_SECONDS + " s"), log());

        // the first call after the daemon exited starts a new one (and still gives the right answer itself)
        long listening = log().lines().filter(l -> l.contains(" listening on ")).count();
        assertEquals("again\n", podman("run", "--rm", "--network", "none", IMAGE, "echo", "again").ok().stdout());
        Cmd.await("a new daemon started on demand", 120_000,
                () -> log().lines().filter(l -> l.contains(" listening on ")).count() > listening);
        awaitNoDaemon();
    }

    /**
     * The same user outside Podman's namespaces (an ordinary login shell of that user, or a container of it)
     * listens on the per-user socket: SO_PEERCRED gives our uid (the user is root in Podman's namespace), but the
     * listener is in another user namespace, so the launcher drops the connection before sending anything and
     * runs its own JVM. The test holds daemon.lock (as the user) so that no real daemon replaces the impostor.
     */
    @Test
    void theSameUserOutsidePodmansNamespacesGetsNothing() throws IOException {
        awaitNoDaemon();
        Path attacker = dir.resolve("attacker.py");
        try (java.io.InputStream in = PodmanRootlessDaemonIT.class.getResourceAsStream("/daemon-attack/attacker.py")) {
            Files.write(attacker, in.readAllBytes());
        }
        attacker.toFile().setReadable(true, false);
        List<String> asUser = List.of("setpriv", "--reuid=" + user.uid, "--regid=" + user.gid, "--clear-groups");
        Files.createDirectories(daemonDir);
        user.chown(daemonDir);
        Files.setPosixFilePermissions(daemonDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path out = dir.resolve("impostor.out");
        List<Process> started = new ArrayList<>();
        try {
            List<String> lock = new ArrayList<>(asUser);
            lock.addAll(List.of("flock", daemonDir.resolve("daemon.lock").toString(), "sleep", "600"));
            started.add(new ProcessBuilder(lock).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            List<String> impostor = new ArrayList<>(asUser);
            impostor.addAll(List.of("/usr/bin/python3", attacker.toString(), "listen", socket().toString()));
            started.add(new ProcessBuilder(impostor).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            Cmd.await("the impostor listens", 60_000, () -> readOr(out).contains("listening"));
            Cmd.await("the test holds daemon.lock", 60_000, () -> Cmd.run(List.of("flock", "-n",
                    daemonDir.resolve("daemon.lock").toString(), "true"), Map.of(), null, 30).exitCode() == 1);
            Cmd.Result r = podman("run", "--rm", "--network", "none", IMAGE, "echo", "not served");
            assertEquals("not served\n", r.ok().stdout());
            Cmd.await("the launchers' connections were dropped", 60_000, () -> readOr(out).contains("connection"));
            String got = readOr(out);
            assertFalse(Pattern.compile("bytes [1-9]|fds [1-9]").matcher(got).find(), "the impostor got data: " + got);
            assertFalse(Files.exists(Path.of(socket() + ".pwned")));
            assertTrue(daemons().isEmpty(), "no daemon was started while the lock was held: " + daemons());
        } finally {
            for (Process p : started) {
                Cmd.killTree(p.toHandle());
            }
            Files.deleteIfExists(socket());
        }
    }

    private static String readOr(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void launchersStartingAtOnceLeaveOneDaemon() {
        awaitNoDaemon();
        // four launchers at the same moment in Podman's namespaces, none finding a daemon: the lock file lets
        // one start it; the others run their own JVM, and nobody waits
        List<String> c = new ArrayList<>(command(runtime.toString()));
        int podmanAt = c.indexOf("podman");
        List<String> unshare = new ArrayList<>(c.subList(0, podmanAt + 1));
        unshare.addAll(c.subList(podmanAt + 1, c.indexOf("--runtime")));
        unshare.addAll(List.of("unshare", "sh", "-c",
                "pids=; for i in 1 2 3 4; do " + runtime + " list -q >/dev/null & pids=\"$pids $!\"; done; fail=0; "
                        + "for p in $pids; do wait $p || fail=1; done; exit $fail"));
        Cmd.Result r = Cmd.run(unshare, Map.of(), null, 180);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, daemons().size(), "one daemon for four simultaneous first calls: " + daemons());
        awaitNoDaemon();
    }
}
