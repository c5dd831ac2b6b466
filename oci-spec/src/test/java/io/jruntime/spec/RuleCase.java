package io.jruntime.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One failing case of a validation rule: edits applied to the {@code runc spec} output (valid on its own) must
 * produce exactly one violation, at {@code path}, saying {@code message}.
 *
 * @param edits pairs of JSON pointer and JSON value; a null value removes the pointer's target
 */
record RuleCase(String path, String message, List<String> edits) {

    static RuleCase rule(String path, String message, String... edits) {
        return new RuleCase(path, message, Arrays.asList(edits));
    }

    List<Violation> violations() {
        ObjectNode config = TestJson.runcDefault();
        for (int i = 0; i < edits.size(); i += 2) {
            String pointer = edits.get(i);
            String value = edits.get(i + 1);
            if (value == null) {
                TestJson.remove(config, pointer);
            } else {
                TestJson.set(config, pointer, value);
            }
        }
        return SpecValidator.validate(TestJson.spec(config));
    }

    void verify() {
        assertEquals(List.of(new Violation(path, message)), violations());
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
