package io.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defensive copies for record components. {@code null} stays {@code null}: in the model it means "absent". */
final class Immutable {

    private Immutable() {
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /** Keeps the source order so that a config written back reads like the one that was read. */
    static <V> Map<String, V> map(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        map.forEach((key, value) -> {
            Objects.requireNonNull(key, "map key");
            Objects.requireNonNull(value, () -> "value of " + key);
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Unknown fields are never {@code null} so that callers and the any-getter need no null check. */
    static Map<String, JsonNode> unknown(Map<String, JsonNode> unknownFields) {
        return unknownFields == null || unknownFields.isEmpty() ? Map.of() : map(unknownFields);
    }
}
