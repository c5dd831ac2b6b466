package io.jruntime.core.terminal;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Sockets;

import java.nio.charset.StandardCharsets;

/**
 * Hands a container's pty master to the engine: connect to the AF_UNIX socket given as --console-socket and
 * send the fd with SCM_RIGHTS, with the master's name as payload, as runc does (conmon and containerd read it).
 */
public final class ConsoleSocket {
    private ConsoleSocket() {
    }

    /**
     * Delivers a pty master to where it goes: the console socket when there is one, else (run/exec/restore in the
     * foreground) a copy to the sink, which then owns it. The master itself is closed either way.
     */
    public static void deliver(String socketPath, java.util.function.IntConsumer sink, int masterFd) {
        try {
            if (socketPath != null) {
                send(socketPath, masterFd);
            } else {
                sink.accept(Fds.fcntl(masterFd, Fds.F_DUPFD_CLOEXEC, 3));
            }
        } finally {
            Fds.close(masterFd);
        }
    }

    public static void send(String socketPath, int masterFd) {
        int sock;
        try {
            sock = Sockets.connectUnix(socketPath);
        } catch (JRuntimeException e) {
            throw new JRuntimeException("--console-socket " + socketPath + ": " + e.getMessage(), e);
        }
        try {
            Sockets.sendmsg(sock, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), masterFd, "terminal to " + socketPath);
        } finally {
            Fds.close(sock);
        }
    }
}
