package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Real inputs written by Podman, containerd and runc: all must parse, validate cleanly and round-trip. */
class ReferenceConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"podman-config.json", "containerd-config.json", "runc-spec.json",
            "runc-spec-rootless.json", "runc-spec-rootless-uid1000.json"})
    void configParsesValidatesAndRoundTrips(String name) {
        byte[] json = TestJson.resourceBytes("reference/" + name);

        Spec spec = SpecIO.parse(json, name);

        assertEquals(List.of(), SpecValidator.validate(spec));
        assertEquals(TestJson.tree(json), TestJson.tree(SpecIO.toJson(spec)));
        assertEquals(List.of(), UnknownFieldFinder.find(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"podman-exec-process-tty.json", "containerd-exec-process.json"})
    void execProcessParsesValidatesAndRoundTrips(String name) {
        byte[] json = TestJson.resourceBytes("reference/" + name);

        Process process = SpecIO.parse(json, name, Process.class);

        assertEquals(List.of(), SpecValidator.validateProcess(process, ""));
        assertEquals(TestJson.tree(json), TestJson.tree(SpecIO.toJson(process)));
        assertEquals(List.of(), UnknownFieldFinder.find(process));
    }
}
