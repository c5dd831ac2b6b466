package io.jruntime.bundles.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jruntime.bundles.Bundle;
import io.jruntime.bundles.ContainerTestBase;
import io.jruntime.bundles.Jruntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mount-related escapes performed for real from inside a container (issue 11, holes 3, 7 and 9), each also
 * tried on runc 1.1.5 side by side: where runc is vulnerable too the test says so instead of failing on runc.
 */
class MountEscapeIT extends ContainerTestBase {
    private static final Path RUNC = Path.of("/usr/sbin/runc");

    /** A bundle for the given runtime; the rootfs is prepared by {@code rootfs}, the config by {@code edit}. */
    private Jruntime.Result run(Path runtime, String name, Consumer<Path> rootfs, Consumer<ObjectNode> edit,
                                List<String> runOptions, String... args) {
        Jruntime rt = new Jruntime(runtime, work.resolve("state-" + name));
        Bundle b = Bundle.create(work.resolve("bundle-" + name), jr, args);
        rootfs.accept(b.dir().resolve("rootfs"));
        b.edit(edit);
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(runOptions);
        cmd.add(id(name));
        try {
            return rt.run(b.dir(), 120, cmd.toArray(String[]::new));
        } finally {
            rt.run("delete", "--force", id(name));
        }
    }

    private static void requireRunc() {
        if (!Files.isExecutable(RUNC)) {
            throw new AssertionError("runc is missing: run `make deps`");
        }
    }

    private static String hostMountinfo() throws IOException {
        return Files.readString(Path.of("/proc/self/mountinfo"));
    }

    /**
     * CVE-2025-31133 class: with no /dev tmpfs, an image whose /dev/null is a symlink to a host sysctl file
     * turned masking into a bind mount of /proc/sys/kernel/core_pattern over /proc/keys (writable through
     * the mask). jruntime resolves /dev/null without following symlinks, checks it is char 1:3 and refuses.
     */
    @Test
    void maskingDoesNotFollowAnImageDevNullSymlinkCve2025_31133() throws IOException {
        requireRunc();
        String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        Consumer<Path> plantSymlink = MountEscapeIT::devNullToCorePattern;
        Consumer<ObjectNode> noDevTmpfs = MountEscapeIT::withoutDevTmpfs;
        String probe = "grep -E 'core_pattern' /proc/self/mountinfo; echo probe-done";

        Jruntime.Result j = run(Jruntime.defaultBinary(), "jruntime", plantSymlink, noDevTmpfs, List.of(),
                "sh", "-c", probe);
        assertNotEquals(0, j.exitCode(), "jruntime must refuse to mask with a /dev/null that is not the null device: "
                + j.stdout());
        assertTrue(j.stderr().contains("maskedPaths") && j.stderr().contains("not the null device"), j.stderr());
        assertFalse(j.stdout().contains("core_pattern"), "a host sysctl file was mounted in the container: " + j.stdout());
        assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")), "jruntime changed core_pattern");

        // runc 1.1.5 follows the symlink: besides the bind it reopens stdio on the "container's /dev/null", i.e. the
        // host's core_pattern, and writes to it. The host's value is put back whatever happens.
        Path result = work.resolve("bundle-runc/rootfs/result");
        try {
            Jruntime.Result r = run(RUNC, "runc", plantSymlink, noDevTmpfs, List.of(), "sh", "-c",
                    "grep core_pattern /proc/self/mountinfo > /result 2>&1");
            String seen = Files.exists(result) ? Files.readString(result) : "";
            if (seen.contains("/sys/kernel/core_pattern")) {
                System.out.println("MountEscapeIT: runc 1.1.5 is vulnerable to the CVE-2025-31133 class too: it mounted "
                        + "the host's core_pattern in the container (exit " + r.exitCode() + "):\n" + seen);
            }
        } finally {
            if (!Files.readString(Path.of("/proc/sys/kernel/core_pattern")).equals(corePattern)) {
                System.out.println("MountEscapeIT: runc 1.1.5 overwrote the host's core_pattern; restoring it");
                Files.writeString(Path.of("/proc/sys/kernel/core_pattern"), corePattern);
            }
        }
        assertFalse(hostMountinfo().contains("/sys/kernel/core_pattern"), "a core_pattern bind survived on the host");
    }

    private static void devNullToCorePattern(Path rootfs) {
        try {
            Files.createSymbolicLink(rootfs.resolve("dev/null"), Path.of("/proc/sys/kernel/core_pattern"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void withoutDevTmpfs(ObjectNode c) {
        ArrayNode mounts = (ArrayNode) c.path("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).path("destination").asText().equals("/dev")) {
                mounts.remove(i);
            }
        }
    }

    /**
     * Same image, no masked paths (so the container runs): stdio that is the host's /dev/null is swapped for the
     * container's only when that is the null device reached without a symlink. Else the image's symlink would give
     * the container the host's core_pattern, open for writing, as stdin (runc 1.1.5 does this: see above).
     */
    @Test
    void stdioIsNeverSwappedForAnImageDevNullSymlinkCve2025_31133() throws IOException {
        Path cp = Path.of("/proc/sys/kernel/core_pattern");
        String corePattern = Files.readString(cp);
        Jruntime.Result j;
        try {
            j = run(Jruntime.defaultBinary(), "jruntime", MountEscapeIT::devNullToCorePattern,
                    c -> {
                        withoutDevTmpfs(c);
                        ((ObjectNode) c.path("linux")).remove("maskedPaths");
                    }, List.of(), "sh", "-c", "readlink /proc/self/fd/0; echo '|/bin/false pwned' >&0; echo done");
        } finally {
            if (!Files.readString(cp).equals(corePattern)) {
                Files.writeString(cp, corePattern);
                throw new AssertionError("the container wrote the host's core_pattern through its stdin");
            }
        }
        assertEquals(0, j.exitCode(), j.stderr());
        assertTrue(j.stdout().endsWith("done\n") && !j.stdout().contains("core_pattern"), j.stdout());
    }

    /**
     * CVE-2025-52565 class: /dev/console as a symlink placed by the image (no /dev tmpfs) must not turn the
     * terminal bind into a bind over the link's target (here the host's core_pattern). jruntime resolves
     * /dev/console without following symlinks and refuses anything but a file or a character device.
     */
    @Test
    void consoleBindDoesNotFollowAnImageSymlinkCve2025_52565() throws Exception {
        Path cp = Path.of("/proc/sys/kernel/core_pattern");
        String corePattern = Files.readString(cp);
        Path sock = work.resolve("console.sock");
        // A listener that accepts the console fd and holds it; nothing is read, the test only needs create to go on.
        Process receiver = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                + "s=socket.socket(socket.AF_UNIX);s.bind(sys.argv[1]);s.listen(1);open(sys.argv[1]+'.ready','w').close()\n"
                + "c,_=s.accept();socket.recv_fds(c,1024,1);time.sleep(60)", sock.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("receiver.log").toFile()).start();
        try {
            for (int i = 0; i < 1000 && !Files.exists(Path.of(sock + ".ready")); i++) {
                Thread.sleep(10);
            }
            Bundle b = Bundle.create(work.resolve("bundle-console"), jr, "sh", "-c", "echo hi");
            Path rootfs = b.dir().resolve("rootfs");
            Files.createSymbolicLink(rootfs.resolve("dev/console"), Path.of("/proc/sys/kernel/core_pattern"));
            Files.createSymbolicLink(rootfs.resolve("dev/ptmx"), Path.of("pts/ptmx"));
            b.edit(c -> {
                withoutDevTmpfs(c);
                ((ObjectNode) c.path("linux")).remove("maskedPaths");
                ((ObjectNode) c.path("process")).put("terminal", true);
            });
            Jruntime.Result r = jr.run(b.dir(), 120, "create", "--console-socket", sock.toString(), id("console"));
            assertNotEquals(0, r.exitCode(), "create must refuse a symlinked /dev/console");
            assertTrue(r.stderr().contains("/dev/console"), r.stderr());
            assertFalse(hostMountinfo().contains("core_pattern"));
        } finally {
            receiver.destroyForcibly();
            jr.run("delete", "--force", id("console"));
            assertEquals(corePattern, Files.readString(cp), "host core_pattern changed");
        }
    }

    /** The attack of hole 7: a new user, mount and pid namespace mounting a fresh procfs. */
    private static final String PROC_MOUNT_ATTACK = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <sched.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/mount.h>
            #include <sys/wait.h>
            #include <unistd.h>

            static void put(const char *path, const char *text)
            {
                int fd = open(path, O_WRONLY);
                if (fd < 0 || write(fd, text, strlen(text)) < 0)
                    fprintf(stderr, "write %s: %s\\n", path, strerror(errno));
                if (fd >= 0)
                    close(fd);
            }

            int main(void)
            {
                char map[64];
                unsigned uid = getuid(), gid = getgid();
                if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0) {
                    printf("UNSHARE-FAILED %s\\n", strerror(errno));
                    return 2;
                }
                put("/proc/self/setgroups", "deny");
                snprintf(map, sizeof(map), "0 %u 1", uid);
                put("/proc/self/uid_map", map);
                snprintf(map, sizeof(map), "0 %u 1", gid);
                put("/proc/self/gid_map", map);
                pid_t c = fork();
                if (c == 0) {
                    if (mount("none", "/proc", "proc", 0, NULL) < 0) {
                        printf("PROC-MOUNT-REFUSED %s\\n", strerror(errno));
                        return 1;
                    }
                    printf("PROC-MOUNTED\\n");
                    return 0;
                }
                int st;
                waitpid(c, &st, 0);
                return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
            }
            """;

    private Path buildProcMountAttack() throws IOException {
        Path dir = work.resolve("attack");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path src = dir.resolve("procmount.c");
        Files.writeString(src, PROC_MOUNT_ATTACK);
        Path bin = dir.resolve("procmount");
        Jruntime.exec(List.of("cc", "-static", "-O2", "-o", bin.toString(), src.toString()), dir, 120).assertOk();
        return bin;
    }

    /**
     * Hole 7 (runc's --no-pivot hardening, the class of CVE-2016-9962 style procfs exposure): with --no-pivot the
     * host's full /proc stayed in the container's mount namespace, so a user namespace inside the container could
     * mount a fresh, unmasked procfs. jruntime detaches the host's proc and sysfs mounts first, as runc does; the
     * kernel's mount_too_revealing check then refuses. The same program on the host shows the attack is real.
     */
    @Test
    void noPivotLeavesNoFullProcfsToMountAgain() throws IOException {
        requireRunc();
        Path attack = buildProcMountAttack();
        Jruntime.Result control = Jruntime.exec(List.of("setpriv", "--reuid", "1000", "--regid", "1000",
                "--clear-groups", attack.toString()), work, 60);
        assertTrue(control.stdout().contains("PROC-MOUNTED"), "the attack program must work where a full procfs is "
                + "visible (on the host): " + control.stdout() + control.stderr());

        Consumer<Path> install = rootfs -> {
            try {
                Files.copy(attack, rootfs.resolve("bin/procmount"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Consumer<ObjectNode> asUser = c -> ((ObjectNode) c.path("process").path("user")).put("uid", 1000).put("gid", 1000);
        Jruntime.Result j = run(Jruntime.defaultBinary(), "jruntime", install, asUser, List.of("--no-pivot"), "/bin/procmount");
        assertTrue(j.stdout().contains("PROC-MOUNT-REFUSED"), "jruntime --no-pivot: " + j.stdout() + j.stderr());
        assertFalse(j.stdout().contains("PROC-MOUNTED"), j.stdout());

        Jruntime.Result r = run(RUNC, "runc", install, asUser, List.of("--no-pivot"), "/bin/procmount");
        if (!r.stdout().contains("PROC-MOUNT-REFUSED")) {
            System.out.println("MountEscapeIT: runc 1.1.5 --no-pivot let the container mount a procfs: " + r.stdout());
        }
    }

    /**
     * Hole 9 (requested protections silently ignored): an rbind,rro mount must be read-only at every level,
     * submounts included (mount_setattr AT_RECURSIVE); runc 1.1.5 applies rro the same way.
     */
    @Test
    void rbindRroIsReadOnlyAtEveryLevel() throws IOException {
        requireRunc();
        Path src = work.resolve("rro-source");
        Files.createDirectories(src.resolve("sub"));
        Jruntime.exec(List.of("mount", "-t", "tmpfs", "tmpfs", src.resolve("sub").toString()), null, 30).assertOk();
        try {
            Consumer<ObjectNode> rro = c -> {
                ObjectNode m = ((ArrayNode) c.path("mounts")).addObject();
                m.put("destination", "/data").put("type", "bind").put("source", src.toString());
                m.putArray("options").add("rbind").add("rro");
            };
            String probe = "touch /data/top 2>&1; touch /data/sub/below 2>&1; grep ' /data' /proc/self/mountinfo | cut -d' ' -f5,6";
            for (Path runtime : List.of(Jruntime.defaultBinary(), RUNC)) {
                String name = runtime.equals(RUNC) ? "runc" : "jruntime";
                Jruntime.Result res = run(runtime, name, rootfs -> { }, rro, List.of(), "sh", "-c", probe);
                assertEquals(0, res.exitCode(), name + ": " + res.stderr());
                assertTrue(res.stdout().contains("/data/top: Read-only file system"), name + ": " + res.stdout());
                assertTrue(res.stdout().contains("/data/sub/below: Read-only file system"), name + ": " + res.stdout());
                assertTrue(res.stdout().contains("/data ro,") && res.stdout().contains("/data/sub ro,"), name + ": " + res.stdout());
            }
            assertFalse(Files.exists(src.resolve("top")) || Files.exists(src.resolve("sub/below")));
        } finally {
            Jruntime.exec(List.of("umount", src.resolve("sub").toString()), null, 30);
        }
    }

    /**
     * tmpcopyup copies what the image holds, nothing else: symlinks the image planted towards host files (an
     * absolute path to a host file, a directory link to a host directory, /proc/self/root) are copied as links,
     * never followed while the copy runs in the host's view of the filesystem; a mount inside the covered tree
     * (a host directory bound at /data/vol) is not entered, its mountpoint comes up empty.
     */
    @Test
    void tmpcopyupFollowsNoSymlinkAndEntersNoOtherMount() throws IOException {
        Path host = work.resolve("copyup-host");
        Files.createDirectories(host.resolve("vol"));
        Files.writeString(host.resolve("secret"), "HOST-SECRET\n");
        Files.writeString(host.resolve("vol/volfile"), "HOST-SECRET\n");
        Consumer<Path> plant = rootfs -> {
            try {
                Path d = Files.createDirectories(rootfs.resolve("data"));
                Files.createSymbolicLink(d.resolve("leak"), host.resolve("secret"));
                Files.createSymbolicLink(d.resolve("hostdir"), host);
                Files.createSymbolicLink(d.resolve("root"), Path.of("/proc/self/root"));
                Files.createDirectories(d.resolve("vol"));
                Files.writeString(d.resolve("mine"), "image\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Consumer<ObjectNode> mounts = c -> {
            ArrayNode ms = (ArrayNode) c.path("mounts");
            ObjectNode vol = ms.addObject().put("destination", "/data/vol").put("type", "bind")
                    .put("source", host.resolve("vol").toString());
            vol.putArray("options").add("rbind");
            ms.addObject().put("destination", "/data").put("type", "tmpfs").put("source", "tmpfs")
                    .putArray("options").add("tmpcopyup");
        };
        String probe = "readlink /data/leak; readlink /data/hostdir; readlink /data/root; ls -A /data/vol; "
                + "cat /data/mine; if grep -r HOST-SECRET /data; then echo LEAKED; fi; grep ' /data' /proc/self/mountinfo | cut -d' ' -f5";
        Jruntime.Result res = run(Jruntime.defaultBinary(), "copyup", plant, mounts, List.of(), "sh", "-c", probe);
        assertEquals(0, res.exitCode(), res.stdout() + res.stderr());
        assertEquals(host.resolve("secret") + "\n" + host + "\n/proc/self/root\nimage\n/data/vol\n/data\n", res.stdout(),
                res.stderr());
    }
}
