package io.jruntime.core.terminal;

import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Terminals;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.sys.Errno;
import io.jruntime.core.sys.SyscallException;

/**
 * For `run`/`exec` in the foreground with a terminal but no console socket: jruntime itself holds the pty
 * master and copies bytes between it and its own stdin/stdout, with the caller's terminal in raw mode so that
 * keys reach the container unchanged. Restores the caller's terminal on {@link #close}.
 *
 * <p>The caller's terminal is found as runc 1.1 finds it: the first of stderr, stdout, stdin that is a terminal,
 * else the controlling terminal (/dev/tty) when all three are redirected. Without any, runc refuses before it
 * creates anything ({@code open /dev/tty: no such device or address}); {@link #requireHostConsole} does the same.
 */
public final class TerminalProxy implements AutoCloseable {
    private final int master;
    private static final int O_NOCTTY = 0400;
    private byte[] savedTermios;
    private int console = -1;
    private Thread output;

    public TerminalProxy(int master) {
        this.master = master;
    }

    public void start() {
        console = hostConsole();
        Terminals.copyWindowSize(console, master);
        savedTermios = Terminals.makeRaw(console);
        Thread input = Thread.ofPlatform().daemon().start(() -> copy(0, master));
        input.setName("terminal-input");
        output = Thread.ofPlatform().daemon().start(() -> copy(master, 1));
    }

    /** Refuses, with runc's words, a foreground terminal when the caller has no terminal at all. */
    public static void requireHostConsole() {
        int fd = hostConsole();
        if (fd > 2) {
            Fds.close(fd);
        }
    }

    /** stderr, stdout or stdin when one is a terminal (not to be closed), else a new fd of /dev/tty. */
    private static int hostConsole() {
        for (int fd : new int[] {2, 1, 0}) {
            if (Terminals.isatty(fd)) {
                return fd;
            }
        }
        try {
            return Fds.open("/dev/tty", Fds.O_RDWR | Fds.O_CLOEXEC | O_NOCTTY, 0);
        } catch (SyscallException e) {
            String text = Errno.describe(e.errno());
            // Go's wording (runc's message): strerror's text with a lower-case first letter.
            throw new JRuntimeException("open /dev/tty: " + Character.toLowerCase(text.charAt(0)) + text.substring(1), e);
        }
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
            Terminals.restoreTerminal(console, savedTermios);
        }
        if (console > 2) {
            Fds.close(console);
        }
        Fds.close(master);
    }
}
