package io.jruntime.cli.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerPathsTest {
    @TempDir
    Path dir;

    @Test
    void pathsThroughAPerProcessViewAreFound() throws Exception {
        assertTrue(CallerPaths.perProcess("/dev/fd/63", dir), "/dev/fd is a link to /proc/self/fd");
        assertTrue(CallerPaths.perProcess("/dev/stdin", dir));
        assertTrue(CallerPaths.perProcess("/proc/self/fd/1", dir));
        assertTrue(CallerPaths.perProcess("/proc/thread-self/fd/1", dir));
        assertTrue(CallerPaths.perProcess("/proc/net/unix", dir), "/proc/net is a link to self/net");
        assertTrue(CallerPaths.perProcess("/proc/./self/../self/status", dir));
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        int up = sub.getNameCount();
        assertTrue(CallerPaths.perProcess("../".repeat(up) + "proc/self/cwd", sub), "relative, against the caller's cwd");
        Files.createSymbolicLink(dir.resolve("mine"), Path.of("/proc/self/fd/3"));
        assertTrue(CallerPaths.perProcess("mine", dir), "the caller's own link to its fd");
        Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertTrue(CallerPaths.perProcess("loop", dir), "a symlink loop is not served");
    }

    @Test
    void ordinaryPathsAreNot() throws Exception {
        Files.writeString(dir.resolve("process.json"), "{}");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("process.json"));
        assertFalse(CallerPaths.perProcess("process.json", dir));
        assertFalse(CallerPaths.perProcess("link", dir));
        assertFalse(CallerPaths.perProcess("/proc/1/status", dir), "another process's view means the same everywhere");
        assertFalse(CallerPaths.perProcess("/run/jruntime/missing/config.json", dir));
        assertFalse(CallerPaths.perProcess("-", dir));
    }

    @Test
    void refusalLooksAtEveryArgumentAndFlagValue() {
        assertEquals(null, CallerPaths.refusal(List.of("--root", "/run/x", "exec", "-d", "-p", dir + "/p.json", "c"), dir));
        assertTrue(CallerPaths.refusal(List.of("exec", "-d", "-p", "/dev/fd/63", "c"), dir).contains("/dev/fd/63"));
        assertTrue(CallerPaths.refusal(List.of("exec", "-d", "--process=/dev/fd/63", "c"), dir).contains("--process=/dev/fd/63"));
        assertTrue(CallerPaths.refusal(List.of("--log", "/proc/self/fd/2", "list"), dir) != null);
    }
}
