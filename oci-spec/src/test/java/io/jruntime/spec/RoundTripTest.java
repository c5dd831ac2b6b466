package io.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing back must not lose or change anything, including fields jruntime does not model. */
class RoundTripTest {

    private static final String FULL_CONFIG = "samples/full-config.json";

    @Test
    void fullConfigWrittenBackIsTheSameJsonTree() {
        byte[] original = TestJson.resourceBytes(FULL_CONFIG);
        Spec spec = SpecIO.parse(original, FULL_CONFIG);

        assertEquals(TestJson.tree(original), TestJson.tree(SpecIO.toJson(spec)));
        assertEquals(TestJson.tree(original), TestJson.tree(SpecIO.toPrettyJson(spec)));
    }

    @Test
    void parsingWhatWasWrittenGivesAnEqualSpec() {
        Spec spec = SpecIO.parse(TestJson.resourceBytes(FULL_CONFIG), FULL_CONFIG);

        assertEquals(spec, SpecIO.parse(SpecIO.toJson(spec), "written"));
    }

    @Test
    void everyModelledFieldIsRecognisedAndOnlyUnknownOnesAreKeptAside() {
        Spec spec = SpecIO.parse(TestJson.resourceBytes(FULL_CONFIG), FULL_CONFIG);

        // Jackson collects a record's unknown fields in a hash map, so their order is not the source order.
        assertEquals(new TreeSet<>(List.of(
                "process.processExtension",
                "root.rootExtension",
                "mounts[1].gidMappings[0].mappingExtension",
                "mounts[1].mountExtension",
                "hooks.createContainer[0].hookExtension",
                "hooks.futureHook",
                "linux.resources.memory.memoryExtension",
                "linux.resources.oomScoreAdj",
                "linux.namespaces[7].namespaceExtension",
                "linux.seccomp.syscalls[2].args[0].argExtension",
                "linux.seccomp.syscalls[3].syscallExtension",
                "linux.linuxExtension",
                "windows",
                "vm",
                "topLevelExtension")), new TreeSet<>(UnknownFieldFinder.find(spec)));
    }

    @Test
    void unknownFieldsKeepTheirExactValues() {
        Spec spec = SpecIO.parse(TestJson.resourceBytes(FULL_CONFIG), FULL_CONFIG);
        JsonNode extension = spec.unknownFields().get("topLevelExtension");

        String written = new String(SpecIO.toJson(spec));

        assertEquals("12345678901234567890123", extension.get("number").asText());
        assertTrue(written.contains("\"decimal\":0.100"), written);
        assertTrue(written.contains("\"n\":1.50"), written);
        assertTrue(written.contains("\"mappingExtension\":null"), written);
    }

    @Test
    void renamedFieldsMapToTheirJsonNames() {
        Spec spec = SpecIO.parse(TestJson.resourceBytes(FULL_CONFIG), FULL_CONFIG);

        assertEquals("IOPRIO_CLASS_BE", spec.process().ioPriority().ioClass());
        assertEquals("0", spec.process().execCPUAffinity().initialCpus());
        assertEquals("0-3,7", spec.process().execCPUAffinity().finalCpus());
    }

    @Test
    void fullConfigIsValid() {
        Spec spec = SpecIO.parse(TestJson.resourceBytes(FULL_CONFIG), FULL_CONFIG);

        assertEquals(List.of(), SpecValidator.validate(spec));
    }

    @Test
    void absentFieldsStayAbsentAndEmptyListsStayEmpty() {
        Spec spec = TestJson.spec(TestJson.tree("{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[],\"cwd\":\"/\"}}"
                .getBytes()));

        assertEquals("{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[],\"cwd\":\"/\"}}",
                new String(SpecIO.toJson(spec)));
    }
}
