package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.engines.Cmd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The attacks of issue 12 on `jruntime daemon`, performed for real against a daemon on a socket of the test's
 * own (never the default one), each asserting that the attack fails and the legitimate call still works. The
 * attacker speaks the wire protocol from src/test/resources/daemon-attack/attacker.py. Safe to run alone or in a
 * private mount namespace (nothing here depends on /run/jruntime-daemon).
 */
class DaemonAttackIT extends ContainerTestBase {
    private static final String NOBODY = "65534";
    private Path dir;
    private Path socket;
    private Path attacker;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the attacker is a python3 script");
        dir = Files.createTempDirectory("jrd-attack-");
        socket = dir.resolve("d.sock");
        attacker = dir.resolve("attacker.py");
        try (InputStream in = DaemonAttackIT.class.getResourceAsStream("/daemon-attack/attacker.py")) {
            Files.write(attacker, in.readAllBytes());
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Process p : started) {
            Cmd.killTree(p.toHandle());
        }
        if (socket != null) {
            daemon("stop");
            Cmd.processesWithArg(socket.toString()).forEach(Cmd::killTree);
        }
        if (dir != null) {
            Cmd.removeTree(dir);
        }
    }

    // ---- 1. the launcher verifies the daemon before it sends anything ------------------------------------------

    @Test
    void anImpostorListenerGetsNothingFromARootCaller() throws Exception {
        // a directory another user owns: that user can put any listener there
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Cmd.run(List.of("chown", NOBODY + ":" + NOBODY, theirs.toString()), Map.of(), null, 30);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out1 = dir.resolve("impostor1.out");
        Path sock1 = theirs.resolve("d.sock");
        background(out1, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "/usr/bin/python3",
                attacker.toString(), "listen", sock1.toString());
        awaitLine(out1, "listening");
        Cmd.Result r = call(sock1, "--debug", "list", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("is owned by another user"), r.stderr());

        // a root-owned path, but the listener runs as another user (root bound it, then dropped to nobody)
        Path out2 = dir.resolve("impostor2.out");
        Path sock2 = dir.resolve("i.sock");
        background(out2, "/usr/bin/python3", attacker.toString(), "listen", sock2.toString(), NOBODY);
        awaitLine(out2, "listening");
        r = call(sock2, "--debug", "list", "-q");
        assertEquals(0, r.exitCode(), "the caller ran in its own JVM: " + r);
        assertTrue(r.stderr().contains("the listener's uid is not ours"), r.stderr());
        awaitLine(out2, "connection");

        for (Path out : List.of(out1, out2)) {
            String got = Files.readString(out);
            assertFalse(Pattern.compile("bytes [1-9]|fds [1-9]").matcher(got).find(), "the impostor got data: " + got);
        }
        assertFalse(Files.exists(Path.of(sock1 + ".pwned")) || Files.exists(Path.of(sock2 + ".pwned")));
    }

    // ---- 2. the peer is pinned at accept: a reused pid does not lend its identity -------------------------------

    @Test
    void aReusedPidDoesNotLendItsIdentityToAnExitedClient() throws Exception {
        startDaemon();
        Path go = dir.resolve("go");
        Path log = dir.resolve("race.log");
        Path out = dir.resolve("race.out");
        // restricted: its own mount namespace, which the daemon refuses; it connects, hands the socket to a child
        // and exits, so SO_PEERCRED names a pid the test then gives to an unrestricted process
        Process connector = background(out, "unshare", "-m", "/usr/bin/python3", attacker.toString(), "race",
                socket.toString(), go.toString(), buildId(), "--root", jr.root().toString(), "--log", log.toString(), "list");
        int pid = Integer.parseInt(awaitLine(out, "connector").split(" ")[1]);
        assertTrue(connector.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        Process taker = null;
        for (int attempt = 0; attempt < 200 && taker == null; attempt++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Integer.toString(pid - 1));
            Process p = new ProcessBuilder("sleep", "600").start();
            started.add(p);
            if (p.pid() == pid) {
                taker = p;
            } else {
                p.destroyForcibly();
            }
        }
        assumeTrue(taker != null, "another process kept taking pid " + pid + " (busy machine)");
        Files.writeString(go, "");
        String answer = awaitLine(out, "answer");
        assertTrue(answer.startsWith("answer 10 "), "declined: " + answer);
        assertTrue(answer.contains("has exited"), answer);
        assertFalse(Files.exists(log), "nothing was run for the exited client");
        assertServedStillWorks();
    }

    // ---- 3. STOP, STATUS details and a build-id exit only for a client the daemon would serve ------------------

    @Test
    void stopStatusAndBuildIdFromAnotherMountNamespaceAreRefused() throws Exception {
        startDaemon();
        long pid = DefaultSocketDaemon.statusNumber(socket, "pid");
        Cmd.Result r = Cmd.run(List.of("unshare", "-m", Jruntime.defaultBinary().toString(), "daemon", "stop", "--socket",
                socket.toString()), Map.of("JRUNTIME_DAEMON", "0"), null, 60);
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("refused"), r.toString());
        assertTrue(python("unshare", "-m", "stop").startsWith("answer 16 refused: client differs"));
        String status = python("unshare", "-m", "status");
        assertTrue(status.contains("no details") && !status.contains("served"), status);
        String hello = python("unshare", "-m", "hello", buildId().replaceFirst(":[^:]*:[^:]*$", ":1:1.000000000"), "list");
        assertTrue(hello.startsWith("answer 10 client differs"), hello);
        assertEquals(pid, DefaultSocketDaemon.statusNumber(socket, "pid"), "the same daemon still runs");
        assertServedStillWorks();
    }

    // ---- 4. a container that sees the socket directory cannot become host root ---------------------------------

    @Test
    void aContainerWithTheSocketDirectoryCannotTakeOverTheDaemon() throws Exception {
        startDaemon();
        long pid = DefaultSocketDaemon.statusNumber(socket, "pid");
        Path inside = Files.createDirectories(work.resolve("ctr-sock"));
        Path out = dir.resolve("container.out");
        // the container: own mount, pid, net, uts and ipc namespaces, root, the socket directory bind-mounted in;
        // it tries to stop the daemon, then puts its own listener in the daemon's place
        String s = inside.resolve("d.sock").toString();
        background(out, "unshare", "-m", "-p", "-f", "-n", "-u", "-i", "--mount-proc", "sh", "-c",
                "mount --bind " + dir + " " + inside + " && /usr/bin/python3 " + attacker + " stop " + s
                        + " ; rm -f " + s + " && exec /usr/bin/python3 " + attacker + " listen " + s);
        String stop = awaitLine(out, "answer");
        assertTrue(stop.startsWith("answer 16 refused"), stop);
        awaitLine(out, "listening");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the daemon was not stopped");

        Cmd.Result r = call(socket, "--debug", "list", "-q");
        assertEquals(0, r.exitCode(), "the host's call ran in its own JVM: " + r);
        assertTrue(r.stderr().contains("is in another") && r.stderr().contains("namespace"), r.stderr());
        String got = Files.readString(out);
        assertFalse(Pattern.compile("bytes [1-9]|fds [1-9]").matcher(got).find(), "the container got data: " + got);
        assertFalse(Files.exists(Path.of(s + ".pwned")), "nothing ran as host root");
    }

    // ---- 5. silent clients delay nobody; a stopped daemon costs a caller a timeout, not a hang -----------------

    @Test
    void thirtySilentConnectionsDoNotHoldUpACall() throws Exception {
        startDaemon();
        Path out = dir.resolve("silent.out");
        background(out, "/usr/bin/python3", attacker.toString(), "silent", socket.toString(), "30");
        awaitLine(out, "connected 30");
        long before = served();
        long t0 = System.nanoTime();
        Cmd.Result r = call(socket, "list", "-q");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(before + 1, served(), "served by the daemon, not by a JVM of its own");
        assertTrue(ms < 30_000, "finished without waiting for the silent connections (" + ms + " ms)");
    }

    @Test
    void aStoppedDaemonMakesCallsFallBack() throws Exception {
        startDaemon();
        long pid = DefaultSocketDaemon.statusNumber(socket, "pid");
        Cmd.Result r;
        Cmd.run(List.of("kill", "-STOP", Long.toString(pid)), Map.of(), null, 30);
        try {
            r = call(socket, "--debug", "list", "-q");
        } finally {
            Cmd.run(List.of("kill", "-CONT", Long.toString(pid)), Map.of(), null, 30);
        }
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("no answer within the timeout"), r.stderr());
        assertServedStillWorks();
    }

    // ---- 6. paths that name the caller's fds mean the caller's fds ------------------------------------------------

    @Test
    void processFilesOnTheCallersFdsWork() throws Exception {
        startDaemon();
        Path shared = Files.createDirectories(work.resolve("shared"));
        Bundle b = bundle("b", "sleep", "300");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/shared").put("type", "bind").put("source", shared.toString());
            m.putArray("options").add("rbind").add("rw");
        });
        Cmd.Result r = call(socket, "--root", jr.root().toString(), "run", "-d", "--bundle", b.dir().toString(), id("r"));
        assertEquals(0, r.exitCode(), r.toString());
        String process = "{\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"],\"args\":[\"sh\",\"-c\",\"echo %s > /shared/%s\"]}";
        // bash's process substitution: -p /dev/fd/63
        r = callVia(List.of("bash", "-c", "exec \"$0\" \"$@\" -p <(echo '" + String.format(process, "fd-ok", "x") + "') "
                + id("r")), "--root", jr.root().toString(), "exec", "-d");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("fd-ok\n", awaitFileLine(shared.resolve("x")));
        // an fd the caller opened: -p /dev/fd/3
        Path p = Files.writeString(work.resolve("p.json"), String.format(process, "fd3-ok", "y"));
        r = callVia(List.of("sh", "-c", "exec \"$0\" \"$@\" 3<" + p), "--root", jr.root().toString(), "exec", "-d", "-p",
                "/dev/fd/3", id("r"));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("fd3-ok\n", awaitFileLine(shared.resolve("y")));
        assertTrue(Files.readString(Path.of(socket + ".log")).contains("names a file through /proc/self"),
                "declined by the daemon, run in the caller's own JVM");
        assertEquals(0, call(socket, "--root", jr.root().toString(), "delete", "--force", id("r")).exitCode());
    }

    // ---- 7. a huge config is refused with a clear message on both paths; the daemon keeps serving ---------------

    @Test
    void aFiftyMegabyteConfigIsRefusedOnBothPaths() throws Exception {
        startDaemon();
        Bundle b = bundle("b", "true");
        Path config = b.dir().resolve("config.json");
        byte[] spaces = new byte[1 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (int i = 0; i < 50; i++) {
            Files.write(config, spaces, StandardOpenOption.APPEND); // still valid JSON, 50 MB
        }
        String limit = "more than jruntime's limit of 4194304 bytes (4 MiB) for a spec document";
        long before = served();
        Cmd.Result viaDaemon = call(socket, "--root", jr.root().toString(), "create", "--bundle", b.dir().toString(), id("big"));
        assertEquals(before + 1, served(), "the daemon ran the create");
        Cmd.Result own = Cmd.run(List.of(Jruntime.defaultBinary().toString(), "--root", jr.root().toString(), "create",
                "--bundle", b.dir().toString(), id("big")), Map.of("JRUNTIME_DAEMON", "0"), null, 120);
        for (Cmd.Result r : List.of(viaDaemon, own)) {
            assertNotEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains(config + " is " + Files.size(config) + " bytes, " + limit), r.stderr());
        }
        assertFalse(Files.exists(jr.root().resolve(id("big"))), "nothing left behind");
        assertServedStillWorks();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private void startDaemon() {
        Cmd.Result r = daemon("start");
        assertEquals(0, r.exitCode(), r.toString());
    }

    private Cmd.Result daemon(String action) {
        return Cmd.run(List.of(Jruntime.defaultBinary().toString(), "daemon", action, "--socket", socket.toString()),
                Map.of("JRUNTIME_DAEMON", "0"), null, 60);
    }

    private long served() {
        return DefaultSocketDaemon.served(socket);
    }

    /** The daemon still serves an ordinary call after the attack. */
    private void assertServedStillWorks() {
        long before = served();
        Cmd.Result r = call(socket, "--root", jr.root().toString(), "list", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(before + 1, served(), "the legitimate call was served");
    }

    /** "path:size:mtime" of the jar the daemon runs (what bin/jruntime sends). */
    private String buildId() {
        Cmd.Result st = daemon("status");
        Matcher m = Pattern.compile("jar (\\S+)").matcher(st.stdout());
        assertTrue(m.find(), st.toString());
        return m.group(1);
    }

    /** bin/jruntime through the daemon on sock, with a secret in its environment. */
    private Cmd.Result call(Path sock, String... args) {
        return callVia(sock, List.of(), args);
    }

    private Cmd.Result callVia(List<String> prefix, String... args) {
        return callVia(socket, prefix, args);
    }

    private Cmd.Result callVia(Path sock, List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Jruntime.defaultBinary().toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("JRUNTIME_DAEMON", "1");
        env.put("JRUNTIME_DAEMON_SOCKET", sock.toString());
        env.put("ATTACK_TEST_SECRET", "s3cret");
        return Cmd.run(cmd, env, null, 120);
    }

    /** The attacker in mode against the test's socket, under the given wrapper (e.g. unshare -m); its answer line. */
    private String python(String wrapper, String flag, String mode, String... args) {
        List<String> cmd = new ArrayList<>(List.of(wrapper, flag, "/usr/bin/python3", attacker.toString(), mode, socket.toString()));
        cmd.addAll(List.of(args));
        Cmd.Result r = Cmd.run(cmd, Map.of(), null, 60);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout().strip();
    }

    private Process background(Path out, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of(out + ".err").toFile())).start();
        started.add(p);
        return p;
    }

    /** The first line of out starting with prefix, waited for (bounded at 60 s). */
    private static String awaitLine(Path out, String prefix) {
        String[] found = new String[1];
        Cmd.await(prefix + " in " + out, 60_000, () -> {
            try {
                for (String l : Files.readAllLines(out)) {
                    if (l.startsWith(prefix)) {
                        found[0] = l;
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        });
        return found[0];
    }

    private static String awaitFileLine(Path f) {
        Cmd.await("a line in " + f, 30_000, () -> {
            try {
                return Files.exists(f) && Files.readString(f).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
