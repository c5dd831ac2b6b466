package io.jruntime.core;

import io.jruntime.core.state.StateStore;
import io.jruntime.core.sys.Caller;

/**
 * What every lifecycle operation needs to know about how jruntime itself runs: where state lives and the two
 * independent rootless answers (see the rootless decision table in docs/ARCHITECTURE.md).
 *
 * @param rootlessEuid    jruntime runs with euid != 0
 * @param rootlessCgroups cgroup permission errors are tolerated when no resources were asked for
 * @param systemdCgroup   --systemd-cgroup was given
 * @param caller          the process acted for: its fds, children, working directory, umask, environment and
 *                        cgroup ({@link Caller#context}); this JVM unless the daemon serves another process
 */
public record RuntimeContext(StateStore store, boolean rootlessEuid, boolean rootlessCgroups, boolean systemdCgroup,
        Caller caller) {
    /** Acting for this JVM's own process. */
    public RuntimeContext(StateStore store, boolean rootlessEuid, boolean rootlessCgroups, boolean systemdCgroup) {
        this(store, rootlessEuid, rootlessCgroups, systemdCgroup, Caller.SELF);
    }
}
