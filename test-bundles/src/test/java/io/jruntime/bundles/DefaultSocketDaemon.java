package io.jruntime.bundles;

import io.jruntime.bundles.engines.Cmd;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A `jruntime daemon` on the default socket around a test class ({@code @ExtendWith(DefaultSocketDaemon.class)}),
 * to run a test class again with the daemon serving bin/jruntime's calls. The default socket because engines
 * call the runtime with an emptied or fixed environment, so bin/jruntime only finds a daemon there. Skips the class when a daemon already listens on it (not the test's to stop); after the class
 * it stops the daemon and removes everything it made.
 */
public final class DefaultSocketDaemon implements BeforeAllCallback, AfterAllCallback {
    static final Path SOCKET = Path.of("/run/jruntime-daemon/daemon.sock");
    private boolean started;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        started = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (started) {
            stop();
        }
    }

    private static void start() {
        Cmd.Result st = daemon("status");
        assumeTrue(st.exitCode() != 0, "a jruntime daemon already runs on " + SOCKET + ": " + st.stdout());
        daemon("start").ok();
    }

    private static void stop() throws IOException {
        try {
            assertEquals("stopped", daemon("stop").ok().stdout().strip());
        } finally {
            for (ProcessHandle p : Cmd.processesWithArg(SOCKET.toString())) {
                Cmd.killTree(p);
            }
            Files.deleteIfExists(SOCKET);
            Files.deleteIfExists(Path.of(SOCKET + ".log"));
            try {
                Files.deleteIfExists(SOCKET.getParent()); // made by the daemon; kept if anything else is in it
            } catch (FileSystemException e) {
                // someone else's files (DirectoryNotEmptyException), or a mount point (EBUSY: a test run in a
                // private mount namespace with a tmpfs on the socket directory)
            }
        }
    }

    /** How many commands the daemon has served so far. */
    public static long served() {
        return served(SOCKET);
    }

    /** How many commands the daemon on socket has served so far. */
    public static long served(Path socket) {
        return statusNumber(socket, "served");
    }

    /** The daemon's pid. */
    public static long pid() {
        return statusNumber(SOCKET, "pid");
    }

    /** The number after label in `jruntime daemon status` ("pid 123, ..., served 4, declined 1, ..."). */
    static long statusNumber(Path socket, String label) {
        String st = daemon(socket, "status").ok().stdout();
        Matcher m = Pattern.compile(label + " (\\d+)").matcher(st);
        assertTrue(m.find(), st);
        return Long.parseLong(m.group(1));
    }

    private static Cmd.Result daemon(String action) {
        return daemon(SOCKET, action);
    }

    private static Cmd.Result daemon(Path socket, String action) {
        return Cmd.run(List.of(Jruntime.defaultBinary().toString(), "daemon", action, "--socket", socket.toString()),
                Map.of(), null, 60);
    }
}
