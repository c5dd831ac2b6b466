package io.jruntime.bundles.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.ContainerTestBase;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process setup by the init helper behaves as runc 1.1.5 does where a container can tell (issue 13 items 0, 7, 8,
 * 10, 11; issue 14 item 5): each bundle runs under both and the results are compared.
 */
class ProcessEscapeConformanceIT extends ContainerTestBase {

    /** Runs the same bundle under runc and jruntime (foreground `run`); returns {runc, jruntime}. */
    private Jruntime.Result[] both(String name, Consumer<ObjectNode> edit, String... args) throws Exception {
        Jruntime runc = ProcessEscapeRunc.at(work.resolve("runc-state"));
        Jruntime.Result[] out = new Jruntime.Result[2];
        try {
            int i = 0;
            for (Jruntime rt : new Jruntime[] {runc, jr}) {
                String tag = rt == runc ? "runc" : "jr";
                Bundle b = Bundle.create(work.resolve(tag + "-" + name), jr, args);
                b.edit(edit);
                prepare(b);
                out[i++] = rt.run(b.dir(), 60, "run", id(name + "-" + tag));
                rt.run("delete", "--force", id(name + "-" + tag));
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
        return out;
    }

    /** Hook for tests that change the rootfs after the bundle is made. */
    private java.util.function.Consumer<Bundle> prepare = b -> { };

    private void prepare(Bundle b) throws Exception {
        prepare.accept(b);
    }

    private static void assertSame(Jruntime.Result[] r) {
        assertEquals(r[0].exitCode(), r[1].exitCode(), "exit code; runc: " + r[0] + "\njruntime: " + r[1]);
        assertEquals(r[0].stdout(), r[1].stdout(), "stdout; runc: " + r[0] + "\njruntime: " + r[1]);
    }

    /**
     * Issue 13 item 0: a profile without noNewPrivileges that denies what the helper used to call after loading it
     * (close_range, sendmsg/recvmsg on the sync socket, openat2, fchdir...) must not break create: the filter is the
     * last step before execve. runc runs it too.
     */
    @Test
    void seccompWithoutNoNewPrivsDenyingHelperSyscalls() throws Exception {
        Jruntime.Result[] r = both("sc", c -> {
            ((ObjectNode) c.path("process")).put("noNewPrivileges", false);
            ObjectNode sc = ((ObjectNode) c.path("linux")).putObject("seccomp");
            sc.put("defaultAction", "SCMP_ACT_ALLOW");
            sc.putArray("architectures").add("SCMP_ARCH_X86_64");
            ObjectNode rule = sc.putArray("syscalls").addObject();
            ArrayNode names = rule.putArray("names");
            for (String n : new String[] {"close_range", "sendmsg", "recvmsg", "sendto", "recvfrom", "openat2", "fchdir",
                    "mount", "umount2", "pivot_root", "setns", "unshare"}) {
                names.add(n);
            }
            rule.put("action", "SCMP_ACT_ERRNO");
        }, "sh", "-c", "echo ran; grep Seccomp: /proc/self/status");
        assertSame(r);
        assertEquals(0, r[1].exitCode(), r[1].toString());
        assertTrue(r[1].stdout().contains("Seccomp:\t2"), r[1].toString());
    }

    /** Issue 13 item 11: exec into a container with a cgroup namespace works (all ns fds opened before the first setns). */
    @Test
    void execIntoContainerWithCgroupNamespace() throws Exception {
        Jruntime runc = ProcessEscapeRunc.at(work.resolve("runc-state"));
        String[] seen = new String[2];
        try {
            int i = 0;
            for (Jruntime rt : new Jruntime[] {runc, jr}) {
                String tag = rt == runc ? "runc" : "jr";
                Bundle b = Bundle.create(work.resolve(tag), jr, "sh", "-c", "touch /tmp/ready; exec sleep 1000");
                b.edit(c -> ((ArrayNode) c.path("linux").path("namespaces")).addObject().put("type", "cgroup"));
                String id = id(tag);
                rt.run(b.dir(), 60, "run", "-d", id).assertOk();
                ProcessEscapeRunc.awaitFile(b.dir().resolve("rootfs/tmp/ready"));
                Jruntime.Result r = rt.run("exec", id, "cat", "/proc/self/cgroup");
                rt.run("delete", "--force", id);
                assertEquals(0, r.exitCode(), tag + ": " + r);
                seen[i++] = r.stdout();
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
        assertEquals(seen[0], seen[1], "the exec'd process's view of its cgroup");
    }

    /** Issue 13 item 11, time namespace (runc 1.1.5 has none): exec into a container with one works too. */
    @Test
    void execIntoContainerWithTimeNamespace() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "touch /tmp/ready; exec sleep 1000");
        b.edit(c -> {
            ((ArrayNode) c.path("linux").path("namespaces")).addObject().put("type", "time");
            ((ObjectNode) c.path("linux")).putObject("timeOffsets").putObject("boottime").put("secs", 86400 * 365);
        });
        String id = id("c");
        jr.run(b.dir(), 60, "run", "-d", id).assertOk();
        ProcessEscapeRunc.awaitFile(b.dir().resolve("rootfs/tmp/ready"));
        Jruntime.Result r = jr.run("exec", id, "cat", "/proc/uptime").assertOk();
        double uptime = Double.parseDouble(r.stdout().trim().split(" ")[0]);
        assertTrue(uptime >= 86400 * 365, "the exec'd process must be in the container's time namespace: " + r);
        jr.run("delete", "--force", id).assertOk();
    }

    /** Issue 13 item 10 (helper part): createContainer hooks run with the container's rootfs as cwd, as in runc. */
    @Test
    void createContainerHookRunsInTheRootfs() throws Exception {
        Jruntime runc = ProcessEscapeRunc.at(work.resolve("runc-state"));
        try {
            for (Jruntime rt : new Jruntime[] {runc, jr}) {
                String tag = rt == runc ? "runc" : "jr";
                Path log = work.resolve(tag + ".pwd");
                Bundle b = Bundle.create(work.resolve(tag), jr, "true");
                b.edit(c -> {
                    ObjectNode h = ((ObjectNode) c).putObject("hooks").putArray("createContainer").addObject();
                    h.put("path", "/bin/busybox");
                    h.putArray("args").add("busybox").add("sh").add("-c").add("pwd -P > " + log);
                });
                rt.run(b.dir(), 60, "run", id(tag)).assertOk();
                rt.run("delete", "--force", id(tag));
                assertEquals(b.dir().resolve("rootfs").toRealPath().toString(), Files.readString(log).trim(), tag);
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
    }

    /** Issue 13 item 7: a missing cwd is created inside the rootfs, even with a read-only root (before the remount). */
    @Test
    void missingCwdIsCreated() throws Exception {
        Jruntime.Result[] r = both("cwd", c -> {
            ((ObjectNode) c.path("process")).put("cwd", "/does/not/exist");
            ((ObjectNode) c.path("root")).put("readonly", true);
        }, "pwd");
        assertSame(r);
        assertEquals("/does/not/exist", r[1].stdout().trim(), r[1].toString());
    }

    /** Issue 13 item 8: a cwd only root can enter works for a non-root user (chdir before the user switch). */
    @Test
    void cwdOnlyRootCanEnterWorksForAnotherUser() throws Exception {
        prepare = b -> {
            try {
                Files.setPosixFilePermissions(b.dir().resolve("rootfs/root"),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Jruntime.Result[] r = both("rootcwd", c -> {
            ObjectNode p = (ObjectNode) c.path("process");
            p.put("cwd", "/root");
            p.putObject("user").put("uid", 42).put("gid", 42);
        }, "sh", "-c", "pwd; id -u");
        assertSame(r);
        assertEquals("/root\n42", r[1].stdout().trim(), r[1].toString());
    }

    /**
     * Issue 14 item 5 (helper part): when jruntime aborts a create (here: a failing prestart hook), the helper adds
     * no line of its own ("jruntime went away", "receive launch plan: success") before jruntime's message.
     */
    @Test
    void abortedCreateGivesOnlyJruntimesMessage() {
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            ObjectNode h = ((ObjectNode) c).putObject("hooks").putArray("prestart").addObject();
            h.put("path", "/bin/false");
        });
        Jruntime.Result r = jr.run(b.dir(), 60, "create", id("c"));
        assertTrue(r.exitCode() != 0, r.toString());
        assertFalse(r.stderr().contains("jruntime-init:"), "the helper printed a line of its own: " + r.stderr());
        assertFalse(r.stderr().contains("success"), "errno 0 printed as an error: " + r.stderr());
        assertTrue(r.stderr().contains("prestart"), r.stderr());
    }
}
