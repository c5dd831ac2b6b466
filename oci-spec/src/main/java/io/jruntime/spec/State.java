package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The container state as the spec defines it: what {@code state} prints and what hooks read on stdin.
 *
 * @param ociVersion  runtime-spec version of this document
 * @param id          container id
 * @param status      creating, created, running or stopped (runc also reports paused)
 * @param pid         init pid as seen from the runtime namespace; absent when there is no process
 * @param bundle      absolute path of the bundle directory
 * @param annotations the config's annotations
 */
public record State(
        String ociVersion,
        String id,
        String status,
        Integer pid,
        String bundle,
        Map<String, String> annotations,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public State {
        annotations = Immutable.map(annotations);
        unknownFields = Immutable.unknown(unknownFields);
    }
}
