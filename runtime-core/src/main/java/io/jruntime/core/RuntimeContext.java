package io.jruntime.core;

import io.jruntime.core.state.StateStore;

/**
 * What every lifecycle operation needs to know about how jruntime itself runs: where state lives and the two
 * independent rootless answers (see the rootless decision table in docs/ARCHITECTURE.md).
 *
 * @param rootlessEuid    jruntime runs with euid != 0
 * @param rootlessCgroups cgroup permission errors are tolerated when no resources were asked for
 * @param systemdCgroup   --systemd-cgroup was given
 */
public record RuntimeContext(StateStore store, boolean rootlessEuid, boolean rootlessCgroups, boolean systemdCgroup) {
}
