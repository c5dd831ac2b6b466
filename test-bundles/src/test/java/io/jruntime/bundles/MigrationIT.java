package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jruntime migrate} between two "hosts" on this machine: two network namespaces the test creates (random
 * names), joined by a veth pair with 10.254.X.Y/30 addresses the test picks; each side has its own --root, its own
 * bundle (a copy of the rootfs) and its own bind source for /data. jruntime runs in each host's network namespace
 * through nsenter --net (only the network namespace: cgroups, /run and the state roots stay the machine's).
 */
class MigrationIT extends ContainerTestBase {
    /** Counts in memory; each value goes to the rootfs and to /data (the bind mount each host provides). */
    private static final String COUNTER = "i=0; while :; do i=$((i+1)); echo $i > /tmp/counter.new; mv /tmp/counter.new "
            + "/tmp/counter; echo $i > /data/c.new; mv /data/c.new /data/c; sleep 0.05; done";
    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9.]+):([0-9]+)");

    private final SecureRandom random = new SecureRandom();
    private String nsA;
    private String nsB;
    private String addrA;
    private String addrB;
    private Jruntime jrB;
    private Path token;
    private final List<Process> receivers = new ArrayList<>();

    @BeforeEach
    void twoHosts() throws IOException {
        String sfx = HexFormat.of().formatHex(random.generateSeed(3));
        nsA = "jrmigA" + sfx;
        nsB = "jrmigB" + sfx;
        int x = 1 + random.nextInt(250);
        int y = 4 * random.nextInt(63);
        addrA = "10.254." + x + "." + (y + 1);
        addrB = "10.254." + x + "." + (y + 2);
        ip("netns", "add", nsA);
        ip("netns", "add", nsB);
        ip("link", "add", "jrA" + sfx, "type", "veth", "peer", "name", "jrB" + sfx);
        ip("link", "set", "jrA" + sfx, "netns", nsA);
        ip("link", "set", "jrB" + sfx, "netns", nsB);
        ip("-n", nsA, "addr", "add", addrA + "/30", "dev", "jrA" + sfx);
        ip("-n", nsB, "addr", "add", addrB + "/30", "dev", "jrB" + sfx);
        for (String[] l : new String[][]{{nsA, "jrA" + sfx}, {nsB, "jrB" + sfx}}) {
            ip("-n", l[0], "link", "set", "lo", "up");
            ip("-n", l[0], "link", "set", l[1], "up");
        }
        jrB = new Jruntime(Jruntime.defaultBinary(), work.resolve("stateB"));
        token = writeToken("token", "migration-token-" + HexFormat.of().formatHex(random.generateSeed(16)));
    }

    @AfterEach
    void removeHosts() {
        for (Process p : receivers) {
            p.destroyForcibly();
        }
        if (jrB != null && Files.isDirectory(jrB.root())) {
            for (String id : jrB.run("list", "-q").stdout().split("\n")) {
                if (!id.isBlank()) {
                    jrB.run("delete", "--force", id.trim());
                }
            }
        }
        Jruntime.exec(List.of("ip", "netns", "del", nsA), null, 30);
        Jruntime.exec(List.of("ip", "netns", "del", nsB), null, 30);
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Jruntime.exec(cmd, null, 30).assertOk();
    }

    private Path writeToken(String name, String value) throws IOException {
        Path f = work.resolve(name);
        Files.writeString(f, value + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static List<String> inNetns(String ns, List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns));
        out.addAll(cmd);
        return out;
    }

    /** The source's bundle: the counter with /data bound from dataA. */
    private Bundle sourceBundle(Path data) {
        Bundle b = bundle("bundleA", "sh", "-c", COUNTER);
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/data").put("type", "bind").put("source", data.toString());
            m.putArray("options").add("rbind").add("rw");
        });
        return b;
    }

    /** The target's bundle: a copy of the rootfs elsewhere, /data bound from another directory. */
    private Bundle targetBundle(Bundle source, Path data) {
        Path dir = work.resolve("hostB/bundle");
        Jruntime.exec(List.of("mkdir", "-p", dir.getParent().toString()), null, 10).assertOk();
        Jruntime.exec(List.of("cp", "-a", source.dir().toString(), dir.toString()), null, 60).assertOk();
        Bundle b = Bundle.open(dir);
        b.edit(c -> {
            for (var m : c.path("mounts")) {
                if (m.path("destination").asText().equals("/data")) {
                    ((ObjectNode) m).put("source", data.toString());
                }
            }
        });
        return b;
    }



    private void runSource(Bundle b, String id) throws Exception {
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id).assertOk();
        awaitStatus(id, "running", 10_000);
        CounterFile.awaitAbove(b.dir().resolve("rootfs/tmp/counter"), 3);
    }

    /** A receiver on host B, port 0; returns it once it printed the port it listens on. */
    private Receiver receive(List<String> command, Path output) throws Exception {
        Process p = new ProcessBuilder(inNetns(nsB, command)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(output.toFile()).redirectErrorStream(true).start();
        receivers.add(p);
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(output));
            if (m.find()) {
                return new Receiver(p, m.group(1) + ":" + m.group(2), output);
            }
            if (!p.isAlive()) {
                throw new AssertionError("receiver exited " + p.exitValue() + ": " + Files.readString(output));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("receiver did not listen: " + Files.readString(output));
    }

    private Receiver receive(Bundle target, String newId, Path tokenFile, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("migrate", "receive", "--listen", addrB + ":0", "--bundle",
                target.dir().toString(), "--token-file", tokenFile.toString(), "--work-path", work.resolve("stageB").toString()));
        args.addAll(List.of(extra));
        args.add(newId);
        return receive(jrB.command(args.toArray(String[]::new)), work.resolve("receiver-" + newId + ".out"));
    }

    private record Receiver(Process process, String address, Path output) {
        int awaitExit() throws Exception {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("receiver did not exit: " + Files.readString(output));
            }
            return process.exitValue();
        }

        String text() throws IOException {
            return Files.readString(output);
        }
    }

    private Jruntime.Result send(String id, String to, Path tokenFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "send", "--to", to, "--token-file", tokenFile.toString(),
                "--work-path", work.resolve("stageA").toString()));
        args.addAll(List.of(extra));
        args.add(id);
        return Jruntime.exec(inNetns(nsA, jr.command(args.toArray(String[]::new))), null, 300);
    }

    private void assertTargetClean(Bundle target, String configBefore) throws IOException {
        assertEquals("", jrB.run("list", "-q").stdout().strip(), "no container on the target");
        if (Files.isDirectory(jrB.root())) {
            try (var s = Files.list(jrB.root())) {
                assertEquals(List.of(), s.toList(), "no state directory left on the target");
            }
        }
        assertEquals(configBefore, Files.readString(target.dir().resolve("config.json")), "the target's config.json is untouched");
    }

    private void assertStillCounting(Bundle source, String id) throws Exception {
        assertEquals("running", Bundle.parse(jr.run("state", id).stdout()).path("status").asText());
        Path f = source.dir().resolve("rootfs/tmp/counter");
        CounterFile.awaitAbove(f, CounterFile.read(f) + 3);
    }

    private static void assertEmptyOrMissing(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                assertEquals(List.of(), s.toList(), "nothing left in " + dir);
            }
        }
    }

    @Test
    void counterMigratesAndContinuesOnTheTarget() throws Exception {
        Hosts h = hosts(Files.createDirectories(work.resolve("hostB/data")));
        Bundle a = h.a();
        Bundle b = h.b();

        Receiver r = receive(b, h.dst(), token);
        Jruntime.Result s = send(h.src(), r.address(), token);
        assertEquals(0, s.exitCode(), s.stderr() + "\nreceiver: " + r.text());
        assertEquals(0, r.awaitExit(), r.text());
        assertTrue(r.text().contains("running as " + h.dst()), r.text());

        // The source is gone; its last value stays where it was.
        assertNotEquals(0, jr.run("state", h.src()).exitCode(), "the source container was deleted");
        int lastOnSource = CounterFile.read(a.dir().resolve("rootfs/tmp/counter"));
        int lastInDataA = CounterFile.read(h.dataA().resolve("c"));
        // The target continues from the source's memory, writing into its own bind source.
        assertEquals("running", Bundle.parse(jrB.run("state", h.dst()).stdout()).path("status").asText());
        int onTarget = CounterFile.awaitAbove(h.dataB().resolve("c"), lastOnSource);
        assertTrue(onTarget > lastOnSource);
        CounterFile.awaitAbove(b.dir().resolve("rootfs/tmp/counter"), lastOnSource + 3);
        assertEquals(lastInDataA, CounterFile.read(h.dataA().resolve("c")), "nothing counts on the source any more");
        assertEmptyOrMissing(work.resolve("stageA"));
        assertEmptyOrMissing(work.resolve("stageB"));
        jrB.run("delete", "--force", h.dst()).assertOk();
    }

    /** --keep-source: the source is stopped, not deleted, and its images stay (the path is printed). */
    @Test
    void keepSourceLeavesAStoppedCopyAndItsImages() throws Exception {
        Hosts h = hosts(Files.createDirectories(work.resolve("hostB/data")));
        Bundle a = h.a();
        Bundle b = h.b();
        Receiver r = receive(b, h.dst(), token);
        Jruntime.Result s = send(h.src(), r.address(), token, "--keep-source");
        assertEquals(0, s.exitCode(), s.stderr() + "\nreceiver: " + r.text());
        assertEquals(0, r.awaitExit(), r.text());
        assertEquals("stopped", Bundle.parse(jr.run("state", h.src()).stdout()).path("status").asText());
        Matcher m = Pattern.compile("its images are in (\\S+)").matcher(s.stderr());
        assertTrue(m.find(), s.stderr());
        assertTrue(Files.isRegularFile(Path.of(m.group(1)).resolve("jruntime-checkpoint.json")), s.stderr());
        CounterFile.awaitAbove(h.dataB().resolve("c"), CounterFile.read(a.dir().resolve("rootfs/tmp/counter")));
        jrB.run("delete", "--force", h.dst()).assertOk();
        jr.run("delete", h.src()).assertOk();
    }

    @Test
    void dryRunChecksWithoutFreezing() throws Exception {
        Hosts h = hosts(Files.createDirectories(work.resolve("hostB/data")));
        Bundle a = h.a();
        Bundle b = h.b();
        String before = Files.readString(b.dir().resolve("config.json"));
        Receiver r = receive(b, id("dst"), token);
        Jruntime.Result s = send(h.src(), r.address(), token, "--dry-run");
        assertEquals(0, s.exitCode(), s.stderr());
        assertTrue(s.stderr().contains("preflight passed"), s.stderr());
        assertEquals(0, r.awaitExit(), r.text());
        assertStillCounting(a, h.src());
        assertTargetClean(b, before);
    }

    @Test
    void wrongTokenIsRefusedBeforeFreezing() throws Exception {
        Hosts h = hosts(Files.createDirectories(work.resolve("hostB/data")));
        Bundle a = h.a();
        Bundle b = h.b();
        String before = Files.readString(b.dir().resolve("config.json"));
        Receiver r = receive(b, id("dst"), writeToken("other-token", "another-token-entirely-0123456789"));
        Jruntime.Result s = send(h.src(), r.address(), token);
        assertNotEquals(0, s.exitCode());
        assertTrue(s.stderr().contains("authentication failed"), s.stderr());
        assertTrue(s.stderr().contains("keeps running"), s.stderr());
        assertNotEquals(0, r.awaitExit());
        assertTrue(r.text().contains("does not hold the token"), r.text());
        assertStillCounting(a, h.src());
        assertTargetClean(b, before);
    }

    @Test
    void tokenFileReadableByOthersIsRefused() throws Exception {
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Jruntime.Result s = send("whatever", addrB + ":1", token);
        assertNotEquals(0, s.exitCode());
        assertTrue(s.stderr().contains("readable or writable by group or others"), s.stderr());
    }

    @Test
    void targetMissingAMountSourceIsRefusedBeforeFreezing() throws Exception {
        Hosts h = hosts(work.resolve("hostB/no-such-data"));
        Bundle a = h.a();
        Bundle b = h.b();
        String before = Files.readString(b.dir().resolve("config.json"));
        Receiver r = receive(b, id("dst"), token);
        Jruntime.Result s = send(h.src(), r.address(), token);
        assertNotEquals(0, s.exitCode());
        assertTrue(s.stderr().contains("mount /data: source " + h.dataB() + " does not exist on the target"), s.stderr());
        assertTrue(s.stderr().contains("was not frozen"), s.stderr());
        assertNotEquals(0, r.awaitExit());
        assertStillCounting(a, h.src());
        assertTargetClean(b, before);
        assertEmptyOrMissing(work.resolve("stageA"));
    }

    /** --mount on the receiver supplies the source the target's config.json lacks. */
    @Test
    void mountOverrideOnTheReceiverSuppliesTheSource() throws Exception {
        Path dataA = Files.createDirectories(work.resolve("hostA/data"));
        Path dataB = Files.createDirectories(work.resolve("hostB/data-override"));
        Bundle a = sourceBundle(dataA);
        Bundle b = targetBundle(a, work.resolve("hostB/no-such-data"));
        String src = id("src");
        String dst = id("dst");
        runSource(a, src);
        Receiver r = receive(b, dst, token, "--mount", "/data=" + dataB);
        Jruntime.Result s = send(src, r.address(), token);
        assertEquals(0, s.exitCode(), s.stderr() + "\nreceiver: " + r.text());
        assertEquals(0, r.awaitExit(), r.text());
        int last = CounterFile.read(a.dir().resolve("rootfs/tmp/counter"));
        CounterFile.awaitAbove(dataB.resolve("c"), last);
        jrB.run("delete", "--force", dst).assertOk();
    }

    /**
     * The receiver dies (as by kill -9) after two image files: the sender thaws the source, which keeps counting; the
     * target has no container, and the staging directory the dead receiver left is removed by the next receive of
     * that id.
     */
    @Test
    void targetKilledMidTransferLeavesTheSourceRunning() throws Exception {
        Hosts h = hosts(Files.createDirectories(work.resolve("hostB/data")));
        Bundle a = h.a();
        Bundle b = h.b();
        String before = Files.readString(b.dir().resolve("config.json"));

        Path home = Jruntime.defaultBinary().getParent().getParent();
        Path libdir = home.resolve("build/lib/jruntime");
        List<String> cmd = new ArrayList<>(List.of("env", "JRUNTIME_CRASH_AT=migrate.receive.mid-transfer",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djruntime.test.faultInjection=true", "-Djruntime.libdir=" + libdir, "-cp",
                libdir.resolve("jruntime.jar").toString(), "io.jruntime.cli.Main", "--root", jrB.root().toString(),
                "migrate", "receive", "--listen", addrB + ":0", "--bundle", b.dir().toString(), "--token-file",
                token.toString(), "--work-path", work.resolve("stageB").toString(), h.dst()));
        Receiver r = receive(cmd, work.resolve("receiver-crash.out"));
        Jruntime.Result s = send(h.src(), r.address(), token);
        assertEquals(137, r.awaitExit(), r.text());
        assertTrue(r.text().contains("halting at migrate.receive.mid-transfer"), r.text());
        assertNotEquals(0, s.exitCode());
        assertTrue(s.stderr().contains("is running on this host again"), s.stderr());
        assertStillCounting(a, h.src());
        assertTargetClean(b, before);
        assertEmptyOrMissing(work.resolve("stageA"));
        assertTrue(Files.exists(work.resolve("stageB/jruntime-migrate-in-" + h.dst())), "the killed receiver's staging dir");

        Receiver again = receive(b, h.dst(), token);
        Jruntime.Result dry = send(h.src(), again.address(), token, "--dry-run");
        assertEquals(0, dry.exitCode(), dry.stderr());
        assertEquals(0, again.awaitExit(), again.text());
        assertEmptyOrMissing(work.resolve("stageB"));
        assertStillCounting(a, h.src());
    }

    /** Both "hosts" of a test: the source's /data and running counter container, the target's bundle and new id. */
    private record Hosts(Path dataA, Path dataB, Bundle a, Bundle b, String src, String dst) {
    }

    /** A running source container and a target bundle whose /data source is targetData. */
    private Hosts hosts(Path targetData) throws Exception {
        Path dataA = Files.createDirectories(work.resolve("hostA/data"));
        Bundle a = sourceBundle(dataA);
        Bundle b = targetBundle(a, targetData);
        String src = id("src");
        runSource(a, src);
        return new Hosts(dataA, targetData, a, b, src, id("dst"));
    }
}
