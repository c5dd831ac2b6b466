package io.jruntime.core.rootless;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDirRuleTest {
    @Test
    void rootInTheInitialNamespaceAlwaysUsesRunJruntime() {
        assertEquals(Path.of("/run/jruntime"), StateDirRule.choose(0, true, null, null).dir());
        assertEquals(Path.of("/run/jruntime"), StateDirRule.choose(0, true, "/run/user/0", "root").dir());
        assertEquals(Path.of("/run/jruntime"), StateDirRule.choose(0, true, "/run/user/1000", "alice").dir());
    }

    @Test
    void nonRootUsesXdgRuntimeDir() {
        assertEquals(Path.of("/run/user/1000/jruntime"), StateDirRule.choose(1000, false, "/run/user/1000", null).dir());
        assertEquals(Path.of("/run/user/1000/jruntime"), StateDirRule.choose(1000, true, "/run/user/1000", "root").dir());
    }

    @Test
    void nonRootWithoutXdgRuntimeDirIsAnErrorAskingForRoot() {
        StateDirRule.Choice c = StateDirRule.choose(1000, true, null, "alice");
        assertNull(c.dir());
        assertTrue(c.error().contains("--root"), c.error());
        assertTrue(c.error().contains("uid 1000") && c.error().contains("XDG_RUNTIME_DIR is not set"), c.error());
        assertNull(StateDirRule.choose(1000, true, "", "alice").dir());
    }

    @Test
    void rootInAUserNamespaceUsesXdgOnlyWithANonRootUser() {
        assertEquals(Path.of("/run/user/1000/jruntime"), StateDirRule.choose(0, false, "/run/user/1000", "alice").dir());
        StateDirRule.Choice asRoot = StateDirRule.choose(0, false, "/run/user/1000", "root");
        assertNull(asRoot.dir());
        assertTrue(asRoot.error().contains("USER=\"root\"") && asRoot.error().contains("--root"), asRoot.error());
        StateDirRule.Choice noUser = StateDirRule.choose(0, false, "/run/user/1000", null);
        assertNull(noUser.dir());
        assertTrue(noUser.error().contains("USER=unset"), noUser.error());
        StateDirRule.Choice noXdg = StateDirRule.choose(0, false, null, "alice");
        assertNull(noXdg.dir());
        assertTrue(noXdg.error().contains("root inside a user namespace"), noXdg.error());
    }
}
