package io.jruntime.cli;

import io.jruntime.core.ContainerNotFoundException;
import io.jruntime.core.ExecFailedException;
import io.jruntime.core.InvalidArgumentException;
import io.jruntime.core.JRuntimeException;
import io.jruntime.core.NotImplementedException;
import io.jruntime.core.ops.ExecOptions;
import io.jruntime.core.ops.GlobalOptions;
import io.jruntime.core.ops.KillOptions;
import io.jruntime.core.ops.RunOptions;
import io.jruntime.spec.SpecException;
import io.jruntime.spec.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exceptions to exit codes and messages, in one place (ErrorReporter), as runc reports them. */
class ErrorReporterTest {
    @TempDir
    Path tmp;

    @Test
    void exitCodes() {
        assertEquals(1, ErrorReporter.exitCode(new UsageException(UsageException.Kind.FLAG, null, "x")));
        assertEquals(3, ErrorReporter.exitCode(new UnknownCommandException("x")));
        assertEquals(255, ErrorReporter.exitCode(new ExecFailedException("x")));
        assertEquals(1, ErrorReporter.exitCode(new ContainerNotFoundException("x")));
        assertEquals(1, ErrorReporter.exitCode(new NotImplementedException("x")));
        assertEquals(1, ErrorReporter.exitCode(new JRuntimeException("x")));
        assertEquals(1, ErrorReporter.exitCode(new NullPointerException("x")));
        assertEquals(1, ErrorReporter.exitCode(new StackOverflowError()));
    }

    @Test
    void messages() {
        assertEquals("container \"x\" does not exist", ErrorReporter.message(new ContainerNotFoundException("x")));
        assertEquals("exec failed: boom", ErrorReporter.message(new ExecFailedException("boom")));
        assertEquals("internal error: java.lang.IllegalStateException: bad", ErrorReporter.message(new IllegalStateException("bad")));
    }

    /** A Cli whose Operations throws t from every lifecycle method. */
    private CliHarness.Result failing(RuntimeException t, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli.OpsFactory ops = c -> new Operations(c.out(), c.err()) {
            @Override
            public void kill(GlobalOptions g, KillOptions o) {
                throw t;
            }

            @Override
            public int exec(GlobalOptions g, ExecOptions o) {
                throw t;
            }

            @Override
            public int run(GlobalOptions g, RunOptions o) {
                throw t;
            }
        };
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), tmp, null, ops);
        int exit = cli.run(args);
        io.jruntime.cli.log.Logging.close();
        return new CliHarness.Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), java.util.List.of());
    }

    @Test
    void runtimeErrorExitsOneWithItsMessage() {
        CliHarness.Result r = failing(new ContainerNotFoundException("c"), "kill", "c", "9");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().matches("time=\"[^\"]+\" level=error msg=\"container \\\\\"c\\\\\" does not exist\"\n"), r.err());
    }

    @Test
    void execFailuresExit255WithRuncsPrefix() {
        CliHarness.Result r = failing(new InvalidArgumentException("container not running"), "exec", "c", "true");
        assertEquals(255, r.exit());
        assertTrue(r.err().contains("msg=\"exec failed: container not running\""), r.err());
        r = failing(new ExecFailedException("exec: \"x\": executable file not found in $PATH"), "exec", "c", "x");
        assertEquals(255, r.exit());
        assertTrue(r.err().contains("exec failed: exec: "), r.err());
        assertFalse(r.err().contains("exec failed: exec failed"), r.err());
    }

    @Test
    void execUsageErrorsStayExitOne() {
        assertEquals(1, failing(new JRuntimeException("unused"), "exec", "--bogus", "c", "x").exit());
        assertEquals(1, failing(new JRuntimeException("unused"), "exec").exit());
    }

    @Test
    void execArgumentErrorsAreExecFailures() {
        CliHarness.Result r = failing(new JRuntimeException("unused"), "exec", "c");
        assertEquals(255, r.exit());
        assertTrue(r.err().contains("exec failed: process args cannot be empty"), r.err());
        r = failing(new JRuntimeException("unused"), "exec", "-u", "x:1", "c", "true");
        assertEquals(255, r.exit());
        assertTrue(r.err().contains("parsing x as int for uid failed"), r.err());
    }

    @Test
    void runFailuresArePrefixedLikeRunc() {
        CliHarness.Result r = failing(new JRuntimeException("chdir /x: no such file or directory"), "run", "c");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("jruntime run failed: chdir /x"), r.err());
    }

    /** runc 1.1.5 with a bad config: "runc run failed: Cwd must be an absolute path", exit 1; exec: "exec failed: ...", 255. */
    @Test
    void configErrorsArePrefixedLikeRunc() {
        SpecException bad = new SpecException(List.of(new Violation("process.cwd", "\"rel\" is not an absolute path")));
        CliHarness.Result r = failing(bad, "run", "c");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("msg=\"jruntime run failed: process.cwd: \\\"rel\\\" is not an absolute path\""), r.err());
        r = failing(bad, "exec", "c", "true");
        assertEquals(255, r.exit());
        assertTrue(r.err().contains("msg=\"exec failed: process.cwd: "), r.err());
    }

    @Test
    void unexpectedExceptionNamesItsClassAndHidesTheTraceWithoutDebug() {
        CliHarness.Result r = failing(new IllegalStateException("oops"), "kill", "c");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("internal error: java.lang.IllegalStateException: oops"), r.err());
        assertFalse(r.err().contains("\\tat "), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void debugShowsTheStackTrace() {
        CliHarness.Result r = failing(new IllegalStateException("oops"), "--debug", "kill", "c");
        assertTrue(r.err().contains("level=debug"), r.err());
        assertTrue(r.err().contains("\\tat "), r.err());
        assertTrue(r.err().contains("func="), "--debug adds the caller, as runc's logrus ReportCaller");
        String last = r.err().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("level=error"), "the error is the last line: " + last);
    }

    @Test
    void withLogFileTheErrorGoesToTheFileAndPlainToStderr() throws Exception {
        Path log = tmp.resolve("log.json");
        CliHarness.Result r = failing(new ContainerNotFoundException("c"), "--log", log.toString(), "--log-format", "json", "kill", "c");
        assertEquals(1, r.exit());
        assertEquals("container \"c\" does not exist\n", r.err());
        String line = Files.readString(log);
        assertTrue(line.matches("\\{\"level\":\"error\",\"msg\":\"container \\\\\"c\\\\\" does not exist\",\"time\":\"[^\"]+\"}\n"), line);
    }

    @Test
    void logFileIsAppendedTo() throws Exception {
        Path log = tmp.resolve("log.json");
        Files.writeString(log, "earlier\n");
        failing(new ContainerNotFoundException("c"), "--log", log.toString(), "--log-format", "json", "kill", "c");
        failing(new ContainerNotFoundException("d"), "--log", log.toString(), "--log-format", "json", "kill", "d");
        java.util.List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size());
        assertEquals("earlier", lines.get(0));
    }

    @Test
    void unopenableLogFileIsAnError() {
        CliHarness.Result r = failing(new ContainerNotFoundException("c"), "--log", tmp + "/no/such/dir/log", "kill", "c");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("open " + tmp + "/no/such/dir/log: no such file or directory"), r.err());
    }
}
