package io.jruntime.cli;

import io.jruntime.cli.commands.BaseCommand;
import io.jruntime.cli.commands.Invocation;
import io.jruntime.cli.log.Logging;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.sys.Caller;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One jruntime invocation: global flags, command lookup, the command's flags, the call into {@link Operations},
 * and error reporting through {@link ErrorReporter}. Never calls System.exit, so tests and the AOT training run
 * many invocations in one JVM. Parsing follows runc (Go's flag package under urfave/cli), see {@link GoArgs}.
 */
public final class Cli {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Path cwd;
    private Error fatalError;
    private final String xdgRuntimeDir;
    /** $USER of the process jruntime acts for (in a user namespace it picks the state directory), or null. */
    private final String user;
    /** The mode a new --log file gets (the caller's umask applied), or null: this process's umask applies. */
    private final java.util.Set<java.nio.file.attribute.PosixFilePermission> newFile;
    private final OpsFactory opsFactory;

    /**
     * @param cwd           directory relative paths are resolved against
     * @param xdgRuntimeDir $XDG_RUNTIME_DIR (default root of non-root users), or null
     * @param opsFactory    makes the Operations to call (tests pass a recording one)
     */
    public Cli(PrintStream out, PrintStream err, InputStream in, Path cwd, String xdgRuntimeDir,
            OpsFactory opsFactory) {
        this(out, err, in, cwd, xdgRuntimeDir, System.getenv("USER"), null, opsFactory);
    }

    private Cli(PrintStream out, PrintStream err, InputStream in, Path cwd, String xdgRuntimeDir, String user,
            java.util.Set<java.nio.file.attribute.PosixFilePermission> newFile, OpsFactory opsFactory) {
        this.user = user;
        this.newFile = newFile;
        this.out = out;
        this.err = err;
        this.in = in;
        this.cwd = cwd;
        this.xdgRuntimeDir = xdgRuntimeDir;
        this.opsFactory = opsFactory;
    }

    /** Makes the Operations a Cli calls (tests pass a recording one). */
    public interface OpsFactory {
        Operations create(Cli cli);
    }

    /** The real Operations. A class, not a lambda: no invokedynamic bootstrap on every start. */
    static final class RealOps implements OpsFactory {
        private final Caller caller;

        RealOps(Caller caller) {
            this.caller = caller;
        }

        @Override
        public Operations create(Cli cli) {
            return new Operations(cli.out, cli.err, caller);
        }
    }

    /** A Cli on the given streams and the process's stdin, working directory and environment. */
    public static Cli system(PrintStream out, PrintStream err) {
        return new Cli(out, err, System.in, Path.of("").toAbsolutePath(), System.getenv("XDG_RUNTIME_DIR"),
                new RealOps(Caller.SELF));
    }

    /**
     * A Cli acting for another process (the daemon's client): its streams and fds, and its directory and
     * environment from {@link Caller#context} (never this process's).
     */
    public static Cli forCaller(PrintStream out, PrintStream err, InputStream in, Caller caller) {
        io.jruntime.core.sys.CallerContext c = caller.context();
        return new Cli(out, err, in, c.cwd(), c.env().get("XDG_RUNTIME_DIR"), c.env().get("USER"),
                c.newFilePermissions(), new RealOps(caller));
    }

    /** A command line's command and its own flags, as {@link #run} would parse them. */
    public record CommandLine(String name, ParsedArgs flags) {
    }

    /**
     * The command an argument list names once the global flags are skipped (what runc would run) with its
     * flags; null when the global or command flags do not parse, no command is given, or help or the version
     * is asked for.
     */
    public static CommandLine parseCommand(List<String> args) {
        try {
            ParsedArgs globals = GoArgs.parse(GlobalFlags.SPEC, args, 0, args.size(), true, null);
            int at = globals.stoppedAt();
            if (globals.helpRequested() || globals.bool("version") || at >= args.size()) {
                return null;
            }
            String name = args.get(at);
            BaseCommand cmd = Commands.create(name);
            ParsedArgs flags = GoArgs.parse(cmd.spec(), args, at + 1, args.size(), cmd.stopAtPositional(), name);
            return flags.helpRequested() ? null : new CommandLine(name, flags);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /**
     * The Error (OutOfMemoryError, ...) the last {@link #run} reported, else null: a resident JVM (the daemon)
     * must not go on serving after one, whatever state it left half-updated.
     */
    public Error fatalError() {
        return fatalError;
    }

    /** Runs one invocation and returns the exit status. */
    public int run(String... argv) {
        ErrorReporter reporter = new ErrorReporter(out);
        try {
            List<String> args = Arrays.asList(argv);
            ParsedArgs globals;
            try {
                globals = GoArgs.parse(GlobalFlags.SPEC, args, 0, args.size(), true, null);
            } catch (RuntimeException e) {
                Logging.configureDefault(err);
                throw e;
            }
            GlobalOptions g;
            try {
                g = GlobalFlags.toOptions(globals, cwd, xdgRuntimeDir, user);
            } catch (RuntimeException e) {
                Logging.configureDefault(err);
                throw e;
            }
            Logging.configure(g, err, newFile);
            if (globals.bool("version")) {
                out.print(Version.text());
                return 0;
            }
            int at = globals.stoppedAt();
            if (globals.helpRequested() || at >= args.size()) {
                printHelp(null, out);
                return 0;
            }
            String name = args.get(at);
            List<String> rest = args.subList(at + 1, args.size());
            if (name.equals("help") || name.equals("h")) {
                printHelp(rest.isEmpty() ? null : rest.get(0), out);
                return 0;
            }
            BaseCommand cmd = Commands.create(name);
            ParsedArgs parsed = GoArgs.parse(cmd.spec(), rest, 0, rest.size(), cmd.stopAtPositional(), name);
            if (parsed.helpRequested()) {
                Help.print(cmd.spec(), out);
                return 0;
            }
            return cmd.run(new Invocation(g, opsFactory.create(this), cwd, in), parsed);
        } catch (Throwable t) {
            if (t instanceof Error e) {
                fatalError = e;
            }
            return reporter.report(t);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Help of one command (an unknown one is an UnknownCommandException), or the global help (null). */
    static void printHelp(String command, PrintStream to) {
        if (command == null) {
            Help.printGlobal(to);
        } else {
            Help.print(Commands.create(command).spec(), to);
        }
    }
}
