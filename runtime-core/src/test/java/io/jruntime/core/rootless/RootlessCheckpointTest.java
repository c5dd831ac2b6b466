package io.jruntime.core.rootless;

import io.jruntime.core.rootless.RootlessCheckpoint.Container;
import io.jruntime.core.rootless.RootlessCheckpoint.Host;
import io.jruntime.core.rootless.RootlessCheckpoint.Operation;
import io.jruntime.core.rootless.RootlessCheckpoint.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootlessCheckpointTest {
    static final Path CRIU = Path.of("/home/u/criu");
    static final Container JRUNTIME_ROOTLESS = new Container(true, true, false, true);

    /** A vfs_cap_data revision 2 xattr with the given caps permitted and the effective flag. */
    static byte[] xattr(boolean effective, int... caps) {
        long perm = 0;
        for (int c : caps) {
            perm |= 1L << c;
        }
        byte[] b = new byte[20];
        int magic = 0x02000000 | (effective ? 1 : 0);
        put(b, 0, magic);
        put(b, 4, (int) perm);
        put(b, 12, (int) (perm >>> 32));
        return b;
    }

    private static void put(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    @Test
    void parsesFileCaps() {
        assertArrayEquals(new long[] {1L << 40, 1}, RootlessCheckpoint.parseFileCaps(xattr(true, 40)));
        assertArrayEquals(new long[] {(1L << 6) | (1L << 21), 0}, RootlessCheckpoint.parseFileCaps(xattr(false, 6, 21)));
        assertArrayEquals(new long[] {0, 0}, RootlessCheckpoint.parseFileCaps(null));
    }

    @Test
    void rootNeedsNothing() {
        assertTrue(RootlessCheckpoint.preflight(Operation.CHECKPOINT, new Host(0, "6.1.0", CRIU, null, 0), JRUNTIME_ROOTLESS).ok());
    }

    @Test
    void oldKernelNamesTheCapability() {
        Result r = RootlessCheckpoint.preflight(Operation.CHECKPOINT,
                new Host(1000, "5.4.0-150-generic", CRIU, xattr(true, 40, 6, 18, 21), 0), JRUNTIME_ROOTLESS);
        assertFalse(r.ok());
        assertTrue(r.message().contains("CAP_CHECKPOINT_RESTORE") && r.message().contains("Linux 5.9")
                && r.message().contains("5.4.0-150-generic"), r.message());
    }

    @Test
    void noFileCaps() {
        Result r = RootlessCheckpoint.preflight(Operation.CHECKPOINT, new Host(1000, "6.18.44", CRIU, null, 0), JRUNTIME_ROOTLESS);
        assertFalse(r.ok());
        assertEquals(List.of("cap_checkpoint_restore", "cap_setgid", "cap_sys_admin", "cap_sys_chroot"), r.missingCaps());
        assertTrue(r.message().contains("/home/u/criu has no file capabilities"), r.message());
        assertTrue(r.message().contains("setcap cap_checkpoint_restore,cap_setgid,cap_sys_admin,cap_sys_chroot+ep /home/u/criu"),
                r.message());
    }

    @Test
    void checkpointRestoreAloneIsNotEnough() {
        Result r = RootlessCheckpoint.preflight(Operation.CHECKPOINT, new Host(1000, "6.18.44", CRIU, xattr(true, 40), 0),
                JRUNTIME_ROOTLESS);
        assertFalse(r.ok());
        assertEquals(List.of("cap_setgid", "cap_sys_admin", "cap_sys_chroot"), r.missingCaps());
        assertTrue(r.message().contains("lacks cap_setgid, cap_sys_admin, cap_sys_chroot"), r.message());
    }

    @Test
    void withoutEffectiveFlag() {
        Result r = RootlessCheckpoint.preflight(Operation.CHECKPOINT,
                new Host(1000, "6.18.44", CRIU, xattr(false, 40, 6, 18, 21), 0), JRUNTIME_ROOTLESS);
        assertFalse(r.ok());
        assertTrue(r.message().contains("without the effective flag"), r.message());
    }

    @Test
    void enoughForCheckpoint() {
        Result r = RootlessCheckpoint.preflight(Operation.CHECKPOINT,
                new Host(1000, "6.18.44", CRIU, xattr(true, 40, 6, 18, 21), 0), JRUNTIME_ROOTLESS);
        assertTrue(r.ok(), r.message());
    }

    @Test
    void restoreOfAUtsNamespaceIsImpossible() {
        Result r = RootlessCheckpoint.preflight(Operation.RESTORE,
                new Host(1000, "6.18.44", CRIU, xattr(true, 40, 6, 7, 18, 21), 0), JRUNTIME_ROOTLESS);
        assertFalse(r.ok());
        assertTrue(r.message().contains("UTS namespace") && r.message().contains("kernel/hostname"), r.message());
    }

    @Test
    void restoreWithRangesNeedsSetuid() {
        Container c = new Container(true, false, true, false);
        Result r = RootlessCheckpoint.preflight(Operation.RESTORE,
                new Host(1000, "6.18.44", CRIU, xattr(true, 40, 6, 18, 21), 0), c);
        assertFalse(r.ok());
        assertEquals(List.of("cap_setuid"), r.missingCaps());
        assertTrue(RootlessCheckpoint.preflight(Operation.RESTORE,
                new Host(1000, "6.18.44", CRIU, xattr(true, 40, 6, 7, 18, 21), 0), c).ok());
    }

    @Test
    void restoreOfAHostSysBindIsImpossible() {
        Result r = RootlessCheckpoint.preflight(Operation.RESTORE,
                new Host(1000, "6.18.44", CRIU, xattr(true, 40, 6, 7, 18, 21), 0), new Container(true, false, true, true));
        assertFalse(r.ok());
        assertTrue(r.message().contains("/sys") && r.message().contains("Invalid argument"), r.message());
    }

    @Test
    void ambientCapsCount() {
        long amb = (1L << 40) | (1L << 6) | (1L << 18) | (1L << 21);
        assertTrue(RootlessCheckpoint.preflight(Operation.CHECKPOINT, new Host(1000, "6.18.44", CRIU, null, amb),
                JRUNTIME_ROOTLESS).ok());
    }
}
