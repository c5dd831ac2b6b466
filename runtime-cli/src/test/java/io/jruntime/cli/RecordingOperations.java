package io.jruntime.cli;

import io.jruntime.core.ops.CheckpointOptions;
import io.jruntime.core.ops.CreateOptions;
import io.jruntime.core.ops.DeleteOptions;
import io.jruntime.core.ops.EventsOptions;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.KillOptions;
import io.jruntime.core.ops.ListOptions;
import io.jruntime.core.ops.PauseOptions;
import io.jruntime.core.ops.PsOptions;
import io.jruntime.core.ops.RestoreOptions;
import io.jruntime.core.ops.ResumeOptions;
import io.jruntime.core.ops.RunOptions;
import io.jruntime.core.ops.SpecOptions;
import io.jruntime.core.ops.StartOptions;
import io.jruntime.core.ops.StateOptions;
import io.jruntime.core.ops.UpdateOptions;

import java.io.PrintStream;
import java.util.List;

/** Records which Operations method each command called, with what; does nothing else. */
final class RecordingOperations extends Operations {
    /** One call: method name, global options, the options record (null for features). */
    record Call(String method, GlobalOptions global, Object options) {
    }

    private final List<Call> calls;

    RecordingOperations(PrintStream out, PrintStream err, List<Call> calls) {
        super(out, err);
        this.calls = calls;
    }

    private void rec(String m, GlobalOptions g, Object o) {
        calls.add(new Call(m, g, o));
    }

    @Override
    public void create(GlobalOptions g, CreateOptions o) {
        rec("create", g, o);
    }

    @Override
    public int run(GlobalOptions g, RunOptions o) {
        rec("run", g, o);
        return 0;
    }

    @Override
    public void start(GlobalOptions g, StartOptions o) {
        rec("start", g, o);
    }

    @Override
    public void kill(GlobalOptions g, KillOptions o) {
        rec("kill", g, o);
    }

    @Override
    public void delete(GlobalOptions g, DeleteOptions o) {
        rec("delete", g, o);
    }

    @Override
    public void pause(GlobalOptions g, PauseOptions o) {
        rec("pause", g, o);
    }

    @Override
    public void resume(GlobalOptions g, ResumeOptions o) {
        rec("resume", g, o);
    }

    @Override
    public int exec(GlobalOptions g, ExecOptions o) {
        rec("exec", g, o);
        return 0;
    }

    @Override
    public void ps(GlobalOptions g, PsOptions o) {
        rec("ps", g, o);
    }

    @Override
    public void events(GlobalOptions g, EventsOptions o) {
        rec("events", g, o);
    }

    @Override
    public void update(GlobalOptions g, UpdateOptions o) {
        rec("update", g, o);
    }

    @Override
    public void checkpoint(GlobalOptions g, CheckpointOptions o) {
        rec("checkpoint", g, o);
    }

    @Override
    public int restore(GlobalOptions g, RestoreOptions o) {
        rec("restore", g, o);
        return 0;
    }

    @Override
    public void state(GlobalOptions g, StateOptions o) {
        rec("state", g, o);
    }

    @Override
    public void list(GlobalOptions g, ListOptions o) {
        rec("list", g, o);
    }

    @Override
    public void spec(GlobalOptions g, SpecOptions o) {
        rec("spec", g, o);
    }

    @Override
    public void features(GlobalOptions g) {
        rec("features", g, null);
    }
}
