package io.jruntime.cli.log;

import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The java.util.logging handler of the {@code io.jruntime} logger tree (installed by {@link LogConfig}): formats
 * each record as runc's logrus would and writes it to the current {@link Logging} destination.
 */
public final class LogrusHandler extends Handler {
    /** logrus's "fatal", above SEVERE (jruntime's own fatal errors are logged as "error", as runc does). */
    public static final java.util.logging.Level FATAL = new java.util.logging.Level("FATAL", 1100) {
        private static final long serialVersionUID = 1L;
    };

    /** Instantiated by LogManager from the logging configuration. */
    public LogrusHandler() {
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r) || r.getLevel().intValue() < java.util.logging.Level.INFO.intValue() && !Logging.debugEnabled()) {
            return; // the daemon keeps the level at FINE once a call asked for it; this call did not
        }
        String msg = r.getMessage();
        if (msg == null) {
            msg = "";
        }
        Object[] params = r.getParameters();
        if (params != null && params.length > 0 && msg.indexOf('{') >= 0) {
            msg = java.text.MessageFormat.format(msg, params);
        }
        if (r.getThrown() != null) {
            msg = msg.isEmpty() ? r.getThrown().toString() : msg + ": " + r.getThrown();
        }
        Logging.write(LogLine.levelName(r.getLevel().intValue()), msg, r.getMillis(),
                !io.jruntime.core.log.Debug.HELPER_LOGGER.equals(r.getLoggerName()));
    }

    @Override
    public void flush() {
        Logging.flush();
    }

    @Override
    public void close() {
        // the destination belongs to Logging, which closes it at exit
    }
}
