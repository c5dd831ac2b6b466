package io.jruntime.spec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateAndFeaturesTest {

    @Test
    void runcFeaturesOutputParsesCompletely() {
        byte[] json = TestJson.resourceBytes("reference/runc-features.json");

        Features features = SpecIO.parse(json, "runc features", Features.class);

        assertEquals("1.0.0", features.ociVersionMin());
        assertEquals(KnownValues.HOOK_NAMES, features.hooks());
        assertEquals(KnownValues.CAPABILITIES, features.linux().capabilities());
        assertTrue(features.linux().cgroup().systemdUser());
        assertTrue(features.linux().seccomp().enabled());
        assertTrue(KnownValues.SECCOMP_ARCHITECTURES.containsAll(features.linux().seccomp().archs()));
        assertTrue(KnownValues.SECCOMP_ACTIONS.containsAll(features.linux().seccomp().actions()));
        assertTrue(KnownValues.SECCOMP_OPERATORS.containsAll(features.linux().seccomp().operators()));
        assertTrue(KnownValues.NAMESPACE_TYPES.containsAll(features.linux().namespaces()));
        assertTrue(features.linux().apparmor().enabled());
        assertEquals("2.5.4", features.annotations().get("io.github.seccomp.libseccomp.version"));
        assertEquals(TestJson.tree(json), TestJson.tree(SpecIO.toJson(features)));
        assertEquals(List.of(), UnknownFieldFinder.find(features));
    }

    @Test
    void featuresOfNewerRuntimesAreModelled() {
        String json = "{\"ociVersionMax\":\"1.2.0\","
                + "\"linux\":{\"cgroup\":{\"rdma\":true},\"seccomp\":{\"knownFlags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
                + "\"supportedFlags\":[]},\"intelRdt\":{\"enabled\":false,\"schemata\":true},"
                + "\"mountExtensions\":{\"idmap\":{\"enabled\":true}},\"netDevices\":{\"enabled\":true}},"
                + "\"potentiallyUnsafeConfigAnnotations\":[\"com.example.\"]}";

        Features features = SpecIO.parse(json.getBytes(StandardCharsets.UTF_8), "features", Features.class);

        assertTrue(features.linux().mountExtensions().idmap().enabled());
        assertTrue(features.linux().intelRdt().schemata());
        assertEquals(List.of(), features.linux().seccomp().supportedFlags());
        assertEquals(json, new String(SpecIO.toJson(features), StandardCharsets.UTF_8));
        assertEquals(List.of(), UnknownFieldFinder.find(features));
    }

    @Test
    void stateWritesTheSpecFieldsInOrderAndOmitsAnAbsentPid() {
        State created = new State(Spec.OCI_VERSION, "abc", "created", 4242, "/bundles/abc",
                Map.of("k", "v"), null);
        State stopped = new State(Spec.OCI_VERSION, "abc", "stopped", null, "/bundles/abc", null, null);

        assertEquals("{\"ociVersion\":\"1.2.0\",\"id\":\"abc\",\"status\":\"created\",\"pid\":4242,"
                + "\"bundle\":\"/bundles/abc\",\"annotations\":{\"k\":\"v\"}}", json(created));
        assertEquals("{\"ociVersion\":\"1.2.0\",\"id\":\"abc\",\"status\":\"stopped\",\"bundle\":\"/bundles/abc\"}",
                json(stopped));
    }

    @Test
    void stateAsRuncPrintsItParsesAndKeepsExtraFields() {
        String runcState = "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":1234,\"status\":\"running\","
                + "\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\",\"created\":\"2026-11-22T07:07:01.325778239Z\","
                + "\"owner\":\"\"}";

        State state = SpecIO.parse(runcState.getBytes(StandardCharsets.UTF_8), "state", State.class);

        assertEquals(1234, state.pid());
        assertEquals("running", state.status());
        assertEquals(TestJson.tree(runcState.getBytes()), TestJson.tree(SpecIO.toJson(state)));
    }

    private static String json(Object value) {
        return new String(SpecIO.toJson(value), StandardCharsets.UTF_8);
    }
}
