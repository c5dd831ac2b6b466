package io.jruntime.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.jruntime.spec.RuleCase.rule;

/**
 * The process: args, cwd, env, user, capabilities, rlimits, scheduling.
 * Each case edits the {@code runc spec} output (pointer, value) and expects exactly this one violation.
 */
class ProcessRulesTest {

    static Stream<RuleCase> violations() {
        return Stream.of(
                rule("process.args",
                        "must contain at least one entry: the program to run, e.g. [\"sh\"]",
                        "/process/args", "[]"),
                rule("process.args",
                        "must contain at least one entry: the program to run, e.g. [\"sh\"]",
                        "/process/args", null),
                rule("process.args[0]",
                        "the program to run must not be empty",
                        "/process/args", "[\"\"]"),
                rule("process.cwd",
                        "\"srv\" is not an absolute path; it must start with \"/\"",
                        "/process/cwd", "\"srv\""),
                rule("process.cwd",
                        "is required; give an absolute path such as \"/\"",
                        "/process/cwd", null),
                rule("process.args[1]",
                        "contains a NUL byte (at character 1); Linux strings cannot hold one",
                        "/process/args", "[\"sh\", \"a\\u0000b\"]"),
                rule("process.env[0]",
                        "contains a NUL byte (at character 3); Linux strings cannot hold one",
                        "/process/env/0", "\"A=b\\u0000c\""),
                rule("process.env[1]",
                        "\"TERM\" is not of the form KEY=VALUE",
                        "/process/env/1", "\"TERM\""),
                rule("process.env[2]",
                        "\"=value\" is not of the form KEY=VALUE",
                        "/process/env/2", "\"=value\""),
                rule("process.user.uid",
                        "4294967296 is out of range for a uid; it must be between 0 and 4294967295",
                        "/process/user/uid", "4294967296"),
                rule("process.user.additionalGids[1]",
                        "-1 is out of range for a gid; it must be between 0 and 4294967295",
                        "/process/user/additionalGids", "[0, -1]"),
                rule("process.user.umask",
                        "umask 512 is out of range; it must be between 0 and 511 (0777 in octal; JSON numbers are decimal, so umask 022 is written 18)",
                        "/process/user/umask", "512"),
                rule("process.rlimits[0].type",
                        "unknown rlimit \"RLIMIT_FILES\"; see getrlimit(2) for valid names",
                        "/process/rlimits/0/type", "\"RLIMIT_FILES\""),
                rule("process.rlimits[1].type",
                        "duplicate rlimit \"RLIMIT_NOFILE\" (already set at process.rlimits[0].type); keep one entry per type",
                        "/process/rlimits/1", "{\"type\": \"RLIMIT_NOFILE\", \"hard\": 10, \"soft\": 10}"),
                rule("process.rlimits[0].soft",
                        "soft limit 2048 exceeds hard limit 1024; the soft limit must not be greater than the hard limit",
                        "/process/rlimits/0/soft", "2048"),
                rule("process.rlimits[0].soft",
                        "soft limit 18446744073709551615 exceeds hard limit 1024; the soft limit must not be greater than the hard limit",
                        "/process/rlimits/0/soft", "18446744073709551615"),
                rule("process.rlimits[0].hard",
                        "is required; give the hard limit",
                        "/process/rlimits/0/hard", null),
                rule("process.oomScoreAdj",
                        "oomScoreAdj 1001 is out of range; it must be between -1000 and 1000",
                        "/process/oomScoreAdj", "1001"),
                rule("process.consoleSize.width",
                        "width -1 is out of range; it must be between 0 and 2147483647",
                        "/process/consoleSize", "{\"height\": 24, \"width\": -1}"),
                rule("process.scheduler.policy",
                        "unknown scheduling policy \"SCHED_FAST\"; expected one of SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE",
                        "/process/scheduler", "{\"policy\": \"SCHED_FAST\"}"),
                rule("process.scheduler.flags[0]",
                        "unknown scheduler flag \"SCHED_FLAG_TURBO\"; expected one of SCHED_FLAG_RESET_ON_FORK, SCHED_FLAG_RECLAIM, SCHED_FLAG_DL_OVERRUN, SCHED_FLAG_KEEP_POLICY, SCHED_FLAG_KEEP_PARAMS, SCHED_FLAG_UTIL_CLAMP_MIN, SCHED_FLAG_UTIL_CLAMP_MAX",
                        "/process/scheduler", "{\"policy\": \"SCHED_OTHER\", \"flags\": [\"SCHED_FLAG_TURBO\"]}"),
                rule("process.scheduler.nice",
                        "nice value 20 is out of range; it must be between -20 and 19",
                        "/process/scheduler", "{\"policy\": \"SCHED_OTHER\", \"nice\": 20}"),
                rule("process.scheduler.priority",
                        "priority 100 is out of range; it must be between 0 and 99",
                        "/process/scheduler", "{\"policy\": \"SCHED_FIFO\", \"priority\": 100}"),
                rule("process.scheduler.runtime",
                        "runtime 2000 ns exceeds deadline 1000 ns; SCHED_DEADLINE needs runtime <= deadline <= period",
                        "/process/scheduler", "{\"policy\": \"SCHED_DEADLINE\", \"runtime\": 2000, \"deadline\": 1000, \"period\": 3000}"),
                rule("process.scheduler.deadline",
                        "deadline 4000 ns exceeds period 3000 ns; SCHED_DEADLINE needs runtime <= deadline <= period",
                        "/process/scheduler", "{\"policy\": \"SCHED_DEADLINE\", \"runtime\": 1000, \"deadline\": 4000, \"period\": 3000}"),
                rule("process.ioPriority.class",
                        "unknown I/O priority class \"IOPRIO_CLASS_FAST\"; expected one of IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE",
                        "/process/ioPriority", "{\"class\": \"IOPRIO_CLASS_FAST\", \"priority\": 0}"),
                rule("process.ioPriority.priority",
                        "I/O priority 8 is out of range; it must be between 0 and 7",
                        "/process/ioPriority", "{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}"),
                rule("process.execCPUAffinity.initial",
                        "\"0-a\" is not a CPU list; use numbers and ranges such as \"0-3,7\"",
                        "/process/execCPUAffinity", "{\"initial\": \"0-a\"}"),
                rule("process.execCPUAffinity.final",
                        "\"3-1\" is not a valid CPU list: range \"3-1\" ends before it starts",
                        "/process/execCPUAffinity", "{\"final\": \"3-1\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheOffendingPathAndWhatIsWrong(RuleCase rule) {
        rule.verify();
    }
}
