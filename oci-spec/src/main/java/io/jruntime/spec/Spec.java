package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A bundle's config.json (OCI runtime-spec 1.2, Linux). Every value is immutable; {@code null} means the field
 * is absent. Fields jruntime does not model (other platforms, newer spec versions, vendor extensions) are kept in
 * {@code unknownFields} of the enclosing object and written back unchanged.
 *
 * @param ociVersion  runtime-spec version the config complies with (SemVer)
 * @param process     the container process; absent for a container that only holds namespaces
 * @param root        root filesystem
 * @param hostname    hostname in a new uts namespace
 * @param domainname  NIS domain name in a new uts namespace
 * @param mounts      mounts in order
 * @param hooks       lifecycle hooks
 * @param annotations arbitrary metadata
 * @param linux       Linux-specific settings
 */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    /** The runtime-spec version jruntime implements and writes into the documents it creates (state, features,
     * {@code spec}, {@code --version}): the one place it is written down. */
    public static final String OCI_VERSION = "1.2.0";

    public Spec {
        mounts = Immutable.list(mounts);
        annotations = Immutable.map(annotations);
        unknownFields = Immutable.unknown(unknownFields);
    }

    public Spec withMounts(List<Mount> newMounts) {
        return new Spec(ociVersion, process, root, hostname, domainname, newMounts, hooks, annotations, linux,
                unknownFields);
    }

    public Spec withProcess(Process newProcess) {
        return new Spec(ociVersion, newProcess, root, hostname, domainname, mounts, hooks, annotations, linux,
                unknownFields);
    }

    public Spec withLinux(Linux newLinux) {
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, newLinux,
                unknownFields);
    }
}
