package io.jruntime.cli.daemon;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** {@code jruntime daemon start|stop|status}: control of a daemon from a plain jruntime JVM. */
public final class DaemonClient {
    /** Where bin/jruntime looks for the daemon unless $JRUNTIME_DAEMON_SOCKET says otherwise. */
    public static final String DEFAULT_SOCKET = "/run/jruntime-daemon/daemon.sock";
    /** The per-user daemon's socket under $XDG_RUNTIME_DIR (launcher.c's user_daemon_dir). */
    public static final String USER_SOCKET = "jruntime-daemon/daemon.sock";

    /**
     * The socket bin/jruntime looks for without $JRUNTIME_DAEMON_SOCKET: {@link #DEFAULT_SOCKET} in the initial
     * user namespace, else the per-user daemon's under $XDG_RUNTIME_DIR (when there is one to use).
     */
    public static String defaultSocket() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (PeerCheck.inInitialUserNamespace() || xdg == null || !xdg.startsWith("/")) {
            return DEFAULT_SOCKET;
        }
        return xdg + "/" + USER_SOCKET;
    }

    /** Maximum heap of the daemon JVM. */
    static final String DAEMON_HEAP = "64m";

    private DaemonClient() {
    }

    /** Creates the socket's directory, if missing, as 0700 (only root may even look up the socket). */
    static void createSocketDir(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** The daemon's answer to STATUS or STOP, or null when nothing listens on socket. */
    static String info(Path socket, int tag) {
        int fd;
        try {
            fd = Sockets.connectUnix(socket.toString(), Sockets.SOCK_SEQPACKET);
        } catch (RuntimeException e) {
            return null;
        }
        try {
            DaemonProtocol.send(fd, tag, -1);
            if (Fds.poll(fd, Fds.POLLIN, 10_000) <= 0) {
                return null;
            }
            DaemonProtocol.Packet p = DaemonProtocol.receive(fd);
            return p == null || p.fields().isEmpty() ? null : p.field(0);
        } catch (RuntimeException e) {
            return null;
        } finally {
            Fds.close(fd);
        }
    }

    /** "running: ..." or null. */
    public static String status(Path socket) {
        return info(socket, DaemonProtocol.STATUS);
    }

    /** Stops the daemon on socket and waits until it is gone; false when none was running. */
    public static boolean stop(Path socket) {
        String answer = info(socket, DaemonProtocol.STOP);
        if (answer == null) {
            return false;
        }
        if (answer.startsWith("refused: ")) {
            throw new JRuntimeException("the jruntime daemon on " + socket + " " + answer);
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (Files.exists(socket) && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (Files.exists(socket)) {
            throw new JRuntimeException("the jruntime daemon on " + socket + " did not stop within 15 s");
        }
        return true;
    }

    /**
     * Starts a daemon in the background (its own session, stdin/stdout on /dev/null, its notes appended to
     * SOCKET.log) with this JVM's command line, and waits until it answers. Returns its status line.
     */
    public static String start(Path socket, long idleSeconds) {
        String running = status(socket);
        if (running != null) {
            return running;
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        String javaCmd = info.command().orElseThrow(() -> new JRuntimeException("cannot tell which java runs jruntime"));
        List<String> argv = new ArrayList<>();
        argv.add(javaCmd);
        for (String a : info.arguments().orElse(new String[0])) {
            if (a.equals("io.jruntime.cli.Main")) {
                break;
            }
            argv.add(a);
        }
        // a long-lived JVM: a small heap (a command allocates a few MB) keeps its footprint near its live set
        argv.add("-Xmx" + DAEMON_HEAP);
        argv.add("io.jruntime.cli.Main");
        argv.addAll(List.of("daemon", "run", "--socket", socket.toString(), "--idle-timeout", Long.toString(idleSeconds)));
        Path log = Path.of(socket + ".log");
        int devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
        int logFd = -1;
        try {
            createSocketDir(socket);
            logFd = Fds.open(log.toString(), Fds.O_WRONLY | Fds.O_CREAT | 02000 /* O_APPEND */ | Fds.O_CLOEXEC, 0600);
            List<String> env = new ArrayList<>(List.of("LC_CTYPE=C.UTF-8", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
            io.jruntime.core.sys.Spawn.spawn(javaCmd, argv, env, java.util.Map.of(0, devNull, 1, devNull, 2, logFd), true);
        } catch (IOException e) {
            throw new JRuntimeException("cannot create " + socket.getParent() + ": " + e.getMessage());
        } finally {
            Fds.close(devNull);
            if (logFd >= 0) {
                Fds.close(logFd);
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String s = status(socket);
            if (s != null) {
                return s;
            }
            sleep(50);
        }
        throw new JRuntimeException("the jruntime daemon did not answer on " + socket + " within 30 s (see " + log + ")");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JRuntimeException("interrupted");
        }
    }
}
