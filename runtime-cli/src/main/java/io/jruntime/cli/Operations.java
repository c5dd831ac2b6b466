package io.jruntime.cli;

import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;
import io.jruntime.core.RuntimeContext;
import io.jruntime.core.hooks.HookRunner;
import io.jruntime.core.lifecycle.ContainerCreator;
import io.jruntime.core.lifecycle.ContainerDeleter;
import io.jruntime.core.lifecycle.ContainerEvents;
import io.jruntime.core.lifecycle.ContainerKiller;
import io.jruntime.core.lifecycle.ContainerPauser;
import io.jruntime.core.lifecycle.ContainerProcesses;
import io.jruntime.core.lifecycle.ContainerStarter;
import io.jruntime.core.lifecycle.ContainerUpdater;
import io.jruntime.core.lifecycle.ExecProcessBuilder;
import io.jruntime.core.lifecycle.ProcessExecutor;
import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.CreateOptions;
import io.jruntime.core.ops.DeleteOptions;
import io.jruntime.core.ops.EventsOptions;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.KillOptions;
import io.jruntime.core.ops.ListOptions;
import io.jruntime.core.ops.OutputFormat;
import io.jruntime.core.ops.PauseOptions;
import io.jruntime.core.ops.PsOptions;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.ops.ResumeOptions;
import io.jruntime.core.ops.RunOptions;
import io.jruntime.core.ops.SpecOptions;
import io.jruntime.core.ops.StartOptions;
import io.jruntime.core.ops.StateOptions;
import io.jruntime.core.ops.UpdateOptions;
import io.jruntime.core.rootless.RootlessDecision;
import io.jruntime.core.state.ContainerState;
import io.jruntime.core.state.StateStore;
import io.jruntime.core.state.StatusResolver;
import io.jruntime.core.sys.Caller;
import io.jruntime.core.sys.Processes;
import io.jruntime.core.terminal.TerminalProxy;
import io.jruntime.criu.container.ContainerCheckpoint;
import io.jruntime.criu.container.ContainerRestore;
import io.jruntime.criu.migrate.CheckpointArchive;
import io.jruntime.criu.migrate.MigrateOptions;
import io.jruntime.criu.migrate.MigrationReceiver;
import io.jruntime.criu.migrate.MigrationSender;
import io.jruntime.criu.migrate.TargetBundle;
import io.jruntime.spec.Process;
import io.jruntime.spec.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The one place the CLI hands over to the runtime: every command parses its flags into an options record and
 * calls exactly one method here. Methods whose machinery does not exist yet throw {@link NotImplementedException}
 * (exit 1, "X: not implemented yet in jruntime"); they never pretend to succeed. Replace a stub by calling the
 * lifecycle / cgroup / CRIU code from it; do not move logic into the command classes.
 *
 * <p>Failures are reported by throwing {@link JRuntimeException} subclasses (mapped to exit codes in
 * {@link ErrorReporter}). {@link #run}, {@link #exec} and {@link #restore} return the exit status jruntime
 * itself exits with (the container process's status when not detached, else 0).
 *
 * <p>Output meant for the caller (state JSON, tables) goes to {@code out}; non-fatal complaints to {@code err}.
 */
public class Operations {
    protected final PrintStream out;
    protected final PrintStream err;
    /** Whose fds the container gets and whose children its processes become (this JVM, or a daemon client). */
    private final Caller caller;

    public Operations(PrintStream out, PrintStream err) {
        this(out, err, Caller.SELF);
    }

    public Operations(PrintStream out, PrintStream err, Caller caller) {
        this.out = out;
        this.err = err;
        this.caller = caller;
    }

    /** Where command output goes (state JSON, tables, the daemon command's status lines). */
    public PrintStream out() {
        return out;
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** How this invocation runs: state store and the two rootless answers. */
    protected RuntimeContext context(GlobalOptions g) {
        RootlessDecision r = RootlessDecision.forThisProcess(g.rootlessMode(), Processes.geteuid());
        return new RuntimeContext(new StateStore(g.root()), r.rootlessEuid(), r.rootlessCgroups(), g.systemdCgroup(),
                caller);
    }

    /**
     * The CRIU binary for checkpoint/restore: --criu, else looked up (well-known places, then $PATH) with the
     * caller's PATH, not this process's (under the daemon they differ).
     */
    private String criu(GlobalOptions g) {
        if (g.criu() != null && !g.criu().isEmpty()) {
            return g.criu();
        }
        return io.jruntime.criu.CriuBinary.locate(null, caller.context().env().get("PATH")).path().toString();
    }

    public void create(GlobalOptions g, CreateOptions o) {
        ScopedValue.where(HookRunner.WORKING_DIRECTORY, o.bundle())
                .run(() -> ContainerCreator.create(context(g), createRequest(o, null)));
    }

    private ContainerCreator.Request createRequest(CreateOptions o, IntConsumer terminalSink) {
        return new ContainerCreator.Request(o.id(), o.bundle(), o.pidFile(),
                o.consoleSocket() == null ? null : o.consoleSocket().toString(), o.noPivot(), o.noNewKeyring(),
                o.preserveFds(), terminalSink, caller);
    }

    /**
     * Creates and starts; waits for the container unless detached. Returns jruntime's exit status. Every hook
     * it runs (poststart and poststop included) starts in the bundle directory, as under runc's run.
     */
    public int run(GlobalOptions g, RunOptions o) {
        return ScopedValue.where(HookRunner.WORKING_DIRECTORY, o.create().bundle()).call(() -> runInBundle(g, o));
    }

    private int runInBundle(GlobalOptions g, RunOptions o) {
        RuntimeContext ctx = context(g);
        TerminalProxy[] proxy = new TerminalProxy[1];
        IntConsumer sink = o.detach() ? null : fd -> proxy[0] = new TerminalProxy(fd);
        ContainerState s = ContainerCreator.create(ctx, createRequest(o.create(), sink));
        try {
            ContainerStarter.start(ctx, s.id());
        } catch (RuntimeException e) {
            ContainerDeleter.delete(ctx, s.id(), true);
            throw e;
        }
        if (o.detach()) {
            return 0;
        }
        int code = waitInForeground(caller, s.initPid(), proxy[0]);
        if (!o.keep()) {
            ContainerDeleter.delete(ctx, s.id(), true);
        }
        return code;
    }

    /** The caller waits (and forwards its signals); the terminal proxy, if any, is this JVM's own (no daemon). */
    private static int waitInForeground(Caller caller, int pid, TerminalProxy proxy) {
        if (proxy == null) {
            return caller.waitInForeground(pid);
        }
        try (proxy) {
            proxy.start();
            return caller.waitInForeground(pid);
        }
    }

    public void start(GlobalOptions g, StartOptions o) {
        ContainerStarter.start(context(g), o.id());
    }

    public void kill(GlobalOptions g, KillOptions o) {
        ContainerKiller.kill(context(g), o.id(), o.signal(), o.all());
    }

    /** With force, a missing container is not an error (exit 0, as runc; Podman and containerd rely on it). */
    public void delete(GlobalOptions g, DeleteOptions o) {
        ContainerDeleter.delete(context(g), o.id(), o.force());
    }

    public void pause(GlobalOptions g, PauseOptions o) {
        ContainerPauser.pause(context(g), o.id());
    }

    public void resume(GlobalOptions g, ResumeOptions o) {
        ContainerPauser.resume(context(g), o.id());
    }

    /**
     * Runs a process in the container. Returns the process's exit status, or 0 when detached. Any exception is
     * reported as "exec failed: ..." with exit status 255.
     */
    public int exec(GlobalOptions g, ExecOptions o) {
        RuntimeContext ctx = context(g);
        requireContainer(g, o.id());
        Spec config = ContainerStarter.savedConfig(ctx.store(), o.id());
        Process p = ExecProcessBuilder.build(o, config);
        TerminalProxy[] proxy = new TerminalProxy[1];
        IntConsumer sink = o.detach() ? null : fd -> proxy[0] = new TerminalProxy(fd);
        int pid = ProcessExecutor.start(ctx, new ProcessExecutor.Request(o.id(), p, config, o.pidFile(),
                o.consoleSocket() == null ? null : o.consoleSocket().toString(), o.detach(), o.preserveFds(),
                o.ignorePaused(), sink, caller, o.cgroups()));
        return o.detach() ? 0 : waitInForeground(caller, pid, proxy[0]);
    }

    public void ps(GlobalOptions g, PsOptions o) {
        RuntimeContext ctx = context(g);
        ContainerState s = ctx.store().load(o.id());
        List<Integer> pids = ContainerProcesses.pids(s);
        if (o.format() == OutputFormat.JSON) {
            out.print(pids.toString().replace(" ", "") + "\n");
            return;
        }
        out.print(PsTable.filter(o.psArgs(), pids));
    }

    /** Prints events/stats as JSON lines to out until the container stops (or once with stats). */
    public void events(GlobalOptions g, EventsOptions o) {
        ContainerEvents.stream(context(g), o.id(), o.stats(), o.interval(), out);
    }

    public void update(GlobalOptions g, UpdateOptions o) {
        ContainerUpdater.update(context(g), o);
    }

    public void checkpoint(GlobalOptions g, CheckpointOptions o) {
        ContainerCheckpoint.checkpoint(context(g), o, criu(g));
    }

    /** Restores and (unless detached) waits. Returns jruntime's exit status. Hooks start in the bundle, as in run. */
    public int restore(GlobalOptions g, RestoreOptions o) {
        return ScopedValue.where(HookRunner.WORKING_DIRECTORY, o.bundle()).call(
                () -> restoreThen(g, o, (ctx, sink) -> ContainerRestore.restore(ctx, o, criu(g), sink, caller)));
    }

    /**
     * {@code checkpoint --export FILE [--with-rootfs]} (jruntime extension): checkpoint, then one archive to carry
     * elsewhere. imagesGiven: --image-path was given (else the images are staged next to FILE).
     */
    public void checkpointExport(GlobalOptions g, CheckpointOptions o, boolean imagesGiven, Path file, boolean withRootfs) {
        CheckpointArchive.export(context(g), o, imagesGiven, criu(g), file, withRootfs);
    }

    /**
     * {@code restore --import FILE} and/or {@code --mount DEST=SOURCE} (jruntime extensions): as restore, from an
     * archive, bind sources replaced by destination. importFile null: the images of --image-path.
     */
    public int restoreMoved(GlobalOptions g, RestoreOptions o, Path importFile, List<TargetBundle.MountOverride> mounts) {
        return ScopedValue.where(HookRunner.WORKING_DIRECTORY, o.bundle()).call(() -> restoreThen(g, o,
                (ctx, sink) -> importFile != null
                        ? CheckpointArchive.importAndRestore(ctx, o, importFile, mounts, criu(g), sink, caller)
                        : CheckpointArchive.restoreWithMounts(ctx, o, mounts, criu(g), sink, caller)));
    }

    /** {@code migrate send} / {@code migrate receive} (jruntime extension, docs/MIGRATION.md). Returns the exit status. */
    public int migrate(GlobalOptions g, MigrateOptions o) {
        return o.send() ? MigrationSender.send(context(g), o, criu(g), err)
                : MigrationReceiver.receive(context(g), o, criu(g), out, err, caller);
    }

    private interface Restorer {
        ContainerState restore(RuntimeContext ctx, IntConsumer terminalSink);
    }

    private int restoreThen(GlobalOptions g, RestoreOptions o, Restorer how) {
        RuntimeContext ctx = context(g);
        TerminalProxy[] proxy = new TerminalProxy[1];
        IntConsumer sink = o.detach() ? null : fd -> proxy[0] = new TerminalProxy(fd);
        ContainerState s = how.restore(ctx, sink);
        if (o.detach()) {
            return 0;
        }
        int code = waitInForeground(caller, s.initPid(), proxy[0]);
        ContainerDeleter.delete(ctx, s.id(), true);
        return code;
    }

    /** True if the id is valid and has a state file (cheap: no JSON parsing). */
    protected static boolean containerExists(GlobalOptions g, String id) {
        return new StateStore(g.root()).exists(id);
    }

    /** Fails like runc for an invalid id or a container that does not exist. */
    protected static void requireContainer(GlobalOptions g, String id) {
        if (!containerExists(g, id)) {
            throw new ContainerNotFoundException(id);
        }
    }

    // ---- implemented --------------------------------------------------------------------------------

    /** Prints the state JSON of one container; a missing one fails with "container "x" does not exist". */
    public void state(GlobalOptions g, StateOptions o) {
        StateStore store = new StateStore(g.root());
        ContainerState s = store.load(o.id());
        out.print(StateOutput.pretty(new StateOutput.View(s, StatusResolver.status(store, s), s.owner())));
    }

    /** Lists the containers under the root: a table, JSON, or just ids. A missing root lists nothing. */
    public void list(GlobalOptions g, ListOptions o) {
        StateStore store = new StateStore(g.root());
        List<StateOutput.View> views = new ArrayList<>();
        Owners owners = new Owners(Path.of("/etc/passwd"));
        for (String id : store.ids()) {
            Optional<ContainerState> s;
            int uid;
            try {
                s = store.find(id);
                uid = (Integer) Files.getAttribute(store.dir(id), "unix:uid");
            } catch (JRuntimeException | IOException | UnsupportedOperationException e) {
                err.println("load container " + id + ": " + e.getMessage());
                continue;
            }
            if (s.isPresent()) {
                views.add(new StateOutput.View(s.get(), StatusResolver.status(store, s.get()), owners.name(uid)));
            }
        }
        if (o.quiet()) {
            StringBuilder sb = new StringBuilder();
            for (StateOutput.View v : views) {
                sb.append(v.state().id()).append('\n');
            }
            out.print(sb);
        } else if (o.format() == OutputFormat.JSON) {
            out.print(StateOutput.jsonList(views));
        } else {
            out.print(StateOutput.table(views));
        }
    }

    /** Writes a starter config.json into the bundle; never overwrites one. */
    public void spec(GlobalOptions g, SpecOptions o) {
        SpecWriter.write(o);
    }

    /** Prints the runtime-spec features document (4-space indent, as runc). */
    public void features(GlobalOptions g) {
        out.print(SpecWriter.features(g.criu()));
    }
}
