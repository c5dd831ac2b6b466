package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The seccomp filter ({@code linux.seccomp}). Names are libseccomp's ({@code SCMP_ACT_*}, {@code SCMP_ARCH_*}, ...).
 *
 * @param defaultAction    action for syscalls no rule matches
 * @param defaultErrnoRet  errno returned by the default action when it is SCMP_ACT_ERRNO or SCMP_ACT_TRACE
 * @param architectures    additional architectures the filter covers
 * @param flags            {@code SECCOMP_FILTER_FLAG_*} names passed to seccomp(2)
 * @param listenerPath     unix socket that receives the notify fd when SCMP_ACT_NOTIFY is used
 * @param listenerMetadata opaque string sent along with the notify fd
 * @param syscalls         rules, evaluated by libseccomp
 */
public record Seccomp(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<Syscall> syscalls,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

    public Seccomp {
        architectures = Immutable.list(architectures);
        flags = Immutable.list(flags);
        syscalls = Immutable.list(syscalls);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /**
     * A rule for a group of syscalls.
     *
     * @param names    syscall names, at least one
     * @param action   action taken when the rule matches
     * @param errnoRet errno returned for SCMP_ACT_ERRNO and SCMP_ACT_TRACE
     * @param args     argument conditions, all of which must hold
     */
    public record Syscall(
            List<String> names,
            String action,
            Long errnoRet,
            List<Arg> args,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Syscall {
            names = Immutable.list(names);
            args = Immutable.list(args);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * A condition on one syscall argument.
     *
     * @param index    argument index (0..5)
     * @param value    unsigned 64-bit operand
     * @param valueTwo unsigned 64-bit second operand (the datum for SCMP_CMP_MASKED_EQ)
     * @param op       an {@code SCMP_CMP_*} name
     */
    public record Arg(
            Integer index,
            @Uint64 Long value,
            @Uint64 Long valueTwo,
            String op,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Arg {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }
}
