package io.jruntime.core.security;

import io.jruntime.core.InvalidArgumentException;

import java.util.List;
import java.util.Map;

/** Linux capability names (as config.json spells them) and their bit numbers from linux/capability.h. */
public final class CapabilityNames {
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");
    private static final Map<String, Integer> BITS;

    static {
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            m.put(NAMES.get(i), i);
        }
        BITS = Map.copyOf(m);
    }

    private CapabilityNames() {
    }

    public static List<String> all() {
        return NAMES;
    }

    /** Bit mask of the named capabilities; an unknown name is an error naming the config field. */
    public static long mask(List<String> names, String field) {
        long m = 0;
        if (names == null) {
            return 0;
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Integer bit = BITS.get(n);
            if (bit == null) {
                throw new InvalidArgumentException(field + "[" + i + "]: unknown capability \"" + n + "\"");
            }
            m |= 1L << bit;
        }
        return m;
    }

    public static boolean known(String name) {
        return BITS.containsKey(name);
    }
}
