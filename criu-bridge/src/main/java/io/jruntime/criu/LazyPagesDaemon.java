package io.jruntime.criu;

import io.jruntime.core.sys.Spawn;
import io.jruntime.core.sys.SyscallException;
import io.jruntime.core.sys.Fds;
import io.jruntime.core.sys.Processes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running `criu lazy-pages` daemon (there is no RPC request for it, so it is started as a command). It is our
 * child: {@link #awaitExit} reaps it once it has served every page (it then exits by itself), and {@link #close}
 * kills and reaps it if it is still running.
 */
public final class LazyPagesDaemon implements AutoCloseable {
    private final int pid;
    private final Path logFile;
    private final int output;
    private String exitStatus;

    private LazyPagesDaemon(int pid, Path logFile, int output) {
        this.pid = pid;
        this.logFile = logFile;
        this.output = output;
    }

    /**
     * Starts the daemon and waits (bounded by readyTimeout) until it listens for the restore, which it reports by
     * writing to its --status-fd (a pipe to us, its fd 3).
     */
    static LazyPagesDaemon start(CriuBinary binary, LazyPagesRequest r, Duration readyTimeout) {
        String op = "lazy-pages";
        Path work = r.effectiveWorkDir();
        Path log = work.resolve(r.logFile());
        List<String> argv = new ArrayList<>(List.of("criu", "lazy-pages", "-D", r.imagesDir().toString(),
                "-W", work.toString(), "-o", r.logFile(), "-v" + r.logLevel(), "--status-fd", "3"));
        if (r.pageServer() != null) {
            argv.add("--page-server");
            if (r.pageServer().address() != null) {
                argv.addAll(List.of("--address", r.pageServer().address()));
            }
            argv.addAll(List.of("--port", Integer.toString(r.pageServer().port())));
        }
        try (Dirs dirs = new Dirs(op)) {
            dirs.open(r.imagesDir(), -1, false, "images directory");
            dirs.open(work, -1, true, "work directory");
        }
        Dirs.removeStaleLog(log);
        int[] pipe = Fds.pipe();
        int devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
        int output = Fds.memfdCreate("criu-lazy-pages-output", Fds.MFD_CLOEXEC);
        int pid;
        try {
            pid = Spawn.spawn(binary.path().toString(), argv, List.of(CriuSession.CRIU_PATH_ENV),
                    Map.of(0, devNull, 1, output, 2, output, 3, pipe[1]), false);
        } catch (RuntimeException e) {
            Fds.close(pipe[0]);
            Fds.close(output);
            throw e;
        } finally {
            Fds.close(pipe[1]);
            Fds.close(devNull);
        }
        LazyPagesDaemon d = new LazyPagesDaemon(pid, log, output);
        try {
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    d.close();
                    throw new CriuException(CriuException.Kind.TIMEOUT, op, "criu lazy-pages did not get ready within "
                            + CriuSession.seconds(readyTimeout.toMillis()) + " and was killed"
                            + CriuSession.details(log, CriuSession.readOutput(output)), 0, log,
                            CriuLog.errorLines(log, CriuLog.MAX_ERROR_LINES), null);
                }
                if (Fds.poll(pipe[0], Fds.POLLIN, (int) Math.min(left, 1000)) != 0) {
                    byte[] b = Fds.read(pipe[0], 1, "lazy-pages status fd");
                    if (b != null && b.length == 1) {
                        return d;
                    }
                    String st = d.awaitExit(Duration.ofSeconds(10));
                    List<String> errors = CriuLog.errorLines(log, CriuLog.MAX_ERROR_LINES);
                    String hint = CriuLog.hint(op, errors, CriuSession.readOutput(output), 0);
                    d.close();
                    throw new CriuException(CriuException.Kind.FAILED, op, "criu lazy-pages failed to start"
                            + (errors.isEmpty() ? "" : ": " + CriuLog.headline(errors, null))
                            + (hint == null ? "" : "\n  hint: " + hint)
                            + CriuSession.details(log, CriuSession.readOutput(output)) + "\n  criu: " + st,
                            0, log, errors, null);
                }
            }
        } finally {
            Fds.close(pipe[0]);
        }
    }

    public int pid() {
        return pid;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Waits up to timeout for the daemon to exit (after it has served all pages) and reaps it; returns its exit
     * status ("exit status 0" when it finished cleanly). Throws TIMEOUT (and leaves it running) if it does not exit.
     */
    public synchronized String awaitExit(Duration timeout) {
        if (exitStatus != null) {
            return exitStatus;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Processes.WaitStatus st = Processes.waitpid(pid, Processes.WNOHANG);
            if (st != null) {
                exitStatus = CriuSession.describe(st);
                return exitStatus;
            }
            if (System.nanoTime() > deadline) {
                throw new CriuException(CriuException.Kind.TIMEOUT, "lazy-pages", "criu lazy-pages (pid " + pid
                        + ") has not finished within " + CriuSession.seconds(timeout.toMillis()), 0, logFile,
                        CriuLog.errorLines(logFile, CriuLog.MAX_ERROR_LINES), null);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CriuException(CriuException.Kind.TIMEOUT, "lazy-pages", "interrupted while waiting for criu lazy-pages");
            }
        }
    }

    /** Kills the daemon if it still runs, reaps it and releases its output buffer. */
    @Override
    public synchronized void close() {
        if (exitStatus == null) {
            CriuSession.killTree(pid);
            try {
                exitStatus = CriuSession.describe(Processes.waitpid(pid, 0));
            } catch (SyscallException e) {
                exitStatus = "not reaped: " + e.getMessage();
            }
        }
        try {
            Fds.close(output);
        } catch (RuntimeException ignored) {
            // closed already
        }
    }
}
