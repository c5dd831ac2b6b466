package io.jruntime.bundles.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one corpus case under one runtime (runc or jruntime), in a run directory of its own (bundle, state root,
 * hook output), and returns what a container and an engine can observe, normalised so that the two runtimes'
 * observations are equal when their behaviour is: the run directory, the container id and namespace inode numbers
 * are replaced by placeholders; mount ids and anonymous device numbers dropped.
 */
final class Runner {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TIMEOUT_SECONDS = 60;

    private final String runtimeName;
    private final Path binary;
    private final Path baseConfig;
    private final Path rootfsTemplate;
    private final Map<String, String> hostNs;

    Runner(String runtimeName, Path binary, Path baseConfig, Path rootfsTemplate, Map<String, String> hostNs) {
        this.runtimeName = runtimeName;
        this.binary = binary;
        this.baseConfig = baseConfig;
        this.rootfsTemplate = rootfsTemplate;
        this.hostNs = hostNs;
    }

    record Exec(int exit, String stdout, String stderr, boolean timedOut) {
    }

    /** Observations by aspect name, in a stable order. */
    Map<String, String> observe(Case c, Path work, String id) throws Exception {
        Path run = work.resolve(c.name()).resolve(runtimeName);
        Path bundle = run.resolve("bundle");
        Path root = run.resolve("state");
        Files.createDirectories(bundle);
        Files.createDirectories(root);
        copyTree(rootfsTemplate, bundle.resolve("rootfs"));
        ObjectNode config = (ObjectNode) JSON.readTree(baseConfig.toFile());
        c.edit().apply(config, run);
        Files.write(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        c.setup().apply(bundle.resolve("rootfs"), run);

        Map<String, String> obs = new LinkedHashMap<>();
        try {
            if (c.steps().isEmpty()) {
                Exec r = exec(List.of(binary.toString(), "--root", root.toString(), "run", "--bundle", bundle.toString(), id),
                        run, Map.of());
                Map<String, String> sec = Probe.sections(r.stdout());
                boolean ran = sec.containsKey("probe");
                obs.put("exit", r.timedOut() ? "timeout" : ran ? Integer.toString(r.exit()) : r.exit() == 0 ? "0 (no probe)" : "refused");
                obs.put("stderr", stderrClass(r.stderr(), ran));
                if (ran) {
                    for (Map.Entry<String, String> e : sec.entrySet()) {
                        if (!e.getKey().equals("probe") && !e.getKey().equals("end")) {
                            obs.put(e.getKey(), normalise(e.getKey(), e.getValue(), run, id));
                        }
                    }
                }
            } else {
                int i = 0;
                for (List<String> step : c.steps()) {
                    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
                    for (String a : step) {
                        cmd.add(a.replace("ID", id).replace("BUNDLE", bundle.toString()).replace("RUN", run.toString()));
                    }
                    Exec r = exec(cmd, bundle, Map.of());
                    String out = step.get(0).equals("state") && r.exit() == 0 ? stateView(r.stdout())
                            : normalise("out", r.stdout(), run, id);
                    obs.put("step" + (i++) + " " + step.get(0), (r.timedOut() ? "timeout" : r.exit() == 0 ? "ok" : "failed")
                            + " " + stderrClass(r.stderr(), true) + "\n" + out);
                }
            }
            obs.put("hooks", hookLog(run, id));
            obs.put("left", leftOnHost(root, run, id));
            obs.put("rootfs", rootfsListing(bundle.resolve("rootfs"), run, id));
        } finally {
            if (!isEmpty(root)) {
                exec(List.of(binary.toString(), "--root", root.toString(), "delete", "--force", id), run, Map.of());
            }
            cleanUp(run, id);
            // cgroups the corpus named after the case and runtime (cgroupsPath cases) rather than the id
            cleanUp(run, c.name() + "-" + runtimeName);
        }
        return obs;
    }

    /** none, warning (every line a warning) or error; a refusal's message is not compared (runtimes word it differently). */
    static String stderrClass(String stderr, boolean ran) {
        if (stderr.isBlank()) {
            return "none";
        }
        boolean allWarnings = stderr.lines().filter(l -> !l.isBlank()).allMatch(l -> l.contains("level=warning"));
        return allWarnings ? "warning" : ran ? "error" : "error (refused)";
    }

    /** The parts of `state` an engine acts on: status, a positive pid, the bundle, annotations. */
    static String stateView(String json) throws IOException {
        JsonNode s = JSON.readTree(json);
        return "status=" + s.path("status").asText() + " pid>0=" + (s.path("pid").asInt() > 0)
                + " annotations=" + s.path("annotations");
    }

    String normalise(String section, String text, Path run, String id) {
        // cgroupsPath cases name their cgroup after the case and the runtime (see Corpus): one placeholder for both
        String cgroupName = run.getParent().getFileName() + "-" + run.getFileName();
        String t = text.replace(run.toString(), "<RUN>").replace(id, "<ID>").replace(cgroupName, "<CASE-RUNTIME>");
        return switch (section) {
            case "mountinfo" -> mountinfo(t);
            case "ns" -> namespaces(t);
            default -> t;
        };
    }

    /** Mount point, per-mount options, propagation kinds, root, type, source, super options; ids dropped. */
    static String mountinfo(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int dash = line.indexOf(" - ");
            String[] l = line.substring(0, dash).split(" ");
            String[] r = line.substring(dash + 3).split(" ");
            StringBuilder opt = new StringBuilder();
            for (int i = 6; i < l.length; i++) {
                opt.append(l[i].replaceAll(":\\d+", "")).append(' ');
            }
            sb.append(l[4]).append(' ').append(l[5]).append(" [").append(opt.toString().strip()).append("] root=")
                    .append(l[3]).append(' ').append(r[0]).append(' ').append(r[1]).append(' ')
                    .append(r.length > 2 ? r[2] : "").append('\n');
        }
        return sb.toString();
    }

    /** Each namespace as "host" (the runtime's own), or "new"; joined ones were given as the host's helper's. */
    String namespaces(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ", 2);
            if (f.length < 2) {
                continue;
            }
            String v = f[1].isBlank() ? "absent" : f[1].equals(hostNs.get(f[0])) ? "host"
                    : f[1].equals(hostNs.get("joined-" + f[0])) ? "joined" : "new";
            sb.append(f[0]).append(' ').append(v).append('\n');
        }
        return sb.toString();
    }

    /** What hooks wrote to <run>/hooks.log (one line per hook run, written by the hook commands of the corpus). */
    static String hookLog(Path run, String id) throws IOException {
        Path f = run.resolve("hooks.log");
        return Files.exists(f) ? Files.readString(f).replace(run.toString(), "<RUN>").replace(id, "<ID>") : "";
    }

    /** State directories, host mounts under the run directory and cgroup directories named after the id. */
    static String leftOnHost(Path root, Path run, String id) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.list(root)) {
            s.forEach(p -> sb.append("state ").append(p.getFileName().toString().replace(id, "<ID>")).append('\n'));
        }
        for (String m : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = m.split(" ")[4];
            if (mp.startsWith(run.toString())) {
                sb.append("mount ").append(mp.replace(run.toString(), "<RUN>")).append('\n');
            }
        }
        for (String d : cgroupDirs(id)) {
            sb.append("cgroup ").append(d.replace(id, "<ID>").replaceAll("^/sys/fs/cgroup/[^/]+", "<HIER>")).append('\n');
        }
        return sb.toString().lines().sorted().distinct().reduce("", (a, b) -> a + b + "\n");
    }

    /** Cgroup directories named with the id; other tests' cgroups come and go meanwhile, so vanished ones are skipped. */
    static List<String> cgroupDirs(String id) {
        List<String> out = new ArrayList<>();
        try {
            Files.walkFileTree(Path.of("/sys/fs/cgroup"), java.util.Set.of(), 6, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                    if (dir.getFileName() != null && dir.getFileName().toString().contains(id)) {
                        out.add(dir.toString());
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.stream().sorted().toList();
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** cp -a of a small tree (the busybox rootfs: a binary, symlinks, a few files), without a process. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(t, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, Files.getPosixFilePermissions(p));
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        sh("chmod", "1777", to.resolve("tmp").toString());
    }

    /** Every path in the rootfs after the run, with type and mode: what the runtime created or changed there. */
    static String rootfsListing(Path rootfs, Path run, String id) throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.walk(rootfs)) {
            for (Path p : s.toList()) {
                String rel = rootfs.relativize(p).toString();
                if (rel.isEmpty() || rel.startsWith("bin/")) {
                    continue;
                }
                try {
                    var a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    String type = a.isSymbolicLink() ? "l" : a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o";
                    out.add(rel + " " + type + " " + java.nio.file.attribute.PosixFilePermissions.toString(a.permissions())
                            + " " + Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS) + ":"
                            + Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
                } catch (IOException e) {
                    out.add(rel + " (unreadable)");
                }
            }
        } catch (java.io.UncheckedIOException e) {
            out.add("(walk failed: " + e.getCause().getMessage() + ")");
        }
        return out.stream().sorted().reduce("", (a, b) -> a + b + "\n").replace(run.toString(), "<RUN>").replace(id, "<ID>");
    }

    /** Unmounts what a failed run left under the run directory and removes cgroup directories named after the id. */
    static void cleanUp(Path run, String id) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String m : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = m.split(" ")[4];
            if (mp.startsWith(run.toString())) {
                mounts.add(mp);
            }
        }
        for (int i = mounts.size() - 1; i >= 0; i--) {
            exec(List.of("umount", "-l", mounts.get(i)), null, Map.of());
        }
        List<String> dirs = new ArrayList<>(cgroupDirs(id));
        dirs.sort((a, b) -> b.length() - a.length());
        for (String d : dirs) {
            Path frozen = Path.of(d, "freezer.state");
            if (Files.exists(frozen)) {
                try {
                    Files.writeString(frozen, "THAWED");
                } catch (IOException e) {
                    // best effort
                }
            }
            exec(List.of("rmdir", d), null, Map.of());
        }
    }

    static void sh(String... cmd) {
        Exec r = exec(List.of(cmd), null, Map.of());
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + r.stderr());
        }
    }

    static Exec exec(List<String> cmd, Path cwd, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("conf-out", ".txt");
            Path err = Files.createTempFile("conf-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("JRUNTIME_DAEMON", "0");
                pb.environment().putAll(env);
                if (cwd != null) {
                    pb.directory(cwd.toFile());
                }
                Process p = pb.start();
                boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                return new Exec(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), !done);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Host namespace links of this process, for {@link #namespaces}. */
    static Map<String, String> hostNamespaces() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String n : List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")) {
            Path p = Path.of("/proc/self/ns/" + n);
            if (Files.exists(p)) {
                m.put(n, Files.readSymbolicLink(p).toString());
            }
        }
        return m;
    }

}
