package io.jruntime.cli.daemon;

import io.jruntime.core.sys.PidFds;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the daemon may act for a client process: only when doing so cannot give the client anything it
 * could not do by running jruntime itself, and cannot change what the command does. The client must have the
 * daemon's uid, namespaces, root directory, capabilities, no_new_privs and seccomp state; anything else (a
 * client in another mount namespace, a capability-dropped root, a process under seccomp) gets a reason and
 * runs the command in its own JVM instead.
 *
 * <p>The client is pinned when its connection is accepted ({@link Peer#pin}): a pidfd the kernel took at
 * connect time (SO_PEERPIDFD), so /proc/PID is read only while that very process is known to be alive
 * (checked through the pidfd after the read). A pid alone can be reused: a restricted client could connect,
 * exit, and let an unrestricted process take its pid before the daemon looks. Everything is read from /proc as
 * the kernel reports it, never from what the client says. The same check runs again when the command is about
 * to run ({@link DaemonServer}), and for STOP, STATUS details and a build-id-driven exit.
 */
final class PeerCheck {
    private static final List<String> NAMESPACES = List.of("user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time");
    private static final List<String> STATUS_KEYS = List.of("CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:",
            "NoNewPrivs:", "Seccomp:");

    private final int uid;
    private final List<String> self;

    PeerCheck(int uid, List<String> self) {
        this.uid = uid;
        this.self = List.copyOf(self);
    }

    /** Whether this process is in the initial user namespace (uid_map maps every uid to itself). */
    static boolean inInitialUserNamespace() {
        try {
            return io.jruntime.core.rootless.RootlessDecision.inInitialUserNamespace(
                    Files.readString(Path.of("/proc/self/uid_map")));
        } catch (IOException e) {
            return true; // a kernel without user namespaces
        }
    }

    static PeerCheck ofThisProcess(int uid) {
        return new PeerCheck(uid, identity(Path.of("/proc/self")));
    }

    /**
     * The process at the other end of an accepted connection, held by a pidfd so its pid cannot silently come to
     * name another process. {@code how} says how it was pinned (for the log).
     */
    record Peer(int pid, int uid, int pidfd, String how) implements AutoCloseable {
        /**
         * Pins the peer of conn: SO_PEERPIDFD, else (kernel before 6.5) pidfd_open on the SO_PEERCRED pid plus
         * the check that this process started before the connection was accepted (a process started later
         * cannot be the one that connected). pidfd -1 when it could not be pinned (the refusal says why).
         */
        static Peer pin(int conn) {
            int[] cred = Sockets.peerCredentials(conn);
            int pidfd = PidFds.peerPidfd(conn);
            if (pidfd >= 0) {
                return new Peer(cred[0], cred[1], pidfd, "SO_PEERPIDFD");
            }
            long acceptedAt = uptimeTicks();
            try {
                pidfd = PidFds.open(cred[0]);
            } catch (RuntimeException e) {
                return new Peer(cred[0], cred[1], -1, "pidfd_open failed: " + e.getMessage());
            }
            Peer p = new Peer(cred[0], cred[1], pidfd, "pidfd_open");
            if (startTicks(cred[0]) > acceptedAt) {
                p.close();
                return new Peer(cred[0], cred[1], -1, "pid " + cred[0] + " started after the connection (reused)");
            }
            return p;
        }

        /** Null while the pinned process is running, else why it no longer counts as the client. */
        String gone() {
            if (pidfd < 0) {
                return "client not pinned (" + how + ")";
            }
            int now = PidFds.pid(pidfd);
            if (now == 0) {
                return "client pid " + pid + " is not in the daemon's pid namespace";
            }
            if (now != pid || !PidFds.alive(pidfd)) {
                return "client pid " + pid + " has exited";
            }
            return null;
        }

        @Override
        public void close() {
            if (pidfd >= 0) {
                Fds.close(pidfd);
            }
        }
    }

    /**
     * Null when the daemon may act for the pinned peer, else why not. /proc/PID is read between two checks that
     * the pinned process is alive with that pid, so what was read is that process's.
     */
    String refusal(Peer peer) {
        if (peer.uid() != uid) {
            return "client uid " + peer.uid() + " is not the daemon's " + uid;
        }
        String gone = peer.gone();
        if (gone != null) {
            return gone;
        }
        List<String> id = identity(Path.of("/proc", Integer.toString(peer.pid())));
        gone = peer.gone();
        if (gone != null) {
            return gone;
        }
        return difference(self, id);
    }

    /** The first entry where peer differs from self, as a reason; null when identical. */
    static String difference(List<String> self, List<String> peer) {
        for (int i = 0; i < self.size(); i++) {
            if (i >= peer.size() || !self.get(i).equals(peer.get(i))) {
                String p = i < peer.size() ? peer.get(i) : "nothing";
                return "client differs from the daemon in " + p + " (daemon: " + self.get(i) + ")";
            }
        }
        return null;
    }

    /** Namespace links, root and the security-relevant status lines of a /proc/PID directory, in a fixed order. */
    static List<String> identity(Path base) {
        List<String> id = new ArrayList<>();
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

    /** Clock ticks since boot now (from /proc/uptime, ticks of 1/100 s as /proc/PID/stat counts them). */
    private static long uptimeTicks() {
        try {
            String u = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            return Math.round(Double.parseDouble(u) * 100) + 1;
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Field 22 (starttime) of /proc/PID/stat; MAX_VALUE when unreadable (the pin then fails). */
    static long startTicks(int pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]); // field 22 is the 20th after "pid (comm)"
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
