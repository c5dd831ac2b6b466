package io.jruntime.core.rootless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole decision table of runc 1.1.5's shouldHonorXDGRuntimeDir (rootless_linux.go), which jruntime follows:
 * XDG_RUNTIME_DIR set and non-empty; then euid != 0 → honour; euid 0 in the initial user namespace → never;
 * euid 0 in a user namespace → honour when USER is unset or not "root" (so USER="" honours too). Where runc falls
 * back to /run/runc without XDG, jruntime (non-root, or root in a user namespace) asks for --root instead.
 * "-" in a row means the variable is unset; "''" means set to the empty string.
 */
class StateDirRuleTest {
    private static final String XDG = "/run/user/1000";

    @ParameterizedTest(name = "euid={0} initialUserns={1} XDG={2} USER={3} -> {4}")
    @CsvSource(nullValues = "-", quoteCharacter = '\'', value = {
            // euid, initial user namespace, XDG_RUNTIME_DIR, USER, expected (run = /run/jruntime, xdg, error)
            "0,    true,  -,   -,      run",
            "0,    true,  -,   '',     run",
            "0,    true,  -,   root,   run",
            "0,    true,  -,   alice,  run",
            "0,    true,  set, -,      run",
            "0,    true,  set, '',     run",
            "0,    true,  set, root,   run",
            "0,    true,  set, alice,  run",
            "0,    false, -,   -,      error",
            "0,    false, -,   '',     error",
            "0,    false, -,   root,   error",
            "0,    false, -,   alice,  error",
            "0,    false, set, -,      xdg",   // rootless Podman: no USER in the runtime's environment
            "0,    false, set, '',     xdg",   // runc: LookupEnv finds "" and "" != "root"
            "0,    false, set, root,   error",
            "0,    false, set, alice,  xdg",
            "1000, true,  -,   -,      error",
            "1000, true,  -,   '',     error",
            "1000, true,  -,   root,   error",
            "1000, true,  -,   alice,  error",
            "1000, true,  set, -,      xdg",
            "1000, true,  set, '',     xdg",
            "1000, true,  set, root,   xdg",   // USER only matters for euid 0
            "1000, true,  set, alice,  xdg",
            "1000, false, -,   -,      error",
            "1000, false, -,   '',     error",
            "1000, false, -,   root,   error",
            "1000, false, -,   alice,  error",
            "1000, false, set, -,      xdg",
            "1000, false, set, '',     xdg",
            "1000, false, set, root,   xdg",
            "1000, false, set, alice,  xdg",
    })
    void decisionTable(int euid, boolean initialUserns, String xdg, String user, String expected) {
        StateDirRule.Choice c = StateDirRule.choose(euid, initialUserns, xdg == null ? null : XDG, user);
        switch (expected) {
            case "run" -> assertEquals(Path.of("/run/jruntime"), c.dir());
            case "xdg" -> assertEquals(Path.of(XDG, "jruntime"), c.dir());
            default -> {
                assertNull(c.dir());
                assertTrue(c.error().startsWith("no state directory: ") && c.error().contains("--root"), c.error());
            }
        }
    }

    @Test
    void emptyXdgRuntimeDirCountsAsUnset() {
        for (int euid : new int[] {0, 1000}) {
            for (String user : new String[] {null, "", "alice"}) {
                assertNull(StateDirRule.choose(euid, false, "", user).dir(), euid + " " + user);
            }
        }
    }

    @Test
    void errorsSayWhyAndWhatToDo() {
        String noXdg = StateDirRule.choose(1000, true, null, "alice").error();
        assertTrue(noXdg.contains("uid 1000") && noXdg.contains("XDG_RUNTIME_DIR is not set"), noXdg);
        String asRoot = StateDirRule.choose(0, false, XDG, "root").error();
        assertTrue(asRoot.contains("root inside a user namespace") && asRoot.contains("USER=root")
                && asRoot.contains("unset USER"), asRoot);
        String rootNoXdg = StateDirRule.choose(0, false, null, null).error();
        assertTrue(rootNoXdg.contains("root inside a user namespace") && rootNoXdg.contains("set XDG_RUNTIME_DIR"),
                rootNoXdg);
    }
}
