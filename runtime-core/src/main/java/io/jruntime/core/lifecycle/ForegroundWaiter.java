package io.jruntime.core.lifecycle;

import io.jruntime.core.sys.Processes;
import sun.misc.Signal;

import java.util.List;

/**
 * For `run` and `exec` in the foreground: the helper starts the container process with CLONE_PARENT, so it is
 * our own child; we forward the signals a user sends us and return its exit status (128 + signal when it
 * was killed, as a shell reports it).
 */
public final class ForegroundWaiter {
    /** Signals a terminal user or an engine sends that make sense to pass on. The JVM owns the others. */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR2", "WINCH", "CONT", "TSTP");

    private ForegroundWaiter() {
    }

    public static int waitFor(int pid) {
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), s -> Processes.kill(pid, s.getNumber()));
            } catch (IllegalArgumentException e) {
                // Reserved by this JVM (e.g. QUIT for thread dumps); not forwarded.
            }
        }
        return Processes.waitpid(pid, 0).shellCode();
    }
}
