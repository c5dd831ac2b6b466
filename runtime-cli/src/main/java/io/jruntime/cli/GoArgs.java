package io.jruntime.cli;

import java.util.List;

/**
 * Parses a runc-style argument list against a {@link FlagSpec} with the rules of Go's "flag" package as runc's
 * urfave/cli applies them:
 * <ul>
 * <li>one or two dashes for every flag, short or long: {@code -no-subreaper}, {@code --d}, {@code -log-format=json};</li>
 * <li>a value is {@code =value} or the next argument, whatever it looks like ({@code --cwd --tty} sets cwd to "--tty");</li>
 * <li>switches take no separate value but accept {@code =true/false/1/0/t/f/...}; the last occurrence wins, so
 *     repeating one ({@code --leave-running --leave-running}) is fine;</li>
 * <li>no clusters of one-letter flags ({@code -qf} is an unknown flag), no abbreviations, no @files;</li>
 * <li>{@code --} ends the flags; a lone {@code -} is a positional (e.g. {@code --resources -} reads stdin);</li>
 * <li>{@code -h}, {@code -help}, {@code --help} ask for help.</li>
 * </ul>
 * Flags may follow positionals (urfave/cli moves known flags forward) except when {@code stopAtPositional} is
 * set (global flags, exec, ps): then the first positional ends the flags and it and everything after it are
 * positionals, so {@code exec id sh -c 'ls -la'} keeps {@code -c} and {@code -la} for the process.
 */
public final class GoArgs {
    private GoArgs() {
    }

    /**
     * @param command name for error messages and the help shown with them (null for the global flags)
     * @throws UsageException unknown flag, missing value, bad boolean
     */
    public static ParsedArgs parse(FlagSpec spec, List<String> in, int from, int to, boolean stopAtPositional, String command) {
        ParsedArgs out = new ParsedArgs();
        int i = from;
        while (i < to) {
            String a = in.get(i);
            if (a.equals("--")) {
                for (int j = i + 1; j < to; j++) {
                    out.positional(in.get(j));
                }
                if (stopAtPositional) {
                    out.stoppedAt(i + 1);
                }
                return out;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                if (stopAtPositional) {
                    out.stoppedAt(i);
                    for (int j = i; j < to; j++) {
                        out.positional(in.get(j));
                    }
                    return out;
                }
                out.positional(a);
                i++;
                continue;
            }
            int dashes = a.charAt(1) == '-' ? 2 : 1;
            String body = a.substring(dashes);
            if (body.isEmpty() || body.charAt(0) == '-' || body.charAt(0) == '=') {
                throw new UsageException(UsageException.Kind.FLAG, command, "bad flag syntax: " + a);
            }
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            FlagSpec.Flag f = spec.find(name);
            if (f == null) {
                if (name.equals("h") || name.equals("help")) {
                    if (value == null || parseBool(value, name, command)) {
                        out.help();
                    }
                    i++;
                    continue;
                }
                throw new UsageException(UsageException.Kind.FLAG, command, "flag provided but not defined: -" + name);
            }
            if (f.kind() == FlagSpec.Kind.BOOL) {
                out.set(f.name(), value == null || parseBool(value, name, command));
                i++;
                continue;
            }
            if (value == null) {
                if (i + 1 >= to) {
                    throw new UsageException(UsageException.Kind.FLAG, command, "flag needs an argument: -" + name);
                }
                value = in.get(++i);
            }
            out.add(f.name(), value);
            i++;
        }
        if (stopAtPositional) {
            out.stoppedAt(to);
        }
        return out;
    }

    /** Go's strconv.ParseBool spellings; anything else is a usage error worded as Go's flag package words it. */
    static boolean parseBool(String v, String name, String command) {
        switch (v) {
            case "1", "t", "T", "true", "TRUE", "True":
                return true;
            case "0", "f", "F", "false", "FALSE", "False":
                return false;
            default:
                throw new UsageException(UsageException.Kind.FLAG, command,
                        "invalid boolean value \"" + v + "\" for -" + name + ": parse error");
        }
    }
}
