package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A program run at a point of the container lifecycle; it receives the container state on stdin.
 *
 * @param path    absolute path of the executable in the runtime namespace
 * @param args    argv, including argv[0]
 * @param env     KEY=VALUE entries
 * @param timeout seconds after which the hook is killed
 */
public record Hook(
        String path,
        List<String> args,
        List<String> env,
        Integer timeout,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Hook {
        args = Immutable.list(args);
        env = Immutable.list(env);
        unknownFields = Immutable.unknown(unknownFields);
    }
}
