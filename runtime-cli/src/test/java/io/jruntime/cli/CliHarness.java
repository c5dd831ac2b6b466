package io.jruntime.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the real Cli in-process with captured output and, optionally, a recording Operations. */
final class CliHarness {
    /** What one invocation did. */
    record Result(int exit, String out, String err, List<RecordingOperations.Call> calls) {
        RecordingOperations.Call only() {
            if (calls.size() != 1) {
                throw new AssertionError("expected one Operations call, got " + calls + "; exit " + exit + ", stderr: " + err);
            }
            return calls.get(0);
        }

        @SuppressWarnings("unchecked")
        <T> T options(Class<T> type) {
            Object o = only().options();
            if (!type.isInstance(o)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + o);
            }
            return (T) o;
        }
    }

    private final Path cwd;
    private final boolean record;
    private String stdin = "";
    private String xdg;

    private CliHarness(Path cwd, boolean record) {
        this.cwd = cwd;
        this.record = record;
    }

    /** Commands go to a RecordingOperations (nothing is executed). */
    static CliHarness recording(Path cwd) {
        return new CliHarness(cwd, true);
    }

    /** Commands go to the real Operations. */
    static CliHarness real(Path cwd) {
        return new CliHarness(cwd, false);
    }

    CliHarness stdin(String s) {
        stdin = s;
        return this;
    }

    CliHarness xdgRuntimeDir(String dir) {
        xdg = dir;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<RecordingOperations.Call> calls = new ArrayList<>();
        Cli cli = new Cli(o, e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), cwd, xdg,
                c -> record ? new RecordingOperations(c.out(), c.err(), calls) : new Operations(c.out(), c.err()));
        int exit = cli.run(args);
        io.jruntime.cli.log.Logging.close();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), calls);
    }
}
