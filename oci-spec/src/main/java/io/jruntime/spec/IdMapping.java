package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A uid or gid range mapped into a user namespace (linux.uidMappings) or an idmapped mount (mounts[].uidMappings).
 * Ids are uint32, hence {@code Long}.
 *
 * @param containerID first id inside the container
 * @param hostID      first id on the host that {@code containerID} maps to
 * @param size        number of ids mapped
 */
public record IdMapping(
        Long containerID,
        Long hostID,
        Long size,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public IdMapping {
        unknownFields = Immutable.unknown(unknownFields);
    }

    public IdMapping(long containerID, long hostID, long size) {
        this(containerID, hostID, size, null);
    }
}
