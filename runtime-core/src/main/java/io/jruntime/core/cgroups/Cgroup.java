package io.jruntime.core.cgroups;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.Processes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A container's cgroup: one directory per hierarchy. Made by {@link CgroupManager#create}, stored in state.json as
 * {@link #toPaths()} and re-opened with {@link #fromPaths(Map)}.
 *
 * <p>Keys of {@link #paths()}: a v1 controller name ("memory", "cpu", "cpuacct" - co-mounted controllers share one
 * directory), a named v1 hierarchy ("name=systemd"), and "" for the cgroup2 directory (unified hosts, and the unified
 * tree of hybrid hosts).
 *
 * <p>Besides those keys, the state map carries {@value #CREATED_KEY} (how many trailing path levels this runtime
 * created in each hierarchy, so {@link #destroy} removes those and only those) and, for rootless cgroups,
 * {@value #ROOTLESS_KEY}. Neither can clash with a controller name.
 */
public final class Cgroup {
    /** State-map key: "key=levels,key=levels" for each hierarchy where levels were created (e.g. "memory=2,=2"). */
    public static final String CREATED_KEY = "jruntime.created";
    /** State-map key present (value "true") when the cgroup was made with rootless semantics. */
    public static final String ROOTLESS_KEY = "jruntime.rootless";

    /** Looked up only when there is something to say: initialising java.util.logging costs ~17 ms a call. */
    static Logger log() {
        return Logger.getLogger(Cgroup.class.getName());
    }

    private final CgroupLayout mode;
    private final Map<String, Path> paths;
    private final Map<String, Integer> created;
    private final boolean rootless;
    /** Controllers whose failure under rootless must be an error (resources were requested for them), with the field. */
    private final Map<String, String> required;
    private volatile DeviceFilterLoader deviceFilterLoader = new BpfDeviceFilterLoader();

    Cgroup(CgroupLayout mode, Map<String, Path> paths, Map<String, Integer> created, boolean rootless,
           Map<String, String> required) {
        this.mode = mode;
        this.paths = Collections.unmodifiableMap(new LinkedHashMap<>(paths));
        this.created = Collections.unmodifiableMap(new LinkedHashMap<>(created));
        this.rootless = rootless;
        this.required = Map.copyOf(required);
    }

    // ---- state -----------------------------------------------------------------------------------------------------

    /**
     * Re-opens a cgroup from the map {@link #toPaths()} produced. A plain runc-style controller map (without
     * {@value #CREATED_KEY}) is accepted too; {@link #destroy} then removes only the leaf directories.
     */
    public static Cgroup fromPaths(Map<String, String> state) {
        Map<String, Path> p = new LinkedHashMap<>();
        Map<String, Integer> created = new LinkedHashMap<>();
        boolean rootless = false;
        boolean createdKnown = false;
        for (Map.Entry<String, String> e : state.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.equals(CREATED_KEY)) {
                createdKnown = true;
                if (v != null && !v.isEmpty()) {
                    for (String item : v.split(",")) {
                        int eq = item.lastIndexOf('=');
                        if (eq < 0) {
                            throw new InvalidArgumentException("cgroup state: bad " + CREATED_KEY + " entry \"" + item + "\"");
                        }
                        created.put(item.substring(0, eq), Integer.parseInt(item.substring(eq + 1)));
                    }
                }
                continue;
            }
            if (k.equals(ROOTLESS_KEY)) {
                rootless = Boolean.parseBoolean(v);
                continue;
            }
            if (k.startsWith("jruntime.")) {
                continue;
            }
            if (v == null || !v.startsWith("/")) {
                throw new InvalidArgumentException("cgroup state: path of \"" + k + "\" is not absolute: " + v);
            }
            p.put(k, Path.of(v));
        }
        if (!createdKnown) {
            for (String k : p.keySet()) {
                created.put(k, 1);
            }
        }
        CgroupLayout mode;
        boolean hasV2 = p.containsKey("");
        boolean hasV1 = p.keySet().stream().anyMatch(k -> !k.isEmpty());
        if (hasV2 && !hasV1) {
            mode = CgroupLayout.UNIFIED;
        } else if (hasV2) {
            mode = CgroupLayout.HYBRID;
        } else {
            mode = CgroupLayout.LEGACY;
        }
        return new Cgroup(mode, p, created, rootless, Map.of());
    }

    /** The state map: hierarchy key -> directory, plus the bookkeeping keys described in the class comment. */
    public Map<String, String> toPaths() {
        Map<String, String> m = new LinkedHashMap<>();
        paths.forEach((k, v) -> m.put(k, v.toString()));
        StringBuilder b = new StringBuilder();
        created.forEach((k, n) -> {
            if (n > 0 && paths.containsKey(k)) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(k).append('=').append(n);
            }
        });
        m.put(CREATED_KEY, b.toString());
        if (rootless) {
            m.put(ROOTLESS_KEY, "true");
        }
        return m;
    }

    /** Hierarchy key -> directory (no bookkeeping keys). */
    public Map<String, Path> paths() {
        return paths;
    }

    /** Directory for a controller key ("" = cgroup2), or null. */
    public Path path(String key) {
        return paths.get(key);
    }

    public CgroupLayout mode() {
        return mode;
    }

    public boolean rootless() {
        return rootless;
    }

    /** How many trailing levels of each hierarchy's path this runtime created (0 = the leaf pre-existed). */
    public Map<String, Integer> createdLevels() {
        return created;
    }

    /** Replaces the loader used for the cgroup v2 device filter (default: {@link BpfDeviceFilterLoader}). */
    public Cgroup withDeviceFilterLoader(DeviceFilterLoader loader) {
        this.deviceFilterLoader = loader;
        return this;
    }

    DeviceFilterLoader deviceFilterLoader() {
        return deviceFilterLoader;
    }

    Map<String, String> required() {
        return required;
    }

    /** Distinct directories, cpuset first (its cpus/mems must be valid before anything else joins), cgroup2 last. */
    List<Map.Entry<Path, List<String>>> distinctDirs() {
        Map<Path, List<String>> byDir = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(paths.keySet());
        keys.sort((a, b) -> Integer.compare(order(a), order(b)));
        for (String k : keys) {
            byDir.computeIfAbsent(paths.get(k), x -> new ArrayList<>()).add(k);
        }
        return new ArrayList<>(byDir.entrySet());
    }

    private static int order(String key) {
        if (key.equals("cpuset")) {
            return 0;
        }
        if (key.isEmpty()) {
            return 3;
        }
        if (key.startsWith("name=")) {
            return 2;
        }
        return 1;
    }

    // ---- processes -------------------------------------------------------------------------------------------------

    /**
     * Moves a process into every hierarchy (v1 controllers, name=systemd and, on hybrid/unified hosts, the cgroup2
     * directory) by writing its pid to cgroup.procs.
     */
    public void join(int pid) {
        for (Map.Entry<Path, List<String>> e : distinctDirs()) {
            Path dir = e.getKey();
            Path procs = dir.resolve("cgroup.procs");
            try {
                CgroupFiles.writeRaw(procs, Integer.toString(pid));
            } catch (IOException ex) {
                CgroupFiles.Kind kind = CgroupFiles.kind(ex);
                String what = "cannot join pid " + pid + " to the " + describeKeys(e.getValue()) + " cgroup: cannot write "
                        + pid + " to " + procs + ": " + CgroupFiles.reason(ex);
                if (rootless && (kind == CgroupFiles.Kind.PERMISSION || kind == CgroupFiles.Kind.NOT_FOUND)) {
                    String field = requiredField(e.getValue());
                    if (field == null) {
                        log().warning("rootless cgroups: " + what + " (ignored: no resources requested for it)");
                        continue;
                    }
                    throw new JRuntimeException(field + ": " + what + " (rootless; the limit cannot be enforced)", ex);
                }
                String hint = "";
                if (e.getValue().contains("cpuset") && CgroupFiles.reason(ex).contains("No space left on device")) {
                    hint = " (cpuset.cpus or cpuset.mems of " + dir + " is empty)";
                }
                throw new JRuntimeException(what + hint, ex);
            }
        }
    }

    String requiredField(List<String> keys) {
        for (String k : keys) {
            String f = required.get(k);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    static String describeKeys(List<String> keys) {
        List<String> l = new ArrayList<>();
        for (String k : keys) {
            l.add(k.isEmpty() ? "cgroup2" : k);
        }
        return String.join(",", l);
    }

    /** The directory that best represents "the container's processes": freezer, then pids, memory, cgroup2, any. */
    Path processDir() {
        for (String k : new String[]{"freezer", "pids", "memory", "", "devices", "cpu"}) {
            Path p = paths.get(k);
            if (p != null && Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path p : paths.values()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** Every pid in the container's cgroup, including nested cgroups, sorted. Empty when the cgroup is gone. */
    public List<Integer> pids() {
        Path dir = processDir();
        if (dir == null) {
            return List.of();
        }
        return pidsUnder(dir);
    }

    static List<Integer> pidsUnder(Path dir) {
        Set<Integer> out = new LinkedHashSet<>();
        collectPids(dir, out);
        List<Integer> l = new ArrayList<>(out);
        Collections.sort(l);
        return l;
    }

    private static void collectPids(Path dir, Set<Integer> out) {
        String procs = CgroupFiles.readOptional(dir.resolve("cgroup.procs"));
        if (procs != null) {
            for (String line : procs.split("\n")) {
                line = line.trim();
                if (!line.isEmpty()) {
                    out.add(Integer.parseInt(line));
                }
            }
        }
        for (Path child : subdirs(dir)) {
            collectPids(child, out);
        }
    }

    static List<Path> subdirs(Path dir) {
        List<Path> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : ds) {
                l.add(p);
            }
        } catch (IOException e) {
            // gone or unreadable: no children
        }
        return l;
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    /** Writes the limits (initial configuration). On hybrid hosts v1 controllers carry the resources. */
    public void apply(CgroupResources resources) {
        if (resources != null) {
            new ResourceWriter(this, false).apply(resources);
        }
    }

    /**
     * Changes limits of a live cgroup: only the fields that are set change. Honors memory.checkBeforeUpdate, and
     * orders memory/swap writes so raising and lowering both work.
     */
    public void update(CgroupResources resources) {
        if (resources != null) {
            new ResourceWriter(this, true).apply(resources);
        }
    }

    // ---- freezer ---------------------------------------------------------------------------------------------------

    private Path freezerDir(String op) {
        Path p = paths.get("freezer");
        if (p != null) {
            return p;
        }
        Path u = paths.get("");
        if (u != null && Files.exists(u.resolve("cgroup.freeze"))) {
            return u;
        }
        throw new JRuntimeException("cannot " + op + ": no freezer for this cgroup (no v1 freezer hierarchy and no cgroup2 "
                + "cgroup.freeze)");
    }

    private boolean v1Freezer() {
        return paths.containsKey("freezer");
    }

    /** Freezes every process and waits until the kernel reports the cgroup frozen (10 s at most). */
    public void freeze() {
        freeze(Duration.ofSeconds(10));
    }

    public void freeze(Duration timeout) {
        Path dir = freezerDir("freeze");
        long deadline = System.nanoTime() + timeout.toNanos();
        if (v1Freezer()) {
            CgroupFiles.write("freezer.state", dir, "freezer.state", "FROZEN");
            int i = 0;
            while (true) {
                String st = CgroupFiles.readTrim(dir.resolve("freezer.state"));
                if (st.equals("FROZEN")) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    tryWrite(dir.resolve("freezer.state"), "THAWED");
                    throw new JRuntimeException("cannot freeze " + dir + ": freezer.state still " + st + " after "
                            + timeout.toMillis() + " ms (a task may be stuck in uninterruptible sleep); thawed again");
                }
                // re-request now and then: tasks that were forking while freezing can leave the state at FREEZING
                if (++i % 50 == 0) {
                    tryWrite(dir.resolve("freezer.state"), "FROZEN");
                }
                sleepMillis(Math.min(10, 1 + i / 10));
            }
        }
        CgroupFiles.write("cgroup.freeze", dir, "cgroup.freeze", "1");
        int i = 0;
        while (true) {
            Map<String, Long> ev = CgroupFiles.readKeyValues(dir.resolve("cgroup.events"));
            if (ev.getOrDefault("frozen", 0L) == 1L) {
                return;
            }
            if (System.nanoTime() > deadline) {
                tryWrite(dir.resolve("cgroup.freeze"), "0");
                throw new JRuntimeException("cannot freeze " + dir + ": cgroup.events does not report frozen 1 after "
                        + timeout.toMillis() + " ms; thawed again");
            }
            sleepMillis(Math.min(10, 1 + ++i / 10));
        }
    }

    /** Thaws the cgroup (and waits until v1 reports THAWED). */
    public void thaw() {
        Path dir = freezerDir("thaw");
        if (v1Freezer()) {
            CgroupFiles.write("freezer.state", dir, "freezer.state", "THAWED");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!CgroupFiles.readTrim(dir.resolve("freezer.state")).equals("THAWED")) {
                if (System.nanoTime() > deadline) {
                    throw new JRuntimeException("cannot thaw " + dir + ": freezer.state is "
                            + CgroupFiles.readTrim(dir.resolve("freezer.state")) + " (a parent cgroup may be frozen)");
                }
                sleepMillis(1);
            }
            return;
        }
        CgroupFiles.write("cgroup.freeze", dir, "cgroup.freeze", "0");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (CgroupFiles.readKeyValues(dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1L) {
            if (System.nanoTime() > deadline) {
                throw new JRuntimeException("cannot thaw " + dir + ": cgroup.events still reports frozen 1 "
                        + "(a parent cgroup may be frozen)");
            }
            sleepMillis(1);
        }
    }

    /** True when the kernel reports the cgroup frozen (v1 freezer.state FROZEN, v2 cgroup.events frozen 1). */
    public boolean isFrozen() {
        Path dir = paths.get("freezer");
        if (dir != null) {
            String st = CgroupFiles.readOptional(dir.resolve("freezer.state"));
            return st != null && st.trim().equals("FROZEN");
        }
        Path u = paths.get("");
        if (u != null) {
            return CgroupFiles.readKeyValues(u.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1L;
        }
        return false;
    }

    /**
     * Signals every process in the cgroup ({@code kill --all}): freezes first so nothing can fork past the signal,
     * signals each pid, thaws. Where there is no freezer (or it cannot be used, e.g. rootless) it signals without.
     * SIGKILL on cgroup v2 uses cgroup.kill when the kernel has it.
     */
    public void killAll(int signal) {
        Path u = paths.get("");
        if (signal == 9 && mode == CgroupLayout.UNIFIED && u != null && Files.exists(u.resolve("cgroup.kill"))) {
            CgroupFiles.write("cgroup.kill", u, "cgroup.kill", "1");
            return;
        }
        boolean frozen = false;
        try {
            freeze();
            frozen = true;
        } catch (JRuntimeException e) {
            log().warning("kill --all: signalling without freezing: " + e.getMessage());
        }
        try {
            for (int pid : pids()) {
                int err = Processes.kill(pid, signal);
                if (err != 0 && err != Errno.ESRCH) {
                    throw new JRuntimeException("cannot send signal " + signal + " to pid " + pid + ": " + Errno.describe(err));
                }
            }
        } finally {
            if (frozen) {
                thaw();
            }
        }
    }

    // ---- OOM -------------------------------------------------------------------------------------------------------

    /**
     * How many processes the OOM killer killed in this cgroup: v1 memory.oom_control "oom_kill", v2 memory.events
     * "oom_kill". 0 when the memory controller is not available.
     */
    public long oomKillCount() {
        Path m = paths.get("memory");
        if (m != null) {
            return CgroupFiles.readKeyValues(m.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L);
        }
        Path u = paths.get("");
        if (u != null) {
            return CgroupFiles.readKeyValues(u.resolve("memory.events")).getOrDefault("oom_kill", 0L);
        }
        return 0;
    }

    /** v1: "under_oom 1" (only when the OOM killer is disabled and the cgroup is stuck at its limit); v2: never. */
    public boolean underOom() {
        Path m = paths.get("memory");
        if (m != null) {
            return CgroupFiles.readKeyValues(m.resolve("memory.oom_control")).getOrDefault("under_oom", 0L) == 1L;
        }
        return false;
    }

    /** v2 memory.events "oom" (times the limit was hit and the OOM killer invoked); v1: same as oomKillCount. */
    long oomCount() {
        Path m = paths.get("memory");
        if (m == null) {
            Path u = paths.get("");
            if (u != null) {
                return CgroupFiles.readKeyValues(u.resolve("memory.events")).getOrDefault("oom", 0L);
            }
        }
        return oomKillCount();
    }

    /**
     * Watches for OOM events (runc's {"type":"oom"}): polls the counters every {@code interval} on a daemon thread and
     * calls the listener once per change. Close the watcher to stop; it also stops when the cgroup is removed.
     */
    public OomWatcher watchOom(Duration interval, Consumer<OomWatcher.OomEvent> listener) {
        return OomWatcher.start(this, interval, listener);
    }

    // ---- stats -----------------------------------------------------------------------------------------------------

    /** Current usage counters (see {@link CgroupStats}). */
    public CgroupStats stats() {
        return new StatsReader(this).read();
    }

    // ---- removal ---------------------------------------------------------------------------------------------------

    /**
     * Removes the directories this runtime created (nested cgroups the container made inside the leaf included) and
     * leaves pre-existing parents. While processes remain rmdir fails with EBUSY; this waits up to {@code timeout}
     * for them to exit, then fails naming the pids still there. Missing directories are fine (idempotent).
     */
    public void destroy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures = new ArrayList<>();
        Set<Integer> leftPids = new java.util.TreeSet<>();
        List<Map.Entry<Path, List<String>>> dirs = distinctDirs();
        Collections.reverse(dirs);
        for (Map.Entry<Path, List<String>> e : dirs) {
            Path leaf = e.getKey();
            int levels = 0;
            for (String k : e.getValue()) {
                levels = Math.max(levels, created.getOrDefault(k, 0));
            }
            if (levels == 0) {
                continue;
            }
            String err = removeTree(leaf, deadline);
            if (err != null) {
                List<Integer> left = pidsUnder(leaf);
                leftPids.addAll(left);
                failures.add(leaf + " (" + err + (left.isEmpty() ? "" : "; pids " + join(left)) + ")");
                continue;
            }
            Path p = leaf.getParent();
            for (int i = 1; i < levels && p != null; i++, p = p.getParent()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // already removed
                } catch (IOException ex) {
                    // shared with another container (or in use): it stays
                    log().fine("cgroup parent " + p + " kept: " + CgroupFiles.reason(ex));
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new JRuntimeException("cannot remove cgroup after " + timeout.toMillis() + " ms: "
                    + (leftPids.isEmpty() ? "" : "processes still running: " + join(new ArrayList<>(leftPids)) + "; ")
                    + String.join(", ", failures));
        }
    }

    private static String join(List<Integer> l) {
        List<String> s = new ArrayList<>();
        for (int i : l) {
            s.add(Integer.toString(i));
        }
        return String.join(" ", s);
    }

    /** rmdir depth-first, retrying EBUSY until the deadline. Returns null on success, else the last reason. */
    private String removeTree(Path dir, long deadline) {
        int attempt = 0;
        while (true) {
            String err = removeOnce(dir);
            if (err == null) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return err;
            }
            sleepMillis(Math.min(100, 5 + 5 * attempt++));
        }
    }

    private String removeOnce(Path dir) {
        if (!Files.exists(dir)) {
            return null;
        }
        for (Path child : subdirs(dir)) {
            String err = removeOnce(child);
            if (err != null) {
                return err;
            }
        }
        try {
            Files.delete(dir);
            return null;
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException ex) {
            if (rootless && CgroupFiles.kind(ex) == CgroupFiles.Kind.PERMISSION) {
                log().warning("rootless cgroups: cannot remove " + dir + ": " + CgroupFiles.reason(ex));
                return null;
            }
            return "rmdir " + dir + ": " + CgroupFiles.reason(ex);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static void tryWrite(Path file, String value) {
        try {
            CgroupFiles.writeRaw(file, value);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException("interrupted while waiting for the cgroup");
        }
    }

    @Override
    public String toString() {
        return "Cgroup" + new TreeMap<>(toPaths());
    }
}
