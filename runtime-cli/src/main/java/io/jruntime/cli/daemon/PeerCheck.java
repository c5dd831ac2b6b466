package io.jruntime.cli.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether the daemon may act for a client process: only when doing so cannot give the client anything it
 * could not do by running jruntime itself, and cannot change what the command does. The client must have the
 * daemon's uid, namespaces, root directory, capabilities, no_new_privs and seccomp state; anything else (a
 * client in another mount namespace, a capability-dropped root, a process under seccomp) gets a reason and
 * runs the command in its own JVM instead. Everything is read from /proc/PID as the kernel reports it (PID
 * from SO_PEERCRED), never from what the client says.
 */
final class PeerCheck {
    private static final List<String> NAMESPACES = List.of("user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time");
    private static final List<String> STATUS_KEYS = List.of("CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
            "NoNewPrivs:", "Seccomp:");

    private final int uid;
    private final List<String> self;

    private PeerCheck(int uid, List<String> self) {
        this.uid = uid;
        this.self = self;
    }

    static PeerCheck ofThisProcess(int uid) {
        return new PeerCheck(uid, identity("self"));
    }

    /** Null when the daemon may act for pid, else why not. */
    String refusal(int pid, int peerUid) {
        if (peerUid != uid) {
            return "client uid " + peerUid + " is not the daemon's " + uid;
        }
        List<String> peer = identity(Integer.toString(pid));
        for (int i = 0; i < self.size(); i++) {
            if (!self.get(i).equals(peer.get(i))) {
                return "client differs from the daemon in " + peer.get(i) + " (daemon: " + self.get(i) + ")";
            }
        }
        return null;
    }

    /** Namespace links, root and the security-relevant status lines of /proc/PROC, in a fixed order. */
    private static List<String> identity(String proc) {
        List<String> id = new java.util.ArrayList<>();
        Path base = Path.of("/proc", proc);
        for (String ns : NAMESPACES) {
            id.add("ns/" + ns + "=" + link(base.resolve("ns/" + ns)));
        }
        id.add("root=" + link(base.resolve("root")));
        List<String> status;
        try {
            status = Files.readAllLines(base.resolve("status"));
        } catch (IOException e) {
            status = List.of();
        }
        for (String key : STATUS_KEYS) {
            String v = "?";
            for (String line : status) {
                if (line.startsWith(key)) {
                    v = line.substring(key.length()).trim();
                }
            }
            id.add(key + v);
        }
        return id;
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }
}
