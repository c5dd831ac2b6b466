package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the crash consistency tests (own JVM: {@link CrashConsistencyIT}, daemon: {@link CrashConsistencyDaemonIT})
 * share: a jruntime JVM with the test-only fault injection switch, the checks of docs/RELIABILITY.md's promise
 * ({@code state}/{@code list} tell the truth, {@code delete -f} exits 0 and leaves no process, host mount, cgroup
 * directory in any hierarchy, fifo or state file of the id, the id can be created again), and a bundle whose
 * createRuntime hook can be made to block, to show that a hook does not outlive the jruntime that ran it.
 */
abstract class CrashTestBase extends ContainerTestBase {
    static final int HALTED = 137;

    /** A unique id (other runs of the suite may use the machine at the same time). */
    String uid() {
        return id(UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * The java command line of a jruntime JVM with the fault injection switch enabled (bin/jruntime never passes it):
     * the same jar and helper as bin/jruntime, so a daemon started this way serves bin/jruntime's calls.
     */
    static List<String> faultInjectingJvm(String... args) {
        Path home = Jruntime.defaultBinary().getParent().getParent();
        Path libdir = home.resolve("build/lib/jruntime");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Djruntime.test.faultInjection=true",
                "-Djruntime.libdir=" + libdir, "-cp", libdir.resolve("jruntime.jar").toString(), "io.jruntime.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs jruntime in its own JVM, armed at point; asserts it halted there. */
    void halt(String point, String... args) {
        List<String> cmd = faultInjectingJvm("--root", jr.root().toString());
        cmd.addAll(List.of(args));
        Jruntime.Result r = Jruntime.exec(cmd, null, 120, null, Map.of("JRUNTIME_CRASH_AT", point));
        assertEquals(HALTED, r.exitCode(), "expected a halt at " + point + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        assertTrue(r.stderr().contains("halting at " + point), r.stderr());
    }

    String status(String id) {
        Jruntime.Result r = jr.run("state", id);
        assertEquals(0, r.exitCode(), r.stderr());
        return Bundle.parse(r.stdout()).path("status").asText();
    }

    boolean listed(String id) {
        return Set.of(jr.run("list", "-q").assertOk().stdout().split("\n")).contains(id);
    }

    /**
     * delete -f exits 0, and no process (init, helper, hook and its session), host mount, cgroup directory, fifo or
     * state file of the id remains.
     */
    void deleteLeavesNothing(String id) throws IOException {
        List<Integer> pids = new ArrayList<>();
        int hookSession = 0;
        Path stateFile = jr.root().resolve(id).resolve("state.json");
        if (Files.exists(stateFile)) {
            JsonNode s = Bundle.parse(Files.readString(stateFile));
            pids.add(s.path("initPid").asInt());
            pids.add(s.path("helperPid").asInt());
            hookSession = s.path("hookPid").asInt();
        }
        Jruntime.Result d = jr.run("delete", "--force", id);
        assertEquals(0, d.exitCode(), "delete -f: " + d.stderr());
        assertFalse(Files.exists(jr.root().resolve(id)), "state directory (state.json, exec fifo) left: " + jr.root().resolve(id));
        for (int pid : pids) {
            assertFalse(pid > 0 && alive(pid), "process " + pid + " of " + id + " still alive");
        }
        if (hookSession > 0) {
            assertEquals(List.of(), sessionMembers(hookSession), "processes of the hook's session " + hookSession + " left");
        }
        assertEquals(List.of(), processesInCgroupsNamed(id), "processes still in cgroups of " + id);
        assertEquals(List.of(), cgroupDirsNamed(id), "cgroup directories left");
        assertEquals(List.of(), hostMountsMentioning(id), "mounts left");
        assertNotEquals(0, jr.run("state", id).exitCode());
    }

    void createAgainWorks(Bundle b, String id) {
        jr.run("create", "--bundle", b.dir().toString(), id).assertOk();
        assertEquals("created", status(id));
        jr.run("delete", "--force", id).assertOk();
    }

    // ---- a hook that blocks on demand ----------------------------------------------------------------------------

    /**
     * Gives the bundle a createRuntime hook that reads its state (as hooks do: jruntime writes it once the hook is
     * recorded) and then, while {@code work/hook-block} exists, starts a child (sleep), publishes "HOOKPID CHILDPID"
     * in {@code work/hook-pids} (by rename: never seen half-written) and waits for the child for ever. Without that
     * file it exits 0 at once, so the same bundle creates normally.
     */
    Bundle withBlockingHook(Bundle b) {
        Path pids = work.resolve("hook-pids");
        String script = "cat > /dev/null; if [ -e " + hookBlock() + " ]; then sleep 100000 & echo \"$$ $!\" > " + pids
                + ".new; mv " + pids + ".new " + pids + "; wait; fi";
        return b.edit(c -> {
            ObjectNode h = c.putObject("hooks").putArray("createRuntime").addObject();
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add(script);
        });
    }

    Path hookBlock() {
        return work.resolve("hook-block");
    }

    void blockHooks(boolean on) throws IOException {
        if (on) {
            Files.writeString(hookBlock(), "");
        } else {
            Files.deleteIfExists(hookBlock());
        }
    }

    /**
     * The blocking hook of a create runs; {@code parent} (the jruntime running the create, or the daemon serving it)
     * must be the hook's parent. SIGKILL to it: the hook dies with it (before any delete), {@code afterKill} checks
     * what the caller said, the container is {@code stopped} and listed, delete -f also kills the child the hook left
     * in its session and leaves nothing, and the id can be created again.
     */
    void killWhileTheHookRuns(Process parent, Bundle b, String id, ThrowingRunnable afterKill) throws Exception {
        killWhileTheHookRuns(parent, parent.pid(), b, id, afterKill);
    }

    /** As above, with the hook a child of hookParent (the daemon's client spawns the hooks of the calls it makes). */
    void killWhileTheHookRuns(Process parent, long hookParent, Bundle b, String id, ThrowingRunnable afterKill) throws Exception {
        int[] hook = awaitHookPids();
        assertEquals(hookParent, parentOf(hook[0]), "the hook is a child of the process that started it");
        parent.destroyForcibly();
        assertTrue(parent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        afterKill.run();
        assertTrue(awaitDead(hook[0]), "the hook " + hook[0] + " kept running after its parent was killed");
        assertEquals("stopped", status(id));
        assertTrue(listed(id));
        deleteLeavesNothing(id);
        assertFalse(alive(hook[1]), "the hook's child " + hook[1] + " survived delete -f");
        blockHooks(false);
        createAgainWorks(b, id);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** If id exists, it is created or stopped (what any step of a killed create may leave). */
    void createdOrStoppedIfItExists(String id, String when) {
        Jruntime.Result st = jr.run("state", id);
        if (st.exitCode() == 0) {
            String s = Bundle.parse(st.stdout()).path("status").asText();
            assertTrue(Set.of("created", "stopped").contains(s), when + ": " + s);
        }
    }

    /** The pids the blocking hook published: {hook, its child}; waits up to 60 s for them. */
    int[] awaitHookPids() throws Exception {
        Path pids = work.resolve("hook-pids");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(pids) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(pids), "the hook did not start within 60 s");
        String[] f = Files.readString(pids).trim().split(" ");
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    }

    /**
     * If the record of id names a hook (the crash came while one ran), that hook is dead: the kernel killed it with
     * the jruntime that ran it (before any delete). At a {@code *.hook-started} point the record must name it.
     */
    void assertRecordedHookDied(String id, String point) throws Exception {
        Path stateFile = jr.root().resolve(id).resolve("state.json");
        int hook = Files.exists(stateFile) ? Bundle.parse(Files.readString(stateFile)).path("hookPid").asInt() : 0;
        assertTrue(hook > 0 || !point.endsWith(".hook-started"), "the record names the running hook");
        assertTrue(hook == 0 || awaitDead(hook), "the hook " + hook + " outlived the jruntime that ran it");
    }

    /** Polls (up to 30 s: a SIGKILL takes effect when the process is next scheduled) until pid is dead. */
    static boolean awaitDead(int pid) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (alive(pid) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return !alive(pid);
    }

    // ---- what is on the machine ----------------------------------------------------------------------------------

    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static int parentOf(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    /** Live processes whose session id is sid. */
    static List<Integer> sessionMembers(int sid) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[3]) == sid && !f[0].equals("Z") && !f[0].equals("X")) {
                        out.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    /** Every directory named id under the cgroup file systems (all v1 hierarchies and the v2 tree). */
    static List<Path> cgroupDirsNamed(String id) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path mount : cgroupMounts()) {
            try (Stream<Path> walk = Files.walk(mount, 8)) {
                walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(id)
                        && Files.isDirectory(p)).forEach(out::add);
            } catch (java.io.UncheckedIOException e) {
                // a cgroup of another test vanished while we walked: not ours
            }
        }
        return out;
    }

    private static List<Path> cgroupMounts() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash > 0 && (f[dash + 1].equals("cgroup") || f[dash + 1].equals("cgroup2"))) {
                out.add(Path.of(f[4]));
            }
        }
        return out;
    }

    static List<Integer> processesInCgroupsNamed(String id) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    for (String line : Files.readAllLines(p.resolve("cgroup"))) {
                        if (line.endsWith("/" + id) || line.contains("/" + id + "/")) {
                            out.add(Integer.parseInt(p.getFileName().toString()));
                            break;
                        }
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    static List<String> hostMountsMentioning(String id) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(id)).toList();
    }
}
