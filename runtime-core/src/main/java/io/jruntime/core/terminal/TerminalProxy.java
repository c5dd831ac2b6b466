package io.jruntime.core.terminal;

import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Terminals;

/**
 * For `run`/`exec` in the foreground with a terminal but no console socket: jruntime itself holds the pty
 * master and copies bytes between it and its own stdin/stdout, with the caller's terminal in raw mode so that
 * keys reach the container unchanged. Restores the caller's terminal on {@link #close}.
 */
public final class TerminalProxy implements AutoCloseable {
    private final int master;
    private byte[] savedTermios;
    private Thread output;

    public TerminalProxy(int master) {
        this.master = master;
    }

    public void start() {
        if (Terminals.isatty(0)) {
            Terminals.copyWindowSize(0, master);
            savedTermios = Terminals.makeRaw(0);
        }
        Thread input = Thread.ofPlatform().daemon().start(() -> copy(0, master));
        input.setName("terminal-input");
        output = Thread.ofPlatform().daemon().start(() -> copy(master, 1));
    }

    private static void copy(int from, int to) {
        try {
            while (true) {
                byte[] b = Fds.read(from, 8192, "terminal");
                if (b == null || b.length == 0) {
                    return;
                }
                Fds.writeFully(to, b, "terminal");
            }
        } catch (RuntimeException e) {
            // EIO on the master once the container side closed: the session is over.
        }
    }

    /** Waits (briefly) until the container's output is drained, then restores our terminal. */
    @Override
    public void close() {
        if (output != null) {
            try {
                output.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (savedTermios != null) {
            Terminals.restoreTerminal(0, savedTermios);
        }
        Fds.close(master);
    }
}
