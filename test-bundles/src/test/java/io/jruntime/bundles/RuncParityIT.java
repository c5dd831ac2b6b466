package io.jruntime.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differences from runc 1.1.5 that the conformance harness found (issue 13), each checked side by side: the same
 * bundle, the same commands, from the same kind of caller, under runc and jruntime, with the observations
 * normalised only for the run directory.
 */
class RuncParityIT extends ContainerTestBase {
    private static final Path RUNC = Path.of("/usr/sbin/runc");

    /** One runtime's run directory: its bundle, state root and a directory to call it from. */
    private record Side(String name, Jruntime rt, Bundle bundle, Path caller) {
        String normalise(String text) {
            return text.replace(bundle.dir().toString(), "<BUNDLE>").replace(caller.toString(), "<CALLER>")
                    .replace(id(name), "<ID>");
        }

        String id(String n) {
            return "parity-" + n + "-" + Integer.toHexString(System.identityHashCode(this));
        }
    }

    private List<Side> sides(Consumer<ObjectNode> edit, String... args) throws Exception {
        return sides(work, edit, args);
    }

    private List<Side> sides(Path base, Consumer<ObjectNode> edit, String... args) throws Exception {
        if (!Files.isExecutable(RUNC)) {
            throw new AssertionError("runc is missing: run `make deps`");
        }
        List<Side> out = new ArrayList<>();
        for (String name : List.of("runc", "jruntime")) {
            Path dir = base.resolve(name);
            Path caller = dir.resolve("caller");
            Files.createDirectories(caller);
            Bundle b = Bundle.create(dir.resolve("bundle"), jr, args);
            b.edit(edit);
            out.add(new Side(name, new Jruntime(name.equals("runc") ? RUNC : Jruntime.defaultBinary(),
                    dir.resolve("state")), b, caller));
        }
        return out;
    }

    private static void cleanUp(Side s) {
        s.rt().run("delete", "--force", s.id(s.name()));
    }

    /** Runs `run` in the foreground from the caller's directory; returns exit code, stdout and the stderr's last words. */
    private static String runOnce(Side s) {
        try {
            Jruntime.Result r = s.rt().run(s.caller(), 60, "run", "--bundle", s.bundle().dir().toString(), s.id(s.name()));
            return "exit=" + r.exitCode() + "\n" + s.normalise(r.stdout());
        } finally {
            cleanUp(s);
        }
    }

    private static ObjectNode mount(ObjectNode c, String dest, String type, String... options) {
        ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
        m.put("destination", dest).put("type", type).put("source", type);
        ArrayNode o = m.putArray("options");
        for (String s : options) {
            o.add(s);
        }
        return m;
    }

    /**
     * A tmpfs with "ro" is read-only per mount with a read-write superblock (runc mounts it rw, then remounts);
     * an "ro" /dev is populated first, then made read-only, before the masked files are bound from its null
     * device (so those read-only too); with a cgroup namespace the name=systemd hierarchy's source is "systemd".
     * mountinfo from the second line on (the first is the bundle's own rootfs path), without ids and devices.
     */
    @Test
    void readOnlyTmpfsDevAndCgroupMountsShowRuncsMountinfo() throws Exception {
        List<Side> s = sides(c -> {
            mount(c, "/mnt/t", "tmpfs", "ro");
            mount(c, "/mnt/u", "tmpfs", "ro", "nosuid", "mode=755");
            mount(c, "/mnt/a", "tmpfs");
            mount(c, "/mnt/a/b/c", "tmpfs", "ro");
            for (var m : c.path("mounts")) {
                if (m.path("destination").asText().equals("/dev")) {
                    ((ArrayNode) m.path("options")).add("ro");
                }
            }
            ((ArrayNode) c.path("linux").path("namespaces")).addObject().put("type", "cgroup");
        }, "sh", "-c", "tail -n +2 /proc/self/mountinfo | cut -d' ' -f4-");
        String runc = runOnce(s.get(0));
        String jruntime = runOnce(s.get(1));
        assertTrue(runc.contains("/mnt/t ro,relatime - tmpfs tmpfs rw\n"), runc);
        assertTrue(runc.contains("/sys/fs/cgroup/systemd ro,nosuid,nodev,noexec,relatime - cgroup systemd rw,name=systemd"), runc);
        assertEquals(runc, jruntime);
    }

    /**
     * Configs runc 1.1.5 refuses (a bind mount with "remount", a device rule with an empty access) are refused by
     * both, jruntime's in one line naming the field and with nothing left behind; an ociVersion runc does not check
     * (missing, pre-1.0, malformed) runs on both.
     */
    @Test
    void configsRuncRefusesAreRefusedAndOciVersionIsNotChecked() throws Exception {
        Files.createDirectories(work.resolve("bindsrc"));
        Map<String, Consumer<ObjectNode>> refused = new LinkedHashMap<>();
        refused.put("options", c -> mount(c, "/mnt", "bind", "rbind", "ro", "remount")
                .put("source", work.resolve("bindsrc").toString()));
        refused.put("access", c -> ((ObjectNode) c.path("linux")).putObject("resources").putArray("devices")
                .addObject().put("allow", false).put("access", ""));
        for (var e : refused.entrySet()) {
            List<Side> s = sides(work.resolve(e.getKey()), e.getValue(), "true");
            assertTrue(!runOnce(s.get(0)).startsWith("exit=0"), "runc refuses " + e.getKey());
            Side j = s.get(1);
            Jruntime.Result r = j.rt().run(j.caller(), 60, "run", "--bundle", j.bundle().dir().toString(), j.id("x"));
            assertTrue(r.exitCode() != 0, r.stderr());
            assertTrue(r.stderr().contains("." + e.getKey() + ": "), r.stderr());
            assertEquals("[]", j.rt().run("list", "-q").stdout().lines().toList().toString());
        }
        for (String version : new String[] {null, "0.9.0", "garbage"}) {
            List<Side> s = sides(work.resolve("v-" + version), c -> {
                if (version == null) {
                    c.remove("ociVersion");
                } else {
                    c.put("ociVersion", version);
                }
            }, "true");
            String runc = runOnce(s.get(0));
            assertEquals("exit=0\n", runc, "ociVersion " + version);
            assertEquals(runc, runOnce(s.get(1)), "ociVersion " + version);
        }
    }

    /** A relative mount destination is taken relative to / with runc's warning; "../" cannot leave the rootfs. */
    @Test
    void relativeMountDestinationIsMountedUnderRootWithRuncsWarning() throws Exception {
        List<Side> s = sides(c -> {
            mount(c, "mnt", "tmpfs");
            mount(c, "../../../escape-" + Long.toHexString(System.nanoTime()), "tmpfs");
        }, "sh", "-c", "grep -c ' /mnt rw' /proc/self/mountinfo");
        String runc = runOnce(s.get(0));
        assertEquals("exit=0\n1\n", runc);
        Side j = s.get(1);
        Jruntime.Result r = j.rt().run(j.caller(), 60, "run", "--bundle", j.bundle().dir().toString(), j.id("x"));
        j.rt().run("delete", "--force", j.id("x"));
        assertEquals(runc, "exit=" + r.exitCode() + "\n" + r.stdout(), r.stderr());
        assertTrue(r.stderr().contains("level=warning msg=\"mount destination mnt is not absolute. Support for"
                + " non-absolute mount destinations will be removed in a future release.\""), r.stderr());
        try (var host = Files.list(Path.of("/"))) {
            assertTrue(host.noneMatch(p -> p.getFileName().toString().startsWith("escape-")), "mountpoint outside");
        }
    }

    /** The file made in the rootfs as a file bind mount's mountpoint has runc's mode (0755 under umask 022). */
    @Test
    void fileMountpointHasRuncsMode() throws Exception {
        Files.writeString(work.resolve("afile"), "x");
        List<Side> s = sides(c -> {
            ObjectNode m = mount(c, "/etc/afile", "bind", "rbind", "ro");
            m.put("source", work.resolve("afile").toString());
        }, "true");
        List<String> modes = new ArrayList<>();
        for (Side side : s) {
            runOnce(side);
            modes.add(Files.getPosixFilePermissions(side.bundle().dir().resolve("rootfs/etc/afile")).toString());
        }
        assertEquals(modes.get(0), modes.get(1));
    }

    /**
     * tmpcopyup: the tmpfs over /data starts with copies of what the image holds there (modes, owners, a
     * subdirectory), symlinks copied as symlinks and never followed (one to /proc/self/root, one climbing out
     * with ".."), the tmpfs root given the directory's mode; writes land in the tmpfs, not in the rootfs.
     */
    @Test
    void tmpcopyupCopiesTheDirectoryIntoTheTmpfs() throws Exception {
        List<Side> s = sides(c -> mount(c, "/data", "tmpfs", "nosuid", "tmpcopyup"), "sh", "-c",
                "stat -c '%n %a %u:%g %F %s' /data /data/* /data/sub/*; readlink /data/esc; readlink /data/up; "
                        + "cat /data/sub/g; echo new > /data/new; echo changed > /data/sub/g; "
                        + "grep ' /data ' /proc/self/mountinfo | cut -d' ' -f5-");
        List<String> seen = new ArrayList<>();
        for (Side side : s) {
            Path data = side.bundle().dir().resolve("rootfs/data");
            Jruntime.exec(List.of("sh", "-c", "set -e; d=" + data + "; mkdir -p $d/sub; echo one > $d/f; "
                    + "chmod 640 $d/f; chown 1000:100 $d/f; echo two > $d/sub/g; chown 12:34 $d/sub; chmod 751 $d/sub; "
                    + "ln -s /proc/self/root $d/esc; ln -s ../../../../etc $d/up; chmod 710 $d"), null, 30).assertOk();
            seen.add(runOnce(side));
            assertEquals("two\n", Files.readString(data.resolve("sub/g")), side.name() + ": the rootfs' file is untouched");
            assertTrue(Files.notExists(data.resolve("new")), side.name() + ": a new file stays in the tmpfs");
        }
        String runc = seen.get(0);
        assertTrue(runc.contains("/data/esc 777 0:0 symbolic link"), runc);
        assertTrue(runc.contains("/data/f 640 1000:100 regular file 4"), runc);
        assertTrue(runc.contains("/data/sub 751 12:34 directory"), runc);
        assertTrue(runc.contains("/proc/self/root\n../../../../etc\ntwo\n"), runc);
        assertTrue(runc.contains("/data rw,nosuid,relatime - tmpfs tmpfs rw"), runc);
        assertEquals(runc, seen.get(1));
    }

    /** Without PATH in process.env nothing is found by name: run and exec fail as runc's do. */
    @Test
    void noPathInTheEnvironmentFindsNothing() throws Exception {
        List<Side> s = sides(c -> ((ObjectNode) c.path("process")).putArray("env").add("TERM=xterm"), "sh", "-c", "echo ran");
        List<String> seen = new ArrayList<>();
        for (Side side : s) {
            Jruntime.Result run = side.rt().run(side.caller(), 60, "run", "--bundle", side.bundle().dir().toString(), side.id(side.name()));
            cleanUp(side);
            side.bundle().edit(c -> ((ObjectNode) c.path("process")).putArray("args").add("/bin/sleep").add("1000"));
            side.rt().run(side.caller(), 60, "run", "-d", "--bundle", side.bundle().dir().toString(), side.id(side.name())).assertOk();
            try {
                Jruntime.Result exec = side.rt().run("exec", side.id(side.name()), "sh", "-c", "echo ran");
                Jruntime.Result withPath = side.rt().run("exec", "--env", "PATH=/bin", side.id(side.name()), "sh", "-c", "echo ran");
                seen.add("run exit=" + run.exitCode() + " stdout=" + run.stdout() + " found=" + !run.stderr().contains(
                        "exec: \\\"sh\\\": executable file not found in $PATH")
                        + "\nexec exit=" + exec.exitCode() + " stdout=" + exec.stdout() + " found=" + !exec.stderr().contains(
                        "exec: \\\"sh\\\": executable file not found in $PATH")
                        + "\nexec with PATH exit=" + withPath.exitCode() + " stdout=" + withPath.stdout());
            } finally {
                cleanUp(side);
            }
        }
        assertTrue(seen.get(0).startsWith("run exit=1 stdout= found=false\nexec exit=255 stdout= found=false"), seen.get(0));
        assertEquals(seen.get(0), seen.get(1));
    }

    /**
     * Hooks start where runc's do: prestart and createRuntime in the bundle (runc's create changes into it),
     * createContainer in the rootfs, poststart in the bundle (runc runs them from create); poststop in the bundle
     * when `run` runs them, in the caller's directory when a separate `delete` does.
     */
    @Test
    void hooksStartInRuncsWorkingDirectories() throws Exception {
        Consumer<ObjectNode> hooks = c -> {
            ObjectNode h = c.putObject("hooks");
            for (String kind : List.of("prestart", "createRuntime", "createContainer", "poststart", "poststop")) {
                h.putArray(kind).addObject().put("path", "/bin/sh").putArray("args").add("sh").add("-c")
                        .add("cat >/dev/null; echo \"" + kind + " $(pwd)\" >> \"$LOG\"");
            }
        };
        List<Side> s = sides(c -> { }, "true");
        List<String> seen = new ArrayList<>();
        for (Side side : s) {
            Path log = side.bundle().dir().getParent().resolve("hooks.log");
            side.bundle().edit(c -> {
                hooks.accept(c);
                for (var kind : c.path("hooks")) {
                    ((ObjectNode) kind.get(0)).putArray("env").add("LOG=" + log).add("PATH=/bin:/usr/bin");
                }
            });
            String id = side.id(side.name());
            String b = side.bundle().dir().toString();
            side.rt().run(side.caller(), 60, "run", "--bundle", b, id).assertOk();
            cleanUp(side);
            side.bundle().edit(c -> ((ObjectNode) c.path("process")).putArray("args").add("/bin/sleep").add("1000"));
            side.rt().run(side.caller(), 60, "create", "--bundle", b, id).assertOk();
            side.rt().run(side.caller(), 60, "start", id).assertOk();
            side.rt().run(side.caller(), 60, "delete", "--force", id).assertOk();
            seen.add(side.normalise(Files.readString(log)).replace(log.getParent().toString(), "<RUN>"));
        }
        assertEquals("""
                prestart <BUNDLE>
                createRuntime <BUNDLE>
                createContainer <BUNDLE>/rootfs
                poststart <BUNDLE>
                poststop <BUNDLE>
                prestart <BUNDLE>
                createRuntime <BUNDLE>
                createContainer <BUNDLE>/rootfs
                poststart <BUNDLE>
                poststop <CALLER>
                """, seen.get(0), "runc");
        assertEquals(seen.get(0), seen.get(1));
    }

    /**
     * process.terminal without --console-socket: create and run -d are refused; a foreground run needs the
     * caller's terminal (runc opens /dev/tty when stdin, stdout and stderr are all redirected) and without one
     * is refused with runc's words, leaving nothing behind. Under a pseudo-terminal both proxy the container's.
     */
    @Test
    void terminalWithoutConsoleSocket() throws Exception {
        List<Side> s = sides(c -> ((ObjectNode) c.path("process")).put("terminal", true), "sh", "-c", "echo hi; tty");
        List<String> seen = new ArrayList<>();
        for (Side side : s) {
            String id = side.id(side.name());
            String b = side.bundle().dir().toString();
            // Jruntime.run: stdin /dev/null, stdout/stderr pipes, and the test JVM has no controlling terminal
            Jruntime.Result fg = side.rt().run(side.caller(), 60, "run", "--bundle", b, id);
            Jruntime.Result list1 = side.rt().run("list", "-q");
            Jruntime.Result detached = side.rt().run(side.caller(), 60, "run", "-d", "--bundle", b, id);
            Jruntime.Result create = side.rt().run(side.caller(), 60, "create", "--bundle", b, id);
            Jruntime.Result list2 = side.rt().run("list", "-q");
            List<String> cmd = new ArrayList<>(List.of("script", "-qec"));
            cmd.add(String.join(" ", side.rt().command("run", "--bundle", b, id)) + " </dev/null");
            cmd.add("/dev/null");
            Jruntime.Result pty = Jruntime.exec(cmd, side.caller(), 60);
            cleanUp(side);
            seen.add("foreground exit=" + fg.exitCode() + " dev-tty=" + fg.stderr().contains("open /dev/tty: no such device or address")
                    + " list=" + list1.stdout() + "\ndetached exit=" + detached.exitCode()
                    + " tty=" + detached.stderr().contains("cannot allocate tty if")
                    + "\ncreate exit=" + create.exitCode() + " tty=" + create.stderr().contains("cannot allocate tty if")
                    + " list=" + list2.stdout() + "\npty exit=" + pty.exitCode() + " out=" + pty.stdout().replace("\r", "\\r").replace("\0", ""));
        }
        assertTrue(seen.get(0).startsWith("foreground exit=1 dev-tty=true list=\ndetached exit=1 tty=true"), seen.get(0));
        assertEquals(seen.get(0), seen.get(1));
    }
}
