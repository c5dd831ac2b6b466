package io.jruntime.cli.log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * Named by the {@code java.util.logging.config.class} property that {@link Logging#configure} sets, so that
 * LogManager, when something first asks it for a logger, configures itself from here instead of reading the
 * JDK's logging.properties: the {@code io.jruntime} tree gets the {@link LogrusHandler} and the level of
 * --debug; nothing else logs. Commands that never touch java.util.logging never pay for its start-up.
 */
public final class LogConfig {
    /** Called by LogManager during its initialization. */
    public LogConfig() {
        apply(LogManager.getLogManager());
    }

    static void apply(LogManager manager) {
        String props = "handlers=\n"
                + ".level=INFO\n"
                + Logging.ROOT_LOGGER + ".level=" + (Logging.debugEnabled() ? "FINE" : "INFO") + "\n"
                + Logging.ROOT_LOGGER + ".useParentHandlers=false\n"
                + Logging.ROOT_LOGGER + ".handlers=" + LogrusHandler.class.getName() + "\n";
        try {
            manager.readConfiguration(new ByteArrayInputStream(props.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Logging.julConfigured();
    }
}
