package io.jruntime.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of the features document follows the host facts it is computed from. */
class FeaturesReportTest {
    private static List<String> list(ObjectNode n, String... path) {
        com.fasterxml.jackson.databind.JsonNode j = n;
        for (String p : path) {
            j = j.path(p);
        }
        List<String> out = new ArrayList<>();
        j.forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void anOldKernelWithoutCriuClaimsLess() {
        HostFeatures old = new HostFeatures(Set.of("mount", "pid", "uts", "ipc", "network"), 37,
                Set.of("kill_thread", "trap", "errno", "trace", "allow"), 4, 9, true, false, false, null);
        ObjectNode f = FeaturesReport.build("x", old);
        assertEquals(List.of("ipc", "mount", "network", "pid", "uts"), list(f, "linux", "namespaces"));
        assertEquals("CAP_AUDIT_READ", list(f, "linux", "capabilities").getLast(), "numbers up to cap_last_cap 37");
        List<String> actions = list(f, "linux", "seccomp", "actions");
        assertFalse(actions.contains("SCMP_ACT_NOTIFY") || actions.contains("SCMP_ACT_LOG")
                || actions.contains("SCMP_ACT_KILL_PROCESS"), actions.toString());
        assertEquals(List.of("SECCOMP_FILTER_FLAG_TSYNC"), list(f, "linux", "seccomp", "supportedFlags"));
        assertFalse(f.path("linux").path("cgroup").path("v2").asBoolean());
        assertFalse(f.path("linux").path("mountExtensions").path("idmap").path("enabled").asBoolean());
        assertEquals("false", f.path("annotations").path("io.jruntime.checkpoint.enabled").asText());
        assertTrue(f.path("annotations").path("io.jruntime.criu.version").isMissingNode());
    }

    @Test
    void aCurrentHostWithCriuClaimsCheckpoint() {
        HostFeatures now = new HostFeatures(Set.of("mount", "pid", "uts", "ipc", "network", "user", "cgroup", "time"), 40,
                Set.of("kill_process", "kill_thread", "trap", "errno", "user_notif", "trace", "log", "allow"), 6, 18,
                true, true, false, "4.2.1");
        ObjectNode f = FeaturesReport.build("x", now);
        assertEquals(8, list(f, "linux", "namespaces").size());
        assertTrue(list(f, "linux", "seccomp", "actions").contains("SCMP_ACT_NOTIFY"));
        assertEquals(list(f, "linux", "seccomp", "knownFlags"), list(f, "linux", "seccomp", "supportedFlags"));
        assertEquals("true", f.path("annotations").path("io.jruntime.checkpoint.enabled").asText());
        assertEquals("4.2.1", f.path("annotations").path("io.jruntime.criu.version").asText());
        assertTrue(list(f, "mountOptions").contains("tmpcopyup"), "tmpcopyup is applied (a tmpfs) or refused");
        assertFalse(list(f, "mountOptions").contains("notmpcopyup"), "an option that would be ignored is not claimed");
    }
}
