package io.jruntime.cli.log;

import io.jruntime.core.JRuntimeException;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.LogFormat;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Logging for one jruntime invocation, set up the way runc sets up its logger: lines formatted like logrus
 * ({@code --log-format text|json}, see {@link LogLine}) go to the {@code --log} file (opened for append,
 * created if missing) or to stderr; {@code --debug} enables debug lines and adds the caller's func/file.
 *
 * <p>Other code logs through java.util.logging: {@code Logger.getLogger("io.jruntime.<area>")}, with FINE for
 * debug, INFO, WARNING and SEVERE for error. That tree is routed here by {@link LogConfig}, which LogManager
 * loads lazily (via {@code java.util.logging.config.class}) the first time anything asks for a logger, so the
 * ~15 ms JUL start-up is only paid by invocations that use it. The CLI's own fatal error is written straight
 * to the destination by {@link #error}: logged at error level and, when the log is a file, also printed plainly
 * to stderr (as runc does; Podman falls back to the stderr text).
 */
public final class Logging {
    public static final String ROOT_LOGGER = "io.jruntime";

    private static final Object LOCK = new Object();
    private static OutputStream out = System.err;
    private static PrintStream stderr = System.err;
    private static boolean json;
    private static boolean debug;
    private static boolean toFile;
    private static boolean julConfigured;

    private Logging() {
    }

    /**
     * Sets the destination and format for g; replaces an earlier configuration (tests and AOT training run many
     * invocations in one JVM).
     *
     * @throws JRuntimeException the log file cannot be opened ("open PATH: reason", runc's wording); logging
     *                           then falls back to text on stderr
     */
    public static void configure(GlobalOptions g, PrintStream err) {
        boolean file = g.log() != null && !g.log().toString().equals("/dev/stderr");
        OutputStream o = err;
        if (file) {
            try {
                o = new FileOutputStream(g.log().toFile(), true);
            } catch (FileNotFoundException e) {
                configureDefault(err);
                throw new JRuntimeException("open " + g.log() + ": " + reason(e));
            }
        }
        set(o, err, g.logFormat() == LogFormat.JSON, g.debug(), file);
    }

    /** Text on stderr at info level: what runc uses before its flags are parsed. */
    public static void configureDefault(PrintStream err) {
        set(err, err, false, false, false);
    }

    private static void set(OutputStream o, PrintStream err, boolean j, boolean d, boolean file) {
        synchronized (LOCK) {
            closeFile();
            out = o;
            stderr = err;
            json = j;
            debug = d;
            toFile = file;
        }
        io.jruntime.core.log.Debug.enable(d);
        if (julConfigured) {
            Logger.getLogger(ROOT_LOGGER).setLevel(d ? Level.FINE : Level.INFO);
        } else {
            System.setProperty("java.util.logging.config.class", LogConfig.class.getName());
        }
    }

    /**
     * Makes java.util.logging use this configuration now, even if LogManager was initialized before
     * {@link #configure} could name {@link LogConfig} (as in test runners).
     */
    public static void installJulNow() {
        LogConfig.apply(LogManager.getLogManager());
    }

    static void julConfigured() {
        julConfigured = true;
    }

    /** The fatal error of an invocation: an error line, plus the plain message on stderr when logging to a file. */
    public static void error(String msg) {
        write("error", msg, System.currentTimeMillis());
        if (toFile) {
            stderr.println(msg);
            stderr.flush();
        }
    }

    /** A debug line (only with --debug). */
    public static void debug(String msg) {
        if (debug) {
            write("debug", msg, System.currentTimeMillis());
        }
    }

    public static boolean debugEnabled() {
        return debug;
    }

    /** Writes one formatted line (with the caller's func/file under --debug). */
    static void write(String level, String msg, long millis) {
        write(level, msg, millis, true);
    }

    /**
     * Writes one formatted line; withCaller false for lines relayed from jruntime-init, which (like runc's nsexec
     * lines) carry no func/file: the Java frame that relays them is not where they come from.
     */
    static void write(String level, String msg, long millis, boolean withCaller) {
        String func = null;
        String file = null;
        if (debug && withCaller) {
            StackTraceElement e = callerOf();
            if (e != null) {
                func = e.getClassName() + "." + e.getMethodName();
                file = e.getFileName() + ":" + e.getLineNumber();
            }
        }
        byte[] line = LogLine.format(json, level, msg, LogLine.rfc3339(millis), func, file).getBytes(StandardCharsets.UTF_8);
        synchronized (LOCK) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                // nowhere left to report it
            }
        }
    }

    static void flush() {
        synchronized (LOCK) {
            try {
                out.flush();
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    /** The first frame outside logging code: who logged. */
    private static StackTraceElement callerOf() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("java.util.logging.") && !c.startsWith("io.jruntime.cli.log.")
                    && !c.startsWith("io.jruntime.core.log.") && !c.equals("io.jruntime.cli.ErrorReporter")) {
                return e;
            }
        }
        return null;
    }

    /** Flushes and closes the log file (at exit). */
    public static void close() {
        synchronized (LOCK) {
            closeFile();
            out = stderr;
            toFile = false;
        }
    }

    private static void closeFile() {
        if (toFile) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closing at exit
            }
        }
    }

    /** "no such file or directory" from Java's "path (No such file or directory)", lower-cased like Go's errors. */
    static String reason(FileNotFoundException e) {
        String m = e.getMessage();
        int open = m == null ? -1 : m.lastIndexOf(" (");
        if (open < 0 || !m.endsWith(")")) {
            return m == null ? "cannot open" : m;
        }
        String r = m.substring(open + 2, m.length() - 1);
        return r.isEmpty() ? r : Character.toLowerCase(r.charAt(0)) + r.substring(1);
    }
}
