package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code mounts}, applied in order on top of the rootfs.
 *
 * @param destination absolute path inside the container
 * @param type        filesystem type (proc, tmpfs, bind, ...)
 * @param source      device, directory or pseudo source name
 * @param options     fstab-style options; propagation and flags as well as filesystem data
 * @param uidMappings uid mapping of an idmapped mount
 * @param gidMappings gid mapping of an idmapped mount
 */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Mount {
        options = Immutable.list(options);
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        unknownFields = Immutable.unknown(unknownFields);
    }

    public Mount(String destination, String type, String source, List<String> options) {
        this(destination, type, source, options, null, null, null);
    }

    public Mount withOptions(List<String> newOptions) {
        return new Mount(destination, type, source, newOptions, uidMappings, gidMappings, unknownFields);
    }
}
