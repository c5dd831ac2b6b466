package io.jruntime.spec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process: what to execute, as whom, with which capabilities and limits. */
final class ProcessRules {

    private static final long MAX_UMASK = 0777;
    private static final long MAX_IO_PRIORITY = 7;
    private static final long MAX_RT_PRIORITY = 99;

    private ProcessRules() {
    }

    static void check(Process process, String prefix, ViolationCollector out) {
        checkArgs(process.args(), JsonPath.field(prefix, "args"), out);
        out.noNul(JsonPath.field(prefix, "args"), process.args());
        out.noNul(JsonPath.field(prefix, "env"), process.env());
        out.noNul(JsonPath.field(prefix, "cwd"), process.cwd());
        out.absolutePath(JsonPath.field(prefix, "cwd"), process.cwd(), "/");
        out.environment(JsonPath.field(prefix, "env"), process.env());
        if (process.user() != null) {
            checkUser(process.user(), JsonPath.field(prefix, "user"), out);
        }
        // process.capabilities: unknown names are not violations; runtime-spec 1.1+ has the runtime log and ignore
        // them (runc 1.1.5 warns "ignoring unknown or unavailable capabilities"), which the launch plan does.
        if (process.rlimits() != null) {
            checkRlimits(process.rlimits(), JsonPath.field(prefix, "rlimits"), out);
        }
        if (process.consoleSize() != null) {
            checkConsoleSize(process.consoleSize(), JsonPath.field(prefix, "consoleSize"), out);
        }
        out.range(JsonPath.field(prefix, "oomScoreAdj"), toLong(process.oomScoreAdj()), -1000, 1000,
                "oomScoreAdj");
        if (process.scheduler() != null) {
            checkScheduler(process.scheduler(), JsonPath.field(prefix, "scheduler"), out);
        }
        if (process.ioPriority() != null) {
            checkIoPriority(process.ioPriority(), JsonPath.field(prefix, "ioPriority"), out);
        }
        if (process.execCPUAffinity() != null) {
            String at = JsonPath.field(prefix, "execCPUAffinity");
            out.cpuList(JsonPath.field(at, "initial"), process.execCPUAffinity().initialCpus(), "CPU");
            out.cpuList(JsonPath.field(at, "final"), process.execCPUAffinity().finalCpus(), "CPU");
        }
    }

    private static void checkArgs(List<String> args, String path, ViolationCollector out) {
        if (args == null || args.isEmpty()) {
            out.add(path, "must contain at least one entry: the program to run, e.g. [\"sh\"]");
        } else if (args.getFirst().isEmpty()) {
            out.add(JsonPath.index(path, 0), "the program to run must not be empty");
        }
    }

    private static void checkUser(Process.User user, String path, ViolationCollector out) {
        out.uint32(JsonPath.field(path, "uid"), user.uid(), "a uid");
        out.uint32(JsonPath.field(path, "gid"), user.gid(), "a gid");
        if (user.umask() != null && (user.umask() < 0 || user.umask() > MAX_UMASK)) {
            out.add(JsonPath.field(path, "umask"), "umask " + user.umask() + " is out of range; it must be between 0"
                    + " and 511 (0777 in octal; JSON numbers are decimal, so umask 022 is written 18)");
        }
        List<Long> groups = user.additionalGids();
        if (groups != null) {
            for (int i = 0; i < groups.size(); i++) {
                out.uint32(JsonPath.index(JsonPath.field(path, "additionalGids"), i), groups.get(i), "a gid");
            }
        }
    }

    private static void checkRlimits(List<Process.Rlimit> rlimits, String path, ViolationCollector out) {
        Map<String, String> firstByType = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            Process.Rlimit rlimit = rlimits.get(i);
            String at = JsonPath.index(path, i);
            String typePath = JsonPath.field(at, "type");
            out.knownName(typePath, rlimit.type(), KnownValues.RLIMITS, "rlimit", "getrlimit(2)");
            if (rlimit.type() != null) {
                String first = firstByType.putIfAbsent(rlimit.type(), typePath);
                if (first != null) {
                    out.add(typePath, "duplicate rlimit " + ViolationCollector.quote(rlimit.type())
                            + " (already set at " + first + "); keep one entry per type");
                }
            }
            out.required(JsonPath.field(at, "hard"), rlimit.hard(), "give the hard limit");
            out.required(JsonPath.field(at, "soft"), rlimit.soft(), "give the soft limit");
            if (rlimit.hard() != null && rlimit.soft() != null
                    && Long.compareUnsigned(rlimit.soft(), rlimit.hard()) > 0) {
                out.add(JsonPath.field(at, "soft"), "soft limit " + Long.toUnsignedString(rlimit.soft())
                        + " exceeds hard limit " + Long.toUnsignedString(rlimit.hard())
                        + "; the soft limit must not be greater than the hard limit");
            }
        }
    }

    private static void checkConsoleSize(Process.ConsoleSize size, String path, ViolationCollector out) {
        out.range(JsonPath.field(path, "height"), toLong(size.height()), 0, Integer.MAX_VALUE, "height");
        out.range(JsonPath.field(path, "width"), toLong(size.width()), 0, Integer.MAX_VALUE, "width");
    }

    private static void checkScheduler(Process.Scheduler scheduler, String path, ViolationCollector out) {
        out.knownName(JsonPath.field(path, "policy"), scheduler.policy(), KnownValues.SCHEDULER_POLICIES,
                "scheduling policy", "sched(7)");
        out.knownNames(JsonPath.field(path, "flags"), scheduler.flags(), KnownValues.SCHEDULER_FLAGS,
                "scheduler flag", "sched_setattr(2)");
        out.range(JsonPath.field(path, "nice"), toLong(scheduler.nice()), -20, 19, "nice value");
        out.range(JsonPath.field(path, "priority"), toLong(scheduler.priority()), 0, MAX_RT_PRIORITY, "priority");
        checkDeadline(scheduler, path, out);
    }

    /** The kernel requires runtime <= deadline <= period for SCHED_DEADLINE (a period of 0 means the deadline). */
    private static void checkDeadline(Process.Scheduler scheduler, String path, ViolationCollector out) {
        if (!"SCHED_DEADLINE".equals(scheduler.policy())) {
            return;
        }
        long runtime = scheduler.runtime() == null ? 0 : scheduler.runtime();
        long deadline = scheduler.deadline() == null ? 0 : scheduler.deadline();
        long period = scheduler.period() == null ? 0 : scheduler.period();
        if (Long.compareUnsigned(runtime, deadline) > 0) {
            out.add(JsonPath.field(path, "runtime"), "runtime " + Long.toUnsignedString(runtime)
                    + " ns exceeds deadline " + Long.toUnsignedString(deadline) + " ns; SCHED_DEADLINE needs"
                    + " runtime <= deadline <= period");
        }
        if (period != 0 && Long.compareUnsigned(deadline, period) > 0) {
            out.add(JsonPath.field(path, "deadline"), "deadline " + Long.toUnsignedString(deadline)
                    + " ns exceeds period " + Long.toUnsignedString(period) + " ns; SCHED_DEADLINE needs"
                    + " runtime <= deadline <= period");
        }
    }

    private static void checkIoPriority(Process.IoPriority priority, String path, ViolationCollector out) {
        out.knownName(JsonPath.field(path, "class"), priority.ioClass(), KnownValues.IO_PRIORITY_CLASSES,
                "I/O priority class", "ioprio_set(2)");
        out.range(JsonPath.field(path, "priority"), toLong(priority.priority()), 0, MAX_IO_PRIORITY,
                "I/O priority");
    }

    private static Long toLong(Integer value) {
        return value == null ? null : value.longValue();
    }
}
