package io.jruntime.core.lifecycle;

import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.security.seccomp.SeccompCompiler;
import io.jruntime.core.security.seccomp.SeccompProgram;
import io.jruntime.spec.Linux;

import java.util.logging.Logger;

/** Compiles linux.seccomp for a plan; the same filter confines the init and every exec'd process. */
final class SeccompSetup {
    /** Looked up only when there is something to say: initialising java.util.logging costs every call ~17 ms. */
    private static Logger log() {
        return Logger.getLogger(SeccompSetup.class.getName());
    }

    private SeccompSetup() {
    }

    /** Hands a notify fd to linux.seccomp.listenerPath (closing it either way). */
    static void handOver(Linux linux, int notifyFd, int pid, String stateJson) {
        try {
            io.jruntime.core.security.seccomp.SeccompAgent.send(linux.seccomp().listenerPath(), pid,
                    linux.seccomp().listenerMetadata(), stateJson, notifyFd);
        } finally {
            io.jruntime.core.sys.Fds.close(notifyFd);
        }
    }

    /**
     * The program, or null when the config has no seccomp section. Called before anything of the container exists
     * (the state directory included), so a bad profile leaves nothing behind.
     */
    static SeccompProgram compile(Linux linux) {
        if (linux == null || linux.seccomp() == null) {
            return null;
        }
        SeccompProgram p = SeccompCompiler.compile(linux.seccomp());
        if (p.needsListener() && (linux.seccomp().listenerPath() == null || linux.seccomp().listenerPath().isEmpty())) {
            throw new InvalidArgumentException("linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY "
                    + "(the unix socket of the seccomp agent that receives the notify fd)");
        }
        if (!p.skippedSyscalls().isEmpty()) {
            Logger log = log();
            for (String name : p.skippedSyscalls()) {
                log.fine("unknown seccomp syscall \"" + name + "\" ignored"); // runc 1.1.5's debug line
            }
        }
        return p;
    }
}
