package io.jruntime.bundles.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.ContainerTestBase;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Host-side policy holes of issue 11, performed as attacks and compared with runc 1.1.5 on the same bundle:
 * <ul>
 *   <li>hole 4 (CWE-276, world-readable secrets): a local user reads process.env from the state directory;</li>
 *   <li>hole 8 (CWE-284, device cgroup wider than configured): a container writes /dev/kmsg that linux.devices
 *       only created, while linux.resources.devices denies everything;</li>
 *   <li>hole 9 (requested protection ignored): {@code exec --cgroup} accepted and not applied.</li>
 * </ul>
 */
class HostPolicyEscapeIT extends ContainerTestBase {
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24, 1 << 30));

    private Jruntime runc() {
        if (!Files.isExecutable(RUNC)) {
            fail("runc 1.1.5 is missing at " + RUNC + ": run `make deps`");
        }
        return new Jruntime(RUNC, work.resolve("state-runc"));
    }

    /** Runs a command as nobody (uid/gid 65534, no supplementary groups): the local user of the threat model. */
    private static Jruntime.Result asNobody(String... cmd) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        c.addAll(List.of(cmd));
        return Jruntime.exec(c, null, 30);
    }

    private static ObjectNode process(ObjectNode config) {
        return (ObjectNode) config.path("process");
    }

    @Test
    void stateDirectoryIsUnreadableForOtherLocalUsers() throws IOException {
        // The work directory is root's 0700 temp dir; open it for traversal so only the state roots' own modes
        // stand between a local user and the secrets.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Bundle b = bundle("bundle", "sleep", "1000").edit(c -> {
            ((ArrayNode) process(c).path("env")).add("SECRET=hunter2");
            process(c).putObject("user").put("uid", 1000).put("gid", 1000);
        });
        Jruntime runc = runc();
        // One id per runtime: with the same id both would share the default cgroup (/<id>), and whichever deleted
        // second left it behind in every hierarchy.
        Map<Jruntime, String> ids = Map.of(runc, id(tag + "-runc"), jr, id(tag));
        try {
            for (Jruntime rt : List.of(runc, jr)) {
                rt.run(b.dir(), 60, "create", ids.get(rt)).assertOk();
                Path dir = rt.root().resolve(ids.get(rt));
                for (Path f : List.of(rt.root(), dir, dir.resolve("state.json"), dir.resolve("config.json"))) {
                    Jruntime.Result r = asNobody("cat", f.toString());
                    assertNotEquals(0, r.exitCode(), rt.root() + ": nobody read " + f + ": " + r.stdout());
                    assertFalse(r.stdout().contains("hunter2"));
                }
                Jruntime.Result ls = asNobody("ls", "-la", rt.root().toString(), dir.toString());
                assertNotEquals(0, ls.exitCode(), "nobody listed " + rt.root() + ": " + ls.stdout());
            }
            // jruntime: the root, every container directory and every file in it private to the owner.
            try (Stream<Path> walk = Files.walk(jr.root())) {
                for (Path p : walk.toList()) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    perms.retainAll(GROUP_OR_OTHER);
                    assertEquals(Set.of(), perms, p + " is " + PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
                }
            }
            // The private directories do not stop the container's own user (1000) from being started.
            for (Jruntime rt : List.of(runc, jr)) {
                rt.run("start", ids.get(rt)).assertOk();
                assertEquals("running", Bundle.parse(rt.run("state", ids.get(rt)).assertOk().stdout()).path("status").asText());
            }
        } finally {
            runc.run("delete", "--force", ids.get(runc));
            jr.run("delete", "--force", ids.get(jr));
        }
    }

    @Test
    void privateStateDirectoryStillStartsAUserNamespaceContainer() throws IOException {
        // the bundle must be reachable for the mapped root (the temp work directory is root's 0700)
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        // The init opens the exec fifo before it enters the user namespace, and the fifo belongs to the host uid
        // the process runs as: a 0700 root-owned state directory must not stop a mapped container from starting.
        Bundle b = bundle("bundle", "sleep", "1000").edit(c -> {
            ObjectNode linux = (ObjectNode) c.path("linux");
            ((ArrayNode) linux.path("namespaces")).addObject().put("type", "user");
            linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
            process(c).putObject("user").put("uid", 1000).put("gid", 1000);
        });
        String id = id(tag);
        jr.run(b.dir(), 60, "create", id).assertOk();
        try {
            Path fifo = jr.root().resolve(id).resolve("exec.fifo");
            assertEquals(101000, (int) Files.getAttribute(fifo, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo, LinkOption.NOFOLLOW_LINKS)));
            jr.run("start", id).assertOk();
            assertEquals("running", Bundle.parse(jr.run("state", id).assertOk().stdout()).path("status").asText());
        } finally {
            jr.run("delete", "--force", id);
        }
    }

    /** The devices.list lines of a container cgroup, sorted (runc and jruntime write them in different orders). */
    private static List<String> devicesList(String cgroupsPath) throws IOException {
        return Files.readAllLines(CGROUP.resolve("devices").resolve(cgroupsPath.substring(1)).resolve("devices.list"))
                .stream().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void deviceNodeCreatedByLinuxDevicesIsNotAllowedByTheDeviceCgroup() throws IOException {
        if (!Files.isDirectory(CGROUP.resolve("devices"))) {
            fail("this test compares cgroup v1 devices.list files; the host has no v1 devices hierarchy");
        }
        Jruntime runc = runc();
        List<List<String>> lists = new ArrayList<>();
        for (Jruntime rt : List.of(runc, jr)) {
            String name = rt == jr ? "jruntime" : "runc";
            String cg = "/hostpolicy-" + tag + "-" + name;
            String id = id(name);
            Bundle b = bundle("bundle-" + name, "sleep", "1000").edit(c -> {
                ObjectNode linux = (ObjectNode) c.path("linux");
                linux.putArray("devices").addObject().put("path", "/dev/kmsg").put("type", "c").put("major", 1)
                        .put("minor", 11).put("fileMode", 438).put("uid", 0).put("gid", 0);
                ((ObjectNode) linux.path("resources")).putArray("devices").addObject().put("allow", false).put("access", "rwm");
                linux.put("cgroupsPath", cg);
            });
            try {
                rt.run(b.dir(), 60, "run", "-d", id).assertOk();
                lists.add(devicesList(cg));
                assertEquals(0, rt.run("exec", id, "test", "-c", "/dev/kmsg").exitCode(), name + ": /dev/kmsg node was created");
                Jruntime.Result w = rt.run("exec", id, "sh", "-c", "echo hostpolicy-attack > /dev/kmsg");
                assertNotEquals(0, w.exitCode(), name + ": writing /dev/kmsg must be denied by the device cgroup");
                assertTrue(w.stderr().contains("Operation not permitted"), name + ": " + w.stderr());
            } finally {
                rt.run("delete", "--force", id);
            }
        }
        assertEquals(lists.get(0), lists.get(1), "devices.list: runc 1.1.5 vs jruntime");
        assertFalse(lists.get(1).contains("c 1:11 rwm"));
        assertTrue(lists.get(1).contains("c 10:200 rwm"), "runc 1.1.5's default list has /dev/net/tun");
    }

    /** The directory of a container's cgroup in the v1 memory hierarchy (or the v2 tree). */
    private static Path memoryDir(String cgroupsPath) {
        Path v1 = CGROUP.resolve("memory");
        return (Files.isDirectory(v1) ? v1 : CGROUP).resolve(cgroupsPath.substring(1));
    }

    @Test
    void execCgroupPlacesTheProcessAndRefusesEscapes() throws IOException {
        Jruntime runc = runc();
        boolean v1 = Files.isDirectory(CGROUP.resolve("memory"));
        for (Jruntime rt : List.of(runc, jr)) {
            String name = rt == jr ? "jruntime" : "runc";
            String cg = "/hostpolicy-" + tag + "-" + name;
            String id = id(name);
            Bundle b = bundle("bundle-" + name, "sleep", "1000").edit(c -> ((ObjectNode) c.path("linux")).put("cgroupsPath", cg));
            Path sub = memoryDir(cg).resolve("sub");
            try {
                rt.run(b.dir(), 60, "run", "-d", id).assertOk();
                Files.createDirectory(sub);
                Jruntime.Result in = rt.run("exec", "--cgroup", (v1 ? "memory:" : "") + "sub", id, "cat", "/proc/self/cgroup");
                in.assertOk();
                String want = (v1 ? ":memory:" : "0::") + cg + "/sub";
                assertTrue(in.stdout().lines().anyMatch(l -> l.endsWith(want)), name + ": want a line ending " + want
                        + " in " + in.stdout());
                Jruntime.Result bogus = rt.run("exec", "--cgroup", "bogus:/", id, "true");
                assertEquals(255, bogus.exitCode(), name);
                assertTrue(bogus.stderr().contains("unknown controller bogus in SubCgroupPaths"), name + ": " + bogus.stderr());
                for (String escape : List.of("..", (v1 ? "memory:" : "") + "../..")) {
                    Jruntime.Result up = rt.run("exec", "--cgroup", escape, id, "cat", "/proc/self/cgroup");
                    assertEquals(255, up.exitCode(), name + " --cgroup " + escape + ": " + up.stdout());
                    assertTrue(up.stderr().contains("is not a sub cgroup path"), name + ": " + up.stderr());
                }
                Jruntime.Result twoPlain = rt.run("exec", "--cgroup", "a", "--cgroup", "b", id, "true");
                assertEquals(255, twoPlain.exitCode(), name);
                assertTrue(twoPlain.stderr().contains("invalid --cgroup argument: a (missing <controller>: prefix)"),
                        name + ": " + twoPlain.stderr());
            } finally {
                // the foreground execs have exited, so the sub-cgroup is empty again
                Files.deleteIfExists(sub);
                rt.run("delete", "--force", id);
            }
        }
    }
}
