package io.jruntime.cli;

import io.jruntime.cli.log.Logging;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.JRuntimeException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The one place that turns a failure into what the caller sees, as runc does:
 * <ul>
 * <li>usage errors: "Incorrect Usage: ..." and the command's help on stdout, the message logged, exit 1;</li>
 * <li>unknown command: "No help topic for 'x'" logged, exit 3;</li>
 * <li>{@link ExecFailedException}: "exec failed: ..." logged, exit 255;</li>
 * <li>other {@link JRuntimeException}s (config errors, {@code SpecException}, among them): the message logged, exit 1;</li>
 * <li>anything else (a bug): "internal error: " + the exception class and message, exit 1; the stack trace
 *     is logged at debug level, so only with --debug.</li>
 * </ul>
 * "Logged" means an error line to the --log destination (stderr by default, in the --log-format), plus the
 * plain message on stderr when --log names a file.
 */
public final class ErrorReporter {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_UNKNOWN_COMMAND = 3;
    public static final int EXIT_EXEC_FAILED = ExecFailedException.EXIT_STATUS;

    private final PrintStream out;

    /** @param out where usage errors print "Incorrect Usage" and the help (stdout, as runc) */
    public ErrorReporter(PrintStream out) {
        this.out = out;
    }

    public static int exitCode(Throwable t) {
        if (t instanceof UnknownCommandException) {
            return EXIT_UNKNOWN_COMMAND;
        }
        if (t instanceof ExecFailedException) {
            return EXIT_EXEC_FAILED;
        }
        return EXIT_FAILURE;
    }

    public static String message(Throwable t) {
        if (t instanceof JRuntimeException) {
            String m = t.getMessage();
            return m == null ? t.getClass().getName() : m;
        }
        return "internal error: " + t;
    }

    /** Reports t and returns the exit status to use. */
    public int report(Throwable t) {
        if (t instanceof UsageException u) {
            out.print(u.kind() == UsageException.Kind.FLAG ? "Incorrect Usage: " + u.getMessage() + "\n\n" : "Incorrect Usage.\n\n");
            try {
                Cli.printHelp(u.command(), out);
            } catch (RuntimeException e) {
                // the help is a courtesy; the error below is what matters
            }
            out.flush();
        } else if (Logging.debugEnabled()) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            Logging.debug(sw.toString().stripTrailing());
        }
        Logging.error(message(t));
        return exitCode(t);
    }
}
