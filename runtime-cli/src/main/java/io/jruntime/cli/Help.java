package io.jruntime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintStream;
import java.util.List;

/**
 * Renders help with picocli, from the same {@link FlagSpec} tables the parser uses. Only loaded when help is
 * shown (--help, help, usage errors), so picocli costs nothing on the commands engines run.
 */
final class Help {
    private Help() {
    }

    /** The picocli model of one command (or of the global flags, with the commands as subcommands). */
    static CommandSpec model(FlagSpec s) {
        CommandSpec spec = CommandSpec.create().name(s.command());
        spec.usageMessage().customSynopsis(s.synopsis()).description(s.description()).sortOptions(false).width(100);
        for (FlagSpec.Flag f : s.flags()) {
            String[] names = f.alias() == null ? new String[] {"--" + f.name()} : new String[] {"--" + f.name(), "-" + f.alias()};
            OptionSpec.Builder b = OptionSpec.builder(names).description(f.help()).hidden(f.hidden());
            switch (f.kind()) {
                case BOOL -> b.type(boolean.class).arity("0");
                case VALUE -> b.type(String.class).paramLabel("value");
                case LIST -> b.type(List.class).auxiliaryTypes(String.class).paramLabel("value");
                default -> throw new IllegalStateException();
            }
            spec.addOption(b.build());
        }
        spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("show help").build());
        return spec;
    }

    static void print(FlagSpec s, PrintStream out) {
        new CommandLine(model(s)).usage(out, CommandLine.Help.Ansi.OFF);
    }

    /** The global help: global flags, then every command with its one-line summary. */
    static void printGlobal(PrintStream out) {
        CommandSpec top = model(GlobalFlags.SPEC);
        top.usageMessage().footer("", "Run 'jruntime <command> --help' (or 'jruntime help <command>') for a command's options.");
        CommandLine cl = new CommandLine(top);
        for (String n : Commands.ALL) {
            CommandSpec sub = model(Commands.create(n).spec());
            sub.usageMessage().description(Commands.create(n).summary());
            cl.addSubcommand(n, new CommandLine(sub));
        }
        CommandSpec help = CommandSpec.create().name("help").aliases("h");
        help.usageMessage().description("show the list of commands, or the help of one command");
        cl.addSubcommand("help", new CommandLine(help));
        cl.usage(out, CommandLine.Help.Ansi.OFF);
    }
}
