package io.jruntime.bundles.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential conformance harness: every corpus case runs under runc 1.1.5 and under jruntime, one after the
 * other, and what the container and an engine can observe is compared aspect by aspect. A difference fails the
 * test unless docs/CLI.md "Differences from runc" lists it ({@link AllowList}). {@code make test} runs the fast
 * subset; {@code make conformance} (-Djruntime.conformance=full) runs everything and writes docs/CONFORMANCE.md.
 */
class RuncConformanceIT {
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean FULL = "full".equals(System.getProperty("jruntime.conformance"));
    /** Re-applies the current allow-list to the observations recorded by the last run (no containers). */
    private static final boolean RECHECK = "recheck".equals(System.getProperty("jruntime.conformance"));
    private static final Path HOME = Path.of(System.getProperty("jruntime.home", System.getProperty("user.dir") + "/.."))
            .toAbsolutePath().normalize();

    private static Path work;
    private static Process nsHelper;

    @BeforeAll
    static void setUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("the conformance harness runs real containers and needs root");
        }
        if (!Files.isExecutable(RUNC)) {
            fail("runc is missing at " + RUNC + ": run `make deps`");
        }
        work = Files.createTempDirectory("jruntime-conformance-");
        // namespaces to join by path: a host process in a new network, uts and ipc namespace
        nsHelper = new ProcessBuilder("unshare", "--net", "--uts", "--ipc", "sleep", "100000").start();
        Path ns = Path.of("/proc/" + nsHelper.pid() + "/ns/uts");
        Path mine = Path.of("/proc/self/ns/uts");
        for (int i = 0; i < 500 && Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(mine)); i++) {
            Thread.sleep(10); // waits for unshare to have unshared, not for a time
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nsHelper != null) {
            nsHelper.destroyForcibly().waitFor();
        }
        // parents of the relative cgroupsPath cases (runc leaves them; empty by now)
        try (var s = Files.find(Path.of("/sys/fs/cgroup"), 6, (p, a) -> a.isDirectory() && p.endsWith("conformance"))) {
            s.forEach(p -> Runner.exec(List.of("rmdir", p.toString()), null, Map.of()));
        }
        if (work != null) {
            Runner.exec(List.of("rm", "-rf", "--one-file-system", work.toString()), null, Map.of());
        }
    }

    /** runc spec, with the probe as the process and no terminal. */
    private static Path baseConfig() throws IOException {
        Path dir = work.resolve("base");
        Files.createDirectories(dir);
        Runner.sh(RUNC.toString(), "spec", "--bundle", dir.toString());
        ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        ObjectNode p = (ObjectNode) c.path("process");
        p.put("terminal", false);
        ((ArrayNode) p.putArray("args")).add("sh").add("-c").add(Probe.SCRIPT);
        Files.write(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
        return dir.resolve("config.json");
    }

    @Test
    void jruntimeBehavesAsRuncWhereAContainerOrEngineCanTell() throws Exception {
        if (RECHECK) {
            recheck();
            return;
        }
        Path rootfs = work.resolve("rootfs-template");
        Bundle.makeRootfs(rootfs);
        Path base = baseConfig();
        Map<String, String> hostNs = new TreeMap<>(Runner.hostNamespaces());
        for (String n : List.of("net", "uts", "ipc")) {
            hostNs.put("joined-" + n, Files.readSymbolicLink(Path.of("/proc/" + nsHelper.pid() + "/ns/" + n)).toString());
        }
        Runner runc = new Runner("runc", RUNC, base, rootfs, hostNs);
        Runner jr = new Runner("jruntime", Jruntime.defaultBinary(), base, rootfs, hostNs);
        AllowList allow = AllowList.parse(HOME.resolve("docs/CLI.md"));

        List<Case> corpus = Corpus.all((int) nsHelper.pid(), 25);
        int configs = 0;
        int identical = 0;
        Map<String, Integer> allowedByKey = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> allowedLines = new ArrayList<>();
        Instant t0 = Instant.now();
        for (Case c : corpus) {
            if (!FULL && !c.fast()) {
                continue;
            }
            configs++;
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> a = runc.observe(c, work, "cf-r-" + suffix);
            Map<String, String> b = jr.observe(c, work, "cf-j-" + suffix);
            boolean same = true;
            List<String> aspects = new ArrayList<>(a.keySet());
            b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(aspects::add);
            if (a.containsKey("env") != b.containsKey("env")) {
                // one side refused, the other ran the probe: that is one difference (exit), not one per probe section
                aspects.removeIf(k -> !a.containsKey(k) || !b.containsKey(k));
            }
            for (String aspect : aspects) {
                String va = a.getOrDefault(aspect, "(not observed)");
                String vb = b.getOrDefault(aspect, "(not observed)");
                if (va.equals(vb)) {
                    continue;
                }
                same = false;
                AllowList.Row row = allow.find(c.name(), aspect, Diff.lines(va, vb));
                String diff = c.name() + " [" + aspect + "]\n" + Diff.of(va, vb);
                if (row != null) {
                    allowedByKey.merge(row.key(), 1, Integer::sum);
                    allowedLines.add(row.key() + ": " + c.name() + " [" + aspect + "]");
                } else {
                    failures.add(diff);
                }
            }
            if (same) {
                identical++;
            }
        }
        Duration took = Duration.between(t0, Instant.now());
        String summary = summary(configs, identical, allowedByKey, allow, failures, took);
        Files.createDirectories(HOME.resolve("test-bundles/target"));
        Files.writeString(HOME.resolve("test-bundles/target/conformance-summary.md"), summary + "\n## Allowed differences seen\n\n"
                + String.join("\n", allowedLines) + "\n\n## Failures\n\n" + String.join("\n", failures) + "\n");
        if (FULL) {
            Files.writeString(HOME.resolve("docs/CONFORMANCE.md"), summary);
        }
        System.out.println(summary);
        assertTrue(failures.isEmpty(), failures.size() + " unlisted differences from runc (add a row to docs/CLI.md "
                + "\"Differences from runc\" only if intended):\n\n" + String.join("\n", failures));
    }

    /**
     * The differences recorded in target/conformance-summary.md (failures with their lines, allowed ones by key),
     * judged again against docs/CLI.md: for updating the allow-list after a long full run without running it again.
     */
    private static void recheck() throws Exception {
        Path recorded = HOME.resolve("test-bundles/target/conformance-summary.md");
        String text = Files.readString(recorded);
        AllowList allow = AllowList.parse(HOME.resolve("docs/CLI.md"));
        int configs = Integer.parseInt(cell(text, "configurations"));
        int identical = Integer.parseInt(cell(text, "identical"));
        boolean full = cell(text, "mode").equals("full");
        Map<String, Integer> allowedByKey = new TreeMap<>();
        List<String> allowedLines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String allowedPart = text.substring(text.indexOf("## Allowed differences seen"), text.indexOf("## Failures"));
        for (String l : allowedPart.lines().skip(1).filter(x -> x.contains(": ")).toList()) {
            String key = l.substring(0, l.indexOf(": "));
            if (allow.rows().stream().anyMatch(r -> r.key().equals(key))) {
                allowedByKey.merge(key, 1, Integer::sum);
                allowedLines.add(l);
            } else {
                failures.add(l.substring(l.indexOf(": ") + 2) + "\n  (allowed by a row that no longer exists: " + key + ")\n");
            }
        }
        String failPart = text.substring(text.indexOf("## Failures") + "## Failures".length()).strip();
        for (String block : failPart.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String head = block.lines().findFirst().orElseThrow();
            int br = head.lastIndexOf(" [");
            String name = head.substring(0, br);
            String aspect = head.substring(br + 2, head.length() - 1);
            List<String> lines = block.lines().skip(1).map(x -> x.length() > 14 ? x.substring(14) : x).toList();
            AllowList.Row row = allow.find(name, aspect, lines);
            if (row != null) {
                allowedByKey.merge(row.key(), 1, Integer::sum);
                allowedLines.add(row.key() + ": " + name + " [" + aspect + "]");
            } else {
                failures.add(block + "\n");
            }
        }
        String summary = summary(configs, identical, allowedByKey, allow, failures, Duration.ofSeconds(
                Long.parseLong(cell(text, "wall time").replace(" s", ""))), full)
                + "\n(allow-list re-applied to the recorded observations by -Djruntime.conformance=recheck)\n";
        Files.writeString(HOME.resolve("test-bundles/target/conformance-recheck.md"), summary + "\n## Allowed differences seen\n\n"
                + String.join("\n", allowedLines) + "\n\n## Failures\n\n" + String.join("\n", failures) + "\n");
        if (full) {
            Files.writeString(HOME.resolve("docs/CONFORMANCE.md"), summary);
        }
        System.out.println(summary);
        assertTrue(failures.isEmpty(), failures.size() + " unlisted differences from runc:\n\n" + String.join("\n", failures));
    }

    private static String cell(String summary, String name) {
        return summary.lines().filter(l -> l.startsWith("| " + name + " | ")).findFirst()
                .map(l -> l.substring(("| " + name + " | ").length(), l.length() - 2).strip())
                .orElseThrow(() -> new AssertionError("no '" + name + "' row in the recorded summary"));
    }

    private static String summary(int configs, int identical, Map<String, Integer> allowedByKey, AllowList allow,
                                  List<String> failures, Duration took) {
        return summary(configs, identical, allowedByKey, allow, failures, took, FULL);
    }

    private static String summary(int configs, int identical, Map<String, Integer> allowedByKey, AllowList allow,
                                  List<String> failures, Duration took, boolean full) {
        long bugRows = allow.rows().stream().filter(AllowList.Row::bug).count();
        StringBuilder sb = new StringBuilder();
        sb.append("# Conformance with runc 1.1.5\n\n");
        sb.append("Written by `make conformance` (RuncConformanceIT with -Djruntime.conformance=full); `make test` runs the\n");
        sb.append("fast subset. Each configuration runs under runc and jruntime; see docs/CLI.md \"Differences from runc\" for\n");
        sb.append("the allow-list (rows marked `bug, issue 13 item N` are known bugs being fixed).\n\n");
        sb.append("| | |\n|---|---|\n");
        sb.append("| mode | ").append(full ? "full" : "fast subset").append(" |\n");
        sb.append("| configurations | ").append(configs).append(" |\n");
        sb.append("| identical | ").append(identical).append(" |\n");
        sb.append("| with allowed differences only | ").append(configs - identical - (int) failures.stream()
                .map(f -> f.substring(0, f.indexOf(" ["))).distinct().count()).append(" |\n");
        sb.append("| allowed differences (aspects) | ").append(allowedByKey.values().stream().mapToInt(Integer::intValue).sum()).append(" |\n");
        sb.append("| failures (unlisted differences) | ").append(failures.size()).append(" |\n");
        sb.append("| allow-list rows / of them known bugs | ").append(allow.rows().size()).append(" / ").append(bugRows).append(" |\n");
        sb.append("| wall time | ").append(took.toSeconds()).append(" s |\n\n");
        sb.append("Allowed differences by allow-list key:\n\n");
        allowedByKey.forEach((k, v) -> sb.append("* `").append(k).append("`: ").append(v).append('\n'));
        return sb.toString();
    }

    /** A compact line diff: lines only runc showed (-) and only jruntime showed (+). */
    static final class Diff {
        /** The differing lines, without their runc/jruntime prefix, for the allow-list's line patterns. */
        static List<String> lines(String runc, String jruntime) {
            return of(runc, jruntime).lines().map(l -> l.length() > 14 ? l.substring(14) : l).toList();
        }

        static String of(String runc, String jruntime) {
            List<String> a = runc.lines().toList();
            List<String> b = jruntime.lines().toList();
            StringBuilder sb = new StringBuilder();
            Map<String, Integer> count = new LinkedHashMap<>();
            for (String l : b) {
                count.merge(l, 1, Integer::sum);
            }
            for (String l : a) {
                Integer n = count.get(l);
                if (n == null || n == 0) {
                    sb.append("  - runc:     ").append(l).append('\n');
                } else {
                    count.put(l, n - 1);
                }
            }
            Map<String, Integer> countA = new LinkedHashMap<>();
            for (String l : a) {
                countA.merge(l, 1, Integer::sum);
            }
            for (String l : b) {
                Integer n = countA.get(l);
                if (n == null || n == 0) {
                    sb.append("  + jruntime: ").append(l).append('\n');
                } else {
                    countA.put(l, n - 1);
                }
            }
            if (sb.isEmpty()) {
                sb.append("  (same lines, different order)\n");
            }
            return sb.toString();
        }
    }
}
