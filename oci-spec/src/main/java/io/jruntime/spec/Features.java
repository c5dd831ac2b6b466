package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * What {@code features} prints (runtime-spec features.md). Throughout, an absent list or flag means "unknown",
 * not "unsupported".
 *
 * @param ociVersionMin                      oldest runtime-spec version understood
 * @param ociVersionMax                      newest runtime-spec version understood
 * @param hooks                              recognized hook names
 * @param mountOptions                       recognized mount options
 * @param linux                              Linux features
 * @param annotations                        implementation details such as versions
 * @param potentiallyUnsafeConfigAnnotations config annotations that change behaviour; a trailing "." is a prefix
 */
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        LinuxFeatures linux,
        Map<String, String> annotations,
        List<String> potentiallyUnsafeConfigAnnotations,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Features {
        hooks = Immutable.list(hooks);
        mountOptions = Immutable.list(mountOptions);
        annotations = Immutable.map(annotations);
        potentiallyUnsafeConfigAnnotations = Immutable.list(potentiallyUnsafeConfigAnnotations);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /** Linux features ({@code linux} in JSON). */
    public record LinuxFeatures(
            List<String> namespaces,
            List<String> capabilities,
            Cgroup cgroup,
            SeccompFeatures seccomp,
            Enabled apparmor,
            Enabled selinux,
            IntelRdtFeatures intelRdt,
            MountExtensions mountExtensions,
            Enabled netDevices,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public LinuxFeatures {
            namespaces = Immutable.list(namespaces);
            capabilities = Immutable.list(capabilities);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /** Which cgroup drivers are compiled in (not what the host uses). */
    public record Cgroup(
            Boolean v1,
            Boolean v2,
            Boolean systemd,
            Boolean systemdUser,
            Boolean rdma,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Cgroup {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Seccomp support.
     *
     * @param knownFlags     filter flags the runtime recognizes
     * @param supportedFlags the subset this kernel and libseccomp support
     */
    public record SeccompFeatures(
            Boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public SeccompFeatures {
            actions = Immutable.list(actions);
            operators = Immutable.list(operators);
            archs = Immutable.list(archs);
            knownFlags = Immutable.list(knownFlags);
            supportedFlags = Immutable.list(supportedFlags);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /** A feature that is only compiled in or not (apparmor, selinux, idmap mounts, net devices). */
    public record Enabled(
            Boolean enabled,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Enabled {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Intel RDT support.
     *
     * @param schemata whether linux.intelRdt.schemata is implemented
     */
    public record IntelRdtFeatures(
            Boolean enabled,
            Boolean schemata,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public IntelRdtFeatures {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /** Mount extensions ({@code mountExtensions} in JSON). */
    public record MountExtensions(
            Enabled idmap,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public MountExtensions {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }
}
