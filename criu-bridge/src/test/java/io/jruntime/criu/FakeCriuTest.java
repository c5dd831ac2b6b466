package io.jruntime.criu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misbehaving "criu" executables (shell scripts): too old, hung, dying. No real CRIU needed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeCriuTest {
    private static CriuBinary fake(Path dir, String version, String swrkBody) throws Exception {
        Path f = dir.resolve("criu");
        Files.writeString(f, "#!/bin/sh\n"
                + "if [ \"$1\" = --version ]; then echo 'Version: " + version + "'; exit 0; fi\n"
                + "if [ \"$1\" = swrk ]; then " + swrkBody + "; fi\n"
                + "exit 1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new CriuBinary(f);
    }

    @Test
    void tooOldCriuIsRejectedWithItsVersion() throws Exception {
        try (TempDir tmp = new TempDir("fake-criu-")) {
            // 3.17 cannot work on this kernel; pretend its RPC is broken too, so the version comes from --version.
            CriuClient c = new CriuClient(fake(tmp.path, "3.17", "exit 1"));
            assertEquals(CriuVersion.of(3, 17, 0), c.version());
            CriuException e = assertThrows(CriuException.class, c::requireSupported);
            assertEquals(CriuException.Kind.TOO_OLD, e.kind());
            assertTrue(e.getMessage().startsWith("CRIU 3.17 is too old: jruntime needs CRIU >= 4.1 (install 4.2.1 "
                    + "with `make deps`, or pass --criu PATH)"), e.getMessage());
        }
    }

    @Test
    void hungCriuIsKilledAfterTheTimeout() throws Exception {
        try (TempDir tmp = new TempDir("fake-criu-");
             TestProcess p = TestProcess.startCounter(Files.createDirectories(tmp.path.resolve("x")))) {
            CriuClient c = new CriuClient(fake(tmp.path, "4.2.1", "exec sleep 600"), Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            CriuException e = assertThrows(CriuException.class,
                    () -> c.dump(DumpRequest.builder(p.pid, tmp.path.resolve("images")).build(), null));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("hung criu: " + ms + " ms: " + e.getMessage());
            assertEquals(CriuException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage().startsWith("CRIU dump did not finish within 1 s and was killed"), e.getMessage());
            assertTrue(ms < 10_000, "the wait must be bounded (VERSION query 1 s + dump 1 s), took " + ms + " ms");
            Matcher m = Pattern.compile("criu pid (\\d+), killed by signal 9").matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            assertFalse(Files.exists(Path.of("/proc/" + m.group(1))), "the hung criu must be gone (killed and reaped)");
        }
    }

    @Test
    void criuDyingWithoutAnswerIsReportedWithItsOutput() throws Exception {
        try (TempDir tmp = new TempDir("fake-criu-")) {
            CriuClient c = new CriuClient(fake(tmp.path, "4.2.1", "echo 'boom: cannot do it' >&2; exit 3"));
            CriuException e = assertThrows(CriuException.class, () -> c.checkFeatures(FeatureCheck.ALL));
            assertEquals(CriuException.Kind.PROTOCOL, e.kind());
            assertTrue(e.getMessage().contains("criu exited without answering (exit status 3)"), e.getMessage());
            assertTrue(e.getMessage().contains("boom: cannot do it"), e.getMessage());
        }
    }
}
