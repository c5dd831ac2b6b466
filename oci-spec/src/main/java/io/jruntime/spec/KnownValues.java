package io.jruntime.spec;

import java.util.List;

/**
 * The closed sets of names the spec, the kernel and libseccomp define. The model keeps such values as strings so
 * that a validator message can quote a wrong one; these lists say which are right. They are also what
 * {@code features} reports.
 */
public final class KnownValues {

    private KnownValues() {
    }

    /** Linux 6.x capabilities; the index of a name is its capability number. */
    public static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** Resource limits; the index of a name is its RLIMIT_* number on Linux. */
    public static final List<String> RLIMITS = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    public static final List<String> NAMESPACE_TYPES = List.of(
            "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

    public static final List<String> HOOK_NAMES = List.of(
            "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    public static final List<String> ROOTFS_PROPAGATIONS = List.of(
            "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable");

    /** Device node types: char, block, unbuffered char, FIFO. */
    public static final List<String> DEVICE_TYPES = List.of("c", "b", "u", "p");

    /** Device cgroup rule types: all, char, block. */
    public static final List<String> DEVICE_RULE_TYPES = List.of("a", "c", "b");

    /** Clocks a time namespace can offset. */
    public static final List<String> TIME_NAMESPACE_CLOCKS = List.of("monotonic", "boottime");

    public static final List<String> SECCOMP_ACTIONS = List.of(
            "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
            "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");

    public static final List<String> SECCOMP_OPERATORS = List.of(
            "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
            "SCMP_CMP_MASKED_EQ");

    /** Architectures libseccomp 2.6 knows. */
    public static final List<String> SECCOMP_ARCHITECTURES = List.of(
            "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
            "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    public static final List<String> SECCOMP_FLAGS = List.of(
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

    public static final List<String> PERSONALITY_DOMAINS = List.of("LINUX", "LINUX32");

    public static final List<String> SCHEDULER_POLICIES = List.of(
            "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");

    public static final List<String> SCHEDULER_FLAGS = List.of(
            "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
            "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX");

    public static final List<String> IO_PRIORITY_CLASSES = List.of(
            "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");

    /** set_mempolicy(2) modes; the index of a name is its MPOL_* number. */
    public static final List<String> MEMORY_POLICY_MODES = List.of(
            "MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_PREFERRED_MANY",
            "MPOL_WEIGHTED_INTERLEAVE");

    public static final List<String> MEMORY_POLICY_FLAGS = List.of(
            "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES");
}
