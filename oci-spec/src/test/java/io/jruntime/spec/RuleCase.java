package io.jruntime.spec;

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

    void verify() {
        assertEquals(List.of(new Violation(path, message)),
                SpecValidator.validate(TestJson.spec(TestJson.runcDefaultWith(edits))));
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
