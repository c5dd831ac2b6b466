package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * STUB (cli branch): stands in for the real OCI config model that the spec branch provides. Wraps a
 * Jackson tree so the {@code spec} command can be written against the final API names. Dropped at merge.
 */
public final class Spec {
    private final ObjectNode tree;

    Spec(ObjectNode tree) {
        this.tree = tree;
    }

    @JsonValue
    public ObjectNode tree() {
        return tree;
    }
}
