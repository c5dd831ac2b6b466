package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifecycle hooks by the point at which they run.
 *
 * @param prestart        deprecated by the spec, run in the runtime namespace after create, before pivot_root
 * @param createRuntime   runtime namespace, after the environment is created, before pivot_root
 * @param createContainer container namespace, after createRuntime, before pivot_root
 * @param startContainer  container namespace, at start, just before the user process is executed
 * @param poststart       runtime namespace, after the user process started
 * @param poststop        runtime namespace, after the container is deleted
 */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Hooks {
        prestart = Immutable.list(prestart);
        createRuntime = Immutable.list(createRuntime);
        createContainer = Immutable.list(createContainer);
        startContainer = Immutable.list(startContainer);
        poststart = Immutable.list(poststart);
        poststop = Immutable.list(poststop);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /** The hook lists that are present, keyed by their JSON name, in lifecycle order. */
    public Map<String, List<Hook>> byName() {
        Map<String, List<Hook>> byName = new LinkedHashMap<>();
        putIfPresent(byName, "prestart", prestart);
        putIfPresent(byName, "createRuntime", createRuntime);
        putIfPresent(byName, "createContainer", createContainer);
        putIfPresent(byName, "startContainer", startContainer);
        putIfPresent(byName, "poststart", poststart);
        putIfPresent(byName, "poststop", poststop);
        return byName;
    }

    private static void putIfPresent(Map<String, List<Hook>> byName, String name, List<Hook> hooks) {
        if (hooks != null) {
            byName.put(name, hooks);
        }
    }
}
