package io.jruntime.bundles.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.ContainerTestBase;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the init helper by the container's process or its image, each performed for real and asserted to
 * fail under jruntime. The same attack runs under runc 1.1.5; where runc is vulnerable the test reports it
 * (standard output) instead of failing on runc. See docs/SECURITY.md, "Init helper".
 */
class ProcessEscapeIT extends ContainerTestBase {
    /** Enough ".." to climb from any host directory to the host's /. */
    private static final String UP = "../../../../../../../../../../../..";

    private Jruntime runc() {
        return ProcessEscapeRunc.at(work.resolve("runc-state"));
    }

    private static void caps(ObjectNode config, String... extra) {
        ObjectNode caps = (ObjectNode) config.path("process").path("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = (ArrayNode) caps.path(set);
            for (String c : extra) {
                a.add(c);
            }
        }
    }

    /** Runs the bundle under rt in the foreground and deletes it; the result is what the process printed. */
    private Jruntime.Result runOnce(Jruntime rt, Bundle b, String id) {
        Jruntime.Result r = rt.run(b.dir(), 60, "run", id);
        rt.run("delete", "--force", id);
        return r;
    }

    /**
     * CVE-2024-21626 class: a cwd of /proc/self/fd/N (config form) or a WORKDIR that is a symlink to it (image form)
     * must never put the process in a host directory. The process climbs to the host's / from its cwd and reads a
     * marker only the host has.
     */
    @Test
    void cwdThroughLeakedFdCannotReachTheHost_CVE_2024_21626() throws Exception {
        String secret = "host-only-" + UUID.randomUUID();
        Path marker = work.resolve("host-marker");
        Files.writeString(marker, secret);
        String attack = "cat " + UP + marker + " 2>/dev/null; cat ./" + UP + marker + " 2>/dev/null; echo done";
        Jruntime runc = runc();
        List<String> runcLeaks = new ArrayList<>();
        try {
            for (int n = 3; n <= 10; n++) {
                for (boolean image : List.of(false, true)) {
                    String form = (image ? "image" : "cwd") + n;
                    String fdPath = "/proc/self/fd/" + n;
                    for (Jruntime rt : List.of(jr, runc)) {
                        boolean isRunc = rt == runc;
                        Bundle b = Bundle.create(work.resolve((isRunc ? "runc-" : "jr-") + form), jr, "sh", "-c", attack);
                        if (image) {
                            Files.createSymbolicLink(b.dir().resolve("rootfs/workdir"), Path.of(fdPath));
                        }
                        b.edit(c -> ((ObjectNode) c.path("process")).put("cwd", image ? "/workdir" : fdPath));
                        Jruntime.Result r = runOnce(rt, b, id(form + (isRunc ? "-runc" : "")));
                        boolean leaked = r.stdout().contains(secret);
                        if (isRunc) {
                            if (leaked) {
                                runcLeaks.add(form);
                            }
                        } else {
                            assertFalse(leaked, "CVE-2024-21626 class: jruntime put the process in a host directory with "
                                    + (image ? "WORKDIR -> " : "cwd ") + fdPath + ": " + r);
                        }
                    }
                }
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
        if (!runcLeaks.isEmpty()) {
            System.out.println("ProcessEscapeIT: runc 1.1.5 is vulnerable to CVE-2024-21626 (host / reachable) for "
                    + runcLeaks + "; jruntime is not");
        }
    }

    /**
     * A container with CAP_SYS_ADMIN bind-mounts a "3" over /proc/sys/kernel/cap_last_cap; the next exec must still
     * have exactly the configured bounding and effective sets (the helper must not read that file after joining the
     * container's mount namespace).
     */
    @Test
    void execIgnoresAFakeCapLastCapPlacedByTheContainer() throws Exception {
        String expected = "0000000020200420"; // runc spec's AUDIT_WRITE, KILL, NET_BIND_SERVICE plus SYS_ADMIN
        Jruntime runc = runc();
        String runcResult = null;
        try {
            for (Jruntime rt : List.of(jr, runc)) {
                boolean isRunc = rt == runc;
                Bundle b = Bundle.create(work.resolve(isRunc ? "runc-b" : "jr-b"), jr, "sh", "-c",
                        "echo 3 > /tmp/fake && mount --bind /tmp/fake /proc/sys/kernel/cap_last_cap"
                                + " && touch /tmp/ready; exec sleep 1000");
                b.edit(c -> caps(c, "CAP_SYS_ADMIN"));
                String id = id(isRunc ? "runc" : "jr");
                rt.run(b.dir(), 60, "run", "-d", id).assertOk();
                ProcessEscapeRunc.awaitFile(b.dir().resolve("rootfs/tmp/ready"));
                assertEquals("3", rt.run("exec", id, "cat", "/proc/sys/kernel/cap_last_cap").stdout().trim(),
                        "the attack itself must work inside the container");
                Jruntime.Result r = rt.run("exec", id, "grep", "-E", "^Cap(Bnd|Eff|Prm):", "/proc/self/status").assertOk();
                rt.run("delete", "--force", id);
                String caps = r.stdout();
                if (isRunc) {
                    runcResult = caps;
                } else {
                    for (String set : List.of("CapBnd", "CapEff", "CapPrm")) {
                        assertTrue(caps.contains(set + ":\t" + expected),
                                "exec after a fake cap_last_cap must keep the config's " + set + " " + expected + ", got:\n" + caps);
                    }
                }
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
        if (runcResult != null && !runcResult.contains("CapBnd:\t" + expected)) {
            System.out.println("ProcessEscapeIT: runc 1.1.5 is vulnerable to the fake cap_last_cap (exec keeps capabilities "
                    + "above 3):\n" + runcResult);
        }
    }

    private static void hook(ObjectNode config, String kind, String path, String script) {
        ObjectNode hooks = config.has("hooks") ? (ObjectNode) config.get("hooks") : config.putObject("hooks");
        ArrayNode list = hooks.has(kind) ? (ArrayNode) hooks.get(kind) : hooks.putArray(kind);
        ObjectNode h = list.addObject();
        h.put("path", path);
        ArrayNode args = h.putArray("args");
        if (path.endsWith("busybox")) {
            args.add("busybox");
        }
        args.add("sh").add("-c").add(script);
        h.put("timeout", 30);
    }

    private Path bindLog(ObjectNode c, Path logDir) {
        ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
        m.put("destination", "/hooklog").put("type", "bind").put("source", logDir.toString());
        m.putArray("options").add("rbind").add("rw");
        return logDir;
    }

    /**
     * Hooks the helper runs (createContainer, startContainer) see fds 0-2 only: not the sync socket, not the image.
     * The hooks list their own fd table with ls, whose directory handle is the 3 in the expected list.
     */
    @Test
    void hooksInheritOnlyStdio() throws Exception {
        Path logDir = Files.createDirectories(work.resolve("hooklog"));
        Bundle b = bundle("b", "true");
        b.edit(c -> {
            bindLog(c, logDir);
            hook(c, "createContainer", "/bin/busybox", "ls /proc/self/fd | tr '\\n' ' ' > " + logDir.resolve("create"));
            hook(c, "startContainer", "/bin/sh", "ls /proc/self/fd | tr '\\n' ' ' > /hooklog/start");
        });
        jr.run(b.dir(), 60, "run", id("c")).assertOk();
        assertEquals("0 1 2 3", Files.readString(logDir.resolve("create")).trim(), "createContainer hook fds");
        assertEquals("0 1 2 3", Files.readString(logDir.resolve("start")).trim(), "startContainer hook fds");
    }

    /**
     * The seccomp filter is in force before startContainer hooks run (runc's order), with and without
     * noNewPrivileges: a hook calling a syscall the filter kills dies with SIGSYS and the process never runs.
     */
    @Test
    void startContainerHookRunsUnderSeccomp() throws Exception {
        Jruntime runc = runc();
        try {
            for (boolean nnp : List.of(true, false)) {
                for (Jruntime rt : List.of(jr, runc)) {
                    String name = (rt == runc ? "runc-" : "jr-") + (nnp ? "nnp" : "caps");
                    Path logDir = Files.createDirectories(work.resolve("log-" + name));
                    Bundle b = Bundle.create(work.resolve(name), jr, "sh", "-c", "touch /hooklog/ran");
                    b.edit(c -> {
                        bindLog(c, logDir);
                        ((ObjectNode) c.path("process")).put("noNewPrivileges", nnp);
                        ObjectNode sc = ((ObjectNode) c.path("linux")).putObject("seccomp");
                        sc.put("defaultAction", "SCMP_ACT_ALLOW");
                        sc.putArray("architectures").add("SCMP_ARCH_X86_64");
                        ObjectNode rule = sc.putArray("syscalls").addObject();
                        rule.putArray("names").add("mkdir").add("mkdirat");
                        rule.put("action", "SCMP_ACT_KILL");
                        hook(c, "startContainer", "/bin/sh", "exec mkdir /hooklog/made");
                    });
                    Jruntime.Result r = runOnce(rt, b, id(name));
                    String what = name + ": " + r;
                    assertTrue(r.exitCode() != 0, "the startContainer hook must fail: " + what);
                    assertFalse(Files.exists(logDir.resolve("made")), "startContainer hook ran without seccomp: " + what);
                    assertFalse(Files.exists(logDir.resolve("ran")), "the process ran although its hook failed: " + what);
                    if (rt == jr) {
                        assertTrue(r.stderr().contains("signal 31"), "hook must die of SIGSYS: " + what);
                    }
                }
            }
        } finally {
            ProcessEscapeRunc.deleteAll(runc);
        }
    }

    /**
     * CVE-2025-31133 class, helper side: an exec whose stdin is the host's /dev/null swaps it for the container's
     * /dev/null only if that is really the 1:3 char device; a symlink or a plain file the container put there is not
     * followed or used.
     */
    @Test
    void devNullPlacedByTheContainerIsNotFollowed() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "echo secret > /tmp/target && rm /dev/null && ln -s /tmp/target /dev/null"
                + " && touch /tmp/ready; exec sleep 1000");
        String id = id("c");
        jr.run(b.dir(), 60, "run", "-d", id).assertOk();
        ProcessEscapeRunc.awaitFile(b.dir().resolve("rootfs/tmp/ready"));
        String probe = "stat -L -c '%F %t:%T' /proc/self/fd/0; cat <&0";
        Jruntime.Result viaSymlink = jr.run("exec", id, "sh", "-c", probe).assertOk();
        assertEquals("character special file 1:3", viaSymlink.stdout().trim(),
                "stdin must stay a real /dev/null, not the container's symlink target: " + viaSymlink);
        jr.run("exec", id, "sh", "-c", "rm /dev/null && echo fake > /dev/null").assertOk();
        Jruntime.Result viaFile = jr.run("exec", id, "sh", "-c", probe).assertOk();
        assertEquals("character special file 1:3", viaFile.stdout().trim(),
                "stdin must stay a real /dev/null, not a plain file named /dev/null: " + viaFile);
        jr.run("delete", "--force", id).assertOk();
    }
}
