package io.jruntime.cli.commands;

import io.jruntime.cli.FlagSpec;
import io.jruntime.cli.GoValues;
import io.jruntime.cli.ParsedArgs;
import io.jruntime.cli.UsageException;

import java.nio.file.Path;
import java.util.List;

/**
 * Base of the command classes. A command declares its flags in a {@link FlagSpec} (parsed with Go's rules,
 * rendered in the help by picocli), turns the parsed flags into its options record and calls one
 * {@link io.jruntime.cli.Operations} method. Values are converted with Go's syntax ({@link GoValues});
 * argument counts are checked here with runc's wording.
 */
public abstract class BaseCommand {
    private ParsedArgs parsed;

    /** The command's flags, synopsis and description. */
    public abstract FlagSpec spec();

    /** One line for the global help's list of commands. */
    public abstract String summary();

    public final String name() {
        return spec().command();
    }

    /**
     * True when the first positional ends the flags, so what follows it belongs to a process (exec, ps).
     * Otherwise flags may also follow positionals, as urfave/cli's reordering allows.
     */
    public boolean stopAtPositional() {
        return false;
    }

    /** Runs the command with its parsed flags; returns jruntime's exit status. */
    public final int run(Invocation inv, ParsedArgs args) {
        this.parsed = args;
        return execute(inv);
    }

    protected abstract int execute(Invocation inv);

    protected final List<String> args() {
        return parsed.positionals();
    }

    protected final boolean bool(String flag) {
        return parsed.bool(flag);
    }

    protected final String value(String flag) {
        return parsed.value(flag);
    }

    protected final String value(String flag, String dflt) {
        return parsed.value(flag, dflt);
    }

    protected final List<String> list(String flag) {
        return parsed.list(flag);
    }

    protected final void exactArgs(int n) {
        if (args().size() != n) {
            throw argCount("exactly", n);
        }
    }

    protected final void minArgs(int n) {
        if (args().size() < n) {
            throw argCount("a minimum of", n);
        }
    }

    protected final void maxArgs(int n) {
        if (args().size() > n) {
            throw argCount("a maximum of", n);
        }
    }

    /** The single container id argument. */
    protected final String id() {
        exactArgs(1);
        return args().get(0);
    }

    private UsageException argCount(String how, int n) {
        return new UsageException(UsageException.Kind.ARGS, name(),
                "jruntime: \"" + name() + "\" requires " + how + " " + n + " argument(s)");
    }

    /** p resolved against the working directory; null stays null. */
    protected static Path abs(Invocation inv, String p) {
        return p == null ? null : inv.cwd().resolve(p).normalize();
    }

    /** p resolved against the working directory, the working directory itself when null or empty. */
    protected static Path absOrCwd(Invocation inv, String p) {
        return p == null || p.isEmpty() ? inv.cwd() : inv.cwd().resolve(p).normalize();
    }

    protected static Path path(String p) {
        return p == null ? null : Path.of(p);
    }

    /** A Go flag.Int value of this command's flag, or dflt when not given. */
    protected final int int32(String flag, int dflt) {
        String v = value(flag);
        return v == null ? dflt : GoValues.parseInt32(v, flag, name());
    }
}
