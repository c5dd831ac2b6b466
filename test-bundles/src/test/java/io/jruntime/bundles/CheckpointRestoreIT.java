package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real checkpoint/restore through CRIU 4.2.1: a counter process keeps counting from where it was, under the same
 * id, under a new id and bundle, and with mountpoints inside bind mounts whose sources are replaced by empty ones.
 */
class CheckpointRestoreIT extends ContainerTestBase {
    /** Written through a rename: a checkpoint that stops the shell between `>`'s truncate and the write would leave the
     *  file empty. */
    private static final String COUNTER =
            "i=0; while :; do i=$((i+1)); echo $i > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; sleep 0.05; done";

    Bundle counterBundle(String name) {
        return bundle(name, "sh", "-c", COUNTER);
    }

    /** The counter's value; waits (up to 60 s: a loaded machine) for its first write. */
    static int counter(Bundle b) throws Exception {
        Path f = b.dir().resolve("rootfs/tmp/counter");
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(f)) {
                String s = Files.readString(f).trim();
                if (!s.isEmpty()) {
                    return Integer.parseInt(s);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no counter in " + f);
    }

    /** Waits (up to 60 s) until the counter is above the value (the process is alive and counting). */
    static int awaitCounterAbove(Bundle b, int value) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        int c = -1;
        while (System.currentTimeMillis() < deadline) {
            c = counter(b);
            if (c > value) {
                return c;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("counter stayed at " + c + ", expected above " + value);
    }

    void runDetached(Bundle b, String id) throws Exception {
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id).assertOk();
        awaitStatus(id, "running", 5000);
        awaitCounterAbove(b, 3);
    }

    Jruntime.Result checkpoint(String id, Path images, Path workDir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("checkpoint", "--image-path", images.toString(),
                "--work-path", workDir.toString()));
        args.addAll(List.of(extra));
        args.add(id);
        return jr.run(null, 120, args.toArray(String[]::new));
    }

    /** Restores detached with /dev/null stdio (as the container had); failures are re-run to capture the message. */
    Jruntime.Result restore(String id, Bundle b, Path images, Path workDir) {
        String[] args = {"restore", "--detach", "--image-path", images.toString(), "--work-path", workDir.toString(),
                "--bundle", b.dir().toString(), id};
        Jruntime.Result r = jr.runWithNullStdio(args);
        return r.exitCode() == 0 ? r : jr.run(null, 120, args);
    }

    /** After a checkpoint without --leave-running the container no longer exists (runc 1.1 destroys it). */
    void assertGone(String id) {
        Jruntime.Result st = jr.run("state", id);
        assertNotEquals(0, st.exitCode(), "state of a checkpointed container: " + st.stdout());
        assertTrue(st.stderr().contains("does not exist"), st.stderr());
        assertFalse(Files.exists(jr.root().resolve(id)), "state directory left behind");
    }

    @Test
    void checkpointStopsTheContainerAndRestoreContinuesTheCounter() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        Path images = work.resolve("images");
        checkpoint(id("c"), images, work.resolve("dump-work")).assertOk();
        assertGone(id("c"));
        int frozen = counter(b);
        Thread.sleep(300);
        assertEquals(frozen, counter(b), "nothing counts while checkpointed");
        assertTrue(Files.exists(work.resolve("dump-work/dump.log")));
        assertTrue(Files.exists(images.resolve("descriptors.json")));

        // runc's own sequence: the checkpoint destroyed the container, so restore takes the same id straight away
        restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
        assertEquals("running", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
        awaitCounterAbove(b, frozen + 5);
        assertTrue(Files.exists(work.resolve("restore-work/restore.log")));
        // The restored process is a normal container: exec joins it, delete removes it.
        Jruntime.Result exec = jr.run("exec", id("c"), "cat", "/tmp/counter");
        assertEquals(0, exec.exitCode(), exec.stderr());
        jr.run("delete", "--force", id("c")).assertOk();
    }

    @Test
    void leaveRunningKeepsTheContainerRunning() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        // Podman passes the flag twice.
        Jruntime.Result r = checkpoint(id("c"), work.resolve("images"), work.resolve("work"), "--leave-running", "--leave-running");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr().strip());
        assertEquals("running", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
        int now = counter(b);
        awaitCounterAbove(b, now + 3);
    }

    /** containerd pauses before every checkpoint: frozen tasks must be dumped through the freezer, not ptrace. */
    @Test
    void pausedContainerCanBeCheckpointed() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        jr.run("pause", id("c")).assertOk();
        Jruntime.Result r = jr.run(null, 60, "checkpoint", "--image-path", work.resolve("images").toString(),
                "--work-path", work.resolve("work").toString(), "--leave-running", id("c"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("paused", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
        jr.run("resume", id("c")).assertOk();
        int now = counter(b);
        awaitCounterAbove(b, now + 3);
    }

    @Test
    void restoreUnderANewIdFromACopiedImageAndAnotherBundle() throws Exception {
        Bundle b = counterBundle("old-bundle");
        runDetached(b, id("old"));
        Path images = work.resolve("images");
        checkpoint(id("old"), images, images).assertOk();
        int frozen = counter(b);
        assertGone(id("old"));

        // Migration: the images travel, the bundle is recreated elsewhere, the id changes.
        Path copiedImages = work.resolve("copied-images");
        Jruntime.exec(List.of("cp", "-a", images.toString(), copiedImages.toString()), null, 60).assertOk();
        Jruntime.exec(List.of("cp", "-a", b.dir().toString(), work.resolve("new-bundle").toString()), null, 60).assertOk();
        Bundle newBundle = Bundle.open(work.resolve("new-bundle"));
        restore(id("new"), newBundle, copiedImages, work.resolve("restore-work")).assertOk();
        assertEquals("running", Bundle.parse(jr.run("state", id("new")).stdout()).path("status").asText());
        int after = awaitCounterAbove(newBundle, frozen + 3);
        assertTrue(after > frozen);
        assertNotEquals(0, jr.run("state", id("old")).exitCode(), "the old id is gone");
        assertEquals(newBundle.dir().toString(), Bundle.parse(jr.run("state", id("new")).stdout()).path("bundle").asText());
    }

    /**
     * The Kubernetes case: a host tmpfs is bind-mounted at /test and a tmpfs is mounted at /test/lower/directory,
     * a mountpoint create made inside the bind source. After the checkpoint the source is replaced by a fresh,
     * empty tmpfs; restore must re-create the mountpoint inside it before CRIU mounts.
     */
    @Test
    void mountpointsInsideBindMountsAreRecreatedOnRestore() throws Exception {
        Path x = work.resolve("x");
        Files.createDirectories(x);
        mountTmpfs(x);
        try {
            Bundle b = counterBundle("b");
            b.edit(c -> {
                ArrayNode m = (ArrayNode) c.path("mounts");
                ObjectNode bind = m.addObject();
                bind.put("destination", "/test").put("type", "bind").put("source", x.toString());
                bind.putArray("options").add("bind").add("rw");
                m.addObject().put("destination", "/test/lower/directory").put("type", "tmpfs").put("source", "tmpfs");
            });
            runDetached(b, id("c"));
            assertTrue(Files.isDirectory(x.resolve("lower/directory")), "create made the nested mountpoint in the bind source");
            Path images = work.resolve("images");
            checkpoint(id("c"), images, images).assertOk();
            int frozen = counter(b);
            assertGone(id("c"));

            umount(x);
            mountTmpfs(x);
            assertFalse(Files.exists(x.resolve("lower")), "the new tmpfs is empty");
            restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
            awaitCounterAbove(b, frozen + 3);
            String mounts = jr.run("exec", id("c"), "cat", "/proc/self/mountinfo").assertOk().stdout();
            assertTrue(mounts.lines().anyMatch(l -> l.split(" ")[4].equals("/test/lower/directory")), mounts);
            jr.run("delete", "--force", id("c")).assertOk();
        } finally {
            jr.run("delete", "--force", id("c"));
            umount(x);
        }
    }

    /** The same with the /run/secrets layout: tmpfs at /run/secrets, a volume below it. */
    @Test
    void runSecretsVariant() throws Exception {
        Path secrets = work.resolve("secrets");
        Path sa = work.resolve("serviceaccount");
        Files.createDirectories(secrets);
        Files.createDirectories(sa);
        Files.writeString(sa.resolve("token"), "t0ken\n");
        mountTmpfs(secrets);
        try {
            Bundle b = counterBundle("b");
            b.edit(c -> {
                ArrayNode m = (ArrayNode) c.path("mounts");
                ObjectNode s = m.addObject();
                s.put("destination", "/run/secrets").put("type", "bind").put("source", secrets.toString());
                s.putArray("options").add("rbind").add("rw");
                ObjectNode v = m.addObject();
                v.put("destination", "/run/secrets/kubernetes.io/serviceaccount").put("type", "bind").put("source", sa.toString());
                v.putArray("options").add("rbind").add("ro");
            });
            runDetached(b, id("c"));
            Path images = work.resolve("images");
            checkpoint(id("c"), images, images).assertOk();
            int frozen = counter(b);
            assertGone(id("c"));
            umount(secrets);
            mountTmpfs(secrets);
            restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
            awaitCounterAbove(b, frozen + 3);
            assertEquals("t0ken\n", jr.run("exec", id("c"), "cat", "/run/secrets/kubernetes.io/serviceaccount/token")
                    .assertOk().stdout());
            jr.run("delete", "--force", id("c")).assertOk();
        } finally {
            jr.run("delete", "--force", id("c"));
            umount(secrets);
        }
    }

    @Test
    void preDumpFailsWithTheMissingKernelFeature() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        Jruntime.Result r = checkpoint(id("c"), work.resolve("pre"), work.resolve("pre"), "--pre-dump");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("memory dirty tracking"), r.stderr());
        assertEquals("running", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
    }

    @Test
    void restoreWithAMissingBindSourceNamesTheMountAndLeavesNothing() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Bundle b = counterBundle("b");
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/data").put("type", "bind").put("source", data.toString());
            m.putArray("options").add("rbind").add("rw");
        });
        runDetached(b, id("c"));
        Path images = work.resolve("images");
        checkpoint(id("c"), images, images).assertOk();
        assertGone(id("c"));
        Files.delete(data);

        Jruntime.Result r = restore(id("c"), b, images, work.resolve("restore-work"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("/data"), r.stderr());
        assertEquals("", jr.run("list", "-q").stdout());
        try (var s = Files.list(jr.root())) {
            assertEquals(List.of(), s.toList(), "no state directory left");
        }
    }

    /**
     * An established TCP connection inside the container (loopback of its own network namespace) survives
     * checkpoint and restore with --tcp-established: the client keeps sending and the server keeps answering.
     */
    @Test
    void tcpConnectionSurvivesWithTcpEstablished() throws Exception {
        // the client retries until the listener is up (a fixed sleep before it lost the race on a loaded machine): a
        // refused attempt writes nothing and its counter dies of SIGPIPE; the listener accepts exactly one connection
        Bundle b = bundle("b", "sh", "-c", "echo 'while read l; do echo got:$l; done' > /tmp/echo.sh; "
                + "nc -l -p 5000 -e sh /tmp/echo.sh & "
                + "until { i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done | nc 127.0.0.1 5000; }; do sleep 0.1; done"
                + " > /tmp/out");
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "running", 5000);
        Path out = b.dir().resolve("rootfs/tmp/out");
        int before = awaitLines(out, 5);
        Path images = work.resolve("images");
        checkpoint(id("c"), images, images, "--tcp-established").assertOk();
        int frozen = Files.readAllLines(out).size();
        assertGone(id("c"));
        Jruntime.Result r = jr.runWithNullStdio("restore", "--detach", "--tcp-established", "--image-path", images.toString(),
                "--work-path", work.resolve("rw").toString(), "--bundle", b.dir().toString(), id("c"));
        if (r.exitCode() != 0) {
            jr.run(null, 120, "restore", "--detach", "--tcp-established", "--image-path", images.toString(),
                    "--work-path", work.resolve("rw").toString(), "--bundle", b.dir().toString(), id("c")).assertOk();
        }
        int after = awaitLines(out, frozen + 5);
        assertTrue(after > frozen && frozen >= before, "lines before " + before + ", at checkpoint " + frozen + ", after " + after);
        // One unbroken sequence: the same client counter over the same connection, across the checkpoint.
        List<String> lines = Files.readAllLines(out);
        for (int i = 0; i < lines.size() - 1; i++) {
            assertEquals("got:" + (i + 1), lines.get(i));
        }
        jr.run("delete", "--force", id("c")).assertOk();
    }

    /**
     * Lazy migration the runc way: {@code checkpoint --lazy-pages --page-server ADDR:PORT --status-fd} dumps all but
     * the memory, leaves the container frozen behind a page server and writes \0 to the status fd; on the
     * "destination" {@code criu lazy-pages --page-server} fetches pages on demand for {@code restore --lazy-pages}.
     * The restore takes a new id: the checkpointed container exists (frozen) until its last page has gone, then
     * the checkpoint finishes and it is stopped. Needs the CRIU of scripts/build-criu.sh (its patch 0001: stock
     * CRIU 4.2.1's lazy page server fails at the first page request when root lacks CAP_SYS_RESOURCE).
     */
    @Test
    void lazyMigrationThroughAPageServer() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("src"));
        Path images = work.resolve("images");
        Files.createDirectories(images);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path ckptStatus = work.resolve("checkpoint.status");
        Path daemonStatus = work.resolve("lazy-pages.status");
        long t0 = System.nanoTime();
        Process ckpt = Jruntime.startWithFd3(jr.command("checkpoint", "--lazy-pages", "--page-server", "127.0.0.1:" + port,
                "--status-fd", "3", "--image-path", images.toString(), id("src")), ckptStatus, work.resolve("checkpoint.out"));
        Process daemon = null;
        try {
            awaitStatusByte(ckptStatus, ckpt, work.resolve("checkpoint.out"));
            long readyMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(Files.exists(images.resolve("inventory.img")), "the non-memory images are written when ready");
            int frozen = counter(b);
            Thread.sleep(200);
            assertEquals(frozen, counter(b), "the source is frozen while its pages are served");

            daemon = Jruntime.startWithFd3(List.of(RootlessCheckpointIT.CRIU.toString(), "lazy-pages", "--page-server",
                    "--address", "127.0.0.1", "--port", Integer.toString(port), "-D", images.toString(),
                    "-v4", "-o", "lazy-pages.log", "--status-fd", "3"), daemonStatus, work.resolve("lazy-pages.out"));
            awaitStatusByte(daemonStatus, daemon, images.resolve("lazy-pages.log"));
            long daemonMs = (System.nanoTime() - t0) / 1_000_000;

            String[] args = {"restore", "--detach", "--lazy-pages", "--image-path", images.toString(), "--bundle",
                    b.dir().toString(), id("dst")};
            Jruntime.Result r = jr.runWithNullStdio(args);
            long restoredMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.exitCode(), () -> "restore --lazy-pages failed; restore.log errors: "
                    + errorLines(images.resolve("restore.log")) + "; lazy-pages.log errors: "
                    + errorLines(images.resolve("lazy-pages.log")) + "; dump.log errors: "
                    + errorLines(images.resolve("dump.log")));
            assertTrue(ckpt.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "checkpoint did not finish after the restore");
            assertEquals(0, ckpt.exitValue(), () -> "checkpoint: " + readQuietly(work.resolve("checkpoint.out")));
            assertTrue(daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "criu lazy-pages did not exit");
            assertEquals(0, daemon.exitValue(), () -> "criu lazy-pages: " + errorLines(images.resolve("lazy-pages.log")));
            long doneMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(readQuietly(images.resolve("lazy-pages.log")).contains("Opened remote page read"),
                    "the lazy-pages daemon read the pages from the page server");

            assertGone(id("src"));
            assertEquals("running", Bundle.parse(jr.run("state", id("dst")).stdout()).path("status").asText());
            int after = awaitCounterAbove(b, frozen + 5);
            assertEquals(0, jr.run("exec", id("dst"), "cat", "/tmp/counter").exitCode());
            System.out.printf("lazy container migration: page server ready %d ms, lazy-pages daemon ready %d ms, "
                    + "restored %d ms, checkpoint and daemon done %d ms; counter %d at checkpoint, %d after%n",
                    readyMs, daemonMs, restoredMs, doneMs, frozen, after);
            jr.run("delete", "--force", id("dst")).assertOk();
        } finally {
            // On failure: a checkpoint still serving pages keeps the source frozen; killing it lets CRIU's ptrace
            // go and the container run on (cleanUp then deletes it), as runc's docs say for a failed migration.
            ckpt.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            if (daemon != null) {
                daemon.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** Waits (bounded) for the \0 a --status-fd gets when ready; fails early with the output if the process died. */
    private static void awaitStatusByte(Path status, Process p, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(status) && Files.size(status) > 0) {
                assertEquals(0, Files.readAllBytes(status)[0], "the status fd gets a \\0");
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + " before writing to its status fd: "
                        + readQuietly(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing on the status fd after 30 s: " + readQuietly(log));
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "(" + f + ": " + e + ")";
        }
    }

    private static List<String> errorLines(Path log) {
        return readQuietly(log).lines().filter(l -> l.contains("Error (")).toList();
    }

    private static int awaitLines(Path f, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        int count = 0;
        while (System.currentTimeMillis() < deadline) {
            count = Files.exists(f) ? Files.readAllLines(f).size() : 0;
            if (count >= n) {
                return count;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + count + " lines in " + f + ", expected " + n);
    }

    /*
     * Reads the pty master until `until` shows up (or readSeconds pass), publishing what it read with an atomic
     * rename: a plain rewrite truncates first, and the test once read the empty file in between.
     */
    private static final String TIMED_RECEIVER = """
            import os, socket, sys, time
            sock, out, until, read_s, hold_s = sys.argv[1], sys.argv[2], sys.argv[3].encode(), float(sys.argv[4]), float(sys.argv[5])
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sock); s.listen(1)
            open(sock + '.ready', 'w').close()
            c, _ = s.accept()
            msg, fds, flags, addr = socket.recv_fds(c, 1024, 1)
            os.set_blocking(fds[0], False)
            data = b''
            end = time.time() + read_s
            while time.time() < end and until not in data:
                try:
                    chunk = os.read(fds[0], 4096)
                except BlockingIOError:
                    time.sleep(0.05)
                    continue
                except OSError:
                    break
                data += chunk
                open(out + '.tmp', 'wb').write(data)
                os.replace(out + '.tmp', out)
            time.sleep(hold_s)
            """;

    /**
     * Listens on sock like an engine's console socket, keeps the pty master open for hold seconds (as conmon
     * does) and publishes to out what it read until the output contained until.
     */
    private Process terminalReceiver(Path sock, Path out, String until, int holdSeconds) throws Exception {
        Path script = work.resolve("timed-receiver.py");
        Files.writeString(script, TIMED_RECEIVER);
        Process p = new ProcessBuilder("python3", script.toString(), sock.toString(), out.toString(), until, "60",
                Integer.toString(holdSeconds))
                .redirectErrorStream(true).redirectOutput(work.resolve(sock.getFileName() + ".log").toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(Path.of(sock + ".ready")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(Path.of(sock + ".ready")), "the console receiver did not listen within 60 s");
        return p;
    }

    /** Polls out until it contains text (a receiver publishes as it reads), returning what it holds at the end. */
    private static String awaitOutput(Path out, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String seen = "";
        while (System.currentTimeMillis() < deadline) {
            seen = Files.exists(out) ? Files.readString(out) : "";
            if (seen.contains(text)) {
                break;
            }
            Thread.sleep(50);
        }
        return seen;
    }

    /** A terminal container: restore hands a new pty master (CRIU's orphan-pts-master) to the console socket. */
    @Test
    void terminalContainerGetsItsTerminalBackThroughTheConsoleSocket() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "i=0; while :; do i=$((i+1)); echo tick-$i; echo $i > /tmp/counter.new; mv /tmp/counter.new /tmp/counter; sleep 0.1; done");
        b.edit(c -> ((ObjectNode) c.path("process")).put("terminal", true));
        Process first = terminalReceiver(work.resolve("c1.sock"), work.resolve("c1.out"), "tick-3", 60);
        Process second = null;
        try {
            jr.runWithNullStdio("run", "-d", "--console-socket", work.resolve("c1.sock").toString(), "--bundle",
                    b.dir().toString(), id("c")).assertOk();
            awaitCounterAbove(b, 3);
            Path images = work.resolve("images");
            checkpoint(id("c"), images, images).assertOk(); // the engine still holds the master, as conmon does
            int frozen = counter(b);
            String before = awaitOutput(work.resolve("c1.out"), "tick-");
            assertTrue(before.contains("tick-"), "the engine read the container's output before checkpoint: " + before);
            assertGone(id("c"));

            String resumed = "tick-" + (frozen + 2);
            second = terminalReceiver(work.resolve("c2.sock"), work.resolve("c2.out"), resumed, 0);
            String[] args = {"restore", "--detach", "--console-socket", work.resolve("c2.sock").toString(), "--image-path",
                    images.toString(), "--work-path", work.resolve("rw").toString(), "--bundle", b.dir().toString(), id("c")};
            if (jr.runWithNullStdio(args).exitCode() != 0) {
                jr.run(null, 120, args).assertOk();
            }
            String after = awaitOutput(work.resolve("c2.out"), resumed);
            assertTrue(after.contains(resumed), "output after restore continues the count: " + after);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
        }
    }

    /**
     * Issue 13 item 2: the bind destination /conf is a symlink to /real/conf in the rootfs, so the mount really is at
     * /real/conf; the external mount is declared (and found again on restore) by that resolved path.
     */
    @Test
    void bindMountThroughASymlinkedDestinationCheckpointsAndRestores() throws Exception {
        Path data = work.resolve("conf-src");
        Files.createDirectories(data);
        Files.writeString(data.resolve("app.conf"), "key=value\n");
        Bundle b = counterBundle("b");
        Files.createDirectories(b.dir().resolve("rootfs/real/conf"));
        Files.createSymbolicLink(b.dir().resolve("rootfs/conf"), Path.of("/real/conf"));
        b.edit(c -> {
            ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
            m.put("destination", "/conf").put("type", "bind").put("source", data.toString());
            m.putArray("options").add("rbind").add("ro");
        });
        runDetached(b, id("c"));
        Path images = work.resolve("images");
        checkpoint(id("c"), images, images).assertOk();
        int frozen = counter(b);
        assertGone(id("c"));
        restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
        awaitCounterAbove(b, frozen + 3);
        assertEquals("key=value\n", jr.run("exec", id("c"), "cat", "/conf/app.conf").assertOk().stdout());
        jr.run("delete", "--force", id("c")).assertOk();
    }

    /** Issue 13 item 3: --parent-path is checked as runc checks it, with messages naming the option; nothing is dumped. */
    @Test
    void parentPathIsValidatedBeforeCriuRuns() throws Exception {
        Bundle b = counterBundle("b");
        runDetached(b, id("c"));
        Path images = work.resolve("images");
        Jruntime.Result abs = checkpoint(id("c"), images, images, "--parent-path", "/abs/pre");
        assertNotEquals(0, abs.exitCode());
        assertTrue(abs.stderr().contains("--parent-path must be relative"), abs.stderr());
        Jruntime.Result missing = checkpoint(id("c"), images, images, "--parent-path", "../no-such-pre");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("invalid --parent-path") && missing.stderr().contains("no-such-pre"),
                missing.stderr());
        assertFalse(missing.stderr().contains("CRIU"), "not CRIU's message: " + missing.stderr());
        assertEquals("running", Bundle.parse(jr.run("state", id("c")).stdout()).path("status").asText());
        assertFalse(Files.exists(images.resolve("inventory.img")), "nothing was dumped");
    }

    /**
     * Issue 13 item 4: the org.criu.config annotation names a CRIU configuration file whose settings override
     * jruntime's RPC options, for checkpoint (from the container's config) and restore (from the new bundle's).
     */
    @Test
    void criuConfigAnnotationTakesEffect() throws Exception {
        Path dumpLog = work.resolve("logs/custom-dump.log");
        Path restoreLog = work.resolve("logs/custom-restore.log");
        Files.createDirectories(dumpLog.getParent());
        Path dumpConf = Files.writeString(work.resolve("dump.conf"), "log-file=" + dumpLog + "\n");
        Path restoreConf = Files.writeString(work.resolve("restore.conf"), "log-file " + restoreLog + "\n");
        Bundle b = counterBundle("b");
        b.edit(c -> c.putObject("annotations").put("org.criu.config", dumpConf.toString()));
        runDetached(b, id("c"));
        Path images = work.resolve("images");
        checkpoint(id("c"), images, images).assertOk();
        int frozen = counter(b);
        assertTrue(Files.size(dumpLog) > 0, "CRIU logged the dump to the annotation's log-file");
        assertFalse(Files.exists(images.resolve("dump.log")), "and not to the default dump.log");

        b.edit(c -> ((ObjectNode) c.path("annotations")).put("org.criu.config", restoreConf.toString()));
        restore(id("c"), b, images, work.resolve("restore-work")).assertOk();
        awaitCounterAbove(b, frozen + 3);
        assertTrue(Files.size(restoreLog) > 0, "CRIU logged the restore to the annotation's log-file");
        assertFalse(Files.exists(work.resolve("restore-work/restore.log")), "and not to the default restore.log");
        jr.run("delete", "--force", id("c")).assertOk();
    }

    private static void mountTmpfs(Path p) {
        Jruntime.exec(List.of("mount", "-t", "tmpfs", "tmpfs", p.toString()), null, 10).assertOk();
    }

    private static void umount(Path p) throws IOException {
        Jruntime.exec(List.of("umount", "-l", p.toString()), null, 10);
    }
}
