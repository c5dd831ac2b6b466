package io.jruntime.criu.migrate;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.spec.Mount;
import io.jruntime.spec.Spec;
import io.jruntime.spec.SpecIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token file rules, the challenge-response MACs, and --mount DEST=SOURCE. */
class MigrationTokenTest {
    @TempDir
    Path dir;

    private Path token(String text, String mode) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aTokenOthersMayReadIsRefused() throws Exception {
        for (String mode : List.of("rw-r--r--", "rw----r--", "rw--w----", "rw-----w-")) {
            Path f = token("0123456789abcdef0123", mode);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> MigrationToken.read(f));
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        }
    }

    @Test
    void aShortTokenIsRefused() throws Exception {
        Path f = token("short\n", "rw-------");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> MigrationToken.read(f));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    }

    @Test
    void macsDependOnTokenRoleAndBothNonces() throws Exception {
        MigrationToken t = MigrationToken.read(token("0123456789abcdef0123\n", "rw-------"));
        MigrationToken same = MigrationToken.read(token("0123456789abcdef0123", "rw-------"));
        MigrationToken other = MigrationToken.read(token("0123456789abcdef0124", "rw-------"));
        byte[] a = MigrationToken.nonce();
        byte[] b = MigrationToken.nonce();
        byte[] mac = t.mac("jruntime-migrate send", a, b);
        assertArrayEquals(mac, same.mac("jruntime-migrate send", a, b), "a trailing newline is not part of the token");
        assertTrue(t.verify(mac, same.mac("jruntime-migrate send", a, b)));
        assertFalse(t.verify(mac, other.mac("jruntime-migrate send", a, b)));
        assertFalse(t.verify(mac, t.mac("jruntime-migrate receive", a, b)), "the role is in the MAC (no reflection)");
        assertFalse(t.verify(mac, t.mac("jruntime-migrate send", b, a)), "the nonces' order is in the MAC");
        assertFalse(t.verify(mac, null));
    }

    @Test
    void mountOverrideReplacesTheSourceByDestinationAndRefusesAnUnknownOne() {
        Spec spec = SpecIO.parse("""
                {"ociVersion":"1.2.0","root":{"path":"rootfs"},
                 "mounts":[{"destination":"/data","type":"bind","source":"/old","options":["rbind"]},
                           {"destination":"/proc","type":"proc","source":"proc"}]}""".getBytes(), "test");
        Spec out = TargetBundle.apply(spec, List.of(TargetBundle.MountOverride.parse("mount", "/data/=/new", Path.of("/"))));
        Mount m = out.mounts().get(0);
        assertEquals("/new", m.source());
        assertEquals(List.of("rbind"), m.options());
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> TargetBundle.apply(spec,
                List.of(TargetBundle.MountOverride.parse("mount", "/nope=/x", Path.of("/")))));
        assertTrue(e.getMessage().contains("no mount with destination /nope"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> TargetBundle.MountOverride.parse("mount", "data=/x", Path.of("/")));
        assertEquals(Path.of("/work/rel"), TargetBundle.MountOverride.parse("mount", "/d=rel", Path.of("/work")).source());
    }
}
