package io.jruntime.core.lifecycle;

import io.jruntime.core.NotImplementedException;
import io.jruntime.core.security.seccomp.SeccompCompiler;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.spec.Linux;

import java.util.logging.Logger;

/** Compiles linux.seccomp for a plan; the same filter confines the init and every exec'd process. */
final class Seccomp {
    /** Looked up only when there is something to say: initialising java.util.logging costs every call ~17 ms. */
    private static Logger log() {
        return Logger.getLogger(Seccomp.class.getName());
    }

    private Seccomp() {
    }

    /** The program, or null when the config has no seccomp section. */
    static SeccompProgram compile(Linux linux) {
        if (linux == null || linux.seccomp() == null) {
            return null;
        }
        SeccompProgram p = SeccompCompiler.compile(linux.seccomp());
        if (p.needsListener()) {
            throw new NotImplementedException("linux.seccomp: SCMP_ACT_NOTIFY with listenerPath");
        }
        if (!p.skippedSyscalls().isEmpty()) {
            log().fine("seccomp: syscalls unknown on this architecture, skipped: " + p.skippedSyscalls());
        }
        return p;
    }
}
