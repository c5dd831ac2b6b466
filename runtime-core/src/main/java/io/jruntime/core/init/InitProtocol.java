package io.jruntime.core.init;

/**
 * Tags of the packets exchanged with jruntime-init over the SOCK_SEQPACKET sync socket. They mirror
 * runtime-core/src/main/c/proto.h; change both together. Plan records carry NUL-separated text fields.
 */
public final class InitProtocol {
    // plan records, Java -> helper
    public static final int MODE = 1;
    public static final int UNSHARE = 2;
    public static final int JOIN_NS = 3;
    public static final int UNSHARE_CGROUP = 4;
    public static final int TIMENS_OFFSETS = 5;
    public static final int ROOTFS = 6;
    public static final int ROOT_PROPAGATION = 7;
    public static final int MOUNT = 8;
    public static final int DEVICE = 9;
    public static final int SYMLINK = 10;
    public static final int MASK = 11;
    public static final int READONLY = 12;
    public static final int PIVOT = 13;
    public static final int ROOT_READONLY = 14;
    public static final int HOSTNAME = 15;
    public static final int DOMAINNAME = 16;
    public static final int SYSCTL = 17;
    public static final int CWD = 18;
    public static final int USER = 19;
    public static final int GROUPS = 20;
    public static final int RLIMIT = 21;
    public static final int OOM_SCORE_ADJ = 22;
    public static final int PERSONALITY = 23;
    public static final int CAPS = 24;
    public static final int NO_NEW_PRIVS = 25;
    public static final int SECCOMP_FLAGS = 26;
    public static final int SECCOMP_PROG = 27;
    public static final int ARGS = 28;
    public static final int ENV = 29;
    public static final int TERMINAL = 30;
    public static final int EXEC_FIFO = 31;
    public static final int HOOK_CREATE_CONTAINER = 32;
    public static final int HOOK_START_CONTAINER = 33;
    public static final int PRESERVE_FDS = 34;
    public static final int KEYRING = 35;
    public static final int RUNTIME_HOOKS = 36;
    public static final int CONSOLE_BIND = 37;
    public static final int SETGROUPS_ALLOWED = 38;
    public static final int LOOPBACK_UP = 39;
    public static final int DEVNULL_FDS = 40;
    // mount work (60..69 kept for it); see proto.h for the optional trailing fields of MOUNT
    /** A host proc/sysfs mount point to detach before the --no-pivot chroot. */
    public static final int NOPIVOT_HIDE = 60;
    /** path, mount_setattr bits to set after the pivot (a read-only /dev once its nodes exist). */
    public static final int REMOUNT = 61;
    /** fd number of the debug log channel, only with --debug (see HelperLog). */
    public static final int LOG_FD = 62;
    public static final int END = 99;

    // helper -> Java
    public static final int USERNS_READY = 100;
    public static final int CHILD_PID = 101;
    public static final int RUNTIME_HOOKS_REQUEST = 102;
    public static final int CONSOLE = 103;
    public static final int READY = 104;
    public static final int ERROR = 105;
    /** Carries the seccomp notify fd (SCM_RIGHTS); answered with ACK once it reached the listener. */
    public static final int SECCOMP_NOTIFY = 106;

    // Java -> helper answers
    public static final int ACK = 200;
    public static final int GO = 201;
    public static final int HOOKS_DONE = 202;
    /** After READY: the state is saved, the helper may go on. Closing the socket without it aborts the helper. */
    public static final int COMMIT = 203;

    /** Largest packet either side accepts (proto.h MAX_PACKET). */
    public static final int MAX_PACKET = 256 * 1024;

    /**
     * Refuses a record that cannot travel to the helper, before anything is spawned, naming the config field it
     * carries: a single packet holds one record (e.g. all of process.env), and exec(2) would refuse more anyway.
     */
    static void checkSize(PlanRecord r) {
        int size = r.encode().length;
        if (size > MAX_PACKET) {
            throw new io.jruntime.core.InvalidArgumentException(field(r.tag()) + ": " + (size - 4) + " bytes, more than the "
                    + (MAX_PACKET - 4) + " bytes (256 KiB) jruntime passes to the container's init for one field; "
                    + "exec(2) takes at most 128 KiB per string and about 2 MiB of arguments and environment together");
        }
    }

    /** The config.json field a plan record carries, for messages. */
    static String field(int tag) {
        return switch (tag) {
            case ARGS -> "process.args";
            case ENV -> "process.env";
            case CWD -> "process.cwd";
            case MOUNT -> "mounts";
            case SYSCTL -> "linux.sysctl";
            case HOSTNAME -> "hostname";
            case DOMAINNAME -> "domainname";
            case GROUPS -> "process.user.additionalGids";
            case SECCOMP_PROG -> "linux.seccomp";
            case HOOK_CREATE_CONTAINER -> "hooks.createContainer";
            case HOOK_START_CONTAINER -> "hooks.startContainer";
            case MASK -> "linux.maskedPaths";
            case READONLY -> "linux.readonlyPaths";
            default -> "launch plan record " + tag;
        };
    }

    private InitProtocol() {
    }
}
