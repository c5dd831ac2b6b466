package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 item 21: every claim of {@code jruntime features} is checked against what jruntime then does on this
 * host. A listed mount option is accepted and has its effect; the checkpoint annotation matches a real checkpoint;
 * the listed namespaces, capabilities, seccomp actions and flags are all accepted together; the cgroup claims
 * match where the container's cgroups are.
 */
class FeaturesIT extends ContainerTestBase {
    private JsonNode features() {
        return Bundle.parse(jr.run("features").assertOk().stdout());
    }

    private static List<String> strings(JsonNode a) {
        List<String> l = new ArrayList<>();
        a.forEach(e -> l.add(e.asText()));
        return l;
    }

    /** A mountinfo line split into what options can change: per-mount options, optional fields, super options. */
    record MountLine(List<String> mountOpts, String optional, List<String> superOpts) {
        static MountLine parse(String line) {
            int dash = line.indexOf(" - ");
            String[] l = line.substring(0, dash).split(" ");
            String[] r = line.substring(dash + 3).split(" ");
            StringBuilder opt = new StringBuilder();
            for (int i = 6; i < l.length; i++) {
                opt.append(l[i]).append(' ');
            }
            return new MountLine(List.of(l[5].split(",")), opt.toString(), List.of(r.length > 2 ? r[2].split(",") : new String[0]));
        }
    }

    /** What each option visibly does to a fresh mount; options absent here are checked for acceptance only. */
    private static final Map<String, Predicate<MountLine>> EFFECT = Map.ofEntries(
            Map.entry("ro", m -> m.mountOpts().contains("ro")),
            Map.entry("rw", m -> m.mountOpts().contains("rw")),
            Map.entry("nosuid", m -> m.mountOpts().contains("nosuid")),
            Map.entry("suid", m -> !m.mountOpts().contains("nosuid")),
            Map.entry("nodev", m -> m.mountOpts().contains("nodev")),
            Map.entry("dev", m -> !m.mountOpts().contains("nodev")),
            Map.entry("noexec", m -> m.mountOpts().contains("noexec")),
            Map.entry("exec", m -> !m.mountOpts().contains("noexec")),
            Map.entry("noatime", m -> m.mountOpts().contains("noatime")),
            Map.entry("atime", m -> !m.mountOpts().contains("noatime")),
            Map.entry("relatime", m -> m.mountOpts().contains("relatime")),
            Map.entry("strictatime", m -> !m.mountOpts().contains("relatime") && !m.mountOpts().contains("noatime")),
            Map.entry("nodiratime", m -> m.mountOpts().contains("nodiratime")),
            Map.entry("diratime", m -> !m.mountOpts().contains("nodiratime")),
            Map.entry("sync", m -> m.superOpts().contains("sync") || m.mountOpts().contains("sync")),
            Map.entry("dirsync", m -> m.superOpts().contains("dirsync") || m.mountOpts().contains("dirsync")),
            Map.entry("lazytime", m -> m.superOpts().contains("lazytime") || m.mountOpts().contains("lazytime")),
            Map.entry("shared", m -> m.optional().contains("shared:")),
            Map.entry("rshared", m -> m.optional().contains("shared:")),
            Map.entry("private", m -> m.optional().isBlank()),
            Map.entry("rprivate", m -> m.optional().isBlank()),
            Map.entry("unbindable", m -> m.optional().contains("unbindable")),
            Map.entry("runbindable", m -> m.optional().contains("unbindable")));

    @Test
    void everyListedMountOptionIsAcceptedAndHasItsEffect() throws Exception {
        List<String> listed = strings(features().path("mountOptions"));
        assertTrue(listed.contains("rbind") && listed.contains("ro"), listed.toString());
        // idmap/ridmap need a bind mount in a user-namespace container: MountsIT#idmapBindMountShowsFilesOwnedAsMapped
        // remount on a bind mount is refused, as runc 1.1.5 refuses it (bindWithRemountIsRefusedAsRunc below)
        List<String> options = listed.stream()
                .filter(o -> !o.equals("idmap") && !o.equals("ridmap") && !o.equals("remount")).toList();
        Path src = work.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("marker"), "bound");
        Bundle b = bundle("b", "cat", "/proc/self/mountinfo");
        b.edit(c -> {
            ArrayNode mounts = (ArrayNode) c.path("mounts");
            for (int i = 0; i < options.size(); i++) {
                String o = options.get(i);
                boolean bindish = o.equals("bind") || o.equals("rbind");
                ObjectNode m = mounts.addObject().put("destination", "/m/" + i);
                if (bindish) {
                    m.put("type", "bind").put("source", src.toString());
                    ArrayNode opts = m.putArray("options");
                    opts.add(o);
                } else {
                    m.put("type", "tmpfs").put("source", "tmpfs").putArray("options").add(o);
                }
            }
        });
        Jruntime.Result r = jr.run(b.dir(), 120, "run", id("m"));
        assertEquals(0, r.exitCode(), "every listed mount option together: " + r.stderr());
        List<String> acceptedOnly = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            String dest = "/m/" + i;
            String line = r.stdout().lines().filter(l -> l.split(" ")[4].equals(dest)).reduce((x, y) -> y)
                    .orElseThrow(() -> new AssertionError("no mount at " + dest + " for option " + o));
            MountLine m = MountLine.parse(line);
            Predicate<MountLine> effect = EFFECT.get(o);
            if (effect != null) {
                assertTrue(effect.test(m), "mount option " + o + " has no visible effect: " + line);
            } else {
                acceptedOnly.add(o);
            }
        }
        System.out.println("mount options with no effect visible in mountinfo (accepted): " + acceptedOnly);
        // the bind options really bind: the marker file is there
        int bind = options.indexOf("bind");
        Bundle cat = bundle("cat", "cat", "/m/" + bind + "/marker");
        cat.edit(c -> ((ArrayNode) c.path("mounts")).addObject().put("destination", "/m/" + bind).put("type", "bind")
                .put("source", src.toString()).putArray("options").add("bind"));
        assertEquals("bound", jr.run(cat.dir(), 60, "run", id("cat")).assertOk().stdout());
    }

    @Test
    void checkpointClaimMatchesARealCheckpoint() throws Exception {
        JsonNode f = features();
        boolean claimed = f.path("annotations").path("io.jruntime.checkpoint.enabled").asText().equals("true");
        Bundle b = bundle("b", "sleep", "1000");
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        awaitStatus(id("c"), "running", 10_000);
        Jruntime.Result r = jr.run(null, 120, "checkpoint", "--leave-running", "--image-path",
                work.resolve("images").toString(), id("c"));
        assertEquals(claimed, r.exitCode() == 0, "features says checkpoint " + claimed + "; checkpoint: " + r.stderr());
        if (claimed) {
            assertTrue(Files.exists(work.resolve("images/inventory.img")));
            String criu = Jruntime.exec(List.of("/usr/local/sbin/criu", "--version"), null, 30).stdout();
            assertTrue(criu.contains(f.path("annotations").path("io.jruntime.criu.version").asText()), criu);
        }
    }

    @Test
    void listedNamespacesCapabilitiesAndSeccompAreAllAccepted() throws Exception {
        JsonNode f = features();
        JsonNode linux = f.path("linux");
        List<String> namespaces = strings(linux.path("namespaces"));
        List<String> caps = strings(linux.path("capabilities"));
        List<String> actions = strings(linux.path("seccomp").path("actions"));
        List<String> flags = strings(linux.path("seccomp").path("supportedFlags"));
        Bundle b = bundle("b", "sh", "-c", "grep -E '^(CapBnd|Seccomp):' /proc/self/status; for n in /proc/self/ns/*; do "
                + "echo \"$n $(readlink $n)\"; done");
        Jruntime.exec(List.of("chown", "-R", "-h", "100000:100000", b.dir().resolve("rootfs").toString()), null, 60).assertOk();
        // the state directory must be reachable from inside the user namespace (a 0700 parent: conformance allow-list row
        // userns-root-only-state, issue 13 item 13); this test is about the features claims
        Jruntime.exec(List.of("chmod", "0711", work.toString()), null, 10).assertOk();
        b.edit(c -> {
            ObjectNode l = (ObjectNode) c.path("linux");
            ArrayNode ns = l.putArray("namespaces");
            namespaces.forEach(n -> ns.addObject().put("type", n));
            if (namespaces.contains("user")) {
                l.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
                l.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            }
            ObjectNode capsNode = ((ObjectNode) c.path("process")).putObject("capabilities");
            for (String set : List.of("bounding", "permitted", "effective")) {
                ArrayNode a = capsNode.putArray(set);
                caps.forEach(a::add);
            }
            ObjectNode s = l.putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
            ArrayNode fl = s.putArray("flags");
            flags.stream().filter(x -> !x.equals("SECCOMP_FILTER_FLAG_NEW_LISTENER")
                    && !x.equals("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") && !x.equals("SECCOMP_FILTER_FLAG_TSYNC_ESRCH"))
                    .forEach(fl::add);
            // each action on a syscall the shell never makes (SeccompNotifyIT covers NOTIFY with an agent)
            List<String> unused = List.of("acct", "add_key", "bpf", "kexec_load", "lookup_dcookie", "quotactl", "swapon",
                    "swapoff", "syslog", "uselib", "vhangup");
            ArrayNode rules = s.putArray("syscalls");
            int i = 0;
            for (String a : actions) {
                if (a.equals("SCMP_ACT_NOTIFY")) {
                    continue;
                }
                rules.addObject().put("action", a).putArray("names").add(unused.get(i++));
            }
        });
        Jruntime.Result r = jr.run(b.dir(), 120, "run", id("all"));
        assertEquals(0, r.exitCode(), "every listed namespace, capability, seccomp action and flag together: " + r.stderr());
        long mask = caps.size() == 64 ? -1L : (1L << caps.size()) - 1;
        assertTrue(r.stdout().contains(String.format("CapBnd:\t%016x", mask)), "all listed capabilities: " + r.stdout());
        assertTrue(r.stdout().contains("Seccomp:\t2"), r.stdout());
        for (String n : namespaces) {
            String proc = Map.of("mount", "mnt", "network", "net").getOrDefault(n, n);
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns/" + proc)).toString();
            String line = r.stdout().lines().filter(l -> l.startsWith("/proc/self/ns/" + proc + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + proc + " namespace in the container: " + r.stdout()));
            assertNotEquals("/proc/self/ns/" + proc + " " + host, line, "namespace " + n + " is new");
        }
    }

    @Test
    void cgroupClaimsMatchWhereTheContainerIs() throws Exception {
        JsonNode cg = features().path("linux").path("cgroup");
        Bundle b = bundle("b", "sleep", "1000");
        jr.runWithNullStdio("run", "-d", "--bundle", b.dir().toString(), id("c")).assertOk();
        int pid = Bundle.parse(jr.run("state", id("c")).assertOk().stdout()).path("pid").asInt();
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
        boolean v2 = lines.stream().anyMatch(l -> l.startsWith("0::") && l.contains(id("c")));
        boolean v1 = lines.stream().anyMatch(l -> !l.startsWith("0::") && !l.contains("name=") && l.contains(id("c")));
        assertEquals(cg.path("v2").asBoolean(), v2, "cgroup v2 claim vs " + lines);
        assertEquals(cg.path("v1").asBoolean(), v1, "cgroup v1 claim vs " + lines);
        boolean rdma = Files.readString(Path.of("/proc/cgroups")).lines().anyMatch(l -> l.startsWith("rdma\t"));
        assertEquals(rdma, cg.path("rdma").asBoolean(), "rdma claimed only with an rdma controller");
        jr.run("delete", "--force", id("c")).assertOk();
    }
}
