package io.jruntime.core.security;

import java.util.List;

/** RLIMIT_* names and their resource numbers (asm-generic/resource.h, also x86_64). */
public final class RlimitNames {
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
            "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
            "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private RlimitNames() {
    }

    /** The resource number, or -1 for an unknown name. */
    public static int resource(String name) {
        return NAMES.indexOf(name);
    }
}
