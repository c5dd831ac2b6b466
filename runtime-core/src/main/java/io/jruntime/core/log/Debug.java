package io.jruntime.core.log;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The debug log of one invocation (runc's {@code --debug}): a line per step of create, start, exec, delete, kill,
 * checkpoint and restore. The CLI switches it on with {@link #enable}; everything else asks {@link #on()} first
 * and builds its message only then:
 * <pre>{@code if (Debug.on()) { Debug.log(Foo.class, "cgroup " + dir + " created"); }}</pre>
 * With --debug off that is one static read: java.util.logging is never initialised on that path (its start-up
 * costs every call ~15 ms, see ContainerDeleter.log()), nor are the message's string concatenations linked.
 *
 * <p>Lines go through java.util.logging (logger named after the class, level FINE), which the CLI routes to
 * the --log destination in logrus format with the caller's func/file. The init helper's own lines are relayed
 * through {@link #helper} on the {@link #HELPER_LOGGER} logger, which the CLI writes without func/file, as runc
 * writes the lines of its nsexec.
 */
public final class Debug {
    /** Logger of the lines relayed from jruntime-init. */
    public static final String HELPER_LOGGER = "io.jruntime.init.helper";

    private static volatile boolean enabled;
    /** Set when one process serves several calls at once (the daemon): whether the current call has --debug. */
    private static volatile java.util.function.BooleanSupplier perCall;

    private Debug() {
    }

    /** Set from --debug by the CLI for the invocation it runs. */
    public static void enable(boolean on) {
        enabled = on;
    }

    /**
     * From now on {@link #on()} asks which: the daemon serves concurrent calls, each with its own --debug, so one
     * process-wide switch would let one call turn another's debug log on or off.
     */
    public static void perCall(java.util.function.BooleanSupplier currentCallHasDebug) {
        perCall = currentCallHasDebug;
    }

    /** Whether --debug is on (for the current call): test it before building a message. */
    public static boolean on() {
        java.util.function.BooleanSupplier s = perCall;
        return s != null ? s.getAsBoolean() : enabled;
    }

    /** One debug line attributed to the caller (the CLI finds the calling frame above this class). */
    public static void log(Class<?> who, String msg) {
        if (on()) {
            Logger.getLogger(who.getName()).fine(msg);
        }
    }

    /**
     * A container's cgroup paths as the state records them (controller to directory), for a debug line: one entry
     * per directory, controllers that share it named together, jruntime's own bookkeeping keys left out, and
     * "(existing)" after a directory this runtime did not create (found there and joined).
     */
    public static String cgroupPaths(java.util.Map<String, String> paths) {
        java.util.Map<String, Integer> created = new java.util.HashMap<>();
        String levels = paths.get("jruntime.created");
        if (levels != null) {
            for (String item : levels.split(",")) {
                int eq = item.lastIndexOf('=');
                if (eq >= 0) {
                    try {
                        created.put(item.substring(0, eq), Integer.parseInt(item.substring(eq + 1)));
                    } catch (NumberFormatException e) {
                        // only for display
                    }
                }
            }
        }
        java.util.Map<String, java.util.List<String>> byDir = new java.util.TreeMap<>();
        paths.forEach((k, v) -> {
            if (!k.startsWith("jruntime.")) {
                byDir.computeIfAbsent(v, d -> new java.util.ArrayList<>()).add(k.isEmpty() ? "unified" : k);
            }
        });
        StringBuilder sb = new StringBuilder("[");
        byDir.forEach((dir, ctls) -> {
            java.util.Collections.sort(ctls);
            boolean ours = levels == null || ctls.stream().anyMatch(c -> created.getOrDefault(c.equals("unified") ? "" : c, 0) > 0);
            sb.append(sb.length() > 1 ? ", " : "").append(String.join(",", ctls)).append('=').append(dir)
                    .append(ours ? "" : " (existing)");
        });
        return sb.append(']').toString();
    }

    /**
     * A line the init helper wrote to its log channel: level as it named it ("debug", "info", "warning",
     * "error"), the message already marked with the helper's stage and pid.
     */
    public static void helper(String level, String msg) {
        Level l = switch (level) {
            case "error" -> Level.SEVERE;
            case "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            default -> Level.FINE;
        };
        Logger.getLogger(HELPER_LOGGER).log(l, msg);
    }
}
