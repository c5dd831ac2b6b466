package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rootless EUID: jruntime run by the unprivileged user {@value RootlessUser#NAME}, with no --root (so the state
 * directory is $XDG_RUNTIME_DIR/jruntime), on bundles made by `spec --rootless` as that user.
 */
class RootlessIT extends RootlessTestBase {
    @Test
    void specRootlessIsForTheCallingUser() throws IOException {
        Path b = bundle("b", c -> { }, "true");
        JsonNode c = Bundle.parse(Files.readString(b.resolve("config.json")));
        List<String> ns = new ArrayList<>();
        c.path("linux").path("namespaces").forEach(n -> ns.add(n.path("type").asText()));
        assertTrue(ns.contains("user"), ns.toString());
        assertFalse(ns.contains("network"), ns.toString());
        assertEquals(user.uid, c.path("linux").path("uidMappings").get(0).path("hostID").asInt());
        assertEquals(1, c.path("linux").path("uidMappings").get(0).path("size").asInt());
        assertEquals(user.gid, c.path("linux").path("gidMappings").get(0).path("hostID").asInt());
        assertTrue(c.path("linux").path("resources").isMissingNode() || c.path("linux").path("resources").isNull(),
                c.path("linux").toString());
        boolean sysBind = false;
        for (JsonNode m : c.path("mounts")) {
            if (m.path("destination").asText().equals("/sys")) {
                sysBind = m.path("options").toString().contains("rbind") && !m.path("type").asText().equals("sysfs");
            }
        }
        assertTrue(sysBind, "/sys is a bind of the host's, not a new sysfs: " + c.path("mounts"));
    }

    @Test
    void runShowsTheCallersIdsMappedToRoot() throws IOException {
        Path b = bundle("b", c -> { }, "sh", "-c",
                "cat /proc/self/uid_map /proc/self/gid_map; cat /proc/self/setgroups; id -u; ls /sys/kernel >/dev/null && echo sys-ok; exit 3");
        Jruntime.Result r = jr("run", "--bundle", b.toString(), "rl-run");
        assertEquals(3, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 " + user.uid + " 1", "0 " + user.gid + " 1", "deny", "0", "sys-ok"), lines, r.stderr());
        // cgroups cannot be made by this user: warnings, not errors (no resources were requested)
        assertTrue(r.stderr().contains("rootless cgroups:") && r.stderr().contains("level=warning"), r.stderr());
        assertFalse(Files.exists(xdg.resolve("jruntime/rl-run")), "run removed the container");
    }

    @Test
    void createStartStateExecKillDelete() throws Exception {
        Path b = bundle("b", c -> { }, "sleep", "1000");
        String id = "rl-life";
        Jruntime.Result cr = jr("create", "--bundle", b.toString(), id);
        assertEquals(0, cr.exitCode(), cr.stderr());
        assertEquals("created", status(id));
        Path stateDir = xdg.resolve("jruntime").resolve(id);
        assertTrue(Files.isRegularFile(stateDir.resolve("state.json")), "state under $XDG_RUNTIME_DIR/jruntime");
        assertEquals(user.uid, (Integer) Files.getAttribute(stateDir, "unix:uid"));
        JsonNode st = stateFile(id);
        assertTrue(st.path("rootlessEuid").asBoolean() && st.path("rootlessCgroups").asBoolean()
                && st.path("rootless").asBoolean(), st.toString());
        jr("start", id).assertOk();
        awaitStatus(id, "running");
        int pid = Bundle.parse(jr("state", id).stdout()).path("pid").asInt();
        assertEquals(String.valueOf(user.uid), Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1], "init runs as the user on the host");

        Jruntime.Result ex = jr("exec", id, "sh", "-c", "cat /proc/self/uid_map; id -u; readlink /proc/self/ns/user");
        assertEquals(0, ex.exitCode(), ex.stderr());
        List<String> lines = ex.stdout().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals("0 " + user.uid + " 1", lines.get(0));
        assertEquals("0", lines.get(1));
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/user")).toString(), lines.get(2));
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString(), lines.get(2));
        assertEquals(7, jr("exec", id, "sh", "-c", "exit 7").exitCode());

        jr("kill", id, "KILL").assertOk();
        awaitStatus(id, "stopped");
        jr("delete", id).assertOk();
        assertFalse(Files.exists(stateDir));
        assertEquals(1, jr("state", id).exitCode());
    }

    @Test
    void subordinateIdsGoThroughNewuidmapAndAllowGroups() throws IOException {
        Path b = bundle("b", c -> {
            ObjectNode l = (ObjectNode) c.get("linux");
            ArrayNode u = l.putArray("uidMappings");
            u.addObject().put("containerID", 0).put("hostID", user.uid).put("size", 1);
            u.addObject().put("containerID", 1).put("hostID", user.subuidStart).put("size", Math.min(65536, user.subuidCount));
            ArrayNode g = l.putArray("gidMappings");
            g.addObject().put("containerID", 0).put("hostID", user.gid).put("size", 1);
            g.addObject().put("containerID", 1).put("hostID", user.subgidStart).put("size", Math.min(65536, user.subgidCount));
            ((ObjectNode) c.path("process").path("user")).putArray("additionalGids").add(5);
        }, "sh", "-c", "cat /proc/self/uid_map; cat /proc/self/setgroups; grep ^Groups: /proc/self/status; sleep 1000");
        String id = "rl-sub";
        jr("run", "-d", "--bundle", b.toString(), id).assertOk();
        Jruntime.Result ex = jr("exec", "--user", "1000:1000", id, "sh", "-c", "id -u; id -g; touch /tmp/x; stat -c %u /tmp/x");
        assertEquals(0, ex.exitCode(), ex.stderr());
        assertEquals(List.of("1000", "1000", "1000"), ex.stdout().lines().toList());
        int pid = Bundle.parse(jr("state", id).stdout()).path("pid").asInt();
        List<String> map = Files.readAllLines(Path.of("/proc/" + pid + "/uid_map")).stream()
                .map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 " + user.uid + " 1", "1 " + user.subuidStart + " " + Math.min(65536, user.subuidCount)), map);
        assertEquals("allow", Files.readString(Path.of("/proc/" + pid + "/setgroups")).trim());
        // container gid 5 is subordinate gid start+4 seen from the host
        String groups = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Groups:"))
                .findFirst().orElseThrow();
        assertEquals("Groups: " + (user.subgidStart + 4), groups.trim().replaceAll("\\s+", " "), "supplementary group 5 set");
        // the file made by container uid 1000 belongs to subordinate uid start+999 on the host
        assertEquals(user.subuidStart + 999, ((Number) Files.getAttribute(b.resolve("rootfs/tmp/x"), "unix:uid")).longValue());
        jr("delete", "--force", id).assertOk();
    }

    @Test
    void rootOnlyThingsAreRefusedWithTheField() throws IOException {
        Path noUserns = bundle("a", c -> {
            ((ObjectNode) c.get("linux")).remove(List.of("uidMappings", "gidMappings"));
            ArrayNode ns = ((ObjectNode) c.get("linux")).putArray("namespaces");
            for (String t : List.of("pid", "ipc", "uts", "mount")) {
                ns.addObject().put("type", t);
            }
        }, "true");
        Jruntime.Result r = jr("run", "--bundle", noUserns.toString(), "rl-a");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("linux.namespaces: rootless container") && r.stderr().contains("requires a user namespace"),
                r.stderr());

        Path groups = bundle("g", c -> ((ObjectNode) c.path("process").path("user")).putArray("additionalGids").add(5), "true");
        r = jr("run", "--bundle", groups.toString(), "rl-g");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("process.user.additionalGids:") && r.stderr().contains("newgidmap"), r.stderr());

        Path limited = bundle("p", c -> ((ObjectNode) c.get("linux")).putObject("resources").putObject("pids").put("limit", 10),
                "true");
        r = jr("run", "--bundle", limited.toString(), "rl-p");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("linux.resources.pids.limit: cannot create cgroup"), r.stderr());

        for (String id : List.of("rl-a", "rl-g", "rl-p")) {
            assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), id + " cleaned up");
        }
    }

    @Test
    void withoutXdgRuntimeDirTheUserMustGiveRoot() throws IOException {
        Jruntime.Result r = jrEnv(null, RootlessUser.NAME, "list");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("XDG_RUNTIME_DIR is not set") && r.stderr().contains("--root"), r.stderr());
        // commands that keep no state still work
        assertEquals(0, jrEnv(null, RootlessUser.NAME, "features").exitCode());
        Path own = user.ownedDir(work.resolve("own-root"));
        assertEquals(0, jrEnv(null, RootlessUser.NAME, "--root", own.toString(), "list").exitCode());
    }
}
