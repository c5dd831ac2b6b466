package io.jruntime.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * jruntime as root inside a user namespace (the Podman-rootless / Docker-in-LXD situation): the unprivileged test
 * user makes a user namespace with `unshare --map-root-user --map-auto` (its own uid as 0, its /etc/subuid range
 * from 1, through newuidmap), and every jruntime command runs in it (`nsenter -U -t HOLDER`). jruntime then has euid 0,
 * so rootless EUID is false: a plain rootful `spec` config runs unchanged (namespaces, mounts, devices, hostname),
 * but the host's cgroups are not writable, and with --rootless=auto those errors are tolerated when no resources
 * were asked for.
 */
class RootInUserNamespaceIT extends RootlessTestBase {
    java.lang.Process holder;
    long holderPid;

    /** Work directory as the base makes it, then the namespace holder (`sleep` in a new user namespace). */
    @Override
    @BeforeEach
    void setUpWork() throws Exception {
        super.setUpWork();
        List<String> cmd = new ArrayList<>(user.as(null, null));
        cmd.addAll(List.of("unshare", "--map-root-user", "--map-auto", "sleep", "3600"));
        holder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("holder.log").toFile()).start();
        holderPid = holder.pid();
        for (int i = 0; i < 250; i++) {
            String map = Files.readString(Path.of("/proc/" + holderPid + "/uid_map")).trim().replaceAll("\\s+", " ");
            String comm = Files.readString(Path.of("/proc/" + holderPid + "/comm")).trim();
            if (comm.equals("sleep") && map.startsWith("0 " + user.uid + " 1")) {
                return;
            }
            Thread.sleep(20);
        }
        fail("user namespace holder did not come up: " + Files.readString(work.resolve("holder.log")));
    }

    @Override
    void beforeRemovingWork() throws Exception {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** jruntime as root in the holder's user namespace (USER=jrtest and XDG_RUNTIME_DIR set, no --root). */
    @Override
    List<String> launcherCommand() {
        return List.of("nsenter", "-U", "-t", Long.toString(holderPid), launcher.toString());
    }

    /** A rootful bundle: plain `jruntime spec`, run in the namespace. */
    @Override
    List<String> specCommand(Path bundleDir) {
        return List.of("spec", "--bundle", bundleDir.toString());
    }

    private static String norm(String l) {
        return l.trim().replaceAll("\\s+", " ");
    }

    @Test
    void rootfulConfigRunsAndCgroupErrorsAreWarnings() throws IOException {
        Path b = bundle("b", c -> { }, "sh", "-c",
                "cat /proc/self/uid_map; id -u; hostname; echo x > /dev/null && echo null-ok; "
                        + "test -c /dev/zero && echo zero-ok; grep -c . /proc/net/dev; exit 5");
        Jruntime.Result r = jr("run", "--bundle", b.toString(), "ns-run");
        assertEquals(5, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().map(RootInUserNamespaceIT::norm).toList();
        // no user namespace in the config: the container shares jruntime's (root = the test user)
        assertEquals("0 " + user.uid + " 1", lines.get(0));
        assertEquals("1 " + user.subuidStart, lines.get(1).substring(0, lines.get(1).lastIndexOf(' ')));
        assertEquals(List.of("0", "runc", "null-ok", "zero-ok", "3"), lines.subList(2, 7),
                "root, own uts namespace, devices bound from the host, own network namespace with just lo: " + r.stdout());
        assertTrue(r.stderr().contains("level=warning") && r.stderr().contains("rootless cgroups: cannot create cgroup"),
                r.stderr());
        assertFalse(r.stderr().contains("level=error"), r.stderr());
    }

    @Test
    void lifecycleAndStateLikeRootful() throws Exception {
        Path b = bundle("b", c -> { }, "sleep", "1000");
        String id = "ns-life";
        jr("create", "--bundle", b.toString(), id).assertOk();
        Path stateDir = xdg.resolve("jruntime").resolve(id);
        JsonNode st = Bundle.parse(Files.readString(stateDir.resolve("state.json")));
        assertFalse(st.path("rootlessEuid").asBoolean(), st.toString());
        assertTrue(st.path("rootlessCgroups").asBoolean(), st.toString());
        assertFalse(st.path("rootless").asBoolean(), "rootless = both: " + st);
        assertEquals("created", Bundle.parse(jr("state", id).assertOk().stdout()).path("status").asText());
        jr("start", id).assertOk();
        Jruntime.Result ex = jr("exec", id, "sh", "-c", "hostname; id -u");
        assertEquals(0, ex.exitCode(), ex.stderr());
        assertEquals(List.of("runc", "0"), ex.stdout().lines().toList());
        jr("kill", id, "KILL").assertOk();
        for (int i = 0; i < 250 && !Bundle.parse(jr("state", id).stdout()).path("status").asText().equals("stopped"); i++) {
            Thread.sleep(20);
        }
        assertEquals("stopped", Bundle.parse(jr("state", id).stdout()).path("status").asText());
        jr("delete", id).assertOk();
        assertFalse(Files.exists(stateDir));
    }

    @Test
    void requestedResourcesAndRootlessFalseAreErrors() throws IOException {
        Path limited = bundle("p", c -> ((ObjectNode) c.get("linux")).putObject("resources").putObject("pids").put("limit", 10),
                "true");
        Jruntime.Result r = jr("run", "--bundle", limited.toString(), "ns-p");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("linux.resources.pids.limit: cannot create cgroup"), r.stderr());

        Path plain = bundle("f", c -> { }, "true");
        r = jr("--rootless=false", "run", "--bundle", plain.toString(), "ns-f");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("cannot create cgroup") && !r.stderr().contains("level=warning"), r.stderr());
        assertEquals(0, jr("--rootless=true", "run", "--bundle", plain.toString(), "ns-t").exitCode());
        for (String id : List.of("ns-p", "ns-f", "ns-t")) {
            assertFalse(Files.exists(xdg.resolve("jruntime").resolve(id)), id + " cleaned up");
        }
    }

    /** runc 1.1.5's shouldHonorXDGRuntimeDir: as root in a user namespace, only USER=root refuses XDG_RUNTIME_DIR. */
    @Test
    void stateDirectoryFollowsRuncsXdgRule() throws IOException {
        Jruntime.Result r = jrEnv(xdg, "root", "list");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("root inside a user namespace") && r.stderr().contains("USER=root")
                && r.stderr().contains("--root"), r.stderr());
        r = jrEnv(null, RootlessUser.NAME, "list");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("XDG_RUNTIME_DIR is not set"), r.stderr());
        assertEquals(0, jrEnv(xdg, RootlessUser.NAME, "list").exitCode());
        // rootless Podman's environment: XDG_RUNTIME_DIR, no USER
        assertEquals(0, jrEnv(xdg, null, "list").exitCode());
        assertEquals(0, jrEnv(xdg, "", "list").exitCode());
    }
}
