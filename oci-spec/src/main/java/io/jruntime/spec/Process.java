package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The container process ({@code process} in config.json), also the document {@code exec --process} reads.
 *
 * @param terminal        attach a pseudo-terminal
 * @param consoleSize     initial terminal size
 * @param user            ids the process runs as
 * @param args            argv; argv[0] is looked up in the container's PATH
 * @param commandLine     Windows only; kept for round-tripping
 * @param env             KEY=VALUE entries
 * @param cwd             absolute working directory inside the container
 * @param capabilities    capability sets to keep
 * @param rlimits         resource limits, at most one per type
 * @param noNewPrivileges set PR_SET_NO_NEW_PRIVS
 * @param apparmorProfile AppArmor profile to exec into
 * @param oomScoreAdj     value for /proc/self/oom_score_adj (-1000..1000)
 * @param scheduler       sched_setattr(2) parameters
 * @param selinuxLabel    SELinux process label
 * @param ioPriority      ioprio_set(2) parameters
 * @param execCPUAffinity CPU affinity of processes started with exec
 */
public record Process(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IoPriority ioPriority,
        ExecCpuAffinity execCPUAffinity,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {
    /** This process with another environment (everything else unchanged). */
    public Process withEnv(List<String> newEnv) {
        return new Process(terminal, consoleSize, user, args, commandLine, newEnv, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity,
                unknownFields);
    }


    public Process {
        args = Immutable.list(args);
        env = Immutable.list(env);
        rlimits = Immutable.list(rlimits);
        unknownFields = Immutable.unknown(unknownFields);
    }

    /**
     * Terminal size in characters.
     *
     * @param height rows
     * @param width  columns
     */
    public record ConsoleSize(
            Integer height,
            Integer width,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public ConsoleSize {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * Ids of the process, in the container's user namespace. Ids are uint32, hence {@code Long}.
     *
     * @param uid            user id
     * @param gid            primary group id
     * @param umask          file mode creation mask
     * @param additionalGids supplementary groups
     * @param username       Windows only; kept for round-tripping
     */
    public record User(
            Long uid,
            Long gid,
            Long umask,
            List<Long> additionalGids,
            String username,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public User {
            additionalGids = Immutable.list(additionalGids);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /** Capability sets, each a list of names like {@code CAP_CHOWN}. */
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Capabilities {
            bounding = Immutable.list(bounding);
            effective = Immutable.list(effective);
            inheritable = Immutable.list(inheritable);
            permitted = Immutable.list(permitted);
            ambient = Immutable.list(ambient);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * One setrlimit(2) call.
     *
     * @param type an {@code RLIMIT_*} name
     * @param hard unsigned; {@code -1L} is RLIM_INFINITY
     * @param soft unsigned; {@code -1L} is RLIM_INFINITY
     */
    public record Rlimit(
            String type,
            @Uint64 Long hard,
            @Uint64 Long soft,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Rlimit {
            unknownFields = Immutable.unknown(unknownFields);
        }

        public Rlimit(String type, long hard, long soft) {
            this(type, hard, soft, null);
        }
    }

    /**
     * sched_setattr(2) parameters.
     *
     * @param policy   a {@code SCHED_*} name
     * @param nice     nice value for SCHED_OTHER and SCHED_BATCH
     * @param priority static priority for SCHED_FIFO and SCHED_RR
     * @param flags    {@code SCHED_FLAG_*} names
     * @param runtime  SCHED_DEADLINE runtime in ns (unsigned)
     * @param deadline SCHED_DEADLINE deadline in ns (unsigned)
     * @param period   SCHED_DEADLINE period in ns (unsigned)
     */
    public record Scheduler(
            String policy,
            Integer nice,
            Integer priority,
            List<String> flags,
            @Uint64 Long runtime,
            @Uint64 Long deadline,
            @Uint64 Long period,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public Scheduler {
            flags = Immutable.list(flags);
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * ioprio_set(2) parameters.
     *
     * @param ioClass  {@code class} in JSON: an {@code IOPRIO_CLASS_*} name
     * @param priority priority within the class (0..7)
     */
    public record IoPriority(
            @JsonProperty("class") String ioClass,
            Integer priority,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public IoPriority {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }

    /**
     * CPU affinity for exec, as CPU lists like {@code "0-3,7"}.
     *
     * @param initialCpus {@code initial} in JSON: affinity before the process joins the container's cgroup
     * @param finalCpus   {@code final} in JSON: affinity after it joined the cgroup
     */
    public record ExecCpuAffinity(
            @JsonProperty("initial") String initialCpus,
            @JsonProperty("final") String finalCpus,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknownFields) {

        public ExecCpuAffinity {
            unknownFields = Immutable.unknown(unknownFields);
        }
    }
}
