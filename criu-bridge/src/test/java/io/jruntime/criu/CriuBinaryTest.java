package io.jruntime.criu;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CriuBinaryTest {
    @Test
    void explicitPathMustExistAndBeExecutable() throws Exception {
        CriuException e = assertThrows(CriuException.class, () -> CriuBinary.locate("/nonexistent/criu"));
        assertEquals(CriuException.Kind.NOT_FOUND, e.kind());
        assertEquals("CRIU not found at /nonexistent/criu (--criu): no such file", e.getMessage());
        try (TempDir tmp = new TempDir("criu-bin-")) {
            Path f = Files.writeString(tmp.path.resolve("criu"), "#!/bin/sh\n");
            CriuException e2 = assertThrows(CriuException.class, () -> CriuBinary.locate(f.toString()));
            assertEquals("CRIU at " + f + " (--criu) is not an executable file", e2.getMessage());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertEquals(f, CriuBinary.locate(f.toString()).path());
        }
    }

    @Test
    void searchOrderIsWellKnownThenPath() throws Exception {
        assertEquals(List.of("/a/criu", "/b/criu", "/c/criu"),
                CriuBinary.candidates("/b:relative:/c/:/a", List.of("/a/criu")));
        assertEquals(CriuBinary.WELL_KNOWN, CriuBinary.candidates(null, CriuBinary.WELL_KNOWN));
        try (TempDir tmp = new TempDir("criu-bin-")) {
            Path dir = Files.createDirectories(tmp.path.resolve("bin"));
            Path f = Files.writeString(dir.resolve("criu"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertEquals(f, CriuBinary.locate(null, "/nowhere:" + dir, List.of("/nonexistent/criu")).path());
            CriuException e = assertThrows(CriuException.class,
                    () -> CriuBinary.locate(null, null, List.of("/nonexistent/criu")));
            assertEquals("CRIU not found: install CRIU 4.2.1 (make deps) or pass --criu PATH", e.getMessage());
        }
    }

    @Test
    void wellKnownLocationsWorkWithoutPath() {
        if (Files.isExecutable(Path.of("/usr/local/sbin/criu"))) {
            assertEquals(Path.of("/usr/local/sbin/criu"), CriuBinary.locate(null, null).path());
        }
        assertTrue(CriuBinary.WELL_KNOWN.getFirst().equals("/usr/local/sbin/criu"));
    }
}
