package io.jruntime.spec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Test resources and small edits of JSON trees, so each test states only what differs from a known config. */
final class TestJson {

    private TestJson() {
    }

    static byte[] resourceBytes(String name) {
        try (InputStream in = TestJson.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] json) {
        try {
            return SpecIO.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode resourceTree(String name) {
        return (ObjectNode) tree(resourceBytes(name));
    }

    /** The output of {@code runc spec}: a valid config to start each failing case from. */
    static ObjectNode runcDefault() {
        return resourceTree("reference/runc-spec.json");
    }

    /**
     * Sets the value at a JSON pointer, creating missing objects (or arrays, before an index) on the way;
     * an array index equal to the array's size appends.
     */
    static ObjectNode set(ObjectNode root, String pointer, String json) {
        JsonPointer target = JsonPointer.compile(pointer);
        JsonNode parent = parentOf(root, target);
        JsonNode value = tree(json.getBytes());
        String last = target.last().getMatchingProperty();
        if (parent instanceof ArrayNode array) {
            int index = Integer.parseInt(last);
            if (index == array.size()) {
                array.add(value);
            } else {
                array.set(index, value);
            }
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return root;
    }

    /**
     * The {@code runc spec} output with edits applied.
     *
     * @param edits pairs of JSON pointer and JSON value; a null value removes the pointer's target
     */
    static ObjectNode runcDefaultWith(List<String> edits) {
        ObjectNode config = runcDefault();
        for (int i = 0; i < edits.size(); i += 2) {
            String pointer = edits.get(i);
            String value = edits.get(i + 1);
            if (value == null) {
                remove(config, pointer);
            } else {
                set(config, pointer, value);
            }
        }
        return config;
    }

    static ObjectNode remove(ObjectNode root, String pointer) {
        JsonPointer target = JsonPointer.compile(pointer);
        JsonNode parent = root.at(target.head());
        String last = target.last().getMatchingProperty();
        if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
        return root;
    }

    private static JsonNode parentOf(ObjectNode root, JsonPointer target) {
        JsonNode node = root;
        for (JsonPointer step = target; step.tail() != null && !step.tail().matches(); step = step.tail()) {
            String name = step.getMatchingProperty();
            JsonNode child = node instanceof ArrayNode array ? array.get(Integer.parseInt(name)) : node.get(name);
            if (child == null || child.isNull()) {
                boolean indexFollows = step.tail().getMatchingIndex() >= 0;
                child = indexFollows ? ((ObjectNode) node).putArray(name) : ((ObjectNode) node).putObject(name);
            }
            node = child;
        }
        return node;
    }

    static Spec spec(JsonNode tree) {
        return SpecIO.parse(tree.toString().getBytes(), "test");
    }

    static byte[] bytes(JsonNode tree) {
        return tree.toString().getBytes();
    }
}
