package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The container's root filesystem.
 *
 * @param path     the rootfs directory; a relative path is relative to the bundle directory
 * @param readonly make the rootfs read-only before the process starts
 */
public record Root(
        String path,
        Boolean readonly,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Root {
        unknownFields = Immutable.unknown(unknownFields);
    }
}
