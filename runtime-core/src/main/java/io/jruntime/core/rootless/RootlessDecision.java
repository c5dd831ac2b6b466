package io.jruntime.core.rootless;

import io.jruntime.core.ops.RootlessMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two independent rootless questions:
 * <ul>
 * <li><b>rootless EUID</b>: jruntime runs with euid != 0, so the container needs a user namespace and
 * root-only operations are refused;</li>
 * <li><b>rootless cgroups</b>: jruntime may not be able to manage cgroups, so permission errors are tolerated
 * when the config asked for no resources. An explicit --rootless true/false wins; with auto, euid != 0
 * means true, euid 0 in the initial user namespace means false, and euid 0 inside a user namespace (root
 * in Docker-in-LXD, rootless Podman, Usernetes) means true.</li>
 * </ul>
 */
public record RootlessDecision(boolean rootlessEuid, boolean rootlessCgroups) {

    /** The uid_map of the initial user namespace: everything mapped to itself. */
    private static final String INITIAL_UID_MAP = "0 0 4294967295";

    public static RootlessDecision decide(RootlessMode mode, int euid, String selfUidMap) {
        boolean euidRootless = euid != 0;
        boolean cgroups = switch (mode) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> euidRootless || !inInitialUserNamespace(selfUidMap);
        };
        return new RootlessDecision(euidRootless, cgroups);
    }

    /** For this process: reads /proc/self/uid_map. */
    public static RootlessDecision forThisProcess(RootlessMode mode, int euid) {
        return decide(mode, euid, mode == RootlessMode.AUTO && euid == 0 ? readUidMap() : INITIAL_UID_MAP);
    }

    /** True when the uid_map is the identity map over the whole 32-bit range (whitespace-insensitive). */
    public static boolean inInitialUserNamespace(String uidMap) {
        return uidMap != null && uidMap.trim().replaceAll("\\s+", " ").equals(INITIAL_UID_MAP);
    }

    private static String readUidMap() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map"));
        } catch (IOException e) {
            return INITIAL_UID_MAP; // no /proc: assume the initial namespace, as runc does
        }
    }
}
