package io.jruntime.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading files and reporting bad input in terms a user can act on. */
class SpecIOTest {

    @TempDir
    Path bundle;

    @Test
    void readsConfigFromBundle() throws IOException {
        Path config = bundle.resolve("config.json");
        Files.write(config, TestJson.resourceBytes("reference/podman-config.json"));

        Spec spec = SpecIO.read(config);

        assertEquals("e9368b179ec6", spec.hostname());
        assertEquals(List.of("sleep", "1000"), spec.process().args());
    }

    @Test
    void missingConfigNamesTheBundle() {
        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(bundle.resolve("config.json")));

        assertEquals("config.json not found in bundle " + bundle.toAbsolutePath(), e.getMessage());
    }

    @Test
    void missingOtherFileNamesThePath() {
        Path process = bundle.resolve("process.json");

        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(process, Process.class));

        assertEquals(process + " not found", e.getMessage());
    }

    @Test
    void directoryInsteadOfFileIsReported() throws IOException {
        Path config = Files.createDirectory(bundle.resolve("config.json"));

        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(config));

        assertEquals("cannot read " + config + ": it is a directory, not a JSON file", e.getMessage());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws IOException {
        Path config = bundle.resolve("config.json");
        Files.writeString(config, "{\n\t\"ociVersion\": \"1.2.0\",\n\t\"hostname\": \"x\"\n\t\"root\": {}\n}");

        SpecException e = assertThrows(SpecException.class, () -> SpecIO.read(config));

        assertTrue(e.getMessage().startsWith(config + ":4:2: invalid JSON: Unexpected character ('\"'"),
                e.getMessage());
    }

    @Test
    void wrongTypeNamesThePathAndBothTypes() {
        String json = "{\"ociVersion\": \"1.2.0\",\n \"process\": {\"args\": \"sh\"}}";

        SpecException e = assertThrows(SpecException.class, () -> parse(json));

        assertEquals("config.json:2:22: process.args: expected an array, found a string", e.getMessage());
    }

    @Test
    void numbersAreNotTakenForStringsOrTheOtherWayRound() {
        assertEquals("config.json:1:14: hostname: expected a string, found an integer",
                assertThrows(SpecException.class, () -> parse("{\"hostname\": 5}")).getMessage());
        assertEquals("config.json:1:30: process.user.uid: expected an integer, found a string",
                assertThrows(SpecException.class, () -> parse("{\"process\": {\"user\": {\"uid\": \"0\"}}}"))
                        .getMessage());
        assertEquals("config.json:1:26: process.terminal: expected a boolean, found an integer",
                assertThrows(SpecException.class, () -> parse("{\"process\": {\"terminal\": 1}}")).getMessage());
    }

    @Test
    void fractionalIntegerIsRejected() {
        SpecException e = assertThrows(SpecException.class,
                () -> parse("{\"process\": {\"user\": {\"uid\": 1.5}}}"));

        assertEquals("config.json:1:30: process.user.uid: expected an integer, found a decimal number",
                e.getMessage());
    }

    @Test
    void nullInsideAListIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> parse("{\"process\": {\"env\": [\"A=1\", null]}}"));

        assertTrue(e.getMessage().startsWith("config.json:1:29: process.env[1]: null is not allowed here"),
                e.getMessage());
    }

    @Test
    void trailingContentIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> parse("{\"ociVersion\": \"1.2.0\"} {}"));

        assertTrue(e.getMessage().startsWith("config.json:1:25: Trailing token"), e.getMessage());
    }

    @Test
    void emptyInputIsReported() {
        SpecException e = assertThrows(SpecException.class, () -> parse(" \n"));

        assertEquals("config.json: is empty; expected a JSON object", e.getMessage());
    }

    @Test
    void jsonNullIsNotAConfig() {
        SpecException e = assertThrows(SpecException.class, () -> parse("null"));

        assertEquals("config.json: expected a JSON object, found null", e.getMessage());
    }

    @Test
    void compactOutputHasNoWhitespaceAndOmitsAbsentFields() {
        Spec spec = new Spec("1.2.0", null, new Root("rootfs", null, null), null, null, null, null, null, null,
                null);

        assertEquals("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"}}",
                new String(SpecIO.toJson(spec), StandardCharsets.UTF_8));
    }

    @Test
    void prettyOutputUsesTabsAndGoStyleEmptyContainers() {
        Process.Capabilities caps = new Process.Capabilities(List.of(), null, null, null, null, null);

        assertEquals("{\n\t\"bounding\": []\n}", new String(SpecIO.toPrettyJson(caps), StandardCharsets.UTF_8));
        assertEquals("{}", new String(SpecIO.toPrettyJson(new Root(null, null, null)), StandardCharsets.UTF_8));
    }

    private static Spec parse(String json) {
        return SpecIO.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }
}
