package io.jruntime.core.init;

import java.util.List;

/**
 * Everything jruntime-init needs, decided in Java before the helper starts: the records it executes in
 * order, plus the host-side facts Java itself acts on during the handshake (the id maps it writes).
 *
 * @param records      the plan as sent, ending without the END record (the channel adds it)
 * @param uidMap       lines for /proc/PID/uid_map when a new user namespace is made, else empty
 * @param gidMap       lines for /proc/PID/gid_map
 * @param denySetgroups write "deny" to /proc/PID/setgroups before gid_map (needed unprivileged)
 * @param preserveFds  fds 3..3+n-1 of jruntime that the process inherits
 */
public record LaunchPlan(List<PlanRecord> records, List<String> uidMap, List<String> gidMap, boolean denySetgroups,
                         int preserveFds) {
    public LaunchPlan {
        records = List.copyOf(records);
        uidMap = List.copyOf(uidMap);
        gidMap = List.copyOf(gidMap);
    }
}
