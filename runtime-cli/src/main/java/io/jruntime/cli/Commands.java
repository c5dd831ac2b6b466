package io.jruntime.cli;

import io.jruntime.cli.commands.BaseCommand;
import io.jruntime.cli.commands.CheckpointCommand;
import io.jruntime.cli.commands.CreateCommand;
import io.jruntime.cli.commands.DaemonCommand;
import io.jruntime.cli.commands.DeleteCommand;
import io.jruntime.cli.commands.EventsCommand;
import io.jruntime.cli.commands.ExecCommand;
import io.jruntime.cli.commands.FeaturesCommand;
import io.jruntime.cli.commands.KillCommand;
import io.jruntime.cli.commands.ListCommand;
import io.jruntime.cli.commands.MigrateCommand;
import io.jruntime.cli.commands.PauseCommand;
import io.jruntime.cli.commands.PsCommand;
import io.jruntime.cli.commands.RestoreCommand;
import io.jruntime.cli.commands.ResumeCommand;
import io.jruntime.cli.commands.RunCommand;
import io.jruntime.cli.commands.SpecCommand;
import io.jruntime.cli.commands.StartCommand;
import io.jruntime.cli.commands.StateCommand;
import io.jruntime.cli.commands.UpdateCommand;

import java.util.List;

/**
 * The command registry. Commands are constructed on demand, one per invocation, so a call such as
 * {@code jruntime state x} only builds the picocli model of {@code state} (start-up time matters: engines start
 * the runtime for every operation). The full set is only built for the global help.
 */
public final class Commands {
    /** Every command, in the order of runc's help. */
    public static final List<String> NAMES = List.of("checkpoint", "create", "delete", "events", "exec", "kill", "list",
            "pause", "ps", "restore", "resume", "run", "spec", "start", "state", "update", "features");

    /** runc's commands and jruntime's own (daemon, migrate), as the global help lists them. */
    public static final List<String> ALL = java.util.stream.Stream.concat(NAMES.stream(), java.util.stream.Stream.of("daemon", "migrate")).toList();

    private Commands() {
    }

    /** A fresh command object, or an UnknownCommandException (exit 3) for a name runc does not have. */
    public static BaseCommand create(String name) {
        switch (name) {
            case "checkpoint":
                return new CheckpointCommand();
            case "create":
                return new CreateCommand();
            case "daemon":
                return new DaemonCommand();
            case "delete":
                return new DeleteCommand();
            case "events":
                return new EventsCommand();
            case "exec":
                return new ExecCommand();
            case "kill":
                return new KillCommand();
            case "migrate":
                return new MigrateCommand();
            case "list":
                return new ListCommand();
            case "pause":
                return new PauseCommand();
            case "ps":
                return new PsCommand();
            case "restore":
                return new RestoreCommand();
            case "resume":
                return new ResumeCommand();
            case "run":
                return new RunCommand();
            case "spec":
                return new SpecCommand();
            case "start":
                return new StartCommand();
            case "state":
                return new StateCommand();
            case "update":
                return new UpdateCommand();
            case "features":
                return new FeaturesCommand();
            default:
                throw new UnknownCommandException(name);
        }
    }
}
