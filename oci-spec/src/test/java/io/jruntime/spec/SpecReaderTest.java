package io.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming {@link SpecReader} against databind (the path it replaced on create): for every document databind
 * reads, the reader gives an equal record, or leaves the document to databind (null) only where databind kept
 * unknown fields; for every document databind refuses, the reader refuses too, so the error message is databind's.
 */
class SpecReaderTest {

    private static final List<Class<? extends Record>> TYPES =
            List.of(Spec.class, Process.class, Hooks.class, Resources.class, Seccomp.class);

    /** Every JSON document of the repository's tests that holds one of the types, and every rule-test config. */
    static Stream<Arguments> documents() {
        List<Arguments> docs = new ArrayList<>();
        for (String name : List.of("reference/podman-config.json", "reference/containerd-config.json",
                "reference/runc-spec.json", "reference/runc-spec-rootless.json",
                "reference/runc-spec-rootless-uid1000.json", "samples/full-config.json")) {
            docs.add(Arguments.of(name, Spec.class, TestJson.resourceBytes(name)));
        }
        for (String name : List.of("reference/podman-exec-process-tty.json", "reference/containerd-exec-process.json")) {
            docs.add(Arguments.of(name, Process.class, TestJson.resourceBytes(name)));
        }
        // seccomp profiles of runtime-core's tests (Podman's and a Docker-shaped one)
        Path seccomp = Path.of("../runtime-core/src/test/resources/io/jruntime/core/security/seccomp");
        for (String name : List.of("podman-seccomp.json", "docker-like-seccomp.json")) {
            docs.add(Arguments.of(name, Seccomp.class, read(seccomp.resolve(name))));
        }
        // the configs of the validation rule tests: the runc spec with hundreds of edits (types, ranges, nulls...)
        List<Stream<RuleCase>> rules = List.of(DeviceNodeRulesTest.violations(), LinuxRulesTest.violations(),
                NamespaceRulesTest.violations(), ProcessRulesTest.violations(), ResourceRulesTest.violations(),
                SeccompRulesTest.violations(), SpecRulesTest.violations(), SysctlRulesTest.violations());
        for (Stream<RuleCase> s : rules) {
            s.forEach(c -> docs.add(Arguments.of("rule " + c, Spec.class,
                    TestJson.bytes(TestJson.runcDefaultWith(c.edits())))));
        }
        SpecValidatorTest.validEdits().forEach(a -> docs.add(Arguments.of("valid " + a.get()[0], Spec.class,
                TestJson.bytes(TestJson.runcDefaultWith(castEdits(a.get()[1]))))));
        return docs.stream();
    }

    @SuppressWarnings("unchecked")
    private static List<String> castEdits(Object edits) {
        return (List<String>) edits;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void streamingReaderGivesTheRecordDatabindGives(String name, Class<? extends Record> type, byte[] json)
            throws IOException {
        Record databind = SpecIO.mapper().readValue(json, type);
        Record streaming = SpecReader.tryRead(json, type);
        if (UnknownFieldFinder.find(databind).isEmpty()) {
            assertNotNull(streaming, name + ": the streaming reader gave up on a document without unknown fields");
            assertEquals(databind, streaming);
        } else {
            assertNull(streaming, name + ": unknown fields are databind's (kept as JSON trees)");
        }
    }

    @Test
    void everyTestDocumentOfAModelledTypeIsReadWithoutDatabind() {
        long fast = documents().filter(a -> SpecReader.tryRead((byte[]) a.get()[2], castType(a.get()[1])) != null)
                .count();
        // the rule tests include a few configs with unknown fields on purpose; all others must take the fast path
        assertTrue(fast >= documents().count() - 5, "only " + fast + " of " + documents().count() + " read fast");
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> castType(Object type) {
        return (Class<? extends Record>) type;
    }

    /** Documents databind refuses (or treats specially): the reader leaves every one to databind. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("null document", "null"),
                Arguments.of("array document", "[]"),
                Arguments.of("trailing tokens", "{} {}"),
                Arguments.of("trailing garbage", "{} x"),
                Arguments.of("malformed", "{\"ociVersion\": }"),
                Arguments.of("truncated", "{\"ociVersion\": \"1.2.0\""),
                Arguments.of("duplicate key", "{\"hostname\": \"a\", \"hostname\": \"b\"}"),
                Arguments.of("duplicate map key", "{\"annotations\": {\"a\": \"1\", \"a\": \"2\"}}"),
                Arguments.of("unknown field", "{\"vendor\": 1}"),
                Arguments.of("unknown nested field", "{\"process\": {\"cwd\": \"/\", \"x\": [1.0]}}"),
                Arguments.of("JSON name of a renamed component", "{\"process\": {\"ioPriority\": {\"ioClass\": \"x\"}}}"),
                Arguments.of("string for integer", "{\"process\": {\"oomScoreAdj\": \"1\"}}"),
                Arguments.of("integer for string", "{\"hostname\": 1}"),
                Arguments.of("boolean for string", "{\"hostname\": true}"),
                Arguments.of("integer for boolean", "{\"process\": {\"terminal\": 1}}"),
                Arguments.of("string for boolean", "{\"process\": {\"terminal\": \"true\"}}"),
                Arguments.of("fraction for integer", "{\"process\": {\"oomScoreAdj\": 1.0}}"),
                Arguments.of("int overflow", "{\"process\": {\"oomScoreAdj\": 2147483648}}"),
                Arguments.of("long overflow", "{\"process\": {\"user\": {\"uid\": 9223372036854775808}}}"),
                Arguments.of("negative uint64", "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"hard\": -1}]}}"),
                Arguments.of("uint64 overflow", "{\"process\": {\"rlimits\": [{\"hard\": 18446744073709551616}]}}"),
                Arguments.of("null list element", "{\"mounts\": [null]}"),
                Arguments.of("null string in list", "{\"process\": {\"args\": [\"sh\", null]}}"),
                Arguments.of("null map value", "{\"annotations\": {\"a\": null}}"),
                Arguments.of("object for list", "{\"mounts\": {}}"),
                Arguments.of("list for object", "{\"process\": []}"),
                Arguments.of("string for object", "{\"root\": \"/\"}"),
                Arguments.of("empty string for object", "{\"linux\": \"\"}"),
                Arguments.of("single value for list", "{\"process\": {\"args\": \"sh\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void leavesEveryOtherDocumentToDatabind(String name, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertNull(SpecReader.tryRead(bytes, Spec.class), name);
    }

    @Test
    void errorMessagesAreDatabinds() {
        // a representative of each kind; SpecIOTest and the rule tests pin the exact wording
        assertEquals("config.json:1:29: process.oomScoreAdj: expected an integer, found a string",
                assertThrows(SpecException.class, () -> SpecIO.parse(
                        "{\"process\": {\"oomScoreAdj\": \"1\"}}".getBytes(StandardCharsets.UTF_8),
                        "config.json")).getMessage());
        assertEquals("config.json: expected a JSON object, found null", assertThrows(SpecException.class,
                () -> SpecIO.parse("null".getBytes(StandardCharsets.UTF_8), "config.json")).getMessage());
    }

    @Test
    void nullFieldsAreAbsentAsWithDatabind() throws IOException {
        byte[] json = ("{\"ociVersion\": \"1.2.0\", \"process\": null, \"hostname\": null, \"mounts\": null,"
                + " \"linux\": {\"resources\": {\"memory\": {\"limit\": null, \"swappiness\": null}}, \"sysctl\": null}}")
                .getBytes(StandardCharsets.UTF_8);
        Spec streaming = SpecReader.tryRead(json, Spec.class);
        assertNotNull(streaming);
        assertEquals(SpecIO.mapper().readValue(json, Spec.class), streaming);
    }

    @Test
    void unsignedValuesAboveLongRangeKeepTheirBits() throws IOException {
        byte[] json = ("{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\":"
                + " [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\":"
                + " 18446744073709551615, \"valueTwo\": 9223372036854775808, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}}}")
                .getBytes(StandardCharsets.UTF_8);
        Spec streaming = SpecReader.tryRead(json, Spec.class);
        assertNotNull(streaming);
        assertEquals(SpecIO.mapper().readValue(json, Spec.class), streaming);
        assertEquals(-1L, streaming.linux().seccomp().syscalls().get(0).args().get(0).value());
    }

    @Test
    void unknownFieldsStillReachTheRecordsThroughDatabind() {
        Spec spec = SpecIO.parse("{\"ociVersion\": \"1.2.0\", \"vendor\": {\"x\": 1.50}}"
                .getBytes(StandardCharsets.UTF_8), "config.json");
        JsonNode vendor = spec.unknownFields().get("vendor");
        assertEquals("{\"x\":1.50}", vendor.toString());
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
