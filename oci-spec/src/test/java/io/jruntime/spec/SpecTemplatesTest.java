package io.jruntime.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The templates must equal what runc 1.1.5 wrote on this machine (reference/runc-spec*.json), apart from the
 * ociVersion, which is jruntime's.
 */
class SpecTemplatesTest {

    private static final String RUNC_VERSION_LINE = "\"ociVersion\": \"1.0.2-dev\"";

    @Test
    void runcDefaultEqualsRuncSpec() {
        assertEquals(runcOutput("runc-spec.json"), TestJson.tree(SpecIO.toJson(SpecTemplates.runcDefault())));
    }

    @Test
    void rootlessAsRootEqualsRuncSpecRootless() {
        assertEquals(runcOutput("runc-spec-rootless.json"),
                TestJson.tree(SpecIO.toJson(SpecTemplates.rootless(0, 0))));
    }

    @Test
    void rootlessMapsTheCallersIdsToRoot() {
        // Generated with: setpriv --reuid=1000 --regid=1000 --clear-groups runc spec --rootless
        assertEquals(runcOutput("runc-spec-rootless-uid1000.json"),
                TestJson.tree(SpecIO.toJson(SpecTemplates.rootless(1000, 1000))));
    }

    @Test
    void rootlessTreatsIdsAsUnsigned() {
        Linux linux = SpecTemplates.rootless(-2, -1).linux();

        assertEquals(4294967294L, linux.uidMappings().getFirst().hostID());
        assertEquals(4294967295L, linux.gidMappings().getFirst().hostID());
    }

    @Test
    void prettyOutputIsByteForByteWhatRuncWrites() {
        String runc = new String(TestJson.resourceBytes("reference/runc-spec.json"), StandardCharsets.UTF_8)
                .replace(RUNC_VERSION_LINE, "\"ociVersion\": \"" + Spec.OCI_VERSION + "\"");

        assertEquals(runc, new String(SpecIO.toPrettyJson(SpecTemplates.runcDefault()), StandardCharsets.UTF_8));
    }

    @Test
    void templatesAreValid() {
        assertEquals(List.of(), SpecValidator.validate(SpecTemplates.runcDefault()));
        assertEquals(List.of(), SpecValidator.validate(SpecTemplates.rootless(1000, 1000)));
    }

    private static ObjectNode runcOutput(String name) {
        ObjectNode tree = TestJson.resourceTree("reference/" + name);
        tree.put("ociVersion", Spec.OCI_VERSION);
        return tree;
    }
}
