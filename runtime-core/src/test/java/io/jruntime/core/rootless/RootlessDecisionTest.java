package io.jruntime.core.rootless;

import io.jruntime.core.ops.RootlessMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision table of the two independent flags: rootless EUID and rootless cgroups. */
class RootlessDecisionTest {
    static final String INITIAL = "         0          0 4294967295\n";
    static final String USERNS_ROOT = "         0       1000          1\n";
    static final String USERNS_RANGE = "         0       1000          1\n         1     100000      65536\n";

    private static String map(String name) {
        return switch (name) {
            case "initial" -> INITIAL;
            case "userns" -> USERNS_ROOT;
            case "range" -> USERNS_RANGE;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "--rootless={0} euid={1} uid_map={2} -> euid {3}, cgroups {4}")
    @CsvSource({
            // auto: euid != 0 -> true; root in the initial namespace -> false; root in a user namespace -> true
            "AUTO,  1000, initial, true,  true",
            "AUTO,  1000, userns,  true,  true",
            "AUTO,  0,    initial, false, false",
            "AUTO,  0,    userns,  false, true",
            "AUTO,  0,    range,   false, true",
            // an explicit value wins for cgroups; the EUID question is never a flag
            "TRUE,  0,    initial, false, true",
            "TRUE,  1000, initial, true,  true",
            "TRUE,  0,    userns,  false, true",
            "FALSE, 1000, initial, true,  false",
            "FALSE, 0,    userns,  false, false",
            "FALSE, 0,    initial, false, false",
    })
    void table(RootlessMode mode, int euid, String uidMap, boolean rootlessEuid, boolean rootlessCgroups) {
        RootlessDecision d = RootlessDecision.decide(mode, euid, map(uidMap));
        assertEquals(rootlessEuid, d.rootlessEuid(), "rootless EUID");
        assertEquals(rootlessCgroups, d.rootlessCgroups(), "rootless cgroups");
    }

    @Test
    void initialNamespaceDetection() {
        assertTrue(RootlessDecision.inInitialUserNamespace(INITIAL));
        assertTrue(RootlessDecision.inInitialUserNamespace("0 0 4294967295"));
        assertFalse(RootlessDecision.inInitialUserNamespace(USERNS_ROOT));
        assertFalse(RootlessDecision.inInitialUserNamespace("0 0 4294967294"));
        assertFalse(RootlessDecision.inInitialUserNamespace(""));
        assertFalse(RootlessDecision.inInitialUserNamespace(null));
    }
}
